// Why a rule, obligation or prohibition came out as it did: a tree of the
// declarations involved, each with its citation, its value, the input facts
// it read and, for unknown results, the missing facts that would decide it.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"

namespace aipol {

struct ExplainedFact {
  std::string path;  // `use.profiling`
  Value value;
};

struct Explanation {
  uint32_t decl = 0;
  std::string id;    // module.name
  std::string kind;  // def, rule, exception, obligation, prohibition
  std::optional<std::string> title;
  std::vector<std::string> citations;
  std::string doc;
  Value value;                         // the rule's truth, the def's value, the duty's `applies`
  std::optional<StatusResult> status;  // obligations and prohibitions
  std::vector<std::pair<std::string, Value>> clauses;  // "when", "unless", "actor provider"
  std::vector<ExplainedFact> facts;                    // input facts its clauses read directly
  std::vector<Explanation> exceptions;                 // each exception to it, explained
  std::vector<Explanation> uses;                       // rules and defs its clauses use, explained
};

// Explains `decl` over one descriptor, following uses `depth` levels deep.
Explanation Explain(const ir::Program& program, const EvalRequest& request, uint32_t decl, int depth = 3);

// Text for people (an indented tree) and JSON for tools.
std::string ExplanationText(const ir::Program& program, const Explanation& explanation);
void AppendExplanationJson(std::string& out, const ir::Program& program, const Explanation& explanation);

}  // namespace aipol
