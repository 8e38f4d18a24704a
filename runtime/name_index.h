// Names to indexes (a record's fields, an enum's members, the policy's map
// keys), looked up by the string_view a JSON parser gives, without building
// a std::string per lookup.
//
// Descriptors usually list a record's fields in one order, record after
// record, so `FindAfter` first tries the name after the last one found: one
// comparison instead of a hash. Short lists are scanned; longer ones hashed.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace aipol {

class NameIndex {
 public:
  static constexpr uint32_t kNone = UINT32_MAX;

  NameIndex() = default;
  explicit NameIndex(std::vector<std::string> names) : names_(std::move(names)) {
    if (names_.size() <= kScanned) return;
    for (uint32_t k = 0; k < names_.size(); ++k) hashed_.emplace(names_[k], k);
  }

  // The index of `name`, or kNone.
  uint32_t Find(std::string_view name) const {
    if (names_.size() <= kScanned) {
      for (uint32_t k = 0; k < names_.size(); ++k) {
        if (names_[k] == name) return k;
      }
      return kNone;
    }
    auto it = hashed_.find(name);
    return it == hashed_.end() ? kNone : it->second;
  }

  // As Find, trying the name after `previous` first (kNone: the first name).
  uint32_t FindAfter(std::string_view name, uint32_t previous) const {
    uint32_t next = previous + 1;  // kNone + 1 wraps to 0
    if (next < names_.size() && names_[next] == name) return next;
    return Find(name);
  }

  const std::vector<std::string>& names() const { return names_; }

 private:
  static constexpr size_t kScanned = 8;
  struct Hash {
    using is_transparent = void;
    size_t operator()(std::string_view text) const { return std::hash<std::string_view>{}(text); }
  };
  std::vector<std::string> names_;
  std::unordered_map<std::string, uint32_t, Hash, std::equal_to<>> hashed_;
};

}  // namespace aipol
