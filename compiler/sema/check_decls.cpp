// Declarations: input, params, defs and functions, exception targets, and
// the order of reported values.
#include "compiler/sema/analyzer.h"
#include "compiler/sema/expr_checker.h"

namespace aipol::sema {

using ir::TypeId;
using ir::TypeKind;
using ir::TypeTable;

void Analyzer::CheckInput() {
  if (!input_symbol_) return;
  const ast::Decl& decl = *input_symbol_->decl;
  if (!decl.type) return;
  TypeId type = ResolveType(*decl.type, input_symbol_->module);
  if (type == TypeTable::kError) return;
  if (types().kind(type) != TypeKind::Record) {
    diags_.Report(DiagKind::InputNotRecord, decl.type->range, TypeName(type));
    return;
  }
  program_->input = ir::Input{decl.name.text, types().get(type).index, type};
}

// `param name: T = literal`: the default is a literal, so that reports can
// print every param's effective value and `--set` can replace it.
bool Analyzer::IsLiteral(const ast::Expr& e) const {
  switch (e.kind) {
    case ast::ExprKind::IntLit:
    case ast::ExprKind::NumberLit:
    case ast::ExprKind::StringLit:
    case ast::ExprKind::DateLit:
    case ast::ExprKind::DurationLit:
    case ast::ExprKind::BoolLit:
    case ast::ExprKind::Name:
    case ast::ExprKind::EmptyBraces: return true;
    case ast::ExprKind::Member:
      return e.operands[0]->kind == ast::ExprKind::Name || e.operands[0]->kind == ast::ExprKind::Member;
    case ast::ExprKind::Negate:
      return e.operands[0]->kind == ast::ExprKind::IntLit || e.operands[0]->kind == ast::ExprKind::NumberLit;
    case ast::ExprKind::Parens: return IsLiteral(*e.operands[0]);
    case ast::ExprKind::SetLit:
    case ast::ExprKind::ListLit:
      for (const ast::ExprPtr& item : e.operands) {
        if (!IsLiteral(*item)) return false;
      }
      return true;
    default: return false;
  }
}

void Analyzer::CheckParams() {
  for (PendingParam& param : params_) {
    const ast::Decl& decl = *param.symbol.decl;
    param.ir.type = decl.type ? ResolveType(*decl.type, param.symbol.module) : TypeTable::kError;
    if (!decl.value) continue;
    if (!IsLiteral(*decl.value)) {
      diags_.Report(DiagKind::NotALiteral, decl.value->range, "a param default");
      param.ir.default_value = ErrorExpr(decl.value->range);
      continue;
    }
    BodyContext ctx{param.symbol.module, {}, 0, 0};
    param.ir.default_value =
        Coerce(CheckExpr(*decl.value, ctx, param.ir.type), param.ir.type, decl.value->range);
  }
}

// Function signatures and declared def types are known before any body is
// checked, so uses can be typed while their targets are still in progress.
void Analyzer::PrepareFunctions() {
  for (PendingFunction& f : functions_) {
    const ast::Decl& decl = *f.symbol.decl;
    bool ok = true;
    for (const ast::Parameter& p : decl.params) {
      TypeId type = ResolveType(p.type, f.symbol.module);
      ok = ok && type != TypeTable::kError;
      for (const ir::FunctionParam& earlier : f.ir.params) {
        if (earlier.name == p.name.text) {
          diags_.Report(DiagKind::DuplicateMember, p.name.range, "parameter", p.name.text, decl.name.text);
        }
      }
      f.ir.params.push_back({p.name.text, type});
    }
    f.ir.result = decl.type ? ResolveType(*decl.type, f.symbol.module) : TypeTable::kError;
    f.signature_ok = ok && decl.type.has_value() && f.ir.result != TypeTable::kError;
  }
  for (PendingDecl& d : decls_) {
    const ast::Decl& decl = *d.symbol.decl;
    if (d.symbol.kind == SymbolKind::Def) {
      d.ir.type = decl.type ? ResolveType(*decl.type, d.symbol.module) : TypeTable::kError;
    }
  }
}

void Analyzer::CheckFunctionBody(uint32_t id) {
  PendingFunction& f = functions_[id];
  const ast::Decl& decl = *f.symbol.decl;
  BodyContext ctx{f.symbol.module, {}, 0, 0};
  for (uint32_t i = 0; i < f.ir.params.size(); ++i)
    ctx.locals.push_back({f.ir.params[i].name, i, f.ir.params[i].type});
  ctx.next_slot = ctx.max_slots = static_cast<uint32_t>(f.ir.params.size());
  if (!decl.value) return;
  TypeId declared = decl.type ? f.ir.result : kNoExpectation;
  ir::ExprPtr body = CheckExpr(*decl.value, ctx, declared);
  if (declared != kNoExpectation) {
    body = Coerce(std::move(body), declared, decl.value->range);
  } else {
    // The result type is inferred from the body.
    if (body->type == TypeTable::kAny) {
      diags_.Report(DiagKind::CannotInferType, decl.value->range, "the function's result")
          .notes.push_back({{}, "declare it: `def f(...): T = ...`"});
    }
    f.ir.result = body->type;
    f.signature_ok = body->type != TypeTable::kError && body->type != TypeTable::kAny;
  }
  f.ir.body = std::move(body);
  f.ir.locals = ctx.max_slots;
}

void Analyzer::CheckDecl(uint32_t id) {
  PendingDecl& d = decls_[id];
  if (d.symbol.kind == SymbolKind::Def) {
    CheckDef(d);
    return;
  }
  CheckClauses(d);
  for (uint32_t exception : exceptions_of_[id])
    EnsureDecl(exception, decls_[exception].symbol.decl->name.range);
  d.ir.exceptions = exceptions_of_[id];
}

void Analyzer::CheckDef(PendingDecl& d) {
  const ast::Decl& decl = *d.symbol.decl;
  if (!decl.value) return;
  BodyContext ctx{d.symbol.module, {}, 0, 0};
  TypeId declared = decl.type ? d.ir.type : kNoExpectation;
  ir::ExprPtr value = CheckExpr(*decl.value, ctx, declared);
  if (declared != kNoExpectation) {
    value = Coerce(std::move(value), declared, decl.value->range);
  } else {
    if (value->type == TypeTable::kAny) {
      diags_.Report(DiagKind::CannotInferType, decl.value->range, "`unknown`")
          .notes.push_back({{}, "declare the type: `def " + decl.name.text + ": T = unknown`"});
      value->type = TypeTable::kError;
    }
    d.ir.type = value->type;
  }
  d.ir.value = std::move(value);
  d.ir.locals = ctx.max_slots;
}

void Analyzer::ResolveExceptionTargets() {
  exceptions_of_.assign(decls_.size(), {});
  for (uint32_t id = 0; id < decls_.size(); ++id) {
    PendingDecl& d = decls_[id];
    if (d.symbol.kind != SymbolKind::Exception) continue;
    const ast::Name& target = d.symbol.decl->target;
    if (target.text.empty()) continue;
    const Symbol* symbol = nullptr;
    size_t dot = target.text.rfind('.');
    if (dot == std::string::npos) {
      symbol = LookupLocalOrImported(d.symbol.module, target.text, target.range, true);
    } else {
      std::string qualifier = target.text.substr(0, dot), last = target.text.substr(dot + 1);
      std::optional<uint32_t> m = FindModule(qualifier);
      for (uint32_t imported : modules_[d.symbol.module].imports) {
        if (!m && modules_[imported].alias == qualifier) m = imported;
      }
      if (m) {
        MarkImportUsed(d.symbol.module, *m);
        auto it = modules_[*m].symbols.find(last);
        if (it != modules_[*m].symbols.end()) symbol = &it->second;
      }
    }
    if (symbol == nullptr) {
      Diagnostic& diag = diags_.Report(DiagKind::UnknownName, target.range, target.text);
      std::string close = ClosestMatch(target.text, VisibleNames(d.symbol.module));
      if (!close.empty()) diag.notes.push_back({{}, "did you mean `" + close + "`?"});
      continue;
    }
    bool defeasible = symbol->kind == SymbolKind::Rule || symbol->kind == SymbolKind::Exception ||
                      symbol->kind == SymbolKind::Obligation || symbol->kind == SymbolKind::Prohibition;
    if (!defeasible) {
      diags_.Report(DiagKind::InvalidExceptionTarget, target.range, target.text,
                    SymbolKindPhrase(symbol->kind));
      continue;
    }
    d.ir.target = symbol->id;
    exceptions_of_[symbol->id].push_back(id);
  }
}

// Facts, obligations and prohibitions are reported with modules in path
// order and declarations in source order (REPORT.md).
void Analyzer::OrderReports() {
  std::map<std::string, const ast::Decl*> reported_names;
  for (ModuleScope& module : modules_) {
    for (const ast::Decl& decl : module.ast->decls) {
      auto it = module.symbols.find(decl.name.text);
      if (it == module.symbols.end() || it->second.decl != &decl) continue;
      const Symbol& s = it->second;
      bool value_decl = s.kind == SymbolKind::Def || s.kind == SymbolKind::Rule;
      if (decl.reported && value_decl) {
        auto [previous, inserted] = reported_names.emplace(decl.name.text, &decl);
        if (!inserted) {
          diags_.Report(DiagKind::DuplicateReport, decl.name.range, decl.name.text)
              .notes.push_back({previous->second->name.range, "the other is here"});
        }
        program_->reports.push_back(s.id);
      }
      if (s.kind == SymbolKind::Obligation) program_->obligations.push_back(s.id);
      if (s.kind == SymbolKind::Prohibition) program_->prohibitions.push_back(s.id);
    }
  }
}

}  // namespace aipol::sema
