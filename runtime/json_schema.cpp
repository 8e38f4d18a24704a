#include "runtime/json_schema.h"

#include <set>

#include "runtime/json_text.h"

namespace aipol {
namespace {

using ir::TypeKind;

class SchemaWriter {
 public:
  explicit SchemaWriter(const ir::TypeTable& types) : types_(types) {}

  void Type(std::string& out, ir::TypeId type, int indent) {
    std::string pad(indent, ' '), inner(indent + 2, ' ');
    const ir::Type& t = types_.get(type);
    switch (t.kind) {
      case TypeKind::Bool: out += "{\"type\": \"boolean\"}"; return;
      case TypeKind::Int: out += "{\"type\": \"integer\"}"; return;
      case TypeKind::Number: out += "{\"type\": \"number\"}"; return;
      case TypeKind::String:
      case TypeKind::Duration: out += "{\"type\": \"string\"}"; return;
      case TypeKind::Date: out += "{\"type\": \"string\", \"format\": \"date\"}"; return;
      case TypeKind::Enum: {
        out += "{\n" + inner + "\"type\": \"string\",\n" + inner + "\"enum\": [";
        const ir::EnumInfo& info = types_.enums[t.index];
        for (size_t m = 0; m < info.members.size(); ++m) out += (m ? ", " : "") + JsonString(info.members[m]);
        out += "]\n" + pad + "}";
        return;
      }
      case TypeKind::Set:
      case TypeKind::List:
        out += "{\n" + inner + "\"type\": \"array\",\n";
        if (t.kind == TypeKind::Set) out += inner + "\"uniqueItems\": true,\n";
        out += inner + "\"items\": ";
        Type(out, t.element, indent + 2);
        out += "\n" + pad + "}";
        return;
      case TypeKind::Map:
        out += "{\n" + inner + "\"type\": \"object\",\n" + inner + "\"additionalProperties\": ";
        Type(out, t.element, indent + 2);
        out += "\n" + pad + "}";
        return;
      case TypeKind::Record: Record(out, t.index, indent, ""); return;
      case TypeKind::Any:
      case TypeKind::Error: out += "{}"; return;
    }
  }

  void Record(std::string& out, uint32_t id, int indent, const std::string& preamble) {
    std::string pad(indent, ' '), inner(indent + 2, ' ');
    const ir::RecordInfo& record = types_.records[id];
    out +=
        "{\n" + preamble + inner + "\"type\": \"object\",\n" + inner + "\"additionalProperties\": false,\n";
    std::string required;
    for (const ir::FieldInfo& f : record.fields) {
      if (f.required) required += (required.empty() ? "" : ", ") + JsonString(f.name);
    }
    if (!required.empty()) out += inner + "\"required\": [" + required + "],\n";
    out += inner + "\"properties\": {";
    for (size_t k = 0; k < record.fields.size(); ++k) {
      out += (k ? ",\n" : "\n") + inner + "  " + JsonString(record.fields[k].name) + ": ";
      Type(out, record.fields[k].type, indent + 4);
    }
    out += "\n" + inner + "}\n" + pad + "}";
  }

 private:
  const ir::TypeTable& types_;
};

void Collect(const ir::TypeTable& types, ir::TypeId type, std::set<uint32_t>& records,
             std::set<uint32_t>& enums, std::vector<std::pair<bool, uint32_t>>& order) {
  const ir::Type& t = types.get(type);
  if (t.kind == TypeKind::Enum && enums.insert(t.index).second) order.emplace_back(false, t.index);
  if (t.kind == TypeKind::Set || t.kind == TypeKind::List || t.kind == TypeKind::Map) {
    Collect(types, t.element, records, enums, order);
  }
  if (t.kind == TypeKind::Record && records.insert(t.index).second) {
    order.emplace_back(true, t.index);
    for (const ir::FieldInfo& f : types.records[t.index].fields)
      Collect(types, f.type, records, enums, order);
  }
}

}  // namespace

std::string InputJsonSchema(const ir::Program& program, const std::string& title) {
  std::string out;
  std::string preamble =
      "  \"$schema\": \"https://json-schema.org/draft/2020-12/schema\",\n  \"title\": " + JsonString(title) +
      ",\n";
  SchemaWriter(program.types).Record(out, program.input->record, 0, preamble);
  return out + "\n";
}

std::string InputTypesText(const ir::Program& program) {
  const ir::TypeTable& types = program.types;
  std::set<uint32_t> records, enums;
  std::vector<std::pair<bool, uint32_t>> order;
  Collect(types, program.input->type, records, enums, order);
  std::string out = "input " + program.input->name + ": " + types.Name(program.input->type) + "\n";
  for (const auto& [is_record, id] : order) {
    if (is_record) {
      const ir::RecordInfo& r = types.records[id];
      out += "\nrecord " + r.module + "." + r.name + " {\n";
      for (const ir::FieldInfo& f : r.fields) {
        out += "  " + f.name + ": " + types.Name(f.type) + (f.required ? " required" : "") + "\n";
      }
      out += "}\n";
    } else {
      const ir::EnumInfo& e = types.enums[id];
      out += "\nenum " + e.module + "." + e.name + " {";
      for (size_t m = 0; m < e.members.size(); ++m) out += (m ? ", " : " ") + e.members[m];
      out += " }\n";
    }
  }
  return out;
}

}  // namespace aipol
