// Protobuf results to Blueprint structs, and Unreal frames to ImageFrame.
// Coordinate changes use the tested functions of the C++ core
// (vrperception/coords.h); this file only moves fields.
#pragma once

#include "VRPerceptionCore.h"
#include "VRPerceptionTypes.h"

namespace VRPerceptionConvert
{
	FVRPerceptionHandsResult ToUnreal(const vrperception::v1::HandsResult& Result);
	FVRPerceptionObjectsResult ToUnreal(const vrperception::v1::ObjectsResult& Result);
	FVRPerceptionVoiceCommand ToUnreal(const vrperception::v1::CommandResult& Result);

	// OpenCV camera point in metres to Unreal camera space in centimetres.
	FVector CameraPointToUnreal(const vrperception::v1::Vector3& OpenCvMetres);
	// OpenCV-frame pose to an Unreal transform (cm), both frames converted.
	FTransform PoseToUnreal(const vrperception::v1::Pose& OpenCvPose);
	// The inverse, for the camera-to-world transform a frame carries.
	vrperception::v1::Pose UnrealTransformToPose(const FTransform& Transform);

	// Fills Frame from BGRA pixels read from a render target. Returns false
	// and sets Error when the pixel buffer does not match its size.
	bool PackFrame(const FVRPerceptionFrame& Source, uint64 FrameId,
		vrperception::v1::ImageFrame* Frame, FString* Error);

	FString ToFString(const std::string& Text);
	std::string ToStdString(const FString& Text);
}
