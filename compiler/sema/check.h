// Semantic analysis: modules -> ir::Program.
//
// Loads the policy's modules (files, directories, module prefixes, their
// imports), resolves names, checks types, orders declarations by dependency
// and reports cycles and dubious code. The result is null when any error was
// reported.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "compiler/diag/diag.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/fs_probe.h"

namespace aipol {

struct PolicyRequest {
  std::vector<std::string> policies;      // .pol files, directories or module prefixes
  std::vector<std::string> search_roots;  // -I DIR
  bool use_stdlib = true;                 // the embedded standard library is a search root
  // Modules held in memory (the REPL's session): shown as `display_name`,
  // requested like a file named on the command line.
  struct InMemory {
    std::string display_name;
    std::string text;
  };
  std::vector<InMemory> in_memory;
  // When set, every question loading asks the file system, with its answer
  // (for the program cache, program_cache.h).
  std::vector<sema::FsObservation>* fs_log = nullptr;
};

struct CheckResult {
  std::unique_ptr<ir::Program> program;  // null when there were errors
  size_t module_count = 0;
  size_t declaration_count = 0;
};

CheckResult Check(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags);

// Where an embedded standard-library file is shown to users.
inline constexpr std::string_view kStdlibPrefix = "<stdlib>/";

}  // namespace aipol
