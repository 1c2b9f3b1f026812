// vrperception C++ client: handshake, hand tracking, objects and voice.
//
// The public API uses the generated protobuf messages (vrperception/v1/
// *.pb.h) as result types; gRPC itself stays behind pimpl in the sources.
//
// Threading: a Client is safe to use from several threads after Connect.
// Stream callbacks run on the stream's own reader thread, never on the
// caller's; engines marshal them to their game thread. Close() and the
// destructors join every thread they own. Calling Close() from inside a
// callback of the same stream is allowed: it cancels the stream and the
// reader thread ends by itself after the callback returns.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "vrperception/backoff.h"
#include "vrperception/status.h"
#include "vrperception/v1/handshake.pb.h"
#include "vrperception/v1/hands.pb.h"
#include "vrperception/v1/objects.pb.h"
#include "vrperception/v1/voice.pb.h"

namespace vrperception {

// Protocol version this client was generated from (protos/vrperception/v1).
constexpr const char* kProtocolVersion = "1.0.0";
constexpr const char* kClientVersion = "0.1.0";

enum class LogLevel { kInfo, kWarning, kError };

// Receives the client's log lines: connects, retries, stream starts and
// ends, and errors delivered to callbacks. Called from any thread.
using LogFunction = std::function<void(LogLevel, const std::string&)>;

struct ClientOptions {
  // Total time Connect() and Reconnect() keep retrying the handshake.
  std::chrono::milliseconds connect_timeout{5000};
  // Deadline of a unary call when CallOptions.timeout is zero.
  std::chrono::milliseconds default_call_timeout{5000};
  // Delays between handshake attempts and of the channel's own transport
  // reconnects.
  BackoffPolicy backoff;
  // TLS. With use_tls and an empty root_cert_pem_path, gRPC's default
  // roots are used.
  // NOTE: the vrperception server has no TLS option yet, so the tests cover
  // this path only up to loading the root certificates.
  bool use_tls = false;
  std::string root_cert_pem_path;
  // Largest message received, in bytes (results are small; this bounds a
  // misbehaving server).
  int max_receive_message_bytes = 16 * 1024 * 1024;
  // Largest message sent, in bytes. The server's own limit is in
  // HandshakeResponse.limits.max_message_bytes.
  int max_send_message_bytes = 64 * 1024 * 1024;
  // Sent in the handshake. protocol_version is only changed by tests that
  // check the server rejects another major version.
  std::string protocol_version = kProtocolVersion;
  std::string client_name = "vrperception-cpp";
  std::string client_version = kClientVersion;
  // Empty: the client logs nothing.
  LogFunction log;
};

struct CallOptions {
  // Deadline from the start of the call. Zero means
  // ClientOptions.default_call_timeout for unary calls and no deadline for
  // streams.
  std::chrono::milliseconds timeout{0};
  // Wait for the channel to become ready instead of failing at once with
  // UNAVAILABLE while the server is unreachable (until the deadline).
  bool wait_for_ready = false;
};

// Callbacks of a stream. All run on the stream's reader thread and must not
// throw: an exception that leaves a callback ends the process, as any
// exception leaving a std::thread does.
template <typename Result>
struct StreamCallbacks {
  // One call per result message.
  std::function<void(const Result&)> on_result;
  // Exactly one call when the stream ends with a non-OK status before
  // Close() (server error, server death, deadline, network loss). Never
  // called after Close() has been called.
  std::function<void(const Status&)> on_error;
  // One call when the server ends the stream with OK before Close().
  std::function<void()> on_completed;
};

using HandsCallbacks = StreamCallbacks<v1::HandsResult>;
using ObjectsCallbacks = StreamCallbacks<v1::ObjectsResult>;
using VoiceCallbacks = StreamCallbacks<v1::RecognizeCommandsResponse>;

class StreamCore;

// Common part of the stream handles. Destroying a handle closes the stream.
class StreamHandle {
 public:
  virtual ~StreamHandle();
  StreamHandle(const StreamHandle&) = delete;
  StreamHandle& operator=(const StreamHandle&) = delete;

  // Half-closes the stream, waits up to `grace` for the server to finish,
  // then cancels it, and joins the stream's threads. No callback runs after
  // Close() returns (unless it was called from a callback of this stream).
  // Safe to call more than once and from any thread.
  void Close(std::chrono::milliseconds grace = std::chrono::milliseconds(500));

  // True until the stream has ended or Close() was called.
  bool active() const;
  // Messages waiting to be written.
  size_t pending_messages() const;
  // Frames replaced by newer ones before they were written (frame streams).
  uint64_t client_dropped_frames() const;

 protected:
  explicit StreamHandle(std::shared_ptr<StreamCore> core);
  std::shared_ptr<StreamCore> core_;
};

// TrackHands stream. SendFrame never blocks: when the previous frame has
// not been written yet, the new frame replaces it (latest frame wins).
class HandTrackingStream : public StreamHandle {
 public:
  // False when the stream has ended or is closing.
  bool SendFrame(v1::ImageFrame frame);

 private:
  friend class Client;
  using StreamHandle::StreamHandle;
};

// TrackObjects stream; same rules as HandTrackingStream.
class ObjectTrackingStream : public StreamHandle {
 public:
  bool SendFrame(v1::ImageFrame frame);

 private:
  friend class Client;
  using StreamHandle::StreamHandle;
};

// RecognizeCommands stream. Audio is queued in order, never dropped; when
// more than kMaxQueuedVoiceMessages wait, Send* returns false.
class VoiceCommandStream : public StreamHandle {
 public:
  static constexpr size_t kMaxQueuedVoiceMessages = 512;

  // Audio in the format of the config passed to RecognizeCommands.
  bool SendAudio(std::string audio_bytes);
  bool PushToTalk(bool talking);
  bool ReplaceVocabulary(v1::Vocabulary vocabulary);

 private:
  friend class Client;
  using StreamHandle::StreamHandle;
};

class Client {
 public:
  struct ConnectResult {
    Status status;
    std::unique_ptr<Client> client;  // null unless status.ok()
  };

  // Opens a channel to `endpoint` ("host:port", or any gRPC target such
  // as "dns:///host:port") and calls Handshake,
  // retrying UNAVAILABLE and DEADLINE_EXCEEDED with options.backoff until
  // options.connect_timeout has passed. Fails without retrying with
  // FAILED_PRECONDITION when the server speaks another protocol major
  // version, naming both versions.
  static ConnectResult Connect(const std::string& endpoint,
                               const ClientOptions& options = {});

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Repeats the handshake with backoff, after the server restarted or the
  // network came back. Streams that ended stay ended: open new ones.
  Status Reconnect();

  // Closes every stream this client opened and joins their threads. Later
  // calls fail with CANCELLED. The destructor calls it.
  void Shutdown();

  // The latest handshake response (a copy: Reconnect() replaces it).
  v1::HandshakeResponse server_info() const;
  const std::string& endpoint() const;

  Status DetectHands(const v1::ImageFrame& frame, const v1::HandsConfig& config,
                     v1::HandsResult* result, const CallOptions& call = {});
  Status DetectObjects(const v1::ImageFrame& frame,
                       const v1::ObjectsConfig& config,
                       v1::ObjectsResult* result, const CallOptions& call = {});
  Status RecognizeClip(const v1::RecognizerConfig& config,
                       std::string audio_bytes,
                       v1::RecognizeClipResponse* response,
                       const CallOptions& call = {});

  // Streams send their config first. call.timeout, when set, bounds the
  // whole stream's lifetime (it then ends with DEADLINE_EXCEEDED).
  std::unique_ptr<HandTrackingStream> TrackHands(const v1::HandsConfig& config,
                                                 HandsCallbacks callbacks,
                                                 const CallOptions& call = {});
  std::unique_ptr<ObjectTrackingStream> TrackObjects(
      const v1::ObjectsConfig& config, ObjectsCallbacks callbacks,
      const CallOptions& call = {});
  std::unique_ptr<VoiceCommandStream> RecognizeCommands(
      const v1::RecognizerConfig& config, VoiceCallbacks callbacks,
      const CallOptions& call = {});

 private:
  struct Impl;
  explicit Client(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Parses "MAJOR.MINOR.PATCH" (a pre-release or build suffix is allowed).
// Returns false when the text does not start with three dot-separated
// numbers.
bool ParseSemanticVersion(const std::string& text, uint32_t* major,
                          uint32_t* minor, uint32_t* patch);

}  // namespace vrperception
