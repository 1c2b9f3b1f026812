#include "vrperception/backoff.h"

#include <algorithm>
#include <cmath>

namespace vrperception {

std::chrono::milliseconds BackoffDelay(const BackoffPolicy& policy,
                                       uint32_t attempt, double random_unit) {
  const double initial_ms = static_cast<double>(policy.initial_backoff.count());
  const double max_ms = static_cast<double>(policy.max_backoff.count());
  const double multiplier = std::max(1.0, policy.multiplier);

  // Grow in steps and stop at the cap, so large attempt numbers cannot
  // overflow pow().
  double delay_ms = std::max(0.0, initial_ms);
  for (uint32_t i = 0; i < attempt && delay_ms < max_ms; ++i) {
    delay_ms *= multiplier;
  }
  delay_ms = std::min(delay_ms, max_ms);

  const double jitter = std::clamp(policy.jitter, 0.0, 0.99);
  const double unit = std::clamp(random_unit, 0.0, 1.0);
  delay_ms *= 1.0 + jitter * (2.0 * unit - 1.0);
  return std::chrono::milliseconds(static_cast<int64_t>(std::llround(delay_ms)));
}

}  // namespace vrperception
