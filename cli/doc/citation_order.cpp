#include "cli/doc/citation_order.h"

#include <cstdint>
#include <tuple>
#include <vector>

namespace aipol {
namespace {

// One component of a citation: (kind, number, letters).
using Part = std::tuple<int, int64_t, std::string>;

struct Key {
  int group = 4;     // 0 article, 1 annex, 2 recital, 3 Code of Practice, 4 other
  std::string head;  // CoP chapter
  std::vector<Part> parts;
  std::string note;
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }
bool IsLower(char c) { return c >= 'a' && c <= 'z'; }

// A Roman numeral (upper or lower case), or -1.
int64_t Roman(std::string_view s) {
  if (s.empty()) return -1;
  auto value = [](char c) -> int {
    switch (c) {
      case 'i':
      case 'I': return 1;
      case 'v':
      case 'V': return 5;
      case 'x':
      case 'X': return 10;
      case 'l':
      case 'L': return 50;
      case 'c':
      case 'C': return 100;
      default: return -1;
    }
  };
  int64_t total = 0;
  for (size_t k = 0; k < s.size(); ++k) {
    int v = value(s[k]);
    if (v < 0) return -1;
    int next = k + 1 < s.size() ? value(s[k + 1]) : 0;
    if (next < 0) return -1;
    total += v < next ? -v : v;
  }
  return total;
}

int64_t Number(std::string_view s, size_t& at) {
  int64_t n = 0;
  while (at < s.size() && IsDigit(s[at])) n = n * 10 + (s[at++] - '0');
  return n;
}

// `(1)(a)(ii)`: paragraphs (numbers with an optional letter), then points
// (letters), then sub-points (Roman numerals).
bool Brackets(std::string_view s, size_t at, std::vector<Part>& parts) {
  int points = 0;
  while (at < s.size()) {
    if (s[at] != '(') return false;
    size_t close = s.find(')', at);
    if (close == std::string_view::npos) return false;
    std::string_view inner = s.substr(at + 1, close - at - 1);
    if (!inner.empty() && IsDigit(inner[0])) {
      size_t k = 0;
      int64_t n = Number(inner, k);
      parts.emplace_back(0, n, std::string(inner.substr(k)));
    } else {
      int64_t roman = points > 0 ? Roman(inner) : -1;
      if (roman >= 0) {
        parts.emplace_back(2, roman, "");
      } else {
        parts.emplace_back(1, 0, std::string(inner));
      }
      ++points;
    }
    at = close + 1;
  }
  return true;
}

Key KeyOf(std::string_view c) {
  Key key;
  std::string_view full = c;
  size_t bracket = c.find(" [");
  if (bracket != std::string_view::npos && c.back() == ']') {
    key.note = std::string(c.substr(bracket + 2, c.size() - bracket - 3));
    c = c.substr(0, bracket);
  }
  auto other = [&] {
    Key k;
    k.head = std::string(full);
    return k;
  };
  if (c.starts_with("Art. ")) {
    size_t at = 5;
    if (at >= c.size() || !IsDigit(c[at])) return other();
    int64_t n = Number(c, at);
    std::string letters;
    while (at < c.size() && IsLower(c[at])) letters += c[at++];
    key.group = 0;
    key.parts.emplace_back(0, n, letters);
    if (!Brackets(c, at, key.parts)) return other();
    return key;
  }
  if (c.starts_with("Annex ")) {
    size_t at = 6, start = at;
    while (at < c.size() && (c[at] == 'I' || c[at] == 'V' || c[at] == 'X' || c[at] == 'L')) ++at;
    int64_t n = Roman(c.substr(start, at - start));
    if (n < 0) return other();
    std::string section;
    if (c.substr(at).starts_with(" Section ")) {
      at += 9;
      while (at < c.size() && c[at] != '(') section += c[at++];
    }
    key.group = 1;
    key.parts.emplace_back(0, n, section);
    if (!Brackets(c, at, key.parts)) return other();
    return key;
  }
  if (c.starts_with("Recital ")) {
    size_t at = 8;
    int64_t n = Number(c, at);
    if (at != c.size()) return other();
    key.group = 2;
    key.parts.emplace_back(0, n, "");
    return key;
  }
  if (c.starts_with("CoP ")) {
    // `CoP <chapter> <measure>`: the measure is the last word.
    size_t space = c.rfind(' ');
    std::string_view measure = c.substr(space + 1);
    key.group = 3;
    key.head = std::string(c.substr(4, space > 4 ? space - 4 : 0));
    size_t at = 0;
    std::string prefix;
    while (at < measure.size() && !IsDigit(measure[at])) prefix += measure[at++];
    key.parts.emplace_back(0, 0, prefix);
    while (at < measure.size()) {
      if (measure[at] == '.') ++at;
      key.parts.emplace_back(0, Number(measure, at), "");
      if (at < measure.size() && measure[at] != '.') {
        key.parts.emplace_back(1, 0, std::string(measure.substr(at)));
        break;
      }
    }
    return key;
  }
  return other();
}

}  // namespace

bool CitationLess(std::string_view a, std::string_view b) {
  Key x = KeyOf(a), y = KeyOf(b);
  auto tx = std::tie(x.group, x.head, x.parts, x.note);
  auto ty = std::tie(y.group, y.head, y.parts, y.note);
  if (tx != ty) return tx < ty;
  return a < b;
}

std::string CitationGroup(std::string_view citation) {
  std::string_view c = citation;
  size_t bracket = c.find(" [");
  if (bracket != std::string_view::npos) c = c.substr(0, bracket);
  if (c.starts_with("Art. ") || c.starts_with("Annex ")) {
    size_t paren = c.find('(');
    return std::string(c.substr(0, paren));
  }
  if (c.starts_with("CoP ")) {
    size_t space = c.rfind(' ');
    return std::string(c.substr(0, space));
  }
  return std::string(c);
}

}  // namespace aipol
