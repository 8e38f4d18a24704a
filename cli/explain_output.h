// Explanations of one descriptor's results, as `aipol explain` and
// `aipol eval --explain` print them (docs/explain.md).
#pragma once

#include <iosfwd>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"

namespace aipol {

// The declaration a NAME given on the command line means: `module.name`, or
// a name that exactly one module declares. Sets `error` otherwise.
std::optional<uint32_t> FindDeclaration(const ir::Program& program, const std::string& name,
                                        std::string* error);

// What to explain and how.
struct ExplainSelection {
  std::vector<uint32_t> facts;         // reported declarations, in report order
  std::vector<uint32_t> prohibitions;  // applying (status other than not applicable)
  std::vector<uint32_t> obligations;   // applying
  std::vector<uint32_t> not_applying;  // prohibitions, then obligations
};

// Every reported fact, prohibition and obligation, split by `results`.
ExplainSelection SelectAll(const ir::Program& program, const Results& results);

// Text: a heading, then each section. `not_applying` items get one line and
// their reason each.
void WriteExplanationsText(std::ostream& out, const ir::Program& program, const EvalRequest& request,
                           const ExplainSelection& selection, int depth, const std::string& heading);
// A JSON array of the explanations: facts, prohibitions, obligations, then
// the items that do not apply.
void AppendExplanationsJson(std::string& out, const ir::Program& program, const EvalRequest& request,
                            const ExplainSelection& selection, int depth);

}  // namespace aipol
