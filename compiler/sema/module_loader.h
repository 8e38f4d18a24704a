// Finding and parsing the modules of a policy (internal to sema/).
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "compiler/ast/ast.h"
#include "compiler/diag/diag.h"
#include "compiler/sema/check.h"

namespace aipol::sema {

struct LoadedModule {
  std::unique_ptr<ast::Module> ast;
  std::string path;  // a.b.c
  bool from_stdlib = false;
  bool requested = false;  // named by the request (not only imported)
};

struct LoadResult {
  std::vector<LoadedModule> modules;  // sorted by path
  bool ok = false;                    // no errors while loading or parsing
};

LoadResult LoadModules(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags);

}  // namespace aipol::sema
