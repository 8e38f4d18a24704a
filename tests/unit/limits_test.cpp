// Limits on descriptors and fleets (docs/cli.md, "Limits"): the loader's
// size and depth limits, invalid UTF-8, byte-order marks; the fleet reader's
// record limit in every input form, empty inputs, and the regressions found
// by the fuzz targets (tests/fuzz/README.md).
#include <unistd.h>

#include <algorithm>
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "compiler/diag/diag.h"
#include "compiler/source/source.h"
#include "compiler/syntax/parse.h"
#include "policy_helpers.h"
#include "reader_helpers.h"
#include "runtime/fleet_reader.h"
#include "runtime/json_syntax.h"
#include "runtime/limits.h"
#include "runtime/loader.h"

namespace aipol {
namespace {

using Catch::Matchers::Contains;
using testing::CompiledPolicy;
using testing::CompilePolicy;
using testing::Issues;
using testing::Messages;
using Strings = std::vector<std::string>;

const CompiledPolicy& Policy() {
  static const CompiledPolicy policy = CompilePolicy(R"(module limitstest

record Inner { x: int }
record Root {
  id: string required
  s: string
  r: Inner
  l: list<Inner>
  m: map<string, Inner>
}
input root: Root

report def read_s = root.s
report def read_x = root.r.x
)");
  return policy;
}

LoadedRow Load(Arena& arena, std::string_view json) {
  RowLoader loader(*Policy());
  return loader.Load(json, arena, false);
}

std::string OnlyError(const LoadedRow& row) {
  INFO(Messages(row));
  REQUIRE(row.issues.size() == 1);
  CHECK(row.issues[0].kind == InputIssueKind::InvalidJson);
  CHECK(row.issues[0].error);
  CHECK_FALSE(row.ok());
  CHECK_FALSE(row.id.has_value());
  return row.issues[0].message;
}

// ---------------------------------------------------------------- the loader

TEST_CASE("a descriptor over the size limit is not read", "[limits][loader]") {
  Arena arena;
  std::string head = R"({"id": "big", "s": ")", tail = R"("})";
  std::string at_limit = head + std::string(kMaxDescriptorBytes - head.size() - tail.size(), 'x') + tail;
  REQUIRE(at_limit.size() == kMaxDescriptorBytes);
  LoadedRow row = Load(arena, at_limit);
  CHECK(row.ok());
  CHECK(row.id == "big");
  arena.Reset();
  std::string over = at_limit + " ";
  CHECK_THAT(OnlyError(Load(arena, over)),
             Contains("the descriptor is over the limit of 16777216 bytes; it was not read"));
}

TEST_CASE("nesting deeper than the limit is InvalidJson that says so", "[limits][loader]") {
  Arena arena;
  auto deep = [](size_t levels) { return std::string(levels, '[') + std::string(levels, ']'); };
  // The whole document.
  CHECK_THAT(OnlyError(Load(arena, deep(kMaxJsonDepth + 1))), Contains("nested more than 1024 levels deep"));
  CHECK_THAT(OnlyError(Load(arena, deep(100'000))), Contains("nested more than 1024 levels deep"));
  // Inside an unknown field, whose value On-Demand would skip unread: the
  // object around it is level 1.
  LoadedRow fits = Load(arena, R"({"id": "a", "extra": )" + deep(kMaxJsonDepth - 1) + "}");
  CHECK(Issues(fits) == Strings{"UnknownField extra (warning)"});
  CHECK_THAT(OnlyError(Load(arena, R"({"id": "a", "extra": )" + deep(kMaxJsonDepth) + "}")),
             Contains("nested more than 1024 levels deep"));
  // Deeper in: an unknown field of a record inside a list inside the root.
  std::string inner = R"({"id": "a", "l": [{"x": 1, "extra": )" + deep(kMaxJsonDepth - 3) + "}]}";
  CHECK(Issues(Load(arena, inner)) == Strings{"UnknownField l[0].extra (warning)"});
  std::string too_deep = R"({"id": "a", "l": [{"x": 1, "extra": )" + deep(kMaxJsonDepth - 2) + "}]}";
  CHECK_THAT(OnlyError(Load(arena, too_deep)), Contains("nested more than 1024 levels deep"));
}

// Found with the hostile inputs: On-Demand counts no levels itself, and a
// debug build of simdjson asserted (aborted) on a descriptor nested deeper
// than 1024 levels along a policy's own record types.
TEST_CASE("nesting along the policy's types is limited too", "[limits][loader]") {
  std::string text = "module deeptypes\n\n";
  for (int k = 0; k < 1030; ++k) {
    text += "record R" + std::to_string(k) + " { x: R" + std::to_string(k + 1) + "  v: int }\n";
  }
  text += "record R1030 { v: int }\nrecord Root { id: string required  r: R0 }\ninput root: Root\n";
  CompiledPolicy policy = CompilePolicy(text);
  RowLoader loader(*policy);
  // The innermost object is at level k + 2 (the descriptor is level 1).
  auto json = [](int k) {
    std::string out = R"({"id": "a", "r": )";
    for (int i = 0; i < k; ++i) out += R"({"x": )";
    out += R"({"v": 1})" + std::string(k, '}') + "}";
    return out;
  };
  Arena arena;
  LoadedRow fits = loader.Load(json(1022), arena, false);
  INFO(Messages(fits));
  CHECK(fits.ok());
  CHECK(fits.issues.empty());
  CHECK_THAT(OnlyError(loader.Load(json(1023), arena, false)), Contains("nested more than 1024 levels deep"));
  CHECK_THAT(OnlyError(loader.Load(json(3000), arena, false)), Contains("nested more than 1024 levels deep"));
}

TEST_CASE("invalid UTF-8 is InvalidJson with the offset of the first bad byte", "[limits][loader]") {
  Arena arena;
  CHECK(OnlyError(Load(arena, "{\"id\": \"caf\xc3\"}")) == "the text is not valid UTF-8 (at byte 12)");
  // Overlong forms and encoded surrogates.
  CHECK_THAT(OnlyError(Load(arena, "{\"id\": \"\xc0\xaf\"}")), Contains("not valid UTF-8 (at byte 9)"));
  CHECK_THAT(OnlyError(Load(arena, "{\"id\": \"\xed\xa0\x80\"}")), Contains("not valid UTF-8"));
  // In a key, in an unknown field, after the object.
  CHECK_THAT(OnlyError(Load(arena, "{\"id\": \"a\", \"\xff\": 1}")), Contains("not valid UTF-8"));
  CHECK_THAT(OnlyError(Load(arena, "{\"id\": \"a\", \"u\": [\"\xfe\"]}")), Contains("not valid UTF-8"));
  CHECK_THAT(OnlyError(Load(arena, "{\"id\": \"a\"} \xff")), Contains("not valid UTF-8"));
  // Escapes are JSON's business: a lone surrogate escape is text simdjson refuses.
  CHECK_FALSE(Load(arena, R"({"id": "\ud800"})").ok());
}

TEST_CASE("a byte-order mark before the descriptor is skipped", "[limits][loader]") {
  Arena arena;
  LoadedRow row = Load(arena, "\xEF\xBB\xBF{\"id\": \"bom\"}");
  CHECK(row.ok());
  CHECK(row.issues.empty());
  CHECK(row.id == "bom");
  // Only one, and only at the start.
  CHECK_FALSE(Load(arena, "\xEF\xBB\xBF\xEF\xBB\xBF{\"id\": \"bom\"}").ok());
  CHECK_FALSE(Load(arena, "{\"id\": \"bom\"}\xEF\xBB\xBF").ok());
  CHECK(OnlyError(Load(arena, "\xEF\xBB\xBF")) == "the text is not valid JSON");
}

TEST_CASE("CRLF line ends are white space", "[limits][loader]") {
  Arena arena;
  LoadedRow row = Load(arena, "{\r\n  \"id\": \"crlf\",\r\n  \"r\": {\"x\": 1}\r\n}\r\n");
  CHECK(row.ok());
  CHECK(row.issues.empty());
}

TEST_CASE("fuzz regression: bare words and broken JSON in skipped values", "[limits][loader]") {
  Arena arena;
  // Each of these loaded without an error before (On-Demand never read them).
  for (const char* json :
       {R"({"id": "a", "s": nope})", R"({"id": "a", "s": nul})", R"({"id": "a", "u": nope})",
        R"({"id": "a", "u": [1 2]})", R"({"id": "a", "u": {"k" 1}})", R"({"id": "a", "u": 01})",
        R"({"id": "a", "u": "\q"})", R"({"id": "a", "u": tru})", R"({"id": "a", "m": {"k": nan}})",
        R"({"id": "a", "l": [nully]})"}) {
    INFO(json);
    CHECK(OnlyError(Load(arena, json)) == "the text is not valid JSON");
  }
  // Valid values of unknown fields are still only a warning.
  LoadedRow row =
      Load(arena, R"({"id": "a", "u": {"k": [1, "two", null, true, {"deep": [[]]}]}, "v": null})");
  CHECK(Issues(row) == Strings{"UnknownField u (warning)", "UnknownField v (warning)"});
}

TEST_CASE("numbers out of range in skipped values are JSON, and only a warning", "[limits][loader]") {
  Arena arena;
  LoadedRow row = Load(arena, R"({"id": "a", "u": [1e400, -1e400, 18446744073709551616, 0.1e-400]})");
  CHECK(Issues(row) == Strings{"UnknownField u (warning)"});
  // A whole descriptor that is a number out of range is JSON, not an object.
  CHECK(Issues(Load(arena, "1e400")) == Strings{"NotAnObject $"});
  CHECK(Issues(Load(arena, " [1, 2] ")) == Strings{"NotAnObject $"});
  CHECK(Issues(Load(arena, "[1, 2] x")) == Strings{"InvalidJson $"});
}

TEST_CASE("CheckJsonValue: the syntax of RFC 8259, the depth limit, where the value ends", "[limits][json]") {
  auto check = [](std::string_view text, size_t depth = 8) { return CheckJsonValue(text, 0, depth).result; };
  for (std::string_view ok : {"0", "-0", "1.5", "-1.5e+10", "1E-3", "true", "false", "null", R"("")",
                              R"("\"\\\/\b\f\n\r\t\u00e9\uD800")", "[]", "{}", " [ 1 , [ ] , { } ] ",
                              R"({"a": {"b": [null]}, "c": "d"})", "\"\xc3\xa9\""}) {
    INFO(ok);
    CHECK(check(ok) == JsonSyntax::Ok);
  }
  for (std::string_view bad : {"",          " ",         "01",      "-",           "1.",
                               ".5",        "1e",        "+1",      "0x1",         "tru",
                               "truex",     "nul",       "nan",     "[1,]",        "[1 2]",
                               "{\"a\"}",   "{\"a\" 1}", "{a: 1}",  "{\"a\": 1,}", "[",
                               "{",         "]",         R"("\q")", R"("\u12")",   "\"unterminated",
                               "\"tab\t\"", "'a'",       "[1}",     "{]",          "\xc3\xa9"}) {
    INFO(bad);
    CHECK(check(bad) == JsonSyntax::Invalid);
  }
  CHECK(check("[[[[]]]]", 4) == JsonSyntax::Ok);
  CHECK(check("[[[[[]]]]]", 4) == JsonSyntax::TooDeep);
  CHECK(check("{\"a\": {\"b\": 1}}", 1) == JsonSyntax::TooDeep);
  CHECK(check("1", 0) == JsonSyntax::Ok);
  // The value ends where it ends; what follows is the caller's.
  JsonValueCheck end = CheckJsonValue(R"(x: [1, "]"], "next")", 3, 8);
  CHECK(end.result == JsonSyntax::Ok);
  CHECK(end.end == 11);
  CHECK(CheckJsonValue("  12}", 0, 8).end == 4);
}

TEST_CASE("long descriptor text is cut short in messages", "[limits][loader]") {
  Arena arena;
  // A 4 MiB unknown key: no suggestion is searched for (that was quadratic),
  // and the message quotes its first 100 bytes, cut at a character boundary.
  std::string key = "\xc3\xa9" + std::string(4 << 20, 'k');
  LoadedRow row = Load(arena, R"({"id": "a", ")" + key + R"(": 1})");
  REQUIRE(row.issues.size() == 1);
  const InputIssue& issue = row.issues[0];
  CHECK(issue.kind == InputIssueKind::UnknownField);
  CHECK(issue.path == key);  // paths stay whole: they are for programs
  CHECK(issue.message == "unknown field `\xc3\xa9" + std::string(98, 'k') + "\u2026` (" +
                             std::to_string(key.size()) + " bytes) in `Root`");
  // Short text is quoted whole, with its suggestion.
  LoadedRow typo = Load(arena, R"({"id": "a", "idd": "v"})");
  REQUIRE(typo.issues.size() == 1);
  CHECK(typo.issues[0].message == "unknown field `idd` in `Root`; did you mean `id`?");
}

// ---------------------------------------------------------------- policies

// Found by fuzz_policy: closing brackets with nothing open drove the nesting
// count below zero, so a later declaration's brackets could nest deeper than
// the limit unchecked and overflow the parser's stack.
TEST_CASE("nesting after unbalanced closing brackets is still limited", "[limits]") {
  std::string text = "module m\n\ndef a: int = 1 " + std::string(300, ')') +
                     "\ndef b: int = " + std::string(300, '(') + "1" + std::string(300, ')') + "\n";
  SourceManager sources;
  FileId file = sources.Add("m.pol", text);
  DiagnosticSink diags;
  Parse(sources, file, diags);
  bool too_deep = std::any_of(diags.diagnostics().begin(), diags.diagnostics().end(),
                              [](const Diagnostic& d) { return d.kind == DiagKind::TooDeeplyNested; });
  CHECK(too_deep);
}

// ---------------------------------------------------------------- the fleet reader

using testing::Read;
using testing::ReadFile;
using testing::ReadStdin;
using testing::TempFile;

bool TooLong(const RawRecord& r) {
  return r.text.empty() && r.invalid_reason.find("over the limit of") != std::string::npos;
}

TEST_CASE("JSON Lines: a line over the limit is one invalid record; the rest goes on", "[limits][reader]") {
  std::string line(100, 'x');
  Read read = ReadStdin("{\"id\": 1}\n" + line + "\n{\"id\": 2}\r\n" + line + "\r\n" + line, 40);
  REQUIRE(read.records.size() == 5);
  CHECK(read.records[0].text == "{\"id\": 1}");
  CHECK(TooLong(read.records[1]));
  CHECK(read.records[1].invalid_reason ==
        "the record is 100 bytes long, over the limit of 40 bytes; it was not read");
  CHECK(read.records[2].text == "{\"id\": 2}");
  CHECK(TooLong(read.records[3]));
  CHECK(TooLong(read.records[4]));  // the last one, without a line end
  std::vector<uint64_t> lines;
  for (const RawRecord& r : read.records) lines.push_back(r.line);
  CHECK(lines == std::vector<uint64_t>{1, 2, 3, 4, 5});
}

TEST_CASE("JSON Lines: a line of exactly the limit is read, also before CRLF", "[limits][reader]") {
  std::string line(40, 'y');
  Read read = ReadStdin(line + "\r\n" + line + "\n" + line + "y\n", 40);
  REQUIRE(read.records.size() == 3);
  CHECK(read.records[0].text == line);
  CHECK(read.records[1].text == line);
  CHECK(TooLong(read.records[2]));
}

TEST_CASE("JSON Lines: a line longer than the read size streams through", "[limits][reader]") {
  // Three reads of 1 MiB with no line end: the reader must not hold them.
  std::string text = "{}\n" + std::string(3 << 20, 'z') + "\n{}\n";
  Read read = ReadStdin(text, 1000);
  REQUIRE(read.records.size() == 3);
  CHECK(TooLong(read.records[1]));
  CHECK_THAT(read.records[1].invalid_reason, Contains("3145728 bytes long"));
  CHECK(read.records[2].line == 3);
  // The same with CRLF: the CR is not counted, as for a line that fits.
  Read crlf = ReadStdin("{}\r\n" + std::string(3 << 20, 'z') + "\r\n{}\r\n", 1000);
  REQUIRE(crlf.records.size() == 3);
  CHECK_THAT(crlf.records[1].invalid_reason, Contains("3145728 bytes long"));
}

TEST_CASE("a byte-order mark on stdin is skipped, as in files", "[limits][reader]") {
  Read read = ReadStdin("\xEF\xBB\xBF\n{\"id\": 1}\n");
  REQUIRE(read.records.size() == 1);
  CHECK(read.records[0].text == "{\"id\": 1}");
  CHECK(read.records[0].line == 2);
}

TEST_CASE("empty and blank inputs have no records", "[limits][reader]") {
  for (const char* text : {"", " ", "\n\n", " \t\r\n", "\xEF\xBB\xBF", "\xEF\xBB\xBF\r\n"}) {
    INFO("text: " << text);
    CHECK(ReadStdin(text).records.empty());
    CHECK(ReadFile("fleet.jsonl", text).records.empty());
    CHECK(ReadFile("fleet.json", text).records.empty());
    CHECK(ReadFile("fleet.json", text).errors.empty());
  }
  // An empty array too; its text after `]` is a record.
  CHECK(ReadFile("fleet.json", "[]").records.empty());
  CHECK(ReadFile("fleet.json", " [ ] \n").records.empty());
}

TEST_CASE("a .json file over the limit is one invalid record", "[limits][reader]") {
  Read read = ReadFile("one.json", "{\"id\": \"" + std::string(5000, 'q') + "\"}", 1000);
  REQUIRE(read.records.size() == 1);
  CHECK(TooLong(read.records[0]));
  CHECK_THAT(read.records[0].invalid_reason, Contains("5010 bytes long"));
  Read fits = ReadFile("one.json", "{\"id\": \"q\"}", 11);
  REQUIRE(fits.records.size() == 1);
  CHECK(fits.records[0].text == "{\"id\": \"q\"}");
}

TEST_CASE("an array element over the limit is one invalid record; the others are read", "[limits][reader]") {
  std::string big = "{\"id\": \"" + std::string(5000, 'q') + "\", \"l\": [[], {\"a\": \"]\"}]}";
  Read read = ReadFile("fleet.json", "[{\"id\": 1}, " + big + ", {\"id\": 2}]", 1000);
  REQUIRE(read.records.size() == 3);
  CHECK(read.records[0].text == "{\"id\": 1}");
  CHECK(TooLong(read.records[1]));
  CHECK(read.records[2].text == "{\"id\": 2}");
  CHECK(read.records[2].invalid_reason.empty());
  // Unclosed, and over the limit.
  Read unclosed = ReadFile("fleet.json", "[{\"id\": 1}, [" + std::string(5000, '1'), 1000);
  REQUIRE(unclosed.records.size() == 2);
  CHECK(TooLong(unclosed.records[1]));
}

TEST_CASE("text after an array is not held in memory", "[limits][reader]") {
  Read read = ReadFile("fleet.json", "[{\"id\": 1}] " + std::string(3 << 20, 'z'));
  REQUIRE(read.records.size() == 2);
  CHECK(read.records[1].invalid_reason == "text after the end of the JSON array");
  CHECK(read.records[1].text.empty());
}

// An input that goes away between the start of the run and its turn: the
// reader says so (and `batch` prints it after the run), the other inputs'
// records are all there.
TEST_CASE("an input removed before its turn is an error; the other inputs are read", "[limits][reader]") {
  TempFile first("a.jsonl", "{\"id\": 1}\n{\"id\": 2}\n");
  TempFile second("b.jsonl", "{\"id\": 3}\n");
  std::istringstream in;
  FleetReader reader({first.path, second.path}, in);
  REQUIRE(reader.errors().empty());
  std::filesystem::remove(second.path);
  RecordBatch batch;
  while (reader.Next(batch, 1)) {
  }
  REQUIRE(batch.records.size() == 2);
  CHECK(batch.records[1].text == "{\"id\": 2}");
  REQUIRE(reader.errors().size() == 1);
  CHECK(reader.errors()[0] == "cannot read `" + second.path + "`");
}

// A directory without descriptor files: a warning (a gate over it would pass
// on zero records); .ndjson files are JSON Lines, in directories too.
TEST_CASE("a directory without fleet files is a warning; .ndjson is JSON Lines", "[limits][reader]") {
  TempFile other("notes.txt", "{\"id\": 1}\n");
  std::istringstream in;
  FleetReader empty({other.dir.string()}, in);
  REQUIRE(empty.warnings().size() == 1);
  CHECK(empty.warnings()[0] ==
        "`" + other.dir.string() + "` holds no .json, .jsonl or .ndjson files (1 other file was not read)");
  TempFile lines("fleet.ndjson", "{\"id\": 1}\n{\"id\": 2}\n");
  FleetReader reader({lines.dir.string()}, in);
  CHECK(reader.warnings().empty());
  RecordBatch batch;
  while (reader.Next(batch, 10)) {
  }
  REQUIRE(batch.records.size() == 2);
  CHECK(batch.records[1].text == "{\"id\": 2}");
  CHECK(batch.records[1].line == 2);
}

}  // namespace
}  // namespace aipol
