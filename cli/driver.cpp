#include "cli/driver.h"

#include <map>
#include <ostream>

#include "cli/commands.h"
#include "runtime/large_stack.h"

namespace aipol {
namespace {

constexpr std::string_view kUsage = R"(usage: aipol COMMAND [OPTIONS]

commands:
  check   [POLICY...]    parse, resolve and type-check policies; print diagnostics
  eval    DESCRIPTOR     evaluate one AI system descriptor and print its report
  batch   INPUT...       evaluate a fleet (JSON Lines, JSON, directories, -)
  explain DESCRIPTOR     why each obligation, prohibition and fact came out as it did
  test    [POLICY...]    run the policies' `test` blocks
  repl    [DESCRIPTOR]   an interactive session (expressions, declarations, :explain)
  doc                    an obligation catalogue for lawyers (HTML and Markdown)
  schema                 the input types of a policy (--json-schema for JSON Schema)
  fmt     FILE...        print policies in the canonical layout (-w rewrites, --check)
  version                print the version

Run `aipol COMMAND --help` for a command's options and an example.
)";

}  // namespace

int RunAipol(const std::vector<std::string>& args, Streams streams) {
  std::string error;
  std::optional<Options> options = ParseOptions(args, &error);
  if (!options) {
    streams.err << "aipol: " << error << "\n";
    return kExitPolicyError;
  }
  if (options->command.empty()) {
    (options->help ? streams.out : streams.err) << kUsage;
    return options->help ? kExitOk : kExitPolicyError;
  }
  using Command = int (*)(const Options&, Streams&);
  static const std::map<std::string, Command> kCommands = {
      {"check", RunCheck},   {"eval", RunEval}, {"batch", RunBatch},     {"test", RunTest},
      {"schema", RunSchema}, {"repl", RunRepl}, {"version", RunVersion}, {"explain", RunExplain},
      {"doc", RunDoc},       {"fmt", RunFmt},
  };
  auto it = kCommands.find(options->command);
  if (it == kCommands.end()) {
    streams.err << "aipol: unknown command `" << options->command << "`\n" << kUsage;
    return kExitPolicyError;
  }
  return it->second(*options, streams);
}

int RunAipolOnLargeStack(const std::vector<std::string>& args, Streams streams) {
  int code = kExitPolicyError;
  LargeStackThread([&] { code = RunAipol(args, streams); }).Join();
  return code;
}

}  // namespace aipol
