#include "compiler/jit/codegen.h"

#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/MCContext.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include <cstdlib>

#include "runtime/large_stack.h"

namespace aipol::jit {

Choices Choices::FromEnvironment() {
  Choices choices;
  if (const char* opt = std::getenv("AIPOL_JIT_OPT"); opt && *opt) choices.opt = opt;
  if (const char* codegen = std::getenv("AIPOL_JIT_CODEGEN"); codegen && *codegen) choices.codegen = codegen;
  return choices;
}

// The optimised tier's back end: `o1` evaluates as fast as `default` (the
// register allocator makes the difference, not the instruction selector)
// for about two thirds of its compile time (bench/RESULTS.md).
Choices Choices::Optimised() const {
  Choices optimised = *this;
  if (!optimised.optimised()) optimised.codegen = "o1";
  return optimised;
}

Choices Choices::Thorough() const {
  Choices thorough = Optimised();
  thorough.opt = "o2";
  return thorough;
}

llvm::CodeGenOptLevel Choices::CodeGenLevel() const {
  if (codegen == "o1") return llvm::CodeGenOptLevel::Less;
  return codegen == "default" ? llvm::CodeGenOptLevel::Default : llvm::CodeGenOptLevel::None;
}

namespace {

void Optimise(llvm::Module& module, const std::string& level) {
  if (level == "none") return;
  llvm::LoopAnalysisManager loops;
  llvm::FunctionAnalysisManager functions;
  llvm::CGSCCAnalysisManager cgscc;
  llvm::ModuleAnalysisManager modules;
  llvm::PassBuilder builder;
  builder.registerModuleAnalyses(modules);
  builder.registerCGSCCAnalyses(cgscc);
  builder.registerFunctionAnalyses(functions);
  builder.registerLoopAnalyses(loops);
  builder.crossRegisterProxies(loops, functions, cgscc, modules);
  if (level == "o1" || level == "o2") {
    builder
        .buildPerModuleDefaultPipeline(level == "o1" ? llvm::OptimizationLevel::O1
                                                     : llvm::OptimizationLevel::O2)
        .run(module, modules);
    return;
  }
  // Only simplifycfg: lowering merges values with PHI nodes and folds
  // constants as it builds (InstSimplifyFolder), so SROA, early CSE and
  // instcombine no longer pay for themselves (bench/RESULTS.md). The back
  // end's fast instruction selector does not handle `select i1`, which
  // instcombine makes of `and`/`or` and simplifycfg of branches it
  // speculates or folds into their predecessors: those two are off, or 80
  // functions go to the slow selector.
  llvm::FunctionPassManager passes;
  passes.addPass(
      llvm::SimplifyCFGPass(llvm::SimplifyCFGOptions().speculateBlocks(false).setSimplifyCondBranch(false)));
  llvm::ModulePassManager module_passes;
  module_passes.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(passes)));
  module_passes.run(module, modules);
}

// Verifies, optimises and compiles one module to an object for this host;
// empty, with `error` set, on failure.
std::string CompileModule(llvm::Module& module, const Choices& choices, std::string* error) {
  std::string verify;
  llvm::raw_string_ostream verify_out(verify);
  if (llvm::verifyModule(module, &verify_out)) {
    *error = "internal error: invalid generated code: " + verify;
    return "";
  }
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder) {
    *error = "cannot start the JIT: " + llvm::toString(builder.takeError());
    return "";
  }
  builder->setCodeGenOptLevel(choices.CodeGenLevel());
  auto machine = builder->createTargetMachine();
  if (!machine) {
    *error = "cannot start the JIT: " + llvm::toString(machine.takeError());
    return "";
  }
  // Above `fast`, LLVM picks the SelectionDAG selector unless told otherwise.
  if (choices.codegen == "o1") (*machine)->setFastISel(true);
  module.setDataLayout((*machine)->createDataLayout());
  module.setTargetTriple((*machine)->getTargetTriple().str());
  Optimise(module, choices.opt);
  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream out(object);
  llvm::legacy::PassManager passes;
  llvm::MCContext* mc = nullptr;
  if ((*machine)->addPassesToEmitMC(passes, mc, out)) {
    *error = "internal error: the target cannot emit objects";
    return "";
  }
  passes.run(module);
  return std::string(object.begin(), object.end());
}

}  // namespace

std::vector<std::string> CompileModules(Lowered& lowered, const Choices& choices, size_t threads,
                                        std::string* error, const std::atomic<bool>* cancel) {
  size_t count = lowered.modules.size();
  std::vector<std::string> objects(count), errors(count);
  std::atomic<size_t> next = 0;
  auto work = [&] {
    for (size_t k = next++; k < count; k = next++) {
      if (cancel && *cancel) {
        errors[k] = "cancelled";
        continue;
      }
      objects[k] = CompileModule(*lowered.modules[k].module, choices, &errors[k]);
    }
  };
  {
    std::vector<LargeStackThread> helpers;
    for (size_t t = 1; t < std::min(threads, count); ++t) helpers.emplace_back(work);
    work();
  }
  for (const std::string& e : errors) {
    if (!e.empty()) {
      *error = e;
      return {};
    }
  }
  return objects;
}

}  // namespace aipol::jit
