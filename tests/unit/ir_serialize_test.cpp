// The binary form of ir::Program (compiler/ir/serialize.h): the standard
// library and every golden policy that checks round-trip in every member, and
// malformed bytes (truncated, flipped, with trailing garbage, nested too
// deep) give null without crashing.
#include "compiler/ir/serialize.h"

#include <algorithm>
#include <bit>
#include <catch2/catch.hpp>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <limits>
#include <string>
#include <vector>

#include "policy_helpers.h"

namespace aipol {
namespace {

using ir::Expr;
using ir::ExprPtr;
using ir::Op;
using ir::Program;
using ir::TypeTable;
using testing::CheckRequest;
using testing::CompiledPolicy;

std::string Write(const Program& program) {
  std::string bytes;
  ir::WriteProgram(program, bytes);
  return bytes;
}

// The first member in which two programs differ, as a path such as
// `decls[3].when.operands[1].range`, or "" when they are equal in every
// member (numbers bit for bit). Covers what ir::Dump does not show: docs,
// citations, titles, texts, ranges, module sources, the layout.
class Differ {
 public:
  std::string Programs(const Program& a, const Program& b) {
    Types(a.types, b.types);
    Vectors("modules", a.modules, b.modules, [&](const ir::Module& x, const ir::Module& y) {
      Eq("path", x.path, y.path);
      Eq("file", x.file, y.file);
      Eq("source", x.source, y.source);
      Eq("requested", x.requested, y.requested);
    });
    Same("input", a.input.has_value() == b.input.has_value());
    if (a.input && b.input) {
      Eq("input.name", a.input->name, b.input->name);
      Eq("input.record", a.input->record, b.input->record);
      Eq("input.type", a.input->type, b.input->type);
    }
    Layouts(a.layout, b.layout);
    Eq("map_keys", a.map_keys, b.map_keys);
    Vectors("params", a.params, b.params, [&](const ir::Param& x, const ir::Param& y) {
      Eq("module", x.module, y.module);
      Eq("name", x.name, y.name);
      Range("range", x.range, y.range);
      Eq("doc", x.doc, y.doc);
      Eq("type", x.type, y.type);
      Exprs("default_value", x.default_value, y.default_value);
    });
    Vectors("functions", a.functions, b.functions, [&](const ir::Function& x, const ir::Function& y) {
      Eq("module", x.module, y.module);
      Eq("name", x.name, y.name);
      Range("range", x.range, y.range);
      Eq("doc", x.doc, y.doc);
      Vectors("params", x.params, y.params, [&](const ir::FunctionParam& p, const ir::FunctionParam& q) {
        Eq("name", p.name, q.name);
        Eq("type", p.type, q.type);
      });
      Eq("result", x.result, y.result);
      Exprs("body", x.body, y.body);
      Eq("locals", x.locals, y.locals);
    });
    Vectors("decls", a.decls, b.decls, [&](const ir::Decl& x, const ir::Decl& y) { Decls(x, y); });
    Eq("reports", a.reports, b.reports);
    Eq("obligations", a.obligations, b.obligations);
    Eq("prohibitions", a.prohibitions, b.prohibitions);
    Eq("role_enum", a.role_enum, b.role_enum);
    Eq("evidence_max_age", a.evidence_max_age, b.evidence_max_age);
    Vectors("tests", a.tests, b.tests, [&](const ir::Test& x, const ir::Test& y) { Tests(x, y); });
    return diff_;
  }

 private:
  // Records `name`, under the current path, as the first difference unless `same`.
  void Same(std::string_view name, bool same) {
    if (!same && diff_.empty()) diff_ = path_ + std::string(name);
  }
  template <typename T>
  void Eq(std::string_view name, const T& a, const T& b) {
    Same(name, a == b);
  }
  void Range(std::string_view name, SourceRange a, SourceRange b) {
    Same(name, a.file == b.file && a.begin == b.begin && a.end == b.end);
  }
  // Runs `compare` with `part` added to the path (not after a difference: the first one is kept).
  template <typename Compare>
  void In(const std::string& part, Compare compare) {
    if (!diff_.empty()) return;
    size_t size = path_.size();
    path_ += part + ".";
    compare();
    path_.resize(size);
  }
  template <typename T, typename Compare>
  void Vectors(const std::string& name, const std::vector<T>& a, const std::vector<T>& b, Compare compare) {
    Same(name + ".size", a.size() == b.size());
    for (size_t i = 0; i < a.size() && i < b.size() && diff_.empty(); ++i)
      In(name + "[" + std::to_string(i) + "]", [&] { compare(a[i], b[i]); });
  }

  void Types(const TypeTable& a, const TypeTable& b) {
    Vectors("types.interned", a.interned(), b.interned(), [&](const ir::Type& x, const ir::Type& y) {
      Eq("kind", x.kind, y.kind);
      Eq("index", x.index, y.index);
      Eq("element", x.element, y.element);
    });
    Vectors("types.enums", a.enums, b.enums, [&](const ir::EnumInfo& x, const ir::EnumInfo& y) {
      Eq("module", x.module, y.module);
      Eq("name", x.name, y.name);
      Eq("members", x.members, y.members);
    });
    Vectors("types.records", a.records, b.records, [&](const ir::RecordInfo& x, const ir::RecordInfo& y) {
      Eq("module", x.module, y.module);
      Eq("name", x.name, y.name);
      Vectors("fields", x.fields, y.fields, [&](const ir::FieldInfo& f, const ir::FieldInfo& g) {
        Eq("name", f.name, g.name);
        Eq("type", f.type, g.type);
        Eq("required", f.required, g.required);
      });
    });
  }

  void Layouts(const ir::InputLayout& a, const ir::InputLayout& b) {
    Eq("layout.root", a.root, b.root);
    Vectors("layout.records", a.records, b.records,
            [&](const ir::RecordLayout& x, const ir::RecordLayout& y) {
              Eq("record", x.record, y.record);
              Eq("size", x.size, y.size);
              Eq("presence_words", x.presence_words, y.presence_words);
              Vectors("fields", x.fields, y.fields, [&](const ir::FieldSlot& f, const ir::FieldSlot& g) {
                Eq("kind", f.kind, g.kind);
                Eq("offset", f.offset, g.offset);
                Eq("size", f.size, g.size);
                Eq("element", f.element, g.element);
                Eq("type", f.type, g.type);
              });
            });
  }

  void Exprs(const std::string& name, const ExprPtr& a, const ExprPtr& b) {
    Same(name + " (null or not)", (a == nullptr) == (b == nullptr));
    if (!a || !b) return;
    In(name, [&] {
      Eq("op", a->op, b->op);
      Eq("type", a->type, b->type);
      Range("range", a->range, b->range);
      Eq("index", a->index, b->index);
      Eq("operand_type", a->operand_type, b->operand_type);
      Eq("constant.integer", a->constant.integer, b->constant.integer);
      Same("constant.number",
           std::bit_cast<uint64_t>(a->constant.number) == std::bit_cast<uint64_t>(b->constant.number));
      Eq("constant.string", a->constant.string, b->constant.string);
      Eq("constant.duration", a->constant.duration, b->constant.duration);
      Eq("text", a->text, b->text);
      Eq("keys", a->keys, b->keys);
      Same("operands.size", a->operands.size() == b->operands.size());
      for (size_t i = 0; i < a->operands.size() && i < b->operands.size(); ++i)
        Exprs("operands[" + std::to_string(i) + "]", a->operands[i], b->operands[i]);
    });
  }

  void Decls(const ir::Decl& a, const ir::Decl& b) {
    Eq("kind", a.kind, b.kind);
    Eq("module", a.module, b.module);
    Eq("name", a.name, b.name);
    Eq("id", a.id, b.id);
    Range("range", a.range, b.range);
    Eq("doc", a.doc, b.doc);
    Eq("type", a.type, b.type);
    Eq("reported", a.reported, b.reported);
    Exprs("value", a.value, b.value);
    Exprs("when", a.when, b.when);
    Exprs("unless", a.unless, b.unless);
    Eq("exceptions", a.exceptions, b.exceptions);
    Eq("target", a.target, b.target);
    Eq("title", a.title, b.title);
    Eq("text", a.text, b.text);
    Eq("citations", a.citations, b.citations);
    Eq("actor", a.actor, b.actor);
    Eq("actor_name", a.actor_name, b.actor_name);
    Exprs("actor_in_roles", a.actor_in_roles, b.actor_in_roles);
    Exprs("from", a.from, b.from);
    Exprs("until", a.until, b.until);
    Same("evidence", a.evidence.has_value() == b.evidence.has_value());
    if (a.evidence && b.evidence) {
      In("evidence", [&] {
        const ir::EvidenceAccess &x = *a.evidence, &y = *b.evidence;
        Exprs("entry", x.entry, y.entry);
        Eq("record", x.record, y.record);
        Eq("status_field", x.status_field, y.status_field);
        Eq("met_member", x.met_member, y.met_member);
        Eq("partial_member", x.partial_member, y.partial_member);
        Eq("ref_field", x.ref_field, y.ref_field);
        Eq("reviewed_field", x.reviewed_field, y.reviewed_field);
      });
    }
    Eq("locals", a.locals, b.locals);
  }

  void Tests(const ir::Test& a, const ir::Test& b) {
    Eq("module", a.module, b.module);
    Eq("requested", a.requested, b.requested);
    Eq("description", a.description, b.description);
    Range("range", a.range, b.range);
    Eq("directory", a.directory, b.directory);
    Eq("given_file", a.given_file, b.given_file);
    Exprs("given_value", a.given_value, b.given_value);
    Eq("as_of", a.as_of, b.as_of);
    Vectors("sets", a.sets, b.sets, [&](const auto& x, const auto& y) {
      Eq("param", x.first, y.first);
      Exprs("value", x.second, y.second);
    });
    Vectors("expects", a.expects, b.expects, [&](const ir::Expect& x, const ir::Expect& y) {
      Eq("kind", x.kind, y.kind);
      Range("range", x.range, y.range);
      Exprs("expr", x.expr, y.expr);
      Eq("decl", x.decl, y.decl);
      Eq("status", x.status, y.status);
      Eq("locals", x.locals, y.locals);
    });
  }

  std::string path_;
  std::string diff_;
};

// Writes `program`, reads it back and checks that the copy is the same in
// every member and writes the same bytes.
void CheckRoundTrip(const Program& program) {
  std::string bytes = Write(program);
  std::unique_ptr<Program> read = ir::ReadProgram(bytes);
  REQUIRE(read != nullptr);
  CHECK(ir::Dump(*read) == ir::Dump(program));
  CHECK(Differ().Programs(program, *read) == "");
  CHECK(Write(*read) == bytes);
}

CompiledPolicy CheckStdlib() {
  PolicyRequest request;
  request.policies = {"aiact"};  // as cli/policy.cpp's LoadPolicy does
  CompiledPolicy policy = CheckRequest(request);
  INFO(policy.diagnostics);
  REQUIRE(policy.program != nullptr);
  return policy;
}

// Reads bytes that may be malformed; what ReadProgram accepts must be safe
// to dump (under ASan in CI). Whether it accepted them.
bool ReadMalformed(std::string_view bytes) {
  std::unique_ptr<Program> read = ir::ReadProgram(bytes);
  if (!read) return false;
  CHECK_FALSE(ir::Dump(*read).empty());
  return true;
}

// `def deep = not not ... not true`, `depth` expressions deep, built
// directly (the language stops at 2000 levels).
std::unique_ptr<Program> NotChain(int depth) {
  auto program = std::make_unique<Program>();
  ExprPtr e = std::make_unique<Expr>(Op::Const, TypeTable::kBool, SourceRange{});
  for (int level = 1; level < depth; ++level) {
    auto parent = std::make_unique<Expr>(Op::Not, TypeTable::kBool, SourceRange{});
    parent->operands.push_back(std::move(e));
    e = std::move(parent);
  }
  ir::Decl decl;
  decl.kind = ir::DeclKind::Def;
  decl.module = "deep";
  decl.name = "deep";
  decl.id = "deep.deep";
  decl.type = TypeTable::kBool;
  decl.value = std::move(e);
  program->decls.push_back(std::move(decl));
  return program;
}

TEST_CASE("the standard library round-trips in every member", "[serialize]") {
  CompiledPolicy policy = CheckStdlib();
  REQUIRE(policy->input.has_value());
  REQUIRE_FALSE(policy->layout.empty());
  CheckRoundTrip(*policy);
}

TEST_CASE("every golden policy that checks round-trips in every member", "[serialize]") {
  std::vector<std::filesystem::path> files;
  for (const auto& entry :
       std::filesystem::recursive_directory_iterator(std::string(AIPOL_SOURCE_DIR) + "/tests/golden")) {
    if (entry.is_regular_file() && entry.path().extension() == ".pol") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  REQUIRE(files.size() > 100);
  size_t checked = 0;
  for (const std::filesystem::path& file : files) {
    PolicyRequest request;
    request.policies = {file.string()};
    CompiledPolicy policy = CheckRequest(request);
    if (!policy.program) continue;  // a test of errors
    ++checked;
    INFO(file.string());
    CheckRoundTrip(*policy);
  }
  // Many golden policies test diagnostics, or need the search roots of their
  // `# ARGS:` line: those are skipped. 182 checked when this was written.
  CHECK(checked > 150);
}

TEST_CASE("numbers, constants and absent record fields round-trip exactly", "[serialize]") {
  CompiledPolicy policy = CheckStdlib();
  std::unique_ptr<Program> program = ir::ReadProgram(Write(*policy));
  REQUIRE(program != nullptr);
  TypeTable& types = program->types;
  REQUIRE_FALSE(types.records.empty());

  // A def whose value is a list of numbers that text would not keep: -0.0,
  // a NaN with a payload, infinity, the smallest subnormal.
  auto number = [&](double value) {
    auto e = std::make_unique<Expr>(Op::Const, TypeTable::kNumber, SourceRange{0, 1, 2});
    e->constant.number = value;
    return e;
  };
  auto list = std::make_unique<Expr>(Op::MakeList, types.List(TypeTable::kNumber), SourceRange{0, 3, 4});
  list->operands.push_back(number(-0.0));
  list->operands.push_back(number(std::bit_cast<double>(uint64_t{0x7ff8'0000'dead'beef})));
  list->operands.push_back(number(std::numeric_limits<double>::infinity()));
  list->operands.push_back(number(std::numeric_limits<double>::denorm_min()));
  // A record literal with every field absent, a map literal, a duration and
  // a string with NUL and non-UTF-8 bytes.
  uint32_t record = static_cast<uint32_t>(types.records.size() - 1);
  auto record_literal = std::make_unique<Expr>(Op::MakeRecord, types.Record(record), SourceRange{});
  record_literal->operands.resize(types.records[record].fields.size());
  auto map = std::make_unique<Expr>(Op::MakeMap, types.Map(TypeTable::kDuration), SourceRange{});
  auto duration = std::make_unique<Expr>(Op::Const, TypeTable::kDuration, SourceRange{});
  duration->constant.duration = {-7, ir::DurationUnit::Months};
  map->keys.push_back(std::string("k\0\xff", 3));
  map->operands.push_back(std::move(duration));
  auto string = std::make_unique<Expr>(Op::Const, TypeTable::kString, SourceRange{});
  string->constant.string = std::string("\0\xfe\n", 3);
  string->constant.integer = std::numeric_limits<int64_t>::min();
  string->text = "text";

  ir::Decl decl;
  decl.kind = ir::DeclKind::Def;
  decl.module = "edge";
  decl.name = "values";
  decl.id = "edge.values";
  decl.doc = "## doc";
  decl.type = list->type;
  decl.value = std::move(list);
  decl.when = std::move(record_literal);
  decl.unless = std::move(map);
  decl.from = std::move(string);
  decl.title = "";  // present but empty is not absent
  decl.text = "text";
  decl.citations = {"Art. 1", ""};
  decl.actor_name = "";
  decl.target = 0;
  decl.exceptions = {0, 0};
  decl.locals = 3;
  program->decls.push_back(std::move(decl));
  program->decls.front().range = SourceRange{kNoFile, UINT32_MAX, 0};
  program->tests.emplace_back();
  program->tests.back().given_file = "";
  program->tests.back().as_of = std::numeric_limits<int32_t>::min();

  CheckRoundTrip(*program);
  std::unique_ptr<Program> read = ir::ReadProgram(Write(*program));
  REQUIRE(read != nullptr);
  const ir::Expr& numbers = *read->decls.back().value;
  CHECK(std::signbit(numbers.operands[0]->constant.number));
  CHECK(std::bit_cast<uint64_t>(numbers.operands[1]->constant.number) == 0x7ff8'0000'dead'beef);
  CHECK(read->decls.back().when->operands.size() == types.records[record].fields.size());
  for (const ExprPtr& field : read->decls.back().when->operands) CHECK(field == nullptr);
}

TEST_CASE("an expression tree as deep as the language allows round-trips", "[serialize]") {
  std::string chain = "module deep\n\ndef flag = true\ndef deep = flag";
  for (int k = 1; k < 2000; ++k) chain += " or flag";
  chain += "\n";
  CompiledPolicy policy = testing::CompilePolicy(chain);
  CheckRoundTrip(*policy);
  // Built directly: deeper than the language allows is still read up to a
  // few thousand levels, and refused beyond (the reader recurses).
  CHECK(ir::ReadProgram(Write(*NotChain(4000))) != nullptr);
  CHECK(ir::ReadProgram(Write(*NotChain(5000))) == nullptr);
}

TEST_CASE("out-of-range ids, enum values and operands give null", "[serialize]") {
  // Each case breaks one thing in `def deep = not not true`, which reads back as is.
  auto rejected = [](auto mutate) {
    std::unique_ptr<Program> program = NotChain(3);
    mutate(*program);
    return ir::ReadProgram(Write(*program)) == nullptr;
  };
  REQUIRE_FALSE(rejected([](Program&) {}));
  auto value = [](Program& p) -> Expr& { return *p.decls[0].value; };
  CHECK(rejected([&](Program& p) { value(p).type = 1000; }));
  CHECK(rejected([&](Program& p) { value(p).operand_type = 1000; }));
  CHECK(rejected([&](Program& p) { value(p).op = static_cast<Op>(250); }));
  CHECK(rejected([&](Program& p) { value(p).operands.clear(); }));
  CHECK(rejected([&](Program& p) { value(p).operands[0] = nullptr; }));
  CHECK(rejected([&](Program& p) { value(p).constant.duration.unit = static_cast<ir::DurationUnit>(3); }));
  CHECK(rejected([&](Program& p) {
    value(p) = Expr(Op::DeclRef, TypeTable::kBool, {});  // itself: decls refer only to earlier ones
  }));
  CHECK(rejected([&](Program& p) { value(p) = Expr(Op::Local, TypeTable::kBool, {}); }));  // no locals
  CHECK(rejected([&](Program& p) { value(p) = Expr(Op::MakeRecord, TypeTable::kBool, {}); }));
  CHECK(rejected([&](Program& p) { p.decls[0].kind = static_cast<ir::DeclKind>(5); }));
  CHECK(rejected([&](Program& p) { p.decls[0].type = 1000; }));
  CHECK(rejected([&](Program& p) { p.decls[0].exceptions = {1}; }));
  CHECK(rejected([&](Program& p) { p.decls[0].target = 1; }));
  CHECK(rejected([&](Program& p) { p.decls[0].actor = 0; }));        // no role enum
  CHECK(rejected([&](Program& p) { p.decls[0].value = nullptr; }));  // a def has a value
  CHECK(rejected([&](Program& p) { p.reports = {1}; }));
  CHECK(rejected([&](Program& p) { p.role_enum = 0; }));
  CHECK(rejected([&](Program& p) { p.evidence_max_age = 0; }));
  CHECK(rejected([&](Program& p) { p.input = ir::Input{"system", 0, 0}; }));
  CHECK(rejected([&](Program& p) {
    p.tests.emplace_back();
    p.tests.back().expects.push_back({static_cast<ir::ExpectKind>(3), {}, nullptr, 0, "met", 0});
  }));
  CHECK(rejected([&](Program& p) {
    p.tests.emplace_back();
    p.tests.back().sets.emplace_back(0, std::make_unique<Expr>(Op::Const, TypeTable::kBool, SourceRange{}));
  }));
  CHECK(rejected([&](Program& p) {
    p.types.enums.push_back({"deep", "Level", {"low"}});
    auto constant = std::make_unique<Expr>(Op::Const, p.types.Enum(0), SourceRange{});
    constant->constant.integer = 1;  // Level has one member
    value(p).operands[0] = std::move(constant);
  }));
  CHECK(rejected([&](Program& p) {
    p.types.records.push_back({"deep", "Node", {}});
    p.types.records[0].fields.push_back({"next", p.types.List(p.types.Record(0)), false});  // recursive
  }));
}

TEST_CASE("every truncation of the standard library's bytes gives null", "[serialize]") {
  std::string bytes = Write(*CheckStdlib());
  REQUIRE(bytes.size() > 1000);
  std::vector<size_t> sizes;
  for (size_t n = 0; n < 64; ++n) {
    sizes.push_back(n);
    sizes.push_back(bytes.size() - 1 - n);
  }
  size_t stride = bytes.size() / 300;
  for (size_t n = 64; n < bytes.size() - 64; n += stride) sizes.push_back(n);
  for (size_t n : sizes) {
    INFO("truncated to " << n << " of " << bytes.size() << " bytes");
    CHECK(ir::ReadProgram(std::string_view(bytes).substr(0, n)) == nullptr);
  }
}

TEST_CASE("flipping single bytes of the standard library's bytes never crashes", "[serialize]") {
  std::string bytes = Write(*CheckStdlib());
  // Every byte of the header and the start of the type table, then a stride
  // across the rest; flipping every bit or only the lowest, in turn.
  std::vector<size_t> positions;
  for (size_t k = 0; k < 64; ++k) positions.push_back(k);
  for (size_t k = 64; k < bytes.size(); k += bytes.size() / 200) positions.push_back(k);
  size_t accepted = 0;
  for (size_t k = 0; k < positions.size(); ++k) {
    uint8_t mask = k % 2 == 0 ? 0xff : 0x01;
    INFO("byte " << positions[k] << " ^ " << int{mask});
    std::string flipped = bytes;
    flipped[positions[k]] = static_cast<char>(flipped[positions[k]] ^ mask);
    accepted += ReadMalformed(flipped);
  }
  // Some flips only change a string or a range, which is still a program.
  CHECK(accepted > 0);
  CHECK(accepted < positions.size());
}

TEST_CASE("trailing bytes after a program give null", "[serialize]") {
  std::string bytes = Write(*CheckStdlib());
  REQUIRE(ir::ReadProgram(bytes) != nullptr);
  CHECK(ir::ReadProgram(bytes + '\0') == nullptr);
  CHECK(ir::ReadProgram(bytes + "garbage") == nullptr);
  CHECK(ir::ReadProgram(bytes + bytes) == nullptr);
  CHECK(ir::ReadProgram("") == nullptr);
}

// Not an assertion: prints the size of the standard library's bytes and how
// long ReadProgram takes for them (`unit_tests "[serialize-timing]"`).
TEST_CASE("the time ReadProgram takes for the standard library", "[.][serialize-timing]") {
  CompiledPolicy policy = CheckStdlib();
  std::string bytes = Write(*policy);
  constexpr int kRounds = 50;
  auto start = std::chrono::steady_clock::now();
  size_t decls = 0;
  for (int round = 0; round < kRounds; ++round) decls += ir::ReadProgram(bytes)->decls.size();
  auto elapsed = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start);
  size_t sources = 0;
  for (const ir::Module& m : policy->modules) sources += m.source.size();
  WARN(bytes.size() << " bytes (" << policy->decls.size() << " decls, " << sources
                    << " bytes of sources); ReadProgram " << elapsed.count() / kRounds << " ms");
  CHECK(decls == kRounds * policy->decls.size());
}

}  // namespace
}  // namespace aipol
