// Warnings: code that is legal but almost certainly not what was meant.
#include "compiler/sema/analyzer.h"

namespace aipol::sema {
namespace {

using ast::Expr;
using ast::ExprKind;

const Expr& Unparen(const Expr& e) { return e.kind == ExprKind::Parens ? Unparen(*e.operands[0]) : e; }

void Conjuncts(const Expr& e, std::vector<const Expr*>& out) {
  const Expr& bare = Unparen(e);
  if (bare.kind == ExprKind::Binary && bare.op == ast::BinaryOp::And) {
    Conjuncts(*bare.operands[0], out);
    Conjuncts(*bare.operands[1], out);
    return;
  }
  out.push_back(&bare);
}

bool Negates(const Expr& a, const Expr& b) {
  return a.kind == ExprKind::Not && ast::SameExpr(Unparen(*a.operands[0]), b);
}

const ast::Clause* FindClause(const ast::Decl& decl, ast::ClauseKind kind) {
  for (const ast::Clause& c : decl.clauses) {
    if (c.kind == kind) return &c;
  }
  return nullptr;
}

bool IsBool(const Expr& e, bool value) {
  const Expr& bare = Unparen(e);
  return bare.kind == ExprKind::BoolLit && (bare.int_value != 0) == value;
}

}  // namespace

void Analyzer::WarnUnused() {
  for (const PendingDecl& d : decls_) {
    bool kept = d.ir.reported || d.symbol.kind == SymbolKind::Obligation ||
                d.symbol.kind == SymbolKind::Prohibition || d.symbol.kind == SymbolKind::Exception;
    if (!kept && d.uses == 0) {
      diags_.Report(DiagKind::UnusedDefinition, d.symbol.decl->name.range, ir::DeclKindName(d.ir.kind),
                    d.ir.name);
    }
  }
  for (const PendingFunction& f : functions_) {
    if (f.uses == 0)
      diags_.Report(DiagKind::UnusedDefinition, f.symbol.decl->name.range, "function", f.ir.name);
  }
}

// An exception can never hold when its `when` is `false`, its `unless` is
// `true`, or it requires the opposite of a condition its target requires
// (it only matters where the target would hold).
void Analyzer::WarnImpossibleExceptions() {
  for (const PendingDecl& d : decls_) {
    if (d.symbol.kind != SymbolKind::Exception || !d.ir.target) continue;
    const ast::Decl& decl = *d.symbol.decl;
    const ast::Clause* when = FindClause(decl, ast::ClauseKind::When);
    const ast::Clause* unless = FindClause(decl, ast::ClauseKind::Unless);
    if (when && IsBool(*when->expr, false)) {
      diags_.Report(DiagKind::ImpossibleException, decl.name.range, d.ir.name, "its `when` is `false`");
      continue;
    }
    if (unless && IsBool(*unless->expr, true)) {
      diags_.Report(DiagKind::ImpossibleException, decl.name.range, d.ir.name, "its `unless` is `true`");
      continue;
    }
    const ast::Clause* target_when = FindClause(*decls_[*d.ir.target].symbol.decl, ast::ClauseKind::When);
    if (!when || !target_when) continue;
    std::vector<const Expr*> mine, theirs;
    Conjuncts(*when->expr, mine);
    Conjuncts(*target_when->expr, theirs);
    for (const Expr* a : mine) {
      for (const Expr* b : theirs) {
        if (Negates(*a, *b) || Negates(*b, *a)) {
          diags_
              .Report(DiagKind::ImpossibleException, decl.name.range, d.ir.name,
                      "it requires `" + ast::ToSource(*a) + "` where its target requires `" +
                          ast::ToSource(*b) + "`")
              .notes.push_back({decls_[*d.ir.target].symbol.decl->name.range, "the target is here"});
          goto next;
        }
      }
    }
  next:;
  }
}

void Analyzer::WarnUnusedImports() {
  for (ModuleScope& module : modules_) {
    for (size_t i = 0; i < module.imports.size(); ++i) {
      if (!module.import_used[i]) {
        diags_.Report(DiagKind::UnusedImport, module.import_ranges[i], modules_[module.imports[i]].path);
      }
    }
  }
}

}  // namespace aipol::sema
