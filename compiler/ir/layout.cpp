#include <algorithm>

#include "compiler/ir/layout.h"

namespace aipol::ir {
namespace {

struct SlotShape {
  SlotKind kind;
  uint32_t size;
  uint32_t align;
};

class LayoutBuilder {
 public:
  LayoutBuilder(const TypeTable& types, InputLayout& layout) : types_(types), layout_(layout) {}

  // Lays out `record` (and everything it contains) once.
  void Lay(uint32_t record) {
    if (layout_.records[record].size != 0) return;
    const RecordInfo& info = types_.records[record];
    RecordLayout result;
    result.record = record;
    result.presence_words = static_cast<uint32_t>((info.fields.size() + 63) / 64);
    uint32_t offset = result.presence_words * 8;
    for (const FieldInfo& field : info.fields) {
      FieldSlot slot;
      slot.type = field.type;
      SlotShape shape = Shape(field.type, &slot.element);
      slot.kind = shape.kind;
      slot.size = shape.size;
      offset = (offset + shape.align - 1) / shape.align * shape.align;
      slot.offset = offset;
      offset += shape.size;
      result.fields.push_back(slot);
    }
    result.size = std::max<uint32_t>(8, (offset + 7) / 8 * 8);
    layout_.records[record] = std::move(result);
  }

 private:
  SlotShape Shape(TypeId type, uint32_t* element) {
    const Type& t = types_.get(type);
    switch (t.kind) {
      case TypeKind::Bool: return {SlotKind::Bool, 1, 1};
      case TypeKind::Int: return {SlotKind::Int, 8, 8};
      case TypeKind::Number: return {SlotKind::Number, 8, 8};
      case TypeKind::String: return {SlotKind::String, 16, 8};
      case TypeKind::Date: return {SlotKind::Date, 4, 4};
      case TypeKind::Duration: return {SlotKind::Duration, 16, 8};
      case TypeKind::Enum: return {SlotKind::Enum, 4, 4};
      case TypeKind::Set:
        if (types_.kind(t.element) == TypeKind::Enum) return {SlotKind::EnumSet, 8, 8};
        return {SlotKind::StringSet, 16, 8};
      case TypeKind::Record: {
        Lay(t.index);
        *element = t.index;
        return {SlotKind::Record, layout_.records[t.index].size, 8};
      }
      case TypeKind::List: {
        const Type& e = types_.get(t.element);
        if (e.kind == TypeKind::Record) {
          Lay(e.index);
          *element = e.index;
        }
        return {SlotKind::List, 16, 8};
      }
      case TypeKind::Map: {
        const Type& e = types_.get(t.element);
        if (e.kind == TypeKind::Record) {
          Lay(e.index);
          *element = e.index;
        }
        return {SlotKind::Map, 8, 8};
      }
      case TypeKind::Any:
      case TypeKind::Error: break;
    }
    return {SlotKind::Int, 8, 8};
  }

  const TypeTable& types_;
  InputLayout& layout_;
};

}  // namespace

InputLayout ComputeLayout(const TypeTable& types, uint32_t root) {
  InputLayout layout;
  layout.records.resize(types.records.size());
  layout.root = root;
  LayoutBuilder(types, layout).Lay(root);
  return layout;
}

}  // namespace aipol::ir
