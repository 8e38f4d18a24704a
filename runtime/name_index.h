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
#include <bit>
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
    Pack();
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

  // Whether the JSON string whose characters start at `raw` (just after its
  // opening quote, as written, escapes unresolved) is name `k`: the name's
  // bytes then the closing quote, compared eight bytes at a time, without a
  // call to memcmp (3% of loading, bench/RESULTS.md). It stops at the first
  // word that differs, and names hold no quote, so it reads at most 8 bytes
  // past the string's closing quote: `raw` must be in a document with
  // simdjson's padding after it, as every document the loader parses is.
  // Names hold no backslash either, so a key written with escapes is never
  // equal here (the loader then looks up its unescaped text).
  bool RawEquals(uint32_t k, const char* raw) const {
    const Packed& p = packed_[k];
    const uint64_t* words = &words_[p.first];
    for (uint32_t w = 0; w + 1 < p.words; ++w) {
      uint64_t text;
      std::memcpy(&text, raw + 8 * size_t{w}, 8);
      if (text != words[w]) return false;
    }
    uint64_t text;
    std::memcpy(&text, raw + 8 * size_t{p.words - 1}, 8);
    return (text & p.last_mask) == words[p.words - 1];
  }

 private:
  // Each name followed by its closing quote, in little-endian 64-bit words,
  // zero past the quote; `last_mask` keeps the bytes of the last word that
  // count.
  struct Packed {
    uint32_t first;  // index into words_
    uint32_t words;
    uint64_t last_mask;
  };
  void Pack() {
    static_assert(std::endian::native == std::endian::little);
    packed_.reserve(names_.size());
    for (const std::string& name : names_) {
      std::string quoted = name + '"';
      auto count = static_cast<uint32_t>((quoted.size() + 7) / 8);
      size_t tail = quoted.size() - 8 * (count - 1);  // 1 to 8 bytes in the last word
      uint64_t mask = tail == 8 ? ~uint64_t{0} : (uint64_t{1} << (8 * tail)) - 1;
      packed_.push_back({static_cast<uint32_t>(words_.size()), count, mask});
      quoted.resize(8 * size_t{count}, '\0');
      for (uint32_t w = 0; w < count; ++w) {
        uint64_t word;
        std::memcpy(&word, quoted.data() + 8 * size_t{w}, 8);
        words_.push_back(word);
      }
    }
  }

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
  std::vector<Packed> packed_;   // by name: where its words are
  std::vector<uint64_t> words_;  // the names, packed (RawEquals)
  std::vector<uint32_t> slots_;  // indexes into names_, kNone where free; empty when scanned
  size_t mask_ = 0;
  int shift_ = 64;  // 64 - log2(slots_.size())
};

}  // namespace aipol
