// Enum and record declarations, and type expressions (`set<Purpose>`).
#include <functional>

#include <algorithm>

#include "compiler/sema/analyzer.h"

namespace aipol::sema {

using ir::TypeId;
using ir::TypeKind;
using ir::TypeTable;

void Analyzer::DeclareTypes() {
  for (const Symbol& symbol : enums_) {
    ir::EnumInfo info;
    info.module = modules_[symbol.module].path;
    info.name = symbol.decl->name.text;
    for (const ast::Name& member : symbol.decl->members) {
      if (info.Find(member.text)) {
        diags_.Report(DiagKind::DuplicateMember, member.range, "member", member.text, info.name);
        continue;
      }
      info.members.push_back(member.text);
    }
    types().enums.push_back(std::move(info));
  }
  for (const Symbol& symbol : records_) {
    ir::RecordInfo info;
    info.module = modules_[symbol.module].path;
    info.name = symbol.decl->name.text;
    types().records.push_back(std::move(info));
  }
}

void Analyzer::ResolveRecordFields() {
  for (uint32_t r = 0; r < records_.size(); ++r) {
    const Symbol& symbol = records_[r];
    for (const ast::Field& field : symbol.decl->fields) {
      if (types().records[r].Find(field.name.text)) {
        diags_.Report(DiagKind::DuplicateMember, field.name.range, "field", field.name.text,
                      types().records[r].name);
        continue;
      }
      TypeId type = ResolveType(field.type, symbol.module);
      types().records[r].fields.push_back({field.name.text, type, field.required});
    }
  }
}

TypeId Analyzer::ResolveType(const ast::TypeRef& ref, uint32_t module) {
  static const std::map<std::string, TypeId> kScalars = {
      {"bool", TypeTable::kBool},     {"int", TypeTable::kInt},   {"number", TypeTable::kNumber},
      {"string", TypeTable::kString}, {"date", TypeTable::kDate}, {"duration", TypeTable::kDuration}};
  if (ref.name.empty()) return TypeTable::kError;
  auto arity = [&](size_t n) {
    if (ref.args.size() == n) return true;
    diags_.Report(DiagKind::InvalidTypeArguments, ref.range,
                  fmt::format("`{}` takes {} type argument(s), {} given", ref.name, n, ref.args.size()));
    return false;
  };
  auto scalar = kScalars.find(ref.name);
  if (scalar != kScalars.end()) {
    return arity(0) ? scalar->second : TypeTable::kError;
  }
  if (ref.name == "set") {
    if (!arity(1)) return TypeTable::kError;
    TypeId element = ResolveType(ref.args[0], module);
    TypeKind kind = types().kind(element);
    if (kind == TypeKind::Error) return TypeTable::kError;
    if (kind != TypeKind::Enum && kind != TypeKind::String) {
      diags_.Report(DiagKind::InvalidSetElement, ref.args[0].range, TypeName(element));
      return TypeTable::kError;
    }
    if (kind == TypeKind::Enum) {
      const ir::EnumInfo& info = types().enums[types().get(element).index];
      if (info.members.size() > 64) {
        diags_.Report(DiagKind::EnumSetTooLarge, ref.args[0].range, info.name, info.members.size());
        return TypeTable::kError;
      }
    }
    return types().Set(element);
  }
  if (ref.name == "list") {
    if (!arity(1)) return TypeTable::kError;
    TypeId element = ResolveType(ref.args[0], module);
    return element == TypeTable::kError ? element : types().List(element);
  }
  if (ref.name == "map") {
    if (!arity(2)) return TypeTable::kError;
    TypeId key = ResolveType(ref.args[0], module);
    if (key != TypeTable::kString) {
      if (key != TypeTable::kError) {
        diags_.Report(DiagKind::InvalidTypeArguments, ref.args[0].range,
                      fmt::format("map keys are `string`, found `{}`", TypeName(key)));
      }
      return TypeTable::kError;
    }
    TypeId element = ResolveType(ref.args[1], module);
    return element == TypeTable::kError ? element : types().Map(element);
  }
  // A declared type: `Name` or `alias.Name` / `a.b.Name`.
  const Symbol* symbol = LookupQualified(module, ref.name, ref.range);
  if (!symbol && last_lookup_ambiguous_) return TypeTable::kError;
  if (symbol && (symbol->kind == SymbolKind::Enum || symbol->kind == SymbolKind::Record) &&
      !ref.args.empty()) {
    diags_.Report(DiagKind::InvalidTypeArguments, ref.range,
                  fmt::format("`{}` takes no type arguments", ref.name));
    return TypeTable::kError;
  }
  if (symbol && symbol->kind == SymbolKind::Enum) return types().Enum(symbol->id);
  if (symbol && symbol->kind == SymbolKind::Record) return types().Record(symbol->id);
  Diagnostic& d = diags_.Report(DiagKind::UnknownType, ref.range, ref.name);
  std::vector<std::string> candidates = {"bool",     "int", "number", "string", "date",
                                         "duration", "set", "list",   "map"};
  for (const std::string& name : VisibleNames(module)) {
    const Symbol* s = LookupLocalOrImported(module, name, {}, false);
    if (s && (s->kind == SymbolKind::Enum || s->kind == SymbolKind::Record)) candidates.push_back(name);
  }
  std::string close = ClosestMatch(ref.name, candidates);
  if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
  return TypeTable::kError;
}

// A record that contains itself (directly, through another record, or
// through a list or map) has no finite row layout.
void Analyzer::CheckRecursiveRecords() {
  std::vector<int> state(records_.size(), 0);
  std::vector<uint32_t> stack;
  std::function<void(uint32_t)> visit = [&](uint32_t r) {
    state[r] = 1;
    stack.push_back(r);
    for (const ir::FieldInfo& field : types().records[r].fields) {
      TypeId t = field.type;
      while (types().kind(t) == TypeKind::List || types().kind(t) == TypeKind::Map)
        t = types().get(t).element;
      if (types().kind(t) != TypeKind::Record) continue;
      uint32_t next = types().get(t).index;
      if (state[next] == 1) {
        std::string path;
        for (auto it = std::find(stack.begin(), stack.end(), next); it != stack.end(); ++it) {
          path += types().records[*it].name + " -> ";
        }
        path += types().records[next].name;
        diags_.Report(DiagKind::RecursiveRecord, records_[next].decl->name.range, types().records[next].name,
                      path);
      } else if (state[next] == 0) {
        visit(next);
      }
    }
    stack.pop_back();
    state[r] = 2;
  };
  for (uint32_t r = 0; r < records_.size(); ++r) {
    if (state[r] == 0) visit(r);
  }
}

}  // namespace aipol::sema
