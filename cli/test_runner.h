// Running a policy's `test` blocks.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "cli/policy.h"

namespace aipol {

struct ExpectFailure {
  SourceRange range;       // the `expect` step
  std::string expected;    // e.g. "true", "high", "upcoming"
  std::string actual;      // e.g. "false", "unknown (missing: use.profiling)"
  std::string derivation;  // how the declarations it names came out (explain)
};

struct TestOutcome {
  const ir::Test* test = nullptr;
  bool passed = false;
  std::string error;  // could not run (bad `given` file, runtime error)
  std::vector<ExpectFailure> failures;
};

class JitEngine;

// Runs one test (by index) with the interpreter and, when `jit` is given,
// with the JIT too: a difference between the engines fails the test.
TestOutcome RunTest(const LoadedPolicy& policy, size_t test_index, const JitEngine* jit);

}  // namespace aipol
