// The reference interpreter: evaluates an ir::Program over one input row.
//
// It is the definition of the language's meaning that the JIT is held to,
// so it favours clarity over speed: values carry their unknown-ness and the
// input paths that caused it, and every rule follows docs/language.md step by
// step. Evaluation order (which matters for which runtime error is
// reported first): reported facts in report order, then prohibitions, then
// obligations; each declaration is evaluated on first use and memoised.
#pragma once

#include <optional>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/engine.h"
#include "runtime/results.h"
#include "runtime/value.h"

namespace aipol {

struct EvalRequest {
  const uint8_t* row = nullptr;                // the input record's block; null when there is no input
  int32_t as_of = 0;                           // day number
  const std::vector<Value>* params = nullptr;  // effective value of each param, by id
  size_t row_bytes = 0;                        // LoadedRow::bytes: what an engine may prefetch
};

class Interpreter : public Engine {
 public:
  explicit Interpreter(const ir::Program& program) : program_(program) {}

  std::string_view name() const override { return "interp"; }
  Results Evaluate(const EvalRequest& request) const override;

  // Evaluates one expression in a fresh frame (tests' `expect`, the REPL).
  // `error` receives the runtime error, if any.
  Value EvaluateExpr(const ir::Expr& expr, uint32_t locals, const EvalRequest& request,
                     std::optional<RuntimeError>* error) const;

  // The status of one obligation or prohibition (decl id).
  StatusResult EvaluateStatus(uint32_t decl, const EvalRequest& request,
                              std::optional<RuntimeError>* error) const;

  // Each param's default value.
  static std::vector<Value> DefaultParams(const ir::Program& program);

 private:
  const ir::Program& program_;
};

}  // namespace aipol
