// The only file that includes simdjson.
#include "runtime/loader.h"

#include <simdjson.h>

#include <algorithm>
#include <cstring>
#include <new>
#include <unordered_map>

#include "compiler/diag/diag.h"
#include "runtime/date.h"
#include "runtime/json_syntax.h"
#include "runtime/json_text.h"
#include "runtime/name_index.h"
#include "runtime/utf8.h"

namespace aipol {

namespace od = simdjson::ondemand;
static_assert(kJsonPadding >= simdjson::SIMDJSON_PADDING);
using ir::SlotKind;
using ir::TypeKind;

namespace {

struct KindInfo {
  std::string_view name;
  bool error;
};
constexpr KindInfo kIssueKinds[] = {
#define AIPOL_INPUT_ISSUE(name, is_error) {#name, is_error},
#include "runtime/input_issue_kinds.def"
#undef AIPOL_INPUT_ISSUE
};

std::string_view JsonTypeName(od::json_type type) {
  switch (type) {
    case od::json_type::array: return "an array";
    case od::json_type::object: return "an object";
    case od::json_type::number: return "a number";
    case od::json_type::string: return "a string";
    case od::json_type::boolean: return "a boolean";
    case od::json_type::null: return "null";
  }
  return "a value";
}

std::string_view Expected(SlotKind kind) {
  switch (kind) {
    case SlotKind::Bool: return "a boolean";
    case SlotKind::Int: return "an integer";
    case SlotKind::Number: return "a number";
    case SlotKind::String: return "a string";
    case SlotKind::Date: return "a date string (YYYY-MM-DD)";
    case SlotKind::Duration: return "a duration string such as \"6 months\"";
    case SlotKind::Enum: return "a string";
    case SlotKind::EnumSet:
    case SlotKind::StringSet:
    case SlotKind::List: return "an array";
    case SlotKind::Record:
    case SlotKind::Map: return "an object";
  }
  return "a value";
}

std::optional<ir::Duration> ParseDuration(std::string_view text) {
  size_t space = text.find(' ');
  if (space == std::string_view::npos || space == 0) return std::nullopt;
  int64_t count = 0;
  for (char c : text.substr(0, space)) {
    if (c < '0' || c > '9' || count > 100'000'000) return std::nullopt;
    count = count * 10 + (c - '0');
  }
  std::string_view unit = text.substr(space + 1);
  if (unit == "day" || unit == "days") return ir::Duration{count, ir::DurationUnit::Days};
  if (unit == "month" || unit == "months") return ir::Duration{count, ir::DurationUnit::Months};
  if (unit == "year" || unit == "years") return ir::Duration{count, ir::DurationUnit::Years};
  return std::nullopt;
}

// Descriptor text quoted in a message: long text is cut (at a character
// boundary) so that a message stays short whatever the input holds.
std::string Quote(std::string_view text) {
  constexpr size_t kShown = 100;
  if (text.size() <= kShown + 20) return "`" + std::string(text) + "`";
  size_t cut = 0;
  while (cut < text.size()) {
    size_t length = Utf8SequenceLength(text, cut);
    if (length == 0 || cut + length > kShown) break;
    cut += length;
  }
  return "`" + std::string(text.substr(0, cut)) + "\u2026` (" + std::to_string(text.size()) + " bytes)";
}

// ClosestMatch, without its quadratic cost on long words, which cannot be
// within its distance of any candidate anyway.
std::string Suggest(std::string_view word, const std::vector<std::string>& candidates) {
  size_t longest = 0;
  for (const std::string& c : candidates) longest = std::max(longest, c.size());
  if (word.size() > longest + 3) return std::string();
  return ClosestMatch(word, candidates);
}

}  // namespace

std::string_view InputIssueKindName(InputIssueKind kind) {
  return kIssueKinds[static_cast<size_t>(kind)].name;
}

bool LoadedRow::ok() const {
  return row != nullptr &&
         std::none_of(issues.begin(), issues.end(), [](const InputIssue& i) { return i.error; });
}

namespace {

// A bit per field of a record: on the stack for records of up to 256 fields
// (every record, one allocation fewer per object read).
class FieldBits {
 public:
  explicit FieldBits(size_t fields) {
    if (fields > kInlineWords * 64) heap_.resize((fields + 63) / 64);
  }
  bool operator[](size_t k) const { return (words()[k / 64] >> (k % 64)) & 1; }
  void Set(size_t k, bool on) {
    uint64_t bit = uint64_t{1} << (k % 64);
    uint64_t& word = words()[k / 64];
    word = on ? word | bit : word & ~bit;
  }

 private:
  static constexpr size_t kInlineWords = 4;
  uint64_t* words() { return heap_.empty() ? inline_ : heap_.data(); }
  const uint64_t* words() const { return heap_.empty() ? inline_ : heap_.data(); }
  uint64_t inline_[kInlineWords] = {};
  std::vector<uint64_t> heap_;
};

// Where a value is in the descriptor (`a.b[2]["key"]`), built into a string
// only when an issue names it: most values have no issue. A Path lives on
// the stack of the call that reads the value; its key points into the
// parser's buffers, valid while the document is read.
class Path {
 public:
  enum class Step : uint8_t { Root, Field, Index, MapKey };
  Path() = default;
  Path(const Path& parent, std::string_view field) : parent_(&parent), step_(Step::Field), key_(field) {}
  Path(const Path& parent, size_t index) : parent_(&parent), step_(Step::Index), index_(index) {}
  Path(const Path& parent, std::string_view key, Step map_key)
      : parent_(&parent), step_(map_key), key_(key) {}

  std::string str() const {
    if (step_ == Step::Root) return "";
    std::string out = parent_->str();
    switch (step_) {
      case Step::Field:
        if (!out.empty()) out += '.';
        out += key_;
        break;
      case Step::Index: out += "[" + std::to_string(index_) + "]"; break;
      default: out += "[" + JsonString(key_) + "]";
    }
    return out;
  }

 private:
  const Path* parent_ = nullptr;
  Step step_ = Step::Root;
  std::string_view key_;
  size_t index_ = 0;
};

}  // namespace

class RowLoader::Impl {
 public:
  explicit Impl(const ir::Program& program) : program_(program), types_(program.types) {
    for (const ir::RecordInfo& record : types_.records) {
      std::vector<std::string> names;
      for (const ir::FieldInfo& f : record.fields) names.push_back(f.name);
      field_index_.emplace_back(std::move(names));
    }
    for (const ir::EnumInfo& info : types_.enums) member_index_.emplace_back(info.members);
    key_index_ = NameIndex(program.map_keys);
    // One level more than the limit, which the loader enforces itself: the
    // document object is level 1 for us and depth 1 for simdjson, whose
    // containers must stay below its maximum.
    if (parser_.allocate(4096, kMaxJsonDepth + 1)) throw std::bad_alloc();
  }

  LoadedRow Load(std::string_view json, Arena& arena, bool strict, size_t readable) {
    result_ = LoadedRow{};
    arena_ = &arena;
    strict_ = strict;
    depth_ = 0;
    if (json.size() > kMaxDescriptorBytes) {
      result_.issues.push_back({InputIssueKind::InvalidJson, true, "",
                                "the descriptor is over the limit of " + std::to_string(kMaxDescriptorBytes) +
                                    " bytes; it was not read"});
      return std::move(result_);
    }
    // A UTF-8 byte-order mark says nothing about the descriptor (RFC 8259 §8.1).
    const char* start = json.data();
    if (json.substr(0, 3) == "\xEF\xBB\xBF") json.remove_prefix(3);
    json_ = json;
    // As simdjson's own std::string overload does: the bytes up to
    // `readable` are the padding, whatever they hold.
    size_t padded = readable > 0 ? readable - static_cast<size_t>(json.data() - start) : 0;
    if (padded >= json.size() + simdjson::SIMDJSON_PADDING) {
      text_ = json.data();
    } else {
      buffer_.resize(json.size() + simdjson::SIMDJSON_PADDING);
      std::memcpy(buffer_.data(), json.data(), json.size());
      text_ = buffer_.data();
      padded = buffer_.size();
    }
    od::document doc;
    if (parser_.iterate(text_, json.size(), padded).get(doc)) return Invalid("");
    od::json_type type;
    if (doc.type().get(type)) return Invalid("");
    if (type != od::json_type::object) {
      // On-Demand guesses a scalar's type from its first character; only a
      // full check tells `nope` (not JSON) from `null` (JSON, not an object).
      JsonValueCheck check = CheckJsonValue(json_, 0, kMaxJsonDepth);
      if (check.result != JsonSyntax::Ok ||
          json_.find_first_not_of(" \t\n\r", check.end) != std::string_view::npos) {
        return Invalid("");
      }
      Issue(InputIssueKind::NotAnObject, Path(),
            "a descriptor is a JSON object, found " + std::string(JsonTypeName(type)));
      return std::move(result_);
    }
    od::object object;
    if (doc.get_object().get(object)) return Invalid("");
    uint32_t root = program_.input->record;
    uint8_t* block = arena.Allocate(program_.layout.of(root).size);
    if (!LoadRecord(object, root, block, Path(), true)) return Invalid("");
    // Anything after the object is an error (current_location fails at the end).
    const char* trailing = nullptr;
    if (doc.current_location().get(trailing) == simdjson::SUCCESS) return Invalid("");
    result_.row = block;
    // The nested records, lists and strings follow the row's block, unless
    // the arena started a new block on the way.
    result_.bytes = arena.BytesAfter(block);
    return std::move(result_);
  }

 private:
  LoadedRow Invalid(const std::string& path) {
    result_.row = nullptr;
    result_.id.reset();  // a record that is not JSON has no id
    result_.issues.push_back({InputIssueKind::InvalidJson, true, path, InvalidReason()});
    return std::move(result_);
  }

  // Why the text is not a JSON document, in the words of the limit it broke
  // when it broke one (only on this error path: a full parse of the text).
  std::string InvalidReason() {
    size_t bad = FirstInvalidUtf8(json_);
    if (bad != std::string_view::npos) {
      return "the text is not valid UTF-8 (at byte " + std::to_string(bad + 1) + ")";
    }
    if (CheckJsonValue(json_, 0, kMaxJsonDepth).result == JsonSyntax::TooDeep) return DepthReason();
    return "the text is not valid JSON";
  }

  static std::string DepthReason() {
    return "arrays and objects are nested more than " + std::to_string(kMaxJsonDepth) + " levels deep";
  }

  // On-Demand skips the values of unknown fields without reading them; this
  // checks that such a value is JSON and nested no deeper than the limit.
  // `start` points at the value's first byte in text_. False when it is not.
  bool SkippedValueValid(const char* start) {
    size_t begin = static_cast<size_t>(start - text_);
    // The value's own levels count on top of those of the objects around it.
    size_t max_depth = kMaxJsonDepth > depth_ ? kMaxJsonDepth - depth_ : 0;
    return CheckJsonValue(json_, begin, max_depth).result == JsonSyntax::Ok;
  }

  // One level of arrays and objects, for the depth of skipped values.
  struct Level {
    explicit Level(size_t& depth) : depth_(depth) { ++depth_; }
    ~Level() { --depth_; }
    size_t& depth_;
  };

  void Issue(InputIssueKind kind, const Path& path, std::string message) {
    bool error =
        kIssueKinds[static_cast<size_t>(kind)].error || (strict_ && kind == InputIssueKind::UnknownField);
    result_.issues.push_back({kind, error, path.str(), std::move(message)});
  }

  // Returns false when the JSON itself is broken (the rest is unreadable).
  bool LoadRecord(od::object& object, uint32_t record, uint8_t* block, const Path& path, bool top) {
    Level level(depth_);
    const ir::RecordInfo& info = types_.records[record];
    const ir::RecordLayout& layout = program_.layout.of(record);
    FieldBits seen(info.fields.size());   // given a value (for `required`)
    FieldBits given(info.fields.size());  // given at all, also as `null` (for DuplicateKey)
    uint32_t index = NameIndex::kNone;
    for (auto item : object) {
      if (item.error()) return false;
      od::field& field = item.value_unsafe();  // not copied: see LoadValue's callers
      std::string_view key;
      uint32_t found = NameIndex::kNone;
      if (!FindField(field, field_index_[record], index, &key, &found)) return false;
      if (found == NameIndex::kNone) {
        // On-Demand would skip the value unread: check that it is JSON.
        if (!IsJson(field.value())) return false;
        std::string close = Suggest(key, field_index_[record].names());
        Issue(InputIssueKind::UnknownField, Path(path, key),
              "unknown field " + Quote(key) + " in `" + info.name + "`" +
                  (close.empty() ? "" : "; did you mean `" + close + "`?"));
        continue;  // On-Demand skips the unread value
      }
      index = found;
      Path field_path(path, key);
      if (given[index])
        Issue(InputIssueKind::DuplicateKey, field_path, "key given twice; the later value wins");
      given.Set(index, true);
      seen.Set(index, true);
      // Values are read through references: a copy of On-Demand's iterator,
      // stored in parts and loaded whole, stalls the store forwarding.
      od::value& value = field.value();
      od::json_type type;
      if (value.type().get(type)) return false;
      const ir::FieldSlot& slot = layout.fields[index];
      if (type == od::json_type::null) {
        if (!IsNull(value)) return false;
        SetFieldPresent(block, index, false);
        seen.Set(index, false);  // `null` is absent, also for `required`
        continue;
      }
      if (top && key == "id" && type == od::json_type::string) {
        std::string_view id;
        if (value.get_string().get(id) == simdjson::SUCCESS) result_.id = std::string(id);
      }
      bool present = false;
      if (!LoadValue(value, type, slot, info.fields[index].type, block + slot.offset, field_path, &present)) {
        return false;
      }
      SetFieldPresent(block, index, present);
    }
    for (uint32_t f = 0; f < info.fields.size(); ++f) {
      if (info.fields[f].required && !seen[f]) {
        Issue(InputIssueKind::MissingRequired, Path(path, info.fields[f].name),
              "required field `" + info.fields[f].name + "` is missing");
      }
    }
    return true;
  }

  // The field's key and its index in `names` (kNone when it is not there).
  // The names after `previous` are compared with the key as written first:
  // keys are rarely escaped, and this way most are never copied to be
  // unescaped. False when the key is not valid JSON.
  static bool FindField(od::field& field, const NameIndex& names, uint32_t previous, std::string_view* key,
                        uint32_t* found) {
    const char* raw = field.key().raw();
    for (auto [k, end] = names.Guesses(previous); k < end; ++k) {
      if (names.RawEquals(k, raw)) {
        *key = names.names()[k];
        *found = k;
        return true;
      }
    }
    if (field.unescaped_key().get(*key)) return false;
    *found = names.Find(*key);
    return true;
  }

  // Whether a value is JSON, nested no deeper than the limit.
  bool IsJson(od::value& value) { return SkippedValueValid(value.raw_json_token().data()); }

  // On-Demand types a value by its first byte: `nope` looks like `null`.
  static bool IsNull(od::value& value) {
    bool is_null = false;
    return value.is_null().get(is_null) == simdjson::SUCCESS && is_null;
  }

  // A value On-Demand could not read as the slot's type. On-Demand types a
  // value by its first byte and reads no more of a value it is not asked
  // for, so the value may not be JSON at all (`tru`, `"\q"`, `01`): then the
  // record is invalid JSON (false). Otherwise a WrongType issue.
  bool WrongType(od::value& value, const ir::FieldSlot& slot, od::json_type found, const Path& path) {
    if (!IsJson(value)) return false;
    Issue(InputIssueKind::WrongType, path,
          "expected " + std::string(Expected(slot.kind)) + ", found " + std::string(JsonTypeName(found)));
    return true;
  }

  std::optional<uint32_t> Member(uint32_t enum_id, std::string_view text, const Path& path) {
    if (uint32_t m = member_index_[enum_id].Find(text); m != NameIndex::kNone) return m;
    const ir::EnumInfo& info = types_.enums[enum_id];
    std::string close = Suggest(text, info.members);
    Issue(InputIssueKind::UnknownEnumValue, path,
          Quote(text) + " is not a value of `" + info.name + "`" +
              (close.empty() ? "" : "; did you mean `" + close + "`?"));
    return std::nullopt;
  }

  // Loads `value` into the slot at `at`. Sets *present when it was stored.
  // Returns false only when the JSON is broken.
  bool LoadValue(od::value& value, od::json_type type, const ir::FieldSlot& slot, ir::TypeId value_type,
                 uint8_t* at, const Path& path, bool* present) {
    *present = false;
    // On-Demand counts no levels (a debug build of simdjson asserts beyond
    // its own limit): the depth limit holds where the policy's types lead too.
    if ((type == od::json_type::object || type == od::json_type::array) && depth_ + 1 > kMaxJsonDepth)
      return false;
    switch (slot.kind) {
      case SlotKind::Bool: {
        bool b;
        if (type != od::json_type::boolean || value.get_bool().get(b))
          return WrongType(value, slot, type, path);
        WriteSlot<uint8_t>(at, 0, b ? 1 : 0);
        break;
      }
      case SlotKind::Int: {
        if (type != od::json_type::number) return WrongType(value, slot, type, path);
        od::number_type number_type;
        if (value.get_number_type().get(number_type) == simdjson::SUCCESS &&
            number_type == od::number_type::floating_point_number) {
          if (!IsJson(value)) return false;
          Issue(InputIssueKind::WrongType, path,
                "expected an integer, found a number with a fraction or exponent");
          return true;
        }
        int64_t n;
        if (value.get_int64().get(n)) {
          if (!IsJson(value)) return false;
          Issue(InputIssueKind::NumberOutOfRange, path, "expected an integer that fits in 64 bits");
          return true;
        }
        WriteSlot<int64_t>(at, 0, n);
        break;
      }
      case SlotKind::Number: {
        double d;
        if (type != od::json_type::number) return WrongType(value, slot, type, path);
        if (value.get_double().get(d)) {
          if (!IsJson(value)) return false;
          Issue(InputIssueKind::NumberOutOfRange, path, "the number is out of range");
          return true;
        }
        WriteSlot<double>(at, 0, d);
        break;
      }
      case SlotKind::String:
      case SlotKind::Date:
      case SlotKind::Duration:
      case SlotKind::Enum: {
        std::string_view text;
        if (type != od::json_type::string || value.get_string().get(text))
          return WrongType(value, slot, type, path);
        if (!StoreText(slot, value_type, text, at, path)) return true;
        break;
      }
      case SlotKind::EnumSet:
      case SlotKind::StringSet: return LoadSet(value, type, slot, value_type, at, path, present);
      case SlotKind::List: return LoadList(value, type, slot, value_type, at, path, present);
      case SlotKind::Record: {
        od::object object;
        if (type != od::json_type::object || value.get_object().get(object))
          return WrongType(value, slot, type, path);
        // A record given twice: the later one replaces the earlier, field by field.
        std::memset(at, 0, program_.layout.of(slot.element).size);
        if (!LoadRecord(object, slot.element, at, path, false)) return false;
        break;
      }
      case SlotKind::Map: return LoadMap(value, type, slot, value_type, at, path, present);
    }
    *present = true;
    return true;
  }

  // Strings, dates, durations and enum members. False when the text is invalid.
  bool StoreText(const ir::FieldSlot& slot, ir::TypeId type, std::string_view text, uint8_t* at,
                 const Path& path) {
    switch (slot.kind) {
      case SlotKind::String: WriteSlot(at, 0, arena_->CopyString(text)); return true;
      case SlotKind::Date: {
        std::optional<int32_t> day = ParseDate(text);
        if (!day) {
          Issue(InputIssueKind::InvalidDate, path, Quote(text) + " is not a date (YYYY-MM-DD)");
          return false;
        }
        WriteSlot<int32_t>(at, 0, *day);
        return true;
      }
      case SlotKind::Duration: {
        std::optional<ir::Duration> d = ParseDuration(text);
        if (!d) {
          Issue(InputIssueKind::InvalidDuration, path, Quote(text) + " is not a duration");
          return false;
        }
        WriteSlot(at, 0, DurationSlot{d->count, static_cast<uint8_t>(d->unit)});
        return true;
      }
      default: {
        std::optional<uint32_t> member = Member(types_.get(type).index, text, path);
        if (!member) return false;
        WriteSlot<uint32_t>(at, 0, *member);
        return true;
      }
    }
  }

  bool LoadSet(od::value& value, od::json_type type, const ir::FieldSlot& slot, ir::TypeId set_type,
               uint8_t* at, const Path& path, bool* present) {
    od::array array;
    if (type != od::json_type::array || value.get_array().get(array))
      return WrongType(value, slot, type, path);
    Level level(depth_);
    ir::TypeId element = types_.get(set_type).element;
    bool is_enum = slot.kind == SlotKind::EnumSet;
    uint64_t mask = 0;
    std::vector<std::string_view> strings;
    bool ok = true;
    size_t index = 0;
    for (auto item : array) {
      od::value v;
      if (item.get(v)) return false;
      Path item_path(path, index++);
      od::json_type item_type;
      if (v.type().get(item_type)) return false;
      std::string_view text;
      if (item_type == od::json_type::null) {
        if (!IsNull(v)) return false;
        Issue(InputIssueKind::NullInArray, item_path, "`null` inside an array");
        ok = false;
        continue;
      }
      if (item_type != od::json_type::string || v.get_string().get(text)) {
        if (!IsJson(v)) return false;
        Issue(InputIssueKind::WrongType, item_path,
              "expected a string, found " + std::string(JsonTypeName(item_type)));
        ok = false;
        continue;
      }
      bool duplicate = false;
      if (is_enum) {
        std::optional<uint32_t> member = Member(types_.get(element).index, text, item_path);
        if (!member) {
          ok = false;
          continue;
        }
        duplicate = (mask >> *member) & 1;
        mask |= uint64_t{1} << *member;
      } else {
        StringRef copy = arena_->CopyString(text);
        duplicate = std::find(strings.begin(), strings.end(), copy.view()) != strings.end();
        if (!duplicate) strings.push_back(copy.view());
      }
      if (duplicate) Issue(InputIssueKind::DuplicateItem, item_path, Quote(text) + " is listed twice");
    }
    if (!ok) return true;
    if (is_enum) {
      WriteSlot<uint64_t>(at, 0, mask);
    } else {
      std::sort(strings.begin(), strings.end());
      auto* items = reinterpret_cast<StringRef*>(arena_->Allocate(strings.size() * sizeof(StringRef)));
      for (size_t k = 0; k < strings.size(); ++k) items[k] = {strings[k].data(), strings[k].size()};
      WriteSlot(at, 0, StringSetRef{items, strings.size()});
    }
    *present = true;
    return true;
  }

  bool LoadList(od::value& value, od::json_type type, const ir::FieldSlot& slot, ir::TypeId list_type,
                uint8_t* at, const Path& path, bool* present) {
    od::array array;
    if (type != od::json_type::array || value.get_array().get(array))
      return WrongType(value, slot, type, path);
    Level level(depth_);
    size_t count = 0;
    if (array.count_elements().get(count)) return false;
    ir::TypeId element = types_.get(list_type).element;
    ir::FieldSlot element_slot = ir::ElementSlot(types_, program_.layout, element);
    uint8_t* items = arena_->Allocate(count * element_slot.size);
    bool ok = true;
    size_t index = 0;
    for (auto item : array) {
      od::value v;
      if (item.get(v)) return false;
      Path item_path(path, index);
      od::json_type item_type;
      if (v.type().get(item_type)) return false;
      if (item_type == od::json_type::null) {
        if (!IsNull(v)) return false;
        Issue(InputIssueKind::NullInArray, item_path, "`null` inside an array");
        ok = false;
      } else {
        bool stored = false;
        size_t issues = result_.issues.size();
        if (!LoadValue(v, item_type, element_slot, element, items + index * element_slot.size, item_path,
                       &stored)) {
          return false;
        }
        ok = ok && stored && !HasErrorSince(issues);
      }
      ++index;
    }
    if (!ok) return true;
    WriteSlot(at, 0, ListRef{items, count});
    *present = true;
    return true;
  }

  bool LoadMap(od::value& value, od::json_type type, const ir::FieldSlot& slot, ir::TypeId map_type,
               uint8_t* at, const Path& path, bool* present) {
    od::object object;
    if (type != od::json_type::object || value.get_object().get(object))
      return WrongType(value, slot, type, path);
    Level level(depth_);
    ir::TypeId element = types_.get(map_type).element;
    ir::FieldSlot element_slot = ir::ElementSlot(types_, program_.layout, element);
    auto** table =
        reinterpret_cast<const uint8_t**>(arena_->Allocate(program_.map_keys.size() * sizeof(void*)));
    std::vector<MapEntry> entries;
    for (auto item : object) {
      if (item.error()) return false;
      od::field& field = item.value_unsafe();  // not copied: see LoadValue's callers
      std::string_view key;
      if (field.unescaped_key().get(key)) return false;
      Path entry_path(path, key, Path::Step::MapKey);
      od::value& v = field.value();
      od::json_type entry_type;
      if (v.type().get(entry_type)) return false;
      // Duplicate keys: the later entry wins, as in records.
      auto previous = std::find_if(entries.begin(), entries.end(),
                                   [&](const MapEntry& e) { return e.key.view() == key; });
      if (previous != entries.end()) {
        Issue(InputIssueKind::DuplicateKey, entry_path, "key given twice; the later value wins");
        entries.erase(previous);
      }
      uint32_t known = key_index_.Find(key);
      if (known != NameIndex::kNone) table[known] = nullptr;
      if (entry_type == od::json_type::null) {
        if (!IsNull(v)) return false;
        continue;  // a null value means the key is absent
      }
      // Every entry is checked, also those the policy never reads.
      uint8_t* entry = arena_->Allocate(element_slot.size);
      bool stored = false;
      size_t issues = result_.issues.size();
      if (!LoadValue(v, entry_type, element_slot, element, entry, entry_path, &stored)) return false;
      if (!stored || HasErrorSince(issues)) continue;
      if (known != NameIndex::kNone) table[known] = entry;
      entries.push_back({arena_->CopyString(key), entry});
    }
    std::sort(entries.begin(), entries.end(),
              [](const MapEntry& a, const MapEntry& b) { return a.key.view() < b.key.view(); });
    auto* all = reinterpret_cast<MapEntry*>(arena_->Allocate(entries.size() * sizeof(MapEntry)));
    std::copy(entries.begin(), entries.end(), all);
    WriteSlot(at, 0, MapRef{table, all, entries.size()});
    *present = true;
    return true;
  }

  bool HasErrorSince(size_t issues) const {
    for (size_t k = issues; k < result_.issues.size(); ++k) {
      if (result_.issues[k].error) return true;
    }
    return false;
  }

  const ir::Program& program_;
  const ir::TypeTable& types_;
  std::vector<NameIndex> field_index_;
  std::vector<NameIndex> member_index_;
  NameIndex key_index_;
  od::parser parser_;
  std::string_view json_;       // the descriptor being loaded (without a byte-order mark)
  size_t depth_ = 0;            // levels of arrays and objects around the value being read
  std::vector<char> buffer_;    // a padded copy of a descriptor given without padding
  const char* text_ = nullptr;  // the text parsed: the descriptor's own, or buffer_
  LoadedRow result_;
  Arena* arena_ = nullptr;
  bool strict_ = false;
};

RowLoader::RowLoader(const ir::Program& program) : impl_(std::make_unique<Impl>(program)) {}
RowLoader::~RowLoader() = default;

LoadedRow RowLoader::Load(std::string_view json, Arena& arena, bool strict, size_t readable) {
  return impl_->Load(json, arena, strict, readable);
}

}  // namespace aipol
