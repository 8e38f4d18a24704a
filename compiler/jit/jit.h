// The LLVM ORC JIT engine: compiles a whole policy to native code that
// evaluates descriptors exactly as the interpreter does (the differential
// tests hold it to that, bit for bit).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "compiler/interp/interp.h"
#include "runtime/engine.h"

namespace aipol {

struct JitOptions {
  // Compiled objects are cached here, keyed by the policy, the aipol build,
  // LLVM's version and the CPU; empty: $XDG_CACHE_HOME/aipol or
  // ~/.cache/aipol. Writes are atomic, so processes can share it.
  std::string cache_dir;
  bool use_cache = true;
  // A policy is compiled as this many modules, each on a thread of its own;
  // 0: one per hardware thread, at most 4.
  size_t compile_threads = 0;
  // Also compile the policy's tests' `expect`s, for EvaluateExpect (`aipol
  // test`). Evaluating descriptors does not need them, and they are about a
  // sixth of the standard library's code.
  bool tests = false;
  // OptimiseInBackground makes the thorough tier (jit::Choices::Thorough:
  // LLVM's -O2 pass pipeline too, about 10% faster evaluation for twice the
  // compile time) on every compile thread: for `aipol check --jit`, which
  // waits for it, and whose cache entry later compiles load first.
  bool thorough = false;
};

class JitEngine : public Engine {
 public:
  // Null, with `error` set, when compilation fails.
  static std::unique_ptr<JitEngine> Compile(const ir::Program& program, const JitOptions& options,
                                            std::string* error);
  ~JitEngine() override;
  // Whether Compile would load the program from the cache (a few
  // milliseconds) rather than compile it.
  static bool IsCached(const ir::Program& program, const JitOptions& options);

  std::string_view name() const override { return "jit"; }
  Results Evaluate(const EvalRequest& request) const override;
  void EvaluateInto(const EvalRequest& request, Results& results) const override;
  StatusResult EvaluateStatus(uint32_t decl, const EvalRequest& request,
                              std::optional<RuntimeError>* error) const;
  // The value of a test's `expect` (test and expect by index); the engine
  // must be compiled with JitOptions::tests.
  Value EvaluateExpect(size_t test, size_t expect, const EvalRequest& request,
                       std::optional<RuntimeError>* error) const;

  double compile_seconds() const;
  bool loaded_from_cache() const;

  // Two tiers. Compile makes fast code: LLVM's back end at its lowest level,
  // in a fraction of a second. OptimiseInBackground compiles the policy again
  // with the optimising back end on a thread of its own (about 1 s of CPU
  // for the standard library), stores it in the cache, where later compiles
  // find it first, and switches evaluations that start afterwards to it
  // (about a quarter faster: bench/RESULTS.md). Worth it for a large input
  // or ahead of time (`aipol check --jit`: then wait with
  // WaitUntilOptimised); the engine's destructor stops it after the module
  // it is compiling. Ahead of time it is the thorough tier
  // (JitOptions::thorough), which compiles load first when it is cached.
  void OptimiseInBackground();
  // Waits for the background compile, if any; whether the code is optimised
  // (and thorough, when JitOptions::thorough asked for it).
  bool WaitUntilOptimised();
  bool optimised() const;
  bool thorough() const;  // the optimised tier, after LLVM's -O2 pipeline
  // Whether the code in use came from the cache or was stored there (false
  // when the cache directory could not be written).
  bool in_cache() const;
  // Where compiled code is cached with `options` (empty: no cache).
  static std::string CacheDirectory(const JitOptions& options);

  // The LLVM IR of a program, before optimisation (for the IR golden tests).
  static std::string LlvmIr(const ir::Program& program);

 private:
  struct Impl;
  explicit JitEngine(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace aipol
