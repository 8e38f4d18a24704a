// Names to indexes (a record's fields, an enum's members, the policy's map
// keys), looked up by the string_view a JSON parser gives, without building
// a std::string per lookup.
//
// Descriptors usually list a record's fields in one order, record after
// record, leaving some out, so the loader first compares a key with the few
// names after the last one found (`Guesses`), then looks it up (`Find`).
// Short lists are scanned; longer ones hashed into an open addressing table
// whose hash reads a name's length and at most its first and last 8 bytes
// (no division, no call per byte).
#pragma once

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace aipol {

class NameIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  NameIndex() = default;
  explicit NameIndex(std::vector<std::string> names) : names_(std::move(names)) {
    if (names_.size() <= kScanned) return;
    size_t size = 16;
    shift_ = 60;
    while (size < names_.size() * 2) size *= 2, --shift_;
    slots_.assign(size, kNone);
    mask_ = size - 1;
    for (uint32_t k = 0; k < names_.size(); ++k) {
      size_t slot = Slot(names_[k]);
      while (slots_[slot] != kNone) slot = (slot + 1) & mask_;
      slots_[slot] = k;
    }
  }

  // The index of `name`, or kNone.
  uint32_t Find(std::string_view name) const {
    if (slots_.empty()) {
      for (uint32_t k = 0; k < names_.size(); ++k) {
        if (Is(k, name)) return k;
      }
      return kNone;
    }
    for (size_t slot = Slot(name);; slot = (slot + 1) & mask_) {
      uint32_t k = slots_[slot];
      if (k == kNone || Is(k, name)) return k;
    }
  }

  // The indexes of the names likely to come after the one at `previous`
  // (kNone: the first names), as [first, end).
  std::pair<uint32_t, uint32_t> Guesses(uint32_t previous) const {
    uint32_t first = previous == kNone ? 0 : previous + 1;
    auto size = static_cast<uint32_t>(names_.size());
    return {std::min(first, size), std::min(first + kLookAhead, size)};
  }

  const std::vector<std::string>& names() const { return names_; }

 private:
  static constexpr size_t kScanned = 8;
  static constexpr uint32_t kLookAhead = 4;

  bool Is(uint32_t k, std::string_view name) const { return names_[k] == name; }

  // The top bits of a multiplicative hash, which depend on every bit read.
  size_t Slot(std::string_view name) const {
    uint64_t head = 0, tail = 0;
    if (name.size() >= 8) {
      std::memcpy(&head, name.data(), 8);
      std::memcpy(&tail, name.data() + name.size() - 8, 8);
    } else if (!name.empty()) {
      std::memcpy(&head, name.data(), name.size());
    }
    uint64_t h = head * 0x9E3779B97F4A7C15ull + tail * 0xC2B2AE3D27D4EB4Full + name.size();
    return static_cast<size_t>(h >> shift_);
  }

  std::vector<std::string> names_;
  std::vector<uint32_t> slots_;  // indexes into names_, kNone where free; empty when scanned
  size_t mask_ = 0;
  int shift_ = 64;  // 64 - log2(slots_.size())
};

}  // namespace aipol
