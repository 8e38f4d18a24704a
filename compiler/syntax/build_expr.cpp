// Expressions: one builder per precedence level of the grammar.
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <vector>

#include "compiler/syntax/parse.h"
#include "compiler/syntax/parse_tree_to_ast.h"
#include "runtime/date.h"

namespace aipol::syntax {

using ast::BinaryOp;
using ast::ExprKind;
using ast::ExprPtr;

namespace {

ExprPtr NewExpr(ExprKind kind, SourceRange range) { return std::make_unique<ast::Expr>(kind, range); }

std::string WithoutUnderscores(std::string text) {
  text.erase(std::remove(text.begin(), text.end(), '_'), text.end());
  return text;
}

// Guards the recursive builders against pathological nesting.
class DepthGuard {
 public:
  explicit DepthGuard(int& depth) : depth_(depth) { ++depth_; }
  ~DepthGuard() { --depth_; }
  // The token pre-scan limits nesting; this is the last line of defence.
  bool exceeded() const { return depth_ > kMaxTreeDepth; }

 private:
  int& depth_;
};

}  // namespace

void ParseTreeToAst::ReportTooDeep(SourceRange range) {
  if (depth_reported_) return;
  depth_reported_ = true;
  Error(DiagKind::TooDeeplyNested, range, kMaxTreeDepth);
}

ExprPtr ParseTreeToAst::Placeholder(SourceRange range) {
  // Stands in for an expression the parser could not build; the syntax error
  // was reported already.
  ++errors_;
  return NewExpr(ExprKind::UnknownLit, range);
}

ExprPtr ParseTreeToAst::MakeBinary(BinaryOp op, ExprPtr left, ExprPtr right) {
  auto e = NewExpr(ExprKind::Binary, SourceRange::Join(left->range, right->range));
  e->op = op;
  e->operands.push_back(std::move(left));
  e->operands.push_back(std::move(right));
  return e;
}

// The depth of an expression tree, without recursion (the tree may be a
// long chain).
size_t TreeDepth(const ast::Expr& root) {
  size_t deepest = 0;
  std::vector<std::pair<const ast::Expr*, size_t>> stack = {{&root, 1}};
  while (!stack.empty()) {
    auto [node, depth] = stack.back();
    stack.pop_back();
    deepest = std::max(deepest, depth);
    for (const ExprPtr& operand : node->operands) {
      if (operand) stack.emplace_back(operand.get(), depth + 1);
    }
  }
  return deepest;
}

ExprPtr ParseTreeToAst::Expr(P::ExprContext* ctx) {
  if (ctx == nullptr || ctx->impliesExpr() == nullptr) return Placeholder(Range(ctx));
  bool outermost = depth_ == 0;
  size_t errors_before = errors_;
  ExprPtr result = Implies(ctx->impliesExpr());
  // Later phases walk the tree recursively; a chain of thousands of
  // operators is rejected here rather than overflowing their stacks.
  if (outermost) depth_reported_ = false;
  if (outermost && TreeDepth(*result) > static_cast<size_t>(kMaxTreeDepth) && errors_ == errors_before) {
    Error(DiagKind::TooDeeplyNested, result->range, kMaxTreeDepth);
    return NewExpr(ExprKind::UnknownLit, result->range);
  }
  return result;
}

ExprPtr ParseTreeToAst::Implies(P::ImpliesExprContext* ctx) {
  DepthGuard guard(depth_);
  if (guard.exceeded()) {
    ReportTooDeep(Range(ctx));
    return NewExpr(ExprKind::UnknownLit, Range(ctx));
  }
  if (ctx->orExpr() == nullptr) return Placeholder(Range(ctx));
  ExprPtr left = Or(ctx->orExpr());
  if (ctx->impliesExpr() == nullptr) return left;
  // Right-associative: `a implies b implies c` is `a implies (b implies c)`.
  return MakeBinary(BinaryOp::Implies, std::move(left), Implies(ctx->impliesExpr()));
}

ExprPtr ParseTreeToAst::Or(P::OrExprContext* ctx) {
  std::vector<P::AndExprContext*> parts = ctx->andExpr();
  if (parts.empty()) return Placeholder(Range(ctx));
  ExprPtr result = And(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i)
    result = MakeBinary(BinaryOp::Or, std::move(result), And(parts[i]));
  return result;
}

ExprPtr ParseTreeToAst::And(P::AndExprContext* ctx) {
  std::vector<P::NotExprContext*> parts = ctx->notExpr();
  if (parts.empty()) return Placeholder(Range(ctx));
  ExprPtr result = Not(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i)
    result = MakeBinary(BinaryOp::And, std::move(result), Not(parts[i]));
  return result;
}

ExprPtr ParseTreeToAst::Not(P::NotExprContext* ctx) {
  if (auto* op = dynamic_cast<P::NotOpContext*>(ctx)) {
    DepthGuard guard(depth_);
    if (guard.exceeded() || op->notExpr() == nullptr) {
      if (guard.exceeded()) ReportTooDeep(Range(ctx));
      return NewExpr(ExprKind::UnknownLit, Range(ctx));
    }
    auto e = NewExpr(ExprKind::Not, Range(ctx));
    e->operands.push_back(Not(op->notExpr()));
    return e;
  }
  auto* pass = dynamic_cast<P::NotPassContext*>(ctx);
  if (pass == nullptr || pass->compareExpr() == nullptr) return Placeholder(Range(ctx));
  return Compare(pass->compareExpr());
}

ExprPtr ParseTreeToAst::Compare(P::CompareExprContext* ctx) {
  if (ctx->unionExpr() == nullptr) return Placeholder(Range(ctx));
  ExprPtr left = Union(ctx->unionExpr());
  std::vector<P::CompareTailContext*> tails = ctx->compareTail();
  if (tails.size() > 1) {
    // `a == b == c` means nothing useful in three-valued logic; make the
    // author say which comparison they meant.
    Error(DiagKind::ChainedComparison, Range(tails[1]->getStart()), tails[1]->getStart()->getText());
  }
  if (tails.empty()) return left;
  P::CompareTailContext* tail = tails[0];
  SourceRange range = SourceRange::Join(left->range, Range(tail));
  auto binary = [&](BinaryOp op, P::UnionExprContext* right) {
    if (right == nullptr) return Placeholder(range);
    return MakeBinary(op, std::move(left), Union(right));
  };
  if (auto* rel = dynamic_cast<P::RelationalTailContext*>(tail)) {
    static const std::pair<std::string_view, BinaryOp> kOps[] = {{"==", BinaryOp::Eq}, {"!=", BinaryOp::Ne},
                                                                 {"<", BinaryOp::Lt},  {"<=", BinaryOp::Le},
                                                                 {">", BinaryOp::Gt},  {">=", BinaryOp::Ge}};
    BinaryOp op = BinaryOp::Eq;
    for (auto [spelling, value] : kOps) {
      if (rel->op && rel->op->getText() == spelling) op = value;
    }
    return binary(op, rel->unionExpr());
  }
  if (auto* in = dynamic_cast<P::InTailContext*>(tail)) return binary(BinaryOp::In, in->unionExpr());
  if (auto* any = dynamic_cast<P::HasAnyTailContext*>(tail))
    return binary(BinaryOp::HasAny, any->unionExpr());
  if (auto* all = dynamic_cast<P::HasAllTailContext*>(tail))
    return binary(BinaryOp::HasAll, all->unionExpr());
  auto e =
      NewExpr(dynamic_cast<P::IsKnownTailContext*>(tail) ? ExprKind::IsKnown : ExprKind::IsUnknown, range);
  e->operands.push_back(std::move(left));
  return e;
}

ExprPtr ParseTreeToAst::Union(P::UnionExprContext* ctx) {
  std::vector<P::InterExprContext*> parts = ctx->interExpr();
  if (parts.empty()) return Placeholder(Range(ctx));
  ExprPtr result = Intersect(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    result = MakeBinary(BinaryOp::Union, std::move(result), Intersect(parts[i]));
  }
  return result;
}

ExprPtr ParseTreeToAst::Intersect(P::InterExprContext* ctx) {
  std::vector<P::AddExprContext*> parts = ctx->addExpr();
  if (parts.empty()) return Placeholder(Range(ctx));
  ExprPtr result = Add(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    result = MakeBinary(BinaryOp::Intersect, std::move(result), Add(parts[i]));
  }
  return result;
}

ExprPtr ParseTreeToAst::Add(P::AddExprContext* ctx) {
  std::vector<P::MulExprContext*> parts = ctx->mulExpr();
  if (parts.empty()) return Placeholder(Range(ctx));
  ExprPtr result = Mul(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    BinaryOp op =
        i - 1 < ctx->ops.size() && ctx->ops[i - 1]->getText() == "-" ? BinaryOp::Sub : BinaryOp::Add;
    result = MakeBinary(op, std::move(result), Mul(parts[i]));
  }
  return result;
}

ExprPtr ParseTreeToAst::Mul(P::MulExprContext* ctx) {
  std::vector<P::UnaryExprContext*> parts = ctx->unaryExpr();
  if (parts.empty()) return Placeholder(Range(ctx));
  ExprPtr result = Unary(parts[0]);
  for (size_t i = 1; i < parts.size(); ++i) {
    BinaryOp op =
        i - 1 < ctx->ops.size() && ctx->ops[i - 1]->getText() == "/" ? BinaryOp::Div : BinaryOp::Mul;
    result = MakeBinary(op, std::move(result), Unary(parts[i]));
  }
  return result;
}

ExprPtr ParseTreeToAst::Unary(P::UnaryExprContext* ctx) {
  if (auto* negate = dynamic_cast<P::NegateContext*>(ctx)) {
    DepthGuard guard(depth_);
    if (guard.exceeded() || negate->unaryExpr() == nullptr) {
      if (guard.exceeded()) ReportTooDeep(Range(ctx));
      return NewExpr(ExprKind::UnknownLit, Range(ctx));
    }
    auto e = NewExpr(ExprKind::Negate, Range(ctx));
    e->operands.push_back(Unary(negate->unaryExpr()));
    return e;
  }
  auto* pass = dynamic_cast<P::UnaryPassContext*>(ctx);
  if (pass == nullptr || pass->postfixExpr() == nullptr) return Placeholder(Range(ctx));
  return Postfix(pass->postfixExpr());
}

ExprPtr ParseTreeToAst::Postfix(P::PostfixExprContext* ctx) {
  if (ctx->primary() == nullptr) return Placeholder(Range(ctx));
  ExprPtr result = Primary(ctx->primary());
  for (P::PostfixContext* postfix : ctx->postfix()) {
    SourceRange range = SourceRange::Join(result->range, Range(postfix));
    if (auto* member = dynamic_cast<P::MemberPostfixContext*>(postfix)) {
      auto e = NewExpr(ExprKind::Member, range);
      ast::Name name = Name(member->name());
      e->text = name.text;
      e->text_range = name.range;
      e->operands.push_back(std::move(result));
      result = std::move(e);
    } else if (auto* index = dynamic_cast<P::IndexPostfixContext*>(postfix)) {
      auto e = NewExpr(ExprKind::Index, range);
      e->operands.push_back(std::move(result));
      e->operands.push_back(Expr(index->expr()));
      result = std::move(e);
    } else if (auto* call = dynamic_cast<P::CallPostfixContext*>(postfix)) {
      auto e = NewExpr(ExprKind::Call, range);
      e->operands.push_back(std::move(result));
      for (P::ExprContext* arg : call->expr()) e->operands.push_back(Expr(arg));
      result = std::move(e);
    }
  }
  return result;
}

ExprPtr ParseTreeToAst::Primary(P::PrimaryContext* ctx) {
  SourceRange range = Range(ctx);
  if (auto* name = dynamic_cast<P::NameRefContext*>(ctx)) {
    auto e = NewExpr(ExprKind::Name, range);
    e->text = name->getText();
    e->text_range = range;
    return e;
  }
  if (auto* parens = dynamic_cast<P::ParensContext*>(ctx)) {
    auto e = NewExpr(ExprKind::Parens, range);
    e->operands.push_back(Expr(parens->expr()));
    return e;
  }
  if (auto* e = dynamic_cast<P::IfExprContext*>(ctx)) {
    auto result = NewExpr(ExprKind::If, range);
    std::vector<P::ExprContext*> parts = e->expr();
    for (size_t i = 0; i < 3; ++i) result->operands.push_back(Expr(i < parts.size() ? parts[i] : nullptr));
    return result;
  }
  if (auto* any = dynamic_cast<P::AnyExprContext*>(ctx)) {
    return Binder(ExprKind::Any, ctx, any->name(), any->expr(0), any->expr(1));
  }
  if (auto* all = dynamic_cast<P::AllExprContext*>(ctx)) {
    return Binder(ExprKind::All, ctx, all->name(), all->expr(0), all->expr(1));
  }
  if (auto* count = dynamic_cast<P::CountExprContext*>(ctx)) {
    return Binder(ExprKind::CountWhere, ctx, count->name(), count->expr(0), count->expr(1));
  }
  if (auto* call = dynamic_cast<P::CountCallContext*>(ctx)) {
    auto e = NewExpr(ExprKind::Call, range);
    auto callee = NewExpr(ExprKind::Name, Range(call->COUNT()));
    callee->text = "count";
    callee->text_range = callee->range;
    e->operands.push_back(std::move(callee));
    for (P::ExprContext* arg : call->expr()) e->operands.push_back(Expr(arg));
    return e;
  }
  ExprPtr collection = Collection(ctx);
  if (collection) return collection;
  return Literal(ctx);
}

ExprPtr ParseTreeToAst::Binder(ExprKind kind, P::PrimaryContext* ctx, P::NameContext* binder,
                               P::ExprContext* collection, P::ExprContext* predicate) {
  DepthGuard guard(depth_);
  auto e = NewExpr(kind, Range(ctx));
  if (guard.exceeded()) {
    ReportTooDeep(Range(ctx));
    return NewExpr(ExprKind::UnknownLit, Range(ctx));
  }
  ast::Name name = Name(binder);
  e->text = name.text;
  e->text_range = name.range;
  e->operands.push_back(Expr(collection));
  e->operands.push_back(Expr(predicate));
  return e;
}

ExprPtr ParseTreeToAst::Collection(P::PrimaryContext* ctx) {
  SourceRange range = Range(ctx);
  if (auto* list = dynamic_cast<P::ListLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::ListLit, range);
    for (P::ExprContext* item : list->expr()) e->operands.push_back(Expr(item));
    return e;
  }
  if (auto* set = dynamic_cast<P::SetLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::SetLit, range);
    for (P::ExprContext* item : set->expr()) e->operands.push_back(Expr(item));
    return e;
  }
  if (auto* record = dynamic_cast<P::RecordLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::RecordLit, range);
    std::vector<P::NameContext*> names = record->name();
    std::vector<P::ExprContext*> values = record->expr();
    for (size_t i = 0; i < names.size() && i < values.size(); ++i) {
      ast::Name key = Name(names[i]);
      for (size_t k = 0; k < e->keys.size(); ++k) {
        if (e->keys[k] == key.text) Error(DiagKind::DuplicateKey, key.range, key.text);
      }
      e->keys.push_back(key.text);
      e->key_ranges.push_back(key.range);
      e->operands.push_back(Expr(values[i]));
    }
    return e;
  }
  if (auto* map = dynamic_cast<P::MapLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::MapLit, range);
    std::vector<antlr4::tree::TerminalNode*> keys = map->STRING();
    std::vector<P::ExprContext*> values = map->expr();
    for (size_t i = 0; i < keys.size() && i < values.size(); ++i) {
      std::string key = StringValue(keys[i]->getSymbol());
      for (size_t k = 0; k < e->keys.size(); ++k) {
        if (e->keys[k] == key) Error(DiagKind::DuplicateKey, Range(keys[i]), key);
      }
      e->keys.push_back(key);
      e->key_ranges.push_back(Range(keys[i]));
      e->operands.push_back(Expr(values[i]));
    }
    return e;
  }
  if (dynamic_cast<P::EmptyBracesContext*>(ctx)) return NewExpr(ExprKind::EmptyBraces, range);
  return nullptr;
}

ExprPtr ParseTreeToAst::Literal(P::PrimaryContext* ctx) {
  SourceRange range = Range(ctx);
  auto parse_int = [&](antlr4::tree::TerminalNode* token, int64_t* value) {
    std::string digits = WithoutUnderscores(token->getText());
    errno = 0;
    char* end = nullptr;
    long long parsed = std::strtoll(digits.c_str(), &end, 10);
    if (errno == ERANGE) {
      Error(DiagKind::IntegerOutOfRange, Range(token), token->getText());
      return false;
    }
    *value = parsed;
    return true;
  };
  if (auto* duration = dynamic_cast<P::DurationLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::DurationLit, range);
    parse_int(duration->INT(), &e->int_value);
    std::string unit = duration->durationUnit() ? duration->durationUnit()->getText() : "days";
    e->unit = unit[0] == 'd'   ? ast::DurationUnit::Days
              : unit[0] == 'm' ? ast::DurationUnit::Months
                               : ast::DurationUnit::Years;
    return e;
  }
  if (auto* i = dynamic_cast<P::IntLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::IntLit, range);
    parse_int(i->INT(), &e->int_value);
    return e;
  }
  if (auto* n = dynamic_cast<P::NumberLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::NumberLit, range);
    e->number_value = std::strtod(WithoutUnderscores(n->getText()).c_str(), nullptr);
    if (!std::isfinite(e->number_value)) Error(DiagKind::NumberOutOfRange, range, n->getText());
    return e;
  }
  if (auto* s = dynamic_cast<P::StringLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::StringLit, range);
    e->text = StringValue(s->STRING()->getSymbol());
    return e;
  }
  if (auto* d = dynamic_cast<P::DateLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::DateLit, range);
    std::optional<int32_t> day = ParseDate(d->getText());
    if (!day) {
      Error(DiagKind::InvalidDate, range, d->getText());
    } else {
      e->int_value = *day;
    }
    return e;
  }
  if (dynamic_cast<P::TrueLitContext*>(ctx) || dynamic_cast<P::FalseLitContext*>(ctx)) {
    auto e = NewExpr(ExprKind::BoolLit, range);
    e->int_value = dynamic_cast<P::TrueLitContext*>(ctx) ? 1 : 0;
    return e;
  }
  if (dynamic_cast<P::UnknownLitContext*>(ctx)) return NewExpr(ExprKind::UnknownLit, range);
  if (dynamic_cast<P::AsOfRefContext*>(ctx)) return NewExpr(ExprKind::AsOf, range);
  return Placeholder(range);
}

}  // namespace aipol::syntax
