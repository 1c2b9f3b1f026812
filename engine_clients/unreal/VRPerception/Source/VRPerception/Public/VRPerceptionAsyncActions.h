// Blueprint async nodes for single-image calls: "Detect Hands" and
// "Detect Objects" read a render target on the game thread, call the server
// on a pool thread, and fire OnSuccess or OnFailure on the game thread.
#pragma once

#include "CoreMinimal.h"
#include "Kismet/BlueprintAsyncActionBase.h"
#include "VRPerceptionTypes.h"
#include "VRPerceptionAsyncActions.generated.h"

class UTextureRenderTarget2D;

DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVRPerceptionDetectHandsSucceeded, const FVRPerceptionHandsResult&, Result);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVRPerceptionDetectObjectsSucceeded, const FVRPerceptionObjectsResult&,
	Result);
// StatusCode is the gRPC code: 4 DEADLINE_EXCEEDED, 9 FAILED_PRECONDITION
// (not connected), 14 UNAVAILABLE, 3 INVALID_ARGUMENT (bad frame).
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FVRPerceptionDetectFailed, int32, StatusCode, const FString&, Message);

UCLASS()
class VRPERCEPTION_API UDetectHandsAsyncAction : public UBlueprintAsyncActionBase
{
	GENERATED_BODY()

public:
	UFUNCTION(BlueprintCallable, Category = "VR Perception",
		meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Detect Hands"))
	static UDetectHandsAsyncAction* DetectHands(UObject* WorldContextObject, UTextureRenderTarget2D* RenderTarget,
		bool bMirrored);

	UPROPERTY(BlueprintAssignable)
	FVRPerceptionDetectHandsSucceeded OnSuccess;

	UPROPERTY(BlueprintAssignable)
	FVRPerceptionDetectFailed OnFailure;

	virtual void Activate() override;

private:
	void Finish(bool bOk, const FVRPerceptionHandsResult& Result, int32 Code, const FString& Message);

	UPROPERTY()
	TObjectPtr<UObject> WorldContext;

	UPROPERTY()
	TObjectPtr<UTextureRenderTarget2D> Target;

	bool bTargetMirrored = false;
};

UCLASS()
class VRPERCEPTION_API UDetectObjectsAsyncAction : public UBlueprintAsyncActionBase
{
	GENERATED_BODY()

public:
	// An empty allowlist reports every class.
	UFUNCTION(BlueprintCallable, Category = "VR Perception",
		meta = (BlueprintInternalUseOnly = "true", WorldContext = "WorldContextObject", DisplayName = "Detect Objects"))
	static UDetectObjectsAsyncAction* DetectObjects(UObject* WorldContextObject, UTextureRenderTarget2D* RenderTarget,
		const TArray<FString>& ClassAllowlist);

	UPROPERTY(BlueprintAssignable)
	FVRPerceptionDetectObjectsSucceeded OnSuccess;

	UPROPERTY(BlueprintAssignable)
	FVRPerceptionDetectFailed OnFailure;

	virtual void Activate() override;

private:
	void Finish(bool bOk, const FVRPerceptionObjectsResult& Result, int32 Code, const FString& Message);

	UPROPERTY()
	TObjectPtr<UObject> WorldContext;

	UPROPERTY()
	TObjectPtr<UTextureRenderTarget2D> Target;

	TArray<FString> Allowlist;
};
