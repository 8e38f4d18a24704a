// The order of semantic analysis, and assembling the ir::Program.
#include "compiler/sema/check.h"

#include "compiler/sema/analyzer.h"

namespace aipol {
namespace sema {

Analyzer::Analyzer(std::vector<LoadedModule>& modules, SourceManager& sources, DiagnosticSink& diags)
    : loaded_(modules), sources_(sources), diags_(diags), program_(std::make_unique<ir::Program>()) {}

std::unique_ptr<ir::Program> Analyzer::Run() {
  size_t errors_before = diags_.error_count();
  DeclareModules();
  DeclareTypes();
  ResolveRecordFields();
  CheckRecursiveRecords();
  CheckInput();
  CheckParams();
  FindEvidenceAge();
  PrepareFunctions();
  FindRoles();
  ResolveExceptionTargets();
  for (uint32_t id = 0; id < decls_.size(); ++id) EnsureDecl(id, decls_[id].symbol.decl->name.range);
  for (uint32_t id = 0; id < functions_.size(); ++id)
    EnsureFunction(id, functions_[id].symbol.decl->name.range);
  CheckTests();
  OrderReports();
  WarnUnused();
  WarnImpossibleExceptions();
  WarnUnusedImports();
  if (diags_.error_count() > errors_before) return nullptr;

  ir::Program& program = *program_;
  for (const LoadedModule& m : loaded_) {
    const SourceFile& file = sources_.file(m.ast->file);
    program.modules.push_back({m.path, file.path(), std::string(file.text()), m.requested});
  }
  for (PendingParam& p : params_) program.params.push_back(std::move(p.ir));
  for (PendingFunction& f : functions_) program.functions.push_back(std::move(f.ir));
  std::vector<uint32_t> new_index(decls_.size());
  for (uint32_t position = 0; position < order_.size(); ++position) {
    new_index[order_[position]] = position;
    program.decls.push_back(std::move(decls_[order_[position]].ir));
  }
  RemapDeclRefs(program, new_index);
  program.map_keys.resize(map_keys_.size());
  for (const auto& [key, id] : map_keys_) program.map_keys[id] = key;
  if (program.input) program.layout = ir::ComputeLayout(program.types, program.input->record);
  return std::move(program_);
}

}  // namespace sema

CheckResult Check(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags) {
  CheckResult result;
  sema::LoadResult loaded = sema::LoadModules(request, sources, diags);
  result.module_count = loaded.modules.size();
  for (const sema::LoadedModule& m : loaded.modules) result.declaration_count += m.ast->decls.size();
  if (!loaded.ok) return result;
  result.program = sema::Analyzer(loaded.modules, sources, diags).Run();
  return result;
}

}  // namespace aipol
