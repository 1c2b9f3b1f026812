// Latency benchmark of the C++ client against a running server.
#pragma once

#include <string>

namespace vrperception {
namespace cli {

struct BenchOptions {
  std::string address;
  // JPEG or PNG for the unary DetectHands calls; empty uses the raw frame.
  std::string image_path;
  // Optional file of exactly 640 * 480 * 3 bytes (top-down RGB) streamed
  // over TrackHands; empty streams a synthetic gradient.
  std::string raw_rgb_path;
  int iterations = 50;
  int stream_frames = 100;
};

// Prints p50/p95 of Connect+Handshake (transport baseline), unary
// DetectHands on the 640x480 raw RGB frame (and on the image file, when
// given), and a TrackHands ping-pong with that raw frame. Returns the exit
// status.
int RunBench(const BenchOptions& options);

}  // namespace cli
}  // namespace vrperception
