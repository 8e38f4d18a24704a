// A syntax check of one JSON value (RFC 8259), for the values the loader
// skips without reading them (unknown fields): simdjson's On-Demand API does
// not look inside those, and its DOM parser refuses numbers out of range,
// which do not matter in a value nobody reads.
#pragma once

#include <cstddef>
#include <string_view>

namespace aipol {

enum class JsonSyntax { Ok, Invalid, TooDeep };

struct JsonValueCheck {
  JsonSyntax result = JsonSyntax::Invalid;
  size_t end = 0;  // one past the value (when Ok)
};

// Checks the JSON value that starts at text[begin] (white space before it is
// skipped) and ends where the value does; what follows is not looked at.
// Arrays and objects may nest `max_depth` levels (a value inside a top-level
// array is at level 2). Numbers are checked for their form only. Strings are
// taken to be valid UTF-8 (the loader's parser has checked the whole text).
JsonValueCheck CheckJsonValue(std::string_view text, size_t begin, size_t max_depth);

}  // namespace aipol
