// Parsing: source text to ast::Module.
//
// The only public face of the ANTLR-generated parser: nothing outside this
// folder sees an ANTLR type. Syntax errors become diagnostics; the parser
// recovers so one run reports several of them.
#pragma once

#include <memory>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diag.h"

namespace aipol {

struct ParseResult {
  std::unique_ptr<ast::Module> module;  // partial when there were errors
  bool ok = false;                      // no syntax errors
};

ParseResult Parse(const SourceManager& sources, FileId file, DiagnosticSink& diags);

// Parses a lone expression (the REPL, `--set` values, `given` literals).
// `file` holds only the expression.
ast::ExprPtr ParseExpression(const SourceManager& sources, FileId file, DiagnosticSink& diags);

// A `#` comment or a `##` documentation comment: its range covers the text
// from the first `#` to the end of the line, without the line break.
struct Comment {
  SourceRange range;
  bool doc = false;  // starts with `##`
};

// The comments of a file in source order, found by the lexer alone (the
// formatter puts them back around the declarations it prints). Empty when
// the file is not valid UTF-8.
std::vector<Comment> Comments(const SourceManager& sources, FileId file);

// Deepest nesting the parser accepts (brackets, prefix operators, nested
// expressions); deeper input is a TooDeeplyNested error, not a stack
// overflow.
inline constexpr int kMaxExpressionDepth = 200;
// Deepest expression tree the later phases walk: each operator of a chain
// (`a or b or c ...`) is one level, nested expressions add their own.
inline constexpr int kMaxTreeDepth = 2000;

}  // namespace aipol
