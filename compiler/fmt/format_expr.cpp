// Expressions: parentheses by precedence, breaks before `and`/`or`, lists
// filled line by line.
#include <algorithm>

#include "compiler/fmt/formatter.h"

namespace aipol::formatting {
namespace {

using ast::BinaryOp;
using ast::ExprKind;

// Operator precedence, loosest first, as in grammar/Aipol.g4.
enum Level : int {
  kImplies = 1,
  kOr,
  kAnd,
  kNot,
  kCompare,
  kUnion,
  kIntersect,
  kAdd,
  kMul,
  kNegate,
  kPostfix,
  kPrimary,
};

int BinaryLevel(BinaryOp op) {
  switch (op) {
    case BinaryOp::Implies: return kImplies;
    case BinaryOp::Or: return kOr;
    case BinaryOp::And: return kAnd;
    case BinaryOp::Union: return kUnion;
    case BinaryOp::Intersect: return kIntersect;
    case BinaryOp::Add:
    case BinaryOp::Sub: return kAdd;
    case BinaryOp::Mul:
    case BinaryOp::Div: return kMul;
    default: return kCompare;
  }
}

int LevelOf(const ast::Expr& e) {
  switch (e.kind) {
    case ExprKind::Binary: return BinaryLevel(e.op);
    case ExprKind::Not: return kNot;
    case ExprKind::IsKnown:
    case ExprKind::IsUnknown: return kCompare;
    case ExprKind::Negate: return kNegate;
    case ExprKind::Member:
    case ExprKind::Index:
    case ExprKind::Call: return kPostfix;
    default: return kPrimary;
  }
}

// `if` and the quantifiers end with an expression that takes everything
// after it: `if a then b else c + 1` adds 1 to `c`.
bool OpenEnded(const ast::Expr& e) {
  return e.kind == ExprKind::If || e.kind == ExprKind::Any || e.kind == ExprKind::All ||
         e.kind == ExprKind::CountWhere;
}

// An operator, `if` or quantifier: what a reader may want grouped.
bool Operatorish(const ast::Expr& e) { return LevelOf(e) < kPostfix || OpenEnded(e); }

// True when a binary node continues the chain of its parent (not written
// in parentheses, same precedence).
bool SameLevelBinary(const ast::Expr& e, int level) {
  return e.kind == ExprKind::Binary && BinaryLevel(e.op) == level;
}

// Escapes: the quote, the backslash, line breaks and tabs by name; other
// control and invisible characters (they could hide what a string says) as
// `\u{…}`; everything else as itself.
bool EscapeAsCodePoint(uint32_t cp) {
  return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F) || cp == 0xAD || cp == 0x61C || cp == 0x180E ||
         (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2064) ||
         (cp >= 0x2066 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

bool StartsWithMinus(const Doc& doc) {
  if (doc.kind == DocKind::Text) return doc.text.starts_with("-");
  for (const Doc& part : doc.parts) {
    if (part.kind == DocKind::Text && part.text.empty()) continue;
    return StartsWithMinus(part);
  }
  return false;
}

std::string Quote(std::string_view value) {
  std::string out = "\"";
  for (size_t i = 0; i < value.size();) {
    unsigned char byte = static_cast<unsigned char>(value[i]);
    size_t length = byte < 0x80 ? 1 : byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4;
    length = std::min(length, value.size() - i);
    uint32_t cp = length == 1 ? byte : byte & (0x7F >> length);
    for (size_t k = 1; k < length; ++k) cp = (cp << 6) | (static_cast<unsigned char>(value[i + k]) & 0x3F);
    switch (cp) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\t': out += "\\t"; break;
      default:
        if (EscapeAsCodePoint(cp)) {
          out += fmt::format("\\u{{{:X}}}", cp);
        } else {
          out.append(value.substr(i, length));
        }
    }
    i += length;
  }
  return out + "\"";
}

}  // namespace

std::string Formatter::StringToken(SourceRange token, const std::string& value) const {
  std::string_view raw = text_.substr(token.begin, token.end - token.begin);
  // A `"""` text has no escapes: it stays exactly as written.
  if (raw.starts_with("\"\"\"")) return std::string(raw);
  return Quote(value);
}

Doc Formatter::Expr(const ast::Expr& e, ExprContext context) {
  auto needs_parentheses = [&](const ast::Expr& x) {
    return LevelOf(x) < context.min_level || (OpenEnded(x) && !context.rightmost);
  };
  if (e.kind == ExprKind::Parens) {
    const ast::Expr* inner = &e;
    while (inner->kind == ExprKind::Parens && !inner->operands.empty()) inner = inner->operands[0].get();
    if (needs_parentheses(*inner) || (context.operand && Operatorish(*inner))) return Parenthesized(*inner);
    return Expr(*inner, context);
  }
  if (needs_parentheses(e)) return Parenthesized(e);

  ExprContext operand{kPrimary, false, true, false};
  switch (e.kind) {
    case ExprKind::Binary: {
      int level = BinaryLevel(e.op);
      if (level <= kAnd) return LogicChain(e, context);
      if (level >= kUnion) return OperatorChain(e, context);
      // A comparison that does not fit breaks before its operator.
      ExprContext left{kUnion, false, true, false};
      ExprContext right{kUnion, context.rightmost, true, false};
      Doc rest = Concat(
          {Line(), Text(fmt::format("{} ", ast::BinaryOpSpelling(e.op))), Expr(*e.operands[1], right)});
      return Group(Mark(Concat({Expr(*e.operands[0], left), Align(2, std::move(rest))})));
    }
    case ExprKind::Not:
      return Concat({Text("not "), Expr(*e.operands[0], {kNot, context.rightmost, true, false})});
    case ExprKind::Negate: {
      // `- -x`, not `--x`.
      Doc negated = Expr(*e.operands[0], {kNegate, context.rightmost, true, false});
      return Concat({Text(StartsWithMinus(negated) ? "- " : "-"), std::move(negated)});
    }
    case ExprKind::IsKnown:
    case ExprKind::IsUnknown:
      return Concat({Expr(*e.operands[0], {kUnion, false, true, false}),
                     Text(e.kind == ExprKind::IsKnown ? " is known" : " is unknown")});
    case ExprKind::Member:
      operand.min_level = kPostfix;
      return Concat({Expr(*e.operands[0], operand), Text("." + e.text)});
    case ExprKind::Index:
      operand.min_level = kPostfix;
      return Concat({Expr(*e.operands[0], operand), Text("["), Expr(*e.operands[1], {}), Text("]")});
    case ExprKind::Call: return Call(e);
    case ExprKind::If: return If(e);
    case ExprKind::Any:
    case ExprKind::All:
    case ExprKind::CountWhere: return Quantifier(e);
    case ExprKind::ListLit:
    case ExprKind::SetLit:
    case ExprKind::RecordLit:
    case ExprKind::MapLit: return Collection(e);
    default: return Literal(e);
  }
}

Doc Formatter::Parenthesized(const ast::Expr& inner) {
  return Concat({Text("("), Mark(Expr(inner, {})), Text(")")});
}

// `a and b and c`: on one line if it fits, else one operand per line with
// the operator in front. The whole condition of a clause right-aligns the
// operators so that the operands line up:
//
//   when a
//    and b
//     or c
Doc Formatter::LogicChain(const ast::Expr& e, ExprContext context) {
  int level = BinaryLevel(e.op);
  std::vector<const ast::Expr*> operands;
  if (e.op == BinaryOp::Implies) {
    // Right-associative: `a implies b implies c` nests to the right.
    const ast::Expr* node = &e;
    while (node->kind == ExprKind::Binary && node->op == BinaryOp::Implies) {
      operands.push_back(node->operands[0].get());
      node = node->operands[1].get();
    }
    operands.push_back(node);
  } else {
    const ast::Expr* node = &e;
    while (node->kind == ExprKind::Binary && node->op == e.op) {
      operands.push_back(node->operands[1].get());
      node = node->operands[0].get();
    }
    operands.push_back(node);
    std::reverse(operands.begin(), operands.end());
  }
  std::vector<SourceRange> ranges;
  for (const ast::Expr* operand : operands) ranges.push_back(operand->range);
  std::vector<Doc> docs;
  for (size_t i = 0; i < operands.size(); ++i) {
    bool last = i + 1 == operands.size();
    ExprContext sub{level + 1, last && context.rightmost, true, false};
    if (e.op == BinaryOp::Implies) sub.min_level = last ? kImplies : kOr;
    if (i == 0 && e.op != BinaryOp::Implies) sub.min_level = level;
    docs.push_back(Expr(*operands[i], sub));
  }
  Placement place = Place(ranges, e.range.begin, e.range.end);
  std::string_view spelling = ast::BinaryOpSpelling(e.op);
  bool right_aligned = context.statement && e.op != BinaryOp::Implies;
  int back = right_aligned ? -static_cast<int>(spelling.size() + 1) : 0;
  std::vector<Doc> parts;
  for (size_t i = 0; i < docs.size(); ++i) {
    if (i > 0) {
      parts.push_back(Align(back, Line()));
      for (size_t c : place.leading[i]) {
        parts.push_back(Text(CommentText(c)));
        claimed_[c] = true;
        parts.push_back(Align(back, HardLine()));
      }
      parts.push_back(Text(std::string(spelling) + " "));
    }
    parts.push_back(std::move(docs[i]));
    if (place.trailing[i]) parts.push_back(Trailing(*place.trailing[i]));
  }
  return Group(Mark(Concat(std::move(parts))));
}

// `a + b - c`, `s | t`, `x * y`: as many operands per line as fit, each
// continuation line starting with its operator.
Doc Formatter::OperatorChain(const ast::Expr& e, ExprContext context) {
  int level = BinaryLevel(e.op);
  std::vector<const ast::Expr*> operands;
  std::vector<BinaryOp> ops;
  const ast::Expr* node = &e;
  while (SameLevelBinary(*node, level)) {
    operands.push_back(node->operands[1].get());
    ops.push_back(node->op);
    node = node->operands[0].get();
  }
  operands.push_back(node);
  std::reverse(operands.begin(), operands.end());
  std::reverse(ops.begin(), ops.end());
  std::vector<SourceRange> ranges;
  for (const ast::Expr* operand : operands) ranges.push_back(operand->range);
  Placement place = Place(ranges, e.range.begin, e.range.end);
  std::vector<Doc> parts;
  for (size_t i = 0; i < operands.size(); ++i) {
    bool last = i + 1 == operands.size();
    ExprContext sub{i == 0 ? level : level + 1, last && context.rightmost, true, false};
    std::vector<Doc> content;
    if (i > 0) {
      parts.push_back(BreakBefore(place, ranges, i) ? HardLine() : Line());
      content.push_back(OwnLines(place.leading[i]));
      content.push_back(Text(std::string(ast::BinaryOpSpelling(ops[i - 1])) + " "));
    }
    content.push_back(Expr(*operands[i], sub));
    if (place.trailing[i]) content.push_back(Trailing(*place.trailing[i]));
    parts.push_back(Concat(std::move(content)));
  }
  return Mark(Fill(std::move(parts)));
}

// `if c then a else b` on one line if it fits, else one line per branch,
// `then` under `if` when a branch does not fit on its line:
//
//   if c1 then a
//   else if c2
//   then b
//   else c
Doc Formatter::If(const ast::Expr& e) {
  std::vector<const ast::Expr*> parts_in_order;  // c1, t1, c2, t2, ..., else
  const ast::Expr* node = &e;
  while (true) {
    parts_in_order.push_back(node->operands[0].get());
    parts_in_order.push_back(node->operands[1].get());
    const ast::Expr* otherwise = node->operands[2].get();
    if (otherwise->kind != ExprKind::If) {
      parts_in_order.push_back(otherwise);
      break;
    }
    node = otherwise;
  }
  std::vector<SourceRange> ranges;
  for (const ast::Expr* part : parts_in_order) ranges.push_back(part->range);
  Placement place = Place(ranges, e.range.begin, e.range.end);
  auto part = [&](size_t i) {
    std::vector<Doc> docs;
    docs.push_back(Expr(*parts_in_order[i], {0, true, true, false}));
    if (place.trailing[i]) docs.push_back(Trailing(*place.trailing[i]));
    return Concat(std::move(docs));
  };
  std::vector<Doc> outer;
  size_t branches = (parts_in_order.size() - 1) / 2;
  for (size_t b = 0; b < branches; ++b) {
    size_t condition = 2 * b, then = 2 * b + 1;
    if (b > 0) {
      outer.push_back(Line());
      outer.push_back(OwnLines(place.leading[condition]));
      outer.push_back(Text("else "));
    }
    Doc branch = Concat(
        {Text("if "), part(condition), Line(), OwnLines(place.leading[then]), Text("then "), part(then)});
    outer.push_back(Group(std::move(branch)));
  }
  size_t otherwise = parts_in_order.size() - 1;
  outer.push_back(Line());
  outer.push_back(OwnLines(place.leading[otherwise]));
  outer.push_back(Text("else "));
  outer.push_back(part(otherwise));
  return Group(Mark(Concat(std::move(outer))));
}

// `any x in xs: p`, broken after the colon with the predicate indented.
Doc Formatter::Quantifier(const ast::Expr& e) {
  std::string_view word = e.kind == ExprKind::Any ? "any" : e.kind == ExprKind::All ? "all" : "count";
  const ast::Expr& collection = *e.operands[0];
  const ast::Expr& predicate = *e.operands[1];
  Placement place = Place({collection.range, predicate.range}, e.range.begin, e.range.end);
  std::vector<Doc> parts;
  parts.push_back(Text(fmt::format("{} {} in ", word, e.text)));
  parts.push_back(Expr(collection, {0, true, true, false}));
  if (place.trailing[0]) parts.push_back(Trailing(*place.trailing[0]));
  parts.push_back(Text(":"));
  parts.push_back(
      Align(2, Concat({Line(), OwnLines(place.leading[1]), Expr(predicate, {0, true, true, false})})));
  return Group(Mark(Concat(std::move(parts))));
}

Doc Formatter::Call(const ast::Expr& e) {
  const ast::Expr& callee = *e.operands[0];
  std::vector<Doc> arguments;
  std::vector<SourceRange> ranges;
  for (size_t i = 1; i < e.operands.size(); ++i) {
    arguments.push_back(Expr(*e.operands[i], {}));
    ranges.push_back(e.operands[i]->range);
  }
  return Concat({Expr(callee, {kPostfix, false, true, false}),
                 Bracketed("(", std::move(arguments), ranges, ")", callee.range.end, e.range.end)});
}

Doc Formatter::Collection(const ast::Expr& e) {
  std::vector<Doc> elements;
  std::vector<SourceRange> ranges;
  for (size_t i = 0; i < e.operands.size(); ++i) {
    const ast::Expr& value = *e.operands[i];
    if (e.kind == ExprKind::RecordLit || e.kind == ExprKind::MapLit) {
      std::string key = e.kind == ExprKind::RecordLit ? e.keys[i] : StringToken(e.key_ranges[i], e.keys[i]);
      elements.push_back(Concat({Text(key + ": "), Expr(value, {})}));
      ranges.push_back({value.range.file, e.key_ranges[i].begin, value.range.end});
    } else {
      elements.push_back(Expr(value, {}));
      ranges.push_back(value.range);
    }
  }
  bool list = e.kind == ExprKind::ListLit;
  return Bracketed(list ? "[" : "{", std::move(elements), ranges, list ? "]" : "}", e.range.begin,
                   e.range.end);
}

bool Formatter::BreakBefore(const Placement& place, const std::vector<SourceRange>& ranges, size_t i) const {
  return place.trailing[i - 1] || !place.leading[i].empty() ||
         HasComment(ranges[i - 1].begin, ranges[i - 1].end) || HasComment(ranges[i].begin, ranges[i].end);
}

// Elements separated by commas, as many per line as fit, each continuation
// line aligned after the opening bracket. An element with a comment stands
// on lines of its own.
Doc Formatter::CommaFill(std::vector<Doc> elements, const std::vector<SourceRange>& ranges,
                         const Placement& place) {
  std::vector<Doc> parts;
  for (size_t i = 0; i < elements.size(); ++i) {
    std::vector<Doc> content;
    if (i > 0) {
      parts.push_back(BreakBefore(place, ranges, i) ? HardLine() : Line());
      content.push_back(OwnLines(place.leading[i]));
    }
    content.push_back(std::move(elements[i]));
    if (i + 1 < elements.size()) content.push_back(Text(","));
    if (place.trailing[i] && i + 1 < elements.size()) content.push_back(Trailing(*place.trailing[i]));
    parts.push_back(Concat(std::move(content)));
  }
  return Fill(std::move(parts));
}

Doc Formatter::Bracketed(std::string_view open, std::vector<Doc> elements,
                         const std::vector<SourceRange>& ranges, std::string_view close, uint32_t begin,
                         uint32_t end) {
  if (elements.empty()) return Text(std::string(open) + std::string(close));
  size_t count = elements.size();
  Placement place = Place(ranges, begin, end);
  std::vector<Doc> inner;
  // Comments above the first element: the first one ends the opening line.
  const std::vector<size_t>& first = place.leading[0];
  if (!first.empty()) {
    inner.push_back(Trailing(first[0]));
    inner.push_back(HardLine());
    inner.push_back(OwnLines(std::vector<size_t>(first.begin() + 1, first.end())));
  }
  std::optional<size_t> last_trailing = place.trailing[count - 1];
  inner.push_back(CommaFill(std::move(elements), ranges, place));
  // A comment after the last element, or below it, puts the closing
  // bracket on a line of its own.
  bool close_alone = last_trailing.has_value() || !place.dangling.empty();
  if (last_trailing) inner.push_back(Trailing(*last_trailing));
  for (size_t c : place.dangling) {
    inner.push_back(HardLine());
    inner.push_back(Text(CommentText(c)));
    claimed_[c] = true;
  }
  std::vector<Doc> parts;
  parts.push_back(Text(std::string(open)));
  parts.push_back(Align(Columns(open), Concat(std::move(inner))));
  if (close_alone) parts.push_back(HardLine());
  parts.push_back(Text(std::string(close)));
  return Mark(Concat(std::move(parts)));
}

Doc Formatter::Literal(const ast::Expr& e) {
  std::string_view written = text_.substr(e.range.begin, e.range.end - e.range.begin);
  switch (e.kind) {
    case ExprKind::IntLit:
    case ExprKind::NumberLit:
    case ExprKind::DateLit: return Text(std::string(written));
    case ExprKind::DurationLit: {
      // The count as written; the unit agreeing with it (`1 month`, `2 months`).
      size_t digits = written.find_first_not_of("0123456789_");
      return Text(
          fmt::format("{} {}", written.substr(0, digits), ast::DurationUnitName(e.unit, e.int_value)));
    }
    case ExprKind::StringLit: return Text(StringToken(e.range, e.text));
    case ExprKind::BoolLit: return Text(e.int_value ? "true" : "false");
    case ExprKind::UnknownLit: return Text("unknown");
    case ExprKind::AsOf: return Text("as_of");
    case ExprKind::Name: return Text(e.text);
    case ExprKind::EmptyBraces: return Text("{}");
    default: return Text(ast::ToSource(e));
  }
}

}  // namespace aipol::formatting
