// `aipol batch [-p POLICY] INPUT... [-o FILE]`: evaluate a fleet.
#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <thread>

#include "cli/commands.h"
#include "cli/policy.h"
#include "compiler/interp/interp.h"
#include "compiler/jit/jit.h"
#include "runtime/batch.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol batch [OPTIONS] INPUT... [-o FILE]

Evaluates a fleet of AI system descriptors and writes one report per record,
in input order. INPUT is a JSON Lines file (.jsonl, .ndjson), a JSON file (an
array of descriptors, or descriptors in a row), a directory of such files
(sorted, recursively) or `-` (standard input: JSON Lines, or pretty-printed
JSON as `jq` writes it). A record that cannot be read still gets a report,
with its errors, in its place.

options:
  -p, --policy POLICY   the policy (default: the AI Act standard library, `aiact`)
  -o, --output FILE     write the reports to FILE instead of standard output;
                        without --format, its extension picks the format
                        (.html, .csv, .json, .txt for table; else jsonl)
  --format F            jsonl (default when stdout is not a terminal), json, csv,
                        table (default on a terminal) or html
  --csv obligations     with csv: one row per open obligation (default `systems`)
  --html-rows N         with html: list at most N systems in the table, those
                        needing attention first (default 10000; 0: all)
  --as-of DATE          the evaluation date (default: today, UTC)
  --set NAME=LITERAL    override a param
  -j N                  worker threads (default: all cores)
  --engine E            auto, interp or jit (default auto)
  --strict              unknown descriptor fields are errors
  --fail-on C           exit 4 when any report matches C: prohibited, high, open,
                        unknown or error (repeatable)
  --summary             print the fleet summary on stderr at the end
  --stats               print timings as one JSON object on stderr at the end
  --quiet               no progress bar

exit codes: 0 done, 1 policy or usage error, 2 some records had input or
runtime errors (all others were evaluated and written), 4 --fail-on matched

example:
  aipol batch --as-of 2026-11-28 examples/fleet.jsonl --format html -o fleet.html
)";

// A progress line on stderr, redrawn at most ten times a second.
class ProgressBar {
 public:
  ProgressBar(std::ostream& err, uint64_t total_bytes) : err_(err), total_(total_bytes) {}
  void Update(uint64_t records, uint64_t bytes) {
    auto now = std::chrono::steady_clock::now();
    if (now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    double elapsed = std::chrono::duration<double>(now - start_).count();
    double rate = elapsed > 0 ? static_cast<double>(records) / elapsed : 0;
    double fraction = total_ ? std::min(1.0, static_cast<double>(bytes) / static_cast<double>(total_)) : 0;
    int filled = static_cast<int>(fraction * 30);
    char line[160];
    double eta = fraction > 0 ? elapsed * (1 - fraction) / fraction : 0;
    std::snprintf(line, sizeof line, "\r[%-30s] %llu records  %.0f records/s  ETA %d:%02d ",
                  std::string(static_cast<size_t>(filled), '#').c_str(),
                  static_cast<unsigned long long>(records), rate, static_cast<int>(eta) / 60,
                  static_cast<int>(eta) % 60);
    err_ << line << std::flush;
    drawn_ = true;
  }
  ~ProgressBar() {
    if (drawn_) err_ << "\r" << std::string(90, ' ') << "\r" << std::flush;
  }

 private:
  std::ostream& err_;
  uint64_t total_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
  std::chrono::steady_clock::time_point last_ = start_;
  bool drawn_ = false;
};

bool Matches(const std::string& condition, const FleetSummary& s) {
  if (condition == "prohibited") return s.any_prohibited;
  if (condition == "high") return s.any_high;
  if (condition == "open") return s.any_open;
  if (condition == "unknown") return s.any_unknown;
  return s.any_error;
}

// The format the extension of `-o FILE` names, or "" (then the default).
std::string FormatOfPath(const std::string& path) {
  std::string extension = std::filesystem::path(path).extension().string();
  std::transform(extension.begin(), extension.end(), extension.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  if (extension == ".html" || extension == ".htm") return "html";
  if (extension == ".csv") return "csv";
  if (extension == ".json") return "json";
  if (extension == ".txt") return "table";
  return "";
}

}  // namespace

int RunBatch(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  if (options.positional.empty()) {
    streams.err << "aipol batch: give at least one input (a .jsonl or .json file, a directory, or -)\n";
    return kExitPolicyError;
  }
  bool to_terminal = options.output.empty() && streams.out_is_terminal;
  // Without --format: what `-o FILE`'s extension names (report.html), else a
  // table on a terminal and JSON Lines elsewhere.
  std::string format = options.format;
  if (format.empty()) format = FormatOfPath(options.output);
  if (format.empty()) format = to_terminal ? "table" : "jsonl";
  if (options.csv_variant == "obligations" && (format == "csv" || options.format.empty()))
    format = "csv-obligations";
  // Writing over an input would destroy it before it is read.
  if (!options.output.empty()) {
    for (const std::string& input : options.positional) {
      std::error_code ec;
      if (input != "-" && std::filesystem::equivalent(input, options.output, ec)) {
        streams.err << "aipol batch: `-o " << options.output << "` is also an input\n";
        return kExitPolicyError;
      }
    }
  }
  std::optional<LoadedPolicy> policy = LoadPolicy(options, streams, "batch", true);
  if (!policy) return kExitPolicyError;
  bool color = to_terminal && !options.no_color && std::getenv("NO_COLOR") == nullptr;
  // On a terminal the table lists the systems that need attention first, so
  // that the summary is not scrolled away; a file or a pipe gets every line.
  std::unique_ptr<Formatter> formatter =
      MakeFormatter(format, *policy->program, color, options.html_rows.value_or(kHtmlRows),
                    to_terminal ? kTerminalTableRows : 0);
  if (!formatter) {
    streams.err << "aipol batch: unknown format `" << format << "` (jsonl, json, csv, table or html)\n";
    return kExitPolicyError;
  }

  FleetReader reader(options.positional, streams.in);
  for (const std::string& error : reader.errors()) streams.err << "aipol batch: " << error << "\n";
  for (const std::string& warning : reader.warnings())
    streams.err << "aipol batch: warning: " << warning << "\n";
  if (!reader.errors().empty()) return kExitPolicyError;

  std::ofstream file;
  if (!options.output.empty()) {
    file.open(options.output, std::ios::binary);
    if (!file) {
      streams.err << "aipol batch: cannot write `" << options.output << "`\n";
      return kExitPolicyError;
    }
  }
  std::ostream& out = options.output.empty() ? streams.out : file;

  double compile_seconds = 0;
  // (The estimate reads the first records again: not for a large input,
  // whose count does not matter.)
  bool count = options.engine == "auto" && reader.total_bytes() < kCompileFromBytes;
  uint64_t records = count ? reader.EstimateRecords() : 0;
  std::unique_ptr<Engine> engine =
      MakeEngine(options.engine, *policy->program, records, reader.total_bytes(), streams, &compile_seconds);
  if (!engine) return kExitPolicyError;
  BatchContext context{*policy->program, *engine,
                       policy->info,     policy->as_of,
                       policy->params,   [&](SourceRange range) { return policy->Locate(range); }};
  BatchConfig config;
  config.threads =
      options.jobs ? options.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  config.strict = options.strict;
  std::optional<ProgressBar> progress;
  // Not when the output streams to the same terminal; a format that holds
  // its rows until the end (the table on a terminal) writes after the bar
  // is cleared.
  if (streams.err_is_terminal && !options.quiet && (!to_terminal || formatter->buffers_records())) {
    progress.emplace(streams.err, reader.total_bytes());
    config.progress = [&](uint64_t records, uint64_t bytes) { progress->Update(records, bytes); };
    config.before_end = [&] { progress.reset(); };
  }
  size_t open_errors = reader.errors().size();
  RunTotals totals = aipol::RunBatch(context, reader, *formatter, out, config);
  totals.compile_s = compile_seconds;
  // Whether the JIT's optimised tier was in use when the last record was
  // evaluated (its background compile may finish later, or be stopped).
  const auto* jit = dynamic_cast<const JitEngine*>(engine.get());
  bool jit_optimised = jit && jit->optimised();
  const char* jit_tier = !jit              ? "null"
                         : jit->thorough() ? "\"thorough\""
                         : jit_optimised   ? "\"optimised\""
                                           : "\"fast\"";
  progress.reset();
  // An input that could be opened when the run started but not when its
  // turn came (deleted, or its permissions changed meanwhile): its records
  // are missing from the output, and this says so.
  for (size_t e = open_errors; e < reader.errors().size(); ++e)
    streams.err << "aipol batch: " << reader.errors()[e] << "\n";
  bool inputs_lost = reader.errors().size() > open_errors;
  if (file.is_open()) {
    file.close();
    if (!file) {
      streams.err << "aipol batch: writing `" << options.output << "` failed\n";
      return kExitPolicyError;
    }
  }

  if (options.summary) streams.err << SummaryText(totals, streams.err_is_terminal && !options.no_color);
  if (options.stats) {
    const FleetSummary& s = totals.summary;
    char line[640];
    double per_record = s.records ? totals.eval_s * 1e9 / static_cast<double>(s.records) : 0;
    std::snprintf(
        line, sizeof line,
        "{\"records\": %llu, \"errors\": %llu, \"engine\": \"%s\", \"threads\": %d, \"check_s\": %.6f, "
        "\"policy_cached\": %s, \"read_parse_s\": %.6f, \"compile_s\": %.6f, \"eval_s\": %.6f, "
        "\"write_s\": %.6f, \"total_s\": %.6f, \"eval_ns_per_record\": %.1f, \"jit_optimised\": %s, "
        "\"jit_tier\": %s}\n",
        static_cast<unsigned long long>(s.records),
        static_cast<unsigned long long>(s.input_errors + s.runtime_errors), totals.engine.c_str(),
        totals.threads, policy->check_seconds, policy->from_cache ? "true" : "false", totals.read_parse_s,
        totals.compile_s, totals.eval_s, totals.write_s, totals.seconds, per_record,
        jit_optimised ? "true" : "false", jit_tier);
    streams.err << line;
  }
  for (const std::string& condition : options.fail_on) {
    if (Matches(condition, totals.summary)) return kExitFailOn;
  }
  return totals.summary.any_error || inputs_lost ? kExitRecordErrors : kExitOk;
}

}  // namespace aipol
