// libFuzzer target: the interpreter and the JIT over fuzzed descriptors of
// the standard library `aiact`; their reports (AppendReportJson) must be
// byte-identical.
//
// The JIT is compiled once per process (no object cache). Each descriptor
// that loads is evaluated at 2026-11-28 and at one more date picked from the
// input's bytes (between 2023 and 2032, now and then 0001-01-01 or
// 9999-12-31), with the default params and with `law_version =
// original_2024, evidence_max_age = 6 months`. A difference prints both
// reports and aborts; so does a crash or a sanitizer report.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "compiler/jit/jit.h"
#include "compiler/sema/literal.h"
#include "fuzz_common.h"
#include "runtime/date.h"
#include "runtime/loader.h"
#include "runtime/row.h"

namespace {

using namespace aipol;

struct Engines {
  const fuzz::Stdlib& stdlib;
  Interpreter interp;
  std::unique_ptr<JitEngine> jit;
  std::vector<Value> other_params;  // law_version = original_2024, evidence_max_age = 6 months
  PolicyInfo other_info;

  explicit Engines(const fuzz::Stdlib& s) : stdlib(s), interp(*s.program) {
    JitOptions options;
    options.use_cache = false;
    std::string error;
    jit = JitEngine::Compile(*s.program, options, &error);
    if (!jit) {
      std::fprintf(stderr, "fuzz: the JIT cannot compile the standard library: %s\n", error.c_str());
      std::abort();
    }
    other_params = s.params;
    const ir::Program& program = *s.program;
    for (uint32_t p = 0; p < program.params.size(); ++p) {
      const std::string& name = program.params[p].name;
      std::string text = name == "law_version"        ? "original_2024"
                         : name == "evidence_max_age" ? "6 months"
                                                      : "";
      if (text.empty()) continue;
      std::string literal_error;
      ir::ExprPtr expr = ParseLiteral(program.types, program.params[p].type, text, "param", &literal_error);
      if (!expr) {
        std::fprintf(stderr, "fuzz: bad param literal %s: %s\n", text.c_str(), literal_error.c_str());
        std::abort();
      }
      std::optional<RuntimeError> runtime_error;
      other_params[p] = interp.EvaluateExpr(*expr, 0, {}, &runtime_error);
    }
    other_info = PolicyInfo::From(program, other_params);
  }
};

std::string ReportOf(const fuzz::Stdlib& stdlib, const PolicyInfo& info, int32_t as_of, const LoadedRow& row,
                     const Results& results) {
  ReportInput report{
      *stdlib.program, info,       as_of,    RecordSource{"fuzz.json", 1, 0},
      row.id,          row.issues, &results, [&](SourceRange range) { return stdlib.Locate(range); }};
  std::string json;
  AppendReportJson(json, report);
  return json;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static Engines engines(fuzz::GetStdlib());
  static RowLoader loader(*engines.stdlib.program);
  static Arena arena;
  static const int32_t kFixed = DaysFromCivil({2026, 11, 28});
  static const int32_t kFirst = DaysFromCivil({2023, 1, 1}), kLast = DaysFromCivil({2032, 12, 31});
  arena.Reset();
  LoadedRow row = loader.Load(std::string_view(reinterpret_cast<const char*>(data), size), arena, false);
  if (!row.ok()) return 0;

  uint64_t hash = 1469598103934665603ULL;  // FNV-1a of the input picks the second date
  for (size_t k = 0; k < size; ++k) hash = (hash ^ data[k]) * 1099511628211ULL;
  int32_t picked = hash % 50 == 0 ? kMinDateDays
                   : hash % 50 == 1
                       ? kMaxDateDays
                       : kFirst + static_cast<int32_t>((hash >> 8) % uint64_t(kLast - kFirst + 1));

  for (int32_t as_of : {kFixed, picked}) {
    for (bool other : {false, true}) {
      const std::vector<Value>& params = other ? engines.other_params : engines.stdlib.params;
      const PolicyInfo& info = other ? engines.other_info : engines.stdlib.info;
      EvalRequest request{row.row, as_of, &params};
      std::string by_interp = ReportOf(engines.stdlib, info, as_of, row, engines.interp.Evaluate(request));
      // Into one Results reused from input to input, as a batch worker does.
      static Results reused;
      engines.jit->EvaluateInto(request, reused);
      std::string by_jit = ReportOf(engines.stdlib, info, as_of, row, reused);
      if (by_interp != by_jit) {
        std::fprintf(stderr, "fuzz: the engines differ at as_of %s, %s params\n-- interp:\n%s\n-- jit:\n%s\n",
                     FormatDate(as_of).c_str(), other ? "other" : "default", by_interp.c_str(),
                     by_jit.c_str());
        std::abort();
      }
      fuzz::CheckReportJson(by_interp);
    }
  }
  return 0;
}
