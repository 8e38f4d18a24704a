// Batch output formats: jsonl, json, csv (one row per system), csv of open
// obligations, table (a terminal summary) and html (one self-contained page).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "runtime/report.h"
#include "runtime/summary.h"

namespace aipol {

struct RunTotals {
  FleetSummary summary;
  double seconds = 0;       // wall time of the run
  double read_parse_s = 0;  // summed over workers
  double eval_s = 0;
  double write_s = 0;
  double compile_s = 0;
  std::string engine;
  int threads = 1;
  std::string as_of;
  std::string policy_hash;
};

class Formatter {
 public:
  virtual ~Formatter() = default;
  // Text before the first record.
  virtual void Begin(std::string& out) {}
  // One record's output; called concurrently from workers (no shared state).
  virtual void Record(std::string& out, const ReportInput& report, bool first) = 0;
  // Text after the last record.
  virtual void End(std::string& out, const RunTotals& totals) {}
  // Whether the writer hands each chunk's output to Keep(), in input order,
  // instead of writing it (the HTML page, which puts the summary first and
  // keeps what its table shows until End).
  virtual bool buffers_records() const { return false; }
  virtual void Keep(std::string_view chunk_output) {}
};

// The HTML page's table of systems holds at most this many by default.
inline constexpr size_t kHtmlRows = 10000;
// `batch --format table` lists at most this many systems on a terminal.
inline constexpr size_t kTerminalTableRows = 25;

// `name`: jsonl, json, csv, csv-obligations, table, html. Null if unknown.
// `html_rows`, `table_rows`: the most systems the HTML page's table and the
// text table list (0: all).
std::unique_ptr<Formatter> MakeFormatter(const std::string& name, const ir::Program& program, bool color,
                                         size_t html_rows = kHtmlRows, size_t table_rows = 0);

// Per-record counts shared by the csv, table and html formats.
struct RecordCounts {
  std::string status;  // ok, input_error, runtime_error
  std::string risk_level;
  size_t violated = 0, open = 0, upcoming = 0, met = 0, partial = 0, stale = 0, unknown = 0;
  std::string errors;  // messages joined by "; "
};
RecordCounts CountRecord(const ReportInput& report);

// The summary as text (the end of `table`, and `--summary`).
std::string SummaryText(const RunTotals& totals, bool color);

}  // namespace aipol
