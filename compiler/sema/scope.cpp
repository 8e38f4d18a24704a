// Modules, declarations and name lookup.
#include <algorithm>

#include "compiler/sema/analyzer.h"

namespace aipol::sema {
namespace {

bool IsBuiltin(const std::string& name) {
  return name == "count" || name == "default" || name == "days" || name == "months" || name == "years";
}

SymbolKind KindOf(const ast::Decl& decl) {
  switch (decl.kind) {
    case ast::DeclKind::Enum: return SymbolKind::Enum;
    case ast::DeclKind::Record: return SymbolKind::Record;
    case ast::DeclKind::Input: return SymbolKind::Input;
    case ast::DeclKind::Param: return SymbolKind::Param;
    case ast::DeclKind::Def: return decl.is_function ? SymbolKind::Function : SymbolKind::Def;
    case ast::DeclKind::Rule: return SymbolKind::Rule;
    case ast::DeclKind::Exception: return SymbolKind::Exception;
    case ast::DeclKind::Obligation: return SymbolKind::Obligation;
    case ast::DeclKind::Prohibition: return SymbolKind::Prohibition;
    case ast::DeclKind::Test: return SymbolKind::Test;
  }
  return SymbolKind::Def;
}

ir::DeclKind IrKindOf(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Rule: return ir::DeclKind::Rule;
    case SymbolKind::Exception: return ir::DeclKind::Exception;
    case SymbolKind::Obligation: return ir::DeclKind::Obligation;
    case SymbolKind::Prohibition: return ir::DeclKind::Prohibition;
    default: return ir::DeclKind::Def;
  }
}

}  // namespace

std::string_view SymbolKindPhrase(SymbolKind kind) {
  switch (kind) {
    case SymbolKind::Enum: return "an enum type";
    case SymbolKind::Record: return "a record type";
    case SymbolKind::Input: return "the input";
    case SymbolKind::Param: return "a param";
    case SymbolKind::Def: return "a def";
    case SymbolKind::Function: return "a function";
    case SymbolKind::Rule: return "a rule";
    case SymbolKind::Exception: return "an exception";
    case SymbolKind::Obligation: return "an obligation";
    case SymbolKind::Prohibition: return "a prohibition";
    case SymbolKind::Test: return "a test";
  }
  return "a declaration";
}

void Analyzer::DeclareModules() {
  for (uint32_t m = 0; m < loaded_.size(); ++m) {
    ModuleScope scope;
    scope.path = loaded_[m].path;
    scope.alias = scope.path.substr(scope.path.rfind('.') + 1);
    scope.ast = loaded_[m].ast.get();
    modules_.push_back(std::move(scope));
  }
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    ModuleScope& scope = modules_[m];
    for (const ast::Name& import : scope.ast->imports) {
      std::optional<uint32_t> target = FindModule(import.text);
      if (!target) continue;  // reported by the loader
      if (std::find(scope.imports.begin(), scope.imports.end(), *target) != scope.imports.end()) {
        diags_.Report(DiagKind::DuplicateImport, import.range, import.text);
        continue;
      }
      scope.imports.push_back(*target);
      scope.import_ranges.push_back(import.range);
      scope.import_used.push_back(false);
    }
    for (const ast::Decl& decl : scope.ast->decls) {
      if (decl.kind == ast::DeclKind::Test || decl.name.text.empty()) continue;
      if (decl.reported && decl.is_function) {
        diags_.Report(DiagKind::ReportedFunction, decl.name.range, decl.name.text);
      }
      if (IsBuiltin(decl.name.text)) {
        diags_.Report(DiagKind::BuiltinRedefined, decl.name.range, decl.name.text);
        continue;
      }
      Symbol symbol{KindOf(decl), m, &decl, 0};
      auto [it, inserted] = scope.symbols.emplace(decl.name.text, symbol);
      if (!inserted) {
        diags_.Report(DiagKind::DuplicateDeclaration, decl.name.range, decl.name.text)
            .notes.push_back({it->second.decl->name.range, "previously declared here"});
        continue;
      }
      Symbol& s = it->second;
      switch (s.kind) {
        case SymbolKind::Enum:
          s.id = static_cast<uint32_t>(enums_.size());
          enums_.push_back(s);
          break;
        case SymbolKind::Record:
          s.id = static_cast<uint32_t>(records_.size());
          records_.push_back(s);
          break;
        case SymbolKind::Input:
          if (input_symbol_) {
            diags_.Report(DiagKind::MultipleInputs, decl.name.range)
                .notes.push_back({input_symbol_->decl->name.range, "the input is declared here"});
          } else {
            input_symbol_ = s;
          }
          break;
        case SymbolKind::Param: {
          s.id = static_cast<uint32_t>(params_.size());
          PendingParam param{s, {}, 0};
          param.ir.module = scope.path;
          param.ir.name = decl.name.text;
          param.ir.range = decl.name.range;
          param.ir.doc = decl.doc;
          params_.push_back(std::move(param));
          break;
        }
        case SymbolKind::Function: {
          s.id = static_cast<uint32_t>(functions_.size());
          PendingFunction f{s, {}, CheckState::NotStarted, false, 0};
          f.ir.module = scope.path;
          f.ir.name = decl.name.text;
          f.ir.range = decl.name.range;
          f.ir.doc = decl.doc;
          functions_.push_back(std::move(f));
          break;
        }
        default: {
          s.id = static_cast<uint32_t>(decls_.size());
          PendingDecl pending{s, {}, CheckState::NotStarted, 0};
          ir::Decl& d = pending.ir;
          d.kind = IrKindOf(s.kind);
          d.module = scope.path;
          d.name = decl.name.text;
          d.id = scope.path + "." + decl.name.text;
          d.range = decl.name.range;
          d.doc = decl.doc;
          d.reported = decl.reported;
          d.title = decl.title;
          d.type = ir::TypeTable::kBool;
          decls_.push_back(std::move(pending));
        }
      }
    }
  }
}

std::optional<uint32_t> Analyzer::FindModule(const std::string& path) const {
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    if (modules_[m].path == path) return m;
  }
  return std::nullopt;
}

void Analyzer::MarkImportUsed(uint32_t module, uint32_t target_module) {
  ModuleScope& scope = modules_[module];
  for (size_t i = 0; i < scope.imports.size(); ++i) {
    if (scope.imports[i] == target_module) scope.import_used[i] = true;
  }
}

// Local declarations shadow imported ones; a name that two imports declare
// is ambiguous.
const Symbol* Analyzer::LookupLocalOrImported(uint32_t module, const std::string& name, SourceRange range,
                                              bool report_ambiguity) {
  ModuleScope& scope = modules_[module];
  auto local = scope.symbols.find(name);
  if (local != scope.symbols.end()) return &local->second;
  const Symbol* found = nullptr;
  for (uint32_t imported : scope.imports) {
    auto it = modules_[imported].symbols.find(name);
    if (it == modules_[imported].symbols.end()) continue;
    if (found != nullptr && found != &it->second) {
      last_lookup_ambiguous_ = true;
      // Both imports are in use: the author has to qualify, not remove one.
      MarkImportUsed(module, found->module);
      MarkImportUsed(module, imported);
      if (report_ambiguity) {
        diags_.Report(DiagKind::AmbiguousName, range, name, modules_[found->module].path + "." + name,
                      modules_[imported].path + "." + name);
      }
      return nullptr;
    }
    found = &it->second;
  }
  if (found) MarkImportUsed(module, found->module);
  return found;
}

// `name`, `alias.name` or `a.b.name` as written in a type, an exception
// target or a test's `expect obligation`.
const Symbol* Analyzer::LookupQualified(uint32_t module, const std::string& dotted, SourceRange range) {
  last_lookup_ambiguous_ = false;
  size_t dot = dotted.rfind('.');
  if (dot == std::string::npos) return LookupLocalOrImported(module, dotted, range, true);
  std::string qualifier = dotted.substr(0, dot), last = dotted.substr(dot + 1);
  std::optional<uint32_t> target = FindModule(qualifier);
  for (uint32_t imported : modules_[module].imports) {
    if (!target && modules_[imported].alias == qualifier) target = imported;
  }
  if (!target) return nullptr;
  MarkImportUsed(module, *target);
  auto it = modules_[*target].symbols.find(last);
  return it == modules_[*target].symbols.end() ? nullptr : &it->second;
}

std::vector<std::string> Analyzer::VisibleNames(uint32_t module) const {
  std::vector<std::string> names;
  const ModuleScope& scope = modules_[module];
  for (const auto& [name, symbol] : scope.symbols) names.push_back(name);
  for (uint32_t imported : scope.imports) {
    for (const auto& [name, symbol] : modules_[imported].symbols) names.push_back(name);
    names.push_back(modules_[imported].alias);
  }
  return names;
}

}  // namespace aipol::sema
