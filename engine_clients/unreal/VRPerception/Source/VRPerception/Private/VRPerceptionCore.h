// Includes the vrperception C++ client core (engine_clients/cpp) inside
// Unreal. Unreal defines check() and verify() as macros, which clash with
// names in protobuf and abseil headers, so they are set aside here.
#pragma once

#include "CoreMinimal.h"

THIRD_PARTY_INCLUDES_START
#pragma push_macro("check")
#pragma push_macro("verify")
#undef check
#undef verify
#include "vrperception/client.h"
#include "vrperception/coords.h"
#include "vrperception/frames.h"
#pragma pop_macro("verify")
#pragma pop_macro("check")
THIRD_PARTY_INCLUDES_END

DECLARE_LOG_CATEGORY_EXTERN(LogVRPerception, Log, All);
