// The ORC side: an LLJIT instance, the optimisation pipeline, the on-disk
// object cache, and evaluation through the compiled functions.
#include <llvm/Config/llvm-config.h>
#include <llvm/ExecutionEngine/ObjectCache.h>
#include <llvm/ExecutionEngine/Orc/CompileUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/StructuralHash.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>
#include <llvm/TargetParser/Host.h>
#include <llvm/Transforms/InstCombine/InstCombine.h>
#include <llvm/Transforms/Scalar/EarlyCSE.h>
#include <llvm/Transforms/Scalar/SROA.h>
#include <llvm/Transforms/Scalar/SimplifyCFG.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <sstream>

#include "compiler/jit/jit.h"
#include "compiler/jit/lower.h"
#include "runtime/sha256.h"

namespace aipol {

using jit::Context;
using jit::Frame;
using jit::JValue;
using Function = void (*)(Frame*, JValue*);

namespace {

// Bumped whenever generated code or the runtime ABI changes meaning.
constexpr const char* kAbiVersion = "aipol-jit-1";

// Compiled objects on disk, one file per key. A file is written under a
// temporary name and renamed into place, so a reader never sees half of one.
class DiskCache : public llvm::ObjectCache {
 public:
  explicit DiskCache(std::string dir) : dir_(std::move(dir)) {}
  void notifyObjectCompiled(const llvm::Module* m, llvm::MemoryBufferRef object) override {
    std::error_code ec;
    std::filesystem::create_directories(dir_, ec);
    std::string final_path = Path(m);
    std::string temporary = final_path + ".tmp." + std::to_string(getpid());
    {
      std::ofstream out(temporary, std::ios::binary);
      out.write(object.getBufferStart(), static_cast<std::streamsize>(object.getBufferSize()));
      if (!out) return;
    }
    std::filesystem::rename(temporary, final_path, ec);
  }
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module* m) override {
    auto buffer = llvm::MemoryBuffer::getFile(Path(m));
    if (!buffer) return nullptr;
    hit_ = true;
    return std::move(*buffer);
  }
  bool Has(const std::string& key) const {
    std::error_code ec;
    return std::filesystem::exists(dir_ + "/" + key + ".o", ec);
  }
  bool hit() const { return hit_; }

 private:
  std::string Path(const llvm::Module* m) const { return dir_ + "/" + m->getModuleIdentifier() + ".o"; }
  std::string dir_;
  bool hit_ = false;
};

std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/aipol";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/aipol";
  return "";
}

// The key covers what the object depends on: the generated module itself
// (so any change to code generation is a new key), the policy, and the
// versions and CPU it was compiled for.
std::string CacheKey(const ir::Program& program, const llvm::Module& module) {
  Sha256 hash;
  hash.Update(std::to_string(llvm::StructuralHash(module, /*DetailedHash=*/true)));
  hash.Update(kAbiVersion);
  hash.Update(AIPOL_VERSION);
  hash.Update(LLVM_VERSION_STRING);
  hash.Update(llvm::sys::getHostCPUName());
  for (const auto& feature : llvm::sys::getHostCPUFeatures()) {
    if (feature.second) hash.Update(feature.first());
  }
  for (const ir::Module& m : program.modules) {
    hash.Update(m.path);
    hash.Update(std::string_view("\0", 1));
    hash.Update(m.source);
    hash.Update(std::string_view("\0", 1));
  }
  return hash.HexDigest();
}

// The pipeline, chosen by measurement (bench/RESULTS.md): AIPOL_JIT_OPT
// selects `none`, `light` (SROA, early CSE, instcombine, simplifycfg: the
// default) or `o1` for experiments.
void Optimise(llvm::Module& module) {
  const char* choice = std::getenv("AIPOL_JIT_OPT");
  std::string level = choice ? choice : "light";
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
  llvm::FunctionPassManager passes;
  passes.addPass(llvm::SROAPass(llvm::SROAOptions::ModifyCFG));
  passes.addPass(llvm::EarlyCSEPass());
  passes.addPass(llvm::InstCombinePass());
  passes.addPass(llvm::SimplifyCFGPass());
  llvm::ModulePassManager module_passes;
  module_passes.addPass(llvm::createModuleToFunctionPassAdaptor(std::move(passes)));
  module_passes.run(module, modules);
}

}  // namespace

struct JitEngine::Impl {
  const ir::Program& program;
  jit::Tables tables;
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::unique_ptr<DiskCache> cache;
  std::vector<Function> decls;
  std::vector<Function> from, until, evidence;  // by decl id; null when absent
  std::vector<std::vector<Function>> expects;   // by test, expect
  double compile_seconds = 0;
  bool from_cache = false;
  mutable std::mutex pool_mutex;
  mutable std::vector<std::unique_ptr<Context>> pool;

  explicit Impl(const ir::Program& p) : program(p) {}

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
    jit::Repr repr = jit::IsNativeType(program.types, type) ? jit::Repr::Native : jit::Repr::Boxed;
    return ctx.evaluator.Materialize(jit::ToValue(ctx, v, type, repr));
  }

  StatusResult Status(Context& ctx, uint32_t id, std::vector<std::string>* missing) const {
    const ir::Decl& d = program.decls[id];
    JValue applies{};
    decls[id](&ctx.frame, &applies);
    Value value = Read(ctx, applies, d.type);
    auto eval = [&](const ir::Expr& e) -> Value {
      Function f = &e == d.from.get() ? from[id] : &e == d.until.get() ? until[id] : evidence[id];
      JValue out{};
      if (!ctx.frame.failed) f(&ctx.frame, &out);
      return jit::ToValue(ctx, out, e.type,
                          jit::IsNativeType(program.types, e.type) ? jit::Repr::Native : jit::Repr::Boxed);
    };
    return ctx.evaluator.StatusOf(d, value, eval, missing);
  }
};

JitEngine::JitEngine(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
JitEngine::~JitEngine() = default;
double JitEngine::compile_seconds() const { return impl_->compile_seconds; }
bool JitEngine::loaded_from_cache() const { return impl_->from_cache; }

std::unique_ptr<JitEngine> JitEngine::Compile(const ir::Program& program, const JitOptions& options,
                                              std::string* error) {
  auto start = std::chrono::steady_clock::now();
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto impl = std::make_unique<Impl>(program);
  jit::Lowered lowered = jit::Lower(program, "policy");
  std::string key = CacheKey(program, *lowered.module);
  lowered.module->setModuleIdentifier(key);
  impl->tables = std::move(lowered.tables);
  std::string verify;
  llvm::raw_string_ostream verify_out(verify);
  if (llvm::verifyModule(*lowered.module, &verify_out)) {
    *error = "internal error: invalid generated code: " + verify;
    return nullptr;
  }
  std::string dir = options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
  if (options.use_cache && !dir.empty()) impl->cache = std::make_unique<DiskCache>(dir);
  // A cached object needs no optimisation: the compiler takes it as it is.
  if (!impl->cache || !impl->cache->Has(key)) Optimise(*lowered.module);

  DiskCache* cache = impl->cache.get();
  auto built =
      llvm::orc::LLJITBuilder()
          .setCompileFunctionCreator(
              [cache](llvm::orc::JITTargetMachineBuilder builder)
                  -> llvm::Expected<std::unique_ptr<llvm::orc::IRCompileLayer::IRCompiler>> {
                auto machine = builder.createTargetMachine();
                if (!machine) return machine.takeError();
                return std::make_unique<llvm::orc::TMOwningSimpleCompiler>(std::move(*machine), cache);
              })
          .create();
  if (!built) {
    *error = "cannot start the JIT: " + llvm::toString(built.takeError());
    return nullptr;
  }
  impl->jit = std::move(*built);
  llvm::orc::LLJIT& jit = *impl->jit;
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
  if (auto e = jit.getMainJITDylib().define(llvm::orc::absoluteSymbols(std::move(runtime)))) {
    *error = llvm::toString(std::move(e));
    return nullptr;
  }
  if (auto e = jit.addIRModule(
          llvm::orc::ThreadSafeModule(std::move(lowered.module), std::move(lowered.context)))) {
    *error = llvm::toString(std::move(e));
    return nullptr;
  }
  auto lookup = [&](const std::string& name, bool required) -> Function {
    auto symbol = jit.lookup(name);
    if (!symbol) {
      llvm::consumeError(symbol.takeError());
      if (required) *error = "internal error: `" + name + "` was not generated";
      return nullptr;
    }
    return symbol->toPtr<Function>();
  };
  for (uint32_t id = 0; id < program.decls.size(); ++id) {
    impl->decls.push_back(lookup(jit::DeclFunction(id), true));
    if (!impl->decls.back()) return nullptr;
  }
  impl->from.resize(program.decls.size());
  impl->until.resize(program.decls.size());
  impl->evidence.resize(program.decls.size());
  for (const std::vector<uint32_t>* list : {&program.prohibitions, &program.obligations}) {
    for (uint32_t id : *list) {
      const ir::Decl& d = program.decls[id];
      if (d.from) impl->from[id] = lookup(jit::FromFunction(id), true);
      if (d.until) impl->until[id] = lookup(jit::UntilFunction(id), true);
      if (d.evidence) impl->evidence[id] = lookup(jit::EvidenceFunction(id), true);
    }
  }
  for (size_t t = 0; t < program.tests.size(); ++t) {
    impl->expects.emplace_back();
    for (size_t k = 0; k < program.tests[t].expects.size(); ++k) {
      bool value = program.tests[t].expects[k].kind == ir::ExpectKind::Value;
      impl->expects.back().push_back(value ? lookup(jit::ExpectFunction(t, k), true) : nullptr);
    }
  }
  if (!error->empty()) return nullptr;
  impl->from_cache = cache && cache->hit();
  impl->compile_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return std::unique_ptr<JitEngine>(new JitEngine(std::move(impl)));
}

Results JitEngine::Evaluate(const EvalRequest& request) const {
  const Impl& impl = *impl_;
  const ir::Program& program = impl.program;
  std::unique_ptr<Context> ctx = impl.Acquire();
  std::vector<JValue> params;
  impl.Start(*ctx, request, params);
  Results results;
  std::vector<std::string> missing;
  for (uint32_t id : program.reports) {
    JValue v{};
    impl.decls[id](&ctx->frame, &v);
    if (ctx->frame.failed) break;
    Value fact = impl.Read(*ctx, v, program.decls[id].type);
    if (!fact.known()) missing = MergeMissing(missing, fact.missing);
    results.facts.push_back(std::move(fact));
  }
  for (const auto& [list, out] : {std::make_pair(&program.prohibitions, &results.prohibitions),
                                  std::make_pair(&program.obligations, &results.obligations)}) {
    for (uint32_t id : *list) {
      if (ctx->frame.failed) break;
      out->push_back(impl.Status(*ctx, id, &missing));
    }
  }
  if (ctx->error) {
    Results failed;
    failed.error = ctx->error;
    impl.Release(std::move(ctx));
    return failed;
  }
  results.missing = std::move(missing);
  impl.Release(std::move(ctx));
  return results;
}

StatusResult JitEngine::EvaluateStatus(uint32_t decl, const EvalRequest& request,
                                       std::optional<RuntimeError>* error) const {
  std::unique_ptr<Context> ctx = impl_->Acquire();
  std::vector<JValue> params;
  impl_->Start(*ctx, request, params);
  std::vector<std::string> missing;
  StatusResult status = impl_->Status(*ctx, decl, &missing);
  *error = ctx->error;
  if (*error) status = StatusResult{};  // a runtime error voids the status
  impl_->Release(std::move(ctx));
  return status;
}

Value JitEngine::EvaluateExpect(size_t test, size_t expect, const EvalRequest& request,
                                std::optional<RuntimeError>* error) const {
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
  jit::Lowered lowered = jit::Lower(program, "policy");
  std::string text;
  llvm::raw_string_ostream out(text);
  lowered.module->print(out, nullptr);
  return text;
}

}  // namespace aipol
