#include "VRPerceptionAsyncActions.h"

#include "Async/Async.h"
#include "Engine/GameInstance.h"
#include "Engine/World.h"
#include "VRPerceptionConnection.h"
#include "VRPerceptionConvert.h"
#include "VRPerceptionLibrary.h"
#include "VRPerceptionSettings.h"
#include "VRPerceptionSubsystem.h"

namespace v1 = vrperception::v1;
using vrperception::Status;
using vrperception::StatusCode;

namespace
{
UVRPerceptionSubsystem* FindSubsystem(UObject* WorldContextObject)
{
	UWorld* World = WorldContextObject ? WorldContextObject->GetWorld() : nullptr;
	UGameInstance* GameInstance = World ? World->GetGameInstance() : nullptr;
	return GameInstance ? GameInstance->GetSubsystem<UVRPerceptionSubsystem>() : nullptr;
}

vrperception::CallOptions CallFromSettings()
{
	vrperception::CallOptions Call;
	const float Seconds = GetDefault<UVRPerceptionSettings>()->CallTimeoutSeconds;
	Call.timeout = std::chrono::milliseconds(static_cast<int64>(FMath::Max(Seconds, 0.001f) * 1000.f));
	return Call;
}

const int32 kFailedPrecondition = static_cast<int32>(StatusCode::kFailedPrecondition);
const int32 kInvalidArgument = static_cast<int32>(StatusCode::kInvalidArgument);

// Reads the render target and packs it, or returns the failure to report.
bool PrepareFrame(UObject* WorldContextObject, UTextureRenderTarget2D* RenderTarget, bool bMirrored,
	TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe>* Connection, v1::ImageFrame* Frame, int32* Code,
	FString* Message)
{
	UVRPerceptionSubsystem* Subsystem = FindSubsystem(WorldContextObject);
	*Connection = Subsystem ? Subsystem->GetConnection() : nullptr;
	if (!Connection->IsValid())
	{
		*Code = kFailedPrecondition;
		*Message = TEXT("not connected to a vrperception server; check Project Settings > VR Perception");
		return false;
	}
	FVRPerceptionFrame Pixels;
	if (!UVRPerceptionLibrary::ReadRenderTargetToFrame(RenderTarget, Pixels))
	{
		*Code = kInvalidArgument;
		*Message = TEXT("could not read the render target; it must be an 8-bit RGBA target");
		return false;
	}
	Pixels.bMirrored = bMirrored;
	if (!VRPerceptionConvert::PackFrame(Pixels, (*Connection)->NextFrameId(), Frame, Message))
	{
		*Code = kInvalidArgument;
		return false;
	}
	return true;
}
}  // namespace

UDetectHandsAsyncAction* UDetectHandsAsyncAction::DetectHands(UObject* WorldContextObject,
	UTextureRenderTarget2D* RenderTarget, bool bMirrored)
{
	UDetectHandsAsyncAction* Action = NewObject<UDetectHandsAsyncAction>();
	Action->WorldContext = WorldContextObject;
	Action->Target = RenderTarget;
	Action->bTargetMirrored = bMirrored;
	Action->RegisterWithGameInstance(WorldContextObject);
	return Action;
}

void UDetectHandsAsyncAction::Activate()
{
	TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> Connection;
	v1::ImageFrame Frame;
	int32 Code = 0;
	FString Message;
	if (!PrepareFrame(WorldContext, Target, bTargetMirrored, &Connection, &Frame, &Code, &Message))
	{
		Finish(false, FVRPerceptionHandsResult(), Code, Message);
		return;
	}
	v1::HandsConfig Config;
	Config.set_max_hands(static_cast<uint32>(GetDefault<UVRPerceptionSettings>()->MaxHands));

	TWeakObjectPtr<UDetectHandsAsyncAction> Weak(this);
	Async(EAsyncExecution::ThreadPool, [Weak, Connection, Frame = MoveTemp(Frame), Config]()
	{
		v1::HandsResult Result;
		const Status CallStatus = Connection->DetectHands(Frame, Config, &Result, CallFromSettings());
		FVRPerceptionHandsResult Converted;
		if (CallStatus.ok())
		{
			Converted = VRPerceptionConvert::ToUnreal(Result);
		}
		const int32 ResultCode = static_cast<int32>(CallStatus.code());
		const FString ResultMessage = VRPerceptionConvert::ToFString(CallStatus.message());
		AsyncTask(ENamedThreads::GameThread, [Weak, Converted = MoveTemp(Converted), ResultCode, ResultMessage]()
		{
			if (UDetectHandsAsyncAction* Action = Weak.Get())
			{
				Action->Finish(ResultCode == 0, Converted, ResultCode, ResultMessage);
			}
		});
	});
}

void UDetectHandsAsyncAction::Finish(bool bOk, const FVRPerceptionHandsResult& Result, int32 Code,
	const FString& Message)
{
	if (bOk)
	{
		OnSuccess.Broadcast(Result);
	}
	else
	{
		UE_LOG(LogVRPerception, Warning, TEXT("Detect Hands failed: %s (code %d)"), *Message, Code);
		OnFailure.Broadcast(Code, Message);
	}
	SetReadyToDestroy();
}

UDetectObjectsAsyncAction* UDetectObjectsAsyncAction::DetectObjects(UObject* WorldContextObject,
	UTextureRenderTarget2D* RenderTarget, const TArray<FString>& ClassAllowlist)
{
	UDetectObjectsAsyncAction* Action = NewObject<UDetectObjectsAsyncAction>();
	Action->WorldContext = WorldContextObject;
	Action->Target = RenderTarget;
	Action->Allowlist = ClassAllowlist;
	Action->RegisterWithGameInstance(WorldContextObject);
	return Action;
}

void UDetectObjectsAsyncAction::Activate()
{
	TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> Connection;
	v1::ImageFrame Frame;
	int32 Code = 0;
	FString Message;
	if (!PrepareFrame(WorldContext, Target, false, &Connection, &Frame, &Code, &Message))
	{
		Finish(false, FVRPerceptionObjectsResult(), Code, Message);
		return;
	}
	v1::ObjectsConfig Config;
	for (const FString& Label : Allowlist)
	{
		Config.add_class_allowlist(VRPerceptionConvert::ToStdString(Label));
	}

	TWeakObjectPtr<UDetectObjectsAsyncAction> Weak(this);
	Async(EAsyncExecution::ThreadPool, [Weak, Connection, Frame = MoveTemp(Frame), Config]()
	{
		v1::ObjectsResult Result;
		const Status CallStatus = Connection->DetectObjects(Frame, Config, &Result, CallFromSettings());
		FVRPerceptionObjectsResult Converted;
		if (CallStatus.ok())
		{
			Converted = VRPerceptionConvert::ToUnreal(Result);
		}
		const int32 ResultCode = static_cast<int32>(CallStatus.code());
		const FString ResultMessage = VRPerceptionConvert::ToFString(CallStatus.message());
		AsyncTask(ENamedThreads::GameThread, [Weak, Converted = MoveTemp(Converted), ResultCode, ResultMessage]()
		{
			if (UDetectObjectsAsyncAction* Action = Weak.Get())
			{
				Action->Finish(ResultCode == 0, Converted, ResultCode, ResultMessage);
			}
		});
	});
}

void UDetectObjectsAsyncAction::Finish(bool bOk, const FVRPerceptionObjectsResult& Result, int32 Code,
	const FString& Message)
{
	if (bOk)
	{
		OnSuccess.Broadcast(Result);
	}
	else
	{
		UE_LOG(LogVRPerception, Warning, TEXT("Detect Objects failed: %s (code %d)"), *Message, Code);
		OnFailure.Broadcast(Code, Message);
	}
	SetReadyToDestroy();
}
