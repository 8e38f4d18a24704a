// Expression dispatch, constants, names and calls.
#include "compiler/interp/evaluator.h"

namespace aipol::interp {

using ir::Op;
using ir::TypeKind;

Value Evaluator::Constant(const ir::Expr& e) {
  Value v;
  v.type = e.type;
  switch (program_.types.kind(e.type)) {
    case TypeKind::Bool:
      v.kind = ValueKind::Bool;
      v.i = e.constant.integer;
      break;
    case TypeKind::Int:
      v.kind = ValueKind::Int;
      v.i = e.constant.integer;
      break;
    case TypeKind::Number:
      v.kind = ValueKind::Number;
      v.d = e.constant.number;
      break;
    case TypeKind::String:
      v.kind = ValueKind::String;
      v.s = e.constant.string;
      break;
    case TypeKind::Date:
      v.kind = ValueKind::Date;
      v.i = e.constant.integer;
      break;
    case TypeKind::Duration:
      v.kind = ValueKind::Duration;
      v.duration = e.constant.duration;
      break;
    case TypeKind::Enum:
      v.kind = ValueKind::Enum;
      v.i = e.constant.integer;
      break;
    default: break;
  }
  return v;
}

Value Evaluator::Eval(const ir::Expr& e) {
  if (error_) return Value::Unknown(e.type);
  switch (e.op) {
    case Op::Const: return Constant(e);
    case Op::Unknown: return Value::Unknown(e.type);
    case Op::AsOf: return Value::Date(request_.as_of);
    case Op::Input: {
      if (request_.row == nullptr) return Value::Unknown(e.type);
      Value root;
      root.kind = ValueKind::Record;
      root.type = e.type;
      root.block = request_.row;
      return root;
    }
    case Op::Field: return Field(Eval(*e.operands[0]), e);
    case Op::MapGet: return MapGet(Eval(*e.operands[0]), e);
    case Op::DeclRef: return Decl(e.index);
    case Op::ParamRef: return request_.params ? (*request_.params)[e.index] : Value::Unknown(e.type);
    case Op::Local: return locals_[e.index];
    case Op::Call: {
      const ir::Function& f = program_.functions[e.index];
      std::vector<Value> frame(std::max<size_t>(f.locals, e.operands.size()));
      for (size_t k = 0; k < e.operands.size(); ++k) frame[k] = Eval(*e.operands[k]);
      // Arguments are bound as they are, so an unknown argument stays unknown
      // inside the body (and `is known` works on it).
      std::swap(frame, locals_);
      Value result = Eval(*f.body);
      std::swap(frame, locals_);
      return result;
    }
    case Op::Default: {
      Value value = Eval(*e.operands[0]);
      return value.known() ? value : Eval(*e.operands[1]);
    }
    case Op::IsKnown: return Value::Bool(Eval(*e.operands[0]).known());
    case Op::IsUnknown: return Value::Bool(!Eval(*e.operands[0]).known());
    case Op::Not:
    case Op::And:
    case Op::Or:
    case Op::Implies: return Logic(e);
    case Op::If: return IfThenElse(e);
    case Op::Any:
    case Op::All:
    case Op::CountWhere: return Quantifier(e);
    case Op::IntToNumber:
    case Op::NegInt:
    case Op::NegNumber:
    case Op::AddInt:
    case Op::SubInt:
    case Op::MulInt:
    case Op::DivInt:
    case Op::AddNumber:
    case Op::SubNumber:
    case Op::MulNumber:
    case Op::DivNumber:
    case Op::MakeDuration: return Arithmetic(e);
    case Op::DateAddDuration:
    case Op::DateSubDuration:
    case Op::DateDiff: return DateArithmetic(e);
    case Op::Eq:
    case Op::Ne:
    case Op::Lt:
    case Op::Le:
    case Op::Gt:
    case Op::Ge: return Compare(e);
    case Op::Count:
    case Op::Concat:
    case Op::Union:
    case Op::Intersect:
    case Op::In:
    case Op::HasAny:
    case Op::HasAll: return Collections(e);
    case Op::MakeList:
    case Op::MakeSet:
    case Op::MakeRecord:
    case Op::MakeMap: return Build(e);
  }
  return Value::Unknown(e.type);
}

}  // namespace aipol::interp
