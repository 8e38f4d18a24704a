// What the batch pipeline and the commands need from an evaluation engine.
// The interpreter and the JIT implement it and must agree bit for bit.
#pragma once

#include <string_view>

#include "runtime/results.h"

namespace aipol {

struct EvalRequest;

class Engine {
 public:
  virtual ~Engine() = default;
  virtual std::string_view name() const = 0;
  // Evaluates one descriptor. Thread-safe: workers share one engine.
  virtual Results Evaluate(const EvalRequest& request) const = 0;
  // The same into `results`, whose storage an engine may reuse (a batch
  // worker evaluates descriptor after descriptor into one Results).
  virtual void EvaluateInto(const EvalRequest& request, Results& results) const {
    results = Evaluate(request);
  }
};

}  // namespace aipol
