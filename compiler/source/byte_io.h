// Fixed-width fields and length-prefixed strings, for aipol's cache files.
//
// Host byte order: a cache file is only ever read back by the same aipol
// build on the same machine (every cache key includes the build id). The
// reader never reads past its input and refuses counts the rest of the input
// could not hold, so a damaged file is refused rather than trusted.
#pragma once

#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <type_traits>

#include "compiler/source/source.h"

namespace aipol {

class ByteWriter {
 public:
  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    out_.append(reinterpret_cast<const char*>(&value), sizeof value);
  }
  void Put(std::string_view text) {
    Put(static_cast<uint32_t>(text.size()));
    out_.append(text);
  }
  void Put(const SourceRange& range) {
    Put(range.file);
    Put(range.begin);
    Put(range.end);
  }
  std::string& out() { return out_; }

 private:
  std::string out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view in) : in_(in) {}
  template <typename T>
  bool Get(T& value) {
    static_assert(std::is_trivially_copyable_v<T>);
    if (in_.size() < sizeof value) return false;
    std::memcpy(&value, in_.data(), sizeof value);
    in_.remove_prefix(sizeof value);
    return true;
  }
  bool Get(std::string& text) {
    uint32_t size = 0;
    if (!Get(size) || in_.size() < size) return false;
    text.assign(in_.substr(0, size));
    in_.remove_prefix(size);
    return true;
  }
  bool Get(SourceRange& range) { return Get(range.file) && Get(range.begin) && Get(range.end); }
  // A count of items each at least `min_bytes` long: never more than the
  // rest of the input could hold.
  bool Count(uint32_t& count, size_t min_bytes) { return Get(count) && count <= in_.size() / min_bytes; }
  bool Skip(std::string_view expected) {
    if (in_.substr(0, expected.size()) != expected) return false;
    in_.remove_prefix(expected.size());
    return true;
  }
  bool done() const { return in_.empty(); }
  std::string_view rest() const { return in_; }

 private:
  std::string_view in_;
};

}  // namespace aipol
