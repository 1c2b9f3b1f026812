// Runs the registered cases of the groups named by --groups (comma
// separated; default "pure") and prints "N passed, N failed".
//
// Groups: pure (no server), server (needs --address, --data, --frames,
// --expected), unreachable (needs --dead-address), kill (needs --address
// and --frames; the driving test kills the server when this program prints
// READY_TO_KILL).
#include <cstdio>
#include <iostream>
#include <set>

#include "test_framework.h"

namespace vrtest {
namespace {

Arguments g_arguments;
int g_failures_in_case = 0;

std::set<std::string> SplitGroups(const std::string& text) {
  std::set<std::string> groups;
  std::string current;
  for (char c : text + ",") {
    if (c == ',') {
      if (!current.empty()) groups.insert(current);
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  return groups;
}

}  // namespace

const std::string& Arguments::get(const std::string& key) const {
  auto it = values.find(key);
  if (it == values.end()) {
    throw std::runtime_error("missing command-line argument --" + key);
  }
  return it->second;
}

const Arguments& args() { return g_arguments; }

std::vector<Case>& registry() {
  static std::vector<Case> cases;
  return cases;
}

void Fail(const char* file, int line, const std::string& message) {
  ++g_failures_in_case;
  std::cout << "    check failed at " << file << ":" << line << ": " << message
            << std::endl;
}

}  // namespace vrtest

int main(int argc, char** argv) {
  for (int i = 1; i + 1 < argc; i += 2) {
    std::string key = argv[i];
    if (key.rfind("--", 0) != 0) {
      std::cerr << "arguments are --name value pairs; got '" << key << "'\n";
      return 2;
    }
    vrtest::g_arguments.values[key.substr(2)] = argv[i + 1];
  }
  const std::string groups_text =
      vrtest::g_arguments.has("groups") ? vrtest::g_arguments.get("groups") : "pure";
  const std::set<std::string> groups = vrtest::SplitGroups(groups_text);
  const std::string only =
      vrtest::g_arguments.has("only") ? vrtest::g_arguments.get("only") : "";

  int passed = 0;
  int failed = 0;
  for (const vrtest::Case& test : vrtest::registry()) {
    if (!groups.count(test.group)) continue;
    if (!only.empty() && test.name != only) continue;
    std::cout << "RUN  " << test.group << "." << test.name << std::endl;
    vrtest::g_failures_in_case = 0;
    try {
      test.body();
    } catch (const vrtest::Abort&) {
      // Already recorded.
    } catch (const std::exception& error) {
      vrtest::Fail(__FILE__, __LINE__, std::string("exception: ") + error.what());
    }
    if (vrtest::g_failures_in_case == 0) {
      ++passed;
      std::cout << "PASS " << test.group << "." << test.name << std::endl;
    } else {
      ++failed;
      std::cout << "FAIL " << test.group << "." << test.name << std::endl;
    }
  }
  std::cout << passed << " passed, " << failed << " failed" << std::endl;
  return failed == 0 && passed > 0 ? 0 : 1;
}
