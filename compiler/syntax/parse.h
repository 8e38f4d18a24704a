// Parsing: source text to ast::Module.
//
// The only public face of the ANTLR-generated parser: nothing outside this
// folder sees an ANTLR type. Syntax errors become diagnostics; the parser
// recovers so one run reports several of them.
#pragma once

#include <memory>

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

// Deepest nesting of expressions the parser accepts; deeper input is a
// TooDeeplyNested error rather than a stack overflow.
inline constexpr int kMaxExpressionDepth = 200;

}  // namespace aipol
