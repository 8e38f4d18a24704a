#include "runtime/json_syntax.h"

#include <vector>

namespace aipol {
namespace {

bool IsSpace(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsHex(char c) { return IsDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }

class Checker {
 public:
  Checker(std::string_view text, size_t at) : t_(text), i_(at) {}

  // A string that starts at i_ (a `"`).
  bool String() {
    ++i_;
    while (i_ < t_.size()) {
      char c = t_[i_];
      if (c == '"') {
        ++i_;
        return true;
      }
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (++i_ >= t_.size()) return false;
        char e = t_[i_];
        if (e == 'u') {
          for (int k = 1; k <= 4; ++k) {
            if (i_ + k >= t_.size() || !IsHex(t_[i_ + k])) return false;
          }
          i_ += 4;
        } else if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' &&
                   e != 't') {
          return false;
        }
      }
      ++i_;
    }
    return false;
  }

  // -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?
  bool Number() {
    if (Peek() == '-') ++i_;
    if (Peek() == '0') {
      ++i_;
    } else if (IsDigit(Peek())) {
      while (IsDigit(Peek())) ++i_;
    } else {
      return false;
    }
    if (Peek() == '.') {
      ++i_;
      if (!IsDigit(Peek())) return false;
      while (IsDigit(Peek())) ++i_;
    }
    if (Peek() == 'e' || Peek() == 'E') {
      ++i_;
      if (Peek() == '+' || Peek() == '-') ++i_;
      if (!IsDigit(Peek())) return false;
      while (IsDigit(Peek())) ++i_;
    }
    return true;
  }

  bool Literal(std::string_view word) {
    if (t_.substr(i_, word.size()) != word) return false;
    i_ += word.size();
    return true;
  }

  void Space() {
    while (i_ < t_.size() && IsSpace(t_[i_])) ++i_;
  }
  char Peek() const { return i_ < t_.size() ? t_[i_] : '\0'; }

  JsonValueCheck Value(size_t max_depth) {
    std::vector<char> open;  // `{` or `[` of each open container
    enum class Want { Value, Key, After } want = Want::Value;
    while (true) {
      Space();
      if (want == Want::Key) {
        if (Peek() != '"' || !String()) return {};
        Space();
        if (Peek() != ':') return {};
        ++i_;
        want = Want::Value;
        continue;
      }
      if (want == Want::After) {
        if (open.empty()) return {JsonSyntax::Ok, i_};
        char c = Peek();
        if (c == ',') {
          ++i_;
          want = open.back() == '{' ? Want::Key : Want::Value;
        } else if (c == (open.back() == '{' ? '}' : ']')) {
          ++i_;
          open.pop_back();
        } else {
          return {};
        }
        continue;
      }
      char c = Peek();
      if (c == '{' || c == '[') {
        open.push_back(c);
        if (open.size() > max_depth) return {JsonSyntax::TooDeep, 0};
        ++i_;
        Space();
        if (Peek() == (c == '{' ? '}' : ']')) {
          ++i_;
          open.pop_back();
          want = Want::After;
        } else {
          want = c == '{' ? Want::Key : Want::Value;
        }
        continue;
      }
      bool ok = c == '"'   ? String()
                : c == 't' ? Literal("true")
                : c == 'f' ? Literal("false")
                : c == 'n' ? Literal("null")
                           : Number();
      if (!ok) return {};
      // A literal or number runs on into letters or digits: `truex`, `1x`.
      char next = Peek();
      if (c != '"' && next != '\0' && !IsSpace(next) && next != ',' && next != ']' && next != '}') return {};
      want = Want::After;
    }
  }

 private:
  std::string_view t_;
  size_t i_;
};

}  // namespace

JsonValueCheck CheckJsonValue(std::string_view text, size_t begin, size_t max_depth) {
  return Checker(text, begin).Value(max_depth);
}

}  // namespace aipol
