// libFuzzer target: the policy front end over arbitrary text.
//
// The input is the source of one module, `fuzz.pol`, given as the REPL gives
// its session (an in-memory module; the embedded standard library can be
// imported). It is parsed and checked (names, types, dependency order,
// cycles, warnings), a checked program is dumped (`check --dump-ir`) and
// goes through the program cache's binary form (ir/serialize.h), which must
// give it back unchanged, and the diagnostics are rendered as text and JSON.
// Errors are expected; a crash, a sanitizer report, a leak or a hang is a bug.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <sstream>
#include <string>

#include "compiler/diag/diag.h"
#include "compiler/ir/ir.h"
#include "compiler/ir/serialize.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  aipol::PolicyRequest request;
  request.in_memory.push_back({"fuzz.pol", std::string(reinterpret_cast<const char*>(data), size)});
  aipol::SourceManager sources;
  aipol::DiagnosticSink diags;
  aipol::CheckResult result = aipol::Check(request, sources, diags);
  if (result.program && diags.has_errors()) __builtin_trap();  // a program is only returned without errors
  if (result.program) {
    std::string dump = aipol::ir::Dump(*result.program);  // `aipol check --dump-ir`
    std::string bytes;
    aipol::ir::WriteProgram(*result.program, bytes);
    std::unique_ptr<aipol::ir::Program> read = aipol::ir::ReadProgram(bytes);
    if (!read || aipol::ir::Dump(*read) != dump) __builtin_trap();
    std::string again;
    aipol::ir::WriteProgram(*read, again);
    if (again != bytes) __builtin_trap();
  }
  std::ostringstream text, json;
  aipol::RenderText(sources, diags.diagnostics(), aipol::RenderOptions{}, text);
  aipol::RenderJson(sources, diags.diagnostics(), json);
  return 0;
}
