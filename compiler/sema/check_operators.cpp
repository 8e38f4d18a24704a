// Operators, conditionals, quantifiers and collection literals.
#include <limits>

#include "compiler/sema/expr_checker.h"

namespace aipol::sema {

using ast::BinaryOp;
using ast::ExprKind;
using ir::Op;
using ir::TypeId;
using ir::TypeKind;
using ir::TypeTable;

bool ExprChecker::NeedsContext(const ast::Expr& e) {
  switch (e.kind) {
    case ExprKind::UnknownLit:
    case ExprKind::EmptyBraces: return true;
    case ExprKind::Parens: return NeedsContext(*e.operands[0]);
    case ExprKind::Name: {
      for (const Local& local : ctx_.locals) {
        if (local.name == e.text) return false;
      }
      // A name that is an enum member may be one here (a member of the
      // expected enum wins over a declaration of the same name).
      for (const ir::EnumInfo& info : a_.types().enums) {
        if (info.Find(e.text)) return true;
      }
      return a_.LookupLocalOrImported(ctx_.module, e.text, e.range, false) == nullptr;
    }
    case ExprKind::SetLit:
    case ExprKind::ListLit:
      for (const ast::ExprPtr& item : e.operands) {
        if (!NeedsContext(*item)) return false;
      }
      return true;
    case ExprKind::Binary:
      // `{a} | {b}` takes its type from the context like `{a}` does.
      if (e.op != ast::BinaryOp::Union && e.op != ast::BinaryOp::Intersect) return false;
      return NeedsContext(*e.operands[0]) && NeedsContext(*e.operands[1]);
    default: return false;
  }
}

template <typename Hint>
std::pair<ir::ExprPtr, ir::ExprPtr> ExprChecker::Operands(const ast::Expr& e, Hint hint, TypeId outer) {
  const ast::Expr& left = *e.operands[0];
  const ast::Expr& right = *e.operands[1];
  // After an error in one operand, the other gets no type from it; a
  // context-dependent one is then skipped rather than reported again.
  auto second = [&](const ast::Expr& operand, TypeId first_type, bool left_side) {
    if (IsError(first_type) && NeedsContext(operand)) return Bad(operand.range);
    TypeId h = hint(first_type, left_side);
    return Check(operand, h == kNoExpectation ? outer : h);
  };
  if (NeedsContext(left) && !NeedsContext(right)) {
    ExprPtr r = Check(right, kNoExpectation);
    ExprPtr l = second(left, r->type, /*left_side=*/true);
    return {std::move(l), std::move(r)};
  }
  ExprPtr l = Check(left, outer);
  ExprPtr r = second(right, l->type, /*left_side=*/false);
  return {std::move(l), std::move(r)};
}

ir::ExprPtr ExprChecker::Negate(const ast::Expr& e) {
  ExprPtr operand = Check(*e.operands[0], kNoExpectation);
  if (IsError(operand->type)) return operand;
  if (operand->type == TypeTable::kAny) operand->type = TypeTable::kInt;
  if (!IsNumeric(operand->type)) {
    a_.diags_.Report(DiagKind::InvalidOperand, e.range, "-", a_.TypeName(operand->type));
    return Bad(e.range);
  }
  // Fold `-literal` so that negative constants are constants (param defaults).
  if (operand->op == Op::Const && operand->type == TypeTable::kNumber) {
    operand->constant.number = -operand->constant.number;
    operand->range = e.range;
    return operand;
  }
  if (operand->op == Op::Const && operand->constant.integer != std::numeric_limits<int64_t>::min()) {
    operand->constant.integer = -operand->constant.integer;
    operand->range = e.range;
    return operand;
  }
  auto result = Make(operand->type == TypeTable::kInt ? Op::NegInt : Op::NegNumber, operand->type, e.range);
  result->operands.push_back(std::move(operand));
  return result;
}

ir::ExprPtr ExprChecker::Binary(const ast::Expr& e, TypeId expected) {
  switch (e.op) {
    case BinaryOp::And:
    case BinaryOp::Or:
    case BinaryOp::Implies: return Logic(e);
    case BinaryOp::Add:
    case BinaryOp::Sub:
    case BinaryOp::Mul:
    case BinaryOp::Div: return Arithmetic(e, expected);
    case BinaryOp::Eq:
    case BinaryOp::Ne: return Equality(e);
    case BinaryOp::Lt:
    case BinaryOp::Le:
    case BinaryOp::Gt:
    case BinaryOp::Ge: return Ordering(e);
    case BinaryOp::In:
    case BinaryOp::HasAny:
    case BinaryOp::HasAll: return Membership(e);
    case BinaryOp::Union:
    case BinaryOp::Intersect: return SetAlgebra(e, expected);
  }
  return Bad(e.range);
}

ir::ExprPtr ExprChecker::Logic(const ast::Expr& e) {
  Op op = e.op == BinaryOp::And ? Op::And : e.op == BinaryOp::Or ? Op::Or : Op::Implies;
  std::string what(ast::BinaryOpSpelling(e.op));
  auto result = Make(op, TypeTable::kBool, e.range);
  result->operands.push_back(a_.CheckBool(*e.operands[0], ctx_, what));
  result->operands.push_back(a_.CheckBool(*e.operands[1], ctx_, what));
  return result;
}

ir::ExprPtr ExprChecker::Arithmetic(const ast::Expr& e, TypeId expected) {
  bool list_context = expected != kNoExpectation && a_.types().kind(expected) == TypeKind::List;
  auto [l, r] = Operands(
      e,
      [&](TypeId other, bool) {
        return IsNumeric(other) || a_.types().kind(other) == TypeKind::List ? other : kNoExpectation;
      },
      list_context ? expected : kNoExpectation);
  TypeId lt = l->type, rt = r->type;
  if (IsError(lt) || IsError(rt)) return Bad(e.range);
  if (lt == TypeTable::kAny) lt = l->type = IsNumeric(rt) ? rt : TypeTable::kInt;
  if (rt == TypeTable::kAny) rt = r->type = IsNumeric(lt) ? lt : TypeTable::kInt;
  auto build = [&](Op op, TypeId type, ExprPtr a, ExprPtr b) {
    auto result = Make(op, type, e.range);
    result->operands.push_back(std::move(a));
    result->operands.push_back(std::move(b));
    return result;
  };
  if (IsNumeric(lt) && IsNumeric(rt)) {
    bool integer = lt == TypeTable::kInt && rt == TypeTable::kInt;
    TypeId type = integer ? TypeTable::kInt : TypeTable::kNumber;
    static const Op kIntOps[] = {Op::AddInt, Op::SubInt, Op::MulInt, Op::DivInt};
    static const Op kNumberOps[] = {Op::AddNumber, Op::SubNumber, Op::MulNumber, Op::DivNumber};
    size_t which = e.op == BinaryOp::Add ? 0 : e.op == BinaryOp::Sub ? 1 : e.op == BinaryOp::Mul ? 2 : 3;
    SourceRange lr = l->range, rr = r->range;
    return build(integer ? kIntOps[which] : kNumberOps[which], type, a_.Coerce(std::move(l), type, lr),
                 a_.Coerce(std::move(r), type, rr));
  }
  bool date_l = lt == TypeTable::kDate, date_r = rt == TypeTable::kDate;
  if (e.op == BinaryOp::Add && date_l && rt == TypeTable::kDuration) {
    return build(Op::DateAddDuration, TypeTable::kDate, std::move(l), std::move(r));
  }
  if (e.op == BinaryOp::Add && lt == TypeTable::kDuration && date_r) {
    return build(Op::DateAddDuration, TypeTable::kDate, std::move(r), std::move(l));
  }
  if (e.op == BinaryOp::Sub && date_l && rt == TypeTable::kDuration) {
    return build(Op::DateSubDuration, TypeTable::kDate, std::move(l), std::move(r));
  }
  if (e.op == BinaryOp::Sub && date_l && date_r) {
    return build(Op::DateDiff, TypeTable::kInt, std::move(l), std::move(r));
  }
  if (e.op == BinaryOp::Add && lt == rt && a_.types().kind(lt) == TypeKind::List) {
    return build(Op::Concat, lt, std::move(l), std::move(r));
  }
  a_.diags_.Report(DiagKind::InvalidOperands, e.range, ast::BinaryOpSpelling(e.op), a_.TypeName(lt),
                   a_.TypeName(rt));
  return Bad(e.range);
}

ir::ExprPtr ExprChecker::Equality(const ast::Expr& e) {
  auto [l, r] = Operands(
      e, [](TypeId other, bool) { return other; }, kNoExpectation);
  if (IsError(l->type) || IsError(r->type)) return Bad(e.range);
  std::optional<TypeId> type = Unify(l->type, r->type);
  if (!type) {
    a_.diags_.Report(DiagKind::InvalidOperands, e.range, ast::BinaryOpSpelling(e.op), a_.TypeName(l->type),
                     a_.TypeName(r->type));
    return Bad(e.range);
  }
  // Records and maps have no equality (docs/language.md), nor lists of them.
  TypeId inner = *type;
  while (a_.types().kind(inner) == TypeKind::List) inner = a_.types().get(inner).element;
  if (a_.types().kind(inner) == TypeKind::Record || a_.types().kind(inner) == TypeKind::Map) {
    a_.diags_.Report(DiagKind::NotComparable, e.range, a_.TypeName(*type));
    return Bad(e.range);
  }
  if (*type == TypeTable::kAny) type = TypeTable::kBool;
  auto result = Make(e.op == BinaryOp::Eq ? Op::Eq : Op::Ne, TypeTable::kBool, e.range);
  result->operand_type = *type;
  SourceRange lr = l->range, rr = r->range;
  result->operands.push_back(a_.Coerce(std::move(l), *type, lr));
  result->operands.push_back(a_.Coerce(std::move(r), *type, rr));
  return result;
}

ir::ExprPtr ExprChecker::Ordering(const ast::Expr& e) {
  auto [l, r] = Operands(
      e, [](TypeId other, bool) { return other; }, kNoExpectation);
  if (IsError(l->type) || IsError(r->type)) return Bad(e.range);
  std::optional<TypeId> type = Unify(l->type, r->type);
  bool ordered =
      type && (*type == TypeTable::kInt || *type == TypeTable::kNumber || *type == TypeTable::kDate);
  if (!ordered) {
    a_.diags_.Report(DiagKind::InvalidOperands, e.range, ast::BinaryOpSpelling(e.op), a_.TypeName(l->type),
                     a_.TypeName(r->type));
    return Bad(e.range);
  }
  static const std::pair<BinaryOp, Op> kOps[] = {
      {BinaryOp::Lt, Op::Lt}, {BinaryOp::Le, Op::Le}, {BinaryOp::Gt, Op::Gt}, {BinaryOp::Ge, Op::Ge}};
  Op op = Op::Lt;
  for (auto [from, to] : kOps) {
    if (from == e.op) op = to;
  }
  auto result = Make(op, TypeTable::kBool, e.range);
  result->operand_type = *type;
  SourceRange lr = l->range, rr = r->range;
  result->operands.push_back(a_.Coerce(std::move(l), *type, lr));
  result->operands.push_back(a_.Coerce(std::move(r), *type, rr));
  return result;
}

// `x in c` (c a set or list of x's type), `s has any t`, `s has all t`.
ir::ExprPtr ExprChecker::Membership(const ast::Expr& e) {
  bool is_in = e.op == BinaryOp::In;
  auto [l, r] = Operands(
      e,
      [&](TypeId other, bool left_side) -> TypeId {
        if (IsError(other) || other == TypeTable::kAny) return kNoExpectation;
        if (!is_in) return other;
        // For `in`, the element type on one side, the collection on the other.
        if (left_side) return a_.types().IsCollection(other) ? a_.types().get(other).element : kNoExpectation;
        TypeKind kind = a_.types().kind(other);
        return kind == TypeKind::Enum || kind == TypeKind::String ? a_.types().Set(other) : kNoExpectation;
      },
      kNoExpectation);
  if (IsError(l->type) || IsError(r->type)) return Bad(e.range);
  auto fail = [&]() {
    a_.diags_.Report(DiagKind::InvalidOperands, e.range, ast::BinaryOpSpelling(e.op), a_.TypeName(l->type),
                     a_.TypeName(r->type));
    return Bad(e.range);
  };
  if (is_in) {
    if (!a_.types().IsCollection(r->type)) return fail();
    TypeId element = a_.types().get(r->type).element;
    if (!Unify(l->type, element) || (l->type != element && l->type != TypeTable::kAny &&
                                     !(l->type == TypeTable::kInt && element == TypeTable::kNumber))) {
      return fail();
    }
    auto result = Make(Op::In, TypeTable::kBool, e.range);
    result->operand_type = r->type;
    SourceRange lr = l->range;
    result->operands.push_back(a_.Coerce(std::move(l), element, lr));
    result->operands.push_back(std::move(r));
    return result;
  }
  if (l->type != r->type || a_.types().kind(l->type) != TypeKind::Set) return fail();
  auto result = Make(e.op == BinaryOp::HasAny ? Op::HasAny : Op::HasAll, TypeTable::kBool, e.range);
  result->operand_type = l->type;
  result->operands.push_back(std::move(l));
  result->operands.push_back(std::move(r));
  return result;
}

ir::ExprPtr ExprChecker::SetAlgebra(const ast::Expr& e, TypeId expected) {
  auto [l, r] = Operands(
      e, [&](TypeId other, bool) { return a_.types().kind(other) == TypeKind::Set ? other : kNoExpectation; },
      expected != kNoExpectation && a_.types().kind(expected) == TypeKind::Set ? expected : kNoExpectation);
  if (IsError(l->type) || IsError(r->type)) return Bad(e.range);
  if (l->type != r->type || a_.types().kind(l->type) != TypeKind::Set) {
    a_.diags_.Report(DiagKind::InvalidOperands, e.range, ast::BinaryOpSpelling(e.op), a_.TypeName(l->type),
                     a_.TypeName(r->type));
    return Bad(e.range);
  }
  auto result = Make(e.op == BinaryOp::Union ? Op::Union : Op::Intersect, l->type, e.range);
  result->operand_type = l->type;
  result->operands.push_back(std::move(l));
  result->operands.push_back(std::move(r));
  return result;
}

ir::ExprPtr ExprChecker::IfThenElse(const ast::Expr& e, TypeId expected) {
  ExprPtr condition = a_.CheckBool(*e.operands[0], ctx_, "if");
  ExprPtr then_branch = Check(*e.operands[1], expected);
  TypeId hint = then_branch->type == TypeTable::kAny ? expected : then_branch->type;
  ExprPtr else_branch = Check(*e.operands[2], hint);
  if (then_branch->type == TypeTable::kAny && else_branch->type != TypeTable::kAny) {
    then_branch->type = else_branch->type;  // `if c then unknown else x`
  }
  std::optional<TypeId> type = Unify(then_branch->type, else_branch->type);
  if (!type) {
    a_.diags_.Report(DiagKind::TypeMismatch, e.operands[2]->range, a_.TypeName(then_branch->type),
                     a_.TypeName(else_branch->type));
    return Bad(e.range);
  }
  auto result = Make(Op::If, *type, e.range);
  SourceRange tr = then_branch->range, er = else_branch->range;
  result->operands.push_back(std::move(condition));
  result->operands.push_back(a_.Coerce(std::move(then_branch), *type, tr));
  result->operands.push_back(a_.Coerce(std::move(else_branch), *type, er));
  return result;
}

ir::ExprPtr ExprChecker::Quantifier(const ast::Expr& e) {
  ExprPtr collection = Check(*e.operands[0], kNoExpectation);
  if (IsError(collection->type)) return Bad(e.range);
  std::string_view word = e.kind == ExprKind::Any ? "any" : e.kind == ExprKind::All ? "all" : "count";
  if (!a_.types().IsCollection(collection->type)) {
    a_.diags_.Report(DiagKind::InvalidOperand, e.operands[0]->range, word, a_.TypeName(collection->type));
    return Bad(e.range);
  }
  uint32_t slot = ctx_.next_slot++;
  ctx_.max_slots = std::max(ctx_.max_slots, ctx_.next_slot);
  ctx_.locals.push_back({e.text, slot, a_.types().get(collection->type).element});
  ExprPtr predicate = a_.CheckBool(*e.operands[1], ctx_, std::string(word));
  ctx_.locals.pop_back();
  ctx_.next_slot--;
  Op op = e.kind == ExprKind::Any ? Op::Any : e.kind == ExprKind::All ? Op::All : Op::CountWhere;
  auto result = Make(op, op == Op::CountWhere ? TypeTable::kInt : TypeTable::kBool, e.range);
  result->index = slot;
  result->operand_type = collection->type;
  result->operands.push_back(std::move(collection));
  result->operands.push_back(std::move(predicate));
  return result;
}

// The element type of a list or set literal: from the context when it
// expects a list or a set, else the common type of the elements (an int
// among numbers widens).
std::optional<TypeId> ExprChecker::ElementType(const ast::Expr& e, TypeId expected,
                                               std::vector<ExprPtr>* items, const char* what) {
  TypeId hint = kNoExpectation;
  if (expected != kNoExpectation && a_.types().IsCollection(expected))
    hint = a_.types().get(expected).element;
  std::optional<TypeId> element;
  bool failed = false;
  for (const ast::ExprPtr& item : e.operands) {
    ExprPtr checked = Check(*item, element && *element != TypeTable::kAny ? *element : hint);
    failed = failed || IsError(checked->type);
    if (!failed) {
      std::optional<TypeId> joined = element ? Unify(*element, checked->type) : checked->type;
      if (!joined) {
        a_.diags_.Report(DiagKind::TypeMismatch, item->range, a_.TypeName(*element),
                         a_.TypeName(checked->type));
        failed = true;
      }
      element = joined;
    }
    items->push_back(std::move(checked));
  }
  if (failed) return std::nullopt;
  if (hint != kNoExpectation && (!element || *element == TypeTable::kAny)) element = hint;
  if (!element || *element == TypeTable::kAny) {
    if (!IsError(expected)) {
      a_.diags_.Report(
          DiagKind::CannotInferType, e.range,
          e.operands.empty() ? std::string("an empty ") + what : std::string("a ") + what + " of `unknown`s");
    }
    return std::nullopt;
  }
  return element;
}

ir::ExprPtr ExprChecker::ListLiteral(const ast::Expr& e, TypeId expected) {
  std::vector<ExprPtr> items;
  std::optional<TypeId> element = ElementType(e, expected, &items, "list");
  if (!element) return Bad(e.range);
  auto list = Make(Op::MakeList, a_.types().List(*element), e.range);
  for (ExprPtr& item : items) {
    SourceRange range = item->range;
    list->operands.push_back(a_.Coerce(std::move(item), *element, range));
  }
  return list;
}

ir::ExprPtr ExprChecker::SetLiteral(const ast::Expr& e, TypeId expected) {
  std::vector<ExprPtr> items;
  std::optional<TypeId> element = ElementType(e, expected, &items, "set");
  if (!element) return Bad(e.range);
  TypeKind kind = a_.types().kind(*element);
  if (kind != TypeKind::Enum && kind != TypeKind::String) {
    a_.diags_.Report(DiagKind::InvalidSetElement, e.range, a_.TypeName(*element));
    return Bad(e.range);
  }
  auto set = Make(Op::MakeSet, a_.types().Set(*element), e.range);
  for (ExprPtr& item : items) {
    SourceRange range = item->range;
    set->operands.push_back(a_.Coerce(std::move(item), *element, range));
  }
  return set;
}

ir::ExprPtr ExprChecker::RecordLiteral(const ast::Expr& e, TypeId expected) {
  if (expected == kNoExpectation || a_.types().kind(expected) != TypeKind::Record) {
    if (expected != kNoExpectation && !IsError(expected)) {
      a_.diags_.Report(DiagKind::TypeMismatch, e.range, a_.TypeName(expected), "record literal");
    } else if (expected == kNoExpectation) {
      a_.diags_.Report(DiagKind::CannotInferType, e.range, "a record literal")
          .notes.push_back({{}, "give the `def` a declared record type"});
    }
    return Bad(e.range);
  }
  const ir::RecordInfo& record = a_.types().records[a_.types().get(expected).index];
  auto result = Make(Op::MakeRecord, expected, e.range);
  result->operands.resize(record.fields.size());
  for (size_t i = 0; i < e.keys.size(); ++i) {
    std::optional<uint32_t> field = record.Find(e.keys[i]);
    if (!field) {
      Diagnostic& d = a_.diags_.Report(DiagKind::UnknownField, e.key_ranges[i], e.keys[i], record.name);
      std::vector<std::string> names;
      for (const ir::FieldInfo& f : record.fields) names.push_back(f.name);
      std::string close = ClosestMatch(e.keys[i], names);
      if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
      continue;
    }
    TypeId type = record.fields[*field].type;
    result->operands[*field] = a_.Coerce(Check(*e.operands[i], type), type, e.operands[i]->range);
  }
  for (size_t i = 0; i < record.fields.size(); ++i) {
    if (record.fields[i].required && !result->operands[i]) {
      a_.diags_.Report(DiagKind::RequiredInRecordLiteral, e.range, record.name, record.fields[i].name);
    }
  }
  return result;
}

ir::ExprPtr ExprChecker::MapLiteral(const ast::Expr& e, TypeId expected) {
  std::vector<ExprPtr> values;
  TypeId hint = expected != kNoExpectation && a_.types().kind(expected) == TypeKind::Map
                    ? a_.types().get(expected).element
                    : kNoExpectation;
  // The values are checked like the elements of a list literal.
  std::optional<TypeId> element =
      ElementType(e, hint == kNoExpectation ? kNoExpectation : a_.types().List(hint), &values, "map");
  if (!element) return Bad(e.range);
  auto map = Make(Op::MakeMap, a_.types().Map(*element), e.range);
  map->keys = e.keys;
  for (ExprPtr& value : values) {
    SourceRange range = value->range;
    map->operands.push_back(a_.Coerce(std::move(value), *element, range));
  }
  return map;
}

ir::ExprPtr ExprChecker::EmptyBraces(const ast::Expr& e, TypeId expected) {
  TypeKind kind = expected == kNoExpectation ? TypeKind::Any : a_.types().kind(expected);
  if (kind == TypeKind::Set) return Make(Op::MakeSet, expected, e.range);
  if (kind == TypeKind::Map) return Make(Op::MakeMap, expected, e.range);
  if (kind == TypeKind::Record) {
    ast::Expr empty(ExprKind::RecordLit, e.range);
    return RecordLiteral(empty, expected);
  }
  if (kind == TypeKind::Error) return Bad(e.range);
  a_.diags_.Report(DiagKind::CannotInferType, e.range, "`{}`")
      .notes.push_back({{}, "`{}` is an empty set, map or record; the context must say which"});
  return Bad(e.range);
}

}  // namespace aipol::sema
