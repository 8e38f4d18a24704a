// The formatter's layout language (internal to fmt/): a document of text,
// line breaks and groups that is printed to fit a width. This is Wadler's
// "prettier printer" with the `fill` and line-suffix extensions of the
// Prettier formatter, plus `Mark` (Leijen's `align`): the layouts of the
// standard library line continuation lines up under the start of the
// construct they continue, not at a fixed indentation.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aipol::formatting {

enum class DocKind : uint8_t {
  Text,         // `text`; only a `"""` text may contain line breaks
  Concat,       // `parts` one after the other
  Line,         // a space, or a line break when its group breaks
  HardLine,     // always a line break; every enclosing group breaks
  Group,        // parts[0] on one line if it fits, else with its lines broken
  Fill,         // content, separator, content, ...: as many contents per line as fit
  Align,        // parts[0] with its line breaks indented by `offset` more columns
  Mark,         // parts[0] with its line breaks indented to the column where it starts
  LineSuffix,   // `text` at the end of the current line (a trailing comment)
  BreakParent,  // nothing, but every enclosing group breaks
};

struct Doc {
  DocKind kind = DocKind::Concat;
  std::string text;
  std::vector<Doc> parts;
  int offset = 0;
  bool forced = false;  // contains a HardLine or BreakParent
};

Doc Text(std::string text);
Doc Concat(std::vector<Doc> parts);
Doc Line();
Doc HardLine();
Doc Group(Doc doc);
Doc Fill(std::vector<Doc> parts);
Doc Align(int offset, Doc doc);
Doc Mark(Doc doc);
Doc LineSuffix(std::string text);
Doc BreakParent();

// Lays `doc` out in `width` columns (code points). A line's trailing comment
// is kept apart from its code so that the comments of neighbouring lines
// can be aligned.
struct PrintedLine {
  std::string code;
  std::string comment;  // a LineSuffix flushed at the end of this line
};
std::vector<PrintedLine> Print(const Doc& doc, int width);

// The printed lines as text, each ending in a newline. Trailing comments of
// consecutive code lines are aligned two columns after the longest code
// among them; own-line comments, blank lines, multi-line texts, lines
// longer than `width` and lines indented less than the first end such a
// run.
std::string Render(const std::vector<PrintedLine>& lines, int width);

// Columns taken by `text` (code points).
int Columns(std::string_view text);

}  // namespace aipol::formatting
