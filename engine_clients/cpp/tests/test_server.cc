// Cases against a real Python server started by tests/test_cpp_client.py.
#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>
#include <set>
#include <thread>
#include <vector>

#include "test_framework.h"
#include "vrperception/client.h"
#include "vrperception/coords.h"
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

TEST_CASE(server, reconnect_refreshes_handshake) {
  auto client = ConnectToTestServer();
  const Status status = client->Reconnect();
  CHECK_MSG(status.ok(), status.ToString());
  CHECK(client->server_info().protocol_major() == 1u);
  client->Shutdown();
  CHECK(client->Reconnect().code() == StatusCode::kCancelled);
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

  // One frame at a time, so that the server processes every frame.
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

namespace {

std::string ObjectImagePath(const std::string& name) {
  return vrtest::args().get("data") + "/objects/images/" + name;
}

json LoadObjectsExpected() {
  std::ifstream in(vrtest::args().get("objects-expected"));
  REQUIRE(in.good());
  return json::parse(in);
}

void CheckPoseNear(const v1::Pose& actual, const json& expected, double tolerance) {
  CHECK_NEAR(actual.position_m().x(), expected["position_m"][0].get<double>(), tolerance);
  CHECK_NEAR(actual.position_m().y(), expected["position_m"][1].get<double>(), tolerance);
  CHECK_NEAR(actual.position_m().z(), expected["position_m"][2].get<double>(), tolerance);
  CHECK_NEAR(actual.rotation().x(), expected["rotation"][0].get<double>(), tolerance);
  CHECK_NEAR(actual.rotation().y(), expected["rotation"][1].get<double>(), tolerance);
  CHECK_NEAR(actual.rotation().z(), expected["rotation"][2].get<double>(), tolerance);
  CHECK_NEAR(actual.rotation().w(), expected["rotation"][3].get<double>(), tolerance);
}

vrperception::coords::Pose ToCoordsPose(const v1::Pose& pose) {
  return {{pose.position_m().x(), pose.position_m().y(), pose.position_m().z()},
          {pose.rotation().x(), pose.rotation().y(), pose.rotation().z(), pose.rotation().w()}};
}

void CheckUnrealPoseNear(const v1::Pose& opencv, const json& expected) {
  const vrperception::coords::Pose unreal =
      vrperception::coords::OpenCvToUnrealCm(ToCoordsPose(opencv));
  // Centimetres, and the same server values converted in Python.
  CHECK_NEAR(unreal.position.x, expected["position_cm"][0].get<double>(), 1e-3);
  CHECK_NEAR(unreal.position.y, expected["position_cm"][1].get<double>(), 1e-3);
  CHECK_NEAR(unreal.position.z, expected["position_cm"][2].get<double>(), 1e-3);
  CHECK_NEAR(unreal.rotation.x, expected["rotation"][0].get<double>(), 1e-5);
  CHECK_NEAR(unreal.rotation.y, expected["rotation"][1].get<double>(), 1e-5);
  CHECK_NEAR(unreal.rotation.z, expected["rotation"][2].get<double>(), 1e-5);
  CHECK_NEAR(unreal.rotation.w, expected["rotation"][3].get<double>(), 1e-5);
}

// 16-bit PCM samples of a RIFF/WAVE file's data chunk.
std::string ReadWavData(const std::string& path) {
  std::string file;
  const Status status = vrperception::ReadFileBytes(path, &file);
  REQUIRE_MSG(status.ok(), status.ToString());
  REQUIRE_MSG(file.size() > 12 && file.compare(0, 4, "RIFF") == 0 &&
                  file.compare(8, 4, "WAVE") == 0,
              path << " is not a WAVE file");
  size_t offset = 12;
  while (offset + 8 <= file.size()) {
    const std::string id = file.substr(offset, 4);
    const auto* size_bytes = reinterpret_cast<const unsigned char*>(file.data() + offset + 4);
    const uint32_t size = size_bytes[0] | (size_bytes[1] << 8) | (size_bytes[2] << 16) |
                          (static_cast<uint32_t>(size_bytes[3]) << 24);
    if (id == "data") return file.substr(offset + 8, size);
    offset += 8 + size + (size & 1);
  }
  REQUIRE_MSG(false, path << " has no data chunk");
  return {};
}

}  // namespace

TEST_CASE(server, detect_objects_matches_python) {
  const json expected = LoadObjectsExpected()["detections"];
  auto client = ConnectToTestServer();
  v1::ObjectsConfig config;
  config.set_input_size(expected["input_size"].get<uint32_t>());
  v1::ObjectsResult result;
  const Status status = client->DetectObjects(
      FrameFromFile(ObjectImagePath(expected["image"]), 11), config, &result);
  REQUIRE_MSG(status.ok(), status.ToString());

  CHECK(result.frame().frame_id() == 11u);
  CHECK(result.frame().width() == expected["frame_width"].get<uint32_t>());
  REQUIRE_MSG(result.detections_size() == static_cast<int>(expected["items"].size()),
              result.detections_size() << " detections, Python saw " << expected["items"].size());
  int cats = 0;
  for (int i = 0; i < result.detections_size(); ++i) {
    const v1::Detection& detection = result.detections(i);
    const json& reference = expected["items"][i];
    CHECK(detection.label() == reference["label"].get<std::string>());
    CHECK(detection.class_id() == reference["class_id"].get<uint32_t>());
    CHECK(detection.tracking_id() == 0u);
    CHECK_NEAR(detection.score(), reference["score"].get<double>(), 1e-4);
    CHECK_NEAR(detection.box().x_min(), reference["box"][0].get<double>(), 1e-3);
    CHECK_NEAR(detection.box().y_min(), reference["box"][1].get<double>(), 1e-3);
    CHECK_NEAR(detection.box().x_max(), reference["box"][2].get<double>(), 1e-3);
    CHECK_NEAR(detection.box().y_max(), reference["box"][3].get<double>(), 1e-3);
    if (detection.label() == "cat") ++cats;
  }
  // The photo shows one cat (COCO class 17).
  CHECK(cats == 1);
}

TEST_CASE(server, marker_poses_convert_to_unreal) {
  const json expected = LoadObjectsExpected()["markers"];
  auto client = ConnectToTestServer();
  v1::ImageFrame frame = FrameFromFile(ObjectImagePath(expected["image"]), 12);
  const json& intrinsics = expected["intrinsics"];
  frame.mutable_intrinsics()->set_fx(intrinsics["fx"].get<double>());
  frame.mutable_intrinsics()->set_fy(intrinsics["fy"].get<double>());
  frame.mutable_intrinsics()->set_cx(intrinsics["cx"].get<double>());
  frame.mutable_intrinsics()->set_cy(intrinsics["cy"].get<double>());
  for (const json& k : intrinsics["distortion"]) {
    frame.mutable_intrinsics()->add_distortion(k.get<double>());
  }
  const json& camera_to_world = expected["camera_to_world"];
  for (int i = 0; i < 3; ++i) {
    const double value = camera_to_world["position_m"][i].get<double>();
    v1::Vector3* position = frame.mutable_camera_to_world()->mutable_position_m();
    if (i == 0) position->set_x(value);
    if (i == 1) position->set_y(value);
    if (i == 2) position->set_z(value);
  }
  frame.mutable_camera_to_world()->mutable_rotation()->set_x(camera_to_world["rotation"][0].get<double>());
  frame.mutable_camera_to_world()->mutable_rotation()->set_y(camera_to_world["rotation"][1].get<double>());
  frame.mutable_camera_to_world()->mutable_rotation()->set_z(camera_to_world["rotation"][2].get<double>());
  frame.mutable_camera_to_world()->mutable_rotation()->set_w(camera_to_world["rotation"][3].get<double>());

  v1::ObjectsConfig config;
  config.set_disable_detector(true);
  config.mutable_markers()->add_dictionaries(v1::MARKER_DICTIONARY_ARUCO_6X6_250);
  config.mutable_markers()->set_marker_size_m(expected["marker_size_m"].get<double>());
  v1::ObjectsResult result;
  const Status status = client->DetectObjects(frame, config, &result);
  REQUIRE_MSG(status.ok(), status.ToString());

  REQUIRE_MSG(result.markers_size() == static_cast<int>(expected["items"].size()),
              result.markers_size() << " markers, Python saw " << expected["items"].size());
  REQUIRE(result.markers_size() >= 4);
  for (int i = 0; i < result.markers_size(); ++i) {
    const v1::Marker& marker = result.markers(i);
    const json& reference = expected["items"][i];
    CHECK(marker.id() == reference["id"].get<uint32_t>());
    REQUIRE(marker.corners_size() == 4);
    for (int c = 0; c < 4; ++c) {
      CHECK_NEAR(marker.corners(c).x(), reference["corners"][c][0].get<double>(), 1e-4);
      CHECK_NEAR(marker.corners(c).y(), reference["corners"][c][1].get<double>(), 1e-4);
    }
    REQUIRE(marker.has_pose_in_camera());
    REQUIRE(marker.has_pose_in_world());
    CheckPoseNear(marker.pose_in_camera(), reference["pose_in_camera"], 1e-5);
    CheckPoseNear(marker.pose_in_world(), reference["pose_in_world"], 1e-5);
    CheckUnrealPoseNear(marker.pose_in_camera(), reference["unreal_pose_in_camera"]);
    CheckUnrealPoseNear(marker.pose_in_world(), reference["unreal_pose_in_world"]);
    // The printed markers are 25-50 cm in front of the camera: Unreal X.
    const vrperception::coords::Pose unreal =
        vrperception::coords::OpenCvToUnrealCm(ToCoordsPose(marker.pose_in_camera()));
    CHECK_MSG(unreal.position.x > 25.0 && unreal.position.x < 50.0, unreal.position.x);
  }
}

TEST_CASE(server, track_objects_keeps_ids) {
  auto client = ConnectToTestServer();
  Recorder<v1::ObjectsResult> recorder;
  v1::ObjectsConfig config;
  config.set_input_size(320);
  config.set_score_threshold(0.25f);
  for (const char* label : {"cup", "knife", "dining table"}) config.add_class_allowlist(label);
  auto stream = client->TrackObjects(config, recorder.Callbacks());

  const v1::ImageFrame frame = FrameFromFile(ObjectImagePath("obj_010.jpg"));
  for (uint64_t i = 0; i < 3; ++i) {
    v1::ImageFrame copy = frame;
    copy.set_frame_id(i + 1);
    REQUIRE(stream->SendFrame(copy));
    REQUIRE(recorder.WaitFor(
        [&] { return recorder.results.size() > i || !recorder.errors.empty(); }));
    REQUIRE_MSG(recorder.errors.empty(), recorder.errors[0].ToString());
  }
  stream->Close();

  std::map<std::string, uint32_t> first;
  for (const v1::Detection& detection : recorder.results[0].detections()) {
    first[detection.label()] = detection.tracking_id();
    CHECK(detection.tracking_id() > 0u);
  }
  CHECK(first.count("cup") == 1);
  CHECK(first.count("dining table") == 1);
  for (size_t i = 0; i < recorder.results.size(); ++i) {
    const v1::ObjectsResult& result = recorder.results[i];
    CHECK(result.frame().frame_id() == i + 1);
    for (const v1::Detection& detection : result.detections()) {
      if (first.count(detection.label())) {
        CHECK_MSG(detection.tracking_id() == first[detection.label()], detection.label());
      }
    }
  }
}

namespace {

v1::RecognizerConfig TenWordConfig() {
  v1::RecognizerConfig config;
  config.mutable_audio()->set_sample_rate_hz(16000);
  config.mutable_audio()->set_encoding(v1::AUDIO_ENCODING_PCM16LE);
  config.mutable_audio()->set_channels(1);
  for (const char* word : {"yes", "no", "up", "down", "left", "right", "on", "off", "stop", "go"}) {
    v1::CommandDefinition* command = config.mutable_vocabulary()->add_commands();
    command->set_id(word);
    command->add_phrases(word);
  }
  return config;
}

// Bytes of 16 kHz mono PCM16 per 20 ms chunk.
constexpr size_t kChunkBytes = 2 * 16000 * 20 / 1000;

void SendInChunks(vrperception::VoiceCommandStream* stream, const std::string& audio) {
  for (size_t offset = 0; offset < audio.size(); offset += kChunkBytes) {
    const size_t length = std::min(kChunkBytes, audio.size() - offset);
    // The server requires whole samples; the clip has an even byte count.
    REQUIRE(stream->SendAudio(audio.substr(offset, length)));
  }
}

std::vector<v1::CommandResult> CommandResults(
    const std::vector<v1::RecognizeCommandsResponse>& responses) {
  std::vector<v1::CommandResult> results;
  for (const auto& response : responses) {
    if (response.has_result()) results.push_back(response.result());
  }
  return results;
}

}  // namespace

TEST_CASE(server, voice_stream_recognizes_command) {
  const std::string speech = ReadWavData(vrtest::args().get("speech-clip"));
  const std::string expected_command = vrtest::args().get("speech-command");
  auto client = ConnectToTestServer();
  Recorder<v1::RecognizeCommandsResponse> recorder;
  auto stream = client->RecognizeCommands(TenWordConfig(), recorder.Callbacks());

  // 200 ms of silence, the word, then 800 ms of silence to end the
  // utterance (the server's default endpoint is 500 ms of silence).
  SendInChunks(stream.get(), std::string(2 * 16000 * 200 / 1000, '\0'));
  SendInChunks(stream.get(), speech);
  SendInChunks(stream.get(), std::string(2 * 16000 * 800 / 1000, '\0'));
  const bool recognised = recorder.WaitFor(
      [&] { return !CommandResults(recorder.results).empty() || !recorder.errors.empty(); },
      std::chrono::seconds(60));
  REQUIRE(recognised);
  REQUIRE_MSG(recorder.errors.empty(), recorder.errors[0].ToString());
  stream->Close(std::chrono::milliseconds(2000));

  const std::vector<v1::CommandResult> results = CommandResults(recorder.results);
  REQUIRE(results.size() == 1);
  CHECK_MSG(results[0].command_id() == expected_command,
            "'" << results[0].command_id() << "' transcript '" << results[0].transcript()
                << "' " << results[0].rejection_reason());
  CHECK(results[0].confidence() >= 0.8f);
  CHECK(results[0].start_ms() < results[0].end_ms());
  int speech_started = 0;
  for (const auto& response : recorder.results) {
    if (response.has_utterance() &&
        response.utterance().type() == v1::UtteranceEvent::TYPE_SPEECH_STARTED) {
      ++speech_started;
    }
  }
  CHECK(speech_started == 1);
  CHECK(recorder.error_count() == 0);
}

TEST_CASE(server, voice_push_to_talk_ends_utterance) {
  const std::string speech = ReadWavData(vrtest::args().get("speech-clip"));
  const std::string expected_command = vrtest::args().get("speech-command");
  auto client = ConnectToTestServer();
  Recorder<v1::RecognizeCommandsResponse> recorder;
  auto stream = client->RecognizeCommands(TenWordConfig(), recorder.Callbacks());

  // No trailing silence: releasing the talk button ends the utterance.
  REQUIRE(stream->PushToTalk(true));
  SendInChunks(stream.get(), speech);
  REQUIRE(stream->PushToTalk(false));
  const bool recognised = recorder.WaitFor(
      [&] { return !CommandResults(recorder.results).empty() || !recorder.errors.empty(); },
      std::chrono::seconds(60));
  REQUIRE(recognised);
  REQUIRE_MSG(recorder.errors.empty(), recorder.errors[0].ToString());
  stream->Close();
  const std::vector<v1::CommandResult> results = CommandResults(recorder.results);
  CHECK(results[0].command_id() == expected_command);
}

TEST_CASE(server, voice_vocabulary_replacement) {
  const std::string speech = ReadWavData(vrtest::args().get("speech-clip"));
  const std::string expected_command = vrtest::args().get("speech-command");
  auto client = ConnectToTestServer();
  Recorder<v1::RecognizeCommandsResponse> recorder;
  // Start with a vocabulary that lacks the spoken word, then replace it
  // before the utterance begins.
  v1::RecognizerConfig config = TenWordConfig();
  config.mutable_vocabulary()->Clear();
  v1::CommandDefinition* only = config.mutable_vocabulary()->add_commands();
  only->set_id("jump");
  only->add_phrases("jump");
  auto stream = client->RecognizeCommands(config, recorder.Callbacks());
  REQUIRE(stream->ReplaceVocabulary(TenWordConfig().vocabulary()));

  SendInChunks(stream.get(), std::string(2 * 16000 * 200 / 1000, '\0'));
  SendInChunks(stream.get(), speech);
  SendInChunks(stream.get(), std::string(2 * 16000 * 800 / 1000, '\0'));
  REQUIRE(recorder.WaitFor(
      [&] { return !CommandResults(recorder.results).empty() || !recorder.errors.empty(); },
      std::chrono::seconds(60)));
  REQUIRE_MSG(recorder.errors.empty(), recorder.errors[0].ToString());
  stream->Close();
  CHECK(CommandResults(recorder.results)[0].command_id() == expected_command);
}

TEST_CASE(server, voice_bad_config_reports_error) {
  auto client = ConnectToTestServer();
  Recorder<v1::RecognizeCommandsResponse> recorder;
  v1::RecognizerConfig config = TenWordConfig();
  config.mutable_audio()->set_sample_rate_hz(12345);
  auto stream = client->RecognizeCommands(config, recorder.Callbacks());
  stream->SendAudio(std::string(kChunkBytes, '\0'));
  REQUIRE(recorder.WaitFor([&] { return !recorder.errors.empty(); }));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  CHECK(recorder.error_count() == 1);
  CHECK_MSG(recorder.errors[0].code() == StatusCode::kInvalidArgument,
            recorder.errors[0].ToString());
  CHECK(recorder.errors[0].message().find("12345") != std::string::npos);
  stream->Close();
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
  ClientOptions options;
  options.connect_timeout = std::chrono::milliseconds(1000);
  options.backoff.initial_backoff = std::chrono::milliseconds(100);
  auto client = ConnectToTestServer(options);
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

  // New calls on the dead server fail fast instead of waiting, and
  // Reconnect() gives up after the connect timeout.
  v1::HandsResult result;
  const Status status =
      client->DetectHands(FrameFromFile(paths[0]), v1::HandsConfig(), &result);
  CHECK_MSG(status.code() == StatusCode::kUnavailable, status.ToString());
  const auto reconnect_start = Clock::now();
  const Status reconnect = client->Reconnect();
  const double reconnect_s = SecondsSince(reconnect_start);
  CHECK_MSG(reconnect.code() == StatusCode::kUnavailable, reconnect.ToString());
  CHECK_MSG(reconnect_s >= 0.5 && reconnect_s < 3.0, reconnect_s << " s");

  // A stream that waits for the dead server to come back must still close
  // at once when the game stops, without callbacks.
  Recorder<v1::HandsResult> waiting;
  CallOptions wait;
  wait.wait_for_ready = true;
  auto waiting_stream = client->TrackHands(v1::HandsConfig(), waiting.Callbacks(), wait);
  waiting_stream->SendFrame(FrameFromFile(paths[0], 1));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  const auto close_start = Clock::now();
  waiting_stream->Close();
  CHECK_MSG(SecondsSince(close_start) < 1.0, SecondsSince(close_start) << " s to close");
  CHECK(waiting.error_count() == 0);
  CHECK(waiting.results.empty());
  stream->Close();
  client.reset();
  CHECK(recorder.error_count() == 1);
}
