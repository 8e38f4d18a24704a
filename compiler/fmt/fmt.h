// `aipol fmt`: one canonical layout for a `.pol` file (docs/fmt.md).
//
// The output parses to the same AST as the input, up to parentheses (only
// those that matter or that group an operator inside another are kept),
// the order of imports (sorted) and of clauses (a fixed order), and trailing
// blanks in `##` lines; every comment is kept. Formatting the output again
// changes nothing.
#pragma once

#include <optional>
#include <string>

#include "compiler/diag/diag.h"
#include "compiler/source/source.h"

namespace aipol {

// Lines are at most this many columns wide where the layout allows it.
inline constexpr int kFormatWidth = 100;

// The canonical text of `file`, or nullopt when it does not parse (the
// syntax errors are then in `diags`).
std::optional<std::string> Format(const SourceManager& sources, FileId file, DiagnosticSink& diags);

}  // namespace aipol
