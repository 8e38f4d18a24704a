// Checks `aipol fmt` on every policy under the given files and directories:
//
//   fmt_roundtrip PATH...
//
// For each `.pol` file that parses (files with syntax errors are skipped):
// the formatted text parses; it has the same AST as the original, up to
// parentheses, the order of imports and the order of clauses (see
// docs/fmt.md), with `ast::SameExpr` on every expression; it has the same
// comments; and formatting it again changes nothing.
#include <algorithm>
#include <filesystem>
#include <iostream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diag.h"
#include "compiler/fmt/fmt.h"
#include "compiler/syntax/parse.h"

namespace fs = std::filesystem;

namespace {

using namespace aipol;

// Replaces every parenthesis node by what it encloses.
void StripParens(ast::ExprPtr& e) {
  if (!e) return;
  while (e->kind == ast::ExprKind::Parens && !e->operands.empty()) {
    ast::ExprPtr inner = std::move(e->operands[0]);
    e = std::move(inner);
  }
  for (ast::ExprPtr& operand : e->operands) StripParens(operand);
}

void StripParens(ast::Module& module) {
  for (ast::Decl& decl : module.decls) {
    StripParens(decl.value);
    for (ast::Clause& clause : decl.clauses) StripParens(clause.expr);
    for (ast::TestStep& step : decl.steps) StripParens(step.expr);
  }
}

int ClauseRank(ast::ClauseKind kind) {
  static const ast::ClauseKind kOrder[] = {
      ast::ClauseKind::Cite, ast::ClauseKind::Actor,  ast::ClauseKind::From,     ast::ClauseKind::Until,
      ast::ClauseKind::When, ast::ClauseKind::Unless, ast::ClauseKind::Evidence, ast::ClauseKind::Text};
  return static_cast<int>(std::find(std::begin(kOrder), std::end(kOrder), kind) - std::begin(kOrder));
}

std::string WithoutTrailingBlanks(const std::string& doc) {
  std::string out;
  std::istringstream lines(doc);
  std::string line;
  bool first = true;
  while (std::getline(lines, line)) {
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t' || line.back() == '\f'))
      line.pop_back();
    out += (first ? "" : "\n") + line;
    first = false;
  }
  return out;
}

bool SameType(const ast::TypeRef& a, const ast::TypeRef& b) {
  if (a.name != b.name || a.args.size() != b.args.size()) return false;
  for (size_t i = 0; i < a.args.size(); ++i) {
    if (!SameType(a.args[i], b.args[i])) return false;
  }
  return true;
}

bool SameOptionalExpr(const ast::ExprPtr& a, const ast::ExprPtr& b) {
  if (!a || !b) return !a && !b;
  return ast::SameExpr(*a, *b);
}

// The first difference between two modules, or "".
std::string Difference(const ast::Module& a, const ast::Module& b) {
  if (a.path.text != b.path.text) return "module path";
  std::vector<std::string> imports_a, imports_b;
  for (const ast::Name& n : a.imports) imports_a.push_back(n.text);
  for (const ast::Name& n : b.imports) imports_b.push_back(n.text);
  std::sort(imports_a.begin(), imports_a.end());
  std::sort(imports_b.begin(), imports_b.end());
  if (imports_a != imports_b) return "imports";
  if (a.decls.size() != b.decls.size()) return "number of declarations";
  for (size_t d = 0; d < a.decls.size(); ++d) {
    const ast::Decl& x = a.decls[d];
    const ast::Decl& y = b.decls[d];
    std::string where = "declaration " + std::to_string(d + 1) + " (" + x.name.text + "): ";
    if (x.kind != y.kind || x.name.text != y.name.text || x.reported != y.reported ||
        x.is_function != y.is_function || x.title != y.title || x.target.text != y.target.text) {
      return where + "header";
    }
    if (WithoutTrailingBlanks(x.doc) != WithoutTrailingBlanks(y.doc)) return where + "documentation";
    if (x.members.size() != y.members.size()) return where + "members";
    for (size_t i = 0; i < x.members.size(); ++i) {
      if (x.members[i].text != y.members[i].text) return where + "members";
    }
    if (x.fields.size() != y.fields.size()) return where + "fields";
    for (size_t i = 0; i < x.fields.size(); ++i) {
      if (x.fields[i].name.text != y.fields[i].name.text || !SameType(x.fields[i].type, y.fields[i].type) ||
          x.fields[i].required != y.fields[i].required) {
        return where + "fields";
      }
    }
    if (x.params.size() != y.params.size()) return where + "parameters";
    for (size_t i = 0; i < x.params.size(); ++i) {
      if (x.params[i].name.text != y.params[i].name.text || !SameType(x.params[i].type, y.params[i].type)) {
        return where + "parameters";
      }
    }
    if (x.type.has_value() != y.type.has_value() || (x.type && !SameType(*x.type, *y.type)))
      return where + "type";
    if (!SameOptionalExpr(x.value, y.value)) return where + "value";
    // Clauses: the formatter puts them in a fixed order, keeping the order
    // of several `cite` clauses.
    std::vector<const ast::Clause*> clauses_x, clauses_y;
    for (const ast::Clause& c : x.clauses) clauses_x.push_back(&c);
    for (const ast::Clause& c : y.clauses) clauses_y.push_back(&c);
    auto by_rank = [](const ast::Clause* l, const ast::Clause* r) {
      return ClauseRank(l->kind) < ClauseRank(r->kind);
    };
    std::stable_sort(clauses_x.begin(), clauses_x.end(), by_rank);
    if (clauses_x.size() != clauses_y.size()) return where + "number of clauses";
    for (size_t i = 0; i < clauses_x.size(); ++i) {
      const ast::Clause& p = *clauses_x[i];
      const ast::Clause& q = *clauses_y[i];
      std::string clause = where + std::string(ast::ClauseKindName(p.kind)) + " clause";
      if (p.kind != q.kind || p.text != q.text || p.actor.text != q.actor.text) return clause;
      if (!SameOptionalExpr(p.expr, q.expr)) return clause + " expression";
      if (p.citations.size() != q.citations.size()) return clause + " citations";
      for (size_t k = 0; k < p.citations.size(); ++k) {
        if (p.citations[k].text != q.citations[k].text) return clause + " citations";
      }
    }
    if (x.steps.size() != y.steps.size()) return where + "number of steps";
    for (size_t i = 0; i < x.steps.size(); ++i) {
      const ast::TestStep& p = x.steps[i];
      const ast::TestStep& q = y.steps[i];
      if (p.kind != q.kind || p.name.text != q.name.text || p.path != q.path ||
          p.status.text != q.status.text || !SameOptionalExpr(p.expr, q.expr)) {
        return where + "step " + std::to_string(i + 1);
      }
    }
  }
  return "";
}

std::vector<std::string> CommentTexts(const SourceManager& sources, FileId file) {
  std::vector<std::string> texts;
  for (const Comment& comment : Comments(sources, file)) {
    std::string text(sources.Text(comment.range));
    while (!text.empty() &&
           (text.back() == ' ' || text.back() == '\t' || text.back() == '\f' || text.back() == '\v')) {
      text.pop_back();
    }
    texts.push_back(text);
  }
  std::sort(texts.begin(), texts.end());
  return texts;
}

// The first line where two texts differ, for the failure message.
std::string FirstDifferentLine(const std::string& a, const std::string& b) {
  std::istringstream x(a), y(b);
  std::string p, q;
  for (int line = 1;; ++line) {
    bool more_x = static_cast<bool>(std::getline(x, p));
    bool more_y = static_cast<bool>(std::getline(y, q));
    if (!more_x && !more_y) return "";
    if (p != q || more_x != more_y) {
      return "line " + std::to_string(line) + ":\n    first:  " + p + "\n    second: " + q;
    }
  }
}

enum class Outcome { Passed, Skipped, Failed };

Outcome CheckFile(const std::string& path) {
  SourceManager sources;
  std::string error;
  std::optional<FileId> original = sources.Load(path, &error);
  if (!original) {
    std::cout << "FAIL " << path << ": " << error << "\n";
    return Outcome::Failed;
  }
  DiagnosticSink diags;
  ParseResult parsed = Parse(sources, *original, diags);
  if (!parsed.ok) return Outcome::Skipped;
  DiagnosticSink format_diags;
  std::optional<std::string> once = Format(sources, *original, format_diags);
  if (!once) {
    std::cout << "FAIL " << path << ": the file parses but does not format\n";
    return Outcome::Failed;
  }
  FileId formatted = sources.Add(path + " (formatted)", *once);
  DiagnosticSink reparse_diags;
  ParseResult reparsed = Parse(sources, formatted, reparse_diags);
  if (!reparsed.ok) {
    std::cout << "FAIL " << path << ": the formatted text does not parse:\n";
    RenderText(sources, reparse_diags.diagnostics(), RenderOptions{}, std::cout);
    return Outcome::Failed;
  }
  StripParens(*parsed.module);
  StripParens(*reparsed.module);
  std::string difference = Difference(*parsed.module, *reparsed.module);
  if (!difference.empty()) {
    std::cout << "FAIL " << path << ": the formatted text means something else: " << difference << "\n";
    return Outcome::Failed;
  }
  if (CommentTexts(sources, *original) != CommentTexts(sources, formatted)) {
    std::cout << "FAIL " << path << ": comments were lost or changed\n";
    return Outcome::Failed;
  }
  DiagnosticSink again_diags;
  std::optional<std::string> twice = Format(sources, formatted, again_diags);
  if (!twice || *twice != *once) {
    std::cout << "FAIL " << path << ": formatting twice differs from once, "
              << (twice ? FirstDifferentLine(*once, *twice) : "second run failed") << "\n";
    return Outcome::Failed;
  }
  return Outcome::Passed;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    fs::path path(argv[i]);
    if (fs::is_directory(path)) {
      for (const auto& entry : fs::recursive_directory_iterator(path)) {
        if (entry.is_regular_file() && entry.path().extension() == ".pol")
          files.push_back(entry.path().string());
      }
    } else {
      files.push_back(path.string());
    }
  }
  std::sort(files.begin(), files.end());
  size_t passed = 0, skipped = 0, failed = 0;
  for (const std::string& file : files) {
    switch (CheckFile(file)) {
      case Outcome::Passed: ++passed; break;
      case Outcome::Skipped: ++skipped; break;
      case Outcome::Failed: ++failed; break;
    }
  }
  std::cout << files.size() << " files: " << passed << " passed, " << failed << " failed, " << skipped
            << " skipped (syntax errors)\n";
  return failed == 0 && passed > 0 ? 0 : 1;
}
