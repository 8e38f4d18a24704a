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
    // The level's name: an enum member's is read in place (the usual case,
    // no string made per record).
    const Value& level = results.facts[static_cast<size_t>(risk_fact_)];
    std::string rendered;
    std::string_view name;
    if (!level.known()) {
      name = "unknown";
      any_unknown = true;
    } else if (level.kind == ValueKind::Enum) {
      name = program.types.enums[program.types.get(level.type).index].members[static_cast<size_t>(level.i)];
    } else {
      AppendValueJson(rendered, level, program.types);
      name = rendered;
      if (name.size() >= 2 && name.front() == '"') name = name.substr(1, name.size() - 2);
    }
    any_high |= name == "high";
    auto counted = levels_.find(name);
    if (counted == levels_.end()) counted = levels_.emplace(std::string(name), 0).first;
    ++counted->second;
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
  auto add = [](std::vector<uint64_t>& into, const std::vector<uint64_t>& from) {
    if (into.size() < from.size()) into.resize(from.size());
    for (size_t k = 0; k < from.size(); ++k) into[k] += from[k];
  };
  add(open_, o.open_);
  add(violated_, o.violated_);
  for (const auto& [level, n] : o.levels_) levels_[level] += n;
  for (const auto& [day, n] : o.upcoming_) upcoming_[day] += n;
  any_prohibited |= o.any_prohibited;
  any_high |= o.any_high;
  any_open |= o.any_open;
  any_unknown |= o.any_unknown;
  any_error |= o.any_error;
}

void FleetSummary::Settle() {
  risk_levels.clear();
  for (const auto& [level, n] : levels_) risk_levels[level] = n;
  if (input_errors + runtime_errors) risk_levels["error"] += input_errors + runtime_errors;
  open.clear();
  prohibited.clear();
  upcoming_dates.clear();
  for (const auto& [day, n] : upcoming_) upcoming_dates[FormatDate(day)] = n;
  if (!program_) return;
  const ir::Program& program = *program_;
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
