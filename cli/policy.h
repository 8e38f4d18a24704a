// Loading and checking the policy a command evaluates, with `--set` and
// `--as-of` applied. Shared by eval, batch and test.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <optional>
#include <vector>

#include "cli/driver.h"
#include "cli/options.h"
#include "compiler/ir/ir.h"
#include "runtime/engine.h"
#include "runtime/report.h"
#include "runtime/value.h"

namespace aipol {

struct LoadedPolicy {
  std::unique_ptr<SourceManager> sources;
  std::unique_ptr<ir::Program> program;
  std::vector<Value> params;  // effective values, by param id
  int32_t as_of = 0;
  PolicyInfo info;
  // How long loading and checking took, and whether the checked program
  // came from the program cache (`batch --stats`).
  double check_seconds = 0;
  bool from_cache = false;
  // `file:line:col` of a source range, for runtime errors.
  std::string Locate(SourceRange range) const;
};

// Prints diagnostics to `streams.err`; returns nullopt on any error.
// `need_input`: the command evaluates descriptors, so the policy needs an
// `input` declaration.
std::optional<LoadedPolicy> LoadPolicy(const Options& options, Streams& streams, const char* command,
                                       bool need_input);

// The engine `--engine` names: `interp`, `jit`, or `auto` (the JIT when
// about `records` descriptors repay compiling it, or loading it from the
// cache; `input_bytes` of them decide when a large one is optimised). Null
// after printing why.
// From this much input `auto` compiles the JIT without counting records.
inline constexpr uint64_t kCompileFromBytes = uint64_t{16} << 20;
std::unique_ptr<Engine> MakeEngine(const std::string& choice, const ir::Program& program, uint64_t records,
                                   uint64_t input_bytes, Streams& streams, double* compile_seconds);

// Reads a descriptor file, or stdin for `-` (`eval`, `explain`). False when
// it cannot be read (a directory, no such file). At most kMaxDescriptorBytes + 1
// bytes are kept: the loader reports a longer descriptor without reading it.
bool ReadDescriptor(const std::string& path, std::istream& in, std::string* text);

// Today's date (UTC) as a day number.
int32_t TodayUtc();

}  // namespace aipol
