// The abstract syntax tree: what a `.pol` file says, with a source range on
// every node, before names or types are resolved. Built by syntax/, consumed
// by sema/ and fmt/.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace aipol::ast {

enum class ExprKind : uint8_t {
#define AIPOL_EXPR(name) name,
#include "compiler/ast/expr_kinds.def"
#undef AIPOL_EXPR
};

enum class BinaryOp : uint8_t {
#define AIPOL_BINARY(name, spelling) name,
#include "compiler/ast/binary_ops.def"
#undef AIPOL_BINARY
};

enum class DurationUnit : uint8_t { Days, Months, Years };

std::string_view ExprKindName(ExprKind kind);
std::string_view BinaryOpSpelling(BinaryOp op);
std::string_view DurationUnitName(DurationUnit unit, int64_t count);

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  ExprKind kind;
  SourceRange range;
  BinaryOp op = BinaryOp::And;
  DurationUnit unit = DurationUnit::Days;
  int64_t int_value = 0;
  double number_value = 0;
  std::string text;               // names, member names, binders, strings
  SourceRange text_range;         // where `text` was written (member, binder)
  std::vector<std::string> keys;  // record and map literal keys
  std::vector<SourceRange> key_ranges;
  std::vector<ExprPtr> operands;

  Expr(ExprKind k, SourceRange r) : kind(k), range(r) {}
};

// A type as written: `name` or `name<args>`, possibly qualified.
struct TypeRef {
  std::string name;
  SourceRange range;
  std::vector<TypeRef> args;
};

struct Name {
  std::string text;
  SourceRange range;
};

enum class ClauseKind : uint8_t { Cite, When, Unless, Actor, From, Until, Evidence, Text };
std::string_view ClauseKindName(ClauseKind kind);

struct Citation {
  std::string text;
  SourceRange range;
};

struct Clause {
  ClauseKind kind;
  SourceRange range;
  ExprPtr expr;                     // when, unless, from, until, evidence
  std::vector<Citation> citations;  // cite
  std::string text;                 // text
  Name actor;                       // actor
};

struct Field {
  Name name;
  TypeRef type;
  bool required = false;
};

struct Parameter {
  Name name;
  TypeRef type;
};

enum class TestStepKind : uint8_t {
  GivenFile,
  GivenExpr,
  AsOf,
  Set,
  Expect,
  ExpectObligation,
  ExpectProhibition
};

struct TestStep {
  TestStepKind kind;
  SourceRange range;
  Name name;         // given/set: the name; expect obligation: the target
  std::string path;  // given file
  SourceRange path_range;
  ExprPtr expr;  // given expr, as_of, set value, expect
  Name status;   // expect obligation/prohibition: the status word ("not applicable" for that)
};

enum class DeclKind : uint8_t {
  Enum,
  Record,
  Input,
  Param,
  Def,
  Rule,
  Exception,
  Obligation,
  Prohibition,
  Test
};
std::string_view DeclKindName(DeclKind kind);

struct Decl {
  DeclKind kind;
  SourceRange range;
  Name name;                 // tests: empty, see `title`
  std::string doc;           // `##` comments directly above
  bool reported = false;     // `report def` / `report rule`
  bool is_function = false;  // `def f(...)`
  std::optional<std::string> title;
  SourceRange title_range;

  std::vector<Name> members;      // enum
  std::vector<Field> fields;      // record
  std::vector<Parameter> params;  // function
  std::optional<TypeRef> type;    // input, param, def (declared or return type)
  ExprPtr value;                  // param default, def body
  std::vector<Clause> clauses;    // rule, exception, obligation, prohibition
  Name target;                    // exception: dotted target as written
  std::vector<TestStep> steps;    // test
};

struct Module {
  FileId file = kNoFile;
  Name path;                  // `module a.b.c`
  std::vector<Name> imports;  // dotted paths
  std::vector<Decl> decls;
};

// Prints an expression in source syntax (for messages and `fmt`).
std::string ToSource(const Expr& expr);
// Structural equality ignoring ranges (used by fmt's AST-preservation check
// and by sema's contradiction test).
bool SameExpr(const Expr& a, const Expr& b);

}  // namespace aipol::ast
