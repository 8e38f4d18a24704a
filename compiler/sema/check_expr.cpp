// Expressions: names, literals and the dispatch. Operators are in
// check_operators.cpp.
#include <algorithm>

#include "compiler/sema/expr_checker.h"

namespace aipol::sema {

using ast::ExprKind;
using ir::Op;
using ir::TypeId;
using ir::TypeKind;
using ir::TypeTable;

ir::ExprPtr Analyzer::CheckExpr(const ast::Expr& expr, BodyContext& ctx, TypeId expected) {
  return ExprChecker(*this, ctx).Check(expr, expected);
}

ir::ExprPtr Analyzer::CheckBool(const ast::Expr& expr, BodyContext& ctx, std::string_view what) {
  ir::ExprPtr result = CheckExpr(expr, ctx, TypeTable::kBool);
  if (result->type == TypeTable::kAny) result->type = TypeTable::kBool;
  if (result->type != TypeTable::kBool && result->type != TypeTable::kError) {
    diags_.Report(DiagKind::ConditionNotBool, expr.range, what, TypeName(result->type));
    return ErrorExpr(expr.range);
  }
  return result;
}

ir::ExprPtr Analyzer::ErrorExpr(SourceRange range) {
  return std::make_unique<ir::Expr>(Op::Unknown, TypeTable::kError, range);
}

// Converts `expr` to `target`: int widens to number, `unknown` takes any
// type; anything else must match exactly.
ir::ExprPtr Analyzer::Coerce(ir::ExprPtr expr, TypeId target, SourceRange range) {
  if (target == kNoExpectation || expr->type == target) return expr;
  if (expr->type == TypeTable::kError || target == TypeTable::kError) return expr;
  if (expr->type == TypeTable::kAny) {
    expr->type = target;
    return expr;
  }
  if (expr->type == TypeTable::kInt && target == TypeTable::kNumber) {
    if (expr->op == Op::Const) {
      expr->constant.number = static_cast<double>(expr->constant.integer);
      expr->type = TypeTable::kNumber;
      return expr;
    }
    auto widened = std::make_unique<ir::Expr>(Op::IntToNumber, TypeTable::kNumber, expr->range);
    widened->operands.push_back(std::move(expr));
    return widened;
  }
  diags_.Report(DiagKind::TypeMismatch, range, TypeName(target), TypeName(expr->type));
  return ErrorExpr(range);
}

ir::ExprPtr ExprChecker::Check(const ast::Expr& e, TypeId expected) {
  // The context failed to type; what depends on it is not reported again.
  if (IsError(expected) && NeedsContext(e)) return Bad(e.range);
  switch (e.kind) {
    case ExprKind::IntLit:
    case ExprKind::NumberLit:
    case ExprKind::StringLit:
    case ExprKind::DateLit:
    case ExprKind::DurationLit:
    case ExprKind::BoolLit:
    case ExprKind::UnknownLit:
    case ExprKind::AsOf: return Literal(e, expected);
    case ExprKind::Name: return Name(e, expected);
    case ExprKind::Member: return Member(e, expected);
    case ExprKind::Index: return Index(e);
    case ExprKind::Call: return Call(e, expected);
    case ExprKind::Negate: return Negate(e);
    case ExprKind::Not: {
      auto result = Make(Op::Not, TypeTable::kBool, e.range);
      result->operands.push_back(a_.CheckBool(*e.operands[0], ctx_, "not"));
      return result;
    }
    case ExprKind::Binary: return Binary(e, expected);
    case ExprKind::IsKnown:
    case ExprKind::IsUnknown: {
      auto result =
          Make(e.kind == ExprKind::IsKnown ? Op::IsKnown : Op::IsUnknown, TypeTable::kBool, e.range);
      result->operands.push_back(Check(*e.operands[0], kNoExpectation));
      return result;
    }
    case ExprKind::If: return IfThenElse(e, expected);
    case ExprKind::Any:
    case ExprKind::All:
    case ExprKind::CountWhere: return Quantifier(e);
    case ExprKind::ListLit: return ListLiteral(e, expected);
    case ExprKind::SetLit: return SetLiteral(e, expected);
    case ExprKind::RecordLit: return RecordLiteral(e, expected);
    case ExprKind::MapLit: return MapLiteral(e, expected);
    case ExprKind::EmptyBraces: return EmptyBraces(e, expected);
    case ExprKind::Parens: return Check(*e.operands[0], expected);
  }
  return Bad(e.range);
}

ir::ExprPtr ExprChecker::Literal(const ast::Expr& e, TypeId expected) {
  switch (e.kind) {
    case ExprKind::IntLit: {
      auto c = Make(Op::Const, TypeTable::kInt, e.range);
      c->constant.integer = e.int_value;
      return c;
    }
    case ExprKind::NumberLit: {
      auto c = Make(Op::Const, TypeTable::kNumber, e.range);
      c->constant.number = e.number_value;
      return c;
    }
    case ExprKind::StringLit: {
      auto c = Make(Op::Const, TypeTable::kString, e.range);
      c->constant.string = e.text;
      return c;
    }
    case ExprKind::DateLit: {
      auto c = Make(Op::Const, TypeTable::kDate, e.range);
      c->constant.integer = e.int_value;
      return c;
    }
    case ExprKind::DurationLit: {
      auto c = Make(Op::Const, TypeTable::kDuration, e.range);
      c->constant.duration = {e.int_value, static_cast<ir::DurationUnit>(e.unit)};
      return c;
    }
    case ExprKind::BoolLit: {
      auto c = Make(Op::Const, TypeTable::kBool, e.range);
      c->constant.integer = e.int_value;
      return c;
    }
    case ExprKind::UnknownLit:
      return Make(Op::Unknown, expected == kNoExpectation ? TypeTable::kAny : expected, e.range);
    default: return Make(Op::AsOf, TypeTable::kDate, e.range);
  }
}

std::optional<ir::ExprPtr> ExprChecker::EnumMember(TypeId expected, const std::string& name,
                                                   SourceRange range) {
  if (expected == kNoExpectation || a_.types().kind(expected) != TypeKind::Enum) return std::nullopt;
  const ir::EnumInfo& info = a_.types().enums[a_.types().get(expected).index];
  std::optional<uint32_t> member = info.Find(name);
  if (!member) return std::nullopt;
  auto c = Make(Op::Const, expected, range);
  c->constant.integer = *member;
  return c;
}

ir::ExprPtr ExprChecker::Name(const ast::Expr& e, TypeId expected) {
  // A member of the expected enum wins over a declaration of the same name.
  if (auto member = EnumMember(expected, e.text, e.range)) return std::move(*member);
  std::string pending;
  Resolved r = ResolvePath(e, &pending);
  if (r.kind == Resolved::Nothing) {
    if (pending.empty()) return Bad(e.range);  // reported
    ReportUnknownName(e, expected);
    return Bad(e.range);
  }
  return ToValue(std::move(r), e);
}

void ExprChecker::ReportUnknownName(const ast::Expr& e, TypeId expected) {
  if (IsError(expected)) return;
  if (expected != kNoExpectation && a_.types().kind(expected) == TypeKind::Enum) {
    const ir::EnumInfo& info = a_.types().enums[a_.types().get(expected).index];
    Diagnostic& d = a_.diags_.Report(DiagKind::UnknownEnumMember, e.range, info.name, e.text);
    std::string close = ClosestMatch(e.text, info.members);
    if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
    return;
  }
  // A member of some visible enum, written where no enum type is expected.
  for (uint32_t id = 0; id < a_.types().enums.size(); ++id) {
    const ir::EnumInfo& info = a_.types().enums[id];
    if (!info.Find(e.text)) continue;
    a_.diags_.Report(DiagKind::BareMemberNeedsType, e.range, e.text, info.name)
        .notes.push_back({{}, "write `" + info.name + "." + e.text + "`"});
    return;
  }
  Diagnostic& d = a_.diags_.Report(DiagKind::UnknownName, e.range, e.text);
  std::vector<std::string> candidates = a_.VisibleNames(ctx_.module);
  for (const Local& local : ctx_.locals) candidates.push_back(local.name);
  std::string close = ClosestMatch(e.text, candidates);
  if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
}

Resolved ExprChecker::ValueOf(const Symbol& symbol, SourceRange range) {
  Resolved r;
  switch (symbol.kind) {
    case SymbolKind::Def:
    case SymbolKind::Rule:
    case SymbolKind::Exception:
    case SymbolKind::Obligation:
    case SymbolKind::Prohibition: {
      a_.EnsureDecl(symbol.id, range);
      PendingDecl& decl = a_.decls_[symbol.id];
      decl.uses++;
      r.kind = Resolved::Value;
      r.value = Make(Op::DeclRef, decl.ir.type, range);
      r.value->index = symbol.id;
      return r;
    }
    case SymbolKind::Param: {
      PendingParam& param = a_.params_[symbol.id];
      param.uses++;
      r.kind = Resolved::Value;
      r.value = Make(Op::ParamRef, param.ir.type, range);
      r.value->index = symbol.id;
      return r;
    }
    case SymbolKind::Input: {
      r.kind = Resolved::Value;
      TypeId type = a_.program_->input ? a_.program_->input->type : TypeTable::kError;
      r.value = Make(Op::Input, type, range);
      return r;
    }
    case SymbolKind::Enum: r.kind = Resolved::EnumType; break;
    case SymbolKind::Record: r.kind = Resolved::RecordType; break;
    case SymbolKind::Function: r.kind = Resolved::Function; break;
    case SymbolKind::Test: break;
  }
  r.id = symbol.id;
  return r;
}

// Resolves a name or member chain as far as it names something other than
// a value: `x` (a value in scope, an enum type, a module alias) or a prefix
// of a full module path (`pending` then holds the path so far).
Resolved ExprChecker::ResolvePath(const ast::Expr& e, std::string* pending) {
  if (e.kind == ExprKind::Name) {
    for (auto it = ctx_.locals.rbegin(); it != ctx_.locals.rend(); ++it) {
      if (it->name != e.text) continue;
      Resolved r;
      r.kind = Resolved::Value;
      r.value = Make(Op::Local, it->type, e.range);
      r.value->index = it->slot;
      return r;
    }
    if (const Symbol* symbol = a_.LookupLocalOrImported(ctx_.module, e.text, e.range, true)) {
      return ValueOf(*symbol, e.range);
    }
    if (a_.last_lookup_ambiguous_) return {};  // reported
    for (uint32_t imported : a_.modules_[ctx_.module].imports) {
      if (a_.modules_[imported].alias == e.text) {
        a_.MarkImportUsed(ctx_.module, imported);
        Resolved r;
        r.kind = Resolved::Module;
        r.id = imported;
        return r;
      }
    }
    *pending = e.text;
    return {};
  }
  if (e.kind == ExprKind::Member) {
    std::string inner;
    Resolved base = ResolvePath(*e.operands[0], &inner);
    if (base.kind == Resolved::Nothing) {
      if (inner.empty()) return {};
      std::string path = inner + "." + e.text;
      if (std::optional<uint32_t> m = a_.FindModule(path)) {
        a_.MarkImportUsed(ctx_.module, *m);
        Resolved r;
        r.kind = Resolved::Module;
        r.id = *m;
        return r;
      }
      *pending = path;
      return {};
    }
    return ApplyMember(std::move(base), e);
  }
  Resolved r;
  r.kind = Resolved::Value;
  r.value = Check(e, kNoExpectation);
  return r;
}

// `base.name` where `base` is already resolved.
Resolved ExprChecker::ApplyMember(Resolved base, const ast::Expr& e) {
  const std::string& name = e.text;
  switch (base.kind) {
    case Resolved::Value: {
      TypeId type = base.value->type;
      if (IsError(type)) return base;
      if (a_.types().kind(type) != TypeKind::Record) {
        a_.diags_.Report(DiagKind::NoFields, e.text_range, ast::ToSource(*e.operands[0]), a_.TypeName(type));
        Resolved r;
        r.kind = Resolved::Value;
        r.value = Bad(e.range);
        return r;
      }
      const ir::RecordInfo& record = a_.types().records[a_.types().get(type).index];
      std::optional<uint32_t> field = record.Find(name);
      Resolved r;
      r.kind = Resolved::Value;
      if (!field) {
        Diagnostic& d = a_.diags_.Report(DiagKind::UnknownField, e.text_range, name, record.name);
        std::vector<std::string> names;
        for (const ir::FieldInfo& f : record.fields) names.push_back(f.name);
        std::string close = ClosestMatch(name, names);
        if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
        r.value = Bad(e.range);
        return r;
      }
      r.value = Make(Op::Field, record.fields[*field].type, e.range);
      r.value->index = *field;
      r.value->text = name;
      r.value->operands.push_back(std::move(base.value));
      return r;
    }
    case Resolved::EnumType: {
      const ir::EnumInfo& info = a_.types().enums[base.id];
      Resolved r;
      r.kind = Resolved::Value;
      std::optional<uint32_t> member = info.Find(name);
      if (!member) {
        Diagnostic& d = a_.diags_.Report(DiagKind::UnknownEnumMember, e.text_range, info.name, name);
        std::string close = ClosestMatch(name, info.members);
        if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
        r.value = Bad(e.range);
        return r;
      }
      r.value = Make(Op::Const, a_.types().Enum(base.id), e.range);
      r.value->constant.integer = *member;
      return r;
    }
    case Resolved::Module: {
      ModuleScope& module = a_.modules_[base.id];
      auto it = module.symbols.find(name);
      if (it == module.symbols.end()) {
        Diagnostic& d = a_.diags_.Report(DiagKind::UnknownModuleMember, e.text_range, module.path, name);
        std::vector<std::string> names;
        for (const auto& [n, s] : module.symbols) names.push_back(n);
        std::string close = ClosestMatch(name, names);
        if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
        Resolved r;
        r.kind = Resolved::Value;
        r.value = Bad(e.range);
        return r;
      }
      return ValueOf(it->second, e.range);
    }
    default: {
      std::string what = base.kind == Resolved::RecordType ? "a record type" : "a function";
      a_.diags_.Report(DiagKind::NotAValue, e.operands[0]->range, ast::ToSource(*e.operands[0]), what);
      Resolved r;
      r.kind = Resolved::Value;
      r.value = Bad(e.range);
      return r;
    }
  }
}

ir::ExprPtr ExprChecker::ToValue(Resolved r, const ast::Expr& e) {
  switch (r.kind) {
    case Resolved::Value: return std::move(r.value);
    case Resolved::EnumType:
      a_.diags_.Report(DiagKind::NotAValue, e.range, ast::ToSource(e), "an enum type")
          .notes.push_back({{}, "name a member: `" + ast::ToSource(e) + ".member`"});
      return Bad(e.range);
    case Resolved::RecordType:
      a_.diags_.Report(DiagKind::NotAValue, e.range, ast::ToSource(e), "a record type");
      return Bad(e.range);
    case Resolved::Module:
      a_.diags_.Report(DiagKind::NotAValue, e.range, ast::ToSource(e), "a module");
      return Bad(e.range);
    case Resolved::Function:
      a_.diags_.Report(DiagKind::NotAValue, e.range, ast::ToSource(e), "a function")
          .notes.push_back({{}, "call it: `" + ast::ToSource(e) + "(...)`"});
      return Bad(e.range);
    case Resolved::Nothing: break;
  }
  return Bad(e.range);
}

ir::ExprPtr ExprChecker::Member(const ast::Expr& e, TypeId expected) {
  std::string pending;
  Resolved r = ResolvePath(e, &pending);
  if (r.kind == Resolved::Nothing) {
    if (!pending.empty()) {
      // The first name is neither a value, an enum, an alias nor a module path.
      const ast::Expr* first = &e;
      while (first->kind == ExprKind::Member) first = first->operands[0].get();
      ReportUnknownName(*first, kNoExpectation);
    }
    return Bad(e.range);
  }
  return ToValue(std::move(r), e);
}

ir::ExprPtr ExprChecker::Index(const ast::Expr& e) {
  ExprPtr map = Check(*e.operands[0], kNoExpectation);
  if (IsError(map->type)) return map;
  if (a_.types().kind(map->type) != TypeKind::Map) {
    a_.diags_.Report(DiagKind::NotIndexable, e.operands[0]->range, a_.TypeName(map->type));
    return Bad(e.range);
  }
  const ast::Expr* key = e.operands[1].get();
  while (key->kind == ExprKind::Parens) key = key->operands[0].get();
  if (key->kind != ExprKind::StringLit) {
    a_.diags_.Report(DiagKind::NonConstantKey, e.operands[1]->range);
    return Bad(e.range);
  }
  auto get = Make(Op::MapGet, a_.types().get(map->type).element, e.range);
  get->text = key->text;
  auto [it, inserted] = a_.map_keys_.emplace(key->text, static_cast<uint32_t>(a_.map_keys_.size()));
  get->index = it->second;
  get->operands.push_back(std::move(map));
  return get;
}

ir::ExprPtr ExprChecker::Call(const ast::Expr& e, TypeId expected) {
  const ast::Expr& callee = *e.operands[0];
  if (callee.kind == ExprKind::Name &&
      (callee.text == "count" || callee.text == "default" || callee.text == "days" ||
       callee.text == "months" || callee.text == "years")) {
    return Builtin(e, callee.text, expected);
  }
  std::string pending;
  if (callee.kind != ExprKind::Name && callee.kind != ExprKind::Member) {
    a_.diags_.Report(DiagKind::NotCallable, callee.range, ast::ToSource(callee));
    return Bad(e.range);
  }
  Resolved r = ResolvePath(callee, &pending);
  if (r.kind != Resolved::Function) {
    if (r.kind == Resolved::Nothing && !pending.empty()) {
      const ast::Expr* first = &callee;
      while (first->kind == ExprKind::Member) first = first->operands[0].get();
      ReportUnknownName(*first, kNoExpectation);
    } else if (r.kind == Resolved::Nothing) {
      // Reported already (an ambiguous name).
    } else if (r.kind != Resolved::Value || !IsError(r.value->type)) {
      a_.diags_.Report(DiagKind::NotCallable, callee.range, ast::ToSource(callee));
    }
    return Bad(e.range);
  }
  a_.EnsureFunction(r.id, callee.range);
  PendingFunction& f = a_.functions_[r.id];
  f.uses++;
  size_t given = e.operands.size() - 1;
  if (given != f.ir.params.size()) {
    a_.diags_.Report(DiagKind::ArgumentCount, e.range, ast::ToSource(callee), f.ir.params.size(), given);
    return Bad(e.range);
  }
  auto call = Make(Op::Call, f.signature_ok ? f.ir.result : TypeTable::kError, e.range);
  call->index = r.id;
  for (size_t i = 0; i < given; ++i) {
    TypeId type = f.ir.params[i].type;
    call->operands.push_back(a_.Coerce(Check(*e.operands[i + 1], type), type, e.operands[i + 1]->range));
  }
  return call;
}

ir::ExprPtr ExprChecker::Builtin(const ast::Expr& e, const std::string& name, TypeId expected) {
  size_t given = e.operands.size() - 1;
  size_t wanted = name == "default" ? 2 : 1;
  if (given != wanted) {
    a_.diags_.Report(DiagKind::ArgumentCount, e.range, name, wanted, given);
    return Bad(e.range);
  }
  const ast::Expr& first = *e.operands[1];
  if (name == "count") {
    ExprPtr collection = Check(first, kNoExpectation);
    if (IsError(collection->type)) return collection;
    if (!a_.types().IsCollection(collection->type)) {
      a_.diags_.Report(DiagKind::InvalidOperand, first.range, "count", a_.TypeName(collection->type));
      return Bad(e.range);
    }
    auto count = Make(Op::Count, TypeTable::kInt, e.range);
    count->operands.push_back(std::move(collection));
    return count;
  }
  if (name == "default") {
    ExprPtr value = Check(first, expected);
    TypeId hint = value->type == TypeTable::kAny ? expected : value->type;
    ExprPtr fallback = Check(*e.operands[2], hint);
    std::optional<TypeId> type = Unify(value->type, fallback->type);
    if (!type) {
      a_.diags_.Report(DiagKind::TypeMismatch, e.operands[2]->range, a_.TypeName(value->type),
                       a_.TypeName(fallback->type));
      return Bad(e.range);
    }
    auto result = Make(Op::Default, *type, e.range);
    result->operands.push_back(a_.Coerce(std::move(value), *type, first.range));
    result->operands.push_back(a_.Coerce(std::move(fallback), *type, e.operands[2]->range));
    return result;
  }
  // days(n), months(n), years(n)
  auto duration = Make(Op::MakeDuration, TypeTable::kDuration, e.range);
  duration->index = name == "days" ? 0 : name == "months" ? 1 : 2;
  duration->operands.push_back(a_.Coerce(Check(first, TypeTable::kInt), TypeTable::kInt, first.range));
  return duration;
}

std::optional<TypeId> ExprChecker::Unify(TypeId a, TypeId b) {
  if (IsError(a) || IsError(b)) return TypeTable::kError;
  if (a == b) return a;
  if (a == TypeTable::kAny) return b;
  if (b == TypeTable::kAny) return a;
  if (IsNumeric(a) && IsNumeric(b)) return TypeTable::kNumber;
  return std::nullopt;
}

}  // namespace aipol::sema
