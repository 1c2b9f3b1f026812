#include "VRPerceptionConvert.h"

namespace v1 = vrperception::v1;
namespace coords = vrperception::coords;

namespace VRPerceptionConvert
{
namespace
{
EVRPerceptionHandedness ToHandedness(v1::Handedness Value)
{
	switch (Value)
	{
	case v1::HANDEDNESS_LEFT: return EVRPerceptionHandedness::Left;
	case v1::HANDEDNESS_RIGHT: return EVRPerceptionHandedness::Right;
	default: return EVRPerceptionHandedness::Unknown;
	}
}

// The Unreal enum lists the proto values in the same order.
EVRPerceptionGesture ToGesture(v1::GestureType Value)
{
	const int32 Index = static_cast<int32>(Value);
	if (Index < 0 || Index > static_cast<int32>(EVRPerceptionGesture::Custom))
	{
		return EVRPerceptionGesture::Unspecified;
	}
	return static_cast<EVRPerceptionGesture>(Index);
}

EVRPerceptionHandEventType ToEventType(v1::HandEventType Value)
{
	const int32 Index = static_cast<int32>(Value);
	if (Index < 0 || Index > static_cast<int32>(EVRPerceptionHandEventType::PinchEnded))
	{
		return EVRPerceptionHandEventType::Unspecified;
	}
	return static_cast<EVRPerceptionHandEventType>(Index);
}

FBox2D ToBox(const v1::NormalizedBox& Box)
{
	return FBox2D(FVector2D(Box.x_min(), Box.y_min()), FVector2D(Box.x_max(), Box.y_max()));
}

FVRPerceptionHand ToHand(const v1::Hand& Hand)
{
	FVRPerceptionHand Out;
	Out.TrackingId = static_cast<int32>(Hand.tracking_id());
	Out.Handedness = ToHandedness(Hand.handedness());
	Out.HandednessScore = Hand.handedness_score();
	Out.Score = Hand.score();
	Out.Landmarks.Reserve(Hand.landmarks_size());
	for (const v1::Landmark& Landmark : Hand.landmarks())
	{
		Out.Landmarks.Add(FVector(Landmark.x(), Landmark.y(), Landmark.z()));
	}
	Out.WorldLandmarksCm.Reserve(Hand.world_landmarks_size());
	for (const v1::Vector3& Point : Hand.world_landmarks())
	{
		Out.WorldLandmarksCm.Add(CameraPointToUnreal(Point));
	}
	Out.BoundingBox = ToBox(Hand.bounding_box());
	Out.Gesture = ToGesture(Hand.gesture().type());
	Out.GestureName = ToFString(Hand.gesture().name());
	Out.GestureScore = Hand.gesture().score();
	Out.PinchStrength = Hand.pinch_strength();
	Out.GrabStrength = Hand.grab_strength();
	return Out;
}
}  // namespace

FString ToFString(const std::string& Text)
{
	return FString(UTF8_TO_TCHAR(Text.c_str()));
}

std::string ToStdString(const FString& Text)
{
	return std::string(TCHAR_TO_UTF8(*Text));
}

FVector CameraPointToUnreal(const v1::Vector3& OpenCvMetres)
{
	const coords::Vec3 Unreal = coords::OpenCvToUnrealCm(coords::Vec3{OpenCvMetres.x(), OpenCvMetres.y(), OpenCvMetres.z()});
	return FVector(Unreal.x, Unreal.y, Unreal.z);
}

FTransform PoseToUnreal(const v1::Pose& OpenCvPose)
{
	coords::Pose Pose;
	Pose.position = {OpenCvPose.position_m().x(), OpenCvPose.position_m().y(), OpenCvPose.position_m().z()};
	Pose.rotation = {OpenCvPose.rotation().x(), OpenCvPose.rotation().y(), OpenCvPose.rotation().z(),
		OpenCvPose.rotation().w()};
	const coords::Pose Unreal = coords::OpenCvToUnrealCm(Pose);
	return FTransform(
		FQuat(Unreal.rotation.x, Unreal.rotation.y, Unreal.rotation.z, Unreal.rotation.w),
		FVector(Unreal.position.x, Unreal.position.y, Unreal.position.z));
}

v1::Pose UnrealTransformToPose(const FTransform& Transform)
{
	const FVector Location = Transform.GetLocation();
	const FQuat Rotation = Transform.GetRotation();
	const coords::Pose OpenCv = coords::UnrealCmToOpenCv(
		coords::Pose{{Location.X, Location.Y, Location.Z}, {Rotation.X, Rotation.Y, Rotation.Z, Rotation.W}});
	v1::Pose Out;
	Out.mutable_position_m()->set_x(OpenCv.position.x);
	Out.mutable_position_m()->set_y(OpenCv.position.y);
	Out.mutable_position_m()->set_z(OpenCv.position.z);
	Out.mutable_rotation()->set_x(OpenCv.rotation.x);
	Out.mutable_rotation()->set_y(OpenCv.rotation.y);
	Out.mutable_rotation()->set_z(OpenCv.rotation.z);
	Out.mutable_rotation()->set_w(OpenCv.rotation.w);
	return Out;
}

FVRPerceptionHandsResult ToUnreal(const v1::HandsResult& Result)
{
	FVRPerceptionHandsResult Out;
	Out.FrameId = static_cast<int64>(Result.frame().frame_id());
	Out.DroppedFrames = static_cast<int64>(Result.frame().dropped_frames());
	Out.ServerTotalMs = static_cast<float>(Result.timings().total_ms());
	for (const v1::Hand& Hand : Result.hands())
	{
		Out.Hands.Add(ToHand(Hand));
	}
	for (const v1::HandEvent& Event : Result.events())
	{
		FVRPerceptionHandEvent& OutEvent = Out.Events.AddDefaulted_GetRef();
		OutEvent.Type = ToEventType(Event.type());
		OutEvent.TrackingId = static_cast<int32>(Event.tracking_id());
		OutEvent.Handedness = ToHandedness(Event.handedness());
		OutEvent.Gesture = ToGesture(Event.gesture());
		OutEvent.GestureName = ToFString(Event.gesture_name());
	}
	return Out;
}

FVRPerceptionObjectsResult ToUnreal(const v1::ObjectsResult& Result)
{
	FVRPerceptionObjectsResult Out;
	Out.FrameId = static_cast<int64>(Result.frame().frame_id());
	for (const v1::Detection& Detection : Result.detections())
	{
		FVRPerceptionDetection& OutDetection = Out.Detections.AddDefaulted_GetRef();
		OutDetection.TrackingId = static_cast<int32>(Detection.tracking_id());
		OutDetection.Label = ToFString(Detection.label());
		OutDetection.ClassId = static_cast<int32>(Detection.class_id());
		OutDetection.Score = Detection.score();
		OutDetection.Box = ToBox(Detection.box());
	}
	for (const v1::Marker& Marker : Result.markers())
	{
		FVRPerceptionMarker& OutMarker = Out.Markers.AddDefaulted_GetRef();
		OutMarker.Dictionary = ToFString(v1::MarkerDictionary_Name(Marker.dictionary()));
		OutMarker.Id = static_cast<int32>(Marker.id());
		for (const v1::NormalizedPoint& Corner : Marker.corners())
		{
			OutMarker.Corners.Add(FVector2D(Corner.x(), Corner.y()));
		}
		OutMarker.bHasCameraPose = Marker.has_pose_in_camera();
		if (OutMarker.bHasCameraPose)
		{
			OutMarker.PoseInCamera = PoseToUnreal(Marker.pose_in_camera());
		}
		OutMarker.bHasWorldPose = Marker.has_pose_in_world();
		if (OutMarker.bHasWorldPose)
		{
			OutMarker.PoseInWorld = PoseToUnreal(Marker.pose_in_world());
		}
	}
	return Out;
}

FVRPerceptionVoiceCommand ToUnreal(const v1::CommandResult& Result)
{
	FVRPerceptionVoiceCommand Out;
	Out.CommandId = ToFString(Result.command_id());
	for (const v1::SlotValue& Slot : Result.slots())
	{
		Out.Slots.Add(ToFString(Slot.name()), ToFString(Slot.value()));
	}
	Out.Transcript = ToFString(Result.transcript());
	Out.Confidence = Result.confidence();
	Out.RejectionReason = ToFString(Result.rejection_reason());
	Out.StartMs = static_cast<int64>(Result.start_ms());
	Out.EndMs = static_cast<int64>(Result.end_ms());
	return Out;
}

bool PackFrame(const FVRPerceptionFrame& Source, uint64 FrameId, v1::ImageFrame* Frame, FString* Error)
{
	vrperception::PixelBufferView Buffer;
	Buffer.data = Source.Bgra.GetData();
	Buffer.size_bytes = static_cast<size_t>(Source.Bgra.Num());
	Buffer.format = vrperception::PixelFormat::kBgra8;
	Buffer.width = static_cast<uint32_t>(FMath::Max(Source.Width, 0));
	Buffer.height = static_cast<uint32_t>(FMath::Max(Source.Height, 0));
	Buffer.bottom_up = false;  // ReadPixels returns the top row first
	const vrperception::Status Status = vrperception::PackRawFrame(Buffer, Frame);
	if (!Status.ok())
	{
		*Error = ToFString(Status.ToString());
		return false;
	}
	Frame->set_mirrored(Source.bMirrored);
	Frame->set_frame_id(FrameId);
	Frame->set_capture_time_us(FDateTime::UtcNow().GetTicks() / ETimespan::TicksPerMicrosecond);
	if (Source.bHasCameraTransform)
	{
		*Frame->mutable_camera_to_world() = UnrealTransformToPose(Source.CameraToWorld);
	}
	return true;
}
}  // namespace VRPerceptionConvert
