#include "compiler/sema/literal.h"

#include <algorithm>
#include <sstream>

#include "compiler/syntax/parse.h"

namespace aipol {

using ast::ExprKind;
using ir::TypeKind;
using ir::TypeTable;

ir::ExprPtr CheckLiteral(const ir::TypeTable& types, ir::TypeId type, const ast::Expr& e,
                         DiagnosticSink& diags) {
  auto constant = [&]() { return std::make_unique<ir::Expr>(ir::Op::Const, type, e.range); };
  auto mismatch = [&](std::string_view found) {
    diags.Report(DiagKind::TypeMismatch, e.range, types.Name(type), found);
    return nullptr;
  };
  TypeKind kind = types.kind(type);
  switch (e.kind) {
    case ExprKind::Parens: return CheckLiteral(types, type, *e.operands[0], diags);
    case ExprKind::IntLit:
      if (kind != TypeKind::Int && kind != TypeKind::Number) return mismatch("int");
      {
        auto c = constant();
        c->constant.integer = e.int_value;
        c->constant.number = static_cast<double>(e.int_value);
        return c;
      }
    case ExprKind::NumberLit: {
      if (kind != TypeKind::Number) return mismatch("number");
      auto c = constant();
      c->constant.number = e.number_value;
      return c;
    }
    case ExprKind::Negate: {
      ir::ExprPtr inner = CheckLiteral(types, type, *e.operands[0], diags);
      if (!inner) return nullptr;
      if (kind != TypeKind::Int && kind != TypeKind::Number) return mismatch("a negation");
      inner->constant.integer = -inner->constant.integer;
      inner->constant.number = -inner->constant.number;
      return inner;
    }
    case ExprKind::StringLit: {
      if (kind != TypeKind::String) return mismatch("string");
      auto c = constant();
      c->constant.string = e.text;
      return c;
    }
    case ExprKind::DateLit: {
      if (kind != TypeKind::Date) return mismatch("date");
      auto c = constant();
      c->constant.integer = e.int_value;
      return c;
    }
    case ExprKind::DurationLit: {
      if (kind != TypeKind::Duration) return mismatch("duration");
      auto c = constant();
      c->constant.duration = {e.int_value, static_cast<ir::DurationUnit>(e.unit)};
      return c;
    }
    case ExprKind::BoolLit: {
      if (kind != TypeKind::Bool) return mismatch("bool");
      auto c = constant();
      c->constant.integer = e.int_value;
      return c;
    }
    case ExprKind::Name:
    case ExprKind::Member: {
      if (kind != TypeKind::Enum) {
        diags.Report(DiagKind::NotALiteral, e.range, "`" + ast::ToSource(e) + "`")
            .notes.push_back({{}, "a literal names no declaration; only enum members are written as names"});
        return nullptr;
      }
      const ir::EnumInfo& info = types.enums[types.get(type).index];
      // `member`, `Enum.member`, `alias.Enum.member` or `a.b.Enum.member`.
      std::string member = e.text;
      if (e.kind == ExprKind::Member) {
        const ast::Expr& qualifier = *e.operands[0];
        std::string_view last = qualifier.text;
        bool names_enum =
            (qualifier.kind == ExprKind::Name || qualifier.kind == ExprKind::Member) && last == info.name;
        if (!names_enum) return mismatch("`" + ast::ToSource(e) + "`");
      }
      std::optional<uint32_t> index = info.Find(member);
      if (!index) {
        Diagnostic& d = diags.Report(DiagKind::UnknownEnumMember, e.range, info.name, member);
        std::string close = ClosestMatch(member, info.members);
        if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
        return nullptr;
      }
      auto c = constant();
      c->constant.integer = *index;
      return c;
    }
    case ExprKind::EmptyBraces:
      if (kind == TypeKind::Record || kind == TypeKind::Map) {
        ast::Expr empty(kind == TypeKind::Record ? ExprKind::RecordLit : ExprKind::MapLit, e.range);
        return CheckLiteral(types, type, empty, diags);
      }
      [[fallthrough]];
    case ExprKind::SetLit:
    case ExprKind::ListLit: {
      bool set = kind == TypeKind::Set, list = kind == TypeKind::List;
      if (!set && !list) return mismatch("a collection");
      if ((e.kind == ExprKind::SetLit && !set) || (e.kind == ExprKind::ListLit && !list)) {
        return mismatch(e.kind == ExprKind::SetLit ? "a set" : "a list");
      }
      auto c = std::make_unique<ir::Expr>(set ? ir::Op::MakeSet : ir::Op::MakeList, type, e.range);
      for (const ast::ExprPtr& item : e.operands) {
        ir::ExprPtr checked = CheckLiteral(types, types.get(type).element, *item, diags);
        if (!checked) return nullptr;
        c->operands.push_back(std::move(checked));
      }
      return c;
    }
    case ExprKind::UnknownLit: return std::make_unique<ir::Expr>(ir::Op::Unknown, type, e.range);
    case ExprKind::RecordLit: {
      if (kind != TypeKind::Record) return mismatch("a record literal");
      const ir::RecordInfo& record = types.records[types.get(type).index];
      auto c = std::make_unique<ir::Expr>(ir::Op::MakeRecord, type, e.range);
      c->operands.resize(record.fields.size());
      // Every field is checked, so one run reports every mistake.
      bool ok = true;
      for (size_t k = 0; k < e.keys.size(); ++k) {
        std::optional<uint32_t> field = record.Find(e.keys[k]);
        if (!field) {
          Diagnostic& d = diags.Report(DiagKind::UnknownField, e.key_ranges[k], e.keys[k], record.name);
          std::vector<std::string> names;
          for (const ir::FieldInfo& f : record.fields) names.push_back(f.name);
          std::string close = ClosestMatch(e.keys[k], names);
          if (!close.empty()) d.notes.push_back({{}, "did you mean `" + close + "`?"});
          ok = false;
          continue;
        }
        c->operands[*field] = CheckLiteral(types, record.fields[*field].type, *e.operands[k], diags);
        ok = ok && c->operands[*field] != nullptr;
      }
      for (size_t f = 0; f < record.fields.size(); ++f) {
        if (record.fields[f].required &&
            std::find(e.keys.begin(), e.keys.end(), record.fields[f].name) == e.keys.end()) {
          diags.Report(DiagKind::RequiredInRecordLiteral, e.range, record.name, record.fields[f].name);
          ok = false;
        }
      }
      if (!ok) return nullptr;
      return c;
    }
    case ExprKind::MapLit: {
      if (kind != TypeKind::Map) return mismatch("a map literal");
      auto c = std::make_unique<ir::Expr>(ir::Op::MakeMap, type, e.range);
      c->keys = e.keys;
      for (const ast::ExprPtr& value : e.operands) {
        ir::ExprPtr checked = CheckLiteral(types, types.get(type).element, *value, diags);
        if (!checked) return nullptr;
        c->operands.push_back(std::move(checked));
      }
      return c;
    }
    default: diags.Report(DiagKind::NotALiteral, e.range, "`" + ast::ToSource(e) + "`"); return nullptr;
  }
}

ir::ExprPtr ParseLiteral(const ir::TypeTable& types, ir::TypeId type, const std::string& text,
                         const std::string& what, std::string* error) {
  SourceManager sources;
  FileId file = sources.Add(what, text);
  DiagnosticSink diags;
  ast::ExprPtr expr = ParseExpression(sources, file, diags);
  ir::ExprPtr result = expr ? CheckLiteral(types, type, *expr, diags) : nullptr;
  if (!result) {
    std::ostringstream out;
    RenderText(sources, diags.diagnostics(), {}, out);
    *error = out.str();
  }
  return result;
}

}  // namespace aipol
