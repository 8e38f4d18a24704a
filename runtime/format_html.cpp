// One self-contained HTML page for a fleet: summary, a risk-level chart, the
// prohibitions found, the most frequent open obligations, a timeline of
// upcoming application dates, and a searchable table of systems. No network
// access is needed to render it: styles, script and charts (SVG) are inline.
#include <algorithm>
#include <cstdio>

#include "runtime/attention_rows.h"
#include "runtime/formats.h"
#include "runtime/html_text.h"

namespace aipol {
namespace {

constexpr std::string_view kStyle = R"(<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:2rem auto;max-width:1100px;color:#1b1f24;padding:0 1rem}
h1{font-size:1.5rem;margin-bottom:.2rem}h2{font-size:1.1rem;margin-top:2rem;border-bottom:1px solid #d0d7de;padding-bottom:.3rem}
.meta{color:#57606a}.cards{display:flex;gap:1rem;flex-wrap:wrap;margin:1rem 0}
.card{border:1px solid #d0d7de;border-radius:6px;padding:.6rem 1rem;min-width:8rem}.card b{display:block;font-size:1.4rem}
table{border-collapse:collapse;width:100%}th,td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid #eaeef2}
th{background:#f6f8fa;position:sticky;top:0}td.n{text-align:right;font-variant-numeric:tabular-nums}
.risk-prohibited,.risk-error{color:#cf222e;font-weight:600}.risk-high{color:#bc4c00;font-weight:600}
.risk-limited{color:#9a6700}.risk-minimal,.risk-out_of_scope{color:#1a7f37}.risk-gpai_model{color:#8250df}
input[type=search]{width:100%;padding:.4rem;font-size:1rem;margin:.5rem 0;border:1px solid #d0d7de;border-radius:6px}
svg text{font:12px system-ui,sans-serif}
</style>)";

constexpr std::string_view kScript = R"(<script>
(function(){var q=document.getElementById('q'),rows=document.querySelectorAll('#systems tbody tr'),n=document.getElementById('shown');
q.addEventListener('input',function(){var t=q.value.toLowerCase(),k=0;rows.forEach(function(r){var m=r.textContent.toLowerCase().indexOf(t)>=0;r.style.display=m?'':'none';if(m)k++;});n.textContent=k;});})();
</script>)";

std::string BarChart(const std::map<std::string, uint64_t>& values) {
  uint64_t top = 1;
  for (const auto& [label, n] : values) top = std::max(top, n);
  std::string svg = "<svg role=\"img\" aria-label=\"systems per risk level\" width=\"640\" height=\"" +
                    std::to_string(values.size() * 28 + 8) + "\">";
  int y = 4;
  for (const auto& [label, n] : values) {
    int width = static_cast<int>(440.0 * static_cast<double>(n) / static_cast<double>(top));
    svg += "<text x=\"0\" y=\"" + std::to_string(y + 16) + "\">" + HtmlEscape(label) + "</text>";
    svg += "<rect x=\"130\" y=\"" + std::to_string(y + 2) + "\" width=\"" +
           std::to_string(std::max(width, 1)) + "\" height=\"20\" fill=\"#0969da\"/>";
    svg += "<text x=\"" + std::to_string(136 + width) + "\" y=\"" + std::to_string(y + 16) + "\">" +
           std::to_string(n) + "</text>";
    y += 28;
  }
  return svg + "</svg>";
}

// The page: the fleet's summary, then a searchable table of systems. The
// table lists at most `max_rows` systems (0: all; AttentionRows), so that a
// large fleet gives a page a browser can open, and memory stays bounded.
class HtmlPage : public Formatter {
 public:
  HtmlPage(const ir::Program& program, size_t max_rows) : program_(program), rows_(max_rows) {}
  bool buffers_records() const override { return true; }

  void Record(std::string& out, const ReportInput& r, bool) override {
    RecordCounts c = CountRecord(r);
    AttentionRows::Append(out, AttentionOf(c), Row(r, c));
  }
  void Keep(std::string_view output) override { rows_.Keep(output); }

  void End(std::string& out, const RunTotals& t) override {
    AttentionRows::Selection shown = rows_.Select();
    Summary(out, t);
    out += "<h2>Systems (<span id=\"shown\">" + std::to_string(shown.rows.size()) + "</span>" +
           (shown.cut ? " of " + std::to_string(shown.total) : "") + ")</h2>\n";
    if (shown.cut) {
      out += "<p class=\"meta\">The table lists " + std::to_string(shown.rows.size()) + " of the " +
             std::to_string(shown.total) + " systems: " + std::string(kAttentionOrder) +
             ". The figures above count every system; <code>--format csv</code> lists them all, and "
             "<code>--html-rows 0</code> puts them all here.</p>\n";
    }
    out +=
        "<input type=\"search\" id=\"q\" placeholder=\"Filter by id, risk level, file or error\" "
        "aria-label=\"filter systems\">\n";
    out +=
        "<table id=\"systems\"><thead><tr><th>id</th><th>risk level</th><th>prohibited</th><th>open</th>"
        "<th>upcoming</th><th>met</th><th>unknown</th><th>source</th><th>errors</th></tr></thead><tbody>\n";
    for (std::string_view row : shown.rows) out += row;
    out += "</tbody></table>\n";
    out += kScript;
    out += "\n</body></html>\n";
  }

 private:
  static std::string Row(const ReportInput& r, const RecordCounts& c) {
    return "<tr><td>" + HtmlEscape(r.id.value_or("(no id)")) + "</td><td class=\"risk-" +
           HtmlEscape(c.risk_level) + "\">" + HtmlEscape(c.risk_level) + "</td><td class=\"n\">" +
           std::to_string(c.violated) + "</td><td class=\"n\">" + std::to_string(c.open) +
           "</td><td class=\"n\">" + std::to_string(c.upcoming) + "</td><td class=\"n\">" +
           std::to_string(c.met) + "</td><td class=\"n\">" + std::to_string(c.unknown) + "</td><td>" +
           HtmlEscape(std::string(r.source.file) + ":" + std::to_string(r.source.line)) + "</td><td>" +
           HtmlEscape(c.errors) + "</td></tr>\n";
  }

  // Everything before the table of systems.
  void Summary(std::string& out, const RunTotals& t) const {
    const FleetSummary& s = t.summary;
    out +=
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>aipol fleet report</title>";
    out += kStyle;
    out += "</head><body>\n<h1>AI Act fleet report</h1>\n<p class=\"meta\">as of " + HtmlEscape(t.as_of) +
           " &middot; policy " + HtmlEscape(t.policy_hash.substr(0, 19)) + "&hellip; &middot; " +
           std::to_string(s.records) + " systems</p>\n";
    auto card = [&](const std::string& label, uint64_t n) {
      out += "<div class=\"card\"><b>" + std::to_string(n) + "</b>" + HtmlEscape(label) + "</div>";
    };
    out += "<div class=\"cards\">";
    card("systems", s.records);
    card("with prohibited practices", s.risk_levels.count("prohibited") ? s.risk_levels.at("prohibited") : 0);
    card("high-risk", s.risk_levels.count("high") ? s.risk_levels.at("high") : 0);
    card("input or runtime errors", s.input_errors + s.runtime_errors);
    out += "</div>\n<h2>Risk levels</h2>\n" + BarChart(s.risk_levels) + "\n";

    out += "<h2>Prohibitions found</h2>\n";
    if (s.prohibited.empty())
      out += "<p>None.</p>\n";
    else {
      out += "<table><thead><tr><th>citation</th><th>prohibition</th><th>systems</th></tr></thead><tbody>\n";
      for (const auto& [id, tally] : s.prohibited) {
        out += "<tr><td>" + HtmlEscape(tally.cite) + "</td><td>" + HtmlEscape(tally.title) +
               "</td><td class=\"n\">" + std::to_string(tally.count) + "</td></tr>\n";
      }
      out += "</tbody></table>\n";
    }

    out += "<h2>Most frequent open obligations</h2>\n";
    std::vector<const ObligationTally*> top;
    for (const auto& [id, tally] : s.open) top.push_back(&tally);
    std::sort(top.begin(), top.end(), [](auto* a, auto* b) {
      return a->count != b->count ? a->count > b->count : a->cite < b->cite;
    });
    if (top.size() > 10) top.resize(10);
    if (top.empty())
      out += "<p>None.</p>\n";
    else {
      out +=
          "<table><thead><tr><th>citation</th><th>obligation</th><th>actor</th><th>systems</th></tr></"
          "thead><tbody>\n";
      for (const ObligationTally* tally : top) {
        out += "<tr><td>" + HtmlEscape(tally->cite) + "</td><td>" + HtmlEscape(tally->title) + "</td><td>" +
               HtmlEscape(tally->actor) + "</td><td class=\"n\">" + std::to_string(tally->count) +
               "</td></tr>\n";
      }
      out += "</tbody></table>\n";
    }

    out += "<h2>Upcoming application dates</h2>\n";
    if (s.upcoming_dates.empty())
      out += "<p>None.</p>\n";
    else {
      out += "<table><thead><tr><th>from</th><th>obligations becoming due</th></tr></thead><tbody>\n";
      for (const auto& [date, n] : s.upcoming_dates) {
        out += "<tr><td>" + HtmlEscape(date) + "</td><td class=\"n\">" + std::to_string(n) + "</td></tr>\n";
      }
      out += "</tbody></table>\n";
    }
  }

  const ir::Program& program_;
  AttentionRows rows_;
};

}  // namespace

std::unique_ptr<Formatter> MakeHtmlFormatter(const ir::Program& program, size_t max_rows) {
  return std::make_unique<HtmlPage>(program, max_rows);
}

}  // namespace aipol
