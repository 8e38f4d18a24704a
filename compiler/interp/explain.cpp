#include "compiler/interp/explain.h"

#include <set>

#include "compiler/interp/evaluator.h"
#include "compiler/ir/source_text.h"
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

bool IsTrue(const Value& v) { return v.known() && v.is_true(); }
bool IsFalse(const Value& v) { return v.known() && v.kind == ValueKind::Bool && !v.is_true(); }

std::string JoinList(const std::vector<std::string>& items) {
  std::string out;
  for (size_t k = 0; k < items.size(); ++k) out += (k ? ", " : "") + items[k];
  return out;
}

// `"Title" (Art. 9)` or the name, for sentences.
std::string Named(const ir::Decl& d) {
  std::string out = d.title ? "\"" + *d.title + "\"" : "`" + d.name + "`";
  if (!d.citations.empty()) out += " (" + JoinList(d.citations) + ")";
  return out;
}

// A condition's source on one line, for a sentence: comments dropped,
// white space runs made one space, and long text cut at about 100 bytes.
std::string Brief(const std::string& source) {
  std::string out;
  bool in_string = false, space = false;
  for (size_t k = 0; k < source.size(); ++k) {
    char c = source[k];
    if (!in_string && c == '#') {
      while (k + 1 < source.size() && source[k + 1] != '\n') ++k;
      continue;
    }
    if (c == '"') in_string = !in_string;
    if (!in_string && (c == ' ' || c == '\n' || c == '\t' || c == '\r')) {
      space = !out.empty();
      continue;
    }
    if (space) out += ' ';
    space = false;
    out += c;
  }
  if (out.size() > 100) {
    size_t cut = 97;
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out = out.substr(0, cut) + "…";
  }
  return out;
}

class Explainer {
 public:
  Explainer(const ir::Program& program, const EvalRequest& request)
      : program_(program), request_(request), evaluator_(program, request) {}

  Explanation Explain(uint32_t id, int depth) {
    const ir::Decl& d = program_.decls[id];
    Explanation out = Reference(id);
    out.expanded = true;
    out.doc = d.doc;
    out.text = d.text;
    evaluator_.ReserveLocals(d.locals);
    auto clause = [&](const char* name, const ir::ExprPtr& e) {
      if (!e) return;
      out.clauses.push_back(
          {name, ir::ClauseSource(program_, d.module, *e).text, evaluator_.Materialize(evaluator_.Eval(*e))});
      Collect(*e, out, depth);
    };
    clause("value", d.value);
    clause("when", d.when);
    clause("unless", d.unless);
    if (d.actor_in_roles) {
      out.clauses.push_back({"actor", d.actor_name.value_or("?"), evaluator_.Eval(*d.actor_in_roles)});
    }
    clause("from", d.from);
    clause("until", d.until);
    if (d.evidence) {
      const ir::Expr& entry = *d.evidence->entry;
      // The implicit entry (`evidence[primary citation]`) has the
      // declaration's range; an `evidence` clause has its own.
      bool implicit = entry.range.begin == d.range.begin && entry.range.end == d.range.end;
      std::string source = implicit ? "evidence[" + JsonString(entry.text) + "]"
                                    : ir::ClauseSource(program_, d.module, entry).text;
      out.clauses.push_back({"evidence", source, evaluator_.Materialize(evaluator_.Eval(entry))});
    }
    for (uint32_t exception : d.exceptions) {
      out.exceptions.push_back(depth > 0 ? Explain(exception, depth - 1) : Reference(exception));
    }
    return out;
  }

 private:
  // The declaration's identity, value, status and reason.
  Explanation Reference(uint32_t id) {
    Explanation out;
    const ir::Decl& d = program_.decls[id];
    out.decl = id;
    out.id = d.id;
    out.kind = std::string(ir::DeclKindName(d.kind));
    out.module = d.module;
    out.title = d.title;
    out.citations = d.citations;
    out.actor = d.actor_name;
    out.value = evaluator_.Materialize(evaluator_.Decl(id));
    evaluator_.ReserveLocals(d.locals);
    if (d.kind == ir::DeclKind::Obligation || d.kind == ir::DeclKind::Prohibition) {
      MissingPaths missing;
      out.status = evaluator_.Status(id, &missing);
      if (out.status->status == Status::Unknown) out.missing = missing;
    } else if (!out.value.known()) {
      out.missing = out.value.missing;
    }
    out.reason = Reason(d, out);
    return out;
  }

  // Why a rule, exception, obligation or prohibition has its value (and
  // status), in one sentence.
  std::string Reason(const ir::Decl& d, const Explanation& e) {
    if (d.kind == ir::DeclKind::Def) return "";
    const Value& applies = e.value;
    if (!applies.known()) {
      std::string out = d.kind == ir::DeclKind::Obligation || d.kind == ir::DeclKind::Prohibition
                            ? "whether it applies depends on facts the descriptor does not give"
                            : "it depends on facts the descriptor does not give";
      if (!e.missing.empty()) out += ": " + JoinList(e.missing);
      return out;
    }
    if (!applies.is_true()) return NotApplying(d);
    std::vector<std::string> parts;
    parts.push_back(d.when ? "its condition holds" : "it has no condition");
    if (d.unless) parts.push_back("its `unless` condition does not hold");
    if (!d.exceptions.empty()) {
      parts.push_back(d.exceptions.size() == 1 ? "its exception does not apply"
                                               : "none of its exceptions applies");
    }
    if (d.actor_name) parts.push_back("the system's roles include " + *d.actor_name);
    std::string holds;
    for (size_t k = 0; k < parts.size(); ++k) {
      holds += (k == 0 ? "" : k + 1 == parts.size() ? " and " : ", ") + parts[k];
    }
    if (!e.status) return holds;
    const StatusResult& s = *e.status;
    std::string applies_since = "it applies (" + holds + ")";
    if (s.from) applies_since += ", in force since " + PlainDate(*s.from) + ",";
    switch (s.status) {
      case Status::Upcoming:
        return "it applies to this system (" + holds + "), but only from " +
               (s.from ? PlainDate(*s.from) : "a later date");
      case Status::Expired:
        return "it applied to this system (" + holds + ") until " +
               (s.until ? PlainDate(*s.until) : "an earlier date");
      case Status::Violated:
        return "the prohibited practice applies to this system (" + holds + ")" +
               (s.from ? " and the prohibition has applied since " + PlainDate(*s.from) : "");
      case Status::NotApplicable:
        return "it ceased to apply on " + (s.until ? PlainDate(*s.until) : "an earlier date");
      case Status::Unknown:
        if (!e.missing.empty()) {
          return "it applies (" + holds +
                 "), but its dates depend on facts the descriptor does not give: " + JoinList(e.missing);
        }
        return "it applies (" + holds +
               "), but the maximum age of evidence is unknown, so fresh evidence cannot be told from stale";
      case Status::Open:
        if (s.evidence) return applies_since + " and its evidence entry says `" + s.evidence->status + "`";
        return applies_since + " and the descriptor gives no evidence that it is met";
      case Status::Met: return applies_since + " and its evidence says it is met";
      case Status::Partial: return applies_since + " and its evidence says it is only partly met";
      case Status::Stale: {
        std::string out =
            applies_since + (s.from ? " but" : ", but") + " its evidence was last reviewed on " +
            (s.evidence && s.evidence->reviewed ? PlainDate(*s.evidence->reviewed) : "an unknown date");
        if (program_.evidence_max_age && request_.params) {
          out += ", longer ago than the maximum age of evidence (" +
                 PlainValue(program_, (*request_.params)[*program_.evidence_max_age]) + ")";
        }
        return out;
      }
    }
    return holds;
  }

  // Why a declaration is false: the first part that decides it, in the order
  // the language evaluates them.
  std::string NotApplying(const ir::Decl& d) {
    if (d.when) {
      Value when = evaluator_.Eval(*d.when);
      if (IsFalse(when)) return "its condition (`when`) does not hold: " + WhyFalse(d, *d.when);
    }
    if (d.unless) {
      Value unless = evaluator_.Eval(*d.unless);
      if (IsTrue(unless)) {
        return "its `unless` condition holds: `" +
               Brief(ir::ClauseSource(program_, d.module, *d.unless).text) + "` is yes";
      }
    }
    for (uint32_t exception : d.exceptions) {
      if (IsTrue(evaluator_.Decl(exception))) {
        return "the exception " + Named(program_.decls[exception]) + " applies";
      }
    }
    if (d.actor_in_roles && IsFalse(evaluator_.Eval(*d.actor_in_roles))) {
      return "the system's roles do not include " + d.actor_name.value_or("?");
    }
    return "its conditions do not hold";
  }

  // Which parts of a false condition are false: the false parts of an
  // `and`, all alternatives of an `or`, else the whole.
  std::string WhyFalse(const ir::Decl& d, const ir::Expr& e) {
    auto text = [&](const ir::Expr& part) {
      std::string out = "`" + Brief(ir::ClauseSource(program_, d.module, part).text) + "`";
      if (part.op == Op::DeclRef && program_.decls[part.index].title) {
        out += " (\u201C" + *program_.decls[part.index].title + "\u201D)";
      }
      return out;
    };
    auto statement = [&](const ir::Expr& part) {
      if (part.op == Op::Not && !part.operands.empty()) return text(*part.operands[0]) + " is yes";
      return text(part) + " is no";
    };
    if (e.op == Op::And) {
      std::vector<const ir::Expr*> parts;
      Flatten(e, Op::And, parts);
      std::vector<std::string> failing;
      for (const ir::Expr* part : parts) {
        if (IsFalse(evaluator_.Eval(*part))) failing.push_back(statement(*part));
      }
      if (!failing.empty()) {
        std::string out;
        for (size_t k = 0; k < failing.size(); ++k) {
          out += (k == 0 ? "" : k + 1 == failing.size() ? " and " : ", ") + failing[k];
        }
        return out;
      }
    }
    if (e.op == Op::Or) {
      std::vector<const ir::Expr*> parts;
      Flatten(e, Op::Or, parts);
      std::string out = "none of ";
      for (size_t k = 0; k < parts.size(); ++k) {
        out += (k == 0 ? "" : k + 1 == parts.size() ? " and " : ", ") + text(*parts[k]);
      }
      return out + " holds";
    }
    return statement(e);
  }

  static void Flatten(const ir::Expr& e, Op op, std::vector<const ir::Expr*>& out) {
    if (e.op == op && e.operands.size() == 2) {
      Flatten(*e.operands[0], op, out);
      Flatten(*e.operands[1], op, out);
      return;
    }
    out.push_back(&e);
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
    if (e.op == Op::ParamRef) {
      const ir::Param& param = program_.params[e.index];
      for (const ExplainedFact& f : out.settings) {
        if (f.path == param.name) return;
      }
      out.settings.push_back({param.name, evaluator_.Materialize(evaluator_.Eval(e))});
      return;
    }
    if (e.op == Op::DeclRef) {
      for (const Explanation& u : out.uses) {
        if (u.decl == e.index) return;
      }
      out.uses.push_back(depth > 0 ? Explain(e.index, depth - 1) : Reference(e.index));
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
  const EvalRequest& request_;
  interp::Evaluator evaluator_;
};

// ------------------------------------------------------------------ text

std::string Capitalized(std::string_view kind) {
  if (kind == "def") return "Definition";
  std::string out(kind);
  if (!out.empty()) out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

// `obligation`'s result word: its status; a rule's: yes, no or unknown.
std::string ResultWord(const ir::Program& program, const Explanation& e) {
  if (e.status) return std::string(StatusName(e.status->status));
  return PlainValue(program, e.value);
}

std::string Header(const ir::Program& program, const Explanation& e) {
  std::string out = Capitalized(e.kind) + " ";
  if (e.title) {
    out += "\"" + *e.title + "\"";
    if (!e.citations.empty()) out += " (" + JoinList(e.citations) + ")";
    out += " [" + e.id + "]";
  } else {
    out += e.id;
    if (!e.citations.empty()) out += " (" + JoinList(e.citations) + ")";
  }
  return out + ": " + ResultWord(program, e);
}

std::string ClauseLabel(const std::string& name, const std::string& kind) {
  if (name == "value") return "Defined as";
  if (name == "when") return kind == "def" ? "When" : "Applies when";
  if (name == "unless") return "Unless";
  if (name == "from") return "In force from";
  if (name == "until") return "In force until";
  if (name == "evidence") return "Evidence entry";
  return name;
}

std::string ValueWithMissing(const ir::Program& program, const Value& v) {
  std::string out = PlainValue(program, v);
  if (!v.known() && !v.missing.empty()) out += " (not stated: " + JoinList(v.missing) + ")";
  return out;
}

class TextWriter {
 public:
  TextWriter(const ir::Program& program, std::set<uint32_t>& expanded)
      : program_(program), expanded_(expanded) {}

  void Write(const Explanation& e, const std::string& pad, std::string& out) {
    bool repeated = e.expanded && expanded_.count(e.decl);
    out += pad + Header(program_, e) + (repeated ? " (explained above)" : "") + "\n";
    if (!e.expanded || repeated) return;
    expanded_.insert(e.decl);
    std::string in = pad + "  ";
    std::string about = ir::FirstParagraph(e.doc);
    if (!about.empty()) out += in + "About: " + about + "\n";
    if (!e.reason.empty()) out += in + "Why: " + e.reason + ".\n";
    for (const ExplainedClause& c : e.clauses) {
      if (c.name == "actor") {
        out += in + "Duty of: " + c.source + " (the system's roles include " + c.source + ": " +
               PlainValue(program_, c.value) + ")\n";
        continue;
      }
      if (c.name == "evidence") {
        // The implicit entry reads the descriptor's evidence map.
        bool implicit = c.source.starts_with("evidence[\"");
        out += in + "Evidence: " + Evidence(e) + " (" + (implicit ? "the descriptor's " : "from ") +
               c.source + ")\n";
        continue;
      }
      std::string label = ClauseLabel(c.name, e.kind);
      // The missing facts are listed once, when the clause's are the item's.
      std::string value =
          c.value.missing == e.missing ? PlainValue(program_, c.value) : ValueWithMissing(program_, c.value);
      if (c.source.find('\n') == std::string::npos && c.source.size() <= 60) {
        out += in + label + ": " + c.source + "  → " + value + "\n";
        continue;
      }
      out += in + label + ":\n";
      size_t k = 0;
      while (k <= c.source.size()) {
        size_t newline = c.source.find('\n', k);
        out += in + "    " +
               c.source.substr(k, newline == std::string::npos ? std::string::npos : newline - k) + "\n";
        if (newline == std::string::npos) break;
        k = newline + 1;
      }
      out += in + "  → " + value + "\n";
    }
    if (!e.facts.empty()) {
      out += in + "Facts read from the descriptor:\n";
      for (const ExplainedFact& f : e.facts) {
        out += in + "  " + f.path + " = " +
               (f.value.known() ? PlainValue(program_, f.value) : "unknown (not stated)") + "\n";
      }
    }
    if (!e.settings.empty()) {
      out += in + "Settings read:";
      for (size_t k = 0; k < e.settings.size(); ++k) {
        out += (k ? ", " : " ") + e.settings[k].path + " = " + PlainValue(program_, e.settings[k].value);
      }
      out += "\n";
    }
    // (The reason of a rule or duty names them already.)
    if (!e.missing.empty() && e.reason.empty())
      out += in + "Would be decided by: " + JoinList(e.missing) + "\n";
    if (!e.exceptions.empty()) {
      out += in + "Exceptions:\n";
      for (const Explanation& x : e.exceptions) {
        std::string fired = IsTrue(x.value)   ? "applied"
                            : x.value.known() ? "did not apply"
                                              : "may apply (unknown)";
        out += in + "  - " + fired + ": ";
        std::string sub;
        Write(x, in + "    ", sub);
        out += sub.substr(in.size() + 4);
      }
    }
    if (!e.uses.empty()) {
      out += in + "Based on:\n";
      for (const Explanation& u : e.uses) {
        std::string sub;
        Write(u, in + "    ", sub);
        out += in + "  - " + sub.substr(in.size() + 4);
      }
    }
  }

 private:
  std::string Evidence(const Explanation& e) {
    if (!e.status || !e.status->evidence) return "none given";
    const EvidenceUsed& used = *e.status->evidence;
    std::string out = used.status;
    if (used.ref) out += ", " + JsonString(*used.ref);
    if (used.reviewed) out += ", reviewed " + PlainDate(*used.reviewed);
    return out;
  }

  const ir::Program& program_;
  std::set<uint32_t>& expanded_;
};

void AppendValue(std::string& out, const ir::Program& program, const Value& v) {
  AppendValueJson(out, v, program.types);
}

void AppendStrings(std::string& out, const std::vector<std::string>& items) {
  out += "[";
  for (size_t k = 0; k < items.size(); ++k) out += (k ? ", " : "") + JsonString(items[k]);
  out += "]";
}

void AppendOptional(std::string& out, const std::optional<std::string>& s) {
  out += s ? JsonString(*s) : "null";
}

}  // namespace

Explanation Explain(const ir::Program& program, const EvalRequest& request, uint32_t decl, int depth) {
  return Explainer(program, request).Explain(decl, depth);
}

std::string PlainDate(int32_t day) {
  static constexpr const char* kMonths[] = {"January",   "February", "March",    "April",
                                            "May",       "June",     "July",     "August",
                                            "September", "October",  "November", "December"};
  CivilDate c = CivilFromDays(day);
  return std::to_string(c.day) + " " + kMonths[c.month - 1] + " " + std::to_string(c.year);
}

std::string PlainValue(const ir::Program& program, const Value& v) {
  const ir::TypeTable& types = program.types;
  switch (v.kind) {
    case ValueKind::Unknown: return "unknown";
    case ValueKind::Bool: return v.i ? "yes" : "no";
    case ValueKind::Date: return PlainDate(static_cast<int32_t>(v.i));
    case ValueKind::String: return JsonString(v.s);
    case ValueKind::EnumSet: {
      if (v.mask == 0) return "none";
      std::string literal = ValueToLiteral(v, types);
      return literal.substr(1, literal.size() - 2);
    }
    case ValueKind::StringSet:
    case ValueKind::List: {
      if (v.items.empty()) return "none";
      std::string out;
      for (size_t k = 0; k < v.items.size(); ++k) out += (k ? ", " : "") + PlainValue(program, v.items[k]);
      return out;
    }
    default: return ValueToLiteral(v, types);
  }
}

std::string ExplanationText(const ir::Program& program, const Explanation& explanation) {
  return ExplanationTextWriter(program).Write(explanation);
}

std::string ExplanationTextWriter::Write(const Explanation& explanation) {
  std::string out;
  TextWriter(program_, expanded_).Write(explanation, "", out);
  return out;
}

std::string ExplanationSummaryLine(const ir::Program& program, const Explanation& e) {
  std::string out = Header(program, e);
  if (!e.reason.empty()) out += "\n  Why: " + e.reason + ".";
  return out + "\n";
}

void AppendExplanationJson(std::string& out, const ir::Program& program, const Explanation& e) {
  out += "{\"id\": " + JsonString(e.id) + ", \"kind\": " + JsonString(e.kind) +
         ", \"module\": " + JsonString(e.module) + ", \"title\": ";
  AppendOptional(out, e.title);
  out += ", \"cite\": ";
  AppendStrings(out, e.citations);
  out += ", \"actor\": ";
  AppendOptional(out, e.actor);
  out += ", \"value\": ";
  AppendValue(out, program, e.value);
  out += ", \"status\": ";
  out += e.status ? JsonString(StatusName(e.status->status)) : "null";
  if (e.status) {
    const StatusResult& s = *e.status;
    out += ", \"from\": " + (s.from ? JsonString(FormatDate(*s.from)) : std::string("null"));
    out += ", \"until\": " + (s.until ? JsonString(FormatDate(*s.until)) : std::string("null"));
    out += ", \"evidence\": ";
    if (s.evidence) {
      const EvidenceUsed& used = *s.evidence;
      out += "{\"status\": " + JsonString(used.status);
      if (used.ref) out += ", \"ref\": " + JsonString(*used.ref);
      if (used.reviewed) out += ", \"reviewed\": " + JsonString(FormatDate(*used.reviewed));
      out += "}";
    } else {
      out += "null";
    }
  }
  out += ", \"reason\": ";
  out += e.reason.empty() ? "null" : JsonString(e.reason);
  out += ", \"missing\": ";
  AppendStrings(out, e.missing);
  out += ", \"expanded\": ";
  out += e.expanded ? "true" : "false";
  if (!e.expanded) {
    out += "}";
    return;
  }
  out += ", \"doc\": " + JsonString(e.doc) + ", \"text\": ";
  AppendOptional(out, e.text);
  out += ", \"clauses\": [";
  for (size_t k = 0; k < e.clauses.size(); ++k) {
    const ExplainedClause& c = e.clauses[k];
    out += (k ? ", " : "") + std::string("{\"clause\": ") + JsonString(c.name) +
           ", \"source\": " + JsonString(c.source) + ", \"value\": ";
    AppendValue(out, program, c.value);
    out += "}";
  }
  out += "], \"facts\": [";
  for (size_t k = 0; k < e.facts.size(); ++k) {
    out += (k ? ", " : "") + std::string("{\"path\": ") + JsonString(e.facts[k].path) + ", \"value\": ";
    AppendValue(out, program, e.facts[k].value);
    out += "}";
  }
  out += "], \"settings\": [";
  for (size_t k = 0; k < e.settings.size(); ++k) {
    out += (k ? ", " : "") + std::string("{\"name\": ") + JsonString(e.settings[k].path) + ", \"value\": ";
    AppendValue(out, program, e.settings[k].value);
    out += "}";
  }
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
