// The JSON report, field by field in docs/reports.md's order.
#include <algorithm>

#include "runtime/date.h"
#include "runtime/json_text.h"
#include "runtime/report.h"
#include "runtime/sha256.h"

namespace aipol {

PolicyInfo PolicyInfo::From(const ir::Program& program, const std::vector<Value>& params) {
  PolicyInfo info;
  Sha256 hash;
  for (const ir::Module& m : program.modules) {
    info.modules.push_back(m.path);
    // Each pair as path NUL source NUL, in path order.
    hash.Update(m.path);
    hash.Update(std::string_view("\0", 1));
    hash.Update(m.source);
    hash.Update(std::string_view("\0", 1));
  }
  info.hash = "sha256:" + hash.HexDigest();
  for (size_t p = 0; p < program.params.size(); ++p) {
    info.params.emplace_back(program.params[p].name, ValueToLiteral(params[p], program.types));
  }
  std::sort(info.params.begin(), info.params.end());
  return info;
}

bool ReportHasErrors(const ReportInput& report) {
  if (report.results && report.results->error) return true;
  for (const InputIssue& issue : report.issues) {
    if (issue.error) return true;
  }
  return false;
}

namespace {

// A key spelled here (plain ASCII): appended as it is, without escaping.
template <size_t N>
void Key(std::string& out, const char (&key)[N]) {
  out += '"';
  out.append(key, N - 1);
  out += "\": ";
}

// A key named in the policy (a fact or a parameter): escaped.
void NameKey(std::string& out, std::string_view key) {
  AppendJsonString(out, key);
  out += ": ";
}

// A status name: nothing to escape.
void Quoted(std::string& out, std::string_view text) {
  out += '"';
  out += text;
  out += '"';
}

void QuotedDate(std::string& out, int32_t days) {
  out += '"';
  AppendDate(out, days);
  out += '"';
}

void StringArray(std::string& out, const std::vector<std::string>& items) {
  out += "[";
  for (size_t k = 0; k < items.size(); ++k) {
    if (k) out += ", ";
    AppendJsonString(out, items[k]);
  }
  out += "]";
}

template <typename Text>
void OptionalString(std::string& out, const std::optional<Text>& value) {
  if (value) {
    AppendJsonString(out, *value);
  } else {
    out += "null";
  }
}

// The fixed head of a status entry, up to its `"status": ` key.
std::string StatusHead(const ir::Decl& d) {
  std::string out = "{";
  Key(out, "id");
  AppendJsonString(out, d.id);
  out += ", ";
  Key(out, "title");
  OptionalString(out, d.title);
  out += ", ";
  Key(out, "actor");
  OptionalString(out, d.actor_name);
  out += ", ";
  Key(out, "cite");
  StringArray(out, d.citations);
  out += ", ";
  Key(out, "status");
  return out;
}

void StatusEntry(std::string& out, const std::string& head, const StatusResult& s, bool obligation) {
  out += head;
  Quoted(out, StatusName(s.status));
  if (s.from_declared) {
    out += ", ";
    Key(out, "from");
    s.from ? QuotedDate(out, *s.from) : void(out += "null");
  }
  if (s.until_declared) {
    out += ", ";
    Key(out, "until");
    s.until ? QuotedDate(out, *s.until) : void(out += "null");
  }
  out += ", ";
  Key(out, "evidence");
  if (!obligation || !s.evidence) {
    out += "null";
  } else {
    const EvidenceUsed& e = *s.evidence;
    out += "{";
    Key(out, "status");
    AppendJsonString(out, e.status);
    if (e.ref) {
      out += ", ";
      Key(out, "ref");
      AppendJsonString(out, *e.ref);
    }
    if (e.reviewed) {
      out += ", ";
      Key(out, "reviewed");
      QuotedDate(out, *e.reviewed);
    }
    out += "}";
  }
  out += "}";
}

void Issues(std::string& out, const ReportInput& r, bool errors) {
  out += "[";
  bool first = true;
  for (const InputIssue& issue : r.issues) {
    if (issue.error != errors) continue;
    out += first ? "{" : ", {";
    first = false;
    Key(out, "path");
    issue.path.empty() ? void(out += "null") : AppendJsonString(out, issue.path);
    out += ", ";
    Key(out, "kind");
    AppendJsonString(out, InputIssueKindName(issue.kind));
    out += ", ";
    Key(out, "message");
    AppendJsonString(out, issue.message);
    out += "}";
  }
  if (errors && r.results && r.results->error) {
    const RuntimeError& e = *r.results->error;
    out += first ? "{" : ", {";
    Key(out, "path");
    out += "null, ";
    Key(out, "kind");
    AppendJsonString(out, e.kind);
    out += ", ";
    Key(out, "message");
    AppendJsonString(out, e.message + (r.locate ? " at " + r.locate(e.range) : ""));
    out += "}";
  }
  out += "]";
}

}  // namespace

ReportParts ReportParts::For(const ir::Program& program, const PolicyInfo& policy) {
  ReportParts parts;
  std::string& out = parts.policy;
  Key(out, "policy");
  out += "{";
  Key(out, "modules");
  StringArray(out, policy.modules);
  out += ", ";
  Key(out, "hash");
  AppendJsonString(out, policy.hash);
  out += ", ";
  Key(out, "params");
  out += "{";
  for (size_t p = 0; p < policy.params.size(); ++p) {
    if (p) out += ", ";
    NameKey(out, policy.params[p].first);
    AppendJsonString(out, policy.params[p].second);
  }
  out += "}}, ";
  parts.heads.resize(program.decls.size());
  for (const std::vector<uint32_t>* list : {&program.prohibitions, &program.obligations}) {
    for (uint32_t id : *list) parts.heads[id] = StatusHead(program.decls[id]);
  }
  return parts;
}

void AppendReportJson(std::string& out, const ReportInput& r) {
  const ir::Program& program = r.program;
  out += "{";
  Key(out, "report_version");
  out += "1, ";
  Key(out, "id");
  OptionalString(out, r.id);
  out += ", ";
  Key(out, "source");
  out += "{";
  Key(out, "file");
  AppendJsonString(out, r.source.file);
  out += ", ";
  Key(out, "line");
  out += std::to_string(r.source.line) + ", ";
  Key(out, "index");
  out += std::to_string(r.source.index) + "}, ";
  Key(out, "as_of");
  QuotedDate(out, r.as_of);
  out += ", ";
  std::optional<ReportParts> own;
  const ReportParts& parts = r.parts ? *r.parts : own.emplace(ReportParts::For(program, r.policy));
  out += parts.policy;

  // A descriptor with errors has empty facts, statuses and missing.
  const Results* results = r.results && !r.results->error ? r.results : nullptr;
  Key(out, "facts");
  out += "{";
  if (results) {
    for (size_t f = 0; f < program.reports.size(); ++f) {
      if (f) out += ", ";
      NameKey(out, program.decls[program.reports[f]].name);
      AppendValueJson(out, results->facts[f], program.types);
    }
  }
  out += "}, ";
  auto statuses = [&](const std::vector<uint32_t>& decls, const std::vector<StatusResult>* list,
                      bool obligation) {
    out += "[";
    bool first = true;
    for (size_t k = 0; list && k < decls.size(); ++k) {
      if ((*list)[k].status == Status::NotApplicable) continue;
      if (!first) out += ", ";
      first = false;
      StatusEntry(out, parts.heads[decls[k]], (*list)[k], obligation);
    }
    out += "], ";
  };
  Key(out, "prohibitions");
  statuses(program.prohibitions, results ? &results->prohibitions : nullptr, false);
  Key(out, "obligations");
  statuses(program.obligations, results ? &results->obligations : nullptr, true);
  Key(out, "missing");
  StringArray(out, results ? results->missing : std::vector<std::string>{});
  out += ", ";
  Key(out, "warnings");
  Issues(out, r, false);
  out += ", ";
  Key(out, "errors");
  Issues(out, r, true);
  out += "}";
}

std::string_view StatusName(Status status) {
  switch (status) {
    case Status::NotApplicable: return "not applicable";
    case Status::Unknown: return "unknown";
    case Status::Upcoming: return "upcoming";
    case Status::Expired: return "expired";
    case Status::Stale: return "stale";
    case Status::Met: return "met";
    case Status::Partial: return "partial";
    case Status::Open: return "open";
    case Status::Violated: return "violated";
  }
  return "unknown";
}

}  // namespace aipol
