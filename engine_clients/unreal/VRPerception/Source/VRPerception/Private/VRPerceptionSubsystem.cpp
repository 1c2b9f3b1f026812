#include "VRPerceptionSubsystem.h"

#include "Async/Async.h"
#include "Containers/Ticker.h"
#include "VRPerceptionConnection.h"
#include "VRPerceptionConvert.h"
#include "VRPerceptionLibrary.h"
#include "VRPerceptionSettings.h"

namespace v1 = vrperception::v1;
using vrperception::Status;
using vrperception::StatusCode;

namespace
{
std::chrono::milliseconds SecondsToMs(float Seconds)
{
	return std::chrono::milliseconds(static_cast<int64>(FMath::Max(Seconds, 0.f) * 1000.f));
}

vrperception::ClientOptions OptionsFromSettings(const UVRPerceptionSettings& Settings)
{
	vrperception::ClientOptions Options;
	Options.connect_timeout = SecondsToMs(Settings.ConnectTimeoutSeconds);
	Options.default_call_timeout = SecondsToMs(Settings.CallTimeoutSeconds);
	Options.backoff.initial_backoff = SecondsToMs(Settings.InitialReconnectBackoffSeconds);
	Options.backoff.max_backoff = SecondsToMs(Settings.MaxReconnectBackoffSeconds);
	Options.use_tls = Settings.bUseTls;
	Options.root_cert_pem_path = VRPerceptionConvert::ToStdString(Settings.RootCertificatePath.FilePath);
	Options.client_name = "vrperception-unreal";
	Options.log = [](vrperception::LogLevel Level, const std::string& Line)
	{
		const FString Text = VRPerceptionConvert::ToFString(Line);
		if (Level == vrperception::LogLevel::kError)
		{
			UE_LOG(LogVRPerception, Error, TEXT("%s"), *Text);
		}
		else if (Level == vrperception::LogLevel::kWarning)
		{
			UE_LOG(LogVRPerception, Warning, TEXT("%s"), *Text);
		}
		else
		{
			UE_LOG(LogVRPerception, Log, TEXT("%s"), *Text);
		}
	};
	return Options;
}

v1::HandsConfig HandsConfigFromSettings(const UVRPerceptionSettings& Settings)
{
	v1::HandsConfig Config;
	Config.set_max_hands(static_cast<uint32>(FMath::Max(Settings.MaxHands, 1)));
	Config.set_disable_gestures(!Settings.bEnableGestures);
	Config.set_model_complexity(Settings.bUseLiteHandModel ? v1::MODEL_COMPLEXITY_LITE : v1::MODEL_COMPLEXITY_FULL);
	return Config;
}

// Runs Work on the game thread if the subsystem still exists then.
void OnGameThread(TWeakObjectPtr<UVRPerceptionSubsystem> Weak, TFunction<void(UVRPerceptionSubsystem&)> Work)
{
	AsyncTask(ENamedThreads::GameThread, [Weak, Work = MoveTemp(Work)]()
	{
		if (UVRPerceptionSubsystem* Subsystem = Weak.Get())
		{
			Work(*Subsystem);
		}
	});
}

// Stream error callback that reports on the game thread.
std::function<void(const Status&)> ErrorCallback(TWeakObjectPtr<UVRPerceptionSubsystem> Weak, const TCHAR* Source)
{
	const FString SourceName(Source);
	return [Weak, SourceName](const Status& Error)
	{
		const int32 Code = static_cast<int32>(Error.code());
		const FString Message = VRPerceptionConvert::ToFString(Error.message());
		OnGameThread(Weak, [SourceName, Code, Message](UVRPerceptionSubsystem& Subsystem)
		{
			Subsystem.HandleStreamError(SourceName, Code, Message);
		});
	};
}
}  // namespace

void UVRPerceptionSubsystem::Initialize(FSubsystemCollectionBase& Collection)
{
	Super::Initialize(Collection);
	if (GetDefault<UVRPerceptionSettings>()->bConnectOnStart)
	{
		Connect();
	}
}

void UVRPerceptionSubsystem::Deinitialize()
{
	bHandsRequested = bObjectsRequested = bVoiceRequested = false;
	if (ReconnectTicker.IsValid())
	{
		FTSTicker::GetCoreTicker().RemoveTicker(ReconnectTicker);
		ReconnectTicker.Reset();
	}
	if (Connection.IsValid())
	{
		// Joins every stream thread. A connect still running on a pool thread
		// keeps its own reference and finds the connection shut down.
		Connection->Shutdown();
		Connection.Reset();
	}
	Super::Deinitialize();
}

TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> UVRPerceptionSubsystem::GetConnection() const
{
	return Connection.IsValid() && Connection->IsConnected() ? Connection : nullptr;
}

bool UVRPerceptionSubsystem::IsConnected() const
{
	return Connection.IsValid() && Connection->IsConnected();
}

void UVRPerceptionSubsystem::Connect()
{
	if (Connection.IsValid())
	{
		return;  // connected or connecting
	}
	const UVRPerceptionSettings& Settings = *GetDefault<UVRPerceptionSettings>();
	Connection = MakeShared<FVRPerceptionConnection, ESPMode::ThreadSafe>(
		VRPerceptionConvert::ToStdString(Settings.Endpoint), OptionsFromSettings(Settings));
	UE_LOG(LogVRPerception, Log, TEXT("connecting to %s"), *Settings.Endpoint);

	TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> Pending = Connection;
	TWeakObjectPtr<UVRPerceptionSubsystem> Weak(this);
	Async(EAsyncExecution::ThreadPool, [Pending, Weak]()
	{
		const Status Result = Pending->Connect();
		const int32 Code = static_cast<int32>(Result.code());
		const FString Message = VRPerceptionConvert::ToFString(Result.message());
		OnGameThread(Weak, [Pending, Code, Message](UVRPerceptionSubsystem& Subsystem)
		{
			// Ignore the outcome when Disconnect() replaced the connection since.
			if (Subsystem.Connection == Pending)
			{
				Subsystem.HandleConnected(Code == 0, Code, Message);
			}
		});
	});
}

void UVRPerceptionSubsystem::Disconnect()
{
	bHandsRequested = bObjectsRequested = bVoiceRequested = false;
	if (Connection.IsValid())
	{
		Connection->Shutdown();
		Connection.Reset();
		OnConnectionChanged.Broadcast(false, TEXT("disconnected by the game"));
	}
}

void UVRPerceptionSubsystem::HandleConnected(bool bOk, int32 Code, const FString& Message)
{
	bReconnectScheduled = false;
	if (bOk)
	{
		ReconnectAttempt = 0;
		UE_LOG(LogVRPerception, Log, TEXT("connected"));
		OnConnectionChanged.Broadcast(true, TEXT("connected"));
		RestartRequestedStreams();
		return;
	}
	UE_LOG(LogVRPerception, Error, TEXT("connect failed: %s"), *Message);
	OnError.Broadcast(TEXT("Connect"), Code, Message);
	OnConnectionChanged.Broadcast(false, Message);
	const bool bRetryable = Code == static_cast<int32>(StatusCode::kUnavailable) ||
		Code == static_cast<int32>(StatusCode::kDeadlineExceeded);
	if (bRetryable && GetDefault<UVRPerceptionSettings>()->bAutoReconnect)
	{
		ScheduleReconnect();
	}
	else if (Connection.IsValid() && !Connection->IsConnected())
	{
		Connection.Reset();  // a later Connect() starts afresh
	}
}

void UVRPerceptionSubsystem::HandleStreamError(const FString& Source, int32 Code, const FString& Message)
{
	UE_LOG(LogVRPerception, Warning, TEXT("%s ended: %s (code %d)"), *Source, *Message, Code);
	OnError.Broadcast(Source, Code, Message);
	if (Code == static_cast<int32>(StatusCode::kUnavailable) && GetDefault<UVRPerceptionSettings>()->bAutoReconnect)
	{
		ScheduleReconnect();
	}
}

void UVRPerceptionSubsystem::ScheduleReconnect()
{
	if (bReconnectScheduled || !Connection.IsValid())
	{
		return;
	}
	bReconnectScheduled = true;
	const std::chrono::milliseconds Delay =
		vrperception::BackoffDelay(Connection->GetOptions().backoff, ReconnectAttempt++, FMath::FRand());
	UE_LOG(LogVRPerception, Warning, TEXT("reconnecting in %lld ms (attempt %u)"),
		static_cast<long long>(Delay.count()), ReconnectAttempt);

	TWeakObjectPtr<UVRPerceptionSubsystem> Weak(this);
	ReconnectTicker = FTSTicker::GetCoreTicker().AddTicker(FTickerDelegate::CreateLambda([Weak](float)
	{
		UVRPerceptionSubsystem* Subsystem = Weak.Get();
		if (Subsystem == nullptr || !Subsystem->Connection.IsValid())
		{
			return false;
		}
		Subsystem->ReconnectTicker.Reset();
		TSharedPtr<FVRPerceptionConnection, ESPMode::ThreadSafe> Pending = Subsystem->Connection;
		Async(EAsyncExecution::ThreadPool, [Pending, Weak]()
		{
			const Status Result = Pending->Reconnect();
			const int32 Code = static_cast<int32>(Result.code());
			const FString Message = VRPerceptionConvert::ToFString(Result.message());
			OnGameThread(Weak, [Code, Message](UVRPerceptionSubsystem& Target)
			{
				Target.HandleConnected(Code == 0, Code, Message);
			});
		});
		return false;  // one shot
	}), static_cast<float>(Delay.count()) / 1000.f);
}

void UVRPerceptionSubsystem::RestartRequestedStreams()
{
	if (bHandsRequested)
	{
		StartHandTracking();
	}
	if (bObjectsRequested)
	{
		StartObjectTracking(ObjectAllowlist, ObjectScoreThreshold);
	}
	if (bVoiceRequested)
	{
		StartVoiceCommands(VoiceConfig);
	}
}

void UVRPerceptionSubsystem::StartHandTracking()
{
	bHandsRequested = true;
	if (!IsConnected())
	{
		return;  // started when the connection comes up
	}
	TWeakObjectPtr<UVRPerceptionSubsystem> Weak(this);
	vrperception::HandsCallbacks Callbacks;
	Callbacks.on_result = [Weak](const v1::HandsResult& Result)
	{
		// Converted on the stream's thread; the game thread only broadcasts.
		FVRPerceptionHandsResult Converted = VRPerceptionConvert::ToUnreal(Result);
		OnGameThread(Weak, [Converted = MoveTemp(Converted)](UVRPerceptionSubsystem& Subsystem)
		{
			Subsystem.OnHandsUpdated.Broadcast(Converted);
			for (const FVRPerceptionHandEvent& Event : Converted.Events)
			{
				Subsystem.OnHandEvent.Broadcast(Event);
			}
		});
	};
	Callbacks.on_error = ErrorCallback(Weak, TEXT("TrackHands"));
	Connection->StartHands(HandsConfigFromSettings(*GetDefault<UVRPerceptionSettings>()), MoveTemp(Callbacks));
}

void UVRPerceptionSubsystem::StopHandTracking()
{
	bHandsRequested = false;
	if (Connection.IsValid())
	{
		Connection->StopHands();
	}
}

bool UVRPerceptionSubsystem::SubmitHandFrame(const FVRPerceptionFrame& Frame)
{
	if (!IsConnected())
	{
		return false;
	}
	v1::ImageFrame Packed;
	FString Error;
	const uint64 FrameId = Frame.FrameId > 0 ? static_cast<uint64>(Frame.FrameId) : Connection->NextFrameId();
	if (!VRPerceptionConvert::PackFrame(Frame, FrameId, &Packed, &Error))
	{
		UE_LOG(LogVRPerception, Warning, TEXT("SubmitHandFrame: %s"), *Error);
		return false;
	}
	return Connection->SendHandFrame(MoveTemp(Packed));
}

bool UVRPerceptionSubsystem::SubmitHandRenderTarget(UTextureRenderTarget2D* RenderTarget, bool bMirrored)
{
	FVRPerceptionFrame Frame;
	if (!UVRPerceptionLibrary::ReadRenderTargetToFrame(RenderTarget, Frame))
	{
		return false;
	}
	Frame.bMirrored = bMirrored;
	return SubmitHandFrame(Frame);
}

void UVRPerceptionSubsystem::StartObjectTracking(const TArray<FString>& ClassAllowlist, float ScoreThreshold)
{
	bObjectsRequested = true;
	ObjectAllowlist = ClassAllowlist;
	ObjectScoreThreshold = ScoreThreshold;
	if (!IsConnected())
	{
		return;
	}
	v1::ObjectsConfig Config;
	for (const FString& Label : ClassAllowlist)
	{
		Config.add_class_allowlist(VRPerceptionConvert::ToStdString(Label));
	}
	Config.set_score_threshold(ScoreThreshold);

	TWeakObjectPtr<UVRPerceptionSubsystem> Weak(this);
	vrperception::ObjectsCallbacks Callbacks;
	Callbacks.on_result = [Weak](const v1::ObjectsResult& Result)
	{
		FVRPerceptionObjectsResult Converted = VRPerceptionConvert::ToUnreal(Result);
		OnGameThread(Weak, [Converted = MoveTemp(Converted)](UVRPerceptionSubsystem& Subsystem)
		{
			Subsystem.OnObjectsUpdated.Broadcast(Converted);
		});
	};
	Callbacks.on_error = ErrorCallback(Weak, TEXT("TrackObjects"));
	Connection->StartObjects(Config, MoveTemp(Callbacks));
}

void UVRPerceptionSubsystem::StopObjectTracking()
{
	bObjectsRequested = false;
	if (Connection.IsValid())
	{
		Connection->StopObjects();
	}
}

bool UVRPerceptionSubsystem::SubmitObjectFrame(const FVRPerceptionFrame& Frame)
{
	if (!IsConnected())
	{
		return false;
	}
	v1::ImageFrame Packed;
	FString Error;
	const uint64 FrameId = Frame.FrameId > 0 ? static_cast<uint64>(Frame.FrameId) : Connection->NextFrameId();
	if (!VRPerceptionConvert::PackFrame(Frame, FrameId, &Packed, &Error))
	{
		UE_LOG(LogVRPerception, Warning, TEXT("SubmitObjectFrame: %s"), *Error);
		return false;
	}
	return Connection->SendObjectFrame(MoveTemp(Packed));
}

void UVRPerceptionSubsystem::StartVoiceCommands(const FVRPerceptionVoiceConfig& Config)
{
	bVoiceRequested = true;
	VoiceConfig = Config;
	if (!IsConnected())
	{
		return;
	}
	v1::RecognizerConfig Recognizer;
	Recognizer.mutable_audio()->set_sample_rate_hz(static_cast<uint32>(Config.SampleRateHz));
	Recognizer.mutable_audio()->set_channels(static_cast<uint32>(Config.Channels));
	Recognizer.mutable_audio()->set_encoding(v1::AUDIO_ENCODING_FLOAT32LE);
	Recognizer.set_engine(Config.bGrammarEngine ? v1::RECOGNIZER_ENGINE_GRAMMAR : v1::RECOGNIZER_ENGINE_WHISPER);
	for (const FVRPerceptionCommand& Command : Config.Commands)
	{
		v1::CommandDefinition* Definition = Recognizer.mutable_vocabulary()->add_commands();
		Definition->set_id(VRPerceptionConvert::ToStdString(Command.Id));
		for (const FString& Phrase : Command.Phrases)
		{
			Definition->add_phrases(VRPerceptionConvert::ToStdString(Phrase));
		}
	}
	for (const FVRPerceptionSlotType& Slot : Config.SlotTypes)
	{
		v1::SlotType* Type = Recognizer.mutable_vocabulary()->add_slot_types();
		Type->set_name(VRPerceptionConvert::ToStdString(Slot.Name));
		for (const FString& Value : Slot.Values)
		{
			Type->add_values(VRPerceptionConvert::ToStdString(Value));
		}
	}

	TWeakObjectPtr<UVRPerceptionSubsystem> Weak(this);
	vrperception::VoiceCallbacks Callbacks;
	Callbacks.on_result = [Weak](const v1::RecognizeCommandsResponse& Response)
	{
		if (!Response.has_result())
		{
			return;  // interim hypotheses and speech start/end marks
		}
		FVRPerceptionVoiceCommand Converted = VRPerceptionConvert::ToUnreal(Response.result());
		OnGameThread(Weak, [Converted = MoveTemp(Converted)](UVRPerceptionSubsystem& Subsystem)
		{
			Subsystem.OnVoiceCommand.Broadcast(Converted);
		});
	};
	Callbacks.on_error = ErrorCallback(Weak, TEXT("RecognizeCommands"));
	Connection->StartVoice(Recognizer, MoveTemp(Callbacks));
}

void UVRPerceptionSubsystem::StopVoiceCommands()
{
	bVoiceRequested = false;
	if (Connection.IsValid())
	{
		Connection->StopVoice();
	}
}

bool UVRPerceptionSubsystem::SubmitAudio(const TArray<float>& Samples)
{
	if (!IsConnected() || Samples.Num() == 0)
	{
		return false;
	}
	// FLOAT32LE: every platform the plugin lists is little-endian, so the
	// samples' memory is already the wire format.
	std::string Bytes(reinterpret_cast<const char*>(Samples.GetData()), Samples.Num() * sizeof(float));
	return Connection->SendAudio(MoveTemp(Bytes));
}

bool UVRPerceptionSubsystem::SetPushToTalk(bool bTalking)
{
	return IsConnected() && Connection->SendPushToTalk(bTalking);
}
