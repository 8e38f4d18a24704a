// Checking an aipol literal against a type, outside any module: `--set`
// values, `--as-of`, the REPL's `:set`. Enum members are written bare.
#pragma once

#include <string>

#include "compiler/ast/ast.h"
#include "compiler/diag/diag.h"
#include "compiler/ir/ir.h"

namespace aipol {

// Returns a constant expression of `type`, or null after reporting why not.
ir::ExprPtr CheckLiteral(const ir::TypeTable& types, ir::TypeId type, const ast::Expr& literal,
                         DiagnosticSink& diags);

// Parses and checks `text` (e.g. `12 months`, `original_2024`, `{a, b}`);
// `what` names it in messages. Returns null and sets `error` on failure.
ir::ExprPtr ParseLiteral(const ir::TypeTable& types, ir::TypeId type, const std::string& text,
                         const std::string& what, std::string* error);

}  // namespace aipol
