// Kleene logic, rules with exceptions, conditionals and quantifiers.
#include "compiler/interp/evaluator.h"
#include "runtime/tri.h"

namespace aipol::interp {

using ir::Op;

namespace {

Tri TriOf(const Value& v) { return v.known() ? MakeTri(v.i != 0) : Tri::Unknown; }

// Combines two operands of a Kleene connective: a known result carries no
// missing facts; an unknown one carries those of its unknown operands.
Value FromTri(Tri t, const Value& a, const Value* b) {
  if (t != Tri::Unknown) return Value::Bool(t == Tri::True);
  MissingPaths missing = a.known() ? MissingPaths() : a.missing;
  if (b && !b->known()) missing = MergeMissing(missing, b->missing);
  return Value::Unknown(ir::TypeTable::kBool, std::move(missing));
}

}  // namespace

Value Evaluator::Logic(const ir::Expr& e) {
  Value a = Eval(*e.operands[0]);
  switch (e.op) {
    case Op::Not: return FromTri(Not(TriOf(a)), a, nullptr);
    case Op::And: {
      // `and` stops at a false operand.
      if (TriOf(a) == Tri::False) return Value::Bool(false);
      Value b = Eval(*e.operands[1]);
      return FromTri(And(TriOf(a), TriOf(b)), a, &b);
    }
    case Op::Or: {
      if (TriOf(a) == Tri::True) return Value::Bool(true);
      Value b = Eval(*e.operands[1]);
      return FromTri(Or(TriOf(a), TriOf(b)), a, &b);
    }
    default: {  // implies
      if (TriOf(a) == Tri::False) return Value::Bool(true);
      Value b = Eval(*e.operands[1]);
      return FromTri(Implies(TriOf(a), TriOf(b)), a, &b);
    }
  }
}

// `when and not unless and not e1 and not e2 ...` (and, for obligations,
// `and actor in roles`), evaluated left to right, stopping at false.
Value Evaluator::RuleValue(const ir::Decl& d, bool with_roles) {
  Value result = d.when ? Eval(*d.when) : Value::Bool(true);
  auto conjoin = [&](Value next) { result = FromTri(And(TriOf(result), TriOf(next)), result, &next); };
  if (TriOf(result) == Tri::False) return Value::Bool(false);
  if (d.unless) {
    Value unless = Eval(*d.unless);
    conjoin(FromTri(Not(TriOf(unless)), unless, nullptr));
  }
  for (uint32_t exception : d.exceptions) {
    if (TriOf(result) == Tri::False) return result;
    Value defeated = Decl(exception);
    conjoin(FromTri(Not(TriOf(defeated)), defeated, nullptr));
  }
  if (with_roles && d.actor_in_roles && TriOf(result) != Tri::False) conjoin(Eval(*d.actor_in_roles));
  return result;
}

Value Evaluator::IfThenElse(const ir::Expr& e) {
  Value condition = Eval(*e.operands[0]);
  if (condition.known()) return Eval(*e.operands[condition.i ? 1 : 2]);
  // Unknown condition: both branches; equal known branches decide anyway.
  Value a = Eval(*e.operands[1]);
  Value b = Eval(*e.operands[2]);
  if (a.known() && b.known() && ValuesEqual(Materialize(a), Materialize(b))) return a;
  Value unknown = UnknownFrom(e.type, a, b);
  unknown.missing = MergeMissing(unknown.missing, condition.missing);
  return unknown;
}

// `any` is the Kleene `or` over the elements, `all` the `and`, both stopping
// at a deciding element; `count` is unknown if the predicate is unknown for
// some element.
Value Evaluator::Quantifier(const ir::Expr& e) {
  Value collection = Eval(*e.operands[0]);
  if (!collection.known()) return Value::Unknown(e.type, collection.missing);
  MissingPaths missing;
  bool saw_unknown = false;
  int64_t count = 0;
  for (Value& element : Elements(collection)) {
    locals_[e.index] = std::move(element);
    Value p = Eval(*e.operands[1]);
    if (error_) return Value::Unknown(e.type);
    if (!p.known()) {
      saw_unknown = true;
      missing = MergeMissing(missing, p.missing);
      continue;
    }
    if (e.op == Op::Any && p.i) return Value::Bool(true);
    if (e.op == Op::All && !p.i) return Value::Bool(false);
    if (p.i) ++count;
  }
  if (saw_unknown) return Value::Unknown(e.type, std::move(missing));
  if (e.op == Op::CountWhere) return Value::Int(count);
  return Value::Bool(e.op == Op::All);
}

}  // namespace aipol::interp
