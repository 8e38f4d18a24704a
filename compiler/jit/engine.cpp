// The ORC side: LLJIT instances that link compiled or cached objects (two
// tiers: fast code first, optimised code from the background), and
// evaluation through the compiled functions.
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/RTDyldObjectLinkingLayer.h>
#include <llvm/ExecutionEngine/SectionMemoryManager.h>
#include <llvm/Support/MemoryBuffer.h>
#include <llvm/Support/TargetSelect.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <mutex>
#include <thread>

#include "compiler/jit/codegen.h"
#include "compiler/jit/jit.h"
#include "compiler/jit/lower.h"
#include "compiler/jit/object_cache.h"
#include "compiler/jit/perf_map.h"
#include "compiler/jit/tables_io.h"
#include "runtime/cache_files.h"
#include "runtime/large_stack.h"
#include "runtime/row.h"

namespace aipol {

using jit::Context;
using jit::Frame;
using jit::JValue;
using Function = void (*)(Frame*, JValue*);

namespace {

// How many modules a policy is compiled as, each on a thread of its own.
size_t CompileThreads(const JitOptions& options) {
  if (options.compile_threads > 0) return std::min<size_t>(options.compile_threads, 16);
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 4);
}

}  // namespace

// One compiled tier of a policy: its linked objects and their functions.
struct Code {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  Function entry = nullptr;  // the whole evaluation (lower.h)
  std::vector<Function> decls;
  std::vector<Function> from, until, evidence;  // by decl id; null when absent
  std::vector<std::vector<Function>> expects;   // by test, expect; empty without JitOptions::tests
  jit::Choices tier;                            // how it was compiled
  bool in_cache = false;                        // loaded from the cache, or stored there
};

namespace {

uint64_t NextSerial() {
  static std::atomic<uint64_t> last{0};
  return ++last;
}

}  // namespace

struct JitEngine::Impl {
  const ir::Program& program;
  const JitOptions options;
  const jit::Choices choices;
  std::string identity;  // in the cache (jit::PolicyIdentity); set by Compile
  jit::Tables tables;    // the same for every tier (lowering is deterministic; checked)
  // Every status "not applicable", with its declared dates: what the entry
  // point leaves of a status that does not apply.
  std::vector<StatusResult> blank_prohibitions, blank_obligations;
  // Names this engine in the notes of the Results it fills: unlike its
  // address, never the same for two engines of a process.
  const uint64_t serial = NextSerial();
  std::unique_ptr<Code> first;   // what Compile made or loaded
  std::unique_ptr<Code> second;  // the optimised tier, once the background compile is done
  // The tier evaluations start with: `first`, then `second`. An evaluation
  // keeps the tier it started with, and neither is freed before the engine.
  std::atomic<const Code*> current{nullptr};
  std::unique_ptr<LargeStackThread> optimiser;
  std::atomic<bool> cancel{false};
  double compile_seconds = 0;
  bool from_cache = false;
  // Contexts for reuse: a slot per thread (ThreadSlot) for the first
  // kThreadSlots threads of the process, then a pool under a mutex.
  struct alignas(64) Slot {
    std::atomic<Context*> context{nullptr};
  };
  static constexpr size_t kThreadSlots = 64;
  std::unique_ptr<Slot[]> slots = std::make_unique<Slot[]>(kThreadSlots);
  mutable std::mutex pool_mutex;
  mutable std::vector<std::unique_ptr<Context>> pool;

  Impl(const ir::Program& p, const JitOptions& o, const jit::Choices& c)
      : program(p), options(o), choices(c) {}
  ~Impl() {
    cancel = true;
    optimiser.reset();  // joins: the background compile stops after the module it is on
    for (size_t k = 0; k < kThreadSlots; ++k) delete slots[k].context.load();
  }

  const Code& Current() const { return *current.load(std::memory_order_acquire); }
  void Use(std::unique_ptr<Code> code) {
    first = std::move(code);
    current.store(first.get(), std::memory_order_release);
  }
  // Starts an LLJIT, links `objects` and resolves every function.
  std::unique_ptr<Code> Link(std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects,
                             const jit::Choices& tier, std::string* error) const;
  bool Resolve(Code& code, std::string* error) const;
  // Lowers the program into `parts` modules, compiles them on `threads`
  // threads as `tier` says, links them and stores them in the cache; the
  // tables the code refers to go to `built`. With `must_match`, gives up
  // before compiling unless the tables are those.
  std::unique_ptr<Code> Build(const jit::Choices& tier, size_t parts, size_t threads, jit::Tables* built,
                              std::string* error, const std::atomic<bool>* stop = nullptr,
                              const jit::Tables* must_match = nullptr) const;
  void Optimise();
  bool Done() const;

  // The statuses of `results` as "not applicable": those this engine's
  // note names when it filled `results` last (results.h), else all of them,
  // copied element by element into a reused Results' storage. (Testing
  // every status for whether it needs a reset cost more than copying them
  // all: the test mispredicts.)
  void ResetStatuses(Results& results) const {
    StatusesSet& set = results.statuses_set;
    size_t prohibitions = blank_prohibitions.size();
    if (set.engine == serial && results.prohibitions.size() == prohibitions &&
        results.obligations.size() == blank_obligations.size()) {
      for (uint32_t k : set.statuses) {
        if (k < prohibitions) {
          results.prohibitions[k] = blank_prohibitions[k];
        } else {
          results.obligations[k - prohibitions] = blank_obligations[k - prohibitions];
        }
      }
    } else {
      results.prohibitions = blank_prohibitions;
      results.obligations = blank_obligations;
    }
    set.engine = serial;
    set.statuses.clear();
  }

  // A context per evaluation, reused: each thread takes the one it used
  // last from its own slot, with no lock and no cache line shared with the
  // other threads (a mutex taken twice per evaluation, a few microseconds,
  // made two threads contend); past kThreadSlots threads, from the pool.
  static size_t ThreadSlot() {
    static std::atomic<size_t> threads{0};
    thread_local size_t slot = threads++;
    return slot;
  }
  std::unique_ptr<Context> Acquire() const {
    if (size_t slot = ThreadSlot(); slot < kThreadSlots) {
      if (Context* ctx = slots[slot].context.exchange(nullptr)) return std::unique_ptr<Context>(ctx);
    }
    std::lock_guard lock(pool_mutex);
    if (pool.empty()) return std::make_unique<Context>(program, tables);
    std::unique_ptr<Context> ctx = std::move(pool.back());
    pool.pop_back();
    return ctx;
  }
  void Release(std::unique_ptr<Context> ctx) const {
    if (size_t slot = ThreadSlot(); slot < kThreadSlots) {
      ctx.reset(slots[slot].context.exchange(ctx.release()));  // what was there, if anything, goes
      if (!ctx) return;
    }
    std::lock_guard lock(pool_mutex);
    pool.push_back(std::move(ctx));
  }

  Value Read(Context& ctx, const JValue& v, ir::TypeId type) const {
    return ctx.evaluator.Materialize(jit::ToValue(ctx, v, type, Repr(type)));
  }

  // The same into `out`, whose strings and vectors are reused: a batch
  // worker reads the facts of every descriptor into the same Results.
  void ReadInto(Context& ctx, const JValue& v, ir::TypeId type, Value& out) const {
    jit::Repr repr = Repr(type);
    if (v.known && repr == jit::Repr::Native) return jit::NativeValueInto(program.types, v, type, out);
    if (!v.known) {
      MissingPaths names = std::move(out.missing);  // its strings are reused
      out.Clear();
      out.type = type;
      out.missing = std::move(names);
      ctx.MissingPathsInto(v.missing, &out.missing.Mutable());
      if (v.path != 0) out.path = ctx.PathName(v.path);
      return;
    }
    if (repr == jit::Repr::Boxed) {
      const Value& boxed = *reinterpret_cast<const Value*>(v.payload);
      if (interp::Evaluator::IsMaterial(boxed)) return void(out = boxed);
    }
    out = Read(ctx, v, type);
  }

  // The status of one obligation or prohibition (for EvaluateStatus; the
  // entry point does the same for all of them), by the shared steps.
  StatusResult Status(Context& ctx, const Code& code, uint32_t id, std::vector<uint32_t>* missing) const {
    const ir::Decl& d = program.decls[id];
    Frame* frame = &ctx.frame;
    if (!frame->memo_done[id]) code.decls[id](frame, &frame->memo[id]);
    JValue applies = frame->memo[id];
    JValue from_value{}, until_value{};
    // Dates are evaluated whenever the obligation may apply.
    if (!applies.known || applies.payload != 0) {
      if (d.from && !frame->failed) code.from[id](frame, &from_value);
      if (d.until && !frame->failed) code.until[id](frame, &until_value);
    }
    StatusResult result;
    if (!jit::DecideStatus(ctx, d, applies, from_value, until_value, &result, missing)) return result;
    JValue entry{};
    if (!frame->failed) code.evidence[id](frame, &entry);
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
bool JitEngine::Impl::Resolve(Code& code, std::string* error) const {
  std::vector<std::string> names;
  std::vector<Function*> targets;
  code.decls.resize(program.decls.size());
  code.from.resize(program.decls.size());
  code.until.resize(program.decls.size());
  code.evidence.resize(program.decls.size());
  auto want = [&](std::string name, Function* target) {
    names.push_back(std::move(name));
    targets.push_back(target);
  };
  want(jit::kEntryFunction, &code.entry);
  for (uint32_t id = 0; id < program.decls.size(); ++id) want(jit::DeclFunction(id), &code.decls[id]);
  for (const std::vector<uint32_t>* list : {&program.prohibitions, &program.obligations}) {
    for (uint32_t id : *list) {
      const ir::Decl& d = program.decls[id];
      if (d.from) want(jit::FromFunction(id), &code.from[id]);
      if (d.until) want(jit::UntilFunction(id), &code.until[id]);
      if (d.evidence) want(jit::EvidenceFunction(id), &code.evidence[id]);
    }
  }
  code.expects.resize(options.tests ? program.tests.size() : 0);
  for (size_t t = 0; t < code.expects.size(); ++t) {
    code.expects[t].resize(program.tests[t].expects.size());
    for (size_t k = 0; k < program.tests[t].expects.size(); ++k) {
      if (program.tests[t].expects[k].kind == ir::ExpectKind::Value) {
        want(jit::ExpectFunction(t, k), &code.expects[t][k]);
      }
    }
  }
  llvm::orc::LLJIT& jit = *code.jit;
  llvm::orc::SymbolLookupSet lookup;
  std::vector<llvm::orc::SymbolStringPtr> symbols;
  for (const std::string& name : names) {
    symbols.push_back(jit.mangleAndIntern(name));
    lookup.add(symbols.back());
  }
  llvm::orc::ExecutionSession& session = jit.getExecutionSession();
  auto found = session.lookup(llvm::orc::makeJITDylibSearchOrder(&jit.getMainJITDylib()), std::move(lookup));
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

std::unique_ptr<Code> JitEngine::Impl::Link(std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects,
                                            const jit::Choices& tier, std::string* error) const {
  auto code = std::make_unique<Code>();
  code->tier = tier;
  code->jit = StartJit(error);
  if (!code->jit) return nullptr;
  for (auto& object : objects) {
    if (auto e = code->jit->addObjectFile(std::move(object))) {
      *error = llvm::toString(std::move(e));
      return nullptr;
    }
  }
  if (!Resolve(*code, error)) return nullptr;
  return code;
}

namespace {

std::vector<std::unique_ptr<llvm::MemoryBuffer>> Buffers(const std::vector<std::string>& objects) {
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> buffers;
  for (const std::string& object : objects) buffers.push_back(llvm::MemoryBuffer::getMemBufferCopy(object));
  return buffers;
}

// The policy's identity in the cache (jit::PolicyIdentity), when a cache is used.
std::string IdentityFor(const ir::Program& program, const JitOptions& options) {
  return options.use_cache ? jit::PolicyIdentity(program) : std::string();
}

std::unique_ptr<jit::ObjectCache> CacheFor(const std::string& identity, const JitOptions& options,
                                           const jit::Choices& choices) {
  std::string dir = JitEngine::CacheDirectory(options);
  if (dir.empty()) return nullptr;
  return std::make_unique<jit::ObjectCache>(
      dir, jit::CacheKey(identity, choices.Name() + (options.tests ? " tests" : "")));
}

// The cache entries a compile looks for, best first: the thorough tier
// (which `aipol check --jit` stores), the optimised tier (which an earlier
// run's background compile may have stored), then the one `choices`
// compiles.
std::vector<jit::Choices> Tiers(const jit::Choices& choices) {
  if (choices.optimised()) return {choices};
  return {choices.Thorough(), choices.Optimised(), choices};
}

}  // namespace

bool JitEngine::IsCached(const ir::Program& program, const JitOptions& options) {
  std::string identity = IdentityFor(program, options);
  for (const jit::Choices& tier : Tiers(jit::Choices::FromEnvironment())) {
    std::unique_ptr<jit::ObjectCache> cache = CacheFor(identity, options, tier);
    if (cache && cache->Has()) return true;
  }
  return false;
}

std::unique_ptr<JitEngine> JitEngine::Compile(const ir::Program& program, const JitOptions& options,
                                              std::string* error) {
  auto start = std::chrono::steady_clock::now();
  static std::once_flag initialised;
  std::call_once(initialised, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
  });
  auto impl = std::make_unique<Impl>(program, options, jit::Choices::FromEnvironment());
  auto finish = [&]() -> std::unique_ptr<JitEngine> {
    if (!jit::PrepareConstants(program, impl->tables)) {
      *error = "internal error: a literal of the policy does not evaluate";
      return nullptr;
    }
    jit::RankPaths(impl->tables);
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
  impl->identity = IdentityFor(program, options);
  for (const jit::Choices& tier : Tiers(impl->choices)) {
    std::unique_ptr<jit::ObjectCache> cache = CacheFor(impl->identity, options, tier);
    std::optional<jit::ObjectCache::Entry> entry = cache ? cache->Load() : std::nullopt;
    if (!entry) continue;
    std::string ignored;
    if (std::unique_ptr<Code> code = impl->Link(std::move(entry->objects), tier, &ignored)) {
      code->in_cache = true;
      impl->tables = std::move(entry->tables);
      impl->Use(std::move(code));
      impl->from_cache = true;
      return finish();
    }
  }

  size_t parts = CompileThreads(options);
  std::unique_ptr<Code> code = impl->Build(impl->choices, parts, parts, &impl->tables, error);
  if (!code) return nullptr;
  impl->Use(std::move(code));
  return finish();
}

std::unique_ptr<Code> JitEngine::Impl::Build(const jit::Choices& tier, size_t parts, size_t threads,
                                             jit::Tables* built, std::string* error,
                                             const std::atomic<bool>* stop,
                                             const jit::Tables* must_match) const {
  jit::Lowered lowered = jit::Lower(program, parts, options.tests);
  if (must_match && jit::WriteTables(lowered.tables) != jit::WriteTables(*must_match)) return nullptr;
  std::vector<std::string> objects = jit::CompileModules(lowered, tier, threads, error, stop);
  if (objects.empty()) return nullptr;
  std::unique_ptr<Code> code = Link(Buffers(objects), tier, error);
  if (!code) {
    *error = "internal error: the compiled policy does not link: " + *error;
    return nullptr;
  }
  if (auto cache = CacheFor(identity, options, tier)) code->in_cache = cache->Store(objects, lowered.tables);
  *built = std::move(lowered.tables);
  return code;
}

// The optimised tier: if it refers to the same tables (checked before it is
// compiled), built on this one thread while evaluations go on (stored in the
// cache for later runs), then published for the evaluations that start next.
// The thorough tier is waited for (`check --jit`): all compile threads.
void JitEngine::Impl::Optimise() {
  // Four modules on this one thread, so that a cancelled compile stops
  // after a fraction of the work.
  jit::Tables built;
  std::string error;
  const jit::Choices tier = options.thorough ? choices.Thorough() : choices.Optimised();
  size_t threads = options.thorough ? CompileThreads(options) : 1;
  std::unique_ptr<Code> code = Build(tier, 4, threads, &built, &error, &cancel, &tables);
  if (!code) return;
  second = std::move(code);
  current.store(second.get(), std::memory_order_release);
}

// Whether the code in use is the best tier this engine was asked for.
bool JitEngine::Impl::Done() const {
  const Code& code = Current();
  return options.thorough ? code.tier.thorough() : code.tier.optimised();
}

void JitEngine::OptimiseInBackground() {
  Impl& impl = *impl_;
  if (impl.optimiser || impl.Done()) return;
  impl.optimiser = std::make_unique<LargeStackThread>([&impl] { impl.Optimise(); });
}

bool JitEngine::WaitUntilOptimised() {
  if (impl_->optimiser) impl_->optimiser->Join();
  return impl_->Done();
}

bool JitEngine::optimised() const { return impl_->Current().tier.optimised(); }
bool JitEngine::thorough() const { return impl_->Current().tier.thorough(); }
bool JitEngine::in_cache() const { return impl_->Current().in_cache; }

std::string JitEngine::CacheDirectory(const JitOptions& options) {
  if (!options.use_cache) return "";
  return options.cache_dir.empty() ? DefaultCacheDir() : options.cache_dir;
}

Results JitEngine::Evaluate(const EvalRequest& request) const {
  Results results;
  EvaluateInto(request, results);
  return results;
}

void JitEngine::EvaluateInto(const EvalRequest& request, Results& results) const {
  const Impl& impl = *impl_;
  const ir::Program& program = impl.program;
  if (request.row) PrefetchRow(request.row, request.row_bytes);
  std::unique_ptr<Context> ctx = impl.Acquire();
  ctx->Reset(request);
  results.error.reset();
  impl.ResetStatuses(results);
  ctx->results = &results;
  ctx->slots.resize(jit::ResultSlots(program));
  impl.Current().entry(&ctx->frame, ctx->slots.data());
  ctx->results = nullptr;  // no longer written; `results` is the caller's
  if (ctx->error) {
    results = Results{};
    results.error = ctx->error;
    impl.Release(std::move(ctx));
    return;
  }
  results.facts.resize(program.reports.size());
  for (size_t k = 0; k < program.reports.size(); ++k) {
    const JValue& v = ctx->slots[k];
    if (!v.known) ctx->AppendMissing(v.missing, &ctx->missing_ids);
    impl.ReadInto(*ctx, v, program.decls[program.reports[k]].type, results.facts[k]);
  }
  ctx->PathNamesInto(ctx->missing_ids, &results.missing);
  impl.Release(std::move(ctx));
}

StatusResult JitEngine::EvaluateStatus(uint32_t decl, const EvalRequest& request,
                                       std::optional<RuntimeError>* error) const {
  std::unique_ptr<Context> ctx = impl_->Acquire();
  ctx->Reset(request);
  std::vector<uint32_t> missing;
  StatusResult status = impl_->Status(*ctx, impl_->Current(), decl, &missing);
  *error = ctx->error;
  if (*error) status = StatusResult{};  // a runtime error voids the status
  impl_->Release(std::move(ctx));
  return status;
}

Value JitEngine::EvaluateExpect(size_t test, size_t expect, const EvalRequest& request,
                                std::optional<RuntimeError>* error) const {
  if (!impl_->options.tests) {
    *error = RuntimeError{"Internal", "the policy was compiled without its tests (JitOptions::tests)", {}};
    return Value::Unknown(ir::TypeTable::kBool);
  }
  std::unique_ptr<Context> ctx = impl_->Acquire();
  ctx->Reset(request);
  JValue v{};
  impl_->Current().expects[test][expect](&ctx->frame, &v);
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
