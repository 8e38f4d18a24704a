// `aipol explain [-p POLICY] DESCRIPTOR.json [NAME]`: why each reported fact,
// prohibition and obligation came out as it did (docs/explain.md).
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/explain_output.h"
#include "cli/policy.h"
#include "compiler/interp/explain.h"
#include "runtime/date.h"
#include "runtime/json_text.h"
#include "runtime/loader.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol explain [OPTIONS] DESCRIPTOR.json [NAME]

Explains why each reported fact, prohibition and obligation came out as it
did for one AI system: its result and the reason in words, its conditions as
written in the policy with their values, the facts read from the descriptor,
the exceptions that applied or not, the rules it is based on and, for unknown
results, the missing facts that would decide it. With NAME (a declaration's
name or `module.name`), only that one, in more depth. DESCRIPTOR may be `-`
for standard input.

options:
  -p, --policy POLICY      the policy (default: the AI Act standard library, `aiact`)
  -I DIR                   a search root for imports
  --as-of DATE             the evaluation date (default: today, UTC)
  --set NAME=LITERAL       override a param, e.g. --set law_version=original_2024
  --format text|json       text for people (default) or one JSON object for tools
  --depth N                how many levels of the rules an item is based on are
                           explained in full (default 1; 2 with NAME)
  --strict                 unknown descriptor fields are errors

exit codes: 0 explained, 1 policy or usage error (also an unknown NAME),
2 the descriptor had input or runtime errors

examples:
  aipol explain --as-of 2026-11-28 examples/systems/cv-ranker.json
  aipol explain --as-of 2026-11-28 examples/systems/cv-ranker.json risk_management
)";

}  // namespace

int RunExplain(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  if (options.positional.empty() || options.positional.size() > 2) {
    streams.err << "aipol explain: give a descriptor and optionally a name (see `aipol explain --help`)\n";
    return kExitPolicyError;
  }
  std::string format = options.format.empty() ? "text" : options.format;
  if (format != "text" && format != "json") {
    streams.err << "aipol explain: `--format` is `text` or `json`\n";
    return kExitPolicyError;
  }
  const std::string& path = options.positional[0];
  std::string text;
  if (!ReadDescriptor(path, streams.in, &text)) {
    streams.err << "aipol explain: cannot read `" << path << "`\n";
    return kExitPolicyError;
  }
  std::optional<LoadedPolicy> policy = LoadPolicy(options, streams, "explain", true);
  if (!policy) return kExitPolicyError;
  const ir::Program& program = *policy->program;

  std::optional<uint32_t> only;
  if (options.positional.size() == 2) {
    std::string error;
    only = FindDeclaration(program, options.positional[1], &error);
    if (!only) {
      streams.err << "aipol explain: " << error << "\n";
      return kExitPolicyError;
    }
  }

  Arena arena;
  RowLoader loader(program);
  LoadedRow row = loader.Load(text, arena, options.strict);
  for (const InputIssue& issue : row.issues) {
    streams.err << path << ": " << (issue.error ? "error: " : "warning: ")
                << (issue.path.empty() ? "" : issue.path + ": ") << issue.message << " ["
                << InputIssueKindName(issue.kind) << "]\n";
  }
  if (!row.ok()) return kExitRecordErrors;

  EvalRequest request{row.row, policy->as_of, &policy->params};
  Results results = Interpreter(program).Evaluate(request);
  int code = kExitOk;
  if (results.error) {
    streams.err << path << ": error: " << results.error->message << " at "
                << policy->Locate(results.error->range) << " [" << results.error->kind << "]\n";
    code = kExitRecordErrors;
  }
  int depth = options.depth >= 0 ? options.depth : only ? 2 : 1;
  std::string id = row.id.value_or("(no id)");

  if (format == "json") {
    std::string json = "{\"id\": ";
    json += row.id ? JsonString(*row.id) : "null";
    json += ", \"as_of\": " + JsonString(FormatDate(policy->as_of)) + ", \"explain\": ";
    if (only) {
      json += "[";
      AppendExplanationJson(json, program, Explain(program, request, *only, depth));
      json += "]";
    } else {
      AppendExplanationsJson(json, program, request, SelectAll(program, results), depth);
    }
    streams.out << json << "}\n";
    return code;
  }
  std::string heading = "Explanation for " + id + " as of " + PlainDate(policy->as_of);
  if (only) {
    streams.out << heading << "\n\n" << ExplanationText(program, Explain(program, request, *only, depth));
  } else {
    WriteExplanationsText(streams.out, program, request, SelectAll(program, results), depth, heading);
  }
  return code;
}

}  // namespace aipol
