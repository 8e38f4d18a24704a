// The source text behind the IR, for people: a clause as it was written (for
// explanations and the obligation catalogue), the names it uses, and a
// module's introductory comment.
//
// Every expression keeps its source range, and every module its source bytes
// (Module::source, the same bytes the ranges index), so no SourceManager is
// needed.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"

namespace aipol::ir {

const Module* FindModule(const Program& program, std::string_view path);

// A name the clause text uses that refers to a declaration, a param or a
// function. `begin`/`end` are byte offsets into the text ClauseSource
// returns.
struct NameUse {
  enum class Kind : uint8_t { Decl, Param, Function };
  Kind kind;
  uint32_t index;  // into Program::decls, params or functions
  size_t begin = 0;
  size_t end = 0;
};

struct ClauseText {
  std::string text;            // as written, continuation lines dedented, comments kept
  std::vector<NameUse> names;  // in text order, not overlapping
};

// The source text of `expr`, one of the clauses of a declaration of module
// `module`. Empty when the expression has no source of its own (implicit
// clauses such as `actor ... in roles`).
ClauseText ClauseSource(const Program& program, const std::string& module, const Expr& expr);

// The first paragraph of a documentation comment, on one line (list items
// run on, without their `- `).
std::string FirstParagraph(std::string_view doc);

// The comment block (`# ...` lines) right after a module's `module` line,
// with the `# ` markers removed; empty if there is none.
std::string ModuleIntro(const Module& module);

}  // namespace aipol::ir
