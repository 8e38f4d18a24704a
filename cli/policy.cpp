#include "cli/policy.h"

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <ostream>
#include <vector>

#include "compiler/interp/interp.h"
#include "compiler/jit/jit.h"
#include "compiler/sema/check.h"
#include "compiler/sema/literal.h"
#include "compiler/sema/program_cache.h"
#include "runtime/cache_files.h"
#include "runtime/date.h"
#include "runtime/limits.h"

namespace aipol {

std::unique_ptr<Engine> MakeEngine(const std::string& choice, const ir::Program& program, uint64_t records,
                                   uint64_t input_bytes, Streams& streams, double* compile_seconds) {
  *compile_seconds = 0;
  // `auto`: the JIT where it repays its start-up (bench/RESULTS.md), by the
  // number of descriptors rather than their bytes: it saves about 35 us a
  // full descriptor (about 2 KB) and 200 us a sparse one (most facts
  // absent, 60 bytes). From the cache (about 5 ms) from 250 descriptors,
  // where it breaks even on full ones; compiling (0.15-0.2 s) from 8,000,
  // or from kCompileFromBytes of input, whatever their number.
  bool jit_pays = input_bytes >= kCompileFromBytes || records >= 8000 ||
                  (records >= 250 && JitEngine::IsCached(program, JitOptions{}));
  if (choice == "interp" || (choice == "auto" && !jit_pays)) return std::make_unique<Interpreter>(program);
  std::string error;
  std::unique_ptr<JitEngine> jit = JitEngine::Compile(program, JitOptions{}, &error);
  if (!jit) {
    streams.err << "aipol: " << error << "\n";
    return nullptr;
  }
  *compile_seconds = jit->compile_seconds();
  // The optimised tier (about a quarter faster; about 1 s of CPU for the
  // standard library on a thread of its own) where the run outlasts its
  // compile, or the compile is cancelled at the end and thrown away: from
  // 1 GiB (about 500,000 records, 2.5 s of evaluation on one thread; at
  // 10^5 records, 200 MB, it was never ready: bench/RESULTS.md). It is kept
  // in the cache, so later runs load it at once.
  constexpr uint64_t kOptimiseFrom = uint64_t{1} << 30;
  if (input_bytes >= kOptimiseFrom) jit->OptimiseInBackground();
  return jit;
}

// Keeps at most one byte more than the loader's limit (kMaxDescriptorBytes):
// a longer descriptor is reported as such without being held in memory.
bool ReadDescriptor(const std::string& path, std::istream& in, std::string* text) {
  std::ifstream file;
  std::istream* stream = &in;
  if (path != "-") {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) return false;
    file.open(path, std::ios::binary);
    if (!file) return false;
    stream = &file;
  }
  text->clear();
  std::vector<char> chunk(1 << 16);
  while (true) {
    stream->read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
    size_t got = static_cast<size_t>(stream->gcount());
    if (text->size() <= kMaxDescriptorBytes) {
      text->append(chunk.data(), std::min(got, kMaxDescriptorBytes + 1 - text->size()));
    }
    if (got < chunk.size()) break;
  }
  return !stream->bad();
}

int32_t TodayUtc() { return static_cast<int32_t>(std::time(nullptr) / 86400); }

std::string LoadedPolicy::Locate(SourceRange range) const {
  if (!range.valid()) return "?";
  const SourceFile& file = sources->file(range.file);
  LineColumn at = file.Position(range.begin);
  return file.path() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
}

std::optional<LoadedPolicy> LoadPolicy(const Options& options, Streams& streams, const char* command,
                                       bool need_input) {
  LoadedPolicy policy;
  policy.sources = std::make_unique<SourceManager>();
  PolicyRequest request;
  request.policies = options.policies;
  if (request.policies.empty()) request.policies.push_back("aiact");
  request.search_roots = options.search_roots;
  DiagnosticSink diags(options.max_errors);
  auto start = std::chrono::steady_clock::now();
  CheckResult checked =
      CheckWithCache(request, *policy.sources, diags, DefaultCacheDir(), &policy.from_cache);
  policy.check_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  if (options.werror) diags.PromoteWarnings();
  diags.SortByLocation();
  RenderOptions render;
  render.color = streams.err_is_terminal && !options.no_color && std::getenv("NO_COLOR") == nullptr;
  RenderText(*policy.sources, diags.diagnostics(), render, streams.err);
  if (!checked.program || diags.has_errors()) return std::nullopt;
  policy.program = std::move(checked.program);
  if (need_input && !policy.program->input) {
    streams.err << "aipol " << command
                << ": the policy declares no `input`, so there is nothing to evaluate\n";
    return std::nullopt;
  }

  policy.params = Interpreter::DefaultParams(*policy.program);
  for (const auto& [name, text] : options.sets) {
    std::optional<uint32_t> id;
    for (uint32_t p = 0; p < policy.program->params.size(); ++p) {
      const ir::Param& param = policy.program->params[p];
      if (param.name == name || param.module + "." + param.name == name) id = p;
    }
    if (!id) {
      streams.err << "aipol " << command << ": `--set " << name << "`: the policy has no param `" << name
                  << "`\n";
      return std::nullopt;
    }
    std::string error;
    const ir::Param& param = policy.program->params[*id];
    ir::ExprPtr value = ParseLiteral(policy.program->types, param.type, text, "--set " + name, &error);
    if (!value) {
      streams.err << error;
      return std::nullopt;
    }
    std::optional<RuntimeError> runtime_error;
    policy.params[*id] = Interpreter(*policy.program).EvaluateExpr(*value, 0, {}, &runtime_error);
  }

  policy.as_of = TodayUtc();
  if (!options.as_of.empty()) {
    std::optional<int32_t> day = ParseDate(options.as_of);
    if (!day) {
      streams.err << "aipol " << command << ": `--as-of " << options.as_of
                  << "` is not a date (YYYY-MM-DD)\n";
      return std::nullopt;
    }
    policy.as_of = *day;
  }
  policy.info = PolicyInfo::From(*policy.program, policy.params);
  return policy;
}

}  // namespace aipol
