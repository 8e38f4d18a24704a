// The file: comments above `module`, the `module` line, the imports sorted,
// then the declarations one blank line apart, with the comments between
// them where they were.
#include "compiler/fmt/fmt.h"

#include <algorithm>

#include "compiler/fmt/formatter.h"
#include "compiler/syntax/parse.h"

namespace aipol {
namespace formatting {

// The top-level lines, never two blank lines in a row and none first.
struct Formatter::TopLevel {
  std::vector<Doc> parts;
  bool blank = true;

  void Add(Doc doc) {
    parts.push_back(std::move(doc));
    parts.push_back(HardLine());
    blank = false;
  }
  void Blank() {
    if (!blank) parts.push_back(HardLine());
    blank = true;
  }
};

// Own-line comments at the top level: one blank line where the source has
// one or more, and one before `next` if the source has one there.
void Formatter::CommentBlock(TopLevel& out, const std::vector<size_t>& comments,
                             std::optional<uint32_t> next) {
  for (size_t i = 0; i < comments.size(); ++i) {
    if (i > 0 && BlankLineBetween(comments_[comments[i - 1]].range.end, comments_[comments[i]].range.begin)) {
      out.Blank();
    }
    out.Add(Text(CommentText(comments[i])));
    claimed_[comments[i]] = true;
  }
  if (!comments.empty() && next && BlankLineBetween(comments_[comments.back()].range.end, *next)) out.Blank();
}

std::string Formatter::Run() {
  TopLevel out;

  // `module`, and the comments above it.
  uint32_t header_begin = NextToken(0);
  uint32_t header_end = module_.path.range.end;
  CommentBlock(out, Unclaimed(0, header_begin), header_begin);
  std::optional<size_t> header_trailing = TrailingAfter(header_end);
  std::vector<Doc> header = {Hoist(header_begin, header_end), Text("module " + module_.path.text)};
  if (header_trailing) header.push_back(Trailing(*header_trailing));
  out.Add(Concat(std::move(header)));
  uint32_t previous_end = header_trailing ? comments_[*header_trailing].range.end : header_end;

  // Imports, sorted. Comments directly above an import move with it; those
  // a blank line above the first import stay above them all.
  struct Import {
    std::string path;
    Doc doc;
  };
  std::vector<Import> imports;
  std::vector<size_t> section;
  for (size_t k = 0; k < module_.imports.size(); ++k) {
    const ast::Name& path = module_.imports[k];
    uint32_t begin = PreviousTokenEnd(path.range.begin) - 6;  // `import`
    std::vector<size_t> leading = Unclaimed(previous_end, begin);
    if (k == 0) {
      size_t split = leading.size();
      uint32_t next = begin;
      while (split > 0 && !BlankLineBetween(comments_[leading[split - 1]].range.end, next)) {
        next = comments_[leading[--split]].range.begin;
      }
      section.assign(leading.begin(), leading.begin() + static_cast<std::ptrdiff_t>(split));
      leading.erase(leading.begin(), leading.begin() + static_cast<std::ptrdiff_t>(split));
    }
    std::optional<size_t> trailing = TrailingAfter(path.range.end);
    std::vector<Doc> line = {OwnLines(leading), Hoist(begin, path.range.end), Text("import " + path.text)};
    if (trailing) line.push_back(Trailing(*trailing));
    imports.push_back({path.text, Concat(std::move(line))});
    previous_end = trailing ? comments_[*trailing].range.end : path.range.end;
  }
  if (!imports.empty()) {
    out.Blank();
    if (!section.empty()) {
      CommentBlock(out, section, std::nullopt);
      out.Blank();
    }
    std::stable_sort(imports.begin(), imports.end(),
                     [](const Import& a, const Import& b) { return a.path < b.path; });
    for (Import& import : imports) out.Add(std::move(import.doc));
  }

  // Declarations. Comments right below a declaration and followed by a
  // blank line stay with it; the others go above the next one.
  auto dangling_run = [&](const std::vector<size_t>& gap, uint32_t next) {
    size_t n = 0;
    uint32_t from = previous_end;
    while (n < gap.size() && !BlankLineBetween(from, comments_[gap[n]].range.begin)) {
      from = comments_[gap[n++]].range.end;
    }
    uint32_t after = n < gap.size() ? comments_[gap[n]].range.begin : next;
    return BlankLineBetween(from, after) ? n : 0;
  };
  auto emit_dangling = [&](const std::vector<size_t>& gap, size_t n) {
    for (size_t i = 0; i < n; ++i) {
      std::string indent = Column(comments_[gap[i]].range.begin) > 0 ? "  " : "";
      out.Add(Text(indent + CommentText(gap[i])));
      claimed_[gap[i]] = true;
    }
  };
  for (size_t d = 0; d < module_.decls.size(); ++d) {
    const ast::Decl& decl = module_.decls[d];
    std::vector<size_t> gap = Unclaimed(previous_end, decl.range.begin);
    std::vector<size_t> docs;
    for (size_t c = FirstCommentAt(previous_end);
         c < comments_.size() && comments_[c].range.begin < decl.range.begin; ++c) {
      if (doc_of_[c] == static_cast<int>(d)) docs.push_back(c);
    }
    uint32_t above = docs.empty() ? decl.range.begin : comments_[docs[0]].range.begin;
    size_t dangling = d > 0 ? dangling_run(gap, above) : 0;
    emit_dangling(gap, dangling);
    out.Blank();

    std::optional<size_t> trailing = TrailingAfter(decl.range.end);
    uint32_t end = trailing ? comments_[*trailing].range.end : decl.range.end;
    Doc body = Declaration(decl, trailing);
    // What no part of the declaration could place goes above it, but never
    // between it and its documentation.
    std::vector<size_t> hoisted = Unclaimed(decl.range.begin, end);
    CommentBlock(out, std::vector<size_t>(gap.begin() + static_cast<std::ptrdiff_t>(dangling), gap.end()),
                 above);
    out.Add(Concat({OwnLines(hoisted), OwnLines(docs), std::move(body)}));
    previous_end = end;
  }

  // The end of the file: comments right below the last declaration stay
  // with it.
  std::vector<size_t> tail = Unclaimed(previous_end, static_cast<uint32_t>(text_.size()));
  size_t dangling = 0;
  for (uint32_t from = previous_end; !module_.decls.empty() && dangling < tail.size() &&
                                     !BlankLineBetween(from, comments_[tail[dangling]].range.begin);) {
    from = comments_[tail[dangling++]].range.end;
  }
  emit_dangling(tail, dangling);
  if (dangling < tail.size()) {
    out.Blank();
    CommentBlock(out, std::vector<size_t>(tail.begin() + static_cast<std::ptrdiff_t>(dangling), tail.end()),
                 std::nullopt);
  }

  // Nothing is ever dropped: a comment no rule placed ends the file.
  std::vector<size_t> left;
  for (size_t c = 0; c < comments_.size(); ++c) {
    if (!claimed_[c]) left.push_back(c);
  }
  if (!left.empty()) {
    out.Blank();
    CommentBlock(out, left, std::nullopt);
  }
  return Render(Print(Concat(std::move(out.parts)), kWidth), kWidth);
}

}  // namespace formatting

std::optional<std::string> Format(const SourceManager& sources, FileId file, DiagnosticSink& diags) {
  ParseResult parsed = Parse(sources, file, diags);
  if (!parsed.ok || !parsed.module) return std::nullopt;
  formatting::Formatter formatter(sources.file(file).text(), *parsed.module, Comments(sources, file));
  return formatter.Run();
}

}  // namespace aipol
