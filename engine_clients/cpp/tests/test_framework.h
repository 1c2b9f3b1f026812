// A small test framework: named cases in groups, checks that record a
// failure and go on, and a closing "N passed, N failed" line.
#pragma once

#include <cmath>
#include <functional>
#include <map>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

namespace vrtest {

// Command-line values the cases read (--address, --data, ...).
struct Arguments {
  std::map<std::string, std::string> values;
  bool has(const std::string& key) const { return values.count(key) > 0; }
  const std::string& get(const std::string& key) const;
};

const Arguments& args();

struct Case {
  std::string group;
  std::string name;
  std::function<void()> body;
};

std::vector<Case>& registry();

struct Registrar {
  Registrar(const char* group, const char* name, std::function<void()> body) {
    registry().push_back({group, name, std::move(body)});
  }
};

// Records a failed check of the running case.
void Fail(const char* file, int line, const std::string& message);

// Thrown by REQUIRE to stop the running case.
struct Abort : std::runtime_error {
  using std::runtime_error::runtime_error;
};

}  // namespace vrtest

#define VR_CONCAT_INNER(a, b) a##b
#define VR_CONCAT(a, b) VR_CONCAT_INNER(a, b)

#define TEST_CASE(group, name)                                                \
  static void VR_CONCAT(test_, name)();                                       \
  static vrtest::Registrar VR_CONCAT(registrar_, name)(#group, #name,         \
                                                       VR_CONCAT(test_, name)); \
  static void VR_CONCAT(test_, name)()

#define CHECK(condition)                                          \
  do {                                                            \
    if (!(condition)) vrtest::Fail(__FILE__, __LINE__, #condition); \
  } while (0)

#define CHECK_MSG(condition, message)                                  \
  do {                                                                 \
    if (!(condition)) {                                                \
      std::ostringstream vr_stream;                                    \
      vr_stream << #condition << ": " << message;                      \
      vrtest::Fail(__FILE__, __LINE__, vr_stream.str());               \
    }                                                                  \
  } while (0)

#define CHECK_NEAR(actual, expected, tolerance)                                \
  do {                                                                         \
    const double vr_actual = (actual);                                         \
    const double vr_expected = (expected);                                     \
    if (!(std::fabs(vr_actual - vr_expected) <= (tolerance))) {                \
      std::ostringstream vr_stream;                                            \
      vr_stream << #actual << " is " << vr_actual << ", expected " << vr_expected \
                << " +/- " << (tolerance);                                     \
      vrtest::Fail(__FILE__, __LINE__, vr_stream.str());                       \
    }                                                                          \
  } while (0)

#define REQUIRE(condition)                                               \
  do {                                                                   \
    if (!(condition)) {                                                  \
      vrtest::Fail(__FILE__, __LINE__, #condition);                      \
      throw vrtest::Abort("required check failed");                      \
    }                                                                    \
  } while (0)

#define REQUIRE_MSG(condition, message)                                  \
  do {                                                                   \
    if (!(condition)) {                                                  \
      std::ostringstream vr_stream;                                      \
      vr_stream << #condition << ": " << message;                        \
      vrtest::Fail(__FILE__, __LINE__, vr_stream.str());                 \
      throw vrtest::Abort("required check failed");                      \
    }                                                                    \
  } while (0)
