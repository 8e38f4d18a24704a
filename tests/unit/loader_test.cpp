// The descriptor loader (runtime/loader.cpp): JSON -> rows, and every input
// issue with its kind and JSON path.
//
// Tests tagged [!shouldfail][bug] pin a known loader bug (none at present):
// they pass while the bug is there and start failing once it is fixed. Then
// drop the tag.
#include "runtime/loader.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <cstring>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "policy_helpers.h"
#include "runtime/date.h"

namespace aipol {
namespace {

using Catch::Matchers::Contains;
using testing::CompiledPolicy;
using testing::CompilePolicy;
using testing::Issues;
using testing::Messages;
using Strings = std::vector<std::string>;

// One field of every slot kind.
const char* const kPolicy = R"(module loadertest

enum Color { red, green, blue }
record Inner { x: int  flag: bool  req: string required }
record Opt { x: int }
record Entry { status: Color required  n: int }
record Root {
  id: string required
  b: bool
  i: int
  n: number
  s: string
  d: date
  dur: duration
  e: Color
  es: set<Color>
  ss: set<string>
  r: Inner
  opt: Opt
  l: list<Inner>
  li: list<int>
  m: map<string, Entry>
  mi: map<string, int>
}
input root: Root

report def read_b = root.b
report def read_i = root.i
report def read_n = root.n
report def read_s = root.s
report def read_d = root.d
report def read_dur = root.dur
report def read_e = root.e
report def read_es = root.es
report def read_ss = root.ss
report def read_rx = root.r.x
report def read_opt = root.opt.x
report def read_l = count x in root.l: x.flag
report def read_li = root.li
report def read_k = root.m["k"].n
report def read_mi = root.mi["k"]
)";

// Every field present and valid.
const char* const kValid = R"({
  "id": "sys-1",
  "b": true,
  "i": -42,
  "n": 2.5,
  "s": "text \u00e9",
  "d": "2024-02-29",
  "dur": "6 months",
  "e": "green",
  "es": ["blue", "red"],
  "ss": ["b", "a", "c"],
  "r": {"x": 1, "flag": false, "req": "yes"},
  "opt": {"x": 3},
  "l": [{"req": "a", "flag": true}, {"req": "b", "x": 7}],
  "li": [3, 1, 2],
  "m": {"k": {"status": "red", "n": 9}, "other": {"status": "blue"}},
  "mi": {"k": 5, "unread": 6}
})";

const CompiledPolicy& Policy() {
  static CompiledPolicy policy = CompilePolicy(kPolicy);
  return policy;
}

// Reads a loaded row through the layout, by field name.
class RowView {
 public:
  RowView(const ir::Program& program, uint32_t record, const uint8_t* block)
      : program_(program), record_(record), block_(block) {}

  uint32_t Index(const std::string& name) const {
    std::optional<uint32_t> index = program_.types.records[record_].Find(name);
    INFO("field " << name);
    REQUIRE(index.has_value());
    return *index;
  }
  const ir::FieldSlot& Slot(const std::string& name) const {
    return program_.layout.of(record_).fields[Index(name)];
  }
  bool Has(const std::string& name) const { return FieldPresent(block_, Index(name)); }
  template <typename T>
  T Get(const std::string& name) const {
    REQUIRE(Has(name));
    return ReadSlot<T>(block_, Slot(name).offset);
  }
  RowView Record(const std::string& name) const {
    REQUIRE(Has(name));
    const ir::FieldSlot& slot = Slot(name);
    REQUIRE(slot.kind == ir::SlotKind::Record);
    return RowView(program_, slot.element, block_ + slot.offset);
  }
  // The k-th record of a list of records.
  RowView Element(const std::string& name, uint64_t k) const {
    const ir::FieldSlot& slot = Slot(name);
    ListRef list = Get<ListRef>(name);
    REQUIRE(k < list.count);
    ir::TypeId element = program_.types.get(slot.type).element;
    ir::FieldSlot element_slot = ir::ElementSlot(program_.types, program_.layout, element);
    return RowView(program_, element_slot.element, list.items + k * element_slot.size);
  }
  // The entry of a map for a key the policy reads (null when absent).
  const uint8_t* Entry(const std::string& name, const std::string& key) const {
    const auto& keys = program_.map_keys;
    auto it = std::find(keys.begin(), keys.end(), key);
    INFO("map key " << key);
    REQUIRE(it != keys.end());
    return Get<MapRef>(name).entries[it - keys.begin()];
  }
  uint32_t EnumMember(const std::string& enum_name, const std::string& member) const {
    for (const ir::EnumInfo& info : program_.types.enums) {
      if (info.name == enum_name) {
        std::optional<uint32_t> index = info.Find(member);
        REQUIRE(index.has_value());
        return *index;
      }
    }
    FAIL("no enum " << enum_name);
    return 0;
  }

 private:
  const ir::Program& program_;
  uint32_t record_;
  const uint8_t* block_;
};

// Loads `json` twice: copied by the loader, and in place with padding that
// holds garbage (as batch gives it); both must find the same issues and id.
LoadedRow Load(Arena& arena, std::string_view json, bool strict = false) {
  RowLoader loader(*Policy());
  std::string padded(json.size() + kJsonPadding, '"');
  std::memcpy(padded.data(), json.data(), json.size());
  Arena scratch;
  LoadedRow in_place =
      loader.Load(std::string_view(padded.data(), json.size()), scratch, strict, padded.size());
  LoadedRow row = loader.Load(json, arena, strict);
  CHECK(Messages(in_place) == Messages(row));
  CHECK(in_place.id == row.id);
  CHECK((in_place.row == nullptr) == (row.row == nullptr));
  return row;
}

RowView View(const LoadedRow& row) {
  REQUIRE(row.row != nullptr);
  return RowView(*Policy(), Policy()->input->record, row.row);
}

// `{"id":"a", BODY}`.
std::string With(const std::string& body) { return "{\"id\": \"a\", " + body + "}"; }

bool HasKind(const LoadedRow& row, InputIssueKind kind) {
  return std::any_of(row.issues.begin(), row.issues.end(),
                     [&](const InputIssue& i) { return i.kind == kind; });
}

// ---------------------------------------------------------------- valid input

TEST_CASE("a valid descriptor fills every slot", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, kValid);
  INFO(Messages(row));
  REQUIRE(row.ok());
  CHECK(row.issues.empty());
  CHECK(row.id == "sys-1");
  RowView v = View(row);
  CHECK(v.Get<StringRef>("id").view() == "sys-1");
  CHECK(v.Get<uint8_t>("b") == 1);
  CHECK(v.Get<int64_t>("i") == -42);
  CHECK(v.Get<double>("n") == 2.5);
  CHECK(v.Get<StringRef>("s").view() == "text \xc3\xa9");
  CHECK(v.Get<int32_t>("d") == *ParseDate("2024-02-29"));
  DurationSlot dur = v.Get<DurationSlot>("dur");
  CHECK(dur.count == 6);
  CHECK(dur.unit == static_cast<uint8_t>(ir::DurationUnit::Months));
  CHECK(v.Get<uint32_t>("e") == v.EnumMember("Color", "green"));
  uint64_t mask =
      (uint64_t{1} << v.EnumMember("Color", "blue")) | (uint64_t{1} << v.EnumMember("Color", "red"));
  CHECK(v.Get<uint64_t>("es") == mask);
  // String sets are sorted by bytes.
  StringSetRef ss = v.Get<StringSetRef>("ss");
  REQUIRE(ss.count == 3);
  CHECK(ss.items[0].view() == "a");
  CHECK(ss.items[1].view() == "b");
  CHECK(ss.items[2].view() == "c");
  RowView r = v.Record("r");
  CHECK(r.Get<int64_t>("x") == 1);
  CHECK(r.Get<uint8_t>("flag") == 0);
  CHECK(r.Get<StringRef>("req").view() == "yes");
  CHECK(v.Record("opt").Get<int64_t>("x") == 3);
  // Lists keep their order.
  CHECK(v.Get<ListRef>("l").count == 2);
  CHECK(v.Element("l", 0).Get<StringRef>("req").view() == "a");
  CHECK(v.Element("l", 0).Get<uint8_t>("flag") == 1);
  CHECK_FALSE(v.Element("l", 0).Has("x"));
  CHECK(v.Element("l", 1).Get<int64_t>("x") == 7);
  ListRef li = v.Get<ListRef>("li");
  REQUIRE(li.count == 3);
  CHECK(ReadSlot<int64_t>(li.items, 0) == 3);
  CHECK(ReadSlot<int64_t>(li.items, 8) == 1);
  CHECK(ReadSlot<int64_t>(li.items, 16) == 2);
  // Maps keep the entries the policy reads.
  const uint8_t* k = v.Entry("m", "k");
  REQUIRE(k != nullptr);
  RowView entry(*Policy(), v.Slot("m").element, k);
  CHECK(entry.Get<uint32_t>("status") == v.EnumMember("Color", "red"));
  CHECK(entry.Get<int64_t>("n") == 9);
  const uint8_t* mi = v.Entry("mi", "k");
  REQUIRE(mi != nullptr);
  CHECK(ReadSlot<int64_t>(mi, 0) == 5);
}

TEST_CASE("a row's bytes span its nested records, lists and strings", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, kValid);
  REQUIRE(row.ok());
  RowView v = View(row);
  auto inside = [&](const void* p) {
    auto* at = static_cast<const uint8_t*>(p);
    return at >= row.row && at < row.row + row.bytes;
  };
  CHECK(row.bytes >= Policy()->layout.of(Policy()->input->record).size);
  CHECK(inside(v.Get<StringRef>("s").data));
  CHECK(inside(v.Record("r").Get<StringRef>("req").data));
  CHECK(inside(v.Get<ListRef>("li").items));
  CHECK(inside(v.Get<StringSetRef>("ss").items[2].data));
  CHECK(inside(v.Entry("m", "k")));
  // The last byte the arena handed out is the row's last.
  CHECK(row.row + row.bytes == arena.Allocate(1));
}

TEST_CASE("a row the arena split over two blocks claims no bytes", "[loader]") {
  Arena arena;
  // Fill the arena's first block but for a little, so that the row's
  // nested data go to a new block.
  RowLoader loader(*Policy());
  size_t row_size = Policy()->layout.of(Policy()->input->record).size;
  arena.Allocate(64 * 1024 - row_size - 8);
  LoadedRow row = loader.Load(kValid, arena, false);
  REQUIRE(row.ok());
  CHECK(row.bytes == 0);
  // Prefetching a row of unknown extent is a no-op, not an error.
  PrefetchRow(row.row, row.bytes);
}

TEST_CASE("absent fields leave their presence bit clear", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, R"({"id": "only"})");
  REQUIRE(row.ok());
  CHECK(row.issues.empty());
  RowView v = View(row);
  CHECK(v.Has("id"));
  for (const char* name :
       {"b", "i", "n", "s", "d", "dur", "e", "es", "ss", "r", "opt", "l", "li", "m", "mi"}) {
    INFO(name);
    CHECK_FALSE(v.Has(name));
  }
}

TEST_CASE("integer and number boundaries", "[loader]") {
  Arena arena;
  SECTION("the extreme 64-bit integers load") {
    LoadedRow high = Load(arena, With(R"("i": 9223372036854775807)"));
    REQUIRE(high.ok());
    CHECK(View(high).Get<int64_t>("i") == INT64_MAX);
    LoadedRow low = Load(arena, With(R"("i": -9223372036854775808)"));
    REQUIRE(low.ok());
    CHECK(View(low).Get<int64_t>("i") == INT64_MIN);
  }
  SECTION("an integer is a number") {
    LoadedRow row = Load(arena, With(R"("n": 7)"));
    REQUIRE(row.ok());
    CHECK(View(row).Get<double>("n") == 7.0);
  }
  SECTION("exponents and large doubles") {
    LoadedRow row = Load(arena, With(R"("n": -1.5e300)"));
    REQUIRE(row.ok());
    CHECK(View(row).Get<double>("n") == -1.5e300);
  }
}

TEST_CASE("durations in every unit, singular and plural", "[loader]") {
  const std::pair<const char*, std::pair<int64_t, ir::DurationUnit>> cases[] = {
      {"1 day", {1, ir::DurationUnit::Days}},     {"30 days", {30, ir::DurationUnit::Days}},
      {"1 month", {1, ir::DurationUnit::Months}}, {"12 months", {12, ir::DurationUnit::Months}},
      {"1 year", {1, ir::DurationUnit::Years}},   {"2 years", {2, ir::DurationUnit::Years}},
      {"0 days", {0, ir::DurationUnit::Days}},
  };
  for (const auto& [text, expected] : cases) {
    Arena arena;
    LoadedRow row = Load(arena, With(std::string("\"dur\": \"") + text + "\""));
    INFO(text << "\n" << Messages(row));
    REQUIRE(row.ok());
    DurationSlot d = View(row).Get<DurationSlot>("dur");
    CHECK(d.count == expected.first);
    CHECK(d.unit == static_cast<uint8_t>(expected.second));
  }
}

// ---------------------------------------------------------------- InvalidJson

// `message`: what the report says (limits_test.cpp covers the others).
void CheckInvalidJson(std::string_view json, std::string_view message = "the text is not valid JSON") {
  Arena arena;
  LoadedRow row = Load(arena, json);
  INFO("input: " << std::string(json) << "\n" << Messages(row));
  CHECK(row.row == nullptr);
  CHECK_FALSE(row.ok());
  REQUIRE_FALSE(row.issues.empty());
  const InputIssue& last = row.issues.back();
  CHECK(last.kind == InputIssueKind::InvalidJson);
  CHECK(last.error);
  CHECK(last.path.empty());
  CHECK(last.message == message);
}

TEST_CASE("InvalidJson: empty and blank text", "[loader]") {
  CheckInvalidJson("");
  CheckInvalidJson(" ");
  CheckInvalidJson("\n\t\r ");
}

TEST_CASE("InvalidJson: every truncation of a valid descriptor", "[loader]") {
  std::string valid = kValid;
  // Drop the trailing `}` and anything after it one byte at a time.
  size_t last = valid.find_last_not_of(" \n\r\t");
  for (size_t length = 1; length <= last; ++length)
    CheckInvalidJson(std::string_view(valid).substr(0, length));
}

TEST_CASE("InvalidJson: trailing garbage after the object", "[loader]") {
  CheckInvalidJson(R"({"id": "a"} x)");
  CheckInvalidJson(R"({"id": "a"}})");
  CheckInvalidJson(R"({"id": "a"}])");
  CheckInvalidJson(R"({"id": "a"},)");
  CheckInvalidJson(R"({"id": "a"} {"id": "b"})");
  CheckInvalidJson(R"({"id": "a"} 1)");
  CheckInvalidJson(R"({"id": "a"} null)");
  CheckInvalidJson(R"({"id": "a"} "x")");
}

TEST_CASE("trailing white space is not garbage", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, "{\"id\": \"a\"} \n\t\r\n");
  INFO(Messages(row));
  CHECK(row.ok());
  CHECK(row.issues.empty());
}

TEST_CASE("InvalidJson: random bytes and broken syntax", "[loader]") {
  CheckInvalidJson("abc");
  CheckInvalidJson("\xff\xfe\x00\x01", "the text is not valid UTF-8 (at byte 1)");
  CheckInvalidJson(std::string_view("\0\0\0", 3));
  CheckInvalidJson("{");
  CheckInvalidJson("}");
  CheckInvalidJson("{{}}");
  CheckInvalidJson(R"({"id" "a"})");
  CheckInvalidJson(R"({"id": "a",})");
  CheckInvalidJson(R"({"id": "a" "b": 1})");
  CheckInvalidJson(R"({id: "a"})");
  CheckInvalidJson(R"({'id': 'a'})");
  // Invalid UTF-8 inside a string.
  CheckInvalidJson("{\"id\": \"a\xc3\x28\"}", "the text is not valid UTF-8 (at byte 10)");
  // A raw control character inside a string.
  CheckInvalidJson("{\"id\": \"a\x01\"}");
}

TEST_CASE("a descriptor that is not JSON has no id", "[loader]") {
  // Even when the id was read before the JSON broke: a record that is not
  // JSON is not identified by half of it.
  for (const char* json : {R"({"id": "early", "li": [1 2]})", R"({"id": "early"}})", R"({"id": "early"} x)",
                           R"({"id": "early", "b": true)"}) {
    Arena arena;
    LoadedRow row = Load(arena, json);
    INFO(json << "\n" << Messages(row));
    CHECK(row.row == nullptr);
    CHECK(HasKind(row, InputIssueKind::InvalidJson));
    CHECK_FALSE(row.id.has_value());
  }
}

TEST_CASE("InvalidJson: a bare word is not a JSON value", "[loader]") {
  CheckInvalidJson("nope");
  CheckInvalidJson("nul");
  CheckInvalidJson("tru");
  CheckInvalidJson("-");
}

// ---------------------------------------------------------------- NotAnObject

TEST_CASE("NotAnObject for every other JSON value", "[loader]") {
  const std::pair<const char*, const char*> cases[] = {
      {"[]", "an array"},     {"[{\"id\": \"a\"}]", "an array"},
      {"5", "a number"},      {"-1.5", "a number"},
      {"\"x\"", "a string"},  {"true", "a boolean"},
      {"false", "a boolean"}, {"null", "null"},
  };
  for (const auto& [json, found] : cases) {
    Arena arena;
    LoadedRow row = Load(arena, json);
    INFO(json << "\n" << Messages(row));
    CHECK(row.row == nullptr);
    CHECK_FALSE(row.ok());
    CHECK(Issues(row) == Strings{"NotAnObject $"});
    REQUIRE_FALSE(row.issues.empty());
    CHECK(row.issues[0].message == std::string("a descriptor is a JSON object, found ") + found);
    CHECK_FALSE(row.id.has_value());
  }
}

// ---------------------------------------------------------------- WrongType

TEST_CASE("WrongType for each slot kind, with its path", "[loader]") {
  struct Case {
    const char* body;
    const char* path;
    const char* message;
  };
  const Case cases[] = {
      {R"("b": 1)", "b", "expected a boolean, found a number"},
      {R"("b": "true")", "b", "expected a boolean, found a string"},
      {R"("i": "1")", "i", "expected an integer, found a string"},
      {R"("i": true)", "i", "expected an integer, found a boolean"},
      {R"("n": "1.5")", "n", "expected a number, found a string"},
      {R"("n": [1])", "n", "expected a number, found an array"},
      {R"("s": 1)", "s", "expected a string, found a number"},
      {R"("s": {})", "s", "expected a string, found an object"},
      {R"("d": 20240101)", "d", "expected a date string (YYYY-MM-DD), found a number"},
      {R"("dur": 6)", "dur", "expected a duration string such as \"6 months\", found a number"},
      {R"("e": 0)", "e", "expected a string, found a number"},
      {R"("e": ["red"])", "e", "expected a string, found an array"},
      {R"("es": "red")", "es", "expected an array, found a string"},
      {R"("ss": {})", "ss", "expected an array, found an object"},
      {R"("r": [])", "r", "expected an object, found an array"},
      {R"("r": "x")", "r", "expected an object, found a string"},
      {R"("l": {})", "l", "expected an array, found an object"},
      {R"("li": 1)", "li", "expected an array, found a number"},
      {R"("m": [])", "m", "expected an object, found an array"},
      {R"("mi": true)", "mi", "expected an object, found a boolean"},
      // Inside collections and records.
      {R"("es": ["red", 1])", "es[1]", "expected a string, found a number"},
      {R"("ss": [["a"]])", "ss[0]", "expected a string, found an array"},
      {R"("li": [1, "2"])", "li[1]", "expected an integer, found a string"},
      {R"("l": [{"req": "a"}, 5])", "l[1]", "expected an object, found a number"},
      {R"("l": [{"req": "a", "flag": "no"}])", "l[0].flag", "expected a boolean, found a string"},
      {R"("r": {"req": "a", "x": 1, "flag": 0})", "r.flag", "expected a boolean, found a number"},
      {R"("i": 1.5)", "i", "expected an integer, found a number with a fraction or exponent"},
      {R"("li": [1, 2.0])", "li[1]", "expected an integer, found a number with a fraction or exponent"},
      {R"("m": {"k": "red"})", "m[\"k\"]", "expected an object, found a string"},
      {R"("m": {"k": {"status": "red", "n": "9"}})", "m[\"k\"].n", "expected an integer, found a string"},
      {R"("mi": {"k": "5"})", "mi[\"k\"]", "expected an integer, found a string"},
  };
  for (const Case& c : cases) {
    Arena arena;
    LoadedRow row = Load(arena, With(c.body));
    INFO(c.body << "\n" << Messages(row));
    CHECK_FALSE(row.ok());
    REQUIRE_FALSE(row.issues.empty());
    auto wrong = std::find_if(row.issues.begin(), row.issues.end(),
                              [&](const InputIssue& i) { return i.kind == InputIssueKind::WrongType; });
    REQUIRE(wrong != row.issues.end());
    CHECK(wrong->path == c.path);
    CHECK(wrong->message == c.message);
    CHECK(wrong->error);
    // The descriptor's other fields are still read.
    CHECK(row.id == "a");
  }
}

TEST_CASE("a field with the wrong type is not present", "[loader]") {
  // Errors stop evaluation, but the row is still built: the bad field must
  // not be half-written.
  Arena arena;
  LoadedRow row = Load(arena, With(R"("i": "1", "es": ["red", 2], "li": [1, "x"], "b": true)"));
  REQUIRE(row.row != nullptr);
  RowView v = View(row);
  CHECK_FALSE(v.Has("i"));
  CHECK_FALSE(v.Has("es"));
  CHECK_FALSE(v.Has("li"));
  CHECK(v.Has("b"));
  CHECK(Issues(row) == Strings{"WrongType i", "WrongType es[1]", "WrongType li[1]"});
}

// ---------------------------------------------------------------- enums, dates, durations

TEST_CASE("UnknownEnumValue names the value and suggests a close member", "[loader]") {
  Arena arena;
  LoadedRow row =
      Load(arena, With(R"("e": "gren", "es": ["red", "blu", "purple"], "m": {"k": {"status": "rod"}})"));
  INFO(Messages(row));
  CHECK_FALSE(row.ok());
  REQUIRE(Issues(row) == Strings{"UnknownEnumValue e", "UnknownEnumValue es[1]", "UnknownEnumValue es[2]",
                                 "UnknownEnumValue m[\"k\"].status"});
  CHECK(row.issues[0].message == "`gren` is not a value of `Color`; did you mean `green`?");
  CHECK(row.issues[1].message == "`blu` is not a value of `Color`; did you mean `blue`?");
  // Nothing close: no suggestion.
  CHECK(row.issues[2].message == "`purple` is not a value of `Color`");
  CHECK_THAT(row.issues[3].message, Contains("did you mean `red`?"));
  CHECK_FALSE(View(row).Has("e"));
  CHECK_FALSE(View(row).Has("es"));
}

TEST_CASE("enum values are case-sensitive", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("e": "Red")"));
  CHECK(Issues(row) == Strings{"UnknownEnumValue e"});
}

TEST_CASE("InvalidDate, including 2026-02-29", "[loader]") {
  for (const char* text :
       {"2026-02-29", "2023-02-29", "1900-02-29", "2026-13-01", "2026-00-10", "2026-04-31", "2026-1-01",
        "26-01-01", "0000-01-01", "2026-01-01T00:00:00Z", "2026/01/01", "", " 2026-01-01", "2026-01-0a"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(std::string("\"d\": \"") + text + "\""));
    INFO("`" << text << "`\n" << Messages(row));
    CHECK(Issues(row) == Strings{"InvalidDate d"});
    REQUIRE_FALSE(row.issues.empty());
    CHECK(row.issues[0].message == std::string("`") + text + "` is not a date (YYYY-MM-DD)");
    CHECK_FALSE(row.ok());
  }
  // Leap days that exist, and the ends of the range.
  for (const char* text : {"2024-02-29", "2000-02-29", "0001-01-01", "9999-12-31"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(std::string("\"d\": \"") + text + "\""));
    INFO(text);
    CHECK(row.ok());
    CHECK(View(row).Get<int32_t>("d") == *ParseDate(text));
  }
}

TEST_CASE("InvalidDuration", "[loader]") {
  for (const char* text : {"3 weeks", "3months", "-1 days", "1.5 years", "", "days", " 1 day", "1  day",
                           "1 Days", "one month"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(std::string("\"dur\": \"") + text + "\""));
    INFO("`" << text << "`\n" << Messages(row));
    CHECK(Issues(row) == Strings{"InvalidDuration dur"});
    CHECK_FALSE(row.ok());
  }
}

// ---------------------------------------------------------------- NullInArray, null

TEST_CASE("NullInArray in sets and lists", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("es": [null], "ss": ["a", null], "l": [null], "li": [1, null, 2])"));
  INFO(Messages(row));
  CHECK(Issues(row) ==
        Strings{"NullInArray es[0]", "NullInArray ss[1]", "NullInArray l[0]", "NullInArray li[1]"});
  CHECK_FALSE(row.ok());
  REQUIRE(row.row != nullptr);
  for (const char* name : {"es", "ss", "l", "li"}) {
    INFO(name);
    CHECK_FALSE(View(row).Has(name));
  }
}

TEST_CASE("null is the same as absent, for every slot kind", "[loader]") {
  for (const char* name :
       {"b", "i", "n", "s", "d", "dur", "e", "es", "ss", "r", "opt", "l", "li", "m", "mi"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(std::string("\"") + name + "\": null"));
    INFO(name << "\n" << Messages(row));
    CHECK(row.ok());
    CHECK(row.issues.empty());
    CHECK_FALSE(View(row).Has(name));
  }
  SECTION("nested, in list elements and as map values") {
    Arena arena;
    LoadedRow row = Load(arena, With(R"("r": {"req": "a", "x": null}, "l": [{"req": "b", "flag": null}],
                                        "m": {"k": null}, "mi": {"k": null})"));
    INFO(Messages(row));
    REQUIRE(row.ok());
    CHECK(row.issues.empty());
    RowView v = View(row);
    CHECK_FALSE(v.Record("r").Has("x"));
    CHECK_FALSE(v.Element("l", 0).Has("flag"));
    CHECK(v.Entry("m", "k") == nullptr);
    CHECK(v.Entry("mi", "k") == nullptr);
  }
  SECTION("a null required field is missing") {
    Arena arena;
    LoadedRow row = Load(arena, R"({"id": null})");
    CHECK(Issues(row) == Strings{"MissingRequired id"});
    LoadedRow nested = Load(arena, With(R"("r": {"req": null})"));
    CHECK(Issues(nested) == Strings{"MissingRequired r.req"});
  }
}

TEST_CASE("an empty object for a nested record is present", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("opt": {}, "m": {}, "mi": {})"));
  INFO(Messages(row));
  REQUIRE(row.ok());
  RowView v = View(row);
  CHECK(v.Has("opt"));
  CHECK_FALSE(v.Record("opt").Has("x"));
  CHECK(v.Has("m"));
  CHECK(v.Entry("m", "k") == nullptr);
  CHECK(v.Has("mi"));
  // Empty arrays are present too.
  LoadedRow arrays = Load(arena, With(R"("es": [], "ss": [], "l": [], "li": [])"));
  REQUIRE(arrays.ok());
  RowView a = View(arrays);
  CHECK(a.Get<uint64_t>("es") == 0);
  CHECK(a.Get<StringSetRef>("ss").count == 0);
  CHECK(a.Get<ListRef>("l").count == 0);
  CHECK(a.Get<ListRef>("li").count == 0);
}

// ---------------------------------------------------------------- MissingRequired

TEST_CASE("MissingRequired for id and nested required fields", "[loader]") {
  Arena arena;
  SECTION("id") {
    LoadedRow row = Load(arena, R"({"b": true})");
    CHECK(Issues(row) == Strings{"MissingRequired id"});
    REQUIRE_FALSE(row.issues.empty());
    CHECK(row.issues[0].message == "required field `id` is missing");
    CHECK_FALSE(row.ok());
    CHECK_FALSE(row.id.has_value());
  }
  SECTION("the empty object") {
    LoadedRow row = Load(arena, "{}");
    CHECK(Issues(row) == Strings{"MissingRequired id"});
  }
  SECTION("in a nested record") {
    LoadedRow row = Load(arena, With(R"("r": {})"));
    CHECK(Issues(row) == Strings{"MissingRequired r.req"});
  }
  SECTION("in list elements, each with its index") {
    LoadedRow row = Load(arena, With(R"("l": [{"req": "a"}, {"x": 1}, {"req": "c"}, {}])"));
    CHECK(Issues(row) == Strings{"MissingRequired l[1].req", "MissingRequired l[3].req"});
    CHECK_FALSE(row.ok());
    CHECK_FALSE(View(row).Has("l"));
  }
  SECTION("in map entries") {
    LoadedRow row = Load(arena, With(R"("m": {"k": {"n": 1}})"));
    CHECK(Issues(row) == Strings{"MissingRequired m[\"k\"].status"});
  }
  SECTION("not for an absent record") {
    LoadedRow row = Load(arena, With(R"("b": false)"));
    CHECK(row.issues.empty());
  }
}

TEST_CASE("the id is captured even when other fields have errors", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, R"({"b": "no", "e": "purple", "id": "late-id", "d": "2026-02-29", "r": {}})");
  INFO(Messages(row));
  CHECK_FALSE(row.ok());
  CHECK(row.id == "late-id");
  CHECK(Issues(row) ==
        Strings{"WrongType b", "UnknownEnumValue e", "InvalidDate d", "MissingRequired r.req"});
  SECTION("escapes in the id are decoded") {
    LoadedRow escaped = Load(arena, R"({"id": "a\"b\u00e9"})");
    CHECK(escaped.id == "a\"b\xc3\xa9");
  }
  SECTION("an id that is not a string is not captured") {
    LoadedRow number = Load(arena, R"({"id": 5})");
    CHECK_FALSE(number.id.has_value());
    CHECK(HasKind(number, InputIssueKind::WrongType));
  }
  SECTION("a nested `id` is not the descriptor's id") {
    Arena other;
    CompiledPolicy nested = CompilePolicy(R"(module nestedid
record Sub { id: string }
record Top { id: string required  sub: Sub }
input top: Top
report def sub_id = top.sub.id
)");
    RowLoader loader(*nested);
    LoadedRow row2 = loader.Load(R"({"sub": {"id": "inner"}, "id": "outer"})", other, false);
    CHECK(row2.id == "outer");
    LoadedRow row3 = loader.Load(R"({"sub": {"id": "inner"}})", other, false);
    CHECK_FALSE(row3.id.has_value());
  }
}

// ---------------------------------------------------------------- warnings

TEST_CASE("UnknownField is a warning, or an error when strict", "[loader]") {
  const std::string json =
      With(R"("colour": "red", "r": {"req": "a", "flg": true}, "l": [{"req": "b", "y": 1}])");
  Arena arena;
  SECTION("warning") {
    LoadedRow row = Load(arena, json);
    INFO(Messages(row));
    CHECK(row.ok());
    CHECK(Issues(row) == Strings{"UnknownField colour (warning)", "UnknownField r.flg (warning)",
                                 "UnknownField l[0].y (warning)"});
    REQUIRE(row.issues.size() == 3);
    CHECK(row.issues[0].message == "unknown field `colour` in `Root`");
    CHECK(row.issues[1].message == "unknown field `flg` in `Inner`; did you mean `flag`?");
    // The known fields around them are read.
    CHECK(View(row).Record("r").Has("req"));
    CHECK_FALSE(View(row).Record("r").Has("flag"));
  }
  SECTION("strict") {
    LoadedRow row = Load(arena, json, true);
    CHECK_FALSE(row.ok());
    CHECK(Issues(row) == Strings{"UnknownField colour", "UnknownField r.flg", "UnknownField l[0].y"});
    for (const InputIssue& issue : row.issues) CHECK(issue.error);
  }
  SECTION("strict changes nothing else") {
    LoadedRow row = Load(arena, With(R"("es": ["red", "red"], "b": true, "b": false)"), true);
    CHECK(row.ok());
    CHECK(Issues(row) == Strings{"DuplicateItem es[1] (warning)", "DuplicateKey b (warning)"});
  }
}

TEST_CASE("DuplicateItem is a warning and the set holds the item once", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("es": ["red", "blue", "red", "red"], "ss": ["x", "y", "x"])"));
  INFO(Messages(row));
  CHECK(row.ok());
  CHECK(Issues(row) == Strings{"DuplicateItem es[2] (warning)", "DuplicateItem es[3] (warning)",
                               "DuplicateItem ss[2] (warning)"});
  REQUIRE(row.issues.size() == 3);
  CHECK(row.issues[0].message == "`red` is listed twice");
  RowView v = View(row);
  CHECK(v.Get<uint64_t>("es") ==
        ((uint64_t{1} << v.EnumMember("Color", "red")) | (uint64_t{1} << v.EnumMember("Color", "blue"))));
  StringSetRef ss = v.Get<StringSetRef>("ss");
  REQUIRE(ss.count == 2);
  CHECK(ss.items[0].view() == "x");
  CHECK(ss.items[1].view() == "y");
  SECTION("lists may repeat items") {
    LoadedRow list = Load(arena, With(R"("li": [1, 1, 1])"));
    CHECK(list.issues.empty());
    CHECK(View(list).Get<ListRef>("li").count == 3);
  }
}

TEST_CASE("DuplicateKey is a warning and the later value wins", "[loader]") {
  Arena arena;
  SECTION("scalars") {
    LoadedRow row = Load(arena, With(R"("i": 1, "s": "first", "i": 2, "s": "second")"));
    INFO(Messages(row));
    CHECK(row.ok());
    CHECK(Issues(row) == Strings{"DuplicateKey i (warning)", "DuplicateKey s (warning)"});
    REQUIRE_FALSE(row.issues.empty());
    CHECK(row.issues[0].message == "key given twice; the later value wins");
    CHECK(View(row).Get<int64_t>("i") == 2);
    CHECK(View(row).Get<StringRef>("s").view() == "second");
  }
  SECTION("a later null removes the value") {
    LoadedRow row = Load(arena, With(R"("b": true, "b": null)"));
    CHECK(Issues(row) == Strings{"DuplicateKey b (warning)"});
    CHECK_FALSE(View(row).Has("b"));
  }
  SECTION("a later value after a null") {
    LoadedRow row = Load(arena, With(R"("b": null, "b": false)"));
    CHECK(row.ok());
    CHECK(View(row).Get<uint8_t>("b") == 0);
  }
  SECTION("the id") {
    LoadedRow row = Load(arena, R"({"id": "first", "id": "second"})");
    CHECK(row.id == "second");
    CHECK(View(row).Get<StringRef>("id").view() == "second");
  }
  SECTION("sets and lists are replaced, not merged") {
    LoadedRow row = Load(arena, With(R"("es": ["red"], "es": ["blue"], "li": [1, 2], "li": [3])"));
    RowView v = View(row);
    CHECK(v.Get<uint64_t>("es") == (uint64_t{1} << v.EnumMember("Color", "blue")));
    CHECK(v.Get<ListRef>("li").count == 1);
  }
  SECTION("in a nested record") {
    LoadedRow row = Load(arena, With(R"("r": {"req": "a", "x": 1, "x": 2})"));
    CHECK(Issues(row) == Strings{"DuplicateKey r.x (warning)"});
    CHECK(View(row).Record("r").Get<int64_t>("x") == 2);
  }
}

// Fixed bug (since 8a6200a, which reset `seen` on `null` for
// MissingRequired): a key whose first value was `null` was not reported when
// given again.
TEST_CASE("DuplicateKey: a key given after a null is a warning", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("b": null, "b": false)"));
  CHECK(Issues(row) == Strings{"DuplicateKey b (warning)"});
}

// Fixed bug: a record given twice was merged, not replaced: fields of the
// first object that the second one lacked stayed present.
TEST_CASE("DuplicateKey: a later record replaces the earlier one", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("r": {"req": "a", "x": 1}, "r": {"req": "b"})"));
  REQUIRE(row.row != nullptr);
  CHECK_FALSE(View(row).Record("r").Has("x"));
  CHECK(View(row).Record("r").Get<StringRef>("req").view() == "b");
}

TEST_CASE("DuplicateKey: a map key given twice is a warning", "[loader]") {
  Arena arena;
  LoadedRow row =
      Load(arena, With(R"("mi": {"k": 1, "k": 2}, "m": {"zzz": {"status": "red"}, "zzz": null})"));
  CHECK(Issues(row) == Strings{"DuplicateKey mi[\"k\"] (warning)", "DuplicateKey m[\"zzz\"] (warning)"});
  CHECK(row.ok());
}

TEST_CASE("DuplicateKey: a later null map entry removes the key", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("mi": {"k": 1, "k": null})"));
  REQUIRE(row.row != nullptr);
  CHECK(View(row).Entry("mi", "k") == nullptr);
  // ... and a later value after a null brings it back.
  LoadedRow back = Load(arena, With(R"("mi": {"k": null, "k": 3})"));
  const uint8_t* entry = View(back).Entry("mi", "k");
  REQUIRE(entry != nullptr);
  CHECK(ReadSlot<int64_t>(entry, 0) == 3);
}

// The later value of a map key does win (the entry table is overwritten).
TEST_CASE("DuplicateKey: the later map value wins", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("mi": {"k": 1, "k": 2})"));
  REQUIRE(row.row != nullptr);
  const uint8_t* entry = View(row).Entry("mi", "k");
  REQUIRE(entry != nullptr);
  CHECK(ReadSlot<int64_t>(entry, 0) == 2);
}

// A required field whose value is wrong is reported for its value, not also
// as missing.
TEST_CASE("a required field with a bad value is reported once", "[loader]") {
  Arena arena;
  CHECK(Issues(Load(arena, R"({"id": 5})")) == Strings{"WrongType id"});
  CHECK(Issues(Load(arena, With(R"("r": {"req": 1})"))) == Strings{"WrongType r.req"});
  CHECK(Issues(Load(arena, With(R"("m": {"k": {"status": "purple"}})"))) ==
        Strings{"UnknownEnumValue m[\"k\"].status"});
  // A null required field is missing, also after a value.
  CHECK(Issues(Load(arena, R"({"id": "a", "id": null})")) ==
        Strings{"DuplicateKey id (warning)", "MissingRequired id"});
}

// ---------------------------------------------------------------- numbers

TEST_CASE("NumberOutOfRange for 1e400 and integers beyond 64 bits", "[loader]") {
  const std::pair<const char*, const char*> cases[] = {
      {R"("n": 1e400)", "n"},
      {R"("n": -1e400)", "n"},
      {R"("i": 9223372036854775808)", "i"},
      {R"("i": -9223372036854775809)", "i"},
      {R"("i": 18446744073709551616)", "i"},
      {R"("i": 100000000000000000000000000000)", "i"},
      {R"("li": [1, 9223372036854775808])", "li[1]"},
      {R"("mi": {"k": 99999999999999999999})", "mi[\"k\"]"},
      {R"("mi": {"unread": -99999999999999999999})", "mi[\"unread\"]"},
  };
  for (const auto& [body, path] : cases) {
    Arena arena;
    LoadedRow row = Load(arena, With(body));
    INFO(body << "\n" << Messages(row));
    CHECK(Issues(row) == Strings{std::string("NumberOutOfRange ") + path});
    CHECK_FALSE(row.ok());
    CHECK(row.row != nullptr);
  }
}

TEST_CASE("a fraction or an exponent where an integer is expected is WrongType", "[loader]") {
  for (const char* body : {R"("i": 1.5)", R"("i": 1.0)", R"("i": 1e2)", R"("i": -0.0)", R"("i": 1E0)"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(body));
    INFO(body << "\n" << Messages(row));
    CHECK(Issues(row) == Strings{"WrongType i"});
    REQUIRE_FALSE(row.issues.empty());
    CHECK(row.issues[0].message == "expected an integer, found a number with a fraction or exponent");
    CHECK_FALSE(row.ok());
  }
  // A number field takes all of them.
  Arena arena;
  LoadedRow row = Load(arena, With(R"("n": 1e2)"));
  CHECK(row.ok());
  CHECK(View(row).Get<double>("n") == 100.0);
}

// ---------------------------------------------------------------- maps

TEST_CASE("map entries the policy does not read are still validated", "[loader]") {
  Arena arena;
  SECTION("valid unread entries are accepted silently") {
    LoadedRow row = Load(arena, With(R"("m": {"zzz": {"status": "green"}}, "mi": {"a": 1, "b": 2})"));
    CHECK(row.ok());
    CHECK(row.issues.empty());
    CHECK(View(row).Entry("m", "k") == nullptr);
  }
  SECTION("invalid unread entries are errors") {
    LoadedRow row = Load(arena, With(R"("m": {"zzz": {"status": "red", "n": "1"}, "yyy": {"n": 1},
                                              "xxx": {"status": "red", "extra": 1}, "www": {"status": "rde"}},
                                        "mi": {"other": "x", "big": 99999999999999999999})"));
    INFO(Messages(row));
    CHECK_FALSE(row.ok());
    std::vector<std::string> issues = Issues(row);
    for (const char* expected :
         {"WrongType m[\"zzz\"].n", "MissingRequired m[\"yyy\"].status",
          "UnknownField m[\"xxx\"].extra (warning)", "UnknownEnumValue m[\"www\"].status",
          "WrongType mi[\"other\"]", "NumberOutOfRange mi[\"big\"]"}) {
      INFO(expected);
      CHECK(std::count(issues.begin(), issues.end(), expected) == 1);
    }
  }
  SECTION("an invalid entry under a key the policy reads is not stored") {
    LoadedRow row = Load(arena, With(R"("m": {"k": {"status": "purple", "n": 1}})"));
    CHECK_FALSE(row.ok());
    CHECK(View(row).Entry("m", "k") == nullptr);
  }
}

TEST_CASE("map keys are unescaped", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("mi": {"\u006b": 11})"));
  REQUIRE(row.ok());
  const uint8_t* entry = View(row).Entry("mi", "k");
  REQUIRE(entry != nullptr);
  CHECK(ReadSlot<int64_t>(entry, 0) == 11);
}

// ---------------------------------------------------------------- broken JSON inside values

// Fixed bug: a malformed literal inside a known field was reported as
// WrongType ("expected a boolean, found a boolean"), not as InvalidJson.
TEST_CASE("a malformed literal is InvalidJson, not WrongType", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("b": tru)"));
  INFO(Messages(row));
  CHECK(HasKind(row, InputIssueKind::InvalidJson));
}

// Fixed bug: an invalid escape in a string was reported as WrongType
// ("expected a string, found a string").
TEST_CASE("an invalid string escape is InvalidJson, not WrongType", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("s": "\q")"));
  INFO(Messages(row));
  CHECK(HasKind(row, InputIssueKind::InvalidJson));
}

// Fixed bug: a number with a leading zero was reported as NumberOutOfRange.
TEST_CASE("a number with a leading zero is InvalidJson", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("i": 01)"));
  INFO(Messages(row));
  CHECK(HasKind(row, InputIssueKind::InvalidJson));
}

TEST_CASE("a value that is not JSON is InvalidJson whatever the field's type", "[loader]") {
  // Each is text On-Demand types by its first byte; none is JSON.
  for (const char* body : {R"("i": tru)", R"("n": 1.5.3)", R"("i": 1.5e)", R"("b": 01)", R"("s": nul)",
                           R"("b": "\q")", R"("i": -)"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(body));
    INFO(body << "\n" << Messages(row));
    CHECK(HasKind(row, InputIssueKind::InvalidJson));
    CHECK_FALSE(HasKind(row, InputIssueKind::WrongType));
  }
  // JSON of the wrong type stays a WrongType issue.
  for (const char* body :
       {R"("i": true)", R"("b": "yes")", R"("i": 1.5)", R"("n": [1])", R"("s": {"a": 1})"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(body));
    INFO(body << "\n" << Messages(row));
    CHECK(HasKind(row, InputIssueKind::WrongType));
    CHECK_FALSE(HasKind(row, InputIssueKind::InvalidJson));
  }
}

// Fixed bug: On-Demand skips the values of unknown fields without validating
// them, so invalid JSON there was accepted with only an UnknownField warning
// (the loader now checks such values itself).
TEST_CASE("invalid JSON inside an unknown field is InvalidJson", "[loader]") {
  Arena arena;
  LoadedRow row = Load(arena, With(R"("extra": [1 2 3])"));
  INFO(Messages(row));
  CHECK_FALSE(row.ok());
}

// Fixed bug: any bare word that starts with `n` was taken for `null` (the
// loader trusted od::value::type(), which only looks at the first byte), so
// the descriptor loaded without any issue.
TEST_CASE("a bare word starting with n is not null", "[loader]") {
  for (const char* body : {R"("b": nul)", R"("b": nonsense)", R"("m": {"k": nope})", R"("i": n)",
                           R"("li": [nil])", R"("es": [nah])"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(body));
    INFO(body << "\n" << Messages(row));
    CHECK_FALSE(row.ok());
    CHECK(HasKind(row, InputIssueKind::InvalidJson));
  }
}

// These broken values are caught today, whatever kind they are reported as.
TEST_CASE("broken values inside known fields are errors", "[loader]") {
  for (const char* body :
       {R"("b": tru)", R"("b": truex)", R"("s": "\q")", R"("i": 01)", R"("i": -)", R"("n": 1.)",
        R"("li": [1 2])", R"("es": ["red" "blue"])", R"("r": {"req" "a"})"}) {
    Arena arena;
    LoadedRow row = Load(arena, With(body));
    INFO(body << "\n" << Messages(row));
    CHECK_FALSE(row.ok());
  }
}

// ---------------------------------------------------------------- the arena and the loader

TEST_CASE("rows stay valid while the arena lives, across loads", "[loader]") {
  Arena arena;
  RowLoader loader(*Policy());
  LoadedRow first = loader.Load(With(R"("s": "first string", "ss": ["p", "q"])"), arena, false);
  LoadedRow second = loader.Load(With(R"("s": "second string", "ss": ["r"])"), arena, false);
  REQUIRE(first.ok());
  REQUIRE(second.ok());
  CHECK(View(first).Get<StringRef>("s").view() == "first string");
  CHECK(View(first).Get<StringSetRef>("ss").count == 2);
  CHECK(View(second).Get<StringRef>("s").view() == "second string");
  CHECK(arena.bytes_used() > 0);
  // The loader keeps no state from one descriptor to the next.
  LoadedRow third = loader.Load(R"({"id": "x"})", arena, false);
  CHECK(third.issues.empty());
  CHECK_FALSE(View(third).Has("s"));
  arena.Reset();
  CHECK(arena.bytes_used() == 0);
}

TEST_CASE("long strings and big arrays", "[loader]") {
  Arena arena;
  std::string big(200'000, 'z');
  std::string items;
  for (int k = 0; k < 20'000; ++k) items += (k ? "," : "") + std::to_string(k);
  LoadedRow row = Load(arena, With("\"s\": \"" + big + "\", \"li\": [" + items + "]"));
  REQUIRE(row.ok());
  CHECK(View(row).Get<StringRef>("s").view() == big);
  ListRef li = View(row).Get<ListRef>("li");
  REQUIRE(li.count == 20'000);
  CHECK(ReadSlot<int64_t>(li.items, 8 * 19'999) == 19'999);
}

TEST_CASE("deep nesting in an unknown field does not crash", "[loader]") {
  Arena arena;
  std::string deep = std::string(5000, '[') + std::string(5000, ']');
  LoadedRow row = Load(arena, With("\"extra\": " + deep));
  // Either a warning (skipped) or InvalidJson (too deep); never a crash.
  CHECK((row.ok() || HasKind(row, InputIssueKind::InvalidJson)));
}

// ---------------------------------------------------------------- the standard library

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

TEST_CASE("every example descriptor loads without issues under aiact.system", "[loader][stdlib]") {
  CompiledPolicy policy = testing::CompileStdlibSystem();
  RowLoader loader(*policy);
  const char* examples[] = {"credit-scoring-bank", "cv-ranker",       "exam-proctoring-public-university",
                            "frontier-model",      "open-weights-7b", "retinopathy-mdr",
                            "spam-filter",         "support-chatbot"};
  for (const char* name : examples) {
    std::string text = ReadFile(std::string(AIPOL_SOURCE_DIR) + "/examples/systems/" + name + ".json");
    INFO(name);
    REQUIRE_FALSE(text.empty());
    Arena arena;
    LoadedRow row = loader.Load(text, arena, true);
    INFO(Messages(row));
    CHECK(row.ok());
    CHECK(row.issues.empty());
    CHECK(row.id == name);
  }
}

TEST_CASE("stdlib descriptor errors: enum suggestions and incidents", "[loader][stdlib]") {
  CompiledPolicy policy = testing::CompileStdlibSystem();
  RowLoader loader(*policy);
  Arena arena;
  LoadedRow row = loader.Load(R"({
    "id": "s",
    "roles": ["provider", "deployr"],
    "use": {"purposes": ["recruitment_selectoin"]},
    "incidents": [{"kind": "death", "aware_on": "2026-01-01"}, {"kind": "death"}],
    "evidence": {"Art. 9": {"ref": "x"}},
    "derogation": {}
  })",
                              arena, false);
  INFO(Messages(row));
  CHECK(Issues(row) == Strings{"UnknownEnumValue roles[1]", "UnknownEnumValue use.purposes[0]",
                               "MissingRequired incidents[1].aware_on",
                               "MissingRequired evidence[\"Art. 9\"].status"});
  REQUIRE(row.issues.size() == 4);
  CHECK_THAT(row.issues[0].message, Contains("did you mean `deployer`?"));
  CHECK_THAT(row.issues[1].message, Contains("did you mean `recruitment_selection`?"));
  CHECK(row.id == "s");
}

// ---------------------------------------------------------------- fuzzing

// What holds for every load, whatever the input.
void CheckInvariants(const LoadedRow& row, bool strict) {
  bool any_error = false;
  for (const InputIssue& issue : row.issues) {
    INFO(testing::DescribeIssue(issue) << ": " << issue.message);
    bool expected_error = issue.kind != InputIssueKind::UnknownField &&
                          issue.kind != InputIssueKind::DuplicateItem &&
                          issue.kind != InputIssueKind::DuplicateKey;
    if (issue.kind == InputIssueKind::UnknownField && strict) expected_error = true;
    CHECK(issue.error == expected_error);
    CHECK_FALSE(issue.message.empty());
    CHECK_FALSE(InputIssueKindName(issue.kind).empty());
    if (issue.kind == InputIssueKind::InvalidJson || issue.kind == InputIssueKind::NotAnObject) {
      CHECK(row.row == nullptr);
      CHECK(issue.path.empty());
    }
    any_error = any_error || issue.error;
  }
  if (row.row == nullptr) CHECK(any_error);
  CHECK(row.ok() == (row.row != nullptr && !any_error));
}

std::string Mutate(std::string text, std::mt19937& rng) {
  static const char kInteresting[] = "{}[]:,\"\\ 0123456789-+.eEtrufalsn\x00\xff\x80\xc3";
  auto pick = [&](size_t n) { return std::uniform_int_distribution<size_t>(0, n - 1)(rng); };
  int rounds = 1 + static_cast<int>(pick(4));
  for (int r = 0; r < rounds; ++r) {
    if (text.empty()) text = "{";
    size_t at = pick(text.size());
    switch (pick(8)) {
      case 0: text[at] = static_cast<char>(pick(256)); break;
      case 1: text[at] = kInteresting[pick(sizeof kInteresting - 1)]; break;
      case 2: text.insert(text.begin() + at, kInteresting[pick(sizeof kInteresting - 1)]); break;
      case 3: text.erase(at, 1 + pick(8)); break;
      case 4: text.resize(at); break;  // truncate
      case 5: {                        // duplicate a span elsewhere
        size_t length = 1 + pick(40);
        std::string span = text.substr(at, length);
        text.insert(pick(text.size() + 1), span);
        break;
      }
      case 6: {  // swap two bytes
        size_t other = pick(text.size());
        std::swap(text[at], text[other]);
        break;
      }
      default: {  // replace a value-ish token with another
        static const char* const kValues[] = {
            "null",        "true",           "0",       "-1",
            "1e400",       "\"\"",           "[]",      "{}",
            "[null]",      "\"2026-02-29\"", "\"red\"", "18446744073709551616",
            "\"x\\u0000\""};
        text.insert(at, kValues[pick(std::size(kValues))]);
        break;
      }
    }
  }
  return text;
}

TEST_CASE("fuzz: random bytes never crash the loader", "[loader][fuzz]") {
  std::mt19937 rng(20260802);
  RowLoader loader(*Policy());
  Arena arena;
  for (int k = 0; k < 2000; ++k) {
    size_t length = std::uniform_int_distribution<size_t>(0, 300)(rng);
    std::string bytes(length, '\0');
    for (char& c : bytes) c = static_cast<char>(std::uniform_int_distribution<int>(0, 255)(rng));
    // Every fourth input starts like an object, to get past the first byte.
    if (k % 4 == 0 && !bytes.empty()) bytes[0] = '{';
    bool strict = k % 2 == 0;
    LoadedRow row = loader.Load(bytes, arena, strict);
    INFO("input #" << k);
    CheckInvariants(row, strict);
    if (k % 100 == 99) arena.Reset();
  }
}

TEST_CASE("fuzz: mutations of a valid descriptor never crash the loader or the interpreter",
          "[loader][fuzz]") {
  std::mt19937 rng(1);
  const CompiledPolicy& policy = Policy();
  RowLoader loader(*policy);
  Interpreter interpreter(*policy);
  Arena arena;
  int loaded = 0;
  for (int k = 0; k < 2000; ++k) {
    std::string text = Mutate(kValid, rng);
    bool strict = k % 3 == 0;
    LoadedRow row = loader.Load(text, arena, strict);
    INFO("mutation #" << k << ": " << text);
    CheckInvariants(row, strict);
    if (row.ok()) {
      ++loaded;
      EvalRequest request{row.row, 20000, &policy.params};
      Results results = interpreter.Evaluate(request);
      if (!results.error) CHECK(results.facts.size() == policy->reports.size());
    }
    arena.Reset();
  }
  // The mutations are not all fatal: some rows still load and evaluate.
  CHECK(loaded > 50);
}

TEST_CASE("fuzz: mutations of an example descriptor under the full aiact policy", "[loader][fuzz][stdlib]") {
  PolicyRequest request;
  request.policies = {"aiact"};
  CompiledPolicy policy = testing::CheckRequest(request);
  INFO(policy.diagnostics);
  REQUIRE(policy.program != nullptr);
  std::string valid = ReadFile(std::string(AIPOL_SOURCE_DIR) + "/examples/systems/cv-ranker.json");
  REQUIRE_FALSE(valid.empty());
  std::mt19937 rng(7);
  RowLoader loader(*policy);
  Interpreter interpreter(*policy);
  Arena arena;
  int loaded = 0;
  for (int k = 0; k < 1000; ++k) {
    std::string text = Mutate(valid, rng);
    LoadedRow row = loader.Load(text, arena, false);
    INFO("mutation #" << k << ": " << text);
    CheckInvariants(row, false);
    if (row.ok()) {
      ++loaded;
      EvalRequest eval{row.row, *ParseDate("2026-11-28"), &policy.params};
      Results results = interpreter.Evaluate(eval);
      if (!results.error) {
        CHECK(results.facts.size() == policy->reports.size());
        CHECK(results.obligations.size() == policy->obligations.size());
        CHECK(std::is_sorted(results.missing.begin(), results.missing.end()));
      }
    }
    arena.Reset();
  }
  CHECK(loaded > 50);
}

}  // namespace
}  // namespace aipol
