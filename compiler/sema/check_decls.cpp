// Declarations: input, params, defs and functions, exception targets, and
// the order of reported values.
#include "compiler/sema/analyzer.h"
#include "compiler/sema/expr_checker.h"
#include "compiler/sema/literal.h"

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
void Analyzer::CheckParams() {
  for (PendingParam& param : params_) {
    const ast::Decl& decl = *param.symbol.decl;
    param.ir.type = decl.type ? ResolveType(*decl.type, param.symbol.module) : TypeTable::kError;
    if (!decl.value) continue;
    if (param.ir.type != TypeTable::kError) {
      param.ir.default_value = CheckLiteral(types(), param.ir.type, *decl.value, diags_);
    }
    if (!param.ir.default_value) param.ir.default_value = ErrorExpr(decl.value->range);
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
    const Symbol* symbol = LookupQualified(d.symbol.module, target.text, target.range);
    if (symbol == nullptr && last_lookup_ambiguous_) continue;
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
// order and declarations in source order (docs/reports.md).
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
