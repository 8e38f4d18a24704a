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
class Interpreter;
class Arena;

// A test's descriptor: its `given` file (next to the policy; the standard
// library's are read from its sources) or its inline record, written out as
// JSON and read back by the loader descriptors use.
struct TestInput {
  std::string json;                // empty when the test gives no descriptor
  const uint8_t* row = nullptr;    // in the caller's arena; null without a descriptor
  std::string unreadable;          // the `given` file cannot be read: the message
  std::vector<InputIssue> errors;  // the descriptor's input errors (then no row)
};
TestInput LoadTestInput(const ir::Program& program, const ir::Test& test, const Interpreter& interpreter,
                        Arena& arena);

// The params a test runs with: `defaults` with the test's `set` steps applied.
std::vector<Value> TestParams(const ir::Test& test, std::vector<Value> defaults,
                              const Interpreter& interpreter);

// Runs one test (by index) with the interpreter and, when `jit` is given,
// with the JIT too: a difference between the engines fails the test.
TestOutcome RunTest(const LoadedPolicy& policy, size_t test_index, const JitEngine* jit);

}  // namespace aipol
