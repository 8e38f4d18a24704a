// The report for people at a terminal: facts first, then prohibitions and
// obligations grouped by status, with citations and dates.
#include <map>
#include <ostream>

#include "runtime/date.h"
#include "runtime/report.h"

namespace aipol {
namespace {

struct Style {
  bool color;
  std::string Bold(const std::string& s) const { return color ? "\033[1m" + s + "\033[0m" : s; }
  std::string Dim(const std::string& s) const { return color ? "\033[2m" + s + "\033[0m" : s; }
  std::string Paint(Status status, const std::string& s) const {
    if (!color) return s;
    const char* code = "\033[0m";
    switch (status) {
      case Status::Violated:
      case Status::Open:
      case Status::Stale:
      case Status::Expired: code = "\033[1;31m"; break;
      case Status::Partial:
      case Status::Unknown: code = "\033[1;33m"; break;
      case Status::Met: code = "\033[1;32m"; break;
      case Status::Upcoming: code = "\033[1;36m"; break;
      case Status::NotApplicable: break;
    }
    return code + s + "\033[0m";
  }
};

// Statuses in the order a reader acts on them.
constexpr Status kOrder[] = {Status::Violated, Status::Open,     Status::Stale, Status::Unknown,
                             Status::Partial,  Status::Upcoming, Status::Met,   Status::Expired};

void Entries(std::ostream& out, const ReportInput& r, const Style& style, const char* heading,
             const std::vector<uint32_t>& decls, const std::vector<StatusResult>& statuses) {
  std::map<Status, std::vector<size_t>> groups;
  for (size_t k = 0; k < decls.size(); ++k) {
    if (statuses[k].status != Status::NotApplicable) groups[statuses[k].status].push_back(k);
  }
  size_t total = 0;
  for (auto& [status, members] : groups) total += members.size();
  out << "\n" << style.Bold(heading) << " (" << total << ")\n";
  if (total == 0) out << "  none\n";
  for (Status status : kOrder) {
    auto it = groups.find(status);
    if (it == groups.end()) continue;
    out << "  " << style.Paint(status, std::string(StatusName(status))) << " (" << it->second.size() << ")\n";
    for (size_t k : it->second) {
      const ir::Decl& d = r.program.decls[decls[k]];
      const StatusResult& s = statuses[k];
      std::string cite = d.citations.empty() ? d.name : d.citations[0];
      out << "    " << style.Bold(cite) << "  " << d.title.value_or(d.name);
      if (d.actor_name) out << "  " << style.Dim("[" + *d.actor_name + "]");
      if (s.from) out << "  " << style.Dim("from " + FormatDate(*s.from));
      if (s.until) out << "  " << style.Dim("until " + FormatDate(*s.until));
      if (s.evidence && s.evidence->ref) out << "  " << style.Dim("evidence: " + *s.evidence->ref);
      out << "\n";
    }
  }
}

}  // namespace

void WritePrettyReport(std::ostream& out, const ReportInput& r, bool color) {
  Style style{color};
  out << style.Bold(std::string(r.id.value_or("(no id)"))) << "  "
      << style.Dim("as of " + FormatDate(r.as_of)) << "\n";
  for (const InputIssue& issue : r.issues) {
    out << (issue.error ? "  error: " : "  warning: ") << (issue.path.empty() ? "" : issue.path + ": ")
        << issue.message << " [" << InputIssueKindName(issue.kind) << "]\n";
  }
  if (r.results && r.results->error) {
    const RuntimeError& e = *r.results->error;
    out << "  error: " << e.message << (r.locate ? " at " + r.locate(e.range) : "") << " [" << e.kind
        << "]\n";
  }
  if (!r.results || r.results->error) return;
  const Results& results = *r.results;
  out << "\n" << style.Bold("Facts") << "\n";
  for (size_t f = 0; f < r.program.reports.size(); ++f) {
    std::string value;
    AppendValueJson(value, results.facts[f], r.program.types);
    if (!results.facts[f].known()) value = "unknown";
    out << "  " << r.program.decls[r.program.reports[f]].name << ": " << value << "\n";
  }
  Entries(out, r, style, "Prohibitions", r.program.prohibitions, results.prohibitions);
  Entries(out, r, style, "Obligations", r.program.obligations, results.obligations);
  if (!results.missing.empty()) {
    out << "\n" << style.Bold("Missing facts") << " (they would decide what is unknown)\n";
    for (const std::string& path : results.missing) out << "  " << path << "\n";
  }
}

}  // namespace aipol
