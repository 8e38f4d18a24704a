// Finding where one element of a top-level JSON array (or one of several
// JSON values in a row) ends, a byte at a time, without parsing it; and
// where it breaks off, when it is not JSON.
//
// The reader splits an array into records by tracking strings and brackets.
// One broken element (cut short in an export, or a brace or quote lost in
// an edit) then throws that count off for the rest of the file: an unclosed
// string or object swallows every element after it into one invalid record.
// So the scan also follows the JSON grammar, and notes the first byte where
// the text stops making sense. The reader then looks for a line, from the
// last one begun before that byte on, where a new element plausibly starts,
// and cuts the broken element there (docs/cli.md, "malformed arrays").
#pragma once

#include <cstdint>
#include <vector>

namespace aipol {

class ElementScan {
 public:
  // Where a line starts inside the element: its offset from the element's
  // first byte, and how many lines came before it in the element.
  struct LineStart {
    uint64_t offset = 0;
    uint64_t lines = 0;
  };

  // A new element; the offsets fed after are counted from its first byte.
  void Start();

  enum class Fed : uint8_t {
    More,    // the element goes on
    End,     // it ends with this byte: its outermost bracket closed, or a
             // bracket closed with nothing open (which ends an invalid element)
    Broken,  // this byte broke the grammar (said once per element); see break_line()
  };

  // Feeds the element's byte at `offset`.
  Fed Feed(char c, uint64_t offset);

  // Outside strings, with no bracket open: where a scalar may end (at a `,`
  // or `]` in an array, at white space between values in a row).
  bool at_top() const { return depth_ == 0 && !in_string_; }

  // Once the text has stopped being JSON: the line at which a new element
  // may start. That is the line after the first raw line break in a string
  // that ran on past it (strings cannot hold one, so a cut-off string is
  // where the element broke), else the last line begun before the byte
  // that broke the grammar. Unset while the text is JSON so far, and when
  // no line began in the element before it broke.
  const LineStart* break_line() const { return has_break_line_ ? &break_line_ : nullptr; }
  // Whether break_line() follows a line break inside a string.
  bool break_in_string() const { return break_in_string_; }

  // Inside a string, not right after a `\`: only `"`, `\` and line breaks
  // change anything.
  bool in_plain_string() const { return in_string_ && !escaped_; }
  bool in_string() const { return in_string_; }

  // Line breaks fed so far.
  uint64_t lines() const { return lines_; }

 private:
  enum class Expect : uint8_t { Value, ValueOrClose, Key, KeyOrClose, Colon, CommaOrClose, Nothing };

  bool Grammar(char c);  // false when `c` cannot follow the text before it
  void Broke();
  void AfterValue();

  // The bracket count that decides where the element ends.
  int64_t depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;

  // The grammar, followed until it breaks: the open containers (true for
  // an object), what may come next, and whether the last byte was part of
  // a number or literal.
  bool checking_ = true;
  std::vector<bool> open_;
  Expect expect_ = Expect::Value;
  bool in_scalar_ = false;
  bool string_is_key_ = false;

  uint64_t lines_ = 0;
  LineStart last_line_;
  bool has_last_line_ = false;
  // The line after the first raw line break in the current string, or in the
  // string that closed just before the next significant byte.
  LineStart string_break_;
  bool has_string_break_ = false;
  LineStart break_line_;
  bool has_break_line_ = false;
  bool break_in_string_ = false;
};

// Inline: the reader feeds it every byte of an array outside strings.
inline ElementScan::Fed ElementScan::Feed(char c, uint64_t offset) {
  if (c == '\n') {
    last_line_ = {offset + 1, ++lines_};
    has_last_line_ = true;
    if (in_string_ && !has_string_break_) {
      string_break_ = last_line_;
      has_string_break_ = true;
    }
  }
  if (in_string_) {
    if (escaped_) {
      escaped_ = false;
    } else if (c == '\\') {
      escaped_ = true;
    } else if (c == '"') {
      in_string_ = false;
      if (checking_) string_is_key_ ? void(expect_ = Expect::Colon) : AfterValue();
    }
    return Fed::More;
  }
  bool broke = false;
  if (checking_) {
    bool space = c == ' ' || c == '\t' || c == '\r' || c == '\n';
    if (!Grammar(c)) {
      Broke();
      broke = true;
    } else if (!space) {
      // The string before this byte ended well, whatever it held.
      has_string_break_ = false;
    }
  }
  if (c == '"') {
    in_string_ = true;
  } else if (c == '{' || c == '[') {
    ++depth_;
  } else if ((c == '}' || c == ']') && --depth_ <= 0) {
    return Fed::End;
  }
  return broke ? Fed::Broken : Fed::More;
}

}  // namespace aipol
