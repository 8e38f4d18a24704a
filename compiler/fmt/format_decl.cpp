// Declarations, clauses and test steps.
#include <algorithm>

#include "compiler/fmt/formatter.h"

namespace aipol::formatting {
namespace {

using ast::ClauseKind;
using ast::DeclKind;

// The fixed order of clauses.
int ClauseRank(ClauseKind kind) {
  switch (kind) {
    case ClauseKind::Cite: return 0;
    case ClauseKind::Actor: return 1;
    case ClauseKind::From: return 2;
    case ClauseKind::Until: return 3;
    case ClauseKind::When: return 4;
    case ClauseKind::Unless: return 5;
    case ClauseKind::Evidence: return 6;
    case ClauseKind::Text: return 7;
  }
  return 8;
}

}  // namespace

std::string Formatter::Type(const ast::TypeRef& type) const {
  std::string text = type.name;
  if (!type.args.empty()) {
    text += '<';
    for (size_t i = 0; i < type.args.size(); ++i) {
      if (i > 0) text += ", ";
      text += Type(type.args[i]);
    }
    text += '>';
  }
  return text;
}

Doc Formatter::Declaration(const ast::Decl& decl, std::optional<size_t> trailing) {
  uint32_t end = trailing ? comments_[*trailing].range.end : decl.range.end;
  std::string prefix = decl.reported ? "report " : "";
  switch (decl.kind) {
    case DeclKind::Enum: {
      std::vector<Doc> members;
      std::vector<SourceRange> ranges;
      for (const ast::Name& member : decl.members) {
        members.push_back(Text(member.text));
        ranges.push_back(member.range);
      }
      return Braced(decl, "enum " + decl.name.text + " {", decl.name.range.end, std::move(members), ranges,
                    end, true);
    }
    case DeclKind::Record: {
      std::vector<Doc> fields;
      std::vector<SourceRange> ranges;
      for (const ast::Field& field : decl.fields) {
        uint32_t field_end = field.required ? NextToken(field.type.range.end) + 8 : field.type.range.end;
        ranges.push_back({field.name.range.file, field.name.range.begin, field_end});
        fields.push_back(
            Text(field.name.text + ": " + Type(field.type) + (field.required ? " required" : "")));
      }
      return Braced(decl, "record " + decl.name.text + " {", decl.name.range.end, std::move(fields), ranges,
                    end, false);
    }
    case DeclKind::Test: {
      std::vector<Doc> steps;
      std::vector<SourceRange> ranges;
      for (const ast::TestStep& step : decl.steps) {
        steps.push_back(Step(step));
        ranges.push_back(step.range);
      }
      std::string header = "test " + StringToken(decl.title_range, decl.title.value_or("")) + " {";
      return Braced(decl, header, decl.title_range.end, std::move(steps), ranges, end, false);
    }
    case DeclKind::Input:
    case DeclKind::Param:
    case DeclKind::Def: return ValueDeclaration(decl, prefix, trailing);
    default: return ClauseDeclaration(decl, prefix, end);
  }
}

// `enum`, `record` and `test`: a header line ending in `{`, one element per
// line indented by two, and `}`. An enum without comments stays on one line
// when it fits.
Doc Formatter::Braced(const ast::Decl& decl, const std::string& header, uint32_t name_end,
                      std::vector<Doc> elements, const std::vector<SourceRange>& ranges, uint32_t end,
                      bool one_line) {
  uint32_t open = NextToken(name_end);
  uint32_t close = decl.range.end - 1;
  std::vector<SourceRange> items = {{decl.range.file, decl.range.begin, open + 1}};
  items.insert(items.end(), ranges.begin(), ranges.end());
  items.push_back({decl.range.file, close, close + 1});
  Placement place = Place(items, decl.range.begin, end);
  auto trailing = [&](size_t item) {
    return place.trailing[item] ? Trailing(*place.trailing[item]) : Text("");
  };
  size_t closing = items.size() - 1;

  if (!HasComment(open + 1, close)) {
    std::string flat = header;
    if (one_line && !elements.empty()) {
      flat += ' ';
      for (size_t i = 0; i < decl.members.size(); ++i) flat += (i > 0 ? ", " : "") + decl.members[i].text;
      flat += ' ';
    }
    if (elements.empty() || (one_line && Columns(flat) + 1 <= kWidth)) {
      return Concat({Text(flat + "}"), trailing(closing)});
    }
  }
  std::vector<Doc> body;
  for (size_t i = 0; i < elements.size(); ++i) {
    Doc hoisted = Hoist(ranges[i].begin, ranges[i].end);
    body.push_back(HardLine());
    body.push_back(OwnLines(place.leading[i + 1]));
    body.push_back(std::move(hoisted));
    body.push_back(std::move(elements[i]));
    body.push_back(trailing(i + 1));
  }
  for (size_t c : place.leading[closing]) {
    body.push_back(HardLine());
    body.push_back(Text(CommentText(c)));
    claimed_[c] = true;
  }
  return Concat({Text(header), trailing(0), Align(2, Concat(std::move(body))), HardLine(), Text("}"),
                 trailing(closing)});
}

// `rule`, `exception`, `obligation`, `prohibition`: the header, then one
// clause per line, indented by two, in a fixed order.
Doc Formatter::ClauseDeclaration(const ast::Decl& decl, const std::string& prefix, uint32_t end) {
  std::string header = prefix + std::string(ast::DeclKindName(decl.kind)) + " " + decl.name.text;
  uint32_t header_end = decl.name.range.end;
  if (decl.kind == DeclKind::Exception) {
    header += " to " + decl.target.text;
    header_end = decl.target.range.end;
  }
  if (decl.title) {
    header += " " + StringToken(decl.title_range, *decl.title);
    header_end = decl.title_range.end;
  }
  std::vector<SourceRange> items = {{decl.range.file, decl.range.begin, header_end}};
  for (const ast::Clause& clause : decl.clauses) items.push_back(clause.range);
  Placement place = Place(items, decl.range.begin, end);

  std::vector<size_t> order(decl.clauses.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return ClauseRank(decl.clauses[a].kind) < ClauseRank(decl.clauses[b].kind);
  });
  std::vector<Doc> body;
  for (size_t i : order) {
    const ast::Clause& clause = decl.clauses[i];
    Doc doc = Clause(clause);
    Doc hoisted = Hoist(clause.range.begin, clause.range.end);
    body.push_back(HardLine());
    body.push_back(OwnLines(place.leading[i + 1]));
    body.push_back(std::move(hoisted));
    body.push_back(std::move(doc));
    if (place.trailing[i + 1]) body.push_back(Trailing(*place.trailing[i + 1]));
  }
  std::vector<Doc> parts = {Text(header)};
  if (place.trailing[0]) parts.push_back(Trailing(*place.trailing[0]));
  parts.push_back(Align(2, Concat(std::move(body))));
  return Concat(std::move(parts));
}

// `input`, `param`, `def`: one line if it fits, else the value on the next
// line indented by two.
Doc Formatter::ValueDeclaration(const ast::Decl& decl, const std::string& prefix,
                                std::optional<size_t> trailing) {
  std::string header = prefix + std::string(ast::DeclKindName(decl.kind)) + " " + decl.name.text;
  if (decl.is_function) {
    header += '(';
    for (size_t i = 0; i < decl.params.size(); ++i) {
      if (i > 0) header += ", ";
      header += decl.params[i].name.text + ": " + Type(decl.params[i].type);
    }
    header += ')';
  }
  if (decl.type) header += ": " + Type(*decl.type);
  std::vector<Doc> parts;
  if (decl.kind == DeclKind::Input || !decl.value) {
    parts.push_back(Text(header));
  } else {
    parts.push_back(Group(Concat({Text(header + " ="), Align(2, Concat({Line(), Expr(*decl.value, {})}))})));
  }
  if (trailing) parts.push_back(Trailing(*trailing));
  return Concat(std::move(parts));
}

Doc Formatter::Clause(const ast::Clause& clause) {
  std::string keyword(ast::ClauseKindName(clause.kind));
  switch (clause.kind) {
    case ClauseKind::Cite: {
      std::vector<Doc> citations;
      std::vector<SourceRange> ranges;
      for (const ast::Citation& citation : clause.citations) {
        citations.push_back(Text(StringToken(citation.range, citation.text)));
        ranges.push_back(citation.range);
      }
      Placement place = Place(ranges, clause.range.begin, clause.range.end);
      return Concat({Text("cite "), Mark(CommaFill(std::move(citations), ranges, place))});
    }
    case ClauseKind::Actor: return Text("actor " + clause.actor.text);
    case ClauseKind::Text: {
      uint32_t string_begin = NextToken(clause.range.begin + 4);
      SourceRange token{clause.range.file, string_begin, clause.range.end};
      return Text("text " + StringToken(token, clause.text));
    }
    default: {
      ExprContext statement;
      statement.statement = true;
      return Concat({Text(keyword + " "), Expr(*clause.expr, statement)});
    }
  }
}

Doc Formatter::Step(const ast::TestStep& step) {
  ExprContext statement;
  statement.statement = true;
  switch (step.kind) {
    case ast::TestStepKind::GivenFile:
      return Text("given " + step.name.text + " = file " + StringToken(step.path_range, step.path));
    case ast::TestStepKind::GivenExpr:
      return Concat({Text("given " + step.name.text + " = "), Expr(*step.expr, statement)});
    case ast::TestStepKind::AsOf: return Concat({Text("as_of "), Expr(*step.expr, statement)});
    case ast::TestStepKind::Set:
      return Concat({Text("set " + step.name.text + " = "), Expr(*step.expr, statement)});
    case ast::TestStepKind::Expect: return Concat({Text("expect "), Expr(*step.expr, statement)});
    case ast::TestStepKind::ExpectObligation:
      return Text("expect obligation " + step.name.text + " is " + step.status.text);
    case ast::TestStepKind::ExpectProhibition:
      return Text("expect prohibition " + step.name.text + " is " + step.status.text);
  }
  return Text("");
}

}  // namespace aipol::formatting
