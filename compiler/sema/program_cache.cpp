#include "compiler/sema/program_cache.h"

#include <algorithm>

#include "compiler/ir/serialize.h"
#include "compiler/source/byte_io.h"
#include "compiler/source/source.h"
#include "runtime/cache_files.h"
#include "runtime/sha256.h"

namespace aipol {
namespace {

constexpr std::string_view kMagic = "aipol-program 1\n";
constexpr uint32_t kNotAModule = UINT32_MAX;

std::string EntryPath(const PolicyRequest& request, const std::string& cache_dir) {
  Sha256 hash;
  auto field = [&](std::string_view text) {
    hash.Update(text);
    hash.Update(std::string_view("\0", 1));
  };
  // Not the working directory: relative paths are checked again where the
  // run is (the observations), so one entry serves every directory, and
  // running in many directories does not grow the cache.
  field(kMagic);
  field(ExecutableIdentity());
  field(request.use_stdlib ? "stdlib" : "no stdlib");
  for (const std::string& policy : request.policies) field("policy:" + policy);
  for (const std::string& root : request.search_roots) field("root:" + root);
  return cache_dir + "/programs/" + hash.HexDigest();
}

// The magic, the checksum of the body, then the body: what loading
// observed, the policy's files, the counts and the program. A file that is
// a module's is written as the module's index (the program holds its text
// already).
std::string Entry(const std::vector<sema::FsObservation>& log, const SourceManager& sources,
                  const CheckResult& checked) {
  std::string body;
  ByteWriter w(body);
  w.PutVector(log, [&](const sema::FsObservation& seen) {
    w.PutEnum(seen.kind);
    w.PutString(seen.path);
    w.PutString(seen.answer);
  });
  const std::vector<ir::Module>& modules = checked.program->modules;
  w.PutCount(sources.size());
  for (FileId id = 0; id < sources.size(); ++id) {
    const SourceFile& file = sources.file(id);
    auto module = std::find_if(modules.begin(), modules.end(), [&](const ir::Module& m) {
      return m.file == file.path() && m.source == file.text();
    });
    w.Put(static_cast<uint32_t>(module == modules.end() ? kNotAModule : module - modules.begin()));
    if (module != modules.end()) continue;
    w.PutString(file.path());
    w.PutString(file.text());
  }
  w.Put(static_cast<uint64_t>(checked.module_count));
  w.Put(static_cast<uint64_t>(checked.declaration_count));
  ir::WriteProgram(*checked.program, body);
  std::string entry;
  ByteWriter header(entry);
  header.PutRaw(kMagic);
  header.Put(Checksum(body));
  return entry + body;
}

// The entry at `path` when it is whole and every observation still holds;
// `sources` is filled only then.
std::optional<CheckResult> Load(const std::string& path, SourceManager& sources) {
  std::string bytes;
  if (!ReadFile(path, &bytes)) return std::nullopt;
  ByteReader header(bytes);
  header.Match(kMagic);
  uint64_t checksum = header.Get<uint64_t>();
  if (!header.ok() || Checksum(header.rest()) != checksum) return std::nullopt;

  ByteReader r(header.rest());
  std::vector<sema::FsObservation> log;
  r.GetVector(log, 9, [&] {
    sema::FsObservation seen{};
    seen.kind = r.GetEnum(sema::FsObservation::Kind::Contents);
    seen.path = r.GetString();
    seen.answer = r.GetString();
    return seen;
  });
  if (!r.ok() || !sema::StillHolds(log)) return std::nullopt;

  // Each file: a module's index, or kNotAModule and its path and text.
  std::vector<std::pair<uint32_t, std::pair<std::string, std::string>>> files;
  r.GetVector(files, 4, [&] {
    std::pair<uint32_t, std::pair<std::string, std::string>> file;
    file.first = r.Get<uint32_t>();
    if (file.first == kNotAModule) file.second = {r.GetString(), r.GetString()};
    return file;
  });
  uint64_t modules = r.Get<uint64_t>(), declarations = r.Get<uint64_t>();
  if (!r.ok()) return std::nullopt;
  CheckResult result;
  result.program = ir::ReadProgram(r.rest());
  if (!result.program) return std::nullopt;
  result.module_count = modules;
  result.declaration_count = declarations;
  const std::vector<ir::Module>& program_modules = result.program->modules;
  for (const auto& [module, file] : files) {
    if (module != kNotAModule && module >= program_modules.size()) return std::nullopt;
  }
  for (auto& [module, file] : files) {
    if (module == kNotAModule) {
      sources.Add(std::move(file.first), std::move(file.second));
    } else {
      sources.Add(program_modules[module].file, program_modules[module].source);
    }
  }
  return result;
}

}  // namespace

CheckResult CheckWithCache(const PolicyRequest& request, SourceManager& sources, DiagnosticSink& diags,
                           const std::string& cache_dir, bool* hit) {
  if (hit) *hit = false;
  // Modules held in memory (the REPL) are not files the cache could check.
  bool cacheable =
      !cache_dir.empty() && request.in_memory.empty() && request.fs_log == nullptr && sources.size() == 0;
  if (!cacheable) return Check(request, sources, diags);
  std::string path = EntryPath(request, cache_dir);
  if (std::optional<CheckResult> cached = Load(path, sources)) {
    if (hit) *hit = true;
    return std::move(*cached);
  }
  std::vector<sema::FsObservation> log;
  PolicyRequest observed = request;
  observed.fs_log = &log;
  auto reported = [&] { return diags.diagnostics().size() + diags.error_count() + diags.warning_count(); };
  size_t before = reported();
  CheckResult checked = Check(observed, sources, diags);
  if (checked.program && reported() == before) {
    WriteFileAtomically(path, Entry(log, sources, checked));
  }
  return checked;
}

}  // namespace aipol
