// A Results reused from evaluation to evaluation, as batch workers reuse
// theirs: the JIT resets only the statuses its note says it set
// (Results::statuses_set) and reads facts into the Values already there, so
// a status, its dates, its evidence or any field of a fact must never
// survive from one descriptor, or one engine, to the next.
#include <filesystem>

#include "compiler/jit/jit.h"
#include "tests/unit/policy_helpers.h"

namespace aipol::testing {
namespace {

// Two policies with as many statuses, whose blanks differ: `task` declares
// `from` in the first and `until` in the second.
constexpr std::string_view kInput = R"pol(
enum St { met, partial, not_started }
record Ev { status: St required  reviewed: date  ref: string }
record Sys {
  id: string required
  a: bool
  b: bool
  evidence: map<string, Ev>
}
input sys: Sys
)pol";

std::string PolicyText(const char* module, const char* task_dates) {
  return std::string("module ") + module + "\n" + std::string(kInput) +
         "prohibition banned \"Banned\" cite \"Art. 5\" when sys.a\n"
         "obligation task \"Task\" cite \"Art. 9\" " +
         task_dates +
         " when sys.b\n"
         "obligation other \"Other\" cite \"Art. 10\" when sys.a and sys.b\n"
         // `gate` false: the entry point computes it for `gated`, skips
         // `skipped` by its guard, and `after` then computes `skipped`.
         "rule gate \"Gate\" cite \"Art. 12\" when sys.a\n"
         "obligation gated \"Gated\" cite \"Art. 13\" when gate\n"
         "obligation skipped \"Skipped\" cite \"Art. 14\" when gate and sys.b\n"
         "obligation after \"After\" cite \"Art. 15\" when not skipped\n"
         "report def flagged: bool = sys.a\n"
         "report def label: string = sys.id\n"
         "report def tags: list<string> = (if sys.a then [\"a\"] else []) + (if sys.b then [\"b\"] else [])\n"
         "report def weight: int = if sys.b then 2 else 1\n"
         "report rule plain \"Plain\" cite \"Art. 11\" when sys.a\n"
         "report def either: bool = sys.a or sys.b or not sys.a\n";
}

// Every field of a fact, so that one left over from an earlier value shows.
std::string DescribeValue(const Value& v) {
  std::string out = "kind=" + std::to_string(static_cast<int>(v.kind)) + " type=" + std::to_string(v.type) +
                    " i=" + std::to_string(v.i) + " d=" + std::to_string(v.d) +
                    " mask=" + std::to_string(v.mask) + " s=" + v.s + " block=" + (v.block ? "set" : "null") +
                    " path=" + v.path + " items=[";
  for (const Value& item : v.items) out += DescribeValue(item) + ", ";
  out += "] keys=[";
  for (const std::string& k : v.keys) out += k + ", ";
  out += "] missing=[";
  for (const std::string& m : v.missing) out += m + ", ";
  return out + "]";
}

// Everything a status says, for comparisons that print it in full. Not the
// JSON report, which the engines are compared on elsewhere: it leaves out
// statuses that do not apply, whose declared dates a stale note would get
// wrong.
std::string Describe(const Results& r) {
  std::string out;
  for (const std::vector<StatusResult>* list : {&r.prohibitions, &r.obligations}) {
    for (const StatusResult& s : *list) {
      out += std::string(StatusName(s.status)) + (s.from_declared ? " from" : "") +
             (s.from ? "=" + std::to_string(*s.from) : "") + (s.until_declared ? " until" : "") +
             (s.until ? "=" + std::to_string(*s.until) : "");
      if (s.evidence) out += " evidence=" + s.evidence->status + "/" + s.evidence->ref.value_or("-");
      out += "; ";
    }
  }
  for (const Value& fact : r.facts) out += "fact " + DescribeValue(fact) + "; ";
  for (const std::string& m : r.missing) out += "missing " + m + "; ";
  return out;
}

struct Engines {
  CompiledPolicy policy;
  std::unique_ptr<JitEngine> jit;
  explicit Engines(const std::string& text, const std::filesystem::path& cache)
      : policy(CompilePolicy(text)) {
    JitOptions options;
    options.cache_dir = cache.string();
    std::string error;
    jit = JitEngine::Compile(*policy, options, &error);
    INFO(error);
    REQUIRE(jit);
  }
  EvalRequest Request(std::string_view json, Arena& arena) const {
    RowLoader loader(*policy);
    LoadedRow row = loader.Load(json, arena, false);
    INFO(Messages(row));
    REQUIRE(row.ok());
    return EvalRequest{row.row, 20600, &policy.params};  // 2026-05-27
  }
};

TEST_CASE("a reused Results holds only the last evaluation's statuses", "[jit][results]") {
  std::filesystem::path cache =
      std::filesystem::temp_directory_path() / ("aipol_jit_results_" + std::to_string(::getpid()));
  Engines first(PolicyText("first", "from 2025-01-01"), cache);
  Engines second(PolicyText("second", "until 2030-01-01"), cache);
  const std::string descriptors[] = {
      R"({"id": "all", "a": true, "b": true, "evidence": {"Art. 9": {"status": "met", "ref": "R-1"}}})",
      R"({"id": "none", "a": false, "b": false})",
      R"({"id": "unknown"})",
      R"({"id": "task", "b": true, "evidence": {"Art. 9": {"status": "partial"}}})",
      R"({"id": "task-no-evidence", "a": false, "b": true})",
  };
  // Every pair of (engine, descriptor) after every other, into one Results:
  // each must equal a fresh evaluation and the interpreter's.
  Results reused;
  for (const Engines* before : {&first, &second}) {
    for (const std::string& earlier : descriptors) {
      for (const Engines* engine : {&first, &second}) {
        for (const std::string& json : descriptors) {
          Arena arena;
          before->jit->EvaluateInto(before->Request(earlier, arena), reused);
          EvalRequest request = engine->Request(json, arena);
          engine->jit->EvaluateInto(request, reused);
          INFO("after " << earlier << (before == engine ? " (same engine)" : " (other engine)") << ": "
                        << json);
          CHECK(Describe(reused) == Describe(engine->jit->Evaluate(request)));
          CHECK(Describe(reused) == Describe(Interpreter(*engine->policy).Evaluate(request)));
        }
      }
    }
  }
  std::filesystem::remove_all(cache);
}

// The JIT keeps the params it converted while a request brings the same
// values (Context::SameParams): values changed in place in the same vector
// must be seen, down to the sign of a zero.
TEST_CASE("params changed in place between evaluations are seen", "[jit][results]") {
  std::filesystem::path cache =
      std::filesystem::temp_directory_path() / ("aipol_jit_params_" + std::to_string(::getpid()));
  Engines engines(
      "module params\n"
      "record Sys { id: string required }\n"
      "input sys: Sys\n"
      "param age: duration = 6 months\n"
      "param scale: number = 1.0\n"
      "report def age_text: duration = age\n"
      "report def inverse: number = 1.0 / scale\n",
      cache);
  Arena arena;
  EvalRequest request = engines.Request(R"({"id": "one"})", arena);
  std::vector<Value> params = engines.policy.params;
  request.params = &params;
  Results reused;
  auto check = [&] {
    engines.jit->EvaluateInto(request, reused);
    CHECK(Describe(reused) == Describe(Interpreter(*engines.policy).Evaluate(request)));
  };
  check();
  params[0].duration.count = 7;  // same vector, new value
  check();
  params[1].d = -2.0;
  check();
  params[1].d = 0.0;  // 1.0 / 0.0: a runtime error
  check();
  engines.jit->EvaluateInto(request, reused);
  CHECK(reused.error.has_value());
  params[1].d = 4.0;
  check();
  std::filesystem::remove_all(cache);
}

}  // namespace
}  // namespace aipol::testing
