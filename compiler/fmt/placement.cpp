// Where comments go: positions in the source, and the comment documents.
#include <algorithm>

#include "compiler/fmt/formatter.h"

namespace aipol::formatting {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f'; }

// The byte-order mark is white space too (language.md §3).
constexpr std::string_view kByteOrderMark = "\xEF\xBB\xBF";

}  // namespace

Formatter::Formatter(std::string_view text, const ast::Module& module, std::vector<Comment> comments)
    : text_(text),
      module_(module),
      comments_(std::move(comments)),
      claimed_(comments_.size(), false),
      doc_of_(comments_.size(), -1) {
  FindDocComments();
}

// The `##` lines directly above a declaration, as the parser attaches them
// (parse_tree_to_ast.cpp, `Doc`): a blank line or a `#` comment ends them.
void Formatter::FindDocComments() {
  for (size_t d = 0; d < module_.decls.size(); ++d) {
    uint32_t at = module_.decls[d].range.begin;
    size_t c = FirstCommentAt(at);
    while (c-- > 0) {
      const Comment& comment = comments_[c];
      std::string_view between = text_.substr(comment.range.end, at - comment.range.end);
      bool only_blanks = std::all_of(between.begin(), between.end(), IsBlank);
      if (!comment.doc || !only_blanks || std::count(between.begin(), between.end(), '\n') > 1) break;
      doc_of_[c] = static_cast<int>(d);
      at = comment.range.begin;
    }
  }
}

size_t Formatter::FirstCommentAt(uint32_t offset) const {
  auto it = std::lower_bound(comments_.begin(), comments_.end(), offset,
                             [](const Comment& c, uint32_t at) { return c.range.begin < at; });
  return static_cast<size_t>(it - comments_.begin());
}

Formatter::Placement Formatter::Place(const std::vector<SourceRange>& items, uint32_t begin,
                                      uint32_t end) const {
  Placement place;
  place.leading.resize(items.size());
  place.trailing.resize(items.size());
  for (size_t c = FirstCommentAt(begin); c < comments_.size() && comments_[c].range.begin < end; ++c) {
    if (claimed_[c] || doc_of_[c] >= 0 || comments_[c].range.end > end) continue;
    uint32_t at = comments_[c].range.begin;
    // Items before the comment.
    size_t before = static_cast<size_t>(
        std::upper_bound(items.begin(), items.end(), at,
                         [](uint32_t offset, const SourceRange& r) { return offset < r.begin; }) -
        items.begin());
    if (before > 0 && at < items[before - 1].end) continue;  // inside an item
    if (before > 0 && SameLine(items[before - 1].end, at) && !place.trailing[before - 1]) {
      place.trailing[before - 1] = c;
    } else if (before < items.size()) {
      place.leading[before].push_back(c);
    } else {
      place.dangling.push_back(c);
    }
  }
  return place;
}

std::string Formatter::CommentText(size_t index) const {
  std::string_view text =
      text_.substr(comments_[index].range.begin, comments_[index].range.end - comments_[index].range.begin);
  while (!text.empty() && (IsBlank(text.back()) || text.back() == '\v')) text.remove_suffix(1);
  return std::string(text);
}

Doc Formatter::Trailing(size_t index) {
  claimed_[index] = true;
  return Concat({LineSuffix(CommentText(index)), BreakParent()});
}

Doc Formatter::OwnLine(size_t index) {
  claimed_[index] = true;
  return Concat({Text(CommentText(index)), HardLine()});
}

Doc Formatter::OwnLines(const std::vector<size_t>& indices) {
  std::vector<Doc> parts;
  for (size_t index : indices) parts.push_back(OwnLine(index));
  return Concat(std::move(parts));
}

std::vector<size_t> Formatter::Unclaimed(uint32_t begin, uint32_t end) const {
  std::vector<size_t> found;
  for (size_t c = FirstCommentAt(begin); c < comments_.size() && comments_[c].range.begin < end; ++c) {
    if (!claimed_[c] && doc_of_[c] < 0) found.push_back(c);
  }
  return found;
}

Doc Formatter::Hoist(uint32_t begin, uint32_t end) { return OwnLines(Unclaimed(begin, end)); }

bool Formatter::HasComment(uint32_t begin, uint32_t end) const {
  size_t c = FirstCommentAt(begin);
  return c < comments_.size() && comments_[c].range.begin < end;
}

std::optional<size_t> Formatter::TrailingAfter(uint32_t end) const {
  size_t c = FirstCommentAt(end);
  if (c >= comments_.size() || doc_of_[c] >= 0 || claimed_[c]) return std::nullopt;
  std::string_view between = text_.substr(end, comments_[c].range.begin - end);
  bool same_line =
      std::all_of(between.begin(), between.end(), [](char ch) { return ch == ' ' || ch == '\t'; });
  if (!same_line) return std::nullopt;
  return c;
}

bool Formatter::SameLine(uint32_t from, uint32_t to) const {
  if (to <= from) return true;
  return text_.substr(from, to - from).find('\n') == std::string_view::npos;
}

bool Formatter::BlankLineBetween(uint32_t from, uint32_t to) const {
  if (to <= from) return false;
  std::string_view between = text_.substr(from, to - from);
  return std::count(between.begin(), between.end(), '\n') > 1;
}

uint32_t Formatter::NextToken(uint32_t offset) const {
  while (offset < text_.size()) {
    if (IsBlank(text_[offset])) {
      ++offset;
    } else if (text_.substr(offset).starts_with(kByteOrderMark)) {
      offset += static_cast<uint32_t>(kByteOrderMark.size());
    } else if (text_[offset] == '#') {
      size_t newline = text_.find('\n', offset);
      offset = newline == std::string_view::npos ? static_cast<uint32_t>(text_.size())
                                                 : static_cast<uint32_t>(newline);
    } else {
      break;
    }
  }
  return offset;
}

uint32_t Formatter::PreviousTokenEnd(uint32_t offset) const {
  while (offset > 0) {
    if (IsBlank(text_[offset - 1])) {
      --offset;
      continue;
    }
    size_t c = FirstCommentAt(offset);
    if (c > 0 && comments_[c - 1].range.end == offset) {
      offset = comments_[c - 1].range.begin;
      continue;
    }
    break;
  }
  return offset;
}

uint32_t Formatter::Column(uint32_t offset) const {
  size_t newline = text_.rfind('\n', offset == 0 ? 0 : offset - 1);
  uint32_t start = newline == std::string_view::npos || offset == 0 ? 0 : static_cast<uint32_t>(newline + 1);
  return offset - start;
}

}  // namespace aipol::formatting
