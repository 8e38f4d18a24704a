// The JIT's side tables on disk, next to the cached object (internal to jit/).
//
// A compiled object refers to input paths, delegated operations and error
// sites by index; the tables give those indexes meaning. Keeping them with
// the object lets a cache hit skip code generation entirely: the object is
// linked as it is and the tables are read back.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "compiler/jit/abi.h"

namespace aipol::jit {

std::string WriteTables(const Tables& tables);

// Empty when `bytes` is not a complete table file of this format (a file
// from another version of aipol, or cut short): the caller compiles afresh.
std::optional<Tables> ReadTables(std::string_view bytes);

}  // namespace aipol::jit
