// The aipol command line as a function, so tests run it in-process with
// injected streams.
#pragma once

#include <iosfwd>
#include <string>
#include <vector>

namespace aipol {

// Exit codes (docs/cli.md).
enum ExitCode : int {
  kExitOk = 0,
  kExitPolicyError = 1,  // policy or usage error
  kExitRecordErrors = 2,
  kExitTestsFailed = 3,
  kExitFailOn = 4,
};

struct Streams {
  std::istream& in;
  std::ostream& out;  // results
  std::ostream& err;  // messages and diagnostics
  bool out_is_terminal = false;
  bool err_is_terminal = false;
};

// `args` excludes the program name: {"check", "policy.pol"}.
int RunAipol(const std::vector<std::string>& args, Streams streams);

// RunAipol on a thread with a large stack. The compiler and the interpreter
// recurse over expression trees, whose depth the language limits; the large
// stack makes every input within those limits safe, however it nests.
int RunAipolOnLargeStack(const std::vector<std::string>& args, Streams streams);

}  // namespace aipol
