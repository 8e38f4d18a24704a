#include "runtime/value.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>

#include "runtime/date.h"
#include "runtime/json_text.h"

namespace aipol {

using ir::TypeKind;

void Value::Clear() {
  kind = ValueKind::Unknown;
  type = ir::TypeTable::kAny;
  i = 0;
  d = 0;
  mask = 0;
  duration = {};
  s.clear();
  items.clear();
  keys.clear();
  block = nullptr;
  path.clear();
  missing.clear();
}

Value Value::Unknown(ir::TypeId type, MissingPaths missing) {
  Value v;
  v.type = type;
  v.missing = std::move(missing);
  return v;
}

Value Value::Bool(bool b) {
  Value v;
  v.kind = ValueKind::Bool;
  v.type = ir::TypeTable::kBool;
  v.i = b ? 1 : 0;
  return v;
}

Value Value::Int(int64_t n) {
  Value v;
  v.kind = ValueKind::Int;
  v.type = ir::TypeTable::kInt;
  v.i = n;
  return v;
}

Value Value::Number(double n) {
  Value v;
  v.kind = ValueKind::Number;
  v.type = ir::TypeTable::kNumber;
  v.d = n;
  return v;
}

Value Value::Date(int32_t days) {
  Value v;
  v.kind = ValueKind::Date;
  v.type = ir::TypeTable::kDate;
  v.i = days;
  return v;
}

bool ValuesEqual(const Value& a, const Value& b) {
  if (a.kind != b.kind) return false;
  switch (a.kind) {
    case ValueKind::Unknown: return false;
    case ValueKind::Bool:
    case ValueKind::Int:
    case ValueKind::Date:
    case ValueKind::Enum: return a.i == b.i;
    case ValueKind::Number: return a.d == b.d;
    case ValueKind::String: return a.s == b.s;
    case ValueKind::Duration: return a.duration == b.duration;
    case ValueKind::EnumSet: return a.mask == b.mask;
    case ValueKind::StringSet:
    case ValueKind::List:
    case ValueKind::Record:
    case ValueKind::Map:
      if (a.items.size() != b.items.size() || a.keys != b.keys) return false;
      for (size_t k = 0; k < a.items.size(); ++k) {
        if (a.items[k].known() != b.items[k].known()) return false;
        if (a.items[k].known() && !ValuesEqual(a.items[k], b.items[k])) return false;
      }
      return true;
  }
  return false;
}

// The shortest text that reads back as the same double: `100`, `0.5`,
// `3e+25` (plain digits when no longer than the exponent form).
std::string FormatNumber(double value) {
  std::string best;
  char buffer[40];
  for (int precision = 1; precision <= 17; ++precision) {
    std::snprintf(buffer, sizeof buffer, "%.*g", precision, value);
    if (std::strtod(buffer, nullptr) != value) continue;
    std::string text = buffer;
    // `%g` switches to an exponent at 1e+P; a plain integer may be shorter.
    if (text.find('e') != std::string::npos && value == static_cast<double>(static_cast<int64_t>(value)) &&
        std::abs(value) < 1e17) {
      std::string plain = std::to_string(static_cast<int64_t>(value));
      if (plain.size() <= text.size()) text = plain;
    }
    if (best.empty() || text.size() < best.size()) best = text;
  }
  return best;
}

std::string FormatDuration(const ir::Duration& duration) {
  static const char* kSingular[] = {"day", "month", "year"};
  static const char* kPlural[] = {"days", "months", "years"};
  size_t unit = static_cast<size_t>(duration.unit);
  return std::to_string(duration.count) + " " + (duration.count == 1 ? kSingular[unit] : kPlural[unit]);
}

void AppendValueJson(std::string& out, const Value& v, const ir::TypeTable& types) {
  switch (v.kind) {
    case ValueKind::Unknown: out += "null"; return;
    case ValueKind::Bool: out += v.i ? "true" : "false"; return;
    case ValueKind::Int: out += std::to_string(v.i); return;
    case ValueKind::Number: out += FormatNumber(v.d); return;
    case ValueKind::String: AppendJsonString(out, v.s); return;
    case ValueKind::Date: AppendJsonString(out, FormatDate(static_cast<int32_t>(v.i))); return;
    case ValueKind::Duration: AppendJsonString(out, FormatDuration(v.duration)); return;
    case ValueKind::Enum: {
      const ir::EnumInfo& info = types.enums[types.get(v.type).index];
      AppendJsonString(out, info.members[static_cast<size_t>(v.i)]);
      return;
    }
    case ValueKind::EnumSet: {
      const ir::EnumInfo& info = types.enums[types.get(types.get(v.type).element).index];
      out += '[';
      bool first = true;
      for (size_t m = 0; m < info.members.size(); ++m) {
        if (!((v.mask >> m) & 1)) continue;
        if (!first) out += ", ";
        first = false;
        AppendJsonString(out, info.members[m]);
      }
      out += ']';
      return;
    }
    case ValueKind::StringSet:
    case ValueKind::List:
      out += '[';
      for (size_t k = 0; k < v.items.size(); ++k) {
        if (k) out += ", ";
        AppendValueJson(out, v.items[k], types);
      }
      out += ']';
      return;
    case ValueKind::Record: {
      const ir::RecordInfo& record = types.records[types.get(v.type).index];
      out += '{';
      for (size_t k = 0; k < v.items.size() && k < record.fields.size(); ++k) {
        if (k) out += ", ";
        AppendJsonString(out, record.fields[k].name);
        out += ": ";
        AppendValueJson(out, v.items[k], types);
      }
      out += '}';
      return;
    }
    case ValueKind::Map:
      out += '{';
      for (size_t k = 0; k < v.items.size(); ++k) {
        if (k) out += ", ";
        AppendJsonString(out, v.keys[k]);
        out += ": ";
        AppendValueJson(out, v.items[k], types);
      }
      out += '}';
      return;
  }
}

std::string ValueToLiteral(const Value& v, const ir::TypeTable& types) {
  switch (v.kind) {
    case ValueKind::Unknown: return "unknown";
    case ValueKind::Date: return FormatDate(static_cast<int32_t>(v.i));
    case ValueKind::Duration: return FormatDuration(v.duration);
    case ValueKind::Enum: return types.enums[types.get(v.type).index].members[static_cast<size_t>(v.i)];
    case ValueKind::Number: {
      std::string text = FormatNumber(v.d);
      if (text.find_first_of(".en") == std::string::npos) text += ".0";
      return text;
    }
    case ValueKind::EnumSet:
    case ValueKind::StringSet: {
      std::string json;
      AppendValueJson(json, v, types);
      std::string text = "{";
      if (v.kind == ValueKind::EnumSet) {
        const ir::EnumInfo& info = types.enums[types.get(types.get(v.type).element).index];
        bool first = true;
        for (size_t m = 0; m < info.members.size(); ++m) {
          if (!((v.mask >> m) & 1)) continue;
          text += (first ? "" : ", ") + info.members[m];
          first = false;
        }
      } else {
        for (size_t k = 0; k < v.items.size(); ++k) text += (k ? ", " : "") + JsonString(v.items[k].s);
      }
      return text + "}";
    }
    case ValueKind::List: {
      std::string text = "[";
      for (size_t k = 0; k < v.items.size(); ++k) text += (k ? ", " : "") + ValueToLiteral(v.items[k], types);
      return text + "]";
    }
    default: {
      std::string json;
      AppendValueJson(json, v, types);
      return json;
    }
  }
}

}  // namespace aipol
