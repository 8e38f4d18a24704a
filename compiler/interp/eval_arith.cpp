// Arithmetic, dates and comparisons, with the runtime errors docs/language.md
// defines: integer overflow, division by zero, non-finite numbers and dates
// outside 0001-9999. The ops that can raise them say so in ir_ops.def
// (`fails`, ir::OpMayFail), which the JIT trusts to skip what cannot fail.
#include <cmath>
#include <limits>

#include "compiler/interp/evaluator.h"
#include "runtime/date.h"

namespace aipol::interp {

using ir::Op;

Value Evaluator::Arithmetic(const ir::Expr& e) {
  Value a = Eval(*e.operands[0]);
  if (e.op == Op::IntToNumber) return a.known() ? Value::Number(static_cast<double>(a.i)) : a;
  if (e.op == Op::MakeDuration) {
    if (!a.known()) return Value::Unknown(e.type, a.missing);
    Value d;
    d.kind = ValueKind::Duration;
    d.type = e.type;
    d.duration = {a.i, static_cast<ir::DurationUnit>(e.index)};
    return d;
  }
  if (e.op == Op::NegInt || e.op == Op::NegNumber) {
    if (!a.known()) return a;
    if (e.op == Op::NegNumber) return Value::Number(-a.d);
    if (a.i == std::numeric_limits<int64_t>::min())
      return Fail("IntegerOverflow", "integer overflow", e.range);
    return Value::Int(-a.i);
  }
  Value b = Eval(*e.operands[1]);
  if (error_) return Value::Unknown(e.type);
  if (!a.known() || !b.known()) return UnknownFrom(e.type, a, b);
  int64_t r = 0;
  bool overflow = false;
  switch (e.op) {
    case Op::AddInt: overflow = __builtin_add_overflow(a.i, b.i, &r); break;
    case Op::SubInt: overflow = __builtin_sub_overflow(a.i, b.i, &r); break;
    case Op::MulInt: overflow = __builtin_mul_overflow(a.i, b.i, &r); break;
    case Op::DivInt:
      if (b.i == 0) return Fail("DivisionByZero", "division by zero", e.range);
      if (a.i == std::numeric_limits<int64_t>::min() && b.i == -1) {
        overflow = true;
      } else {
        r = a.i / b.i;  // truncates toward zero
      }
      break;
    default: {
      double x = 0;
      switch (e.op) {
        case Op::AddNumber: x = a.d + b.d; break;
        case Op::SubNumber: x = a.d - b.d; break;
        case Op::MulNumber: x = a.d * b.d; break;
        default:
          if (b.d == 0) return Fail("DivisionByZero", "division by zero", e.range);
          x = a.d / b.d;
      }
      if (!std::isfinite(x)) return Fail("NonFiniteNumber", "the result is not a finite number", e.range);
      return Value::Number(x);
    }
  }
  if (overflow) return Fail("IntegerOverflow", "integer overflow", e.range);
  return Value::Int(r);
}

Value Evaluator::DateArithmetic(const ir::Expr& e) {
  Value a = Eval(*e.operands[0]);
  Value b = Eval(*e.operands[1]);
  if (error_) return Value::Unknown(e.type);
  if (!a.known() || !b.known()) return UnknownFrom(e.type, a, b);
  if (e.op == Op::DateDiff) return Value::Int(a.i - b.i);
  int64_t count = b.duration.count;
  if (e.op == Op::DateSubDuration) {
    if (count == std::numeric_limits<int64_t>::min())
      return Fail("DateOutOfRange", "date out of range", e.range);
    count = -count;
  }
  std::optional<int32_t> result;
  switch (b.duration.unit) {
    case ir::DurationUnit::Days:
      if (count > -10'000'000 && count < 10'000'000 && DateInRange(a.i + count)) {
        result = static_cast<int32_t>(a.i + count);
      }
      break;
    case ir::DurationUnit::Months: result = AddMonths(static_cast<int32_t>(a.i), count); break;
    case ir::DurationUnit::Years:
      if (count > -100'000 && count < 100'000) result = AddMonths(static_cast<int32_t>(a.i), count * 12);
      break;
  }
  if (!result) return Fail("DateOutOfRange", "the date falls outside the years 0001-9999", e.range);
  return Value::Date(*result);
}

Value Evaluator::Compare(const ir::Expr& e) {
  Value a = Eval(*e.operands[0]);
  Value b = Eval(*e.operands[1]);
  if (error_) return Value::Unknown(e.type);
  if (!a.known() || !b.known()) return UnknownFrom(e.type, a, b);
  if (e.op == Op::Eq || e.op == Op::Ne) {
    Value x = Materialize(a), y = Materialize(b);
    // Lists compare element-wise; an unknown element makes equality unknown
    // unless a known difference (or a different length) decides it.
    if (x.kind == ValueKind::List && x.items.size() == y.items.size()) {
      MissingPaths missing;
      bool undecided = false;
      for (size_t k = 0; k < x.items.size(); ++k) {
        const Value &p = x.items[k], &q = y.items[k];
        if (p.known() && q.known()) {
          if (!ValuesEqual(p, q)) return Value::Bool(e.op == Op::Ne);
          continue;
        }
        undecided = true;
        if (!p.known()) missing = MergeMissing(missing, p.missing);
        if (!q.known()) missing = MergeMissing(missing, q.missing);
      }
      if (undecided) return Value::Unknown(e.type, std::move(missing));
      return Value::Bool(e.op == Op::Eq);
    }
    bool equal = ValuesEqual(x, y);
    return Value::Bool(e.op == Op::Eq ? equal : !equal);
  }
  int order = a.kind == ValueKind::Number ? (a.d < b.d   ? -1
                                             : a.d > b.d ? 1
                                                         : 0)
                                          : (a.i < b.i   ? -1
                                             : a.i > b.i ? 1
                                                         : 0);
  switch (e.op) {
    case Op::Lt: return Value::Bool(order < 0);
    case Op::Le: return Value::Bool(order <= 0);
    case Op::Gt: return Value::Bool(order > 0);
    default: return Value::Bool(order >= 0);
  }
}

}  // namespace aipol::interp
