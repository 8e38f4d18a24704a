#include "compiler/source/source.h"

#include <catch2/catch.hpp>
#include <string>

namespace aipol {
namespace {

bool IsAt(LineColumn position, uint32_t line, uint32_t column) {
  return position.line == line && position.column == column;
}

TEST_CASE("positions are 1-based lines and columns", "[source]") {
  SourceManager sources;
  FileId id = sources.Add("f.pol", "ab\ncd\n");
  const SourceFile& file = sources.file(id);
  CHECK(file.path() == "f.pol");
  CHECK(file.text() == "ab\ncd\n");
  CHECK(IsAt(file.Position(0), 1, 1));
  CHECK(IsAt(file.Position(1), 1, 2));
  // The newline itself belongs to the line it ends.
  CHECK(IsAt(file.Position(2), 1, 3));
  CHECK(IsAt(file.Position(3), 2, 1));
  CHECK(IsAt(file.Position(4), 2, 2));
  // The end of the file is the start of an empty last line.
  CHECK(IsAt(file.Position(6), 3, 1));
  // Offsets past the end are clamped to it.
  CHECK(IsAt(file.Position(100), 3, 1));
}

TEST_CASE("columns count code points, not bytes", "[source]") {
  SourceManager sources;
  // `"日本" x`: both CJK characters take three bytes each.
  FileId id = sources.Add("u.pol", "a\n\"\xE6\x97\xA5\xE6\x9C\xAC\" x\n");
  const SourceFile& file = sources.file(id);
  uint32_t line_start = file.LineStart(2);
  CHECK(line_start == 2u);
  CHECK(IsAt(file.Position(line_start + 1), 2, 2));  // 日
  CHECK(IsAt(file.Position(line_start + 4), 2, 3));  // 本
  CHECK(IsAt(file.Position(line_start + 7), 2, 4));  // closing quote
  CHECK(IsAt(file.Position(line_start + 9), 2, 6));  // x
  CHECK(file.Line(2) == "\"\xE6\x97\xA5\xE6\x9C\xAC\" x");
}

TEST_CASE("CRLF line ends are not part of the line", "[source]") {
  SourceManager sources;
  FileId id = sources.Add("w.pol", "a\r\nbc\r\nd");
  const SourceFile& file = sources.file(id);
  CHECK(file.LineCount() == 3u);
  CHECK(file.Line(1) == "a");
  CHECK(file.Line(2) == "bc");
  CHECK(file.Line(3) == "d");
  CHECK(file.LineStart(2) == 3u);
  CHECK(file.LineStart(3) == 7u);
  CHECK(IsAt(file.Position(3), 2, 1));
  CHECK(IsAt(file.Position(4), 2, 2));
  CHECK(IsAt(file.Position(7), 3, 1));
}

TEST_CASE("Line and LineStart", "[source]") {
  SourceManager sources;
  FileId id = sources.Add("f.pol", "first\n\nthird");
  const SourceFile& file = sources.file(id);
  CHECK(file.LineCount() == 3u);
  CHECK(file.Line(1) == "first");
  CHECK(file.Line(2) == "");
  CHECK(file.Line(3) == "third");
  CHECK(file.LineStart(1) == 0u);
  CHECK(file.LineStart(2) == 6u);
  CHECK(file.LineStart(3) == 7u);
  // Lines outside the file are empty rather than an error.
  CHECK(file.Line(0) == "");
  CHECK(file.Line(4) == "");
}

TEST_CASE("an empty file has one empty line", "[source]") {
  SourceManager sources;
  const SourceFile& file = sources.file(sources.Add("empty.pol", ""));
  CHECK(file.LineCount() == 1u);
  CHECK(file.Line(1) == "");
  CHECK(IsAt(file.Position(0), 1, 1));
}

TEST_CASE("SourceManager hands out stable ids and slices ranges", "[source]") {
  SourceManager sources;
  FileId a = sources.Add("a.pol", "alpha beta");
  FileId b = sources.Add("b.pol", "gamma");
  CHECK(a != b);
  CHECK(sources.size() == 2u);
  CHECK(sources.file(a).path() == "a.pol");
  CHECK(sources.file(b).path() == "b.pol");
  CHECK(sources.Text({a, 6, 10}) == "beta");
  CHECK(sources.Text({b, 0, 5}) == "gamma");
  CHECK(sources.Text(SourceRange{}) == "");
}

TEST_CASE("SourceRange::Join covers both ranges of one file", "[source]") {
  SourceRange joined = SourceRange::Join({0, 5, 8}, {0, 2, 6});
  CHECK(joined.file == 0u);
  CHECK(joined.begin == 2u);
  CHECK(joined.end == 8u);

  SourceRange from_invalid = SourceRange::Join(SourceRange{}, {1, 3, 4});
  CHECK(from_invalid.file == 1u);
  CHECK(from_invalid.begin == 3u);

  SourceRange other_file = SourceRange::Join({0, 1, 2}, {1, 0, 9});
  CHECK(other_file.file == 0u);
  CHECK(other_file.end == 2u);
  CHECK_FALSE(SourceRange{}.valid());
}

TEST_CASE("Load reports files it cannot read", "[source]") {
  SourceManager sources;
  std::string error;
  CHECK_FALSE(sources.Load("/nonexistent/aipol/no_such_file.pol", &error).has_value());
  CHECK_FALSE(error.empty());
  CHECK(sources.size() == 0u);
}

TEST_CASE("CountCodePoints skips continuation bytes", "[source]") {
  CHECK(CountCodePoints("") == 0u);
  CHECK(CountCodePoints("abc") == 3u);
  CHECK(CountCodePoints("\xC3\xA9t\xC3\xA9") == 3u);         // été
  CHECK(CountCodePoints("\xE6\x97\xA5\xE6\x9C\xAC") == 2u);  // 日本
  CHECK(CountCodePoints("\xF0\x9F\x98\x80") == 1u);          // an emoji
}

}  // namespace
}  // namespace aipol
