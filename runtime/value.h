// Runtime values: what an expression evaluates to, with `unknown` as a value
// that remembers which input facts made it unknown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/missing_paths.h"

namespace aipol {

enum class ValueKind : uint8_t {
  Unknown,
  Bool,
  Int,
  Number,
  String,
  Date,
  Duration,
  Enum,
  EnumSet,
  StringSet,
  List,
  Record,
  Map
};

struct Value {
  ValueKind kind = ValueKind::Unknown;
  ir::TypeId type = ir::TypeTable::kAny;
  int64_t i = 0;                  // Bool (0/1), Int, Date (day number), Enum (member index)
  double d = 0;                   // Number
  uint64_t mask = 0;              // EnumSet: bit n = member n
  ir::Duration duration;          // Duration
  std::string s;                  // String
  std::vector<Value> items;       // List elements, StringSet members (sorted), Record fields, Map values
  std::vector<std::string> keys;  // Map keys, sorted

  // Records, lists and maps read from the input stay in their row until
  // read: `block` points at the record block / list / map table.
  const uint8_t* block = nullptr;
  std::string path;  // their input path, for `missing` (`use`, `incidents[]`)

  // Unknown: the input paths that made it so, sorted and unique.
  MissingPaths missing;

  bool known() const { return kind != ValueKind::Unknown; }
  // Makes this a default Value (unknown, of no type), keeping the capacity
  // of its strings and vectors for the next value put in it.
  void Clear();
  bool is_true() const { return kind == ValueKind::Bool && i != 0; }

  static Value Unknown(ir::TypeId type, MissingPaths missing = {});
  static Value Bool(bool b);
  static Value Int(int64_t v);
  static Value Number(double v);
  static Value Date(int32_t days);
};

// Structural equality of two known values of the same type (sets by
// membership, lists element-wise). Row-backed values must be materialised.
bool ValuesEqual(const Value& a, const Value& b);

// Appends `value` as JSON, per docs/reports.md: enum members by name, sets in
// declaration or byte order, dates as YYYY-MM-DD, durations as "6 months",
// numbers in the shortest form that reads back exactly, unknown as null.
void AppendValueJson(std::string& out, const Value& value, const ir::TypeTable& types);
// The same value in aipol literal syntax (`12 months`, `original_2024`).
std::string ValueToLiteral(const Value& value, const ir::TypeTable& types);
std::string FormatNumber(double value);
std::string FormatDuration(const ir::Duration& duration);

}  // namespace aipol
