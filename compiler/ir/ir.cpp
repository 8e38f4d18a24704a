#include "compiler/ir/ir.h"

namespace aipol::ir {
namespace {

constexpr std::string_view kOpNames[] = {
#define AIPOL_OP(name, dump, operands, fails) dump,
#include "compiler/ir/ir_ops.def"
#undef AIPOL_OP
};

constexpr size_t kMinOperands[] = {
#define AIPOL_OP(name, dump, operands, fails) operands,
#include "compiler/ir/ir_ops.def"
#undef AIPOL_OP
};

constexpr bool kMayFail[] = {
#define AIPOL_OP(name, dump, operands, fails) fails != 0,
#include "compiler/ir/ir_ops.def"
#undef AIPOL_OP
};

}  // namespace

std::string_view OpName(Op op) { return kOpNames[static_cast<size_t>(op)]; }

bool OpMayFail(Op op) { return kMayFail[static_cast<size_t>(op)]; }

size_t MinOperands(Op op) { return kMinOperands[static_cast<size_t>(op)]; }

std::string_view DeclKindName(DeclKind kind) {
  switch (kind) {
    case DeclKind::Def: return "def";
    case DeclKind::Rule: return "rule";
    case DeclKind::Exception: return "exception";
    case DeclKind::Obligation: return "obligation";
    case DeclKind::Prohibition: return "prohibition";
  }
  return "?";
}

std::optional<uint32_t> EnumInfo::Find(const std::string& member) const {
  for (uint32_t i = 0; i < members.size(); ++i) {
    if (members[i] == member) return i;
  }
  return std::nullopt;
}

std::optional<uint32_t> RecordInfo::Find(const std::string& field) const {
  for (uint32_t i = 0; i < fields.size(); ++i) {
    if (fields[i].name == field) return i;
  }
  return std::nullopt;
}

TypeTable::TypeTable() {
  for (TypeKind kind : {TypeKind::Bool, TypeKind::Int, TypeKind::Number, TypeKind::String, TypeKind::Date,
                        TypeKind::Duration, TypeKind::Any, TypeKind::Error}) {
    Intern({kind, 0, 0});
  }
}

TypeId TypeTable::Intern(Type type) {
  auto key = std::make_tuple(type.kind, type.index, type.element);
  auto it = index_.find(key);
  if (it != index_.end()) return it->second;
  TypeId id = static_cast<TypeId>(types_.size());
  types_.push_back(type);
  index_.emplace(key, id);
  return id;
}

std::string TypeTable::Name(TypeId id) const {
  const Type& type = types_[id];
  switch (type.kind) {
    case TypeKind::Bool: return "bool";
    case TypeKind::Int: return "int";
    case TypeKind::Number: return "number";
    case TypeKind::String: return "string";
    case TypeKind::Date: return "date";
    case TypeKind::Duration: return "duration";
    case TypeKind::Enum: return enums[type.index].name;
    case TypeKind::Record: return records[type.index].name;
    case TypeKind::Set: return "set<" + Name(type.element) + ">";
    case TypeKind::List: return "list<" + Name(type.element) + ">";
    case TypeKind::Map: return "map<string, " + Name(type.element) + ">";
    case TypeKind::Any: return "unknown";
    case TypeKind::Error: return "<error>";
  }
  return "?";
}

}  // namespace aipol::ir
