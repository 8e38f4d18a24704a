// `aipol check [POLICY...]`: parse, resolve and type-check; print diagnostics.
#include <chrono>
#include <cstdlib>
#include <ostream>

#include "cli/commands.h"
#include "compiler/jit/jit.h"
#include "compiler/sema/check.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol check [OPTIONS] [POLICY...]

Parses, resolves and type-checks policies and prints their diagnostics.
POLICY is a .pol file, a directory (every .pol under it; also a search root)
or a module prefix such as `aiact`. Default: the AI Act standard library.

options:
  -I DIR              add a search root for imports
  --format text|json  diagnostics as text (default) or as a JSON array
  --werror            treat warnings as errors
  --max-errors N      stop reporting after N errors (default 100)
  --dump-ir           print the checked program's IR
  --dump-llvm         print the LLVM IR the JIT generates (before optimisation)
  --jit               also compile the policy with the JIT into its cache,
                      optimised with LLVM's -O2 pipeline (a few seconds):
                      later `batch` and `eval` runs of the policy load that
                      code at once
  --no-color          no colour (also when NO_COLOR is set)

example:
  aipol check stdlib/aiact
  aipol check --format json my_policy.pol
  aipol check --jit stdlib/aiact
)";

// Compiles the JIT's thorough tier into its cache (read, not compiled again,
// when it is there), which compiles then load before any other. Without
// this, only a `batch` of 1 GiB or more compiles an optimised tier, so the
// runs of a CI gate on a smaller fleet would never find one; and that
// background compile makes the plain optimised tier, as it must not take
// twice the CPU from the workers.
int CompileJit(const ir::Program& program, const Options& options, Streams& streams) {
  std::string error;
  // Nothing waits to evaluate: the thorough tier, worth twice the compile.
  JitOptions jit_options;
  jit_options.thorough = true;
  std::unique_ptr<JitEngine> jit = JitEngine::Compile(program, jit_options, &error);
  if (!jit) {
    streams.err << "aipol check: " << error << "\n";
    return kExitPolicyError;
  }
  auto start = std::chrono::steady_clock::now();
  bool cached = jit->thorough();
  jit->OptimiseInBackground();
  if (!jit->WaitUntilOptimised()) {
    streams.err << "aipol check: the JIT's optimised tier could not be compiled\n";
    return kExitPolicyError;
  }
  // Caching is what was asked for: a cache that cannot be written fails.
  if (!jit->in_cache()) {
    std::string dir = JitEngine::CacheDirectory(jit_options);
    streams.err << "aipol check: the JIT's code could not be stored in its cache"
                << (dir.empty() ? " (no cache directory: set XDG_CACHE_HOME or HOME)"
                                : " `" + dir + "`: is it writable?")
                << "\n";
    return kExitPolicyError;
  }
  if (!options.quiet) {
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (cached) {
      streams.err << "jit: the optimised tier (thorough) was already in the cache\n";
    } else {
      streams.err << fmt::format("jit: the optimised tier (thorough) compiled in {:.2f} s and cached\n",
                                 seconds);
    }
  }
  return kExitOk;
}

}  // namespace

int RunCheck(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  if (!options.format.empty() && options.format != "text" && options.format != "json") {
    streams.err << "aipol check: `--format` is `text` or `json`\n";
    return kExitPolicyError;
  }
  PolicyRequest request;
  request.policies = options.positional;
  for (const std::string& p : options.policies) request.policies.push_back(p);
  if (request.policies.empty()) request.policies.push_back("aiact");
  request.search_roots = options.search_roots;

  SourceManager sources;
  DiagnosticSink diags(options.max_errors);
  CheckResult result = Check(request, sources, diags);
  if (options.werror) diags.PromoteWarnings();
  diags.SortByLocation();

  if (options.format == "json") {
    RenderJson(sources, diags.diagnostics(), streams.out);
  } else {
    RenderOptions render;
    render.color = streams.err_is_terminal && !options.no_color && std::getenv("NO_COLOR") == nullptr;
    RenderText(sources, diags.diagnostics(), render, streams.err);
    if (!options.quiet) {
      streams.err << fmt::format("{} module{}, {} declaration{}: {} error{}, {} warning{}\n",
                                 result.module_count, result.module_count == 1 ? "" : "s",
                                 result.declaration_count, result.declaration_count == 1 ? "" : "s",
                                 diags.error_count(), diags.error_count() == 1 ? "" : "s",
                                 diags.warning_count(), diags.warning_count() == 1 ? "" : "s");
    }
  }
  if (options.dump_ir && result.program && !diags.has_errors()) streams.out << ir::Dump(*result.program);
  if (options.dump_llvm && result.program && !diags.has_errors())
    streams.out << JitEngine::LlvmIr(*result.program);
  if (diags.has_errors()) return kExitPolicyError;
  if (options.jit && result.program) return CompileJit(*result.program, options, streams);
  return kExitOk;
}

}  // namespace aipol
