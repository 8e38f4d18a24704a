#include "runtime/json_text.h"

#include <catch2/catch.hpp>
#include <string>
#include <string_view>

namespace aipol {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

std::string Quoted(std::string_view inner) { return "\"" + std::string(inner) + "\""; }

TEST_CASE("quotes and backslashes are escaped", "[json_text]") {
  CHECK(JsonString("") == "\"\"");
  CHECK(JsonString("plain") == "\"plain\"");
  CHECK(JsonString("say \"hi\"") == R"("say \"hi\"")");
  CHECK(JsonString("a\\b") == R"("a\\b")");
  CHECK(JsonString("/") == "\"/\"");
}

TEST_CASE("control characters are escaped", "[json_text]") {
  CHECK(JsonString("a\nb") == R"("a\nb")");
  CHECK(JsonString("\r\t") == R"("\r\t")");
  CHECK(JsonString("\x01") == R"("\u0001")");
  CHECK(JsonString("\x1f") == R"("\u001f")");
  CHECK(JsonString("\x0b") == R"("\u000b")");
  CHECK(JsonString(std::string_view("a\0b", 3)) == R"("a\u0000b")");
  // DEL is not a control character for JSON.
  CHECK(JsonString("\x7f") == "\"\x7f\"");
}

TEST_CASE("valid UTF-8 is kept as is", "[json_text]") {
  std::string_view text = "caf\xC3\xA9 \xE6\x97\xA5\xE6\x9C\xAC \xF0\x9F\x98\x80 \xEF\xBF\xBF";
  CHECK(JsonString(text) == Quoted(text));
}

TEST_CASE("invalid UTF-8 becomes U+FFFD", "[json_text]") {
  std::string r(kReplacement);
  // A byte that never starts a sequence.
  CHECK(JsonString("a\xFFz") == Quoted("a" + r + "z"));
  // A lone continuation byte.
  CHECK(JsonString("\x80") == Quoted(r));
  // A sequence cut short by the end of the text, and by an ASCII byte.
  CHECK(JsonString("x\xC3") == Quoted("x" + r));
  CHECK(JsonString("\xE6\x97z") == Quoted(r + r + "z"));
  // Overlong encodings of `/`.
  CHECK(JsonString("\xC0\xAF") == Quoted(r + r));
  CHECK(JsonString("\xE0\x80\xAF") == Quoted(r + r + r));
  // A UTF-16 surrogate, which JSON parsers refuse.
  CHECK(JsonString("\xED\xA0\x80") == Quoted(r + r + r));
  // Past U+10FFFF.
  CHECK(JsonString("\xF4\x90\x80\x80") == Quoted(r + r + r + r));
}

TEST_CASE("AppendJsonString appends to what is there", "[json_text]") {
  std::string out = "{\"key\": ";
  AppendJsonString(out, "v\"1");
  out += "}";
  CHECK(out == R"({"key": "v\"1"})");
}

}  // namespace
}  // namespace aipol
