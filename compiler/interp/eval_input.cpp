// Reading the input row: fields, list elements and map entries, and the
// input paths that `missing` reports.
#include "compiler/interp/evaluator.h"

#include <algorithm>
#include "runtime/json_text.h"
#include "runtime/row.h"

namespace aipol::interp {

using ir::SlotKind;
using ir::TypeKind;

Value Evaluator::ReadSlot(const uint8_t* block, const ir::FieldSlot& slot, ir::TypeId type,
                          const std::string& path) {
  Value v;
  v.type = type;
  const uint8_t* at = block + slot.offset;
  switch (slot.kind) {
    case SlotKind::Bool: return Value::Bool(aipol::ReadSlot<uint8_t>(at, 0) != 0);
    case SlotKind::Int: return Value::Int(aipol::ReadSlot<int64_t>(at, 0));
    case SlotKind::Number: return Value::Number(aipol::ReadSlot<double>(at, 0));
    case SlotKind::Date: return Value::Date(aipol::ReadSlot<int32_t>(at, 0));
    case SlotKind::String:
      v.kind = ValueKind::String;
      v.s = std::string(aipol::ReadSlot<StringRef>(at, 0).view());
      return v;
    case SlotKind::Duration: {
      DurationSlot d = aipol::ReadSlot<DurationSlot>(at, 0);
      v.kind = ValueKind::Duration;
      v.duration = {d.count, static_cast<ir::DurationUnit>(d.unit)};
      return v;
    }
    case SlotKind::Enum:
      v.kind = ValueKind::Enum;
      v.i = aipol::ReadSlot<uint32_t>(at, 0);
      return v;
    case SlotKind::EnumSet:
      v.kind = ValueKind::EnumSet;
      v.mask = aipol::ReadSlot<uint64_t>(at, 0);
      return v;
    case SlotKind::StringSet: {
      StringSetRef set = aipol::ReadSlot<StringSetRef>(at, 0);
      v.kind = ValueKind::StringSet;
      for (uint64_t k = 0; k < set.count; ++k) {
        Value item;
        item.kind = ValueKind::String;
        item.type = ir::TypeTable::kString;
        item.s = std::string(set.items[k].view());
        v.items.push_back(std::move(item));
      }
      return v;
    }
    case SlotKind::Record:
      v.kind = ValueKind::Record;
      v.block = at;
      v.path = path;
      return v;
    case SlotKind::List: {
      ListRef list = aipol::ReadSlot<ListRef>(at, 0);
      ir::TypeId element = program_.types.get(type).element;
      ir::FieldSlot element_slot = ir::ElementSlot(program_.types, program_.layout, element);
      v.kind = ValueKind::List;
      for (uint64_t k = 0; k < list.count; ++k) {
        v.items.push_back(ReadSlot(list.items + k * element_slot.size, element_slot, element, path + "[]"));
      }
      return v;
    }
    case SlotKind::Map:
      v.kind = ValueKind::Map;
      v.block = at;  // the MapRef slot
      v.path = path;
      return v;
  }
  return v;
}

// An absent input record (or map entry) is unknown; reading a field of it
// reports the full path the policy wanted (`derogation.no_significant_risk`).
static Value AbsentPath(ir::TypeId type, std::string path) {
  Value v = Value::Unknown(type, {path});
  v.path = std::move(path);
  return v;
}

static bool IsAbsentInput(const Value& v) {
  return !v.path.empty() && v.missing.size() == 1 && v.missing[0] == v.path;
}

Value Evaluator::Field(const Value& record, const ir::Expr& e) {
  if (!record.known()) {
    if (!IsAbsentInput(record)) return Value::Unknown(e.type, record.missing);
    const ir::RecordInfo& info = program_.types.records[program_.types.get(record.type).index];
    return AbsentPath(e.type, record.path + "." + info.fields[e.index].name);
  }
  if (record.block == nullptr) {
    const Value& field = record.items[e.index];
    return field.known() ? field : Value::Unknown(e.type, field.missing);
  }
  uint32_t id = program_.types.get(record.type).index;
  const ir::FieldInfo& info = program_.types.records[id].fields[e.index];
  std::string path = record.path.empty() ? info.name : record.path + "." + info.name;
  if (!FieldPresent(record.block, e.index)) return AbsentPath(e.type, path);
  return ReadSlot(record.block, program_.layout.of(id).fields[e.index], info.type, path);
}

Value Evaluator::MapGet(const Value& map, const ir::Expr& e) {
  if (!map.known()) {
    if (!IsAbsentInput(map)) return Value::Unknown(e.type, map.missing);
    return AbsentPath(e.type, map.path + "[" + JsonString(e.text) + "]");
  }
  if (map.block == nullptr) {
    for (size_t k = 0; k < map.keys.size(); ++k) {
      if (map.keys[k] == e.text) return map.items[k];
    }
    return Value::Unknown(e.type);
  }
  std::string path = map.path + "[" + JsonString(e.text) + "]";
  const uint8_t* entry = aipol::ReadSlot<MapRef>(map.block, 0).entries[e.index];
  if (entry == nullptr) return AbsentPath(e.type, path);
  ir::FieldSlot slot = ir::ElementSlot(program_.types, program_.layout, e.type);
  slot.offset = 0;
  if (slot.kind == SlotKind::Record) {
    Value v;
    v.kind = ValueKind::Record;
    v.type = e.type;
    v.block = entry;
    v.path = path;
    return v;
  }
  return ReadSlot(entry, slot, e.type, path);
}

// Copies a row-backed value out of the row, so it can be compared, printed
// and kept after the row is gone. Maps keep only the keys the policy reads.
Value Evaluator::Materialize(Value&& v) {
  if (IsMaterial(v)) return std::move(v);
  return Materialize(static_cast<const Value&>(v));
}

bool Evaluator::IsMaterial(const Value& v) {
  if (!v.known()) return true;
  if (v.kind != ValueKind::List) return v.block == nullptr;
  return std::all_of(v.items.begin(), v.items.end(), [](const Value& item) { return IsMaterial(item); });
}

Value Evaluator::Materialize(const Value& v) {
  if (!v.known()) return v;
  if (v.kind == ValueKind::List) {
    Value out = v;
    for (Value& item : out.items) {
      if (!IsMaterial(item)) item = Materialize(item);
    }
    return out;
  }
  if (v.block == nullptr) return v;
  Value out;
  out.kind = v.kind;
  out.type = v.type;
  if (v.kind == ValueKind::Record) {
    const ir::RecordInfo& record = program_.types.records[program_.types.get(v.type).index];
    for (uint32_t f = 0; f < record.fields.size(); ++f) {
      ir::Expr get(ir::Op::Field, record.fields[f].type, {});
      get.index = f;
      out.items.push_back(Materialize(Field(v, get)));
    }
    return out;
  }
  // Every entry of the descriptor's map, in key order.
  MapRef ref = aipol::ReadSlot<MapRef>(v.block, 0);
  ir::TypeId element = program_.types.get(v.type).element;
  ir::FieldSlot slot = ir::ElementSlot(program_.types, program_.layout, element);
  for (uint64_t k = 0; k < ref.count; ++k) {
    std::string key(ref.all[k].key.view());
    std::string path = v.path + "[" + JsonString(key) + "]";
    Value entry;
    if (slot.kind == SlotKind::Record) {
      entry.kind = ValueKind::Record;
      entry.type = element;
      entry.block = ref.all[k].value;
      entry.path = path;
    } else {
      entry = ReadSlot(ref.all[k].value, slot, element, path);
    }
    out.keys.push_back(std::move(key));
    out.items.push_back(Materialize(entry));
  }
  return out;
}

}  // namespace aipol::interp
