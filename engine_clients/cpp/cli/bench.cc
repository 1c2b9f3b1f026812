#include "bench.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <iostream>
#include <mutex>
#include <vector>

#include "vrperception/client.h"
#include "vrperception/frames.h"

namespace vrperception {
namespace cli {
namespace {

using Clock = std::chrono::steady_clock;

constexpr uint32_t kStreamWidth = 640;
constexpr uint32_t kStreamHeight = 480;
constexpr int kWarmupCalls = 3;
constexpr std::chrono::seconds kStreamResultTimeout{10};

double Percentile(std::vector<double> values, double fraction) {
  if (values.empty()) return 0.0;
  std::sort(values.begin(), values.end());
  const size_t index = std::min(values.size() - 1,
                                static_cast<size_t>(fraction * (values.size() - 1) + 0.5));
  return values[index];
}

double MillisecondsSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

void PrintLine(const std::string& label, const std::vector<double>& ms) {
  std::printf("%-44s n=%-4zu p50 %8.2f ms  p95 %8.2f ms\n", label.c_str(), ms.size(),
              Percentile(ms, 0.50), Percentile(ms, 0.95));
}

std::string SyntheticRgb() {
  std::string pixels(kStreamWidth * kStreamHeight * 3, '\0');
  for (uint32_t y = 0; y < kStreamHeight; ++y) {
    for (uint32_t x = 0; x < kStreamWidth; ++x) {
      const size_t offset = (static_cast<size_t>(y) * kStreamWidth + x) * 3;
      pixels[offset] = static_cast<char>(x * 255 / kStreamWidth);
      pixels[offset + 1] = static_cast<char>(y * 255 / kStreamHeight);
      pixels[offset + 2] = static_cast<char>(128);
    }
  }
  return pixels;
}

Status LoadRawRgb(const std::string& path, std::string* pixels) {
  if (path.empty()) {
    *pixels = SyntheticRgb();
    return Status::Ok();
  }
  Status status = ReadFileBytes(path, pixels);
  if (!status.ok()) return status;
  const size_t expected = static_cast<size_t>(kStreamWidth) * kStreamHeight * 3;
  if (pixels->size() != expected) {
    return Status(StatusCode::kInvalidArgument,
                  path + " has " + std::to_string(pixels->size()) + " bytes; a 640x480 " +
                      "RGB frame has " + std::to_string(expected));
  }
  return Status::Ok();
}

std::vector<double> TimeHandshakes(const std::string& address, int iterations) {
  std::vector<double> ms;
  for (int i = 0; i < iterations + kWarmupCalls; ++i) {
    const auto start = Clock::now();
    auto connected = Client::Connect(address);
    const double elapsed = MillisecondsSince(start);
    if (connected.status.ok() && i >= kWarmupCalls) ms.push_back(elapsed);
  }
  return ms;
}

Status TimeUnary(Client* client, const v1::ImageFrame& frame, int iterations,
                 std::vector<double>* ms) {
  const v1::HandsConfig config;
  for (int i = 0; i < iterations + kWarmupCalls; ++i) {
    v1::HandsResult result;
    const auto start = Clock::now();
    const Status status = client->DetectHands(frame, config, &result);
    const double elapsed = MillisecondsSince(start);
    if (!status.ok()) return status;
    if (i >= kWarmupCalls) ms->push_back(elapsed);
  }
  return Status::Ok();
}

// Sends one frame, waits for its result, repeats: per-frame round trip.
Status TimeStream(Client* client, const v1::ImageFrame& frame, int frames,
                  std::vector<double>* ms) {
  std::mutex mutex;
  std::condition_variable arrived;
  uint64_t last_frame_id = 0;
  Status error;
  bool failed = false;

  HandsCallbacks callbacks;
  callbacks.on_result = [&](const v1::HandsResult& result) {
    std::lock_guard<std::mutex> lock(mutex);
    last_frame_id = result.frame().frame_id();
    arrived.notify_all();
  };
  callbacks.on_error = [&](const Status& status) {
    std::lock_guard<std::mutex> lock(mutex);
    error = status;
    failed = true;
    arrived.notify_all();
  };
  v1::HandsConfig config;
  config.set_max_hands(1);
  auto stream = client->TrackHands(config, callbacks);

  for (int i = 0; i < frames + kWarmupCalls; ++i) {
    v1::ImageFrame copy = frame;
    const uint64_t frame_id = static_cast<uint64_t>(i) + 1;
    copy.set_frame_id(frame_id);
    const auto start = Clock::now();
    stream->SendFrame(std::move(copy));
    std::unique_lock<std::mutex> lock(mutex);
    const bool answered = arrived.wait_for(lock, kStreamResultTimeout, [&] {
      return failed || last_frame_id >= frame_id;
    });
    if (failed) return error;
    if (!answered) {
      return Status(StatusCode::kDeadlineExceeded,
                    "no TrackHands result for frame " + std::to_string(frame_id) +
                        " within 10 s");
    }
    if (i >= kWarmupCalls) ms->push_back(MillisecondsSince(start));
  }
  stream->Close();
  return Status::Ok();
}

}  // namespace

int RunBench(const BenchOptions& options) {
  ClientOptions client_options;
  auto connected = Client::Connect(options.address, client_options);
  if (!connected.status.ok()) {
    std::cerr << "bench: cannot connect to " << options.address << ": "
              << connected.status.ToString() << "\n";
    return 1;
  }
  Client& client = *connected.client;

  std::string pixels;
  Status status = LoadRawRgb(options.raw_rgb_path, &pixels);
  if (!status.ok()) {
    std::cerr << "bench: " << status.ToString() << "\n";
    return 2;
  }
  v1::ImageFrame raw_frame;
  PixelBufferView buffer;
  buffer.data = reinterpret_cast<const uint8_t*>(pixels.data());
  buffer.size_bytes = pixels.size();
  buffer.format = PixelFormat::kRgb8;
  buffer.width = kStreamWidth;
  buffer.height = kStreamHeight;
  status = PackRawFrame(buffer, &raw_frame);

  v1::ImageFrame image_frame;
  std::string image_label;
  if (status.ok() && !options.image_path.empty()) {
    std::string bytes;
    status = ReadFileBytes(options.image_path, &bytes);
    if (status.ok()) status = PackEncodedImage(std::move(bytes), &image_frame);
    image_label = "DetectHands unary, " +
                  options.image_path.substr(options.image_path.find_last_of('/') + 1);
  }
  if (!status.ok()) {
    std::cerr << "bench: " << status.ToString() << "\n";
    return 2;
  }

  std::printf("server %s, %d iterations, %d stream frames\n", options.address.c_str(),
              options.iterations, options.stream_frames);
  PrintLine("Connect+Handshake (new channel, baseline)",
            TimeHandshakes(options.address, options.iterations));

  std::vector<double> unary_ms;
  status = TimeUnary(&client, raw_frame, options.iterations, &unary_ms);
  if (!status.ok()) {
    std::cerr << "bench: " << status.ToString() << "\n";
    return 1;
  }
  PrintLine("DetectHands unary, 640x480 raw RGB", unary_ms);
  if (!image_label.empty()) {
    std::vector<double> image_ms;
    status = TimeUnary(&client, image_frame, options.iterations, &image_ms);
    if (!status.ok()) {
      std::cerr << "bench: " << status.ToString() << "\n";
      return 1;
    }
    PrintLine(image_label, image_ms);
  }

  std::vector<double> stream_ms;
  status = TimeStream(&client, raw_frame, options.stream_frames, &stream_ms);
  if (!status.ok()) {
    std::cerr << "bench: TrackHands: " << status.ToString() << "\n";
    return 1;
  }
  PrintLine("TrackHands round trip, 640x480 raw RGB", stream_ms);
  return 0;
}

}  // namespace cli
}  // namespace vrperception
