// A binary form of a checked ir::Program, so that a program can be cached on
// disk and loaded back without parsing and checking the policy again.
//
// The form is private to one aipol build: fixed-width integers in this
// machine's byte order, no compatibility between versions (a header names the
// format; a cache written by another build must be keyed or discarded by the
// caller). The input layout is not stored: ReadProgram recomputes it, as sema
// does. Source ranges keep their file ids, which mean the files of the
// SourceManager the program was checked with (the modules keep their sources).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "compiler/ir/ir.h"

namespace aipol::ir {

// Appends `program` to `out` in aipol's private binary form (little-endian, as this machine writes it;
// the form is only ever read back by the same aipol build).
void WriteProgram(const Program& program, std::string& out);

// A program WriteProgram wrote, or null when `bytes` are not one (truncated, trailing bytes, an
// out-of-range enum value or count). Never crashes, never reads out of bounds, never allocates
// without bound on malformed input (every count is checked against the bytes left before reserving).
// What Dump and the engines index with is validated: type, enum, record, field, decl, param,
// function, map key and local ids, operand counts, enum constants, acyclic records (for the layout).
// The types of expressions are not checked again.
std::unique_ptr<Program> ReadProgram(std::string_view bytes);

}  // namespace aipol::ir
