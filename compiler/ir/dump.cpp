// A stable, readable text form of the IR, for `aipol check --dump-ir` and the
// IR golden tests: changes to what sema produces show up in review.
#include <sstream>

#include "compiler/ir/ir.h"
#include "runtime/date.h"
#include "runtime/json_text.h"

namespace aipol::ir {
namespace {

std::string_view UnitName(uint32_t unit) { return unit == 0 ? "days" : unit == 1 ? "months" : "years"; }

std::string ConstantText(const Program& p, const Expr& e) {
  const TypeTable& types = p.types;
  switch (types.kind(e.type)) {
    case TypeKind::Bool: return e.constant.integer ? "true" : "false";
    case TypeKind::Int: return std::to_string(e.constant.integer);
    case TypeKind::Number: {
      std::ostringstream out;
      out.precision(17);
      out << e.constant.number;
      return out.str();
    }
    case TypeKind::String: return JsonString(e.constant.string);
    case TypeKind::Date: return FormatDate(static_cast<int32_t>(e.constant.integer));
    case TypeKind::Duration:
      return std::to_string(e.constant.duration.count) + " " +
             std::string(UnitName(static_cast<uint32_t>(e.constant.duration.unit)));
    case TypeKind::Enum: {
      const EnumInfo& info = types.enums[types.get(e.type).index];
      return info.name + "." + info.members[static_cast<size_t>(e.constant.integer)];
    }
    default: return "?";
  }
}

class Dumper {
 public:
  explicit Dumper(const Program& p) : p_(p) {}

  std::string Expr(const ir::Expr& e) {
    std::string text = "(" + std::string(OpName(e.op));
    switch (e.op) {
      case Op::Const: text += " " + ConstantText(p_, e); break;
      case Op::Field: text += " " + e.text; break;
      case Op::MapGet: text += " " + JsonString(e.text); break;
      case Op::DeclRef: text += " " + p_.decls[e.index].id; break;
      case Op::ParamRef: text += " " + p_.params[e.index].module + "." + p_.params[e.index].name; break;
      case Op::Local:
      case Op::Any:
      case Op::All:
      case Op::CountWhere: text += " $" + std::to_string(e.index); break;
      case Op::Call: text += " " + p_.functions[e.index].module + "." + p_.functions[e.index].name; break;
      case Op::MakeDuration: text += " " + std::string(UnitName(e.index)); break;
      default: break;
    }
    for (size_t i = 0; i < e.operands.size(); ++i) {
      if (e.op == Op::MakeMap) text += " " + JsonString(e.keys[i]);
      text += " " + (e.operands[i] ? Expr(*e.operands[i]) : std::string("absent"));
    }
    return text + "):" + p_.types.Name(e.type);
  }

  void Clause(std::ostringstream& out, std::string_view name, const ExprPtr& e) {
    if (e) out << "  " << name << " " << Expr(*e) << "\n";
  }

  std::string Program() {
    std::ostringstream out;
    for (const Module& m : p_.modules) out << "module " << m.path << "\n";
    if (p_.input) out << "input " << p_.input->name << ": " << p_.types.Name(p_.input->type) << "\n";
    if (p_.role_enum) out << "roles " << p_.types.enums[*p_.role_enum].name << "\n";
    if (p_.evidence_max_age) out << "evidence_max_age " << p_.params[*p_.evidence_max_age].name << "\n";
    for (size_t k = 0; k < p_.map_keys.size(); ++k)
      out << "map_key " << k << " " << JsonString(p_.map_keys[k]) << "\n";
    for (const Param& param : p_.params) {
      out << "param " << param.module << "." << param.name << ": " << p_.types.Name(param.type) << " = "
          << Expr(*param.default_value) << "\n";
    }
    for (const Function& f : p_.functions) {
      out << "function " << f.module << "." << f.name << "(";
      for (size_t i = 0; i < f.params.size(); ++i) {
        out << (i ? ", " : "") << "$" << i << " " << f.params[i].name << ": "
            << p_.types.Name(f.params[i].type);
      }
      out << "): " << p_.types.Name(f.result) << "\n  body " << Expr(*f.body) << "\n";
    }
    for (const Decl& d : p_.decls) {
      out << (d.reported ? "report " : "") << DeclKindName(d.kind) << " " << d.id << ": "
          << p_.types.Name(d.type) << "\n";
      if (!d.citations.empty()) {
        out << "  cite";
        for (const std::string& c : d.citations) out << " " << JsonString(c);
        out << "\n";
      }
      if (d.title) out << "  title " << JsonString(*d.title) << "\n";
      if (d.text) out << "  text " << JsonString(*d.text) << "\n";
      if (d.actor_name) out << "  actor " << *d.actor_name << "\n";
      Clause(out, "value", d.value);
      Clause(out, "when", d.when);
      Clause(out, "unless", d.unless);
      Clause(out, "roles", d.actor_in_roles);
      Clause(out, "from", d.from);
      Clause(out, "until", d.until);
      if (d.evidence) {
        const EvidenceAccess& e = *d.evidence;
        const RecordInfo& record = p_.types.records[e.record];
        Clause(out, "evidence", e.entry);
        out << "  evidence_fields status=" << record.fields[e.status_field].name << " met=" << e.met_member
            << " partial=" << e.partial_member;
        if (e.ref_field) out << " ref=" << record.fields[*e.ref_field].name;
        if (e.reviewed_field) out << " reviewed=" << record.fields[*e.reviewed_field].name;
        out << "\n";
      }
      for (uint32_t e : d.exceptions) out << "  defeated_by " << p_.decls[e].id << "\n";
    }
    for (const Test& t : p_.tests) {
      out << "test " << JsonString(t.description) << " as_of " << FormatDate(t.as_of) << "\n";
      if (t.given_file) out << "  given file " << JsonString(*t.given_file) << "\n";
      Clause(out, "given", t.given_value);
      for (const auto& [param, value] : t.sets)
        out << "  set " << p_.params[param].name << " " << Expr(*value) << "\n";
      for (const Expect& e : t.expects) {
        if (e.kind == ExpectKind::Value) {
          Clause(out, "expect", e.expr);
        } else {
          out << "  expect " << p_.decls[e.decl].id << " is " << e.status << "\n";
        }
      }
    }
    return out.str();
  }

 private:
  const ir::Program& p_;
};

}  // namespace

std::string Dump(const Program& program) { return Dumper(program).Program(); }
std::string DumpExpr(const Program& program, const Expr& expr) { return Dumper(program).Expr(expr); }

}  // namespace aipol::ir
