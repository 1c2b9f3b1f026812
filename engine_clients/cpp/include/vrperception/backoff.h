// Exponential backoff between connection attempts.
#pragma once

#include <chrono>
#include <cstdint>

namespace vrperception {

// Delay schedule for reconnecting: attempt n (0-based) waits
// min(initial_backoff * multiplier^n, max_backoff), then that delay is
// spread by +/- jitter (a fraction of it) so that many clients do not
// retry in step. The same values are handed to gRPC's channel as its
// transport reconnect backoff.
struct BackoffPolicy {
  std::chrono::milliseconds initial_backoff{250};
  std::chrono::milliseconds max_backoff{8000};
  double multiplier = 2.0;
  // Fraction in [0, 1) of the delay added or removed at random.
  double jitter = 0.2;
};

// Delay before retry `attempt` (0-based). `random_unit` is a number in
// [0, 1) that picks the jitter; 0.5 gives the delay without jitter.
std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy,
                                       uint32_t attempt, double random_unit);

}  // namespace vrperception
