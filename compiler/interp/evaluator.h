// One evaluation of one descriptor (internal to interp/).
#pragma once

#include <functional>
#include <optional>
#include <vector>

#include "compiler/interp/interp.h"

namespace aipol::interp {

// What the status steps know of an obligation or prohibition: its `applies`
// (the dates are in the StatusResult, set when declared and known).
struct StatusFacts {
  bool applies_known = false;
  bool applies = false;
};

// How the status steps ended: decided, unknown because of `applies` (and
// any unknown dates), of `from` or of `until`, or to be decided by the
// evidence (an obligation with an evidence entry that is upcoming, expired
// or open).
enum class StatusCause : uint8_t { Decided, Applies, From, Until, Evidence };

StatusCause StatusSteps(const ir::Decl& d, int32_t as_of, const StatusFacts& facts, StatusResult* result);

// The fields of an evidence entry the evidence steps read, where known:
// the status (a member of its enum), the reference and the review date.
struct EvidenceFields {
  std::optional<uint32_t> status;
  std::optional<std::string_view> ref;
  std::optional<int32_t> reviewed;
};

class Evaluator {
 public:
  Evaluator(const ir::Program& program, const EvalRequest& request);

  Value Eval(const ir::Expr& e);
  Value Decl(uint32_t id);
  // `applies` with the paths that made it unknown, and the status.
  StatusResult Status(uint32_t id, MissingPaths* missing);
  StatusResult StatusOf(const ir::Decl& d, const Value& applies,
                        const std::function<Value(const ir::Expr&)>& eval, MissingPaths* missing);
  // The evidence steps, after StatusSteps said StatusCause::Evidence, given
  // the known evidence entry, or the fields of it they read.
  void EvidenceSteps(const ir::Decl& d, const Value& entry, StatusResult* result);
  void EvidenceSteps(const ir::Decl& d, const EvidenceFields& entry, StatusResult* result);
  // Sets binder slots directly (the JIT's helpers evaluate single operations
  // whose operands are locals).
  std::vector<Value>& locals() { return locals_; }
  Value Materialize(const Value& v);
  // The same, handing `v` over as it is when nothing in it points into the
  // row (no copy).
  Value Materialize(Value&& v);
  // Whether Materialize would return `v` as it is: nothing in it points into
  // the row.
  static bool IsMaterial(const Value& v);
  void ReserveLocals(uint32_t n) {
    if (locals_.size() < n) locals_.resize(n);
  }
  const std::optional<RuntimeError>& error() const { return error_; }
  void ClearError() { error_.reset(); }

  // Single steps, also used by the JIT's runtime for values it boxes.
  Value Field(const Value& record, const ir::Expr& e);
  Value MapGet(const Value& map, const ir::Expr& e);
  std::vector<Value> Elements(const Value& collection);

 private:
  // eval_logic.cpp
  Value Logic(const ir::Expr& e);
  Value RuleValue(const ir::Decl& d, bool with_roles);
  Value IfThenElse(const ir::Expr& e);
  Value Quantifier(const ir::Expr& e);
  // eval_arith.cpp
  Value Arithmetic(const ir::Expr& e);
  Value DateArithmetic(const ir::Expr& e);
  Value Compare(const ir::Expr& e);
  // eval_collections.cpp
  Value Collections(const ir::Expr& e);
  Value Build(const ir::Expr& e);
  // eval_input.cpp
  Value ReadSlot(const uint8_t* block, const ir::FieldSlot& slot, ir::TypeId type, const std::string& path);
  Value Constant(const ir::Expr& e);

  Value Fail(const char* kind, const std::string& message, SourceRange range);
  Value UnknownFrom(ir::TypeId type, const Value& a, const Value& b);

  const ir::Program& program_;
  const EvalRequest& request_;
  std::vector<std::optional<Value>> memo_;
  std::vector<Value> locals_;
  std::optional<RuntimeError> error_;
};

}  // namespace aipol::interp
