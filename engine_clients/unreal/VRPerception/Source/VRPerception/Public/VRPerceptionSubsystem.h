// Game-instance subsystem that owns the connection to a vrperception server.
//
// All network work runs on the C++ core's threads or the task-graph thread
// pool. Results are converted there and broadcast on the game thread, so
// delegate handlers may touch actors and widgets. Stopping the game
// (Deinitialize) closes every stream and joins its threads.
#pragma once

#include "CoreMinimal.h"
#include "Containers/Ticker.h"
#include "Subsystems/GameInstanceSubsystem.h"
#include "VRPerceptionTypes.h"
#include "VRPerceptionSubsystem.generated.h"

class FVRPerceptionConnection;
class UTextureRenderTarget2D;

DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVRPerceptionHandsDelegate, const FVRPerceptionHandsResult&, Result);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVRPerceptionHandEventDelegate, const FVRPerceptionHandEvent&, Event);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVRPerceptionObjectsDelegate, const FVRPerceptionObjectsResult&, Result);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_OneParam(FVRPerceptionCommandDelegate, const FVRPerceptionVoiceCommand&, Command);
// Source is "Connect", "TrackHands", "TrackObjects" or "RecognizeCommands";
// StatusCode is the gRPC code (4 DEADLINE_EXCEEDED, 14 UNAVAILABLE, ...).
DECLARE_DYNAMIC_MULTICAST_DELEGATE_ThreeParams(FVRPerceptionErrorDelegate, const FString&, Source, int32, StatusCode,
	const FString&, Message);
DECLARE_DYNAMIC_MULTICAST_DELEGATE_TwoParams(FVRPerceptionConnectionDelegate, bool, bConnected, const FString&, Message);

UCLASS()
class VRPERCEPTION_API UVRPerceptionSubsystem : public UGameInstanceSubsystem
{
	GENERATED_BODY()

public:
	virtual void Initialize(FSubsystemCollectionBase& Collection) override;
	virtual void Deinitialize() override;

	// Connects with the Project Settings values, in the background.
	// OnConnectionChanged reports the outcome.
	UFUNCTION(BlueprintCallable, Category = "VR Perception")
	void Connect();

	// Closes all streams and the connection.
	UFUNCTION(BlueprintCallable, Category = "VR Perception")
	void Disconnect();

	UFUNCTION(BlueprintPure, Category = "VR Perception")
	bool IsConnected() const;

	// Hand tracking: start once, then submit frames as they are captured.
	// A frame submitted before the previous one was sent replaces it.
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Hands")
	void StartHandTracking();

	UFUNCTION(BlueprintCallable, Category = "VR Perception|Hands")
	void StopHandTracking();

	// Returns false when hand tracking is not running or the frame is
	// malformed (logged).
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Hands")
	bool SubmitHandFrame(const FVRPerceptionFrame& Frame);

	// Reads the render target (game thread, see ReadRenderTargetToFrame) and
	// submits it.
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Hands")
	bool SubmitHandRenderTarget(UTextureRenderTarget2D* RenderTarget, bool bMirrored);

	// Object and marker tracking. An empty allowlist reports every class;
	// ScoreThreshold 0 uses the model's default.
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Objects")
	void StartObjectTracking(const TArray<FString>& ClassAllowlist, float ScoreThreshold);

	UFUNCTION(BlueprintCallable, Category = "VR Perception|Objects")
	void StopObjectTracking();

	UFUNCTION(BlueprintCallable, Category = "VR Perception|Objects")
	bool SubmitObjectFrame(const FVRPerceptionFrame& Frame);

	// Voice commands over a stream of float samples in [-1, 1].
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Voice")
	void StartVoiceCommands(const FVRPerceptionVoiceConfig& Config);

	UFUNCTION(BlueprintCallable, Category = "VR Perception|Voice")
	void StopVoiceCommands();

	// Interleaved float samples in the configured rate and channel count,
	// 10 ms to 1 s per call.
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Voice")
	bool SubmitAudio(const TArray<float>& Samples);

	// The talk button: while held, silence does not end the utterance.
	UFUNCTION(BlueprintCallable, Category = "VR Perception|Voice")
	bool SetPushToTalk(bool bTalking);

	UPROPERTY(BlueprintAssignable, Category = "VR Perception|Hands")
	FVRPerceptionHandsDelegate OnHandsUpdated;

	// Hand found/lost, gesture began/ended, pinch started/ended.
	UPROPERTY(BlueprintAssignable, Category = "VR Perception|Hands")
	FVRPerceptionHandEventDelegate OnHandEvent;

	UPROPERTY(BlueprintAssignable, Category = "VR Perception|Objects")
	FVRPerceptionObjectsDelegate OnObjectsUpdated;

	UPROPERTY(BlueprintAssignable, Category = "VR Perception|Voice")
	FVRPerceptionCommandDelegate OnVoiceCommand;

	UPROPERTY(BlueprintAssignable, Category = "VR Perception")
	FVRPerceptionErrorDelegate OnError;

	UPROPERTY(BlueprintAssignable, Category = "VR Perception")
	FVRPerceptionConnectionDelegate OnConnectionChanged;

	// The connection for C++ callers such as the async actions; null
	// before Connect succeeded.
	TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> GetConnection() const;

	// Reports a stream that ended with an error (game thread) and schedules
	// a reconnect for UNAVAILABLE. Called by the stream callbacks.
	void HandleStreamError(const FString& Source, int32 Code, const FString& Message);

private:
	void HandleConnected(bool bOk, int32 Code, const FString& Message);
	void ScheduleReconnect();
	void RestartRequestedStreams();

	TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> Connection;

	// Streams the game started, restarted after a reconnect.
	bool bHandsRequested = false;
	bool bObjectsRequested = false;
	bool bVoiceRequested = false;
	TArray<FString> ObjectAllowlist;
	float ObjectScoreThreshold = 0.f;
	FVRPerceptionVoiceConfig VoiceConfig;

	bool bReconnectScheduled = false;
	uint32 ReconnectAttempt = 0;
	FTSTicker::FDelegateHandle ReconnectTicker;
};
