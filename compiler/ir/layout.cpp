#include "compiler/ir/layout.h"

#include <algorithm>

namespace aipol::ir {
namespace {

struct SlotShape {
  SlotKind kind;
  uint32_t size;
  uint32_t align;
};

// The slot of a value of `type`. Nested records take their block's size,
// which `record_size` supplies (laying the record out first if needed).
template <typename RecordSize>
SlotShape ShapeOf(const TypeTable& types, TypeId type, uint32_t* element, RecordSize record_size) {
  const Type& t = types.get(type);
  switch (t.kind) {
    case TypeKind::Bool: return {SlotKind::Bool, 1, 1};
    case TypeKind::Int: return {SlotKind::Int, 8, 8};
    case TypeKind::Number: return {SlotKind::Number, 8, 8};
    case TypeKind::String: return {SlotKind::String, 16, 8};
    case TypeKind::Date: return {SlotKind::Date, 4, 4};
    case TypeKind::Duration: return {SlotKind::Duration, 16, 8};
    case TypeKind::Enum: return {SlotKind::Enum, 4, 4};
    case TypeKind::Set:
      if (types.kind(t.element) == TypeKind::Enum) return {SlotKind::EnumSet, 8, 8};
      return {SlotKind::StringSet, 16, 8};
    case TypeKind::Record: *element = t.index; return {SlotKind::Record, record_size(t.index), 8};
    case TypeKind::List:
    case TypeKind::Map: {
      const Type& e = types.get(t.element);
      if (e.kind == TypeKind::Record) {
        *element = e.index;
        record_size(e.index);  // lays the element record out
      }
      return t.kind == TypeKind::List ? SlotShape{SlotKind::List, 16, 8} : SlotShape{SlotKind::Map, 24, 8};
    }
    case TypeKind::Any:
    case TypeKind::Error: break;
  }
  return {SlotKind::Int, 8, 8};
}

void Lay(const TypeTable& types, InputLayout& layout, uint32_t record) {
  if (layout.records[record].size != 0) return;
  const RecordInfo& info = types.records[record];
  RecordLayout result;
  result.record = record;
  result.presence_words = static_cast<uint32_t>((info.fields.size() + 63) / 64);
  uint32_t offset = result.presence_words * 8;
  auto record_size = [&](uint32_t nested) {
    Lay(types, layout, nested);
    return layout.records[nested].size;
  };
  for (const FieldInfo& field : info.fields) {
    FieldSlot slot;
    slot.type = field.type;
    SlotShape shape = ShapeOf(types, field.type, &slot.element, record_size);
    slot.kind = shape.kind;
    slot.size = shape.size;
    offset = (offset + shape.align - 1) / shape.align * shape.align;
    slot.offset = offset;
    offset += shape.size;
    result.fields.push_back(slot);
  }
  result.size = std::max<uint32_t>(8, (offset + 7) / 8 * 8);
  layout.records[record] = std::move(result);
}

}  // namespace

FieldSlot ElementSlot(const TypeTable& types, const InputLayout& layout, TypeId type) {
  FieldSlot slot;
  slot.type = type;
  SlotShape shape = ShapeOf(types, type, &slot.element, [&](uint32_t r) { return layout.records[r].size; });
  slot.kind = shape.kind;
  // Elements are stored back to back, each 8-byte aligned.
  slot.size = (shape.size + 7) / 8 * 8;
  return slot;
}

InputLayout ComputeLayout(const TypeTable& types, uint32_t root) {
  InputLayout layout;
  layout.records.resize(types.records.size());
  layout.root = root;
  Lay(types, layout, root);
  return layout;
}

}  // namespace aipol::ir
