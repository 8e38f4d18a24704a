// UTF-8 validation shared by the source reader and the JSON writer.
#pragma once

#include <cstddef>
#include <string_view>

namespace aipol {

// Length of the well-formed UTF-8 sequence starting at text[i], or 0 when
// it is not one (overlong forms, surrogates and code points past U+10FFFF
// are not well-formed).
size_t Utf8SequenceLength(std::string_view text, size_t i);

// Offset of the first byte that is not part of well-formed UTF-8, or npos.
size_t FirstInvalidUtf8(std::string_view text);

}  // namespace aipol
