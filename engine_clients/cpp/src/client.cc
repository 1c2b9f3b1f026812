#include "vrperception/client.h"

#include <grpcpp/grpcpp.h>

#include <cstdio>
#include <mutex>
#include <random>
#include <thread>
#include <vector>

#include "internal.h"
#include "stream_core.h"
#include "vrperception/frames.h"
#include "vrperception/v1/hands.grpc.pb.h"
#include "vrperception/v1/handshake.grpc.pb.h"
#include "vrperception/v1/objects.grpc.pb.h"
#include "vrperception/v1/voice.grpc.pb.h"

namespace vrperception {
namespace {

using Clock = std::chrono::steady_clock;

// Shutdown() gives open streams no grace, because a stopping game must not
// wait for the server.
constexpr std::chrono::milliseconds kShutdownGrace{0};

struct Stubs {
  std::shared_ptr<grpc::Channel> channel;
  std::unique_ptr<v1::HandshakeService::Stub> handshake;
  std::unique_ptr<v1::HandTracking::Stub> hands;
  std::unique_ptr<v1::ObjectRecognition::Stub> objects;
  std::unique_ptr<v1::VoiceCommands::Stub> voice;
};

bool IsRetryable(StatusCode code) {
  return code == StatusCode::kUnavailable || code == StatusCode::kDeadlineExceeded;
}

std::shared_ptr<grpc::ChannelCredentials> MakeCredentials(const ClientOptions& options,
                                                          Status* status) {
  if (!options.use_tls) return grpc::InsecureChannelCredentials();
  grpc::SslCredentialsOptions ssl;
  if (!options.root_cert_pem_path.empty()) {
    Status read = ReadFileBytes(options.root_cert_pem_path, &ssl.pem_root_certs);
    if (!read.ok()) {
      *status = Status(StatusCode::kInvalidArgument,
                       "root_cert_pem_path: " + read.message() +
                           "; set it to a PEM file or leave it empty for the "
                           "default roots");
      return nullptr;
    }
  }
  return grpc::SslCredentials(ssl);
}

std::shared_ptr<grpc::Channel> MakeChannel(const std::string& endpoint,
                                           const ClientOptions& options,
                                           Status* status) {
  auto credentials = MakeCredentials(options, status);
  if (!credentials) return nullptr;
  grpc::ChannelArguments args;
  args.SetMaxReceiveMessageSize(options.max_receive_message_bytes);
  args.SetMaxSendMessageSize(options.max_send_message_bytes);
  args.SetInt(GRPC_ARG_INITIAL_RECONNECT_BACKOFF_MS,
              static_cast<int>(options.backoff.initial_backoff.count()));
  args.SetInt(GRPC_ARG_MAX_RECONNECT_BACKOFF_MS,
              static_cast<int>(options.backoff.max_backoff.count()));
  args.SetString(GRPC_ARG_PRIMARY_USER_AGENT_STRING,
                 options.client_name + "/" + options.client_version);
  return grpc::CreateCustomChannel(endpoint, credentials, args);
}

void SetDeadline(grpc::ClientContext* context, const CallOptions& call,
                 std::chrono::milliseconds default_timeout) {
  const auto timeout = call.timeout.count() > 0 ? call.timeout : default_timeout;
  context->set_deadline(std::chrono::system_clock::now() + timeout);
  context->set_wait_for_ready(call.wait_for_ready);
}

}  // namespace

bool ParseSemanticVersion(const std::string& text, uint32_t* major, uint32_t* minor,
                          uint32_t* patch) {
  uint32_t parts[3] = {0, 0, 0};
  size_t pos = 0;
  for (int i = 0; i < 3; ++i) {
    if (pos >= text.size() || text[pos] < '0' || text[pos] > '9') return false;
    uint64_t value = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      value = value * 10 + static_cast<uint64_t>(text[pos] - '0');
      if (value > 0xFFFFFFFFull) return false;
      ++pos;
    }
    parts[i] = static_cast<uint32_t>(value);
    if (i < 2) {
      if (pos >= text.size() || text[pos] != '.') return false;
      ++pos;
    }
  }
  if (pos < text.size() && text[pos] != '-' && text[pos] != '+') return false;
  *major = parts[0];
  *minor = parts[1];
  *patch = parts[2];
  return true;
}

struct Client::Impl {
  std::string endpoint;
  ClientOptions options;
  std::shared_ptr<Stubs> stubs;

  mutable std::mutex mutex;
  v1::HandshakeResponse server_info;
  std::vector<std::weak_ptr<StreamCore>> streams;
  bool shut_down = false;
  std::mt19937 random{std::random_device{}()};

  Status HandshakeOnce(std::chrono::milliseconds timeout, v1::HandshakeResponse* response);
  Status HandshakeWithBackoff();
  Status CheckOpen() const;
  Status RegisterIfOpen(const std::shared_ptr<StreamCore>& core);
  double NextRandomUnit();
};

double Client::Impl::NextRandomUnit() {
  std::lock_guard<std::mutex> lock(mutex);
  return std::uniform_real_distribution<double>(0.0, 1.0)(random);
}

Status Client::Impl::HandshakeOnce(std::chrono::milliseconds timeout,
                                   v1::HandshakeResponse* response) {
  grpc::ClientContext context;
  context.set_deadline(std::chrono::system_clock::now() + timeout);
  v1::HandshakeRequest request;
  request.set_protocol_version(options.protocol_version);
  request.set_client_name(options.client_name);
  request.set_client_version(options.client_version);
  const grpc::Status status = stubs->handshake->Handshake(&context, request, response);
  if (status.error_code() == grpc::StatusCode::FAILED_PRECONDITION) {
    return Status(StatusCode::kFailedPrecondition,
                  "protocol version mismatch: this client speaks " +
                      options.protocol_version + " and the server at " + endpoint +
                      " rejected it (" + status.error_message() +
                      "); use a client and server with the same major version");
  }
  if (!status.ok()) return internal::FromGrpc(status, "Handshake");

  uint32_t client_major = 0, minor = 0, patch = 0;
  uint32_t server_major = response->protocol_major();
  if (!ParseSemanticVersion(options.protocol_version, &client_major, &minor, &patch)) {
    return Status(StatusCode::kInvalidArgument,
                  "client protocol_version '" + options.protocol_version +
                      "' is not MAJOR.MINOR.PATCH");
  }
  if (server_major != client_major) {
    return Status(StatusCode::kFailedPrecondition,
                  "protocol version mismatch: this client speaks " +
                      options.protocol_version + " but the server at " + endpoint +
                      " speaks " + response->protocol_version() +
                      "; use a client and server with the same major version");
  }
  return Status::Ok();
}

Status Client::Impl::HandshakeWithBackoff() {
  const auto give_up_at = Clock::now() + options.connect_timeout;
  Status last;
  for (uint32_t attempt = 0;; ++attempt) {
    const auto remaining =
        std::chrono::duration_cast<std::chrono::milliseconds>(give_up_at - Clock::now());
    const auto attempt_timeout = std::max(
        std::chrono::milliseconds(1), std::min(remaining, options.default_call_timeout));
    v1::HandshakeResponse response;
    last = HandshakeOnce(attempt_timeout, &response);
    if (last.ok()) {
      std::lock_guard<std::mutex> lock(mutex);
      server_info = response;
      internal::Log(options.log, LogLevel::kInfo,
                    "connected to " + endpoint + " (protocol " +
                        response.protocol_version() + ", server " +
                        response.server_version() + ") after " +
                        std::to_string(attempt + 1) + " attempt(s)");
      return last;
    }
    if (!IsRetryable(last.code())) break;

    const auto delay = BackoffDelay(options.backoff, attempt, NextRandomUnit());
    if (Clock::now() + delay >= give_up_at) break;
    internal::Log(options.log, LogLevel::kWarning,
                  "handshake with " + endpoint + " failed (" + last.ToString() +
                      "); retry " + std::to_string(attempt + 1) + " in " +
                      std::to_string(delay.count()) + " ms");
    std::this_thread::sleep_for(delay);
  }
  internal::Log(options.log, LogLevel::kError,
                "connecting to " + endpoint + " failed: " + last.ToString());
  if (IsRetryable(last.code())) {
    return Status(last.code(), "could not reach a vrperception server at " + endpoint +
                                   " within " +
                                   std::to_string(options.connect_timeout.count()) +
                                   " ms (ClientOptions.connect_timeout): " +
                                   last.message());
  }
  return last;
}

Status Client::Impl::CheckOpen() const {
  if (shut_down) {
    return Status(StatusCode::kCancelled, "the client was shut down; connect again");
  }
  return Status::Ok();
}

Status Client::Impl::RegisterIfOpen(const std::shared_ptr<StreamCore>& core) {
  std::lock_guard<std::mutex> lock(mutex);
  Status open = CheckOpen();
  if (!open.ok()) return open;
  // Forget streams that are gone so the list stays short in long sessions.
  std::vector<std::weak_ptr<StreamCore>> alive;
  for (auto& weak : streams) {
    if (!weak.expired()) alive.push_back(weak);
  }
  alive.push_back(core);
  streams.swap(alive);
  return Status::Ok();
}

Client::ConnectResult Client::Connect(const std::string& endpoint,
                                      const ClientOptions& options) {
  ConnectResult result;
  if (endpoint.empty()) {
    result.status = Status(StatusCode::kInvalidArgument,
                           "endpoint is empty; pass the server address as host:port, "
                           "for example 127.0.0.1:50051");
    return result;
  }
  auto impl = std::make_unique<Impl>();
  impl->endpoint = endpoint;
  impl->options = options;

  auto channel = MakeChannel(endpoint, options, &result.status);
  if (!channel) return result;
  impl->stubs = std::make_shared<Stubs>();
  impl->stubs->channel = channel;
  impl->stubs->handshake = v1::HandshakeService::NewStub(channel);
  impl->stubs->hands = v1::HandTracking::NewStub(channel);
  impl->stubs->objects = v1::ObjectRecognition::NewStub(channel);
  impl->stubs->voice = v1::VoiceCommands::NewStub(channel);

  result.status = impl->HandshakeWithBackoff();
  if (result.status.ok()) result.client.reset(new Client(std::move(impl)));
  return result;
}

Client::Client(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}

Client::~Client() { Shutdown(); }

Status Client::Reconnect() {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Status open = impl_->CheckOpen();
    if (!open.ok()) return open;
  }
  return impl_->HandshakeWithBackoff();
}

void Client::Shutdown() {
  std::vector<std::weak_ptr<StreamCore>> streams;
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    if (impl_->shut_down) return;
    impl_->shut_down = true;
    streams.swap(impl_->streams);
  }
  for (auto& weak : streams) {
    if (auto core = weak.lock()) core->Close(kShutdownGrace);
  }
  internal::Log(impl_->options.log, LogLevel::kInfo,
                "client for " + impl_->endpoint + " shut down");
}

v1::HandshakeResponse Client::server_info() const {
  std::lock_guard<std::mutex> lock(impl_->mutex);
  return impl_->server_info;
}
const std::string& Client::endpoint() const { return impl_->endpoint; }

Status Client::DetectHands(const v1::ImageFrame& frame, const v1::HandsConfig& config,
                           v1::HandsResult* result, const CallOptions& call) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Status open = impl_->CheckOpen();
    if (!open.ok()) return open;
  }
  grpc::ClientContext context;
  SetDeadline(&context, call, impl_->options.default_call_timeout);
  v1::DetectHandsRequest request;
  *request.mutable_frame() = frame;
  *request.mutable_config() = config;
  return internal::FromGrpc(impl_->stubs->hands->DetectHands(&context, request, result),
                            "DetectHands");
}

Status Client::DetectObjects(const v1::ImageFrame& frame, const v1::ObjectsConfig& config,
                             v1::ObjectsResult* result, const CallOptions& call) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Status open = impl_->CheckOpen();
    if (!open.ok()) return open;
  }
  grpc::ClientContext context;
  SetDeadline(&context, call, impl_->options.default_call_timeout);
  v1::DetectObjectsRequest request;
  *request.mutable_frame() = frame;
  *request.mutable_config() = config;
  return internal::FromGrpc(
      impl_->stubs->objects->DetectObjects(&context, request, result), "DetectObjects");
}

Status Client::RecognizeClip(const v1::RecognizerConfig& config, std::string audio_bytes,
                             v1::RecognizeClipResponse* response,
                             const CallOptions& call) {
  {
    std::lock_guard<std::mutex> lock(impl_->mutex);
    Status open = impl_->CheckOpen();
    if (!open.ok()) return open;
  }
  grpc::ClientContext context;
  SetDeadline(&context, call, impl_->options.default_call_timeout);
  v1::RecognizeClipRequest request;
  *request.mutable_config() = config;
  request.set_audio(std::move(audio_bytes));
  return internal::FromGrpc(
      impl_->stubs->voice->RecognizeClip(&context, request, response), "RecognizeClip");
}


std::unique_ptr<HandTrackingStream> Client::TrackHands(const v1::HandsConfig& config,
                                                       HandsCallbacks callbacks,
                                                       const CallOptions& call) {
  using Core = BidiStream<v1::TrackHandsRequest, v1::HandsResult>;
  auto core = std::make_shared<Core>("TrackHands", QueueMode::kLatestWins, 1,
                                     std::move(callbacks), impl_->options.log);
  v1::TrackHandsRequest first;
  *first.mutable_config() = config;
  std::shared_ptr<Stubs> stubs = impl_->stubs;
  Status open = impl_->RegisterIfOpen(core);
  if (!open.ok()) {
    core->StartFailed(open);
  } else {
    core->Start([stubs](grpc::ClientContext* context) {
                return stubs->hands->TrackHands(context);
              },
                std::move(first), call);
  }
  return std::unique_ptr<HandTrackingStream>(new HandTrackingStream(core));
}

std::unique_ptr<ObjectTrackingStream> Client::TrackObjects(
    const v1::ObjectsConfig& config, ObjectsCallbacks callbacks, const CallOptions& call) {
  using Core = BidiStream<v1::TrackObjectsRequest, v1::ObjectsResult>;
  auto core = std::make_shared<Core>("TrackObjects", QueueMode::kLatestWins, 1,
                                     std::move(callbacks), impl_->options.log);
  v1::TrackObjectsRequest first;
  *first.mutable_config() = config;
  std::shared_ptr<Stubs> stubs = impl_->stubs;
  Status open = impl_->RegisterIfOpen(core);
  if (!open.ok()) {
    core->StartFailed(open);
  } else {
    core->Start([stubs](grpc::ClientContext* context) {
                return stubs->objects->TrackObjects(context);
              },
                std::move(first), call);
  }
  return std::unique_ptr<ObjectTrackingStream>(new ObjectTrackingStream(core));
}

std::unique_ptr<VoiceCommandStream> Client::RecognizeCommands(
    const v1::RecognizerConfig& config, VoiceCallbacks callbacks, const CallOptions& call) {
  using Core = BidiStream<v1::RecognizeCommandsRequest, v1::RecognizeCommandsResponse>;
  auto core = std::make_shared<Core>("RecognizeCommands", QueueMode::kFifo,
                                     VoiceCommandStream::kMaxQueuedVoiceMessages,
                                     std::move(callbacks), impl_->options.log);
  v1::RecognizeCommandsRequest first;
  *first.mutable_config() = config;
  std::shared_ptr<Stubs> stubs = impl_->stubs;
  Status open = impl_->RegisterIfOpen(core);
  if (!open.ok()) {
    core->StartFailed(open);
  } else {
    core->Start([stubs](grpc::ClientContext* context) {
                return stubs->voice->RecognizeCommands(context);
              },
                std::move(first), call);
  }
  return std::unique_ptr<VoiceCommandStream>(new VoiceCommandStream(core));
}

}  // namespace vrperception
