// Reports (docs/reports.md): one per descriptor, as JSON or as text for people.
#pragma once

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/loader.h"
#include "runtime/results.h"

namespace aipol {

// What every report of one run says about the policy.
struct PolicyInfo {
  std::vector<std::string> modules;  // sorted paths
  std::string hash;                  // "sha256:<hex>" over the sorted (path, source) pairs
  std::vector<std::pair<std::string, std::string>> params;  // name -> literal, sorted by name

  static PolicyInfo From(const ir::Program& program, const std::vector<Value>& params);
};

struct RecordSource {
  std::string_view file;  // as given, "-" for stdin; outlives the report
  uint64_t line = 1;      // 1-based line where the record starts
  uint64_t index = 0;     // 0-based position among all records of the run
};

// The parts of a JSON report that are the same for every descriptor of a
// run, written once: the policy block, and the fixed head of each
// obligation's and prohibition's entry (id, title, actor, citations).
struct ReportParts {
  std::string policy;              // `"policy": {...}, `
  std::vector<std::string> heads;  // by declaration id, up to the `"status": ` key; empty for others

  static ReportParts For(const ir::Program& program, const PolicyInfo& policy);
};

struct ReportInput {
  const ir::Program& program;
  const PolicyInfo& policy;
  int32_t as_of;
  RecordSource source;
  std::optional<std::string_view> id;  // the descriptor's, outlives the report
  const std::vector<InputIssue>& issues;
  const Results* results;  // null when input errors kept the descriptor from being evaluated
  // Renders a source range as `file:line:col` (for runtime errors).
  std::function<std::string(SourceRange)> locate;
  // Built for the report when null (`batch` builds them once per run).
  const ReportParts* parts = nullptr;
};

void AppendReportJson(std::string& out, const ReportInput& report);
void WritePrettyReport(std::ostream& out, const ReportInput& report, bool color);

// True when the report lists an error (input or runtime).
bool ReportHasErrors(const ReportInput& report);

}  // namespace aipol
