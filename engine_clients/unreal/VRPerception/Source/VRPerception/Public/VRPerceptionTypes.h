// Blueprint types of the VRPerception plugin.
//
// Coordinates, as delivered to the game:
// - 2D points are normalised to the image as displayed, origin top-left,
//   x right, y down, in [0, 1] (Unreal screen/UV convention). Multiply by
//   the viewport or texture size for pixels.
// - 3D points are in Unreal camera space: left-handed, X forward, Y right,
//   Z up, centimetres. The server's OpenCV camera frame (x right, y down,
//   z forward, metres) maps as X = 100 z, Y = 100 x, Z = -100 y, and
//   rotations as quaternion (-qz, -qx, qy, qw).
#pragma once

#include "CoreMinimal.h"
#include "VRPerceptionTypes.generated.h"

UENUM(BlueprintType)
enum class EVRPerceptionHandedness : uint8
{
	Unknown,
	Left,
	Right,
};

// Built-in gesture classes; Custom carries a user-trained class name.
UENUM(BlueprintType)
enum class EVRPerceptionGesture : uint8
{
	Unspecified,
	None,
	ClosedFist,
	OpenPalm,
	PointingUp,
	ThumbDown,
	ThumbUp,
	Victory,
	ILoveYou,
	Pinch,
	Ok,
	Custom,
};

UENUM(BlueprintType)
enum class EVRPerceptionHandEventType : uint8
{
	Unspecified,
	HandFound,
	HandLost,
	GestureBegan,
	GestureEnded,
	PinchStarted,
	PinchEnded,
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionHand
{
	GENERATED_BODY()

	// Stable while the hand stays visible in one tracking stream; 0 for
	// single-image detection.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 TrackingId = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	EVRPerceptionHandedness Handedness = EVRPerceptionHandedness::Unknown;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float HandednessScore = 0.f;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float Score = 0.f;

	// 21 landmarks in MediaPipe order (0 wrist, 4 thumb tip, 8 index tip).
	// X and Y normalised to the image (origin top-left); Z is depth relative
	// to the wrist in image widths, smaller is closer.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVector> Landmarks;

	// 21 landmarks around the hand's centre in Unreal camera axes,
	// centimetres.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVector> WorldLandmarksCm;

	// Normalised box, origin top-left.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FBox2D BoundingBox = FBox2D(ForceInit);

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	EVRPerceptionGesture Gesture = EVRPerceptionGesture::Unspecified;

	// Snake_case class name ("thumb_up") or the custom class name.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString GestureName;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float GestureScore = 0.f;

	// 0 to 1; 1 when thumb and index tips touch.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float PinchStrength = 0.f;

	// 0 open hand to 1 closed fist.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float GrabStrength = 0.f;
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionHandEvent
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	EVRPerceptionHandEventType Type = EVRPerceptionHandEventType::Unspecified;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 TrackingId = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	EVRPerceptionHandedness Handedness = EVRPerceptionHandedness::Unknown;

	// For gesture events: the gesture that began or ended.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	EVRPerceptionGesture Gesture = EVRPerceptionGesture::Unspecified;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString GestureName;
};

// One processed frame of hand tracking or detection.
USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionHandsResult
{
	GENERATED_BODY()

	// The frame id given when the frame was submitted.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int64 FrameId = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVRPerceptionHand> Hands;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVRPerceptionHandEvent> Events;

	// Frames the server skipped in this stream so far because newer ones
	// arrived first.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int64 DroppedFrames = 0;

	// Server time for this frame, milliseconds.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float ServerTotalMs = 0.f;
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionDetection
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 TrackingId = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString Label;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 ClassId = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float Score = 0.f;

	// Normalised box, origin top-left.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FBox2D Box = FBox2D(ForceInit);
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionMarker
{
	GENERATED_BODY()

	// Dictionary enum name, for example "MARKER_DICTIONARY_ARUCO_4X4_50".
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString Dictionary;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 Id = 0;

	// Normalised corners: top-left, top-right, bottom-right, bottom-left of
	// the printed marker.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVector2D> Corners;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	bool bHasCameraPose = false;

	// Marker-to-camera transform in Unreal camera space (cm).
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FTransform PoseInCamera;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	bool bHasWorldPose = false;

	// Marker-to-world transform, when the frame carried the camera's world
	// transform.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FTransform PoseInWorld;
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionObjectsResult
{
	GENERATED_BODY()

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int64 FrameId = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVRPerceptionDetection> Detections;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TArray<FVRPerceptionMarker> Markers;
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionVoiceCommand
{
	GENERATED_BODY()

	// Matched command id; empty when the utterance was rejected.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString CommandId;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	TMap<FString, FString> Slots;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString Transcript;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	float Confidence = 0.f;

	// Why the utterance was rejected; empty when accepted.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	FString RejectionReason;

	// Utterance start and end in milliseconds of audio since the stream
	// started.
	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int64 StartMs = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int64 EndMs = 0;
};

// A camera image on the CPU, as the render-target helper reads it.
USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionFrame
{
	GENERATED_BODY()

	// BGRA8 pixels (FColor memory order), rows top-down, tightly packed.
	UPROPERTY()
	TArray<uint8> Bgra;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 Width = 0;

	UPROPERTY(BlueprintReadOnly, Category = "VR Perception")
	int32 Height = 0;

	// True for front (selfie) cameras and mirrored previews.
	UPROPERTY(BlueprintReadWrite, Category = "VR Perception")
	bool bMirrored = false;

	// Echoed in the result. 0 lets the subsystem number frames itself.
	UPROPERTY(BlueprintReadWrite, Category = "VR Perception")
	int64 FrameId = 0;

	// Camera-to-world transform at capture (Unreal world, cm). When set,
	// marker poses are also reported in world space.
	UPROPERTY(BlueprintReadWrite, Category = "VR Perception")
	bool bHasCameraTransform = false;

	UPROPERTY(BlueprintReadWrite, Category = "VR Perception")
	FTransform CameraToWorld;
};

// One command of a voice vocabulary.
USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionCommand
{
	GENERATED_BODY()

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	FString Id;

	// Patterns such as "select the {color} {object}".
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	TArray<FString> Phrases;
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionSlotType
{
	GENERATED_BODY()

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	FString Name;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	TArray<FString> Values;
};

USTRUCT(BlueprintType)
struct VRPERCEPTION_API FVRPerceptionVoiceConfig
{
	GENERATED_BODY()

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	TArray<FVRPerceptionCommand> Commands;

	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	TArray<FVRPerceptionSlotType> SlotTypes;

	// 16000, 22050, 32000, 44100 or 48000.
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	int32 SampleRateHz = 16000;

	// 1 or 2.
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	int32 Channels = 1;

	// Use the grammar engine (much faster, suited to push-to-talk) instead
	// of Whisper.
	UPROPERTY(EditAnywhere, BlueprintReadWrite, Category = "VR Perception")
	bool bGrammarEngine = false;
};
