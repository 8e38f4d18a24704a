// The JIT's object cache: the side tables round-trip through their file
// format, a second compile of the same policy is a hit that evaluates like
// the first, and a damaged entry is a miss that compiles afresh.
#include <filesystem>
#include <fstream>
#include <regex>

#include "compiler/jit/jit.h"
#include "compiler/jit/tables_io.h"
#include "tests/unit/policy_helpers.h"

namespace aipol::testing {
namespace {

jit::Tables SampleTables() {
  jit::Tables tables;
  tables.PathId("");
  tables.PathId("system.name");
  tables.PathId("evidence[\"art_9\"]");
  jit::DelegatedOp op;
  op.expr = ir::Expr(ir::Op::MakeRecord, 7, SourceRange{1, 10, 20});
  op.expr.index = 3;
  op.expr.operand_type = 2;
  op.expr.constant.integer = -5;
  op.expr.constant.number = 2.5;
  op.expr.constant.string = "caf\xc3\xa9";
  op.expr.constant.duration = {6, ir::DurationUnit::Months};
  op.expr.text = "field";
  op.expr.keys = {"a", "", "c"};
  op.expr.operands.push_back(std::make_unique<ir::Expr>(ir::Op::Local, 4, SourceRange{1, 11, 12}));
  op.expr.operands.push_back(nullptr);
  op.expr.operands.push_back(std::make_unique<ir::Expr>(ir::Op::Local, 5, SourceRange{1, 13, 14}));
  op.expr.operands[2]->index = 1;
  op.operand_types = {4, 5};
  tables.ops.push_back(std::move(op));
  tables.sites.push_back({"IntegerOverflow", "integer overflow", SourceRange{2, 0, 9}});
  return tables;
}

TEST_CASE("the JIT's side tables round-trip through their file format", "[jit][cache]") {
  jit::Tables tables = SampleTables();
  std::string bytes = jit::WriteTables(tables);
  std::optional<jit::Tables> read = jit::ReadTables(bytes);
  REQUIRE(read);
  CHECK(read->paths == tables.paths);
  CHECK(read->path_ids == tables.path_ids);
  REQUIRE(read->ops.size() == 1);
  const ir::Expr& e = read->ops[0].expr;
  CHECK(e.op == ir::Op::MakeRecord);
  CHECK(e.type == 7);
  CHECK(e.range.begin == 10);
  CHECK(e.constant.string == "caf\xc3\xa9");
  CHECK(e.constant.duration == ir::Duration{6, ir::DurationUnit::Months});
  CHECK(e.keys == std::vector<std::string>{"a", "", "c"});
  REQUIRE(e.operands.size() == 3);
  CHECK(e.operands[1] == nullptr);
  CHECK(e.operands[2]->op == ir::Op::Local);
  CHECK(e.operands[2]->index == 1);
  CHECK(read->ops[0].operand_types == std::vector<ir::TypeId>{4, 5});
  REQUIRE(read->sites.size() == 1);
  CHECK(read->sites[0].kind == "IntegerOverflow");
  CHECK(read->sites[0].range.file == 2);
  CHECK(jit::WriteTables(*read) == bytes);  // nothing lost
  // Any cut-short file, a longer one, or another format is refused.
  for (size_t size = 0; size < bytes.size(); ++size) CHECK_FALSE(jit::ReadTables(bytes.substr(0, size)));
  CHECK_FALSE(jit::ReadTables(bytes + "x"));
  CHECK_FALSE(jit::ReadTables("aipol-jit-tables 0\n" + bytes.substr(19)));
  // An op code or a duration unit no build writes is refused, not trusted.
  // (The first op's code follows the magic and the paths.)
  size_t op_code = 19 + 4 + 3 * 4 + std::string_view("system.name").size() +
                   std::string_view("evidence[\"art_9\"]").size() + 4;
  REQUIRE(static_cast<uint8_t>(bytes[op_code]) == static_cast<uint8_t>(ir::Op::MakeRecord));
  std::string bad_op = bytes;
  bad_op[op_code] = static_cast<char>(static_cast<uint8_t>(ir::kLastOp) + 1);
  CHECK_FALSE(jit::ReadTables(bad_op));
  size_t unit = op_code + 1 + 4 + 12 + 4 + 4 + 8 + 8 + 4 + std::string_view("caf\xc3\xa9").size() + 8;
  REQUIRE(static_cast<uint8_t>(bytes[unit]) == static_cast<uint8_t>(ir::DurationUnit::Months));
  std::string bad_unit = bytes;
  bad_unit[unit] = 3;
  CHECK_FALSE(jit::ReadTables(bad_unit));
}

struct CacheDir {
  std::filesystem::path path =
      std::filesystem::temp_directory_path() / ("aipol_jit_cache_test_" + std::to_string(::getpid()));
  CacheDir() { std::filesystem::remove_all(path); }
  ~CacheDir() { std::filesystem::remove_all(path); }
  std::filesystem::path File(const std::string& extension) const {
    for (const auto& entry : std::filesystem::directory_iterator(path)) {
      if (entry.path().extension() == extension) return entry.path();
    }
    return {};
  }
};

constexpr std::string_view kPolicy = R"pol(module cached

record System {
  id: string required
  name: string
  users: int
}
input system: System

report def names: list<string> = [system.id] + [system.name, "x"]
report def many: bool = system.users > 1000
report def doubled: int = system.users * 2
)pol";

constexpr std::string_view kSystem = R"({"id": "s1", "name": "Ranker", "users": 5000})";
constexpr std::string_view kOverflow = R"({"id": "s2", "users": 9223372036854775807})";

// A descriptor loaded as the policy's input, and a request for it.
struct Loaded {
  Arena arena;
  EvalRequest request;
  Loaded(const CompiledPolicy& policy, std::string_view json) {
    RowLoader loader(*policy);
    LoadedRow row = loader.Load(json, arena, false);
    REQUIRE(row.ok());
    request.row = row.row;
    request.params = &policy.params;
    request.as_of = 20000;
  }
};

std::string Facts(const JitEngine& engine, const CompiledPolicy& policy, std::string_view json) {
  Loaded loaded(policy, json);
  Results results = engine.Evaluate(loaded.request);
  std::string out = results.error ? "error: " + results.error->message : "";
  for (const Value& fact : results.facts) out += ValueToLiteral(fact, policy->types) + "; ";
  return out;
}

TEST_CASE("a second compile is a cache hit; a damaged entry compiles afresh", "[jit][cache]") {
  CompiledPolicy policy = CompilePolicy(std::string(kPolicy));
  CacheDir cache;
  JitOptions options;
  options.cache_dir = cache.path.string();
  // One module, or several compiled in parallel (more than there are
  // functions: some modules define none) and stored as several objects.
  options.compile_threads = GENERATE(1, 2, 7);
  std::string error;

  std::unique_ptr<JitEngine> fresh = JitEngine::Compile(*policy, options, &error);
  REQUIRE(fresh);
  CHECK_FALSE(fresh->loaded_from_cache());
  std::string expected = Facts(*fresh, policy, kSystem);
  CHECK(expected == R"(["s1", "Ranker", "x"]; true; 10000; )");
  std::string overflow = Facts(*fresh, policy, kOverflow);
  CHECK(overflow.rfind("error: integer overflow", 0) == 0);

  std::unique_ptr<JitEngine> hit = JitEngine::Compile(*policy, options, &error);
  REQUIRE(hit);
  CHECK(hit->loaded_from_cache());
  CHECK(Facts(*hit, policy, kSystem) == expected);
  CHECK(Facts(*hit, policy, kOverflow) == overflow);  // error sites come from the tables

  SECTION("tables cut short") { std::filesystem::resize_file(cache.File(".tables"), 40); }
  SECTION("an object that is not the one compiled") {
    std::ofstream(cache.File(".objects"), std::ios::binary | std::ios::trunc) << "not an object";
  }
  SECTION("no tables") { std::filesystem::remove(cache.File(".tables")); }
  std::unique_ptr<JitEngine> again = JitEngine::Compile(*policy, options, &error);
  REQUIRE(again);
  CHECK_FALSE(again->loaded_from_cache());
  CHECK(Facts(*again, policy, kSystem) == expected);
  std::unique_ptr<JitEngine> repaired = JitEngine::Compile(*policy, options, &error);
  REQUIRE(repaired);
  CHECK(repaired->loaded_from_cache());
}

TEST_CASE("tests' expectations are compiled only when asked for, under a key of their own", "[jit][cache]") {
  CompiledPolicy policy = CompilePolicy(std::string(kPolicy) + R"pol(
test "many users" {
  given system = {id: "t", users: 5000}
  as_of 2024-10-04
  expect many
}
)pol");
  CacheDir cache;
  JitOptions options;
  options.cache_dir = cache.path.string();
  std::string error;
  Loaded loaded(policy, R"({"id": "t", "users": 5000})");
  const EvalRequest& request = loaded.request;
  std::optional<RuntimeError> failure;

  std::unique_ptr<JitEngine> plain = JitEngine::Compile(*policy, options, &error);
  REQUIRE(plain);
  plain->EvaluateExpect(0, 0, request, &failure);
  REQUIRE(failure);
  CHECK(failure->kind == "Internal");

  options.tests = true;
  std::unique_ptr<JitEngine> with_tests = JitEngine::Compile(*policy, options, &error);
  REQUIRE(with_tests);
  CHECK_FALSE(with_tests->loaded_from_cache());  // not the entry compiled without tests
  Value many = with_tests->EvaluateExpect(0, 0, request, &failure);
  CHECK_FALSE(failure);
  CHECK(ValueToLiteral(many, policy->types) == "true");
  std::unique_ptr<JitEngine> hit = JitEngine::Compile(*policy, options, &error);
  REQUIRE(hit);
  CHECK(hit->loaded_from_cache());
  CHECK(ValueToLiteral(hit->EvaluateExpect(0, 0, request, &failure), policy->types) == "true");
}

TEST_CASE("the optimised tier gives the same results, and later compiles load it from the cache",
          "[jit][cache]") {
  CompiledPolicy policy = CompilePolicy(std::string(kPolicy));
  CacheDir cache;
  JitOptions options;
  options.cache_dir = cache.path.string();
  std::string error;

  std::unique_ptr<JitEngine> jit = JitEngine::Compile(*policy, options, &error);
  REQUIRE(jit);
  CHECK_FALSE(jit->optimised());
  std::string fast = Facts(*jit, policy, kSystem);
  std::string fast_overflow = Facts(*jit, policy, kOverflow);
  jit->OptimiseInBackground();
  CHECK(jit->WaitUntilOptimised());
  CHECK(jit->optimised());
  CHECK(Facts(*jit, policy, kSystem) == fast);
  CHECK(Facts(*jit, policy, kOverflow) == fast_overflow);

  std::unique_ptr<JitEngine> later = JitEngine::Compile(*policy, options, &error);
  REQUIRE(later);
  CHECK(later->loaded_from_cache());
  CHECK(later->optimised());
  CHECK(Facts(*later, policy, kSystem) == fast);
  later->OptimiseInBackground();  // nothing to do
  CHECK(later->WaitUntilOptimised());
}

TEST_CASE("an engine destroyed while its optimised tier compiles stops it", "[jit]") {
  CompiledPolicy policy = CompilePolicy(std::string(kPolicy));
  JitOptions options;
  options.use_cache = false;
  std::string error;
  std::unique_ptr<JitEngine> jit = JitEngine::Compile(*policy, options, &error);
  REQUIRE(jit);
  jit->OptimiseInBackground();
  CHECK(Facts(*jit, policy, R"({"id": "s1", "users": 1})") == R"(["s1", unknown, "x"]; false; 2; )");
  jit.reset();  // must join, not crash
}

TEST_CASE("AIPOL_JIT_PERF_MAP names the linked functions for perf", "[jit]") {
  CompiledPolicy policy = CompilePolicy(std::string(kPolicy));
  std::filesystem::path map = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
  std::filesystem::remove(map);
  ::setenv("AIPOL_JIT_PERF_MAP", "1", 1);
  JitOptions options;
  options.use_cache = false;
  std::string error;
  std::unique_ptr<JitEngine> jit = JitEngine::Compile(*policy, options, &error);
  ::unsetenv("AIPOL_JIT_PERF_MAP");
  REQUIRE(jit);
  std::ifstream in(map);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::filesystem::remove(map);
  // "ADDRESS SIZE NAME" in hex, one line per function.
  CHECK(std::regex_search(text, std::regex("(^|\\n)[0-9a-f]+ [0-9a-f]+ aipol_policy_evaluate\\n")));
  CHECK(std::regex_search(text, std::regex("(^|\\n)[0-9a-f]+ [0-9a-f]+ decl_0\\n")));
}

}  // namespace
}  // namespace aipol::testing
