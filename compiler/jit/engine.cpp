// The ORC side: an LLJIT instance, the optimisation pipeline, compiling or
// loading from the object cache (object_cache.h), and evaluation through the
// compiled functions.
#include <llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/IR/LegacyPassManager.h>
#include <llvm/IR/Verifier.h>
#include <llvm/MC/MCContext.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/Target/TargetMachine.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <mutex>
#include <sstream>
#include <thread>

#include "compiler/jit/jit.h"
#include "compiler/jit/lower.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/perf_map.h"
#include "runtime/large_stack.h"

namespace aipol {

using jit::Context;
using jit::Frame;
using jit::JValue;
using Function = void (*)(Frame*, JValue*);

namespace {

// The optimisation pipeline and the code generator's level, chosen by
// measurement (bench/RESULTS.md). AIPOL_JIT_OPT selects `none`, `light`
// (simplifycfg: the default) or `o1`;
// AIPOL_JIT_CODEGEN `fast` (no optimisation in the back end, the fast
// instruction selector: the default) or `default` (LLVM's -O2). Both are part
// of the cache key.
struct Choices {
  std::string opt = "light";
  std::string codegen = "fast";

  static Choices FromEnvironment() {
    Choices choices;
    if (const char* opt = std::getenv("AIPOL_JIT_OPT"); opt && *opt) choices.opt = opt;
    if (const char* codegen = std::getenv("AIPOL_JIT_CODEGEN"); codegen && *codegen)
      choices.codegen = codegen;
    return choices;
  }
  std::string Name() const { return "opt=" + opt + " codegen=" + codegen; }
  llvm::CodeGenOptLevel CodeGenLevel() const {
    return codegen == "default" ? llvm::CodeGenOptLevel::Default : llvm::CodeGenOptLevel::None;
  }
};

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
  if (level == "o1") {
    builder.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O1).run(module, modules);
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

// How many modules a policy is compiled as, each on a thread of its own.
size_t CompileThreads(const JitOptions& options) {
  if (options.compile_threads > 0) return std::min<size_t>(options.compile_threads, 16);
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
}

}  // namespace

struct JitEngine::Impl {
  const ir::Program& program;
  jit::Tables tables;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  Function entry = nullptr;  // the whole evaluation (lower.h)
  // Every status "not applicable", with its declared dates: what the entry
  // point leaves of a status that does not apply.
  std::vector<StatusResult> blank_prohibitions, blank_obligations;
  std::vector<Function> decls;
  std::vector<Function> from, until, evidence;  // by decl id; null when absent
  std::vector<std::vector<Function>> expects;   // by test, expect
  double compile_seconds = 0;
  bool from_cache = false;
  mutable std::mutex pool_mutex;
  mutable std::vector<std::unique_ptr<Context>> pool;

  bool tests = false;  // JitOptions::tests: the expect functions exist

  Impl(const ir::Program& p, bool with_tests) : program(p), tests(with_tests) {}

  bool Resolve(std::string* error);
  // Starts the JIT, links `objects` and resolves every function.
  bool Link(std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects, std::string* error);

  // A context per evaluation, reused.
  std::unique_ptr<Context> Acquire() const {
    std::lock_guard lock(pool_mutex);
    if (pool.empty()) return std::make_unique<Context>(program, tables);
    std::unique_ptr<Context> ctx = std::move(pool.back());
    pool.pop_back();
    return ctx;
  }
  void Release(std::unique_ptr<Context> ctx) const {
    std::lock_guard lock(pool_mutex);
    pool.push_back(std::move(ctx));
  }

  void Start(Context& ctx, const EvalRequest& request, std::vector<JValue>& params) const {
    ctx.Reset(request, params);
    // Without param values every param is unknown, as for the interpreter.
    params.assign(program.params.size(), JValue{});
    if (request.params) {
      for (size_t k = 0; k < program.params.size(); ++k) {
        params[k] = jit::FromValue(ctx, (*request.params)[k], program.params[k].type);
      }
    }
    if (params.empty()) params.push_back(JValue{});  // a valid pointer even with no params
    ctx.frame.params = params.data();
  }

  Value Read(Context& ctx, const JValue& v, ir::TypeId type) const {
    return ctx.evaluator.Materialize(jit::ToValue(ctx, v, type, Repr(type)));
  }

  // The status of one obligation or prohibition (for EvaluateStatus; the
  // entry point does the same for all of them), by the shared steps.
  StatusResult Status(Context& ctx, uint32_t id, std::vector<uint32_t>* missing) const {
    const ir::Decl& d = program.decls[id];
    Frame* frame = &ctx.frame;
    if (!frame->memo_done[id]) decls[id](frame, &frame->memo[id]);
    JValue applies = frame->memo[id];
    JValue from_value{}, until_value{};
    // Dates are evaluated whenever the obligation may apply.
    if (!applies.known || applies.payload != 0) {
      if (d.from && !frame->failed) from[id](frame, &from_value);
      if (d.until && !frame->failed) until[id](frame, &until_value);
    }
    StatusResult result;
    if (!jit::DecideStatus(ctx, d, applies, from_value, until_value, &result, missing)) return result;
    JValue entry{};
    if (!frame->failed) evidence[id](frame, &entry);
    if (!frame->failed) jit::EvidenceStatus(ctx, d, entry, &result);
    return result;
  }

  jit::Repr Repr(ir::TypeId type) const { return jit::CanonicalRepr(program.types, type); }
};

JitEngine::JitEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JitEngine::~JitEngine() = default;
double JitEngine::compile_seconds() const { return impl_->compile_seconds; }
bool JitEngine::loaded_from_cache() const { return impl_->from_cache; }

namespace {

// An LLJIT that links the objects Compile makes (or the cache holds), with
// aipol's runtime functions defined for the generated code. Objects are
// linked by RuntimeDyld: for the standard library's objects it links in about
// 6 ms where JITLink took about 80 ms, the bulk of a cache hit
// (bench/RESULTS.md); generated code throws no exceptions and needs none of
// what JITLink adds.
std::unique_ptr<llvm::orc::LLJIT> StartJit(std::string* error) {
  auto built =
      llvm::orc::LLJITBuilder()
          .setObjectLinkingLayerCreator([](llvm::orc::ExecutionSession& session, const llvm::Triple&) {
            auto layer = std::make_unique<llvm::orc::RTDyldObjectLinkingLayer>(
                session, [] { return std::make_unique<llvm::SectionMemoryManager>(); });
            if (llvm::JITEventListener* perf = jit::PerfMapListener()) layer->registerJITEventListener(*perf);
            return layer;
          })
          .create();
  if (!built) {
    *error = "cannot start the JIT: " + llvm::toString(built.takeError());
    return nullptr;
  }
  llvm::orc::LLJIT& jit = **built;
  llvm::orc::SymbolMap runtime;
  auto add = [&](const char* name, auto* function) {
    runtime[jit.mangleAndIntern(name)] = {llvm::orc::ExecutorAddr::fromPtr(function),
                                          llvm::JITSymbolFlags::Exported};
  };
  add("aipol_jit_union", &aipol_jit_union);
  add("aipol_jit_apply", &aipol_jit_apply);
  add("aipol_jit_box_row", &aipol_jit_box_row);
  add("aipol_jit_read_field", &aipol_jit_read_field);
  add("aipol_jit_count", &aipol_jit_count);
  add("aipol_jit_element", &aipol_jit_element);
  add("aipol_jit_equal", &aipol_jit_equal);
  add("aipol_jit_fail", &aipol_jit_fail);
  add("aipol_jit_status", &aipol_jit_status);
  add("aipol_jit_evidence", &aipol_jit_evidence);
  if (auto e = jit.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(runtime)))) {
    *error = llvm::toString(std::move(e));
    return nullptr;
  }
  return std::move(*built);
}

}  // namespace

// Finds every generated function in one lookup (the lookup is what links
// the objects).
bool JitEngine::Impl::Resolve(std::string* error) {
  std::vector<std::string> names;
  std::vector<Function*> targets;
  decls.resize(program.decls.size());
  from.resize(program.decls.size());
  until.resize(program.decls.size());
  evidence.resize(program.decls.size());
  auto want = [&](std::string name, Function* target) {
    names.push_back(std::move(name));
    targets.push_back(target);
  };
  want(jit::kEntryFunction, &entry);
  for (uint32_t id = 0; id < program.decls.size(); ++id) want(jit::DeclFunction(id), &decls[id]);
  for (const std::vector<uint32_t>* list : {&program.prohibitions, &program.obligations}) {
    for (uint32_t id : *list) {
      const ir::Decl& d = program.decls[id];
      if (d.from) want(jit::FromFunction(id), &from[id]);
      if (d.until) want(jit::UntilFunction(id), &until[id]);
      if (d.evidence) want(jit::EvidenceFunction(id), &evidence[id]);
    }
  }
  expects.resize(program.tests.size());
  for (size_t t = 0; tests && t < program.tests.size(); ++t) {
    expects[t].resize(program.tests[t].expects.size());
    for (size_t k = 0; k < program.tests[t].expects.size(); ++k) {
      if (program.tests[t].expects[k].kind == ir::ExpectKind::Value) {
        want(jit::ExpectFunction(t, k), &expects[t][k]);
      }
    }
  }
  llvm::orc::SymbolLookupSet lookup;
  std::vector<llvm::orc::SymbolStringPtr> symbols;
  for (const std::string& name : names) {
    symbols.push_back(jit->mangleAndIntern(name));
    lookup.add(symbols.back());
  }
  llvm::orc::ExecutionSession& session = jit->getExecutionSession();
  auto found = session.lookup(llvm::orc::makeJITDylibSearchOrder(&jit->getMainJITDylib()), std::move(lookup));
  if (!found) {
    *error = llvm::toString(found.takeError());
    return false;
  }
  for (size_t k = 0; k < names.size(); ++k) {
    auto it = found->find(symbols[k]);
    if (it == found->end()) {
      *error = "`" + names[k] + "` was not generated";
      return false;
    }
    *targets[k] = it->second.getAddress().toPtr<Function>();
  }
  return true;
}

bool JitEngine::Impl::Link(std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects, std::string* error) {
  jit = StartJit(error);
  if (!jit) return false;
  for (auto& object : objects) {
    if (auto e = jit->addObjectFile(std::move(object))) {
      *error = llvm::toString(std::move(e));
      return false;
    }
  }
  return Resolve(error);
}

namespace {

std::unique_ptr<jit::ObjectCache> CacheFor(const ir::Program& program, const JitOptions& options,
                                           const Choices& choices) {
  std::string dir = options.cache_dir.empty() ? jit::DefaultCacheDir() : options.cache_dir;
  if (!options.use_cache || dir.empty()) return nullptr;
  return std::make_unique<jit::ObjectCache>(
      dir, jit::CacheKey(program, choices.Name() + (options.tests ? " tests" : "")));
}

}  // namespace

bool JitEngine::IsCached(const ir::Program& program, const JitOptions& options) {
  std::unique_ptr<jit::ObjectCache> cache = CacheFor(program, options, Choices::FromEnvironment());
  return cache && cache->Has();
}

std::unique_ptr<JitEngine> JitEngine::Compile(const ir::Program& program, const JitOptions& options,
                                              std::string* error) {
  auto start = std::chrono::steady_clock::now();
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  Choices choices = Choices::FromEnvironment();
  std::unique_ptr<jit::ObjectCache> cache = CacheFor(program, options, choices);
  auto finish = [&](std::unique_ptr<Impl> impl) {
    jit::PrepareConstants(program, impl->tables);
    for (const auto& [ids, blank] : {std::make_pair(&program.prohibitions, &impl->blank_prohibitions),
                                     std::make_pair(&program.obligations, &impl->blank_obligations)}) {
      for (uint32_t id : *ids) {
        StatusResult s;  // NotApplicable
        s.from_declared = program.decls[id].from != nullptr;
        s.until_declared = program.decls[id].until != nullptr;
        blank->push_back(s);
      }
    }
    impl->compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    return std::unique_ptr<JitEngine>(new JitEngine(std::move(impl)));
  };

  // A hit: link the cached objects, read their tables, generate nothing. An
  // entry that does not link or lacks a function is compiled afresh.
  if (std::optional<jit::ObjectCache::Entry> entry = cache ? cache->Load() : std::nullopt) {
    auto impl = std::make_unique<Impl>(program, options.tests);
    std::string ignored;
    impl->tables = std::move(entry->tables);
    if (impl->Link(std::move(entry->objects), &ignored)) {
      impl->from_cache = true;
      return finish(std::move(impl));
    }
  }

  auto impl = std::make_unique<Impl>(program, options.tests);
  size_t parts = CompileThreads(options);
  jit::Lowered lowered = jit::Lower(program, parts, options.tests);
  impl->tables = std::move(lowered.tables);
  std::vector<std::string> objects(parts), errors(parts);
  {
    // Each module is verified, optimised and compiled on a thread of its own
    // (the first on this one): the modules are in separate LLVMContexts.
    std::vector<LargeStackThread> threads;
    for (size_t k = 1; k < parts; ++k) {
      threads.emplace_back(
          [&, k] { objects[k] = CompileModule(*lowered.modules[k].module, choices, &errors[k]); });
    }
    objects[0] = CompileModule(*lowered.modules[0].module, choices, &errors[0]);
  }
  for (const std::string& e : errors) {
    if (!e.empty()) {
      *error = e;
      return nullptr;
    }
  }
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  for (const std::string& object : objects) buffers.push_back(llvm::MemoryBuffer::getMemBufferCopy(object));
  if (!impl->Link(std::move(buffers), error)) {
    *error = "internal error: the compiled policy does not link: " + *error;
    return nullptr;
  }
  if (cache) cache->Store(objects, impl->tables);
  return finish(std::move(impl));
}

Results JitEngine::Evaluate(const EvalRequest& request) const {
  const Impl& impl = *impl_;
  const ir::Program& program = impl.program;
  std::unique_ptr<Context> ctx = impl.Acquire();
  std::vector<JValue> params;
  impl.Start(*ctx, request, params);
  Results results;
  results.prohibitions = impl.blank_prohibitions;
  results.obligations = impl.blank_obligations;
  ctx->results = &results;
  ctx->slots.resize(jit::ResultSlots(program));
  impl.entry(&ctx->frame, ctx->slots.data());
  ctx->results = nullptr;  // no longer written; `results` is a local
  if (ctx->error) {
    Results failed;
    failed.error = ctx->error;
    impl.Release(std::move(ctx));
    return failed;
  }
  results.facts.reserve(program.reports.size());
  for (size_t k = 0; k < program.reports.size(); ++k) {
    const JValue& v = ctx->slots[k];
    if (!v.known) ctx->AppendMissing(v.missing, &ctx->missing_ids);
    results.facts.push_back(impl.Read(*ctx, v, program.decls[program.reports[k]].type));
  }
  results.missing = ctx->PathNames(std::move(ctx->missing_ids));
  impl.Release(std::move(ctx));
  return results;
}

StatusResult JitEngine::EvaluateStatus(uint32_t decl, const EvalRequest& request,
                                       std::optional<RuntimeError>* error) const {
  std::unique_ptr<Context> ctx = impl_->Acquire();
  std::vector<JValue> params;
  impl_->Start(*ctx, request, params);
  std::vector<uint32_t> missing;
  StatusResult status = impl_->Status(*ctx, decl, &missing);
  *error = ctx->error;
  if (*error) status = StatusResult{};  // a runtime error voids the status
  impl_->Release(std::move(ctx));
  return status;
}

Value JitEngine::EvaluateExpect(size_t test, size_t expect, const EvalRequest& request,
                                std::optional<RuntimeError>* error) const {
  if (!impl_->tests) {
    *error = RuntimeError{"Internal", "the policy was compiled without its tests (JitOptions::tests)", {}};
    return Value::Unknown(ir::TypeTable::kBool);
  }
  std::unique_ptr<Context> ctx = impl_->Acquire();
  std::vector<JValue> params;
  impl_->Start(*ctx, request, params);
  JValue v{};
  impl_->expects[test][expect](&ctx->frame, &v);
  Value value = ctx->error ? Value::Unknown(ir::TypeTable::kBool)
                           : impl_->Read(*ctx, v, impl_->program.tests[test].expects[expect].expr->type);
  *error = ctx->error;
  impl_->Release(std::move(ctx));
  return value;
}

std::string JitEngine::LlvmIr(const ir::Program& program) {
  jit::Lowered lowered = jit::Lower(program);
  std::string text;
  llvm::raw_string_ostream out(text);
  lowered.modules[0].module->print(out, nullptr);
  return text;
}

}  // namespace aipol
