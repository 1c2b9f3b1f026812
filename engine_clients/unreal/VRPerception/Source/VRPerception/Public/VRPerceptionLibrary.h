// Blueprint helpers: render target to frame, and coordinate conversions.
//
// Convention (see VRPerceptionTypes.h): the server's OpenCV camera frame
// (x right, y down, z forward, metres, right-handed) maps to Unreal camera
// space (X forward, Y right, Z up, centimetres, left-handed) as
// X = 100 z, Y = 100 x, Z = -100 y. The functions call the C++ core, whose
// conversions are tested against engine_clients/test_vectors.json.
#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintFunctionLibrary.h"
#include "VRPerceptionTypes.h"
#include "VRPerceptionLibrary.generated.h"

class UTextureRenderTarget2D;

UCLASS()
class VRPERCEPTION_API UVRPerceptionLibrary : public UBlueprintFunctionLibrary
{
	GENERATED_BODY()

public:
	// Reads an RGBA8/BGRA8 render target into a BGRA8 frame. Game thread
	// only. Returns false for a missing target or an unsupported format.
	// NOTE: ReadPixels blocks until the GPU has finished the frame. An
	// asynchronous read-back (FRHIGPUTextureReadback) would avoid the stall
	// at full frame rate; it is not implemented here.
	UFUNCTION(BlueprintCallable, Category = "VR Perception")
	static bool ReadRenderTargetToFrame(UTextureRenderTarget2D* RenderTarget, FVRPerceptionFrame& Frame);

	// Server camera point (OpenCV axes, metres) to Unreal camera space (cm).
	UFUNCTION(BlueprintPure, Category = "VR Perception|Coordinates")
	static FVector CameraPointToUnreal(FVector OpenCvMetres);

	// Unreal camera-space point (cm) to the server's OpenCV axes (metres).
	UFUNCTION(BlueprintPure, Category = "VR Perception|Coordinates")
	static FVector UnrealPointToCamera(FVector UnrealCm);

	// Rotation in OpenCV camera axes to Unreal camera axes.
	static FQuat CameraRotationToUnreal(const FQuat& OpenCv);

	// Camera-space transform (cm) to world, given the camera's world
	// transform at capture.
	UFUNCTION(BlueprintPure, Category = "VR Perception|Coordinates")
	static FTransform CameraTransformToWorld(const FTransform& InCamera, const FTransform& CameraToWorld);

	// Normalised image point (origin top-left) to pixels of a viewport or
	// texture of the given size (origin top-left).
	UFUNCTION(BlueprintPure, Category = "VR Perception|Coordinates")
	static FVector2D NormalizedToPixels(FVector2D Normalized, FVector2D SizePixels);
};
