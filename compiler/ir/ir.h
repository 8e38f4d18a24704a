// The typed program that both engines consume.
//
// sema produces an ir::Program: every name resolved to an index, every
// expression typed, declarations in dependency order (a declaration only
// refers to declarations before it), and the memory layout of the input
// record (layout.h), so that the interpreter and the JIT read the same rows
// and write the same results.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/layout.h"
#include "compiler/ir/types.h"
#include "compiler/source/source.h"

namespace aipol::ir {

enum class Op : uint8_t {
#define AIPOL_OP(name, dump, operands, fails) name,
#include "compiler/ir/ir_ops.def"
#undef AIPOL_OP
};
// The last op ir_ops.def lists (for readers that check an op's code).
inline constexpr Op kLastOp = static_cast<Op>(0
#define AIPOL_OP(name, dump, operands, fails) +1
#include "compiler/ir/ir_ops.def"
#undef AIPOL_OP
                                              - 1);
std::string_view OpName(Op op);
// How many operands `op` reads by position (ir_ops.def).
size_t MinOperands(Op op);
// Whether evaluating `op` itself can raise a runtime error (ir_ops.def's
// `fails`). Engines may reorder or skip what cannot fail (the JIT's status
// skips).
bool OpMayFail(Op op);

enum class DurationUnit : uint8_t { Days, Months, Years };

struct Duration {
  int64_t count = 0;
  DurationUnit unit = DurationUnit::Days;
  bool operator==(const Duration&) const = default;
};

// A scalar constant. Enum members are stored by index in `integer`.
struct Constant {
  int64_t integer = 0;  // bool, int, enum member, date (day number)
  double number = 0;
  std::string string;
  Duration duration;
};

struct Expr;
using ExprPtr = std::unique_ptr<Expr>;

struct Expr {
  Op op;
  TypeId type;
  SourceRange range;
  uint32_t index = 0;             // field, decl, param, local, function, key id, unit
  TypeId operand_type = 0;        // comparisons and set operations: the operands' type
  Constant constant;              // Const
  std::string text;               // MapGet key, Field name (for dumps and `missing` paths)
  std::vector<std::string> keys;  // MakeMap
  std::vector<ExprPtr> operands;  // MakeRecord may hold nulls

  Expr(Op o, TypeId t, SourceRange r) : op(o), type(t), range(r) {}
};

enum class DeclKind : uint8_t { Def, Rule, Exception, Obligation, Prohibition };
std::string_view DeclKindName(DeclKind kind);

// How an obligation finds its evidence entry and reads it.
struct EvidenceAccess {
  ExprPtr entry;        // an expression of the entry's record type
  uint32_t record = 0;  // the entry's record type
  uint32_t status_field = 0;
  uint32_t met_member = 0;  // members of the status enum
  uint32_t partial_member = 0;
  std::optional<uint32_t> ref_field;
  std::optional<uint32_t> reviewed_field;
};

struct Decl {
  DeclKind kind;
  std::string module;
  std::string name;
  std::string id;  // `module.name`
  SourceRange range;
  std::string doc;
  TypeId type = 0;  // bool for everything but defs
  bool reported = false;

  ExprPtr value;                     // def
  ExprPtr when;                      // may be null (means true)
  ExprPtr unless;                    // may be null (means false)
  std::vector<uint32_t> exceptions;  // decls that defeat this one
  std::optional<uint32_t> target;    // exception: the decl it defeats

  std::optional<std::string> title;
  std::optional<std::string> text;
  std::vector<std::string> citations;  // the first is the primary one
  std::optional<uint32_t> actor;       // member of the role enum
  std::optional<std::string> actor_name;
  ExprPtr actor_in_roles;  // `actor in roles`, when there is an actor
  ExprPtr from;
  ExprPtr until;
  std::optional<EvidenceAccess> evidence;
  uint32_t locals = 0;  // binder slots used by this decl's expressions
};

struct FunctionParam {
  std::string name;
  TypeId type;
};

struct Function {
  std::string module;
  std::string name;
  SourceRange range;
  std::string doc;                    // `##` comments directly above
  std::vector<FunctionParam> params;  // locals 0..n-1
  TypeId result = 0;
  ExprPtr body;
  uint32_t locals = 0;  // params plus binders
};

struct Param {
  std::string module;
  std::string name;
  SourceRange range;
  std::string doc;  // `##` comments directly above
  TypeId type = 0;
  ExprPtr default_value;  // a constant expression
};

struct Input {
  std::string name;
  uint32_t record = 0;
  TypeId type = 0;
};

enum class ExpectKind : uint8_t { Value, ObligationStatus, ProhibitionStatus };

struct Expect {
  ExpectKind kind;
  SourceRange range;
  ExprPtr expr;        // Value: a bool expression
  uint32_t decl = 0;   // statuses: the obligation or prohibition
  std::string status;  // `met`, ..., `not applicable`
  uint32_t locals = 0;
};

struct Test {
  std::string module;
  bool requested = false;  // in a module the user named
  std::string description;
  SourceRange range;
  std::string directory;  // of the .pol file, for `given file` paths
  std::optional<std::string> given_file;
  ExprPtr given_value;  // inline record literal
  int32_t as_of = 0;
  std::vector<std::pair<uint32_t, ExprPtr>> sets;  // param -> constant
  std::vector<Expect> expects;
};

struct Module {
  std::string path;        // a.b.c
  std::string file;        // as shown to users
  std::string source;      // the bytes (for the policy hash)
  bool requested = false;  // named by the user, not only imported (its tests run)
};

struct Program {
  TypeTable types;
  std::vector<Module> modules;  // sorted by path
  std::optional<Input> input;
  InputLayout layout;                 // of the input record; empty without input
  std::vector<std::string> map_keys;  // interned constant map keys (MapGet.index)
  std::vector<Param> params;
  std::vector<Function> functions;
  std::vector<Decl> decls;                   // dependency order
  std::vector<uint32_t> reports;             // decl ids, in report order
  std::vector<uint32_t> obligations;         // decl ids, in report order
  std::vector<uint32_t> prohibitions;        // decl ids, in report order
  std::optional<uint32_t> role_enum;         // the enum `actor` names members of
  std::optional<uint32_t> evidence_max_age;  // param id
  std::vector<Test> tests;
};

// A readable dump of the program (for `--dump-ir` and IR golden tests).
std::string Dump(const Program& program);
std::string DumpExpr(const Program& program, const Expr& expr);

}  // namespace aipol::ir
