// What bench_eval and bench_jit share: checking the policy they time, and
// printing durations. Header-only; each benchmark defines Die (its name on
// the message).
#pragma once

#include <cstdio>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/diag.h"
#include "compiler/interp/interp.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"

namespace aipol::bench {

// Prints `message` and exits with status 1.
[[noreturn]] void Die(const std::string& message);

struct Policy {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  std::unique_ptr<ir::Program> program;
  std::vector<Value> params;  // the defaults
  size_t declarations = 0;
};

// The checked policy (paths, directories or module prefixes, as `-p` takes
// them), which must have an `input`; dies on any error.
inline Policy CheckPolicy(const std::vector<std::string>& policies) {
  Policy policy;
  PolicyRequest request;
  request.policies = policies;
  DiagnosticSink diags;
  CheckResult result = Check(request, *policy.sources, diags);
  if (!result.program || diags.has_errors()) {
    std::ostringstream out;
    RenderText(*policy.sources, diags.diagnostics(), RenderOptions{}, out);
    Die("the policy has errors:\n" + out.str());
  }
  policy.program = std::move(result.program);
  policy.declarations = result.declaration_count;
  policy.params = Interpreter::DefaultParams(*policy.program);
  if (!policy.program->input) Die("the policy has no input");
  return policy;
}

inline std::string Format(double value, int decimals) {
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%.*f", decimals, value);
  return buffer;
}

// A duration in the most readable unit.
inline std::string Time(double seconds) {
  if (seconds < 1e-6) return Format(seconds * 1e9, 0) + " ns";
  if (seconds < 1e-3) return Format(seconds * 1e6, 2) + " µs";
  if (seconds < 1) return Format(seconds * 1e3, 2) + " ms";
  return Format(seconds, 2) + " s";
}

}  // namespace aipol::bench
