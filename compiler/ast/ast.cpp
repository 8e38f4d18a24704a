#include "compiler/ast/ast.h"

#include <cmath>
#include <cstdio>

#include "runtime/date.h"
#include "runtime/json_text.h"

namespace aipol::ast {
namespace {

constexpr std::string_view kExprKindNames[] = {
#define AIPOL_EXPR(name) #name,
#include "compiler/ast/expr_kinds.def"
#undef AIPOL_EXPR
};

constexpr std::string_view kBinarySpellings[] = {
#define AIPOL_BINARY(name, spelling) spelling,
#include "compiler/ast/binary_ops.def"
#undef AIPOL_BINARY
};

std::string NumberToSource(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.17g", value);
  // Pick the shortest form that reads back exactly.
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) == value) break;
  }
  std::string text = buffer;
  if (text.find_first_of(".e") == std::string::npos) text += ".0";
  return text;
}

std::string Joined(const std::vector<ExprPtr>& items, size_t from) {
  std::string text;
  for (size_t i = from; i < items.size(); ++i) {
    if (i > from) text += ", ";
    text += ToSource(*items[i]);
  }
  return text;
}

std::string Quantifier(std::string_view word, const Expr& e) {
  return std::string(word) + " " + e.text + " in " + ToSource(*e.operands[0]) + ": " +
         ToSource(*e.operands[1]);
}

}  // namespace

std::string_view ExprKindName(ExprKind kind) { return kExprKindNames[static_cast<size_t>(kind)]; }
std::string_view BinaryOpSpelling(BinaryOp op) { return kBinarySpellings[static_cast<size_t>(op)]; }

std::string_view DurationUnitName(DurationUnit unit, int64_t count) {
  bool one = count == 1;
  switch (unit) {
    case DurationUnit::Days: return one ? "day" : "days";
    case DurationUnit::Months: return one ? "month" : "months";
    case DurationUnit::Years: return one ? "year" : "years";
  }
  return "days";
}

std::string_view ClauseKindName(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::Cite: return "cite";
    case ClauseKind::When: return "when";
    case ClauseKind::Unless: return "unless";
    case ClauseKind::Actor: return "actor";
    case ClauseKind::From: return "from";
    case ClauseKind::Until: return "until";
    case ClauseKind::Evidence: return "evidence";
    case ClauseKind::Text: return "text";
  }
  return "?";
}

std::string_view DeclKindName(DeclKind kind) {
  switch (kind) {
    case DeclKind::Enum: return "enum";
    case DeclKind::Record: return "record";
    case DeclKind::Input: return "input";
    case DeclKind::Param: return "param";
    case DeclKind::Def: return "def";
    case DeclKind::Rule: return "rule";
    case DeclKind::Exception: return "exception";
    case DeclKind::Obligation: return "obligation";
    case DeclKind::Prohibition: return "prohibition";
    case DeclKind::Test: return "test";
  }
  return "?";
}

std::string ToSource(const Expr& e) {
  switch (e.kind) {
    case ExprKind::IntLit: return std::to_string(e.int_value);
    case ExprKind::NumberLit: return NumberToSource(e.number_value);
    case ExprKind::StringLit: return JsonString(e.text);
    case ExprKind::DateLit: return FormatDate(static_cast<int32_t>(e.int_value));
    case ExprKind::DurationLit:
      return std::to_string(e.int_value) + " " + std::string(DurationUnitName(e.unit, e.int_value));
    case ExprKind::BoolLit: return e.int_value ? "true" : "false";
    case ExprKind::UnknownLit: return "unknown";
    case ExprKind::AsOf: return "as_of";
    case ExprKind::Name: return e.text;
    case ExprKind::Member: return ToSource(*e.operands[0]) + "." + e.text;
    case ExprKind::Index: return ToSource(*e.operands[0]) + "[" + ToSource(*e.operands[1]) + "]";
    case ExprKind::Call: return ToSource(*e.operands[0]) + "(" + Joined(e.operands, 1) + ")";
    case ExprKind::Negate: return "-" + ToSource(*e.operands[0]);
    case ExprKind::Not: return "not " + ToSource(*e.operands[0]);
    case ExprKind::Binary:
      return ToSource(*e.operands[0]) + " " + std::string(BinaryOpSpelling(e.op)) + " " +
             ToSource(*e.operands[1]);
    case ExprKind::IsKnown: return ToSource(*e.operands[0]) + " is known";
    case ExprKind::IsUnknown: return ToSource(*e.operands[0]) + " is unknown";
    case ExprKind::If:
      return "if " + ToSource(*e.operands[0]) + " then " + ToSource(*e.operands[1]) + " else " +
             ToSource(*e.operands[2]);
    case ExprKind::Any: return Quantifier("any", e);
    case ExprKind::All: return Quantifier("all", e);
    case ExprKind::CountWhere: return Quantifier("count", e);
    case ExprKind::ListLit: return "[" + Joined(e.operands, 0) + "]";
    case ExprKind::SetLit: return "{" + Joined(e.operands, 0) + "}";
    case ExprKind::RecordLit:
    case ExprKind::MapLit: {
      std::string text = "{";
      for (size_t i = 0; i < e.operands.size(); ++i) {
        if (i > 0) text += ", ";
        text += e.kind == ExprKind::MapLit ? JsonString(e.keys[i]) : e.keys[i];
        text += ": " + ToSource(*e.operands[i]);
      }
      return text + "}";
    }
    case ExprKind::EmptyBraces: return "{}";
    case ExprKind::Parens: return "(" + ToSource(*e.operands[0]) + ")";
  }
  return "?";
}

bool SameExpr(const Expr& a, const Expr& b) {
  if (a.kind != b.kind || a.op != b.op || a.unit != b.unit || a.int_value != b.int_value ||
      a.text != b.text || a.keys != b.keys || a.operands.size() != b.operands.size()) {
    return false;
  }
  if (a.kind == ExprKind::NumberLit && !(a.number_value == b.number_value)) return false;
  for (size_t i = 0; i < a.operands.size(); ++i) {
    if (!SameExpr(*a.operands[i], *b.operands[i])) return false;
  }
  return true;
}

}  // namespace aipol::ast
