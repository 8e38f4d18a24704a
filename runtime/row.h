// Reading and writing input rows (see compiler/ir/layout.h for the layout).
//
// Rows live in an Arena that owns every byte a descriptor needs (strings,
// list elements, map tables), so a batch frees them all at once.
#pragma once

#include <cstdint>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace aipol {

struct StringRef {
  const char* data;
  uint64_t size;
  std::string_view view() const { return {data, size}; }
};

struct ListRef {
  const uint8_t* items;  // `count` elements of the element's slot or block size
  uint64_t count;
};

struct StringSetRef {
  const StringRef* items;  // sorted by bytes, unique
  uint64_t count;
};

struct DurationSlot {
  int64_t count;
  uint8_t unit;  // ir::DurationUnit
};

struct MapEntry {
  StringRef key;
  const uint8_t* value;
};

// A map row: one entry pointer per interned policy key (ir::Program::map_keys),
// null where the descriptor has no such key, for constant-key lookups; and
// every entry, sorted by key, for reports that show the whole map.
struct MapRef {
  const uint8_t* const* entries;
  const MapEntry* all;
  uint64_t count;
};

class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  // Zeroed, 8-byte aligned memory that lives as long as the arena.
  uint8_t* Allocate(size_t size);
  StringRef CopyString(std::string_view text);
  void Reset();
  size_t bytes_used() const { return used_total_; }
  // The bytes from `start` to the end of what was allocated, when `start` is
  // in the block allocations go to now; 0 when it is not.
  size_t BytesAfter(const uint8_t* start) const;

 private:
  static constexpr size_t kBlockSize = 64 * 1024;
  std::vector<std::unique_ptr<uint8_t[]>> blocks_;
  std::vector<size_t> block_sizes_;
  size_t current_used_ = 0;
  size_t current_size_ = 0;
  size_t used_total_ = 0;
};

// Asks the CPU to fetch a row's bytes (at most the first 16 KB) before an
// engine reads them. An engine reads a row scattered, field by field and
// nested record by nested record, so a row not read recently costs a cache
// miss per line on the way; fetched at once, the misses overlap
// (bench/RESULTS.md: 8% of the JIT's time on rows loaded earlier). A
// prefetch never faults, and costs little on a row still in the cache.
inline void PrefetchRow(const uint8_t* row, size_t bytes) {
  constexpr size_t kLine = 64, kMost = 16 * 1024;
  bytes = bytes < kMost ? bytes : kMost;
  for (size_t offset = 0; offset < bytes; offset += kLine) __builtin_prefetch(row + offset);
}

inline bool FieldPresent(const uint8_t* block, uint32_t field) {
  uint64_t word;
  std::memcpy(&word, block + (field / 64) * 8, 8);
  return (word >> (field % 64)) & 1;
}

inline void SetFieldPresent(uint8_t* block, uint32_t field, bool present) {
  uint64_t word;
  std::memcpy(&word, block + (field / 64) * 8, 8);
  uint64_t bit = uint64_t{1} << (field % 64);
  word = present ? word | bit : word & ~bit;
  std::memcpy(block + (field / 64) * 8, &word, 8);
}

template <typename T>
T ReadSlot(const uint8_t* block, uint32_t offset) {
  T value;
  std::memcpy(&value, block + offset, sizeof(T));
  return value;
}

template <typename T>
void WriteSlot(uint8_t* block, uint32_t offset, const T& value) {
  std::memcpy(block + offset, &value, sizeof(T));
}

}  // namespace aipol
