#include "VRPerceptionSettings.h"

UVRPerceptionSettings::UVRPerceptionSettings()
{
	SectionName = TEXT("VR Perception");
}
