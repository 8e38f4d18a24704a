// jsonl, json, csv, csv-obligations and table.
#include <algorithm>
#include <cstdio>

#include "runtime/attention_rows.h"
#include "runtime/date.h"
#include "runtime/formats.h"

namespace aipol {
namespace {

std::string Csv(std::string_view field) {
  if (field.find_first_of(",\"\n\r") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// A fact as a spreadsheet cell: text as it is, collections joined by "; ",
// unknown empty.
std::string Cell(const Value& value, const ir::TypeTable& types) {
  switch (value.kind) {
    case ValueKind::Unknown: return "";
    case ValueKind::String: return value.s;
    case ValueKind::StringSet:
    case ValueKind::List: {
      std::string out;
      for (size_t k = 0; k < value.items.size(); ++k) out += (k ? "; " : "") + Cell(value.items[k], types);
      return out;
    }
    case ValueKind::EnumSet: {
      std::string out;
      const ir::EnumInfo& info = types.enums[types.get(types.get(value.type).element).index];
      for (size_t m = 0; m < info.members.size(); ++m) {
        if ((value.mask >> m) & 1) out += (out.empty() ? "" : "; ") + info.members[m];
      }
      return out;
    }
    default: {
      // Scalars: JSON text, without the quotes of dates, members and durations.
      std::string json;
      AppendValueJson(json, value, types);
      if (json.size() >= 2 && json.front() == '"') return json.substr(1, json.size() - 2);
      return json;
    }
  }
}

// Cuts `text` to at most `limit` bytes without splitting a UTF-8 sequence.
std::string Clip(const std::string& text, size_t limit, const char* mark) {
  if (text.size() <= limit) return text;
  size_t cut = limit;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return text.substr(0, cut) + mark;
}

class JsonLines : public Formatter {
 public:
  void Record(std::string& out, const ReportInput& report, bool) override {
    AppendReportJson(out, report);
    out += '\n';
  }
};

class JsonArray : public Formatter {
 public:
  void Begin(std::string& out) override { out += "["; }
  void Record(std::string& out, const ReportInput& report, bool first) override {
    out += first ? "\n" : ",\n";
    AppendReportJson(out, report);
  }
  void End(std::string& out, const RunTotals& totals) override {
    out += totals.summary.records ? "\n]\n" : "]\n";
  }
};

class SystemsCsv : public Formatter {
 public:
  explicit SystemsCsv(const ir::Program& program) : program_(program) {}
  void Begin(std::string& out) override {
    out += "id,file,line,status";
    for (uint32_t id : program_.reports) out += "," + Csv(program_.decls[id].name);
    out +=
        ",prohibitions_violated,obligations_open,obligations_upcoming,obligations_met,obligations_partial,"
        "obligations_stale,obligations_unknown,open_obligations,missing,errors\n";
  }
  void Record(std::string& out, const ReportInput& r, bool) override {
    RecordCounts counts = CountRecord(r);
    out += Csv(r.id.value_or("")) + "," + Csv(r.source.file) + "," + std::to_string(r.source.line) + "," +
           counts.status;
    const Results* results = counts.status == "ok" ? r.results : nullptr;
    for (size_t f = 0; f < program_.reports.size(); ++f) {
      out += "," + (results ? Csv(Cell(results->facts[f], program_.types)) : std::string());
    }
    std::string violated, open, missing;
    for (size_t k = 0; results && k < program_.prohibitions.size(); ++k) {
      if (results->prohibitions[k].status != Status::Violated) continue;
      violated += (violated.empty() ? "" : "; ") + Cite(program_.decls[program_.prohibitions[k]]);
    }
    for (size_t k = 0; results && k < program_.obligations.size(); ++k) {
      if (results->obligations[k].status != Status::Open) continue;
      open += (open.empty() ? "" : "; ") + Cite(program_.decls[program_.obligations[k]]);
    }
    for (size_t m = 0; results && m < results->missing.size(); ++m) {
      missing += (m ? "; " : "") + results->missing[m];
    }
    out += "," + Csv(violated) + "," + std::to_string(counts.open) + "," + std::to_string(counts.upcoming) +
           "," + std::to_string(counts.met) + "," + std::to_string(counts.partial) + "," +
           std::to_string(counts.stale) + "," + std::to_string(counts.unknown) + "," + Csv(open) + "," +
           Csv(missing) + "," + Csv(counts.errors) + "\n";
  }

 private:
  static std::string Cite(const ir::Decl& d) { return d.citations.empty() ? d.id : d.citations[0]; }
  const ir::Program& program_;
};

class ObligationsCsv : public Formatter {
 public:
  explicit ObligationsCsv(const ir::Program& program) : program_(program) {}
  void Begin(std::string& out) override {
    out += "id,file,line,obligation,title,actor,cite,status,from,until\n";
  }
  void Record(std::string& out, const ReportInput& r, bool) override {
    if (!r.results || r.results->error || ReportHasErrors(r)) return;
    for (size_t k = 0; k < program_.obligations.size(); ++k) {
      const StatusResult& s = r.results->obligations[k];
      if (s.status != Status::Open) continue;
      const ir::Decl& d = program_.decls[program_.obligations[k]];
      std::string cites;
      for (size_t c = 0; c < d.citations.size(); ++c) cites += (c ? "; " : "") + d.citations[c];
      out += Csv(r.id.value_or("")) + "," + Csv(r.source.file) + "," + std::to_string(r.source.line) + "," +
             Csv(d.id) + "," + Csv(d.title.value_or("")) + "," + Csv(d.actor_name.value_or("")) + "," +
             Csv(cites) + ",open," + (s.from ? FormatDate(*s.from) : "") + "," +
             (s.until ? FormatDate(*s.until) : "") + "\n";
    }
  }

 private:
  const ir::Program& program_;
};

// One line per system, then the summary. With `max_rows` (`batch` on a
// terminal), at most that many lines, those that need attention first
// (AttentionRows), so that the summary is not scrolled away by a large
// fleet; without, every line, as it comes.
class Table : public Formatter {
 public:
  Table(bool color, size_t max_rows) : color_(color), rows_(max_rows) {}
  bool buffers_records() const override { return rows_.max_rows() != 0; }
  void Begin(std::string& out) override {
    char line[160];
    std::snprintf(line, sizeof line, "%-32s %-14s %6s %6s %8s %7s  %s\n", "id", "risk_level", "prohib",
                  "open", "upcoming", "unknown", "errors");
    out += line;
  }
  void Record(std::string& out, const ReportInput& r, bool) override {
    RecordCounts c = CountRecord(r);
    std::string id = Clip(std::string(r.id.value_or("(no id)")), 31, "~");
    // Pad by code points so columns line up with non-ASCII ids.
    size_t width = 0;
    for (char ch : id) width += (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
    char numbers[128];
    std::snprintf(numbers, sizeof numbers, " %-14s %6zu %6zu %8zu %7zu  ", c.risk_level.c_str(), c.violated,
                  c.open, c.upcoming, c.unknown);
    std::string line =
        id + std::string(width < 32 ? 32 - width : 0, ' ') + numbers + Clip(c.errors, 200, "...") + "\n";
    if (buffers_records()) {
      AttentionRows::Append(out, AttentionOf(c), line);
    } else {
      out += line;
    }
  }
  void Keep(std::string_view output) override { rows_.Keep(output); }
  void End(std::string& out, const RunTotals& totals) override {
    if (buffers_records()) {
      AttentionRows::Selection shown = rows_.Select();
      for (std::string_view line : shown.rows) out += line;
      if (shown.cut) {
        out += "(" + std::to_string(shown.rows.size()) + " of " + std::to_string(shown.total) +
               " systems listed, " + std::string(kAttentionOrder) + "; -o FILE or a pipe lists them all)\n";
      }
    }
    out += "\n" + SummaryText(totals, color_);
  }

 private:
  bool color_;
  AttentionRows rows_;
};

}  // namespace

RecordCounts CountRecord(const ReportInput& r) {
  RecordCounts c;
  for (const InputIssue& issue : r.issues) {
    if (!issue.error) continue;
    c.errors +=
        (c.errors.empty() ? "" : "; ") + (issue.path.empty() ? "" : issue.path + ": ") + issue.message;
  }
  if (!c.errors.empty()) {
    c.status = "input_error";
    c.risk_level = "error";
    return c;
  }
  if (!r.results || r.results->error) {
    c.status = "runtime_error";
    c.risk_level = "error";
    if (r.results) c.errors = r.results->error->kind + ": " + r.results->error->message;
    return c;
  }
  c.status = "ok";
  const ir::Program& program = r.program;
  for (size_t f = 0; f < program.reports.size(); ++f) {
    if (program.decls[program.reports[f]].name != "risk_level") continue;
    std::string level;
    AppendValueJson(level, r.results->facts[f], program.types);
    c.risk_level = level == "null" ? "unknown" : level.substr(1, level.size() - 2);
  }
  // Prohibitions count only as violated; the other counts are obligations'.
  for (const StatusResult& s : r.results->prohibitions) {
    if (s.status == Status::Violated) ++c.violated;
  }
  for (const StatusResult& s : r.results->obligations) {
    switch (s.status) {
      case Status::Open: ++c.open; break;
      case Status::Upcoming: ++c.upcoming; break;
      case Status::Met: ++c.met; break;
      case Status::Partial: ++c.partial; break;
      case Status::Stale: ++c.stale; break;
      case Status::Unknown: ++c.unknown; break;
      default: break;
    }
  }
  return c;
}

std::string SummaryText(const RunTotals& t, bool color) {
  auto bold = [&](const std::string& s) { return color ? "\033[1m" + s + "\033[0m" : s; };
  const FleetSummary& s = t.summary;
  std::string out = bold("Summary") + "\n";
  char line[256];
  std::snprintf(line, sizeof line,
                "  records read: %llu, reports written: %llu, input errors: %llu, runtime errors: %llu\n",
                static_cast<unsigned long long>(s.records), static_cast<unsigned long long>(s.records),
                static_cast<unsigned long long>(s.input_errors),
                static_cast<unsigned long long>(s.runtime_errors));
  out += line;
  if (!s.risk_levels.empty()) {
    out += "  risk levels:";
    for (const auto& [level, n] : s.risk_levels) out += " " + level + " " + std::to_string(n) + ",";
    out.back() = '\n';
  }
  out += "  prohibitions found:";
  if (s.prohibited.empty()) out += " none";
  for (const auto& [id, tally] : s.prohibited)
    out += " " + tally.cite + " (" + std::to_string(tally.count) + "),";
  if (out.back() == ',') out.pop_back();
  out += "\n";
  std::vector<std::pair<uint64_t, const ObligationTally*>> top;
  for (const auto& [id, tally] : s.open) top.emplace_back(tally.count, &tally);
  std::sort(top.begin(), top.end(), [](const auto& a, const auto& b) {
    return a.first != b.first ? a.first > b.first : a.second->cite < b.second->cite;
  });
  if (top.size() > 10) top.resize(10);
  out += "  most frequent open obligations:" + std::string(top.empty() ? " none\n" : "\n");
  for (const auto& [count, tally] : top) {
    std::snprintf(line, sizeof line, "    %8llu  %-14s ", static_cast<unsigned long long>(count),
                  tally->cite.c_str());
    out += line + tally->title + (tally->actor.empty() ? "" : " [" + tally->actor + "]") + "\n";
  }
  double rate = t.seconds > 0 ? static_cast<double>(s.records) / t.seconds : 0;
  std::snprintf(
      line, sizeof line,
      "  throughput: %.0f records/s (%.3f s; read+parse %.3f s, compile %.3f s, evaluate %.3f s, write "
      "%.3f s; %s, %d thread%s)\n",
      rate, t.seconds, t.read_parse_s, t.compile_s, t.eval_s, t.write_s, t.engine.c_str(), t.threads,
      t.threads == 1 ? "" : "s");
  out += line;
  return out;
}

std::unique_ptr<Formatter> MakeHtmlFormatter(const ir::Program& program, size_t max_rows);

std::unique_ptr<Formatter> MakeFormatter(const std::string& name, const ir::Program& program, bool color,
                                         size_t html_rows, size_t table_rows) {
  if (name == "jsonl") return std::make_unique<JsonLines>();
  if (name == "json") return std::make_unique<JsonArray>();
  if (name == "csv") return std::make_unique<SystemsCsv>(program);
  if (name == "csv-obligations") return std::make_unique<ObligationsCsv>(program);
  if (name == "table") return std::make_unique<Table>(color, table_rows);
  if (name == "html") return MakeHtmlFormatter(program, html_rows);
  return nullptr;
}

}  // namespace aipol
