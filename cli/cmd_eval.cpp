// `aipol eval [-p POLICY] DESCRIPTOR.json`: one system, one report.
#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <sstream>

#include "cli/commands.h"
#include "cli/explain_output.h"
#include "cli/policy.h"
#include "compiler/interp/explain.h"
#include "compiler/interp/interp.h"
#include "runtime/loader.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol eval [OPTIONS] DESCRIPTOR.json

Evaluates one AI system descriptor and prints its report: pretty text on a
terminal, JSON otherwise. DESCRIPTOR may be `-` for standard input.

options:
  -p, --policy POLICY      the policy (default: the AI Act standard library, `aiact`)
  -I DIR                   a search root for imports
  --as-of DATE             the evaluation date (default: today, UTC)
  --set NAME=LITERAL       override a param, e.g. --set law_version=original_2024
  --format pretty|json     the report's form
  --strict                 unknown descriptor fields are errors
  --explain                also explain each reported fact and each prohibition and
                           obligation of the report (see `aipol explain`): after the
                           report in text; with --format json, as a second JSON line
                           {"explain": [...]}
  --depth N                with --explain: levels explained in full (default 1)
  --no-color               no colour

exit codes: 0 evaluated, 1 policy or usage error, 2 the descriptor had input or runtime errors

example:
  aipol eval --as-of 2026-11-28 examples/systems/cv-ranker.json
)";

}  // namespace

int RunEval(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  if (options.positional.size() != 1) {
    streams.err << "aipol eval: give exactly one descriptor (see `aipol eval --help`)\n";
    return kExitPolicyError;
  }
  std::string format =
      options.format.empty() ? (streams.out_is_terminal ? "pretty" : "json") : options.format;
  if (format != "pretty" && format != "json") {
    streams.err << "aipol eval: `--format` is `pretty` or `json`\n";
    return kExitPolicyError;
  }
  const std::string& path = options.positional[0];
  std::string text;
  if (!ReadDescriptor(path, streams.in, &text)) {
    streams.err << "aipol eval: cannot read `" << path << "`\n";
    return kExitPolicyError;
  }
  std::optional<LoadedPolicy> policy = LoadPolicy(options, streams, "eval", true);
  if (!policy) return kExitPolicyError;

  Arena arena;
  RowLoader loader(*policy->program);
  LoadedRow row = loader.Load(text, arena, options.strict);
  std::optional<Results> results;
  if (row.ok()) {
    EvalRequest request{row.row, policy->as_of, &policy->params};
    double compile_seconds = 0;
    std::unique_ptr<Engine> engine =
        MakeEngine(options.engine, *policy->program, 0, 0, streams, &compile_seconds);
    if (!engine) return kExitPolicyError;
    results = engine->Evaluate(request);
  }
  RecordSource source;
  source.file = path;
  // The record starts at its first significant character.
  size_t first = text.find_first_not_of(" \t\r\n");
  source.line = 1 + std::count(text.begin(), text.begin() + (first == std::string::npos ? 0 : first), '\n');
  ReportInput report{*policy->program,
                     policy->info,
                     policy->as_of,
                     source,
                     row.id,
                     row.issues,
                     results ? &*results : nullptr,
                     [&](SourceRange range) { return policy->Locate(range); }};
  // The explanation covers what the report lists: the facts and the
  // prohibitions and obligations that apply.
  bool explain = options.explain && results && !results->error;
  int depth = options.depth >= 0 ? options.depth : 1;
  std::optional<ExplainSelection> selection;
  if (explain) {
    selection = SelectAll(*policy->program, *results);
    selection->not_applying.clear();
  }
  EvalRequest request{row.row, policy->as_of, &policy->params};
  if (format == "json") {
    std::string json;
    AppendReportJson(json, report);
    streams.out << json << "\n";
    if (options.explain) {
      // A line of its own, so that the report line keeps its contract; an
      // empty array when errors kept the descriptor from being explained.
      std::string line = "{\"explain\": ";
      if (explain) {
        AppendExplanationsJson(line, *policy->program, request, *selection, depth);
      } else {
        line += "[]";
      }
      streams.out << line << "}\n";
    }
  } else {
    bool color = streams.out_is_terminal && !options.no_color && std::getenv("NO_COLOR") == nullptr;
    WritePrettyReport(streams.out, report, color);
    if (explain) {
      streams.out << "\n";
      WriteExplanationsText(
          streams.out, *policy->program, request, *selection, depth,
          "Explanation for " + row.id.value_or("(no id)") + " as of " + PlainDate(policy->as_of));
    }
  }
  return ReportHasErrors(report) ? kExitRecordErrors : kExitOk;
}

}  // namespace aipol
