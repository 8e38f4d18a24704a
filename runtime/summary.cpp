#include "runtime/summary.h"

#include "runtime/date.h"

namespace aipol {

void FleetSummary::Bind(const ir::Program& program) {
  program_ = &program;
  for (size_t f = 0; f < program.reports.size(); ++f) {
    if (program.decls[program.reports[f]].name == "risk_level") risk_fact_ = static_cast<int64_t>(f);
  }
  open_.assign(program.obligations.size(), 0);
  violated_.assign(program.prohibitions.size(), 0);
}

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
    return;
  }
  if (!r.results || r.results->error) {
    ++runtime_errors;
    any_error = true;
    return;
  }
  const ir::Program& program = r.program;
  if (program_ != &program) Bind(program);
  const Results& results = *r.results;
  if (risk_fact_ >= 0) {
    const Value& level = results.facts[static_cast<size_t>(risk_fact_)];
    if (level.kind == ValueKind::Enum) {
      level_enum_ = program.types.get(level.type).index;
      const std::vector<std::string>& members = program.types.enums[level_enum_].members;
      if (levels_.size() < members.size()) levels_.resize(members.size());
      ++levels_[static_cast<size_t>(level.i)];
      any_high |= members[static_cast<size_t>(level.i)] == "high";
    } else {
      std::string text;
      AppendValueJson(text, level, program.types);
      if (text.size() >= 2 && text.front() == '"') text = text.substr(1, text.size() - 2);
      if (text == "null") {
        text = "unknown";
        any_unknown = true;
      }
      any_high |= text == "high";
      ++other_levels_[text];
    }
  }
  for (size_t k = 0; k < program.prohibitions.size(); ++k) {
    Status status = results.prohibitions[k].status;
    if (status == Status::Violated) {
      any_prohibited = true;
      ++violated_[k];
    }
    if (status == Status::Unknown) any_unknown = true;
  }
  for (size_t k = 0; k < program.obligations.size(); ++k) {
    const StatusResult& s = results.obligations[k];
    if (s.status == Status::Open) {
      any_open = true;
      ++open_[k];
    }
    if (s.status == Status::Unknown) any_unknown = true;
    if (s.status == Status::Upcoming && s.from) ++upcoming_[*s.from];
  }
}

void FleetSummary::Merge(const FleetSummary& o) {
  records += o.records;
  input_errors += o.input_errors;
  runtime_errors += o.runtime_errors;
  with_warnings += o.with_warnings;
  if (o.program_ && program_ != o.program_) Bind(*o.program_);
  if (!o.levels_.empty()) level_enum_ = o.level_enum_;
  auto add = [](std::vector<uint64_t>& into, const std::vector<uint64_t>& from) {
    if (into.size() < from.size()) into.resize(from.size());
    for (size_t k = 0; k < from.size(); ++k) into[k] += from[k];
  };
  add(levels_, o.levels_);
  add(open_, o.open_);
  add(violated_, o.violated_);
  for (const auto& [level, n] : o.other_levels_) other_levels_[level] += n;
  for (const auto& [day, n] : o.upcoming_) upcoming_[day] += n;
  any_prohibited |= o.any_prohibited;
  any_high |= o.any_high;
  any_open |= o.any_open;
  any_unknown |= o.any_unknown;
  any_error |= o.any_error;
}

void FleetSummary::Settle() {
  risk_levels = other_levels_;
  if (input_errors + runtime_errors) risk_levels["error"] += input_errors + runtime_errors;
  open.clear();
  prohibited.clear();
  upcoming_dates.clear();
  for (const auto& [day, n] : upcoming_) upcoming_dates[FormatDate(day)] = n;
  if (!program_) return;
  const ir::Program& program = *program_;
  if (!levels_.empty()) {
    const std::vector<std::string>& members = program.types.enums[level_enum_].members;
    for (size_t m = 0; m < levels_.size(); ++m) {
      if (levels_[m]) risk_levels[members[m]] += levels_[m];
    }
  }
  auto tally = [&](std::map<std::string, ObligationTally>& into, const std::vector<uint32_t>& decls,
                   const std::vector<uint64_t>& counts) {
    for (size_t k = 0; k < counts.size(); ++k) {
      if (!counts[k]) continue;
      const ir::Decl& d = program.decls[decls[k]];
      into[d.id] = {d.title.value_or(d.name), d.citations.empty() ? "" : d.citations[0],
                    d.actor_name.value_or(""), counts[k]};
    }
  };
  tally(open, program.obligations, open_);
  tally(prohibited, program.prohibitions, violated_);
}

}  // namespace aipol
