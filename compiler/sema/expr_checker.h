// Type checking of expressions (internal to sema/): ast::Expr -> ir::Expr.
#pragma once

#include "compiler/sema/analyzer.h"

namespace aipol::sema {

// `expected` is a hint from the context: it lets bare enum members, `{}`,
// `unknown` and empty literals take their type. Callers that need a type
// apply Analyzer::Coerce to the result.
inline constexpr ir::TypeId kNoExpectation = UINT32_MAX;

class ExprChecker {
 public:
  ExprChecker(Analyzer& a, BodyContext& ctx) : a_(a), ctx_(ctx) {}
  ir::ExprPtr Check(const ast::Expr& e, ir::TypeId expected);

 private:
  using ExprPtr = ir::ExprPtr;
  using TypeId = ir::TypeId;

  ExprPtr Make(ir::Op op, TypeId type, SourceRange range) {
    return std::make_unique<ir::Expr>(op, type, range);
  }
  ExprPtr Literal(const ast::Expr& e, TypeId expected);
  ExprPtr Name(const ast::Expr& e, TypeId expected);
  ExprPtr Member(const ast::Expr& e, TypeId expected);
  ExprPtr Index(const ast::Expr& e);
  ExprPtr Call(const ast::Expr& e, TypeId expected);
  ExprPtr Builtin(const ast::Expr& e, const std::string& name, TypeId expected);
  ExprPtr Negate(const ast::Expr& e);
  ExprPtr Binary(const ast::Expr& e, TypeId expected);
  ExprPtr Logic(const ast::Expr& e);
  ExprPtr Arithmetic(const ast::Expr& e, TypeId expected);
  ExprPtr Equality(const ast::Expr& e);
  ExprPtr Ordering(const ast::Expr& e);
  ExprPtr Membership(const ast::Expr& e);
  ExprPtr SetAlgebra(const ast::Expr& e, TypeId expected);
  ExprPtr IfThenElse(const ast::Expr& e, TypeId expected);
  ExprPtr Quantifier(const ast::Expr& e);
  ExprPtr ListLiteral(const ast::Expr& e, TypeId expected);
  ExprPtr SetLiteral(const ast::Expr& e, TypeId expected);
  ExprPtr RecordLiteral(const ast::Expr& e, TypeId expected);
  ExprPtr MapLiteral(const ast::Expr& e, TypeId expected);
  ExprPtr EmptyBraces(const ast::Expr& e, TypeId expected);

  // Checks both operands of a binary operator, the context-dependent one
  // (a bare enum member, `{}`, `unknown`) second, so it gets its type from
  // the other. `hint` maps the first operand's type to the second's.
  template <typename Hint>
  std::pair<ExprPtr, ExprPtr> Operands(const ast::Expr& e, Hint hint, TypeId outer);
  std::optional<TypeId> ElementType(const ast::Expr& e, TypeId expected, std::vector<ExprPtr>* items,
                                    const char* what);
  bool NeedsContext(const ast::Expr& e);

  // Resolution of names and dotted paths.
  Resolved ResolvePath(const ast::Expr& e, std::string* pending);
  Resolved ValueOf(const Symbol& symbol, SourceRange range);
  Resolved ApplyMember(Resolved base, const ast::Expr& e);
  ExprPtr ToValue(Resolved r, const ast::Expr& e);
  std::optional<ExprPtr> EnumMember(TypeId expected, const std::string& name, SourceRange range);
  void ReportUnknownName(const ast::Expr& e, TypeId expected);

  // The common type of two operands (widening int to number, giving `unknown`
  // the other's type), or nullopt.
  std::optional<TypeId> Unify(TypeId a, TypeId b);
  bool IsError(TypeId t) const { return t == ir::TypeTable::kError; }
  bool IsNumeric(TypeId t) const { return t == ir::TypeTable::kInt || t == ir::TypeTable::kNumber; }
  ExprPtr Bad(SourceRange range) { return a_.ErrorExpr(range); }

  Analyzer& a_;
  BodyContext& ctx_;
};

}  // namespace aipol::sema
