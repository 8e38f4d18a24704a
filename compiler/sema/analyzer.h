// The state of one semantic analysis (internal to sema/). Its methods are
// spread over files by topic: scope.cpp (names), types.cpp (type
// expressions), check_decls.cpp, check_expr.cpp, check_clauses.cpp,
// check_tests.cpp, dependencies.cpp (order and cycles), warnings.cpp.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diag.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/module_loader.h"

namespace aipol::sema {

enum class SymbolKind : uint8_t {
  Enum,
  Record,
  Input,
  Param,
  Def,
  Function,
  Rule,
  Exception,
  Obligation,
  Prohibition,
  Test
};
std::string_view SymbolKindPhrase(SymbolKind kind);  // "a record", "a function", ...

struct Symbol {
  SymbolKind kind;
  uint32_t module = 0;
  const ast::Decl* decl = nullptr;
  uint32_t id = 0;  // index into the table of its kind (decls_, functions_, params_, enum/record id)
};

struct ModuleScope {
  std::string path;
  std::string alias;  // last path component
  const ast::Module* ast = nullptr;
  std::map<std::string, Symbol> symbols;
  std::vector<uint32_t> imports;  // module indices
  std::vector<SourceRange> import_ranges;
  std::vector<bool> import_used;
};

// A value declaration while it is being checked.
enum class CheckState : uint8_t { NotStarted, InProgress, Done };

struct PendingDecl {
  Symbol symbol;
  ir::Decl ir;
  CheckState state = CheckState::NotStarted;
  size_t uses = 0;
};

struct PendingFunction {
  Symbol symbol;
  ir::Function ir;
  CheckState state = CheckState::NotStarted;
  bool signature_ok = false;
  size_t uses = 0;
};

struct PendingParam {
  Symbol symbol;
  ir::Param ir;
  size_t uses = 0;
};

// What a dotted name or member chain resolves to.
struct Resolved {
  enum Kind { Nothing, Value, EnumType, RecordType, Module, Function } kind = Nothing;
  ir::ExprPtr value;
  uint32_t id = 0;  // enum/record/module/function id
};

struct Local {
  std::string name;
  uint32_t slot;
  ir::TypeId type;
};

// Per-body state: the module it is in and the locals visible.
struct BodyContext {
  uint32_t module = 0;
  std::vector<Local> locals;
  uint32_t next_slot = 0;
  uint32_t max_slots = 0;
};

class Analyzer {
 public:
  Analyzer(std::vector<LoadedModule>& modules, SourceManager& sources, DiagnosticSink& diags);
  std::unique_ptr<ir::Program> Run();

  // ---- scope.cpp
  void DeclareModules();
  const Symbol* LookupLocalOrImported(uint32_t module, const std::string& name, SourceRange range,
                                      bool report_ambiguity);
  const Symbol* LookupQualified(uint32_t module, const std::string& dotted, SourceRange range);
  std::optional<uint32_t> FindModule(const std::string& path) const;
  std::vector<std::string> VisibleNames(uint32_t module) const;
  void MarkImportUsed(uint32_t module, uint32_t target_module);

  // ---- types.cpp
  void DeclareTypes();
  void ResolveRecordFields();
  ir::TypeId ResolveType(const ast::TypeRef& ref, uint32_t module);
  void CheckRecursiveRecords();
  std::string TypeName(ir::TypeId type) const { return types().Name(type); }

  // ---- check_decls.cpp
  void CheckInput();
  void CheckParams();
  void PrepareFunctions();
  void ResolveExceptionTargets();
  void CheckDecl(uint32_t id);
  void CheckDef(PendingDecl& decl);
  void CheckFunctionBody(uint32_t id);
  void OrderReports();

  // ---- check_clauses.cpp
  void CheckClauses(PendingDecl& decl);
  void FindRoles();
  void FindEvidenceAge();
  std::optional<ir::EvidenceAccess> EvidenceFor(const ir::TypeId entry_type, SourceRange range, bool report);
  ir::ExprPtr ImplicitEvidence(PendingDecl& decl);

  // ---- check_expr.cpp
  ir::ExprPtr CheckExpr(const ast::Expr& expr, BodyContext& ctx, ir::TypeId expected);
  ir::ExprPtr CheckBool(const ast::Expr& expr, BodyContext& ctx, std::string_view what);
  ir::ExprPtr Coerce(ir::ExprPtr expr, ir::TypeId target, SourceRange range);
  ir::ExprPtr ErrorExpr(SourceRange range);

  // ---- check_tests.cpp
  void CheckTests();

  // ---- dependencies.cpp
  void EnsureDecl(uint32_t id, SourceRange use);
  void EnsureFunction(uint32_t id, SourceRange use);
  std::vector<uint32_t> DependencyOrder() const { return order_; }
  void RemapDeclRefs(ir::Program& program, const std::vector<uint32_t>& new_index);

  // ---- warnings.cpp
  void WarnUnused();
  void WarnImpossibleExceptions();
  void WarnUnusedImports();

  ir::TypeTable& types() { return program_->types; }
  const ir::TypeTable& types() const { return program_->types; }

  // Shared state (the analysis is one object; its parts are in several files).
  std::vector<LoadedModule>& loaded_;
  SourceManager& sources_;
  DiagnosticSink& diags_;
  std::unique_ptr<ir::Program> program_;
  std::vector<ModuleScope> modules_;
  std::vector<PendingDecl> decls_;
  std::vector<PendingFunction> functions_;
  std::vector<PendingParam> params_;
  std::vector<Symbol> enums_;                         // by enum id
  std::vector<Symbol> records_;                       // by record id
  std::vector<std::vector<uint32_t>> exceptions_of_;  // decl id -> exception decl ids
  std::optional<Symbol> input_symbol_;
  std::vector<std::string> check_stack_names_;  // for cycle messages
  std::vector<uint32_t> order_;                 // decl ids in dependency order
  std::optional<uint32_t> roles_decl_;          // `def roles`
  std::optional<uint32_t> roles_field_;         // input field `roles`
  std::map<std::string, uint32_t> map_keys_;
  bool last_lookup_ambiguous_ = false;
  std::set<std::string> reported_cycles_;  // the last lookup reported (or found) an ambiguity
};

}  // namespace aipol::sema
