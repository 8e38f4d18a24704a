// `aipol test [POLICY...]`: run the `test` blocks of the named policies.
#include <ostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/test_runner.h"
#include "compiler/jit/jit.h"
#include "runtime/json_text.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol test [OPTIONS] [POLICY...]

Runs the `test` blocks of the named policies (not those of modules they
only import). POLICY is a .pol file, a directory or a module prefix;
default: the AI Act standard library (`aiact`). Ends with `N passed, M failed`.

options:
  -I DIR              a search root for imports
  --filter TEXT       run only tests whose description contains TEXT
  --format text|json  results as text (default) or one JSON object
  --set NAME=LITERAL  override a param for every test (a test's own `set` wins)

exit codes: 0 all passed, 1 policy or usage error, 3 some test failed

example:
  aipol test stdlib/aiact --filter "CV ranker"
)";

std::string SourceLine(const LoadedPolicy& policy, SourceRange range) {
  const SourceFile& file = policy.sources->file(range.file);
  return std::string(file.Line(file.Position(range.begin).line));
}

}  // namespace

int RunTest(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  bool json = options.format == "json";
  if (!options.format.empty() && !json && options.format != "text") {
    streams.err << "aipol test: `--format` is `text` or `json`\n";
    return kExitPolicyError;
  }
  Options policy_options = options;
  for (const std::string& p : options.positional) policy_options.policies.push_back(p);
  std::optional<LoadedPolicy> policy = LoadPolicy(policy_options, streams, "test", false);
  if (!policy) return kExitPolicyError;

  // Every test runs on both engines unless `--engine` names one.
  std::unique_ptr<JitEngine> jit;
  if (options.engine != "interp") {
    std::string error;
    JitOptions jit_options;
    jit_options.tests = true;
    jit = JitEngine::Compile(*policy->program, jit_options, &error);
    if (!jit) {
      streams.err << "aipol test: " << error << "\n";
      return kExitPolicyError;
    }
  }
  size_t passed = 0, failed = 0, skipped = 0;
  std::string report = "{\"tests\": [";
  for (size_t index = 0; index < policy->program->tests.size(); ++index) {
    const ir::Test& test = policy->program->tests[index];
    if (!test.requested) continue;
    if (!options.filter.empty() && test.description.find(options.filter) == std::string::npos) {
      ++skipped;
      continue;
    }
    TestOutcome outcome = RunTest(*policy, index, jit.get());
    (outcome.passed ? passed : failed)++;
    if (json) {
      if (passed + failed > 1) report += ", ";
      report += "{\"module\": " + JsonString(test.module) +
                ", \"description\": " + JsonString(test.description) +
                ", \"location\": " + JsonString(policy->Locate(test.range)) +
                ", \"passed\": " + (outcome.passed ? "true" : "false") +
                ", \"error\": " + (outcome.error.empty() ? "null" : JsonString(outcome.error)) +
                ", \"failures\": [";
      for (size_t k = 0; k < outcome.failures.size(); ++k) {
        const ExpectFailure& f = outcome.failures[k];
        report += (k ? ", " : "") + std::string("{\"location\": ") + JsonString(policy->Locate(f.range)) +
                  ", \"expected\": " + JsonString(f.expected) + ", \"actual\": " + JsonString(f.actual) + "}";
      }
      report += "]}";
      continue;
    }
    if (outcome.passed) continue;
    streams.out << "FAIL " << policy->Locate(test.range) << ": " << test.description << "\n";
    if (!outcome.error.empty()) streams.out << "  error: " << outcome.error << "\n";
    for (const ExpectFailure& f : outcome.failures) {
      streams.out << "  " << policy->Locate(f.range) << ":\n    " << SourceLine(*policy, f.range) << "\n"
                  << "    expected: " << f.expected << "\n    actual:   " << f.actual << "\n";
      if (!f.derivation.empty()) {
        streams.out << "    derivation:\n";
        std::istringstream lines(f.derivation);
        for (std::string line; std::getline(lines, line);) streams.out << "      " << line << "\n";
      }
    }
  }
  if (json) {
    streams.out << report << "], \"passed\": " << passed << ", \"failed\": " << failed
                << ", \"skipped\": " << skipped << "}\n";
  } else {
    streams.out << passed << " passed, " << failed << " failed";
    if (skipped) streams.out << ", " << skipped << " skipped";
    streams.out << "\n";
  }
  return failed ? kExitTestsFailed : kExitOk;
}

}  // namespace aipol
