#include "Modules/ModuleManager.h"
#include "VRPerceptionCore.h"

DEFINE_LOG_CATEGORY(LogVRPerception);

IMPLEMENT_MODULE(FDefaultModuleImpl, VRPerception)
