// vrperception-cpp: command-line front end of the C++ client core.
//
//   vrperception-cpp info  [--address HOST:PORT]
//   vrperception-cpp hands IMAGE [--address HOST:PORT] [--timeout-ms N]
//   vrperception-cpp bench [--address HOST:PORT] [--image IMAGE]
//                          [--raw-rgb FILE] [--iterations N] [--stream-frames N]
#include <cstdio>
#include <iostream>
#include <map>
#include <string>

#include "bench.h"
#include "vrperception/client.h"
#include "vrperception/frames.h"

namespace {

constexpr const char* kDefaultAddress = "127.0.0.1:50051";

void PrintUsage() {
  std::cerr << "usage:\n"
               "  vrperception-cpp info  [--address HOST:PORT]\n"
               "  vrperception-cpp hands IMAGE [--address HOST:PORT] [--timeout-ms N]\n"
               "  vrperception-cpp bench [--address HOST:PORT] [--image IMAGE]\n"
               "                         [--raw-rgb FILE] [--iterations N] [--stream-frames N]\n"
               "HOST:PORT defaults to "
            << kDefaultAddress << ".\n";
}

struct CommandLine {
  std::string command;
  std::string positional;
  std::map<std::string, std::string> options;
};

bool ParseCommandLine(int argc, char** argv, CommandLine* line) {
  if (argc < 2) return false;
  line->command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg.rfind("--", 0) == 0) {
      if (i + 1 >= argc) {
        std::cerr << "option " << arg << " needs a value\n";
        return false;
      }
      line->options[arg.substr(2)] = argv[++i];
    } else if (line->positional.empty()) {
      line->positional = arg;
    } else {
      std::cerr << "unexpected argument '" << arg << "'\n";
      return false;
    }
  }
  return true;
}

std::string Option(const CommandLine& line, const std::string& name,
                   const std::string& fallback) {
  auto it = line.options.find(name);
  return it == line.options.end() ? fallback : it->second;
}

void LogToStderr(vrperception::LogLevel level, const std::string& message) {
  if (level == vrperception::LogLevel::kInfo) return;
  std::cerr << "vrperception-cpp: " << message << "\n";
}

std::unique_ptr<vrperception::Client> ConnectOrReport(const std::string& address) {
  vrperception::ClientOptions options;
  options.log = LogToStderr;
  auto connected = vrperception::Client::Connect(address, options);
  if (!connected.status.ok()) {
    std::cerr << "vrperception-cpp: cannot connect to " << address << ": "
              << connected.status.ToString() << "\n";
  }
  return std::move(connected.client);
}

int RunInfo(const CommandLine& line) {
  auto client = ConnectOrReport(Option(line, "address", kDefaultAddress));
  if (!client) return 1;
  const auto& info = client->server_info();
  std::cout << "server " << client->endpoint() << "\n"
            << "  protocol " << info.protocol_version() << ", server version "
            << info.server_version() << "\n  capabilities:";
  for (int capability : info.capabilities()) {
    std::cout << " " << vrperception::v1::Capability_Name(
                            static_cast<vrperception::v1::Capability>(capability));
  }
  std::cout << "\n  models:\n";
  for (const auto& model : info.models()) {
    std::cout << "    " << model.name() << " (" << model.task() << ") " << model.version()
              << " from " << model.source() << "\n";
  }
  const auto& limits = info.limits();
  std::cout << "  limits: max_message_bytes " << limits.max_message_bytes()
            << ", max_frame_bytes " << limits.max_frame_bytes() << ", max size "
            << limits.max_width() << "x" << limits.max_height() << ", max_streams "
            << limits.max_streams() << ", max_hands " << limits.max_hands() << "\n";
  return 0;
}

int RunHands(const CommandLine& line) {
  if (line.positional.empty()) {
    std::cerr << "vrperception-cpp hands: give the path of a JPEG or PNG file\n";
    return 2;
  }
  std::string bytes;
  vrperception::v1::ImageFrame frame;
  vrperception::Status status = vrperception::ReadFileBytes(line.positional, &bytes);
  if (status.ok()) status = vrperception::PackEncodedImage(std::move(bytes), &frame);
  if (!status.ok()) {
    std::cerr << "vrperception-cpp hands: " << status.ToString() << "\n";
    return 2;
  }

  auto client = ConnectOrReport(Option(line, "address", kDefaultAddress));
  if (!client) return 1;
  vrperception::CallOptions call;
  call.timeout = std::chrono::milliseconds(std::stoi(Option(line, "timeout-ms", "10000")));
  vrperception::v1::HandsResult result;
  status = client->DetectHands(frame, vrperception::v1::HandsConfig(), &result, call);
  if (!status.ok()) {
    std::cerr << "vrperception-cpp hands: " << status.ToString() << "\n";
    return 1;
  }

  std::cout << result.hands_size() << " hand(s) in " << line.positional << " ("
            << result.frame().width() << "x" << result.frame().height() << ", "
            << result.timings().total_ms() << " ms on the server)\n";
  for (const auto& hand : result.hands()) {
    std::cout << "  " << vrperception::v1::Handedness_Name(hand.handedness()) << " score "
              << hand.score();
    if (!hand.gesture().name().empty()) {
      std::cout << ", gesture " << hand.gesture().name() << " " << hand.gesture().score();
    }
    std::cout << "\n";
    if (hand.landmarks_size() > 8) {
      const auto& wrist = hand.landmarks(0);
      const auto& index_tip = hand.landmarks(8);
      std::cout << "    wrist (" << wrist.x() << ", " << wrist.y() << "), index tip ("
                << index_tip.x() << ", " << index_tip.y() << ")\n";
    }
  }
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CommandLine line;
  if (!ParseCommandLine(argc, argv, &line)) {
    PrintUsage();
    return 2;
  }
  try {
    if (line.command == "info") return RunInfo(line);
    if (line.command == "hands") return RunHands(line);
    if (line.command == "bench") {
      vrperception::cli::BenchOptions bench;
      bench.address = Option(line, "address", kDefaultAddress);
      bench.image_path = Option(line, "image", "");
      bench.raw_rgb_path = Option(line, "raw-rgb", "");
      bench.iterations = std::stoi(Option(line, "iterations", "50"));
      bench.stream_frames = std::stoi(Option(line, "stream-frames", "100"));
      return vrperception::cli::RunBench(bench);
    }
  } catch (const std::invalid_argument&) {
    std::cerr << "vrperception-cpp: a numeric option has a value that is not a number\n";
    return 2;
  }
  std::cerr << "vrperception-cpp: unknown command '" << line.command << "'\n";
  PrintUsage();
  return 2;
}
