#include "compiler/source/source.h"

#include <algorithm>
#include <fstream>
#include <sstream>

namespace aipol {

SourceRange SourceRange::Join(SourceRange a, SourceRange b) {
  if (!a.valid()) return b;
  if (!b.valid() || a.file != b.file) return a;
  return {a.file, std::min(a.begin, b.begin), std::max(a.end, b.end)};
}

SourceFile::SourceFile(std::string path, std::string text) : path_(std::move(path)), text_(std::move(text)) {
  line_starts_.push_back(0);
  for (uint32_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

LineColumn SourceFile::Position(uint32_t offset) const {
  offset = std::min<uint32_t>(offset, static_cast<uint32_t>(text_.size()));
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), offset);
  uint32_t line_index = static_cast<uint32_t>(it - line_starts_.begin()) - 1;
  uint32_t start = line_starts_[line_index];
  std::string_view before(text_.data() + start, offset - start);
  return {line_index + 1, CountCodePoints(before) + 1};
}

std::string_view SourceFile::Line(uint32_t line) const {
  if (line == 0 || line > line_starts_.size()) return {};
  uint32_t start = line_starts_[line - 1];
  uint32_t end = line < line_starts_.size() ? line_starts_[line] - 1 : static_cast<uint32_t>(text_.size());
  std::string_view view(text_.data() + start, end - start);
  // CRLF files: the carriage return is not part of the line.
  if (!view.empty() && view.back() == '\r') view.remove_suffix(1);
  return view;
}

FileId SourceManager::Add(std::string path, std::string text) {
  files_.push_back(std::make_unique<SourceFile>(std::move(path), std::move(text)));
  return static_cast<FileId>(files_.size() - 1);
}

bool ReadFile(const std::string& path, std::string* text, std::string* error) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    if (error) *error = "no such file or it cannot be read";
    return false;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    if (error) *error = "read error";
    return false;
  }
  *text = std::move(buffer).str();
  return true;
}

std::optional<FileId> SourceManager::Load(const std::string& path, std::string* error) {
  std::string text;
  if (!ReadFile(path, &text, error)) return std::nullopt;
  return Add(path, std::move(text));
}

std::string_view SourceManager::Text(SourceRange range) const {
  if (!range.valid()) return {};
  std::string_view text = files_[range.file]->text();
  if (range.begin > text.size()) return {};
  return text.substr(range.begin, range.end - range.begin);
}

uint32_t CountCodePoints(std::string_view bytes) {
  uint32_t count = 0;
  for (unsigned char c : bytes) {
    if ((c & 0xC0) != 0x80) ++count;
  }
  return count;
}

}  // namespace aipol
