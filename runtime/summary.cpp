#include "runtime/summary.h"

#include "runtime/date.h"

namespace aipol {
namespace {

void Tally(std::map<std::string, ObligationTally>& into, const ir::Decl& d) {
  ObligationTally& tally = into[d.id];
  if (tally.count == 0) {
    tally.title = d.title.value_or(d.name);
    tally.cite = d.citations.empty() ? "" : d.citations[0];
    tally.actor = d.actor_name.value_or("");
  }
  ++tally.count;
}

}  // namespace

void FleetSummary::Add(const ReportInput& r) {
  ++records;
  bool has_input_error = false, has_warning = false;
  for (const InputIssue& issue : r.issues) {
    (issue.error ? has_input_error : has_warning) = true;
  }
  if (has_warning) ++with_warnings;
  if (has_input_error) {
    ++input_errors;
    any_error = true;
    ++risk_levels["error"];
    return;
  }
  if (!r.results || r.results->error) {
    ++runtime_errors;
    any_error = true;
    ++risk_levels["error"];
    return;
  }
  const ir::Program& program = r.program;
  const Results& results = *r.results;
  for (size_t f = 0; f < program.reports.size(); ++f) {
    if (program.decls[program.reports[f]].name != "risk_level") continue;
    std::string level;
    AppendValueJson(level, results.facts[f], program.types);
    if (level.size() >= 2 && level.front() == '"') level = level.substr(1, level.size() - 2);
    if (level == "null") {
      level = "unknown";
      any_unknown = true;
    }
    if (level == "high") any_high = true;
    ++risk_levels[level];
  }
  for (size_t k = 0; k < program.prohibitions.size(); ++k) {
    Status status = results.prohibitions[k].status;
    if (status == Status::Violated) {
      any_prohibited = true;
      Tally(prohibited, program.decls[program.prohibitions[k]]);
    }
    if (status == Status::Unknown) any_unknown = true;
  }
  for (size_t k = 0; k < program.obligations.size(); ++k) {
    const StatusResult& s = results.obligations[k];
    if (s.status == Status::Open) {
      any_open = true;
      Tally(open, program.decls[program.obligations[k]]);
    }
    if (s.status == Status::Unknown) any_unknown = true;
    if (s.status == Status::Upcoming && s.from) ++upcoming_dates[FormatDate(*s.from)];
  }
}

void FleetSummary::Merge(const FleetSummary& o) {
  records += o.records;
  input_errors += o.input_errors;
  runtime_errors += o.runtime_errors;
  with_warnings += o.with_warnings;
  for (const auto& [level, n] : o.risk_levels) risk_levels[level] += n;
  auto merge = [](std::map<std::string, ObligationTally>& into,
                  const std::map<std::string, ObligationTally>& from) {
    for (const auto& [id, tally] : from) {
      ObligationTally& mine = into[id];
      if (mine.count == 0) {
        mine = tally;
      } else {
        mine.count += tally.count;
      }
    }
  };
  merge(open, o.open);
  merge(prohibited, o.prohibited);
  for (const auto& [date, n] : o.upcoming_dates) upcoming_dates[date] += n;
  any_prohibited |= o.any_prohibited;
  any_high |= o.any_high;
  any_open |= o.any_open;
  any_unknown |= o.any_unknown;
  any_error |= o.any_error;
}

}  // namespace aipol
