// ir::Program -> LLVM modules (internal to jit/).
//
// The entry point (kEntryFunction) evaluates a whole descriptor. Every
// declaration becomes `decl_<i>(Frame*, JValue* memo_slot)`, which computes
// it into its memo slot in the frame; callers check the memo first, so
// declarations are evaluated once, on first use, in the same order as the
// interpreter. Obligations' and prohibitions' dates and evidence
// become `from_<i>`, `until_<i>`, `evidence_<i>`; tests' expectations
// `expect_<t>_<k>`. User functions are inlined (the language has no
// recursion).
#pragma once

#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>

#include <memory>

#include "compiler/jit/abi.h"

namespace aipol::jit {

struct LoweredModule {
  std::unique_ptr<llvm::LLVMContext> context;
  std::unique_ptr<llvm::Module> module;
};

// The program in `parts` modules, each in an LLVMContext of its own so that
// they can be optimised and compiled on threads of their own: each function
// is defined in the module with the fewest instructions so far, and every
// module declares the functions it calls. One set of tables serves them all.
struct Lowered {
  std::vector<LoweredModule> modules;
  Tables tables;
};

// `tests`: also the tests' expectations (ExpectFunction).
Lowered Lower(const ir::Program& program, size_t parts = 1, bool tests = true);

// The entry point, `void (Frame*, JValue* results)`: results in the layout
// of abi.h (kStatusSlots).
extern const char* const kEntryFunction;
std::string DeclFunction(uint32_t decl);
std::string FromFunction(uint32_t decl);
std::string UntilFunction(uint32_t decl);
std::string EvidenceFunction(uint32_t decl);
std::string ExpectFunction(size_t test, size_t expect);

}  // namespace aipol::jit
