#include "cli/doc/catalogue.h"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

#include "cli/doc/citation_order.h"
#include "compiler/interp/explain.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/source_text.h"
#include "runtime/date.h"
#include "runtime/html_text.h"

namespace aipol {
namespace {

using ir::NameUse;

struct Ref {
  NameUse::Kind kind;
  uint32_t index;
  auto operator<=>(const Ref&) const = default;
};

std::string Slug(std::string_view s) {
  std::string out;
  for (char c : s) {
    bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
    out += keep ? c : '-';
  }
  return out;
}

std::string JoinList(const std::vector<std::string>& items, const char* separator = ", ") {
  std::string out;
  for (size_t k = 0; k < items.size(); ++k) out += (k ? separator : "") + items[k];
  return out;
}

// ------------------------------------------------------------------ escaping

// Plain text in Markdown: characters that could start markup are escaped
// (an `_` only next to a non-word character: inside a word it is no markup).
std::string Md(std::string_view s) {
  auto word = [&](size_t k) {
    if (k >= s.size()) return false;
    char c = s[k];
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  std::string out;
  out.reserve(s.size());
  for (size_t k = 0; k < s.size(); ++k) {
    char c = s[k];
    switch (c) {
      case '_':
        if (k > 0 && word(k - 1) && word(k + 1)) {
          out += c;
          break;
        }
        [[fallthrough]];
      case '\\':
      case '`':
      case '*':
      case '[':
      case ']':
      case '<':
      case '>':
      case '|':
      case '#':
        out += '\\';
        out += c;
        break;
      case '\n': out += ' '; break;
      default: out += c;
    }
  }
  return out;
}

// Inline code in Markdown, with a fence longer than any run of backticks.
std::string MdCode(std::string_view s) {
  size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !s.empty() && (s.front() == '`' || s.back() == '`');
  return fence + (pad ? " " : "") + std::string(s) + (pad ? " " : "") + fence;
}

std::string MdFence(std::string_view s) {
  size_t longest = 0, run = 0;
  for (char c : s) {
    run = c == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  return std::string(std::max<size_t>(3, longest + 1), '`');
}

// ------------------------------------------------------------------ doc comments

// A documentation comment as blocks: paragraphs (lines joined), lists
// (`- ` items, continued by indented lines) and preformatted lines (indented
// lines outside a list).
struct Block {
  enum Kind { Paragraph, List, Pre } kind;
  std::vector<std::string> items;
};

std::vector<Block> DocBlocks(std::string_view doc) {
  std::vector<Block> blocks;
  bool open = false;  // the last block can take more lines
  size_t k = 0;
  while (k <= doc.size()) {
    size_t newline = doc.find('\n', k);
    std::string line(doc.substr(k, newline == std::string_view::npos ? std::string_view::npos : newline - k));
    k = newline == std::string_view::npos ? doc.size() + 1 : newline + 1;
    while (!line.empty() && (line.back() == ' ' || line.back() == '\r')) line.pop_back();
    size_t lead = line.find_first_not_of(' ');
    if (lead == std::string::npos) {
      open = false;
      continue;
    }
    std::string body = line.substr(lead);
    if (body.starts_with("- ") || body.starts_with("* ")) {
      if (!open || blocks.back().kind != Block::List) blocks.push_back({Block::List, {}});
      blocks.back().items.push_back(body.substr(2));
      open = true;
    } else if (lead > 0 && open && blocks.back().kind == Block::List) {
      blocks.back().items.back() += " " + body;
    } else if (lead >= 2) {
      if (!open || blocks.back().kind != Block::Pre) blocks.push_back({Block::Pre, {}});
      blocks.back().items.push_back(line);
      open = true;
    } else if (open && blocks.back().kind == Block::Paragraph) {
      blocks.back().items.back() += " " + body;
    } else {
      blocks.push_back({Block::Paragraph, {body}});
      open = true;
    }
  }
  // Preformatted lines lose their common indentation.
  for (Block& b : blocks) {
    if (b.kind != Block::Pre) continue;
    size_t common = std::string::npos;
    for (const std::string& line : b.items) common = std::min(common, line.find_first_not_of(' '));
    for (std::string& line : b.items) line = line.substr(common);
  }
  return blocks;
}

// ------------------------------------------------------------------ the model

class Model {
 public:
  explicit Model(const CatalogueInput& input) : in_(input), p_(input.program) {
    for (uint32_t m = 0; m < p_.modules.size(); ++m) module_order_[p_.modules[m].path] = m;
    for (uint32_t d : p_.prohibitions) items_.push_back(d);
    for (uint32_t d : p_.obligations) items_.push_back(d);
    item_set_.insert(items_.begin(), items_.end());
    for (uint32_t d : items_) ScanDecl(d);
    while (!queue_.empty()) {
      Ref r = queue_.back();
      queue_.pop_back();
      if (r.kind == NameUse::Kind::Decl) ScanDecl(r.index);
      if (r.kind == NameUse::Kind::Function) ScanExpr(*p_.functions[r.index].body);
    }
    terms_.assign(term_set_.begin(), term_set_.end());
    std::sort(terms_.begin(), terms_.end(), [&](const Ref& a, const Ref& b) {
      auto key = [&](const Ref& r) { return std::make_tuple(module_order_[Module(r)], Range(r).begin); };
      return key(a) < key(b);
    });
  }

  const ir::Program& program() const { return p_; }
  const CatalogueInput& input() const { return in_; }
  const std::vector<uint32_t>& items() const { return items_; }
  const std::vector<Ref>& terms() const { return terms_; }

  std::string Module(const Ref& r) const {
    switch (r.kind) {
      case NameUse::Kind::Decl: return p_.decls[r.index].module;
      case NameUse::Kind::Param: return p_.params[r.index].module;
      case NameUse::Kind::Function: return p_.functions[r.index].module;
    }
    return "";
  }
  SourceRange Range(const Ref& r) const {
    switch (r.kind) {
      case NameUse::Kind::Decl: return p_.decls[r.index].range;
      case NameUse::Kind::Param: return p_.params[r.index].range;
      case NameUse::Kind::Function: return p_.functions[r.index].range;
    }
    return {};
  }
  std::string Name(const Ref& r) const {
    switch (r.kind) {
      case NameUse::Kind::Decl: return p_.decls[r.index].name;
      case NameUse::Kind::Param: return p_.params[r.index].name;
      case NameUse::Kind::Function: return p_.functions[r.index].name;
    }
    return "";
  }
  std::string Id(const Ref& r) const { return Module(r) + "." + Name(r); }
  const std::string& Doc(const Ref& r) const {
    switch (r.kind) {
      case NameUse::Kind::Decl: return p_.decls[r.index].doc;
      case NameUse::Kind::Param: return p_.params[r.index].doc;
      case NameUse::Kind::Function: return p_.functions[r.index].doc;
    }
    static const std::string kNone;
    return kNone;
  }

  std::string KindWord(const Ref& r) const {
    switch (r.kind) {
      case NameUse::Kind::Param: return "setting";
      case NameUse::Kind::Function: return "function";
      case NameUse::Kind::Decl: {
        ir::DeclKind kind = p_.decls[r.index].kind;
        return kind == ir::DeclKind::Def ? "definition" : std::string(ir::DeclKindName(kind));
      }
    }
    return "";
  }

  // Where a name is explained; empty when the catalogue does not show it.
  std::string Anchor(const Ref& r) const {
    switch (r.kind) {
      case NameUse::Kind::Decl:
        if (item_set_.count(r.index)) return "item-" + Slug(p_.decls[r.index].id);
        if (term_set_.count(r) || shown_exceptions_.count(r.index))
          return "term-" + Slug(p_.decls[r.index].id);
        return "";
      case NameUse::Kind::Param: return term_set_.count(r) ? "setting-" + Slug(Id(r)) : "";
      case NameUse::Kind::Function: return term_set_.count(r) ? "function-" + Slug(Id(r)) : "";
    }
    return "";
  }

  // A name written in a doc comment (`high_risk`, `aiact.dates.gpai_date`),
  // read from `module`; nullopt when it names nothing the catalogue shows.
  std::optional<Ref> Resolve(std::string_view name, const std::string& module) const {
    if (name.empty() || name.size() > 200) return std::nullopt;
    for (char c : name) {
      bool ok =
          (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
      if (!ok) return std::nullopt;
    }
    std::vector<Ref> exact, local, anywhere;
    auto consider = [&](Ref r) {
      std::string id = Id(r), n = Name(r);
      if (id == name) exact.push_back(r);
      if (n == name && Module(r) == module) local.push_back(r);
      if (n == name) anywhere.push_back(r);
    };
    for (uint32_t d = 0; d < p_.decls.size(); ++d) consider({NameUse::Kind::Decl, d});
    for (uint32_t d = 0; d < p_.params.size(); ++d) consider({NameUse::Kind::Param, d});
    for (uint32_t d = 0; d < p_.functions.size(); ++d) consider({NameUse::Kind::Function, d});
    for (const std::vector<Ref>* found : {&exact, &local, &anywhere}) {
      if (found->size() == 1 && !Anchor(found->front()).empty()) return found->front();
      if (!found->empty()) return std::nullopt;
    }
    return std::nullopt;
  }

  // The value of an expression that reads neither the descriptor nor the
  // evaluation date (with this catalogue's settings).
  std::optional<Value> Constant(const ir::Expr& e, uint32_t locals) {
    if (!InputFree(e)) return std::nullopt;
    std::optional<RuntimeError> error;
    EvalRequest request{nullptr, 0, &in_.params};
    Value v = Interpreter(p_).EvaluateExpr(e, locals, request, &error);
    if (error || !v.known()) return std::nullopt;
    return v;
  }
  std::optional<Value> ConstantDecl(uint32_t d) {
    const ir::Decl& decl = p_.decls[d];
    if (decl.kind != ir::DeclKind::Def || !decl.value) return std::nullopt;
    return Constant(*decl.value, decl.locals);
  }

  // One line about a name: the title and citations of a rule, else the
  // first paragraph of its documentation; a definition's or setting's value
  // when it does not depend on the system.
  std::string Describe(const Ref& r) {
    std::string out;
    if (r.kind == NameUse::Kind::Decl) {
      const ir::Decl& d = p_.decls[r.index];
      if (d.title) {
        out = "\u201C" + *d.title + "\u201D";
        if (!d.citations.empty()) out += " (" + JoinList(d.citations) + ")";
        return out;
      }
      out = ir::FirstParagraph(d.doc);
      if (!d.citations.empty() && out.empty()) out = JoinList(d.citations);
      if (std::optional<Value> v = ConstantDecl(r.index)) {
        out += (out.empty() ? "" : " ") + std::string("Value: ") + PlainValue(p_, *v) + ".";
      }
      return out;
    }
    out = ir::FirstParagraph(Doc(r));
    if (r.kind == NameUse::Kind::Param) {
      out += (out.empty() ? "" : " ") + std::string("Setting: ") + PlainValue(p_, in_.params[r.index]) + ".";
    }
    return out;
  }

  // The names a clause uses, once each, in order.
  std::vector<Ref> NamesOf(const ir::ClauseText& clause) const {
    std::vector<Ref> out;
    for (const NameUse& use : clause.names) {
      Ref r{use.kind, use.index};
      if (std::find(out.begin(), out.end(), r) == out.end()) out.push_back(r);
    }
    return out;
  }

  // The descriptor facts an expression reads (`system.use.purposes`), once
  // each, in order.
  std::vector<std::string> FactsOf(const ir::Expr& e) const {
    std::vector<std::string> out;
    CollectFacts(e, out);
    return out;
  }

  // citation -> (anchor, label, kind), citations in article order.
  struct IndexEntry {
    std::string anchor, label, kind;
  };
  std::vector<std::pair<std::string, std::vector<IndexEntry>>> Index() const {
    std::map<std::string, std::vector<IndexEntry>> by_citation;
    auto add = [&](uint32_t d) {
      const ir::Decl& decl = p_.decls[d];
      Ref r{NameUse::Kind::Decl, d};
      for (const std::string& c : decl.citations) {
        std::vector<IndexEntry>& entries = by_citation[c];
        std::string anchor = Anchor(r);
        bool seen = std::any_of(entries.begin(), entries.end(),
                                [&](const IndexEntry& e) { return e.anchor == anchor; });
        if (!seen) entries.push_back({anchor, decl.title.value_or(decl.name), KindWord(r)});
      }
    };
    for (uint32_t d : items_) add(d);
    for (uint32_t d : shown_exceptions_) add(d);
    for (const Ref& r : terms_) {
      if (r.kind == NameUse::Kind::Decl && !shown_exceptions_.count(r.index)) add(r.index);
    }
    std::vector<std::pair<std::string, std::vector<IndexEntry>>> out(by_citation.begin(), by_citation.end());
    std::stable_sort(out.begin(), out.end(),
                     [](const auto& a, const auto& b) { return CitationLess(a.first, b.first); });
    return out;
  }

 private:
  static std::string InputPath(const ir::Expr& e) {
    if (e.op == ir::Op::Input) return "$";
    if ((e.op != ir::Op::Field && e.op != ir::Op::MapGet) || e.operands.empty() || !e.operands[0]) return "";
    std::string base = InputPath(*e.operands[0]);
    if (base.empty()) return "";
    std::string step = e.op == ir::Op::MapGet ? "[\"" + e.text + "\"]" : e.text;
    if (base == "$") return step;
    return e.op == ir::Op::MapGet ? base + step : base + "." + step;
  }

  void CollectFacts(const ir::Expr& e, std::vector<std::string>& out) const {
    std::string path = InputPath(e);
    if (!path.empty() && path != "$") {
      std::string shown = (p_.input ? p_.input->name + "." : std::string()) + path;
      if (std::find(out.begin(), out.end(), shown) == out.end()) out.push_back(shown);
      return;
    }
    for (const ir::ExprPtr& operand : e.operands) {
      if (operand) CollectFacts(*operand, out);
    }
  }

  void Add(Ref r) {
    if (r.kind == NameUse::Kind::Decl) {
      if (item_set_.count(r.index)) return;
      const ir::Decl& d = p_.decls[r.index];
      // An exception is shown under its target.
      if (d.kind == ir::DeclKind::Exception && d.target) {
        Add({NameUse::Kind::Decl, *d.target});
        return;
      }
    }
    if (term_set_.insert(r).second) queue_.push_back(r);
  }

  void ScanExpr(const ir::Expr& e) {
    if (e.op == ir::Op::DeclRef) Add({NameUse::Kind::Decl, e.index});
    if (e.op == ir::Op::ParamRef) Add({NameUse::Kind::Param, e.index});
    if (e.op == ir::Op::Call) Add({NameUse::Kind::Function, e.index});
    for (const ir::ExprPtr& operand : e.operands) {
      if (operand) ScanExpr(*operand);
    }
  }

  void ScanDecl(uint32_t id) {
    const ir::Decl& d = p_.decls[id];
    for (const ir::ExprPtr* e : {&d.value, &d.when, &d.unless, &d.from, &d.until}) {
      if (*e) ScanExpr(**e);
    }
    if (d.evidence && d.evidence->entry) ScanExpr(*d.evidence->entry);
    for (uint32_t x : d.exceptions) {
      shown_exceptions_.insert(x);
      ScanDecl(x);
    }
  }

  bool InputFree(const ir::Expr& e) {
    if (e.op == ir::Op::Input || e.op == ir::Op::AsOf) return false;
    if (e.op == ir::Op::DeclRef && !DeclInputFree(e.index)) return false;
    if (e.op == ir::Op::Call && !FunctionInputFree(e.index)) return false;
    for (const ir::ExprPtr& operand : e.operands) {
      if (operand && !InputFree(*operand)) return false;
    }
    return true;
  }
  bool DeclInputFree(uint32_t id) {
    auto it = decl_input_free_.find(id);
    if (it != decl_input_free_.end()) return it->second;
    decl_input_free_[id] = false;  // a cycle (there are none after sema) is not constant
    const ir::Decl& d = p_.decls[id];
    bool free = true;
    for (const ir::ExprPtr* e : {&d.value, &d.when, &d.unless, &d.actor_in_roles}) {
      if (*e && !InputFree(**e)) free = false;
    }
    for (uint32_t x : d.exceptions) free = free && DeclInputFree(x);
    return decl_input_free_[id] = free;
  }
  bool FunctionInputFree(uint32_t id) {
    auto it = function_input_free_.find(id);
    if (it != function_input_free_.end()) return it->second;
    function_input_free_[id] = false;
    bool free = InputFree(*p_.functions[id].body);
    return function_input_free_[id] = free;
  }

  const CatalogueInput& in_;
  const ir::Program& p_;
  std::map<std::string, uint32_t> module_order_;
  std::vector<uint32_t> items_;
  std::set<uint32_t> item_set_;
  std::set<Ref> term_set_;
  std::vector<Ref> terms_;
  std::vector<Ref> queue_;
  std::set<uint32_t> shown_exceptions_;
  std::map<uint32_t, bool> decl_input_free_;
  std::map<uint32_t, bool> function_input_free_;
};

// Modules, in program order, with their items.
std::vector<std::pair<std::string, std::vector<uint32_t>>> ByModule(const ir::Program& p,
                                                                    const std::vector<uint32_t>& decls) {
  std::vector<std::pair<std::string, std::vector<uint32_t>>> out;
  for (uint32_t d : decls) {
    const std::string& module = p.decls[d].module;
    auto it = std::find_if(out.begin(), out.end(), [&](const auto& g) { return g.first == module; });
    if (it == out.end()) {
      out.push_back({module, {}});
      it = out.end() - 1;
    }
    it->second.push_back(d);
  }
  return out;
}

std::string ClauseLabel(const std::string& name) {
  if (name == "when") return "Applies when";
  if (name == "unless") return "Unless";
  if (name == "from") return "Applies from";
  if (name == "until") return "Applies until";
  if (name == "value") return "Defined as";
  if (name == "evidence") return "Evidence";
  return name;
}

struct Clause {
  std::string name;
  const ir::Expr* expr;
};

std::vector<Clause> ConditionClauses(const ir::Decl& d) {
  std::vector<Clause> out;
  if (d.value) out.push_back({"value", d.value.get()});
  if (d.when) out.push_back({"when", d.when.get()});
  if (d.unless) out.push_back({"unless", d.unless.get()});
  return out;
}

std::string Heading(const ir::Decl& d) { return d.title.value_or(d.name); }

// The evidence entry an obligation reads, as a reader would look it up.
std::optional<std::string> EvidenceSource(const ir::Program& p, const ir::Decl& d) {
  if (!d.evidence || !d.evidence->entry) return std::nullopt;
  const ir::Expr& entry = *d.evidence->entry;
  if (entry.range.begin == d.range.begin && entry.range.end == d.range.end) {
    return "the descriptor's evidence entry for \u201C" + entry.text + "\u201D";
  }
  std::string source = ir::ClauseSource(p, d.module, entry).text;
  return source.empty() ? std::nullopt : std::optional<std::string>(source);
}

constexpr std::string_view kStyle = R"(
:root { --ink: #1d232b; --muted: #5b6470; --rule: #d9dde3; --code: #f4f5f7; --accent: #1f4e8c; --warn: #8c1f1f; }
* { box-sizing: border-box; }
body { font: 16px/1.5 Georgia, "Times New Roman", serif; color: var(--ink); margin: 0 auto; max-width: 62em; padding: 1.5em; }
h1, h2, h3, h4, nav, .meta, dt, table, .kind { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; }
h1 { font-size: 1.8em; margin-bottom: .2em; }
h2 { border-bottom: 2px solid var(--ink); padding-bottom: .2em; margin-top: 2.5em; }
h3 { margin-top: 2em; color: var(--accent); }
h4 { margin: 0 0 .3em 0; font-size: 1.15em; }
a { color: var(--accent); }
code, pre { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .88em; }
code { background: var(--code); padding: 0 .2em; border-radius: 3px; }
pre { background: var(--code); padding: .6em .8em; border-left: 3px solid var(--rule); overflow-x: auto; white-space: pre-wrap; margin: .3em 0; }
pre a { text-decoration: none; border-bottom: 1px dotted var(--accent); }
article { border: 1px solid var(--rule); border-radius: 6px; padding: 1em 1.2em; margin: 1.2em 0; }
article.prohibition { border-left: 5px solid var(--warn); }
article.obligation { border-left: 5px solid var(--accent); }
.kind { display: inline-block; font-size: .75em; text-transform: uppercase; letter-spacing: .06em; color: var(--muted); }
.meta { color: var(--muted); font-size: .85em; margin: 0 0 .6em 0; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25em 1em; margin: .6em 0; }
dl.facts dt { font-weight: 600; font-size: .9em; }
dl.facts dd { margin: 0; }
blockquote { margin: .6em 0; padding: .4em 1em; border-left: 3px solid var(--accent); background: #f8f9fb; }
.clause { margin: .8em 0; }
.label { font-family: system-ui, -apple-system, "Segoe UI", Helvetica, Arial, sans-serif; font-weight: 600; font-size: .9em; }
ul.where { margin: .2em 0 .2em 0; padding-left: 1.2em; font-size: .92em; }
ul.where li { margin: .1em 0; }
.exception { border-left: 3px solid var(--rule); padding-left: .9em; margin: .8em 0; }
.term { border-top: 1px solid var(--rule); padding-top: .6em; margin-top: 1em; }
table { border-collapse: collapse; width: 100%; font-size: .9em; }
th, td { border-bottom: 1px solid var(--rule); text-align: left; vertical-align: top; padding: .3em .5em; }
th { background: var(--code); }
td.cite { white-space: nowrap; font-weight: 600; }
nav ul { columns: 2; }
details summary { cursor: pointer; color: var(--muted); font-family: system-ui, sans-serif; font-size: .9em; }
@media print { a { color: inherit; text-decoration: none; } article { break-inside: avoid; } nav ul { columns: 1; } }
)";

// ------------------------------------------------------------------ HTML

class HtmlWriter {
 public:
  explicit HtmlWriter(Model& m) : m_(m), p_(m.program()) {}

  std::string Write() {
    const CatalogueInput& in = m_.input();
    std::string title = "Obligation catalogue: " + in.policy;
    out_ += "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
    out_ += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
    out_ += "<title>" + HtmlEscape(title) + "</title>\n<style>" + std::string(kStyle) +
            "</style>\n</head>\n<body>\n";
    out_ += "<header>\n<h1>" + HtmlEscape(title) + "</h1>\n";
    out_ +=
        "<p class=\"meta\">Every prohibition and obligation of the policy, with its citations, the role it "
        "falls on, its dates, its text, its conditions as written in the policy and the exceptions that "
        "can defeat it. Names in a condition link to their explanation under <a href=\"#terms\">Terms "
        "used</a>. Generated by aipol " +
        HtmlEscape(in.version) + ".</p>\n";
    out_ += "<dl class=\"facts\">\n<dt>Modules</dt><dd>" + HtmlEscape(JoinList(in.info.modules)) + "</dd>\n";
    out_ += "<dt>Policy hash</dt><dd><code>" + HtmlEscape(in.info.hash) + "</code></dd>\n";
    out_ += "<dt>Settings</dt><dd>";
    if (in.info.params.empty()) out_ += "none";
    for (size_t k = 0; k < in.info.params.size(); ++k) {
      out_ += (k ? ", " : "") + std::string("<code>") +
              HtmlEscape(in.info.params[k].first + " = " + in.info.params[k].second) + "</code>";
    }
    out_ += "</dd>\n</dl>\n</header>\n";

    auto prohibitions = ByModule(p_, p_.prohibitions);
    auto obligations = ByModule(p_, p_.obligations);
    auto index = m_.Index();
    out_ += "<nav>\n<h2>Contents</h2>\n<ul>\n";
    out_ += "<li><a href=\"#prohibitions\">Prohibitions (" + std::to_string(p_.prohibitions.size()) +
            ")</a></li>\n";
    for (const auto& [module, decls] : prohibitions) {
      out_ += "<li><a href=\"#prohibitions-" + Slug(module) + "\">Prohibitions: " + HtmlEscape(module) +
              " (" + std::to_string(decls.size()) + ")</a></li>\n";
    }
    out_ +=
        "<li><a href=\"#obligations\">Obligations (" + std::to_string(p_.obligations.size()) + ")</a></li>\n";
    for (const auto& [module, decls] : obligations) {
      out_ += "<li><a href=\"#obligations-" + Slug(module) + "\">Obligations: " + HtmlEscape(module) + " (" +
              std::to_string(decls.size()) + ")</a></li>\n";
    }
    out_ += "<li><a href=\"#terms\">Terms used (" + std::to_string(m_.terms().size()) + ")</a></li>\n";
    out_ +=
        "<li><a href=\"#index\">Index by article (" + std::to_string(index.size()) + " citations)</a></li>\n";
    out_ += "</ul>\n</nav>\n<main>\n";

    Part("prohibitions", "Prohibitions", prohibitions);
    Part("obligations", "Obligations", obligations);

    out_ +=
        "<section id=\"terms\">\n<h2>Terms used</h2>\n<p class=\"meta\">The rules, definitions, settings and "
        "functions that the conditions above use, by module, each with its own conditions.</p>\n";
    std::string module;
    for (const Ref& r : m_.terms()) {
      if (m_.Module(r) != module) {
        module = m_.Module(r);
        out_ += "<h3>" + HtmlEscape(module) + "</h3>\n";
      }
      Term(r);
    }
    out_ += "</section>\n";

    out_ +=
        "<section id=\"index\">\n<h2>Index by article</h2>\n<table>\n<thead><tr><th>Citation</th><th>Cited "
        "by</th></tr></thead>\n<tbody>\n";
    for (const auto& [citation, entries] : index) {
      out_ += "<tr><td class=\"cite\">" + HtmlEscape(citation) + "</td><td>";
      for (size_t k = 0; k < entries.size(); ++k) {
        out_ += (k ? "; " : "") + std::string("<a href=\"#") + entries[k].anchor + "\">" +
                HtmlEscape(entries[k].label) + "</a> <span class=\"kind\">" + HtmlEscape(entries[k].kind) +
                "</span>";
      }
      out_ += "</td></tr>\n";
    }
    out_ += "</tbody>\n</table>\n</section>\n</main>\n</body>\n</html>\n";
    return out_;
  }

 private:
  void Part(const std::string& id, const std::string& title,
            const std::vector<std::pair<std::string, std::vector<uint32_t>>>& groups) {
    size_t total = 0;
    for (const auto& g : groups) total += g.second.size();
    out_ +=
        "<section id=\"" + id + "\">\n<h2>" + HtmlEscape(title) + " (" + std::to_string(total) + ")</h2>\n";
    if (groups.empty()) out_ += "<p>None.</p>\n";
    for (const auto& [module, decls] : groups) {
      out_ += "<section id=\"" + id + "-" + Slug(module) + "\">\n<h3>" + HtmlEscape(title) + ": module " +
              HtmlEscape(module) + "</h3>\n";
      if (const ir::Module* mod = ir::FindModule(p_, module)) {
        std::string intro = ir::ModuleIntro(*mod);
        if (!intro.empty()) {
          out_ += "<details>\n<summary>About this module</summary>\n";
          Doc(intro, module);
          out_ += "</details>\n";
        }
      }
      for (uint32_t d : decls) Item(d);
      out_ += "</section>\n";
    }
    out_ += "</section>\n";
  }

  void Item(uint32_t id) {
    const ir::Decl& d = p_.decls[id];
    Ref r{NameUse::Kind::Decl, id};
    std::string kind = std::string(ir::DeclKindName(d.kind));
    out_ += "<article class=\"" + kind + "\" id=\"" + m_.Anchor(r) + "\">\n";
    out_ += "<span class=\"kind\">" + HtmlEscape(kind) + "</span>\n<h4>" + HtmlEscape(Heading(d)) + "</h4>\n";
    out_ += "<p class=\"meta\"><code>" + HtmlEscape(d.id) + "</code> in module " + HtmlEscape(d.module) +
            "</p>\n";
    out_ += "<dl class=\"facts\">\n";
    out_ += "<dt>Citations</dt><dd>" +
            (d.citations.empty() ? std::string("none") : HtmlEscape(JoinList(d.citations))) + "</dd>\n";
    if (d.actor_name) out_ += "<dt>Duty of</dt><dd>the " + HtmlEscape(*d.actor_name) + "</dd>\n";
    DateFact("Applies from", d, d.from.get());
    DateFact("Applies until", d, d.until.get());
    if (std::optional<std::string> evidence = EvidenceSource(p_, d)) {
      out_ += "<dt>Evidence</dt><dd>" + HtmlEscape(*evidence) + "</dd>\n";
    }
    out_ += "</dl>\n";
    if (!d.doc.empty()) Doc(d.doc, d.module);
    if (d.text) out_ += "<blockquote>" + HtmlEscape(*d.text) + "</blockquote>\n";
    if (!d.when)
      out_ += "<p class=\"clause\"><span class=\"label\">Applies when:</span> always (no condition)</p>\n";
    for (const Clause& c : ConditionClauses(d)) ClauseBlock(ClauseLabel(c.name), d, *c.expr);
    Exceptions(d);
    out_ += "</article>\n";
  }

  void DateFact(const char* label, const ir::Decl& d, const ir::Expr* e) {
    if (!e) return;
    out_ += "<dt>" + std::string(label) + "</dt><dd>";
    ir::ClauseText text = ir::ClauseSource(p_, d.module, *e);
    std::optional<Value> value = m_.Constant(*e, d.locals);
    if (e->op == ir::Op::Const && value) {
      out_ += HtmlEscape(PlainValue(p_, *value)) + "</dd>\n";
      return;
    }
    out_ += "<code>" + Linked(text) + "</code>";
    if (value) out_ += " = " + HtmlEscape(PlainValue(p_, *value));
    Where(text, *e);
    out_ += "</dd>\n";
  }

  void ClauseBlock(const std::string& label, const ir::Decl& d, const ir::Expr& e) {
    ir::ClauseText text = ir::ClauseSource(p_, d.module, e);
    out_ += "<div class=\"clause\">\n<div class=\"label\">" + HtmlEscape(label) + "</div>\n";
    out_ += "<pre>" + Linked(text) + "</pre>\n";
    Where(text, e);
    out_ += "</div>\n";
  }

  // What the names and descriptor facts of a clause mean.
  void Where(const ir::ClauseText& text, const ir::Expr& e) {
    std::vector<Ref> names = m_.NamesOf(text);
    std::vector<std::string> facts = m_.FactsOf(e);
    if (names.empty() && facts.empty()) return;
    out_ += "<ul class=\"where\">\n";
    for (const Ref& n : names) WhereItem(n);
    for (const std::string& f : facts) {
      out_ += "<li><code>" + HtmlEscape(f) +
              "</code> <span class=\"kind\">fact from the descriptor</span></li>\n";
    }
    out_ += "</ul>\n";
  }

  void WhereItem(const Ref& r) {
    std::string anchor = m_.Anchor(r);
    std::string name = "<code>" + HtmlEscape(m_.Name(r)) + "</code>";
    out_ += "<li>" + (anchor.empty() ? name : "<a href=\"#" + anchor + "\">" + name + "</a>") +
            " <span class=\"kind\">" + HtmlEscape(m_.KindWord(r)) + "</span>";
    std::string about = m_.Describe(r);
    if (!about.empty()) out_ += " " + Inline(about, m_.Module(r));
    out_ += "</li>\n";
  }

  void Exceptions(const ir::Decl& d) {
    if (d.exceptions.empty()) return;
    out_ += "<div class=\"clause\">\n<div class=\"label\">Exceptions that can defeat it</div>\n";
    for (uint32_t x : d.exceptions) Exception(x);
    out_ += "</div>\n";
  }

  void Exception(uint32_t id) {
    const ir::Decl& x = p_.decls[id];
    Ref r{NameUse::Kind::Decl, id};
    out_ += "<div class=\"exception\" id=\"" + m_.Anchor(r) + "\">\n";
    out_ += "<p><span class=\"kind\">exception</span> <strong>" + HtmlEscape(Heading(x)) + "</strong>";
    if (!x.citations.empty()) out_ += " (" + HtmlEscape(JoinList(x.citations)) + ")";
    out_ += " <code>" + HtmlEscape(x.id) + "</code></p>\n";
    if (!x.doc.empty()) Doc(x.doc, x.module);
    if (x.text) out_ += "<blockquote>" + HtmlEscape(*x.text) + "</blockquote>\n";
    for (const Clause& c : ConditionClauses(x)) ClauseBlock(ClauseLabel(c.name), x, *c.expr);
    Exceptions(x);
    out_ += "</div>\n";
  }

  void Term(const Ref& r) {
    out_ += "<div class=\"term\" id=\"" + m_.Anchor(r) + "\">\n";
    out_ += "<p><span class=\"kind\">" + HtmlEscape(m_.KindWord(r)) + "</span> <strong><code>" +
            HtmlEscape(m_.Name(r)) + "</code></strong>";
    if (r.kind == NameUse::Kind::Decl) {
      const ir::Decl& d = p_.decls[r.index];
      if (d.title) out_ += " \u201C" + HtmlEscape(*d.title) + "\u201D";
      if (!d.citations.empty()) out_ += " (" + HtmlEscape(JoinList(d.citations)) + ")";
    }
    out_ += "</p>\n";
    if (!m_.Doc(r).empty()) Doc(m_.Doc(r), m_.Module(r));
    switch (r.kind) {
      case NameUse::Kind::Param: {
        const ir::Param& param = p_.params[r.index];
        out_ += "<p class=\"clause\"><span class=\"label\">Setting:</span> <code>" +
                HtmlEscape(param.name + ": " + p_.types.Name(param.type)) + "</code>, in this catalogue " +
                HtmlEscape(PlainValue(p_, m_.input().params[r.index])) + " (change it with <code>--set " +
                HtmlEscape(param.name) + "=…</code>)</p>\n";
        break;
      }
      case NameUse::Kind::Function: {
        const ir::Function& f = p_.functions[r.index];
        std::vector<std::string> params;
        for (const ir::FunctionParam& fp : f.params)
          params.push_back(fp.name + ": " + p_.types.Name(fp.type));
        out_ += "<p class=\"clause\"><span class=\"label\">Function of:</span> <code>" +
                HtmlEscape(f.name + "(" + JoinList(params) + ")") + "</code></p>\n";
        ClauseCode(f.module, *f.body, "Defined as");
        break;
      }
      case NameUse::Kind::Decl: {
        const ir::Decl& d = p_.decls[r.index];
        if (d.text) out_ += "<blockquote>" + HtmlEscape(*d.text) + "</blockquote>\n";
        for (const Clause& c : ConditionClauses(d)) ClauseBlock(ClauseLabel(c.name), d, *c.expr);
        if (std::optional<Value> v = m_.ConstantDecl(r.index)) {
          out_ += "<p class=\"clause\"><span class=\"label\">Value:</span> " +
                  HtmlEscape(PlainValue(p_, *v)) + " (it does not depend on the system)</p>\n";
        }
        Exceptions(d);
        break;
      }
    }
    out_ += "</div>\n";
  }

  void ClauseCode(const std::string& module, const ir::Expr& e, const std::string& label) {
    ir::ClauseText text = ir::ClauseSource(p_, module, e);
    out_ += "<div class=\"clause\">\n<div class=\"label\">" + HtmlEscape(label) + "</div>\n<pre>" +
            Linked(text) + "</pre>\n</div>\n";
  }

  // The clause text, HTML-escaped, with its names linked.
  std::string Linked(const ir::ClauseText& text) {
    std::string out;
    size_t at = 0;
    for (const NameUse& use : text.names) {
      out += HtmlEscape(std::string_view(text.text).substr(at, use.begin - at));
      Ref r{use.kind, use.index};
      std::string name = HtmlEscape(std::string_view(text.text).substr(use.begin, use.end - use.begin));
      std::string anchor = m_.Anchor(r);
      if (anchor.empty()) {
        out += name;
      } else {
        std::string hint = m_.Describe(r);
        out += "<a href=\"#" + anchor + "\"" + (hint.empty() ? "" : " title=\"" + HtmlEscape(hint) + "\"") +
               ">" + name + "</a>";
      }
      at = use.end;
    }
    out += HtmlEscape(std::string_view(text.text).substr(at));
    return out;
  }

  // Doc-comment text: `code` spans, linked when they name something shown.
  std::string Inline(std::string_view text, const std::string& module) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
      size_t open = text.find('`', at);
      size_t close = open == std::string_view::npos ? open : text.find('`', open + 1);
      if (close == std::string_view::npos) {
        out += HtmlEscape(text.substr(at));
        break;
      }
      out += HtmlEscape(text.substr(at, open - at));
      std::string_view code = text.substr(open + 1, close - open - 1);
      std::optional<Ref> r = m_.Resolve(code, module);
      if (r) {
        out += "<a href=\"#" + m_.Anchor(*r) + "\"><code>" + HtmlEscape(code) + "</code></a>";
      } else {
        out += "<code>" + HtmlEscape(code) + "</code>";
      }
      at = close + 1;
    }
    return out;
  }

  void Doc(std::string_view doc, const std::string& module) {
    for (const Block& b : DocBlocks(doc)) {
      switch (b.kind) {
        case Block::Paragraph: out_ += "<p>" + Inline(b.items[0], module) + "</p>\n"; break;
        case Block::List:
          out_ += "<ul>\n";
          for (const std::string& item : b.items) out_ += "<li>" + Inline(item, module) + "</li>\n";
          out_ += "</ul>\n";
          break;
        case Block::Pre: out_ += "<pre>" + HtmlEscape(JoinList(b.items, "\n")) + "</pre>\n"; break;
      }
    }
  }

  Model& m_;
  const ir::Program& p_;
  std::string out_;
};

// ------------------------------------------------------------------ Markdown

class MdWriter {
 public:
  explicit MdWriter(Model& m) : m_(m), p_(m.program()) {}

  std::string Write() {
    const CatalogueInput& in = m_.input();
    out_ += "# Obligation catalogue: " + Md(in.policy) + "\n\n";
    out_ +=
        "Every prohibition and obligation of the policy, with its citations, the role it falls on, its "
        "dates, "
        "its text, its conditions as written in the policy and the exceptions that can defeat it. Names in a "
        "condition are explained below it and under [Terms used](#terms). Generated by aipol " +
        Md(in.version) + ".\n\n";
    out_ += "- **Modules:** " + Md(JoinList(in.info.modules)) + "\n";
    out_ += "- **Policy hash:** " + MdCode(in.info.hash) + "\n";
    out_ += "- **Settings:** ";
    if (in.info.params.empty()) out_ += "none";
    for (size_t k = 0; k < in.info.params.size(); ++k) {
      out_ += (k ? ", " : "") + MdCode(in.info.params[k].first + " = " + in.info.params[k].second);
    }
    out_ += "\n\n";

    auto prohibitions = ByModule(p_, p_.prohibitions);
    auto obligations = ByModule(p_, p_.obligations);
    auto index = m_.Index();
    out_ += "## Contents\n\n";
    out_ += "- [Prohibitions (" + std::to_string(p_.prohibitions.size()) + ")](#prohibitions)\n";
    for (const auto& [module, decls] : prohibitions) {
      out_ += "  - [" + Md(module) + " (" + std::to_string(decls.size()) + ")](#prohibitions-" +
              Slug(module) + ")\n";
    }
    out_ += "- [Obligations (" + std::to_string(p_.obligations.size()) + ")](#obligations)\n";
    for (const auto& [module, decls] : obligations) {
      out_ += "  - [" + Md(module) + " (" + std::to_string(decls.size()) + ")](#obligations-" + Slug(module) +
              ")\n";
    }
    out_ += "- [Terms used (" + std::to_string(m_.terms().size()) + ")](#terms)\n";
    out_ += "- [Index by article (" + std::to_string(index.size()) + " citations)](#index)\n\n";

    Part("prohibitions", "Prohibitions", prohibitions);
    Part("obligations", "Obligations", obligations);

    out_ +=
        "<a id=\"terms\"></a>\n\n## Terms used\n\nThe rules, definitions, settings and functions that the "
        "conditions above use, by module, each with its own conditions.\n";
    std::string module;
    for (const Ref& r : m_.terms()) {
      if (m_.Module(r) != module) {
        module = m_.Module(r);
        out_ += "\n### " + Md(module) + "\n\n";
      }
      Term(r);
    }

    out_ += "\n<a id=\"index\"></a>\n\n## Index by article\n\n| Citation | Cited by |\n|---|---|\n";
    for (const auto& [citation, entries] : index) {
      out_ += "| " + Md(citation) + " | ";
      for (size_t k = 0; k < entries.size(); ++k) {
        out_ += (k ? "; " : "") + std::string("[") + Md(entries[k].label) + "](#" + entries[k].anchor +
                ") (" + Md(entries[k].kind) + ")";
      }
      out_ += " |\n";
    }
    return out_;
  }

 private:
  void Part(const std::string& id, const std::string& title,
            const std::vector<std::pair<std::string, std::vector<uint32_t>>>& groups) {
    size_t total = 0;
    for (const auto& g : groups) total += g.second.size();
    out_ += "<a id=\"" + id + "\"></a>\n\n## " + title + " (" + std::to_string(total) + ")\n\n";
    if (groups.empty()) out_ += "None.\n\n";
    for (const auto& [module, decls] : groups) {
      out_ += "<a id=\"" + id + "-" + Slug(module) + "\"></a>\n\n### " + title + ": module " + Md(module) +
              "\n\n";
      if (const ir::Module* mod = ir::FindModule(p_, module)) {
        std::string intro = ir::ModuleIntro(*mod);
        if (!intro.empty()) {
          out_ += "*About this module:*\n\n";
          Doc(intro, module, "> ");
          out_ += "\n";
        }
      }
      for (uint32_t d : decls) Item(d);
    }
  }

  void Item(uint32_t id) {
    const ir::Decl& d = p_.decls[id];
    Ref r{NameUse::Kind::Decl, id};
    out_ += "<a id=\"" + m_.Anchor(r) + "\"></a>\n\n#### " + Md(Heading(d)) + "\n\n";
    out_ += "*" + std::string(ir::DeclKindName(d.kind)) + "* " + MdCode(d.id) + " in module " + Md(d.module) +
            "\n\n";
    out_ +=
        "- **Citations:** " + (d.citations.empty() ? std::string("none") : Md(JoinList(d.citations))) + "\n";
    if (d.actor_name) out_ += "- **Duty of:** the " + Md(*d.actor_name) + "\n";
    DateFact("Applies from", d, d.from.get());
    DateFact("Applies until", d, d.until.get());
    if (std::optional<std::string> evidence = EvidenceSource(p_, d))
      out_ += "- **Evidence:** " + Md(*evidence) + "\n";
    out_ += "\n";
    if (!d.doc.empty()) Doc(d.doc, d.module, "");
    if (d.text) out_ += "> " + Md(*d.text) + "\n\n";
    if (!d.when) out_ += "**Applies when:** always (no condition)\n\n";
    for (const Clause& c : ConditionClauses(d)) ClauseBlock(ClauseLabel(c.name), d, *c.expr, "");
    Exceptions(d, "");
  }

  void DateFact(const char* label, const ir::Decl& d, const ir::Expr* e) {
    if (!e) return;
    ir::ClauseText text = ir::ClauseSource(p_, d.module, *e);
    std::optional<Value> value = m_.Constant(*e, d.locals);
    out_ += "- **" + std::string(label) + ":** ";
    if (e->op == ir::Op::Const && value) {
      out_ += Md(PlainValue(p_, *value)) + "\n";
      return;
    }
    out_ += MdCode(text.text);
    if (value) out_ += " = " + Md(PlainValue(p_, *value));
    out_ += "\n";
    for (const Ref& n : m_.NamesOf(text)) out_ += "  " + WhereItem(n);
    for (const std::string& f : m_.FactsOf(*e)) out_ += "  - " + MdCode(f) + " *fact from the descriptor*\n";
  }

  void ClauseBlock(const std::string& label, const ir::Decl& d, const ir::Expr& e, const std::string& pad) {
    ir::ClauseText text = ir::ClauseSource(p_, d.module, e);
    out_ += pad + "**" + Md(label) + ":**\n" + pad + "\n";
    std::string fence = MdFence(text.text);
    out_ += pad + fence + "\n";
    size_t k = 0;
    while (k <= text.text.size()) {
      size_t newline = text.text.find('\n', k);
      out_ +=
          pad + text.text.substr(k, newline == std::string::npos ? std::string::npos : newline - k) + "\n";
      if (newline == std::string::npos) break;
      k = newline + 1;
    }
    out_ += pad + fence + "\n" + pad + "\n";
    std::vector<Ref> names = m_.NamesOf(text);
    std::vector<std::string> facts = m_.FactsOf(e);
    if (names.empty() && facts.empty()) return;
    out_ += pad + "where:\n" + pad + "\n";
    for (const Ref& n : names) out_ += pad + WhereItem(n);
    for (const std::string& f : facts) out_ += pad + "- " + MdCode(f) + " *fact from the descriptor*\n";
    out_ += pad + "\n";
  }

  std::string WhereItem(const Ref& r) {
    std::string anchor = m_.Anchor(r);
    std::string name = MdCode(m_.Name(r));
    std::string out =
        "- " + (anchor.empty() ? name : "[" + name + "](#" + anchor + ")") + " *" + m_.KindWord(r) + "*";
    std::string about = m_.Describe(r);
    if (!about.empty()) out += " " + Inline(about, m_.Module(r));
    return out + "\n";
  }

  void Exceptions(const ir::Decl& d, const std::string& pad) {
    if (d.exceptions.empty()) return;
    out_ += pad + "**Exceptions that can defeat it:**\n" + pad + "\n";
    for (uint32_t x : d.exceptions) Exception(x, pad + "> ");
  }

  void Exception(uint32_t id, const std::string& pad) {
    const ir::Decl& x = p_.decls[id];
    Ref r{NameUse::Kind::Decl, id};
    out_ += pad + "<a id=\"" + m_.Anchor(r) + "\"></a>*exception* **" + Md(Heading(x)) + "**";
    if (!x.citations.empty()) out_ += " (" + Md(JoinList(x.citations)) + ")";
    out_ += " " + MdCode(x.id) + "\n" + pad + "\n";
    if (!x.doc.empty()) Doc(x.doc, x.module, pad);
    if (x.text) out_ += pad + "> " + Md(*x.text) + "\n" + pad + "\n";
    for (const Clause& c : ConditionClauses(x)) ClauseBlock(ClauseLabel(c.name), x, *c.expr, pad);
    Exceptions(x, pad);
    out_ += "\n";
  }

  void Term(const Ref& r) {
    out_ += "<a id=\"" + m_.Anchor(r) + "\"></a>*" + m_.KindWord(r) + "* **" + MdCode(m_.Name(r)) + "**";
    if (r.kind == NameUse::Kind::Decl) {
      const ir::Decl& d = p_.decls[r.index];
      if (d.title) out_ += " \u201C" + Md(*d.title) + "\u201D";
      if (!d.citations.empty()) out_ += " (" + Md(JoinList(d.citations)) + ")";
    }
    out_ += "\n\n";
    if (!m_.Doc(r).empty()) Doc(m_.Doc(r), m_.Module(r), "");
    switch (r.kind) {
      case NameUse::Kind::Param: {
        const ir::Param& param = p_.params[r.index];
        out_ += "**Setting:** " + MdCode(param.name + ": " + p_.types.Name(param.type)) +
                ", in this catalogue " + Md(PlainValue(p_, m_.input().params[r.index])) +
                " (change it with " + MdCode("--set " + param.name + "=…") + ")\n\n";
        break;
      }
      case NameUse::Kind::Function: {
        const ir::Function& f = p_.functions[r.index];
        std::vector<std::string> params;
        for (const ir::FunctionParam& fp : f.params)
          params.push_back(fp.name + ": " + p_.types.Name(fp.type));
        out_ += "**Function of:** " + MdCode(f.name + "(" + JoinList(params) + ")") + "\n\n";
        ir::ClauseText text = ir::ClauseSource(p_, f.module, *f.body);
        std::string fence = MdFence(text.text);
        out_ += "**Defined as:**\n\n" + fence + "\n" + text.text + "\n" + fence + "\n\n";
        break;
      }
      case NameUse::Kind::Decl: {
        const ir::Decl& d = p_.decls[r.index];
        if (d.text) out_ += "> " + Md(*d.text) + "\n\n";
        for (const Clause& c : ConditionClauses(d)) ClauseBlock(ClauseLabel(c.name), d, *c.expr, "");
        if (std::optional<Value> v = m_.ConstantDecl(r.index)) {
          out_ += "**Value:** " + Md(PlainValue(p_, *v)) + " (it does not depend on the system)\n\n";
        }
        Exceptions(d, "");
        break;
      }
    }
  }

  std::string Inline(std::string_view text, const std::string& module) {
    std::string out;
    size_t at = 0;
    while (at < text.size()) {
      size_t open = text.find('`', at);
      size_t close = open == std::string_view::npos ? open : text.find('`', open + 1);
      if (close == std::string_view::npos) {
        out += Md(text.substr(at));
        break;
      }
      out += Md(text.substr(at, open - at));
      std::string_view code = text.substr(open + 1, close - open - 1);
      std::optional<Ref> r = m_.Resolve(code, module);
      out += r ? "[" + MdCode(code) + "](#" + m_.Anchor(*r) + ")" : MdCode(code);
      at = close + 1;
    }
    return out;
  }

  void Doc(std::string_view doc, const std::string& module, const std::string& pad) {
    for (const Block& b : DocBlocks(doc)) {
      switch (b.kind) {
        case Block::Paragraph: out_ += pad + Inline(b.items[0], module) + "\n"; break;
        case Block::List:
          for (const std::string& item : b.items) out_ += pad + "- " + Inline(item, module) + "\n";
          break;
        case Block::Pre: {
          std::string text = JoinList(b.items, "\n");
          std::string fence = MdFence(text);
          out_ += pad + fence + "\n";
          for (const std::string& line : b.items) out_ += pad + line + "\n";
          out_ += pad + fence + "\n";
          break;
        }
      }
      out_ += pad + "\n";
    }
  }

  Model& m_;
  const ir::Program& p_;
  std::string out_;
};

}  // namespace

std::string CatalogueHtml(const CatalogueInput& input) {
  Model model(input);
  return HtmlWriter(model).Write();
}

std::string CatalogueMarkdown(const CatalogueInput& input) {
  Model model(input);
  return MdWriter(model).Write();
}

}  // namespace aipol
