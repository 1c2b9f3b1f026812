// Project Settings > Plugins > VR Perception.
#pragma once

#include "CoreMinimal.h"
#include "Engine/DeveloperSettings.h"
#include "VRPerceptionSettings.generated.h"

UCLASS(Config = Game, DefaultConfig, meta = (DisplayName = "VR Perception"))
class VRPERCEPTION_API UVRPerceptionSettings : public UDeveloperSettings
{
	GENERATED_BODY()

public:
	UVRPerceptionSettings();

	// Server address as host:port. The server listens on 127.0.0.1:50051
	// unless started with other --host/--port values.
	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	FString Endpoint = TEXT("127.0.0.1:50051");

	// Connect when the game instance starts.
	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	bool bConnectOnStart = true;

	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	bool bUseTls = false;

	// PEM file of the root certificates that sign the server's certificate.
	// Empty uses gRPC's default roots.
	UPROPERTY(Config, EditAnywhere, Category = "Connection", meta = (EditCondition = "bUseTls"))
	FFilePath RootCertificatePath;

	// Total time one connect attempt sequence keeps retrying the handshake.
	UPROPERTY(Config, EditAnywhere, Category = "Connection", meta = (Units = "s", ClampMin = "0.1"))
	float ConnectTimeoutSeconds = 5.f;

	// Deadline of single-image calls (DetectHands, DetectObjects).
	UPROPERTY(Config, EditAnywhere, Category = "Connection", meta = (Units = "s", ClampMin = "0.01"))
	float CallTimeoutSeconds = 2.f;

	// Reconnect with exponential backoff after the server goes away, and
	// restart the streams that were running.
	UPROPERTY(Config, EditAnywhere, Category = "Connection")
	bool bAutoReconnect = true;

	// First delay between reconnect attempts; each later delay doubles up
	// to MaxReconnectBackoffSeconds.
	UPROPERTY(Config, EditAnywhere, Category = "Connection", meta = (Units = "s", ClampMin = "0.01"))
	float InitialReconnectBackoffSeconds = 0.25f;

	UPROPERTY(Config, EditAnywhere, Category = "Connection", meta = (Units = "s", ClampMin = "0.1"))
	float MaxReconnectBackoffSeconds = 8.f;

	// Hands to find, 1 to the server's limit (4 by default).
	UPROPERTY(Config, EditAnywhere, Category = "Hands", meta = (ClampMin = "1", ClampMax = "4"))
	int32 MaxHands = 2;

	UPROPERTY(Config, EditAnywhere, Category = "Hands")
	bool bEnableGestures = true;

	// The faster, less accurate landmark model.
	UPROPERTY(Config, EditAnywhere, Category = "Hands")
	bool bUseLiteHandModel = false;

	virtual FName GetCategoryName() const override { return TEXT("Plugins"); }
};
