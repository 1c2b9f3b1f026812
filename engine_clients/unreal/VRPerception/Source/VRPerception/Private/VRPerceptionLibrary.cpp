#include "VRPerceptionLibrary.h"

#include "Engine/TextureRenderTarget2D.h"
#include "TextureResource.h"
#include "VRPerceptionCore.h"

namespace coords = vrperception::coords;

bool UVRPerceptionLibrary::ReadRenderTargetToFrame(UTextureRenderTarget2D* RenderTarget, FVRPerceptionFrame& Frame)
{
	if (RenderTarget == nullptr)
	{
		UE_LOG(LogVRPerception, Warning, TEXT("ReadRenderTargetToFrame: the render target is null"));
		return false;
	}
	const EPixelFormat Format = RenderTarget->GetFormat();
	if (Format != PF_B8G8R8A8 && Format != PF_R8G8B8A8)
	{
		UE_LOG(LogVRPerception, Warning,
			TEXT("ReadRenderTargetToFrame: %s has pixel format %s; use RTF_RGBA8 (8 bits per channel)"),
			*RenderTarget->GetName(), GetPixelFormatString(Format));
		return false;
	}
	FTextureRenderTargetResource* Resource = RenderTarget->GameThread_GetRenderTargetResource();
	if (Resource == nullptr)
	{
		UE_LOG(LogVRPerception, Warning, TEXT("ReadRenderTargetToFrame: %s has no resource yet"),
			*RenderTarget->GetName());
		return false;
	}

	// ReadPixels converts to FColor, whose memory order is B G R A, rows
	// top-down and tightly packed.
	TArray<FColor> Pixels;
	if (!Resource->ReadPixels(Pixels))
	{
		UE_LOG(LogVRPerception, Warning, TEXT("ReadRenderTargetToFrame: ReadPixels failed on %s"),
			*RenderTarget->GetName());
		return false;
	}
	Frame.Width = RenderTarget->SizeX;
	Frame.Height = RenderTarget->SizeY;
	Frame.Bgra.SetNumUninitialized(Pixels.Num() * sizeof(FColor));
	FMemory::Memcpy(Frame.Bgra.GetData(), Pixels.GetData(), Frame.Bgra.Num());
	return true;
}

FVector UVRPerceptionLibrary::CameraPointToUnreal(FVector OpenCvMetres)
{
	const coords::Vec3 Out = coords::OpenCvToUnrealCm(coords::Vec3{OpenCvMetres.X, OpenCvMetres.Y, OpenCvMetres.Z});
	return FVector(Out.x, Out.y, Out.z);
}

FVector UVRPerceptionLibrary::UnrealPointToCamera(FVector UnrealCm)
{
	const coords::Vec3 Out = coords::UnrealCmToOpenCv(coords::Vec3{UnrealCm.X, UnrealCm.Y, UnrealCm.Z});
	return FVector(Out.x, Out.y, Out.z);
}

FQuat UVRPerceptionLibrary::CameraRotationToUnreal(const FQuat& OpenCv)
{
	const coords::Quat Out = coords::OpenCvToUnreal(coords::Quat{OpenCv.X, OpenCv.Y, OpenCv.Z, OpenCv.W});
	return FQuat(Out.x, Out.y, Out.z, Out.w);
}

FTransform UVRPerceptionLibrary::CameraTransformToWorld(const FTransform& InCamera, const FTransform& CameraToWorld)
{
	// Unreal composes A * B as "A, then B".
	return InCamera * CameraToWorld;
}

FVector2D UVRPerceptionLibrary::NormalizedToPixels(FVector2D Normalized, FVector2D SizePixels)
{
	const coords::Vec2 Out = coords::NormalizedToUnrealPixels(coords::Vec2{Normalized.X, Normalized.Y}, SizePixels.X, SizePixels.Y);
	return FVector2D(Out.x, Out.y);
}
