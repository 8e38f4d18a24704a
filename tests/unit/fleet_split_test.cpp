// How the fleet reader splits what is not JSON Lines: JSON values in a row,
// pretty-printed input on standard input, and malformed arrays (docs/cli.md,
// "Malformed arrays"), where a broken element is cut where the next one
// visibly starts, so that it does not swallow the elements after it; whole
// elements with errors inside them stay one record each.
#include <catch2/catch.hpp>
#include <string>

#include "reader_helpers.h"

namespace aipol {
namespace {

using Catch::Matchers::Contains;
using testing::Read;
using testing::ReadFile;
using testing::ReadStdin;

std::string Text(const RawRecord& r) { return std::string(r.text); }

TEST_CASE("an element cut short inside a string ends where the next line starts", "[reader][array]") {
  Read read =
      ReadFile("fleet.json", "[\n{\"id\": \"a\", \"name\": \"cu,\n{\"id\": \"b\"},\n{\"id\": \"c\"}\n]\n");
  REQUIRE(read.records.size() == 3);
  CHECK(Text(read.records[0]) == "{\"id\": \"a\", \"name\": \"cu,\n");
  CHECK_THAT(read.records[0].invalid_reason,
             Contains("breaks off before its end: the next one starts on line 3"));
  CHECK(read.records[0].line == 2);
  CHECK(Text(read.records[1]) == "{\"id\": \"b\"}");
  CHECK(read.records[1].invalid_reason.empty());
  CHECK(read.records[1].line == 3);
  CHECK(Text(read.records[2]) == "{\"id\": \"c\"}");
  CHECK(read.records[2].line == 4);
}

TEST_CASE("after a string cut short, the next line is an element whatever it holds", "[reader][array]") {
  Read read = ReadFile("fleet.json", "[\n{\"id\": \"a\", \"name\": \"cu,\n42,\n{\"id\": \"b\"}\n]");
  REQUIRE(read.records.size() == 3);
  CHECK(Text(read.records[1]) == "42");
  CHECK(read.records[1].line == 3);
  CHECK(Text(read.records[2]) == "{\"id\": \"b\"}");
}

TEST_CASE("an element cut short after a comma ends at the next line that starts an element",
          "[reader][array]") {
  // The comma after the element is lost in it, or stands at the next line's start.
  for (std::string separator : {",\n", "\n, "}) {
    INFO("separator: " << separator);
    Read read = ReadFile("fleet.json", "[\n{\"id\": \"a\", \"x\": [1, 2]," + separator +
                                           "{\"id\": \"b\", \"l\": [{}]}" + separator + "{\"id\": \"c\"}\n]");
    REQUIRE(read.records.size() == 3);
    CHECK_THAT(read.records[0].invalid_reason, Contains("the next one starts on line 3"));
    CHECK(Text(read.records[1]) == "{\"id\": \"b\", \"l\": [{}]}");
    CHECK(read.records[1].invalid_reason.empty());
    CHECK(read.records[1].line == 3);
    CHECK(Text(read.records[2]) == "{\"id\": \"c\"}");
    CHECK(read.records[2].invalid_reason.empty());
  }
}

TEST_CASE("a lost closing brace ends the element at the next one's line", "[reader][array]") {
  std::string text =
      "[\n"
      "  {\n"
      "    \"id\": \"a\",\n"
      "    \"org\": {\n"
      "      \"name\": \"x\"\n"
      "  },\n"
      "  {\n"
      "    \"id\": \"b\"\n"
      "  }\n"
      "]\n";
  Read read = ReadFile("fleet.json", text);
  REQUIRE(read.records.size() == 2);
  CHECK_THAT(read.records[0].invalid_reason, Contains("the next one starts on line 7"));
  CHECK(read.records[1].line == 7);
  CHECK(Text(read.records[1]) == "{\n    \"id\": \"b\"\n  }");
}

TEST_CASE("errors inside an element whose brackets close keep it one record", "[reader][array]") {
  // A comma missing between two nested objects, each on a line of its own
  // (indented deeper than the element: not a new element), a comma missing
  // between fields, and a raw line break inside a string.
  std::string text =
      "[\n"
      "  {\n"
      "    \"id\": \"a\"\n"
      "    \"l\": [\n"
      "      {\"k\": 1}\n"
      "      {\"k\": 2}\n"
      "    ]\n"
      "  },\n"
      "  {\"id\": \"two\n"
      "lines\"},\n"
      "  {\"id\": \"c\"}\n"
      "]\n";
  Read read = ReadFile("fleet.json", text);
  REQUIRE(read.records.size() == 3);
  CHECK(read.records[0].invalid_reason.empty());  // the loader says what is wrong
  CHECK(read.records[0].line == 2);
  CHECK(Text(read.records[0]).back() == '}');
  CHECK(Text(read.records[1]) == "{\"id\": \"two\nlines\"}");
  CHECK(read.records[2].line == 11);
  CHECK(Text(read.records[2]) == "{\"id\": \"c\"}");
}

TEST_CASE("on a single line nothing shows where the next element starts", "[reader][array]") {
  // Documented: a compact array broken inside a string is read to its end
  // as one element (its `]` is in the string).
  Read read = ReadFile("fleet.json", "[{\"id\": \"a, {\"id\": \"b\"}, {\"id\": \"c\"}]");
  REQUIRE(read.records.size() == 1);
  CHECK_THAT(read.records[0].invalid_reason, Contains("not closed"));
}

TEST_CASE("an element nested too deep to follow still ends where its brackets close", "[reader][array]") {
  std::string deep = std::string(3000, '[') + std::string(3000, ']');
  Read read = ReadFile("fleet.json", "[\n" + deep + ",\n{\"id\": \"b\"}\n]");
  REQUIRE(read.records.size() == 2);
  CHECK(Text(read.records[0]) == deep);
  CHECK(Text(read.records[1]) == "{\"id\": \"b\"}");
}

TEST_CASE("a .json file may hold several descriptors in a row", "[reader][values]") {
  Read compact = ReadFile("fleet.json", "{\"id\": 1} {\"id\": 2}\n{\"id\": 3}\n");
  REQUIRE(compact.records.size() == 3);
  CHECK(Text(compact.records[1]) == "{\"id\": 2}");
  CHECK(compact.records[2].line == 2);
  // Pretty-printed, as `jq` writes them; the second one is cut short.
  Read pretty = ReadFile("fleet.json", "{\n  \"id\": 1\n}\n{\n  \"id\": \"cu\n{\n  \"id\": 3\n}\n");
  REQUIRE(pretty.records.size() == 3);
  CHECK(Text(pretty.records[0]) == "{\n  \"id\": 1\n}");
  CHECK(pretty.records[1].line == 4);
  CHECK_THAT(pretty.records[1].invalid_reason,
             Contains("the value breaks off before its end: the next one starts on line 6"));
  CHECK(pretty.records[2].line == 6);
  CHECK(Text(pretty.records[2]) == "{\n  \"id\": 3\n}");
  // Text after a descriptor is a record of its own; one cut short at the
  // end of the file is one record.
  Read after = ReadFile("fleet.json", "{\"id\": 1} garbage");
  REQUIRE(after.records.size() == 2);
  CHECK(Text(after.records[1]) == "garbage");
  // Text that does not start like a descriptor runs to the next line that does.
  Read junk = ReadFile("fleet.json", "{\"id\": 1}\nnot json\n  more: 1, 2\n{\"id\": 2}\n");
  REQUIRE(junk.records.size() == 3);
  CHECK(Text(junk.records[1]) == "not json\n  more: 1, 2\n");
  CHECK(junk.records[1].line == 2);
  CHECK(junk.records[2].line == 4);
  Read truncated = ReadFile("fleet.json", "{\"id\": 1, \"l\": [");
  REQUIRE(truncated.records.size() == 1);
  CHECK(truncated.records[0].invalid_reason.empty());  // the loader says what is wrong
}

TEST_CASE("standard input is JSON Lines unless its first line holds just an opening bracket or brace",
          "[reader][values]") {
  Read array = ReadStdin("\n[\n  {\"id\": 1},\n  {\"id\": 2}\n]\n");
  REQUIRE(array.records.size() == 2);
  CHECK(Text(array.records[1]) == "{\"id\": 2}");
  CHECK(array.records[1].line == 4);
  Read values = ReadStdin("{\n  \"id\": 1\n}\n{\n  \"id\": 2\n}\n");
  REQUIRE(values.records.size() == 2);
  CHECK(values.records[1].line == 4);
  // JSON Lines, also when the first record is not an object.
  for (std::string first : {"{\"id\": 1}", "[1]", "[ {", "{ \"id\"", "42"}) {
    INFO("first line: " << first);
    Read lines = ReadStdin(first + "\n{\"id\": 2}\n");
    REQUIRE(lines.records.size() == 2);
    CHECK(Text(lines.records[1]) == "{\"id\": 2}");
    CHECK(lines.records[1].line == 2);
  }
}

}  // namespace
}  // namespace aipol
