// The types of the language, interned in a table so a type is one integer.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <tuple>
#include <vector>

namespace aipol::ir {

using TypeId = uint32_t;

enum class TypeKind : uint8_t {
  Bool,
  Int,
  Number,
  String,
  Date,
  Duration,
  Enum,
  Record,
  Set,
  List,
  Map,
  Any,    // the type of a bare `unknown` before context gives it one
  Error,  // after a type error, to silence follow-on errors
};

struct Type {
  TypeKind kind;
  uint32_t index = 0;  // enum or record id
  TypeId element = 0;  // set, list and map element
};

struct EnumInfo {
  std::string module;
  std::string name;
  std::vector<std::string> members;
  std::optional<uint32_t> Find(const std::string& member) const;
};

struct FieldInfo {
  std::string name;
  TypeId type = 0;
  bool required = false;
};

struct RecordInfo {
  std::string module;
  std::string name;
  std::vector<FieldInfo> fields;
  std::optional<uint32_t> Find(const std::string& field) const;
};

class TypeTable {
 public:
  TypeTable();

  // Fixed ids of the scalar types.
  static constexpr TypeId kBool = 0, kInt = 1, kNumber = 2, kString = 3, kDate = 4, kDuration = 5, kAny = 6,
                          kError = 7;

  TypeId Enum(uint32_t id) { return Intern({TypeKind::Enum, id, 0}); }
  TypeId Record(uint32_t id) { return Intern({TypeKind::Record, id, 0}); }
  TypeId Set(TypeId element) { return Intern({TypeKind::Set, 0, element}); }
  TypeId List(TypeId element) { return Intern({TypeKind::List, 0, element}); }
  TypeId Map(TypeId element) { return Intern({TypeKind::Map, 0, element}); }

  const Type& get(TypeId id) const { return types_[id]; }
  // The id of a record type that sema interned (every record's is).
  TypeId RecordTypeOf(uint32_t record) const { return index_.at({TypeKind::Record, record, 0}); }
  TypeKind kind(TypeId id) const { return types_[id].kind; }
  std::string Name(TypeId id) const;
  bool IsCollection(TypeId id) const { return kind(id) == TypeKind::Set || kind(id) == TypeKind::List; }
  // Every interned type, in id order. ir/serialize.cpp writes them and rebuilds an equal table (each
  // type under the same id) by interning them again in this order with the functions above.
  const std::vector<Type>& interned() const { return types_; }

  std::vector<EnumInfo> enums;
  std::vector<RecordInfo> records;

 private:
  TypeId Intern(Type type);
  std::vector<Type> types_;
  std::map<std::tuple<TypeKind, uint32_t, TypeId>, TypeId> index_;
};

}  // namespace aipol::ir
