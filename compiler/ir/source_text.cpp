#include "compiler/ir/source_text.h"

#include <algorithm>

namespace aipol::ir {
namespace {

bool IsNameChar(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '.';
}

// A byte range that spells a (possibly qualified) name.
bool SpellsName(std::string_view source, size_t begin, size_t end) {
  if (begin >= end || end > source.size()) return false;
  for (size_t k = begin; k < end; ++k) {
    if (!IsNameChar(source[k])) return false;
  }
  return true;
}

struct RawUse {
  NameUse::Kind kind;
  uint32_t index;
  size_t begin, end;  // offsets into the file
};

void CollectNames(const Expr& e, const SourceRange& within, std::string_view source,
                  std::vector<RawUse>& out) {
  bool inside = e.range.file == within.file && e.range.begin >= within.begin && e.range.end <= within.end;
  if (inside && (e.op == Op::DeclRef || e.op == Op::ParamRef) &&
      SpellsName(source, e.range.begin, e.range.end)) {
    out.push_back({e.op == Op::DeclRef ? NameUse::Kind::Decl : NameUse::Kind::Param, e.index, e.range.begin,
                   e.range.end});
  }
  if (inside && e.op == Op::Call) {
    size_t open = source.find('(', e.range.begin);
    size_t end = open;
    while (end > e.range.begin && (source[end - 1] == ' ' || source[end - 1] == '\t')) --end;
    if (open != std::string_view::npos && open < e.range.end && SpellsName(source, e.range.begin, end)) {
      out.push_back({NameUse::Kind::Function, e.index, e.range.begin, end});
    }
  }
  for (const ExprPtr& operand : e.operands) {
    if (operand) CollectNames(*operand, within, source, out);
  }
}

std::string_view TrimRight(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

}  // namespace

const Module* FindModule(const Program& program, std::string_view path) {
  for (const Module& m : program.modules) {
    if (m.path == path) return &m;
  }
  return nullptr;
}

ClauseText ClauseSource(const Program& program, const std::string& module, const Expr& expr) {
  ClauseText out;
  const Module* m = FindModule(program, module);
  if (!m || !expr.range.valid()) return out;
  std::string_view source = m->source;
  size_t begin = expr.range.begin, end = expr.range.end;
  if (begin >= end || end > source.size()) return out;

  // The column of the first character, and the smallest indentation of the
  // continuation lines: continuation lines lose min(both) leading blanks.
  size_t line_start = source.rfind('\n', begin == 0 ? 0 : begin - 1);
  line_start = line_start == std::string_view::npos || begin == 0 ? 0 : line_start + 1;
  size_t dedent = begin - line_start;
  for (size_t k = source.find('\n', begin); k != std::string_view::npos && k < end;
       k = source.find('\n', k + 1)) {
    size_t p = k + 1, blanks = 0;
    while (p + blanks < end && (source[p + blanks] == ' ' || source[p + blanks] == '\t')) ++blanks;
    if (p + blanks < end && source[p + blanks] != '\n' && source[p + blanks] != '\r')
      dedent = std::min(dedent, blanks);
  }

  std::vector<RawUse> raw;
  CollectNames(expr, expr.range, source, raw);
  std::sort(raw.begin(), raw.end(), [](const RawUse& a, const RawUse& b) { return a.begin < b.begin; });

  // Copy line by line, remembering where each raw offset lands.
  std::vector<size_t> position(end - begin + 1, std::string::npos);
  size_t k = begin;
  bool first = true;
  while (k < end) {
    size_t newline = source.find('\n', k);
    size_t line_end = newline == std::string_view::npos || newline > end ? end : newline;
    size_t from = k;
    if (!first) {
      size_t skipped = 0;
      while (from < line_end && skipped < dedent && (source[from] == ' ' || source[from] == '\t'))
        ++from, ++skipped;
    }
    std::string_view line = TrimRight(source.substr(from, line_end - from));
    for (size_t c = 0; c <= line.size(); ++c) position[from + c - begin] = out.text.size() + c;
    out.text += line;
    if (line_end < end) out.text += '\n';
    k = line_end + 1;
    first = false;
  }
  while (!out.text.empty() && out.text.back() == '\n') out.text.pop_back();

  size_t last_end = 0;
  for (const RawUse& use : raw) {
    size_t b = position[use.begin - begin], e = position[use.end - begin];
    if (b == std::string::npos || e == std::string::npos || b < last_end || e <= b) continue;
    out.names.push_back({use.kind, use.index, b, e});
    last_end = e;
  }
  return out;
}

std::string FirstParagraph(std::string_view doc) {
  std::string out;
  size_t k = 0;
  while (k <= doc.size()) {
    size_t newline = doc.find('\n', k);
    std::string_view line =
        doc.substr(k, newline == std::string_view::npos ? std::string_view::npos : newline - k);
    line = TrimRight(line);
    size_t lead = line.find_first_not_of(" \t");
    if (lead == std::string_view::npos) {
      if (!out.empty()) break;
    } else {
      std::string_view text = line.substr(lead);
      // List items run on as clauses of the sentence.
      if (text.starts_with("- ")) text.remove_prefix(2);
      if (!out.empty()) out += ' ';
      out += text;
    }
    if (newline == std::string_view::npos) break;
    k = newline + 1;
  }
  return out;
}

std::string ModuleIntro(const Module& module) {
  std::string_view source = module.source;
  std::vector<std::string_view> lines;
  for (size_t k = 0; k < source.size();) {
    size_t newline = source.find('\n', k);
    lines.push_back(TrimRight(
        source.substr(k, newline == std::string_view::npos ? std::string_view::npos : newline - k)));
    if (newline == std::string_view::npos) break;
    k = newline + 1;
  }
  size_t at = 0;
  while (at < lines.size() && !lines[at].starts_with("module ")) ++at;
  if (at == lines.size()) return "";
  ++at;
  while (at < lines.size() && lines[at].empty()) ++at;
  std::string out;
  for (; at < lines.size(); ++at) {
    std::string_view line = lines[at];
    if (!line.starts_with("#") || line.starts_with("##")) break;
    line.remove_prefix(1);
    if (line.starts_with(" ")) line.remove_prefix(1);
    out += line;
    out += '\n';
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

}  // namespace aipol::ir
