// Generated modules to objects (internal to jit/): the pass pipeline and the
// back end's level, chosen by measurement (bench/RESULTS.md).
#pragma once

#include <llvm/Support/CodeGen.h>

#include <atomic>
#include <string>
#include <vector>

#include "compiler/jit/lower.h"

namespace aipol::jit {

// AIPOL_JIT_OPT selects the pass pipeline: `none`, `light` (simplifycfg: the
// default), `o1` or `o2`; AIPOL_JIT_CODEGEN the back end: `fast` (no optimisation,
// the fast instruction selector: the default), `o1` (LLVM's -O1 back end,
// with its greedy register allocator, but the fast instruction selector: the
// optimised tier) or `default` (LLVM's -O2, with the SelectionDAG selector).
// Both are part of the cache key.
struct Choices {
  std::string opt = "light";
  std::string codegen = "fast";

  static Choices FromEnvironment();
  // The same with LLVM's optimising back end: the second tier, compiled in
  // the background (JitEngine::OptimiseInBackground).
  Choices Optimised() const;
  // The optimised tier after LLVM's -O2 pass pipeline: about 10% faster than
  // Optimised(), for twice its compile time (bench/RESULTS.md), so it is
  // compiled only when nothing waits for it to evaluate (`aipol check --jit`).
  Choices Thorough() const;
  bool optimised() const { return codegen == "o1" || codegen == "default"; }
  bool thorough() const { return optimised() && opt == "o2"; }
  std::string Name() const { return "opt=" + opt + " codegen=" + codegen; }
  llvm::CodeGenOptLevel CodeGenLevel() const;
};

// Verifies, optimises and compiles each module to an object for this host,
// on up to `threads` threads (the modules are in LLVMContexts of their own).
// Empty, with `error` set, on failure or when `cancel` is set between two
// modules.
std::vector<std::string> CompileModules(Lowered& lowered, const Choices& choices, size_t threads,
                                        std::string* error, const std::atomic<bool>* cancel = nullptr);

}  // namespace aipol::jit
