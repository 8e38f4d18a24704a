// Why a rule, obligation or prohibition came out as it did: a tree of the
// declarations involved, each with its title, citations, value (and status),
// its clauses as written with their values, the input facts it read, the
// exceptions that fired or not and, for unknown results, the missing facts
// that would decide it. Written for lawyers as much as for engineers: the
// text form says what each part means in words (docs/explain.md).
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/interp/interp.h"

namespace aipol {

struct ExplainedFact {
  std::string path;  // `use.profiling`
  Value value;
};

struct ExplainedClause {
  std::string name;    // when, unless, value, actor, from, until, evidence
  std::string source;  // the clause as written (`high_risk and not grandfathered`); for
                       // `actor`, the role; empty when it has no source text
  Value value;
};

struct Explanation {
  uint32_t decl = 0;
  std::string id;    // module.name
  std::string kind;  // def, rule, exception, obligation, prohibition
  std::string module;
  std::optional<std::string> title;
  std::vector<std::string> citations;
  std::string doc;
  std::optional<std::string> text;     // the `text` clause
  std::optional<std::string> actor;    // obligations: the role
  Value value;                         // the rule's truth, the def's value, the duty's `applies`
  std::optional<StatusResult> status;  // obligations and prohibitions
  // The facts that would decide an unknown value or status (sorted, unique).
  std::vector<std::string> missing;
  // Why it came out as it did, in one sentence ("its condition (`when`) does
  // not hold"); empty for defs.
  std::string reason;
  bool expanded = false;  // false: a reference only (id, title, citations, value)
  std::vector<ExplainedClause> clauses;
  std::vector<ExplainedFact> facts;     // input facts its clauses read directly
  std::vector<ExplainedFact> settings;  // params its clauses read directly (`path`: the name)
  std::vector<Explanation> exceptions;  // each exception to it, explained
  std::vector<Explanation> uses;        // rules and defs its clauses use, explained
};

// Explains `decl` over one descriptor. The declarations its clauses use and
// its exceptions are explained `depth` levels further; below that they are
// references (`expanded` false).
Explanation Explain(const ir::Program& program, const EvalRequest& request, uint32_t decl, int depth = 2);

// Values in words for people: yes/no, `2 December 2027`, lists joined with
// commas, `none` for an empty set, `unknown` for unknown.
std::string PlainValue(const ir::Program& program, const Value& value);
// A date in words: `2 December 2027`.
std::string PlainDate(int32_t day);

// Text for people. A declaration explained in full once is referred to
// afterwards ("explained above").
std::string ExplanationText(const ir::Program& program, const Explanation& explanation);

// The same for several explanations in a row: what one explained in full,
// the next ones refer to.
class ExplanationTextWriter {
 public:
  explicit ExplanationTextWriter(const ir::Program& program) : program_(program) {}
  std::string Write(const Explanation& explanation);

 private:
  const ir::Program& program_;
  std::set<uint32_t> expanded_;
};
// One line per declaration: the title, citations and result with its reason
// (used for lists of items that do not apply).
std::string ExplanationSummaryLine(const ir::Program& program, const Explanation& explanation);
// JSON for tools (docs/explain.md gives the shape).
void AppendExplanationJson(std::string& out, const ir::Program& program, const Explanation& explanation);

}  // namespace aipol
