// Fixed-width fields, length-prefixed strings, vectors and optionals, for
// aipol's cache files (the checked program, ir/serialize.h; the JIT's side
// tables, jit/tables_io.h; the program cache's entries).
//
// Host byte order: a cache file is only ever read back by the same aipol
// build on the same machine (every cache key includes the build id). The
// reader stops at the first malformed byte: from then on every read yields
// zeros and every count 0, so loops end at once and only ok() needs checking
// at the end; it never reads past its input, and refuses counts the rest of
// the input could not hold, so a damaged file never reserves memory.
#pragma once

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "compiler/source/source.h"

namespace aipol {

class ByteWriter {
 public:
  explicit ByteWriter(std::string& out) : out_(out) {}

  template <typename T>
  void Put(T value) {
    static_assert(std::is_trivially_copyable_v<T>);
    char bytes[sizeof(T)];
    std::memcpy(bytes, &value, sizeof(T));
    out_.append(bytes, sizeof(T));
  }
  void PutBool(bool value) { Put<uint8_t>(value ? 1 : 0); }
  template <typename E>
  void PutEnum(E value) {
    static_assert(sizeof(E) == 1);
    Put(static_cast<uint8_t>(value));
  }
  void PutCount(size_t count) { Put(static_cast<uint32_t>(count)); }
  void PutString(std::string_view s) {
    PutCount(s.size());
    out_.append(s);
  }
  void PutRange(SourceRange range) {
    Put(range.file);
    Put(range.begin);
    Put(range.end);
  }
  template <typename T, typename PutItem>
  void PutVector(const std::vector<T>& items, PutItem put_item) {
    PutCount(items.size());
    for (const T& item : items) put_item(item);
  }
  template <typename T, typename PutValue>
  void PutOptional(const std::optional<T>& value, PutValue put_value) {
    PutBool(value.has_value());
    if (value) put_value(*value);
  }
  void PutOptionalU32(const std::optional<uint32_t>& value) {
    PutOptional(value, [&](uint32_t v) { Put(v); });
  }
  void PutOptionalString(const std::optional<std::string>& value) {
    PutOptional(value, [&](const std::string& s) { PutString(s); });
  }
  // Bytes as they are, with no length (a file's magic).
  void PutRaw(std::string_view bytes) { out_.append(bytes); }

 private:
  std::string& out_;
};

class ByteReader {
 public:
  explicit ByteReader(std::string_view bytes) : bytes_(bytes) {}

  bool ok() const { return ok_; }
  bool AtEnd() const { return pos_ == bytes_.size(); }
  size_t left() const { return bytes_.size() - pos_; }
  std::string_view rest() const { return bytes_.substr(pos_); }
  void Fail() {
    ok_ = false;
    pos_ = bytes_.size();
  }

  template <typename T>
  T Get() {
    static_assert(std::is_trivially_copyable_v<T>);
    T value{};
    if (left() < sizeof(T)) {
      Fail();
      return value;
    }
    std::memcpy(&value, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return value;
  }
  bool GetBool() {
    uint8_t b = Get<uint8_t>();
    if (b > 1) Fail();
    return b == 1;
  }
  // An enum whose last enumerator is `last`.
  template <typename E>
  E GetEnum(E last) {
    static_assert(sizeof(E) == 1);
    uint8_t v = Get<uint8_t>();
    if (v > static_cast<uint8_t>(last)) {
      Fail();
      return E{};
    }
    return static_cast<E>(v);
  }
  // A count of items that take at least `min_bytes` each: more than the bytes
  // left can hold fails.
  uint32_t GetCount(size_t min_bytes) {
    uint32_t count = Get<uint32_t>();
    if (count > left() / min_bytes) {
      Fail();
      return 0;
    }
    return count;
  }
  std::string GetString() {
    uint32_t size = GetCount(1);
    std::string s(bytes_.substr(pos_, size));
    pos_ += size;
    return s;
  }
  SourceRange GetRange() {
    SourceRange range;
    range.file = Get<FileId>();
    range.begin = Get<uint32_t>();
    range.end = Get<uint32_t>();
    return range;
  }
  template <typename T, typename GetItem>
  void GetVector(std::vector<T>& items, size_t min_bytes, GetItem get_item) {
    uint32_t count = GetCount(min_bytes);
    items.reserve(count);
    for (uint32_t i = 0; i < count && ok_; ++i) items.push_back(get_item());
  }
  template <typename T, typename GetValue>
  void GetOptional(std::optional<T>& value, GetValue get_value) {
    if (GetBool()) value = get_value();
  }
  void GetOptionalU32(std::optional<uint32_t>& value) {
    GetOptional(value, [&] { return Get<uint32_t>(); });
  }
  void GetOptionalString(std::optional<std::string>& value) {
    GetOptional(value, [&] { return GetString(); });
  }
  // Bytes that must be there as they are (a file's magic).
  void Match(std::string_view bytes) {
    if (bytes_.substr(pos_, bytes.size()) != bytes) return Fail();
    pos_ += bytes.size();
  }

 private:
  std::string_view bytes_;
  size_t pos_ = 0;
  bool ok_ = true;
};

}  // namespace aipol
