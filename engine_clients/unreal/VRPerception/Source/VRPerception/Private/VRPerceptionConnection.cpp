#include "VRPerceptionConnection.h"

namespace v1 = vrperception::v1;
using vrperception::Status;
using vrperception::StatusCode;

namespace
{
// Streams stopped from the game thread are cancelled at once instead of
// waiting for the server to finish, so the frame does not stall.
constexpr std::chrono::milliseconds kStopGrace{0};

Status NotConnected()
{
	return Status(StatusCode::kFailedPrecondition, "not connected to a vrperception server; call Connect first");
}

template <typename StreamPtr>
void CloseStream(StreamPtr Stream)
{
	if (Stream)
	{
		Stream->Close(kStopGrace);
	}
}
}  // namespace

FVRPerceptionConnection::FVRPerceptionConnection(std::string InEndpoint, vrperception::ClientOptions InOptions)
	: Endpoint(MoveTemp(InEndpoint)), Options(MoveTemp(InOptions))
{
}

FVRPerceptionConnection::~FVRPerceptionConnection()
{
	Shutdown();
}

Status FVRPerceptionConnection::Connect()
{
	vrperception::Client::ConnectResult Connected = vrperception::Client::Connect(Endpoint, Options);
	if (!Connected.status.ok())
	{
		return Connected.status;
	}
	std::lock_guard<std::mutex> Lock(Mutex);
	if (bShutDown)
	{
		// Shutdown() ran while the handshake was in flight, so the new client
		// is dropped here.
		return Status(StatusCode::kCancelled, "the connection was shut down while connecting");
	}
	Client = std::move(Connected.client);
	return Status::Ok();
}

std::shared_ptr<vrperception::Client> FVRPerceptionConnection::GetClient() const
{
	std::lock_guard<std::mutex> Lock(Mutex);
	return Client;
}

Status FVRPerceptionConnection::Reconnect()
{
	std::shared_ptr<vrperception::Client> Current = GetClient();
	if (Current == nullptr)
	{
		// The first Connect never succeeded, so there is no channel yet.
		return Connect();
	}
	return Current->Reconnect();
}

void FVRPerceptionConnection::Shutdown()
{
	std::shared_ptr<vrperception::Client> OldClient;
	std::unique_ptr<vrperception::HandTrackingStream> OldHands;
	std::unique_ptr<vrperception::ObjectTrackingStream> OldObjects;
	std::unique_ptr<vrperception::VoiceCommandStream> OldVoice;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		bShutDown = true;
		OldClient = std::move(Client);
		OldHands = std::move(HandsStream);
		OldObjects = std::move(ObjectsStream);
		OldVoice = std::move(VoiceStream);
	}
	// Closed outside the lock: closing joins reader threads, whose callbacks
	// only post tasks to the game thread and never take this lock.
	CloseStream(std::move(OldHands));
	CloseStream(std::move(OldObjects));
	CloseStream(std::move(OldVoice));
	if (OldClient)
	{
		OldClient->Shutdown();
	}
}

bool FVRPerceptionConnection::IsConnected() const
{
	std::lock_guard<std::mutex> Lock(Mutex);
	return Client != nullptr && !bShutDown;
}

Status FVRPerceptionConnection::DetectHands(const v1::ImageFrame& Frame, const v1::HandsConfig& Config,
	v1::HandsResult* Result, const vrperception::CallOptions& Call)
{
	std::shared_ptr<vrperception::Client> Current = GetClient();
	if (Current == nullptr)
	{
		return NotConnected();
	}
	return Current->DetectHands(Frame, Config, Result, Call);
}

Status FVRPerceptionConnection::DetectObjects(const v1::ImageFrame& Frame, const v1::ObjectsConfig& Config,
	v1::ObjectsResult* Result, const vrperception::CallOptions& Call)
{
	std::shared_ptr<vrperception::Client> Current = GetClient();
	if (Current == nullptr)
	{
		return NotConnected();
	}
	return Current->DetectObjects(Frame, Config, Result, Call);
}

bool FVRPerceptionConnection::StartHands(const v1::HandsConfig& Config, vrperception::HandsCallbacks Callbacks)
{
	std::unique_ptr<vrperception::HandTrackingStream> Old;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		if (Client == nullptr)
		{
			return false;
		}
		Old = std::move(HandsStream);
		HandsStream = Client->TrackHands(Config, std::move(Callbacks));
	}
	CloseStream(std::move(Old));
	return true;
}

void FVRPerceptionConnection::StopHands()
{
	std::unique_ptr<vrperception::HandTrackingStream> Old;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		Old = std::move(HandsStream);
	}
	CloseStream(std::move(Old));
}

bool FVRPerceptionConnection::SendHandFrame(v1::ImageFrame Frame)
{
	std::lock_guard<std::mutex> Lock(Mutex);
	return HandsStream != nullptr && HandsStream->SendFrame(std::move(Frame));
}

bool FVRPerceptionConnection::StartObjects(const v1::ObjectsConfig& Config, vrperception::ObjectsCallbacks Callbacks)
{
	std::unique_ptr<vrperception::ObjectTrackingStream> Old;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		if (Client == nullptr)
		{
			return false;
		}
		Old = std::move(ObjectsStream);
		ObjectsStream = Client->TrackObjects(Config, std::move(Callbacks));
	}
	CloseStream(std::move(Old));
	return true;
}

void FVRPerceptionConnection::StopObjects()
{
	std::unique_ptr<vrperception::ObjectTrackingStream> Old;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		Old = std::move(ObjectsStream);
	}
	CloseStream(std::move(Old));
}

bool FVRPerceptionConnection::SendObjectFrame(v1::ImageFrame Frame)
{
	std::lock_guard<std::mutex> Lock(Mutex);
	return ObjectsStream != nullptr && ObjectsStream->SendFrame(std::move(Frame));
}

bool FVRPerceptionConnection::StartVoice(const v1::RecognizerConfig& Config, vrperception::VoiceCallbacks Callbacks)
{
	std::unique_ptr<vrperception::VoiceCommandStream> Old;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		if (Client == nullptr)
		{
			return false;
		}
		Old = std::move(VoiceStream);
		VoiceStream = Client->RecognizeCommands(Config, std::move(Callbacks));
	}
	CloseStream(std::move(Old));
	return true;
}

void FVRPerceptionConnection::StopVoice()
{
	std::unique_ptr<vrperception::VoiceCommandStream> Old;
	{
		std::lock_guard<std::mutex> Lock(Mutex);
		Old = std::move(VoiceStream);
	}
	CloseStream(std::move(Old));
}

bool FVRPerceptionConnection::SendAudio(std::string Bytes)
{
	std::lock_guard<std::mutex> Lock(Mutex);
	return VoiceStream != nullptr && VoiceStream->SendAudio(std::move(Bytes));
}

bool FVRPerceptionConnection::SendPushToTalk(bool bTalking)
{
	std::lock_guard<std::mutex> Lock(Mutex);
	return VoiceStream != nullptr && VoiceStream->PushToTalk(bTalking);
}
