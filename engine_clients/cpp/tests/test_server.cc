// Cases against a real Python server started by tests/test_cpp_client.py.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "test_framework.h"
#include "vrperception/client.h"
#include "vrperception/frames.h"

namespace {

using nlohmann::json;
using vrperception::CallOptions;
using vrperception::Client;
using vrperception::ClientOptions;
using vrperception::Status;
using vrperception::StatusCode;
namespace v1 = vrperception::v1;
using Clock = std::chrono::steady_clock;

constexpr double kLandmarkTolerance = 1e-3;
constexpr std::chrono::seconds kResultTimeout{20};

std::unique_ptr<Client> ConnectToTestServer(ClientOptions options = {}) {
  auto connected = Client::Connect(vrtest::args().get("address"), options);
  REQUIRE_MSG(connected.status.ok(), connected.status.ToString());
  return std::move(connected.client);
}

v1::ImageFrame FrameFromFile(const std::string& path, uint64_t frame_id = 0) {
  std::string bytes;
  Status status = vrperception::ReadFileBytes(path, &bytes);
  REQUIRE_MSG(status.ok(), status.ToString());
  v1::ImageFrame frame;
  status = vrperception::PackEncodedImage(std::move(bytes), &frame);
  REQUIRE_MSG(status.ok(), status.ToString());
  frame.set_frame_id(frame_id);
  return frame;
}

std::vector<std::string> FramePaths() {
  std::vector<std::string> paths;
  for (const auto& entry : std::filesystem::directory_iterator(vrtest::args().get("frames"))) {
    if (entry.path().extension() == ".jpg") paths.push_back(entry.path().string());
  }
  std::sort(paths.begin(), paths.end());
  return paths;
}

std::string HandImagePath() {
  return vrtest::args().get("data") + "/hands/images/hand_001.jpg";
}

double SecondsSince(Clock::time_point start) {
  return std::chrono::duration<double>(Clock::now() - start).count();
}

// Collects what a stream's callbacks deliver, for assertions on the test
// thread.
template <typename Result>
struct Recorder {
  std::mutex mutex;
  std::condition_variable changed;
  std::vector<Result> results;
  std::vector<Status> errors;
  int completed = 0;

  vrperception::StreamCallbacks<Result> Callbacks() {
    vrperception::StreamCallbacks<Result> callbacks;
    callbacks.on_result = [this](const Result& result) {
      std::lock_guard<std::mutex> lock(mutex);
      results.push_back(result);
      changed.notify_all();
    };
    callbacks.on_error = [this](const Status& status) {
      std::lock_guard<std::mutex> lock(mutex);
      errors.push_back(status);
      changed.notify_all();
    };
    callbacks.on_completed = [this] {
      std::lock_guard<std::mutex> lock(mutex);
      ++completed;
      changed.notify_all();
    };
    return callbacks;
  }

  // Waits until `done` holds (checked under the lock) or the timeout ends.
  template <typename Predicate>
  bool WaitFor(Predicate done, std::chrono::milliseconds timeout = kResultTimeout) {
    std::unique_lock<std::mutex> lock(mutex);
    return changed.wait_for(lock, timeout, done);
  }

  size_t error_count() {
    std::lock_guard<std::mutex> lock(mutex);
    return errors.size();
  }
};

}  // namespace

TEST_CASE(server, handshake_reports_hand_tracking) {
  auto client = ConnectToTestServer();
  const v1::HandshakeResponse& info = client->server_info();
  CHECK(info.protocol_major() == 1u);
  CHECK(info.protocol_version().rfind("1.", 0) == 0);
  CHECK(!info.server_version().empty());
  const auto& capabilities = info.capabilities();
  CHECK(std::find(capabilities.begin(), capabilities.end(),
                  v1::CAPABILITY_HAND_TRACKING) != capabilities.end());
  CHECK(info.limits().max_hands() >= 1u);
  CHECK(info.limits().max_message_bytes() > 0u);
  CHECK(info.models_size() >= 1);
}

TEST_CASE(server, handshake_rejects_other_major) {
  ClientOptions options;
  options.protocol_version = "2.0.0";
  const auto start = Clock::now();
  auto connected = Client::Connect(vrtest::args().get("address"), options);
  CHECK(connected.client == nullptr);
  CHECK_MSG(connected.status.code() == StatusCode::kFailedPrecondition,
            connected.status.ToString());
  CHECK_MSG(connected.status.message().find("2.0.0") != std::string::npos,
            connected.status.message());
  CHECK_MSG(connected.status.message().find("major version") != std::string::npos,
            connected.status.message());
  // A version mismatch is final: no backoff retries.
  CHECK_MSG(SecondsSince(start) < 1.0, SecondsSince(start) << " s");
}

TEST_CASE(server, detect_hands_matches_python) {
  std::ifstream in(vrtest::args().get("expected"));
  REQUIRE(in.good());
  const json expected = json::parse(in);

  auto client = ConnectToTestServer();
  v1::HandsResult result;
  const Status status =
      client->DetectHands(FrameFromFile(HandImagePath(), 7), v1::HandsConfig(), &result);
  REQUIRE_MSG(status.ok(), status.ToString());

  CHECK(result.frame().frame_id() == 7u);
  CHECK(result.frame().width() == expected["width"].get<uint32_t>());
  CHECK(result.frame().height() == expected["height"].get<uint32_t>());
  REQUIRE_MSG(result.hands_size() == static_cast<int>(expected["hands"].size()),
              result.hands_size() << " hands, Python saw " << expected["hands"].size());
  REQUIRE(result.hands_size() > 0);
  for (int h = 0; h < result.hands_size(); ++h) {
    const v1::Hand& hand = result.hands(h);
    const json& reference = expected["hands"][h];
    CHECK_MSG(static_cast<int>(hand.handedness()) == reference["handedness"].get<int>(),
              "hand " << h);
    REQUIRE(hand.landmarks_size() == 21);
    for (int i = 0; i < 21; ++i) {
      CHECK_NEAR(hand.landmarks(i).x(), reference["landmarks"][i][0].get<double>(),
                 kLandmarkTolerance);
      CHECK_NEAR(hand.landmarks(i).y(), reference["landmarks"][i][1].get<double>(),
                 kLandmarkTolerance);
      CHECK_NEAR(hand.landmarks(i).z(), reference["landmarks"][i][2].get<double>(),
                 kLandmarkTolerance);
    }
  }
}

TEST_CASE(server, track_hands_keeps_tracking_id) {
  const std::vector<std::string> paths = FramePaths();
  REQUIRE_MSG(paths.size() >= 10, paths.size() << " frames");
  auto client = ConnectToTestServer();
  Recorder<v1::HandsResult> recorder;
  v1::HandsConfig config;
  config.set_max_hands(1);
  auto stream = client->TrackHands(config, recorder.Callbacks());

  // One frame at a time, so that the server sees every frame.
  for (size_t i = 0; i < paths.size(); ++i) {
    REQUIRE(stream->SendFrame(FrameFromFile(paths[i], i + 1)));
    const bool answered = recorder.WaitFor(
        [&] { return recorder.results.size() > i || !recorder.errors.empty(); });
    REQUIRE_MSG(answered, "no result for frame " << i + 1);
    REQUIRE_MSG(recorder.errors.empty(), recorder.errors[0].ToString());
  }
  stream->Close();

  std::set<uint32_t> tracking_ids;
  size_t frames_with_hand = 0;
  for (size_t i = 0; i < recorder.results.size(); ++i) {
    const v1::HandsResult& result = recorder.results[i];
    CHECK(result.frame().frame_id() == i + 1);
    CHECK(result.frame().dropped_frames() == 0u);
    for (const v1::Hand& hand : result.hands()) {
      tracking_ids.insert(hand.tracking_id());
      CHECK(hand.tracking_id() != 0u);
    }
    if (result.hands_size() > 0) ++frames_with_hand;
  }
  CHECK(recorder.results.size() == paths.size());
  CHECK_MSG(frames_with_hand >= paths.size() * 9 / 10,
            frames_with_hand << " of " << paths.size() << " frames have a hand");
  CHECK_MSG(tracking_ids.size() == 1, tracking_ids.size() << " tracking ids");
  CHECK(recorder.error_count() == 0);
}

TEST_CASE(server, track_hands_latest_frame_wins) {
  const std::vector<std::string> paths = FramePaths();
  REQUIRE(!paths.empty());
  auto client = ConnectToTestServer();
  Recorder<v1::HandsResult> recorder;
  auto stream = client->TrackHands(v1::HandsConfig(), recorder.Callbacks());

  // Send faster than the server can process: older frames are replaced.
  const uint64_t sent = paths.size();
  for (uint64_t i = 0; i < sent; ++i) {
    REQUIRE(stream->SendFrame(FrameFromFile(paths[i], i + 1)));
  }
  // The newest frame is never dropped, so its result ends the wait.
  const bool last_seen = recorder.WaitFor([&] {
    return !recorder.errors.empty() ||
           (!recorder.results.empty() &&
            recorder.results.back().frame().frame_id() == sent);
  });
  REQUIRE(last_seen);
  REQUIRE(recorder.errors.empty());

  uint64_t previous_id = 0;
  for (const v1::HandsResult& result : recorder.results) {
    CHECK(result.frame().frame_id() > previous_id);
    previous_id = result.frame().frame_id();
  }
  const uint64_t answered = recorder.results.size();
  const uint64_t server_dropped = recorder.results.back().frame().dropped_frames();
  const uint64_t client_dropped = stream->client_dropped_frames();
  CHECK_MSG(answered + server_dropped + client_dropped == sent,
            answered << " answered + " << server_dropped << " dropped by the server + "
                     << client_dropped << " dropped by the client != " << sent);
  CHECK(answered < sent);
  stream->Close();
}

TEST_CASE(server, detect_hands_deadline_exceeded) {
  auto client = ConnectToTestServer();
  CallOptions call;
  call.timeout = std::chrono::milliseconds(1);
  v1::HandsResult result;
  const Status status =
      client->DetectHands(FrameFromFile(HandImagePath()), v1::HandsConfig(), &result, call);
  CHECK_MSG(status.code() == StatusCode::kDeadlineExceeded, status.ToString());
  CHECK(status.message().find("DetectHands") != std::string::npos);
}

TEST_CASE(server, track_hands_deadline_fires_error_once) {
  const std::vector<std::string> paths = FramePaths();
  auto client = ConnectToTestServer();
  Recorder<v1::HandsResult> recorder;
  CallOptions call;
  call.timeout = std::chrono::milliseconds(400);
  auto stream = client->TrackHands(v1::HandsConfig(), recorder.Callbacks(), call);

  const auto start = Clock::now();
  for (size_t i = 0; stream->active() && SecondsSince(start) < 10.0; ++i) {
    stream->SendFrame(FrameFromFile(paths[i % paths.size()], i + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  REQUIRE(recorder.WaitFor([&] { return !recorder.errors.empty(); }));
  // Give a second error a chance to show up before counting.
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  CHECK(recorder.error_count() == 1);
  CHECK_MSG(recorder.errors[0].code() == StatusCode::kDeadlineExceeded,
            recorder.errors[0].ToString());
  CHECK(recorder.completed == 0);
  CHECK(!stream->SendFrame(FrameFromFile(paths[0])));
  stream->Close();
  CHECK(recorder.error_count() == 1);
}

TEST_CASE(server, close_inside_callback) {
  const std::vector<std::string> paths = FramePaths();
  auto client = ConnectToTestServer();
  Recorder<v1::HandsResult> recorder;
  std::unique_ptr<vrperception::HandTrackingStream> stream;
  std::atomic<int> results_after_close{0};
  std::atomic<bool> closed{false};

  vrperception::HandsCallbacks callbacks = recorder.Callbacks();
  auto record = callbacks.on_result;
  callbacks.on_result = [&](const v1::HandsResult& result) {
    if (closed) ++results_after_close;
    record(result);
    closed = true;
    stream->Close();  // from the reader thread: must not deadlock
  };
  stream = client->TrackHands(v1::HandsConfig(), callbacks);
  for (int i = 0; i < 5; ++i) stream->SendFrame(FrameFromFile(paths[i], i + 1));
  REQUIRE(recorder.WaitFor([&] { return !recorder.results.empty(); }));
  stream->Close();  // joins the reader thread
  CHECK(!stream->active());
  CHECK(results_after_close == 0);
  CHECK(recorder.error_count() == 0);
}

TEST_CASE(server, shutdown_mid_stream) {
  const std::vector<std::string> paths = FramePaths();
  auto client = ConnectToTestServer();
  Recorder<v1::HandsResult> recorder;
  auto stream = client->TrackHands(v1::HandsConfig(), recorder.Callbacks());
  for (int i = 0; i < 3; ++i) stream->SendFrame(FrameFromFile(paths[i], i + 1));
  REQUIRE(recorder.WaitFor([&] { return !recorder.results.empty(); }));
  stream->SendFrame(FrameFromFile(paths[3], 4));

  // The game stops: the client goes first, the stream handle later.
  client->Shutdown();
  CHECK(!stream->active());
  CHECK(!stream->SendFrame(FrameFromFile(paths[0])));
  client.reset();
  stream.reset();
  CHECK(recorder.error_count() == 0);

  // A shut-down client's calls fail clearly.
  auto second = ConnectToTestServer();
  second->Shutdown();
  v1::HandsResult result;
  const Status status =
      second->DetectHands(FrameFromFile(HandImagePath()), v1::HandsConfig(), &result);
  CHECK(status.code() == StatusCode::kCancelled);
  Recorder<v1::HandsResult> refused;
  auto late_stream = second->TrackHands(v1::HandsConfig(), refused.Callbacks());
  CHECK(refused.WaitFor([&] { return !refused.errors.empty(); }));
  late_stream->Close();
  CHECK(refused.error_count() == 1);
}

TEST_CASE(server, objects_calls_return_status) {
  auto client = ConnectToTestServer();
  v1::ObjectsResult result;
  const Status status =
      client->DetectObjects(FrameFromFile(HandImagePath()), v1::ObjectsConfig(), &result);
  const bool implemented = status.code() != StatusCode::kUnimplemented;
  if (implemented) {
    CHECK_MSG(status.ok(), status.ToString());
  }

  Recorder<v1::ObjectsResult> recorder;
  auto stream = client->TrackObjects(v1::ObjectsConfig(), recorder.Callbacks());
  stream->SendFrame(FrameFromFile(HandImagePath(), 3));
  REQUIRE(recorder.WaitFor(
      [&] { return !recorder.errors.empty() || !recorder.results.empty(); }));
  if (implemented) {
    CHECK(recorder.errors.empty());
    CHECK(recorder.results[0].frame().frame_id() == 3u);
  } else {
    CHECK(recorder.errors.size() == 1);
    CHECK_MSG(recorder.errors[0].code() == StatusCode::kUnimplemented,
              recorder.errors[0].ToString());
  }
  stream->Close();
}

TEST_CASE(server, voice_stream_returns_status) {
  auto client = ConnectToTestServer();
  Recorder<v1::RecognizeCommandsResponse> recorder;
  v1::RecognizerConfig config;
  config.mutable_audio()->set_sample_rate_hz(16000);
  config.mutable_audio()->set_encoding(v1::AUDIO_ENCODING_PCM16LE);
  config.mutable_audio()->set_channels(1);
  v1::CommandDefinition* command = config.mutable_vocabulary()->add_commands();
  command->set_id("jump");
  command->add_phrases("jump");
  auto stream = client->RecognizeCommands(config, recorder.Callbacks());
  stream->PushToTalk(true);
  // 100 ms of silence, 16-bit mono at 16 kHz.
  stream->SendAudio(std::string(3200, '\0'));
  stream->PushToTalk(false);
  const bool ended = recorder.WaitFor([&] { return !recorder.errors.empty(); },
                                      std::chrono::milliseconds(3000));
  if (ended) {
    CHECK(recorder.errors.size() == 1);
    CHECK_MSG(recorder.errors[0].code() == StatusCode::kUnimplemented,
              recorder.errors[0].ToString());
  }
  stream->Close();
  CHECK(recorder.error_count() <= 1);
}

TEST_CASE(unreachable, connect_retries_with_backoff) {
  ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(1500);
  options.backoff.initial_backoff = std::chrono::milliseconds(100);
  options.backoff.max_backoff = std::chrono::milliseconds(400);
  options.backoff.jitter = 0.0;
  std::atomic<int> retries{0};
  options.log = [&](vrperception::LogLevel, const std::string& line) {
    if (line.find("retry") != std::string::npos) ++retries;
  };
  const auto start = Clock::now();
  auto connected = Client::Connect(vrtest::args().get("dead-address"), options);
  const double elapsed = SecondsSince(start);
  CHECK(connected.client == nullptr);
  CHECK_MSG(connected.status.code() == StatusCode::kUnavailable,
            connected.status.ToString());
  CHECK(connected.status.message().find("connect_timeout") != std::string::npos);
  // 100 + 200 + 400 + 400 ms of backoff fit in 1.5 s.
  CHECK_MSG(retries >= 3, retries << " retries");
  CHECK_MSG(elapsed >= 1.0 && elapsed < 3.0, elapsed << " s");
}

TEST_CASE(kill, server_death_fires_error_once) {
  const std::vector<std::string> paths = FramePaths();
  auto client = ConnectToTestServer();
  Recorder<v1::HandsResult> recorder;
  auto stream = client->TrackHands(v1::HandsConfig(), recorder.Callbacks());
  stream->SendFrame(FrameFromFile(paths[0], 1));
  REQUIRE(recorder.WaitFor([&] { return !recorder.results.empty(); }));

  std::cout << "READY_TO_KILL" << std::endl;
  const auto start = Clock::now();
  for (size_t i = 1; stream->active() && SecondsSince(start) < 30.0; ++i) {
    stream->SendFrame(FrameFromFile(paths[i % paths.size()], i + 1));
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
  }
  REQUIRE(recorder.WaitFor([&] { return !recorder.errors.empty(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  CHECK(recorder.error_count() == 1);
  CHECK_MSG(recorder.errors[0].code() == StatusCode::kUnavailable ||
                recorder.errors[0].code() == StatusCode::kInternal ||
                recorder.errors[0].code() == StatusCode::kUnknown,
            recorder.errors[0].ToString());
  CHECK(recorder.completed == 0);

  // New calls on the dead server fail fast instead of waiting.
  v1::HandsResult result;
  const Status status =
      client->DetectHands(FrameFromFile(paths[0]), v1::HandsConfig(), &result);
  CHECK_MSG(status.code() == StatusCode::kUnavailable, status.ToString());
  stream->Close();
  client.reset();
  CHECK(recorder.error_count() == 1);
}
