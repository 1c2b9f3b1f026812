// Thread-safe owner of one vrperception::Client and its streams.
//
// Shared (TSharedPtr, thread-safe mode) between the subsystem and the
// background tasks that connect or make unary calls, so a task that
// outlives the subsystem still points to a valid object.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>

#include "VRPerceptionCore.h"

class FVRPerceptionConnection : public TSharedFromThis<FVRPerceptionConnection, ESPMode::ThreadSafe>
{
public:
	FVRPerceptionConnection(std::string InEndpoint, vrperception::ClientOptions InOptions);
	~FVRPerceptionConnection();

	// Blocking: runs the handshake with backoff. Call from a pool thread.
	vrperception::Status Connect();
	// Blocking: repeats the handshake after the server came back.
	vrperception::Status Reconnect();
	// Closes every stream and the client and joins their threads.
	void Shutdown();
	bool IsConnected() const;

	vrperception::Status DetectHands(const vrperception::v1::ImageFrame& Frame,
		const vrperception::v1::HandsConfig& Config, vrperception::v1::HandsResult* Result,
		const vrperception::CallOptions& Call);
	vrperception::Status DetectObjects(const vrperception::v1::ImageFrame& Frame,
		const vrperception::v1::ObjectsConfig& Config, vrperception::v1::ObjectsResult* Result,
		const vrperception::CallOptions& Call);

	// Each Start replaces a running stream of the same kind.
	bool StartHands(const vrperception::v1::HandsConfig& Config, vrperception::HandsCallbacks Callbacks);
	void StopHands();
	bool SendHandFrame(vrperception::v1::ImageFrame Frame);

	bool StartObjects(const vrperception::v1::ObjectsConfig& Config, vrperception::ObjectsCallbacks Callbacks);
	void StopObjects();
	bool SendObjectFrame(vrperception::v1::ImageFrame Frame);

	bool StartVoice(const vrperception::v1::RecognizerConfig& Config, vrperception::VoiceCallbacks Callbacks);
	void StopVoice();
	bool SendAudio(std::string Bytes);
	bool SendPushToTalk(bool bTalking);

	// Frame ids for frames that did not set one: 1, 2, 3, ...
	uint64 NextFrameId() { return FrameCounter.fetch_add(1) + 1; }

	const vrperception::ClientOptions& GetOptions() const { return Options; }

private:
	std::shared_ptr<vrperception::Client> GetClient() const;

	const std::string Endpoint;
	const vrperception::ClientOptions Options;

	mutable std::mutex Mutex;
	// Shared so that a unary call or reconnect in progress keeps the client
	// alive without holding Mutex for the whole call.
	std::shared_ptr<vrperception::Client> Client;
	std::unique_ptr<vrperception::HandTrackingStream> HandsStream;
	std::unique_ptr<vrperception::ObjectTrackingStream> ObjectsStream;
	std::unique_ptr<vrperception::VoiceCommandStream> VoiceStream;
	bool bShutDown = false;
	std::atomic<uint64> FrameCounter{0};
};
