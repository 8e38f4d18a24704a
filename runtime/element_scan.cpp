#include "runtime/element_scan.h"

#include "runtime/limits.h"

namespace aipol {

void ElementScan::Start() {
  depth_ = 0;
  in_string_ = escaped_ = false;
  checking_ = true;
  open_.clear();
  expect_ = Expect::Value;
  in_scalar_ = string_is_key_ = false;
  lines_ = 0;
  has_last_line_ = has_string_break_ = has_break_line_ = break_in_string_ = false;
}

bool ElementScan::Grammar(char c) {
  bool value_expected = expect_ == Expect::Value || expect_ == Expect::ValueOrClose;
  bool scalar = false;
  switch (c) {
    case ' ':
    case '\t':
    case '\r':
    case '\n': break;
    case '{':
    case '[':
      if (!value_expected) return false;
      if (open_.size() >= kMaxJsonDepth) {
        // Too deep for the loader anyway: its brackets alone decide where
        // it ends, and the grammar is not followed (nor its depth held).
        checking_ = false;
        open_.clear();
        return true;
      }
      open_.push_back(c == '{');
      expect_ = c == '{' ? Expect::KeyOrClose : Expect::ValueOrClose;
      break;
    case '}':
    case ']': {
      bool object = c == '}';
      Expect empty = object ? Expect::KeyOrClose : Expect::ValueOrClose;
      if (open_.empty() || open_.back() != object || (expect_ != empty && expect_ != Expect::CommaOrClose)) {
        return false;
      }
      open_.pop_back();
      AfterValue();
      break;
    }
    case ',':
      if (expect_ != Expect::CommaOrClose) return false;
      expect_ = open_.back() ? Expect::Key : Expect::Value;
      break;
    case ':':
      if (expect_ != Expect::Colon) return false;
      expect_ = Expect::Value;
      break;
    case '"':
      if (!value_expected && expect_ != Expect::Key && expect_ != Expect::KeyOrClose) return false;
      string_is_key_ = !value_expected;
      break;
    default:
      // A number or literal, checked only for where it stands (the loader
      // checks its spelling).
      scalar = true;
      if (in_scalar_) break;
      if (!value_expected) return false;
      AfterValue();
      break;
  }
  in_scalar_ = scalar;
  return true;
}

void ElementScan::AfterValue() { expect_ = open_.empty() ? Expect::Nothing : Expect::CommaOrClose; }

void ElementScan::Broke() {
  checking_ = false;
  has_break_line_ = has_string_break_ || has_last_line_;
  break_in_string_ = has_string_break_;
  if (has_break_line_) break_line_ = has_string_break_ ? string_break_ : last_line_;
}

}  // namespace aipol
