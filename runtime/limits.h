// Limits on descriptors, shared by the loader and the fleet reader
// (docs/cli.md, "Limits"). Beyond them a descriptor is an InvalidJson error
// whose message names the limit; the other records of a fleet go on.
#pragma once

#include <cstddef>

namespace aipol {

// The largest descriptor (one JSON Lines line, one array element, one .json
// file, one `eval` input): a longer one is not parsed, nor held in memory.
inline constexpr size_t kMaxDescriptorBytes = size_t{16} << 20;  // 16 MiB

// The deepest nesting of arrays and objects (simdjson's default); the
// descriptor object itself is level 1.
inline constexpr size_t kMaxJsonDepth = 1024;

// Bytes the JSON parser may read past a descriptor's end (simdjson's
// padding; loader.cpp checks). The fleet reader reserves them after each
// JSON Lines record, so that the loader parses the record where it is.
inline constexpr size_t kJsonPadding = 64;

}  // namespace aipol
