// Internal helpers shared by the client sources; not installed.
#pragma once

#include <grpcpp/grpcpp.h>

#include <string>

#include "vrperception/client.h"
#include "vrperception/status.h"

namespace vrperception {
namespace internal {

// Converts a gRPC status, prefixing the message with the method name.
inline Status FromGrpc(const grpc::Status& status, const std::string& method) {
  if (status.ok()) return Status::Ok();
  return Status(static_cast<StatusCode>(status.error_code()),
                method + ": " + status.error_message());
}

inline void Log(const LogFunction& log, LogLevel level, const std::string& line) {
  if (log) log(level, line);
}

}  // namespace internal
}  // namespace vrperception
