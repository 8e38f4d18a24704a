// Source buffers and positions.
//
// Every AST node and diagnostic carries a SourceRange: a file id plus byte
// offsets. Lines and columns are computed on demand, because only rendering
// needs them. Columns count code points, as docs/language.md requires.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace aipol {

using FileId = uint32_t;
inline constexpr FileId kNoFile = UINT32_MAX;

struct SourceRange {
  FileId file = kNoFile;
  uint32_t begin = 0;  // byte offset of the first character
  uint32_t end = 0;    // byte offset one past the last character

  bool valid() const { return file != kNoFile; }
  static SourceRange Join(SourceRange a, SourceRange b);
};

struct LineColumn {
  uint32_t line = 0;    // 1-based
  uint32_t column = 0;  // 1-based, in code points
};

// One source file held in memory. `path` is the name shown to users.
class SourceFile {
 public:
  SourceFile(std::string path, std::string text);

  const std::string& path() const { return path_; }
  std::string_view text() const { return text_; }
  LineColumn Position(uint32_t offset) const;
  // The text of a 1-based line, without its line terminator.
  std::string_view Line(uint32_t line) const;
  // Byte offset where a 1-based line starts.
  uint32_t LineStart(uint32_t line) const { return line_starts_[line - 1]; }
  uint32_t LineCount() const { return static_cast<uint32_t>(line_starts_.size()); }

 private:
  std::string path_;
  std::string text_;
  std::vector<uint32_t> line_starts_;
};

// The whole file at `path`; false, with `error` saying why when it is
// given, when it cannot be opened or read.
bool ReadFile(const std::string& path, std::string* text, std::string* error = nullptr);

// Owns every file of one compilation. Ids are stable for its lifetime.
class SourceManager {
 public:
  FileId Add(std::string path, std::string text);
  // Reads a file from disk; returns nullopt and sets `error` when it cannot.
  std::optional<FileId> Load(const std::string& path, std::string* error);
  const SourceFile& file(FileId id) const { return *files_[id]; }
  size_t size() const { return files_.size(); }
  std::string_view Text(SourceRange range) const;

 private:
  std::vector<std::unique_ptr<SourceFile>> files_;
};

// Counts the code points in a UTF-8 byte string (continuation bytes are not
// counted).
uint32_t CountCodePoints(std::string_view bytes);

}  // namespace aipol
