// Code point index -> byte offset (internal to syntax/).
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace aipol::syntax {

// ANTLR indexes characters by code point; our ranges are byte offsets. This
// maps code point index -> byte offset, with one extra entry for the end.
// ANTLR's input stream drops a leading byte-order mark, so indexes start
// after it.
inline std::vector<uint32_t> CodePointOffsets(std::string_view text) {
  uint32_t start = text.substr(0, 3) == "\xEF\xBB\xBF" ? 3 : 0;  // C++17: no starts_with
  std::vector<uint32_t> offsets;
  offsets.reserve(text.size() + 1);
  for (uint32_t i = start; i < text.size(); ++i) {
    if ((static_cast<unsigned char>(text[i]) & 0xC0) != 0x80) offsets.push_back(i);
  }
  offsets.push_back(static_cast<uint32_t>(text.size()));
  return offsets;
}

}  // namespace aipol::syntax
