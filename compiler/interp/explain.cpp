#include "compiler/interp/explain.h"

#include <set>

#include "compiler/interp/evaluator.h"
#include "runtime/date.h"
#include "runtime/json_text.h"

namespace aipol {
namespace {

using ir::Op;

// The input path an expression reads, when it is a chain of field and map
// reads from the input (`system.use.purposes`), else empty.
std::string InputPath(const ir::Program& program, const ir::Expr& e) {
  if (e.op == Op::Input) return "$";
  if (e.op != Op::Field && e.op != Op::MapGet) return "";
  std::string base = InputPath(program, *e.operands[0]);
  if (base.empty()) return "";
  std::string step = e.op == Op::MapGet ? "[\"" + e.text + "\"]" : e.text;
  if (base == "$") return step;
  return e.op == Op::MapGet ? base + step : base + "." + step;
}

class Explainer {
 public:
  Explainer(const ir::Program& program, const EvalRequest& request)
      : program_(program), evaluator_(program, request) {}

  Explanation Explain(uint32_t id, int depth) {
    const ir::Decl& d = program_.decls[id];
    Explanation out;
    out.decl = id;
    out.id = d.id;
    out.kind = std::string(ir::DeclKindName(d.kind));
    out.title = d.title;
    out.citations = d.citations;
    out.doc = d.doc;
    out.value = evaluator_.Materialize(evaluator_.Decl(id));
    if (d.kind == ir::DeclKind::Obligation || d.kind == ir::DeclKind::Prohibition) {
      std::vector<std::string> missing;
      out.status = evaluator_.Status(id, &missing);
    }
    evaluator_.ReserveLocals(d.locals);
    auto clause = [&](const char* name, const ir::ExprPtr& e) {
      if (!e) return;
      out.clauses.emplace_back(name, evaluator_.Materialize(evaluator_.Eval(*e)));
      Collect(*e, out, depth);
    };
    clause("value", d.value);
    clause("when", d.when);
    clause("unless", d.unless);
    if (d.actor_in_roles) {
      out.clauses.emplace_back("actor " + d.actor_name.value_or("?") + " in roles",
                               evaluator_.Eval(*d.actor_in_roles));
    }
    for (uint32_t exception : d.exceptions) {
      out.exceptions.push_back(depth > 0 ? Explain(exception, depth - 1) : Leaf(exception));
    }
    return out;
  }

 private:
  Explanation Leaf(uint32_t id) {
    Explanation out;
    const ir::Decl& d = program_.decls[id];
    out.decl = id;
    out.id = d.id;
    out.kind = std::string(ir::DeclKindName(d.kind));
    out.title = d.title;
    out.citations = d.citations;
    out.value = evaluator_.Materialize(evaluator_.Decl(id));
    return out;
  }

  // Records the input facts and the declarations an expression reads.
  void Collect(const ir::Expr& e, Explanation& out, int depth) {
    std::string path = InputPath(program_, e);
    if (!path.empty() && path != "$") {
      for (const ExplainedFact& f : out.facts) {
        if (f.path == path) return;
      }
      out.facts.push_back({path, evaluator_.Materialize(evaluator_.Eval(e))});
      return;
    }
    if (e.op == Op::DeclRef) {
      for (const Explanation& u : out.uses) {
        if (u.decl == e.index) return;
      }
      out.uses.push_back(depth > 0 ? Explain(e.index, depth - 1) : Leaf(e.index));
      return;
    }
    // Inside quantifiers and function bodies the facts depend on bound
    // values; the top-level reads are what a reader needs.
    if (e.op == Op::Any || e.op == Op::All || e.op == Op::CountWhere || e.op == Op::Call) {
      if (!e.operands.empty() && e.operands[0]) Collect(*e.operands[0], out, depth);
      if (e.op != Op::Call) return;
      for (size_t k = 1; k < e.operands.size(); ++k) Collect(*e.operands[k], out, depth);
      return;
    }
    for (const ir::ExprPtr& operand : e.operands) {
      if (operand) Collect(*operand, out, depth);
    }
  }

  const ir::Program& program_;
  interp::Evaluator evaluator_;
};

std::string Shown(const ir::Program& program, const Value& v) {
  if (!v.known()) return "unknown";
  return ValueToLiteral(v, program.types);
}

void Text(const ir::Program& program, const Explanation& e, int indent, std::string& out) {
  std::string pad(indent * 2, ' ');
  out += pad + e.kind + " " + e.id;
  if (e.title) out += " \"" + *e.title + "\"";
  if (!e.citations.empty()) {
    out += " (";
    for (size_t c = 0; c < e.citations.size(); ++c) out += (c ? ", " : "") + e.citations[c];
    out += ")";
  }
  out += ": ";
  if (e.status) {
    out += std::string(StatusName(e.status->status));
    if (e.status->from) out += " from " + FormatDate(*e.status->from);
    if (e.status->until) out += " until " + FormatDate(*e.status->until);
    out += std::string(" (applies: ") + Shown(program, e.value) + ")";
  } else {
    out += Shown(program, e.value);
  }
  out += "\n";
  for (const auto& [name, value] : e.clauses) {
    if (name == "value" && e.kind == "def") continue;
    out += pad + "  " + name + ": " + Shown(program, value) + "\n";
  }
  for (const ExplainedFact& f : e.facts) {
    out += pad + "  fact " + f.path + " = " +
           (f.value.known() ? Shown(program, f.value) : "unknown (missing)") + "\n";
  }
  if (!e.value.known() && !e.value.missing.empty()) {
    out += pad + "  would be decided by:";
    for (const std::string& m : e.value.missing) out += " " + m;
    out += "\n";
  }
  for (const Explanation& x : e.exceptions) {
    out += pad + "  exception " +
           std::string(x.value.known() && x.value.is_true() ? "fired"
                       : x.value.known()                    ? "did not fire"
                                                            : "unknown") +
           ":\n";
    Text(program, x, indent + 2, out);
  }
  for (const Explanation& u : e.uses) Text(program, u, indent + 1, out);
}

}  // namespace

Explanation Explain(const ir::Program& program, const EvalRequest& request, uint32_t decl, int depth) {
  return Explainer(program, request).Explain(decl, depth);
}

std::string ExplanationText(const ir::Program& program, const Explanation& explanation) {
  std::string out;
  Text(program, explanation, 0, out);
  return out;
}

void AppendExplanationJson(std::string& out, const ir::Program& program, const Explanation& e) {
  out += "{\"id\": " + JsonString(e.id) + ", \"kind\": " + JsonString(e.kind) + ", \"title\": ";
  out += e.title ? JsonString(*e.title) : "null";
  out += ", \"cite\": [";
  for (size_t c = 0; c < e.citations.size(); ++c) out += (c ? ", " : "") + JsonString(e.citations[c]);
  out += "], \"value\": ";
  AppendValueJson(out, e.value, program.types);
  out += ", \"status\": ";
  out += e.status ? JsonString(StatusName(e.status->status)) : "null";
  out += ", \"clauses\": {";
  for (size_t k = 0; k < e.clauses.size(); ++k) {
    out += (k ? ", " : "") + JsonString(e.clauses[k].first) + ": ";
    AppendValueJson(out, e.clauses[k].second, program.types);
  }
  out += "}, \"facts\": [";
  for (size_t k = 0; k < e.facts.size(); ++k) {
    out += (k ? ", " : "") + std::string("{\"path\": ") + JsonString(e.facts[k].path) + ", \"value\": ";
    AppendValueJson(out, e.facts[k].value, program.types);
    out += "}";
  }
  out += "], \"missing\": [";
  for (size_t k = 0; k < e.value.missing.size(); ++k) out += (k ? ", " : "") + JsonString(e.value.missing[k]);
  out += "], \"exceptions\": [";
  for (size_t k = 0; k < e.exceptions.size(); ++k) {
    if (k) out += ", ";
    AppendExplanationJson(out, program, e.exceptions[k]);
  }
  out += "], \"uses\": [";
  for (size_t k = 0; k < e.uses.size(); ++k) {
    if (k) out += ", ";
    AppendExplanationJson(out, program, e.uses[k]);
  }
  out += "]}";
}

}  // namespace aipol
