// The memory layout of input rows, shared by the loader and both engines.
//
// A record is a block: a presence bitmap (one bit per field, in 64-bit
// words) followed by one slot per field. A nested record is stored inline,
// as its own block inside the parent's. Lists and maps point into the
// per-batch arena. Sets of enum members are 64-bit masks.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/types.h"

namespace aipol::ir {

enum class SlotKind : uint8_t {
  Bool,       // uint8_t 0/1
  Int,        // int64_t
  Number,     // double
  String,     // StringRef {const char*, uint64_t}
  Date,       // int32_t day number
  Duration,   // {int64_t count, uint8_t unit}
  Enum,       // uint32_t member index
  EnumSet,    // uint64_t bitmask
  StringSet,  // {const StringRef*, uint64_t count}, sorted by bytes, unique
  Record,     // inline block of `record`
  List,       // {const uint8_t* rows, uint64_t count}: `count` blocks of the element
  Map,        // MapRef: a block pointer per interned key (null if absent), and every entry by key
};

struct FieldSlot {
  SlotKind kind;
  uint32_t offset = 0;  // from the start of the record block
  uint32_t size = 0;
  uint32_t element = 0;  // Record/List/Map: the record id of the block
  TypeId type = 0;
};

struct RecordLayout {
  uint32_t record = 0;
  uint32_t size = 0;            // bytes, a multiple of 8
  uint32_t presence_words = 0;  // the bitmap's 64-bit words, at offset 0
  std::vector<FieldSlot> fields;
};

struct InputLayout {
  std::vector<RecordLayout> records;  // by record id; size 0 for records never laid out
  uint32_t root = 0;                  // record id of the input
  bool empty() const { return records.empty(); }
  const RecordLayout& of(uint32_t record) const { return records[record]; }
};

// Lays out every record reachable from `root`.
InputLayout ComputeLayout(const TypeTable& types, uint32_t root);

}  // namespace aipol::ir

namespace aipol::ir {

// The slot an element of `type` takes inside a list or map entry (offset 0).
FieldSlot ElementSlot(const TypeTable& types, const InputLayout& layout, TypeId type);

}  // namespace aipol::ir
