#include "runtime/fleet_reader.h"

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace aipol {
namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

FleetReader::FleetReader(std::vector<std::string> inputs, std::istream& stdin_stream) : stdin_(stdin_stream) {
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input == "-") {
      paths_.push_back(input);
    } else if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(input, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        std::string path = it->path().string();
        if (it->is_regular_file(ec) && (EndsWith(path, ".json") || EndsWith(path, ".jsonl")))
          found.push_back(path);
      }
      std::sort(found.begin(), found.end());
      paths_.insert(paths_.end(), found.begin(), found.end());
    } else if (fs::exists(input, ec)) {
      // Regular files, and also pipes and devices (`<(cmd)`, /dev/stdin).
      std::ifstream probe(input, std::ios::binary);
      if (probe) {
        paths_.push_back(input);
      } else {
        errors_.push_back("cannot read `" + input + "`: permission denied or not readable");
      }
    } else {
      errors_.push_back("cannot read `" + input + "`: no such file or directory");
    }
  }
  for (const std::string& path : paths_) {
    std::error_code ec;
    if (path != "-" && fs::is_regular_file(path, ec)) total_bytes_ += fs::file_size(path, ec);
  }
}

FleetReader::~FleetReader() = default;

// Opens the next input and decides how to split it: `.jsonl` and stdin are
// JSON Lines; a `.json` file starting with `[` is an array, anything else one
// descriptor.
bool FleetReader::OpenNext() {
  current_ = nullptr;
  owned_.reset();
  while (next_path_ < paths_.size()) {
    const std::string& path = paths_[next_path_++];
    file_ = std::make_shared<const std::string>(path);
    line_ = 1;
    array_done_ = false;
    expect_separator_ = false;
    buffer_.clear();
    position_ = 0;
    eof_ = false;
    if (path == "-") {
      current_ = &stdin_;
      mode_ = Mode::JsonLines;
      return true;
    }
    auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
    if (!*file) {
      errors_.push_back("cannot read `" + path + "`");
      continue;
    }
    owned_ = std::move(file);
    current_ = owned_.get();
    // A UTF-8 byte-order mark says nothing about the records.
    if (Fill(3) && buffer_.compare(position_, 3, "\xEF\xBB\xBF") == 0) position_ += 3;
    if (EndsWith(path, ".jsonl")) {
      mode_ = Mode::JsonLines;
      return true;
    }
    // Peek at the first significant character: an array is split into its
    // elements; a `.json` file is otherwise one descriptor; anything else
    // (a pipe, a file without the extension) is read as JSON Lines.
    SkipSpace();
    bool array = Fill(1) && buffer_[position_] == '[';
    mode_ = array ? Mode::Array : EndsWith(path, ".json") ? Mode::Single : Mode::JsonLines;
    if (array) ++position_;
    return true;
  }
  return false;
}

// Makes at least `n` unread bytes available, if the input has them.
bool FleetReader::Fill(size_t n) {
  while (buffer_.size() - position_ < n && !eof_) {
    if (position_ > 0) {
      buffer_.erase(0, position_);
      position_ = 0;
    }
    size_t old = buffer_.size();
    buffer_.resize(old + kReadSize);
    current_->read(buffer_.data() + old, kReadSize);
    size_t got = static_cast<size_t>(current_->gcount());
    buffer_.resize(old + got);
    bytes_read_ += got;
    if (got == 0) eof_ = true;
  }
  return buffer_.size() - position_ >= n;
}

void FleetReader::SkipSpace() {
  while (Fill(1)) {
    char c = buffer_[position_];
    if (c == '\n') ++line_;
    if (c != ' ' && c != '\t' && c != '\r' && c != '\n') return;
    ++position_;
  }
}

bool FleetReader::NextJsonLine(RawRecord& out) {
  while (true) {
    size_t newline;
    while ((newline = buffer_.find('\n', position_)) == std::string::npos && !eof_)
      Fill(buffer_.size() - position_ + 1);
    if (newline == std::string::npos) newline = buffer_.size();
    if (position_ >= buffer_.size() && eof_) return false;
    std::string_view text(buffer_.data() + position_, newline - position_);
    uint64_t line = line_++;
    position_ = std::min(newline + 1, buffer_.size());
    if (IsBlank(text)) continue;
    if (!text.empty() && text.back() == '\r') text.remove_suffix(1);
    out.text.assign(text);
    out.line = line;
    return true;
  }
}

// One element of a top-level array, found by tracking strings and brackets.
// Malformed text still yields records, so it is reported, not lost.
bool FleetReader::NextArrayElement(RawRecord& out) {
  if (array_done_) return false;
  bool missing_separator = false;
  while (true) {
    SkipSpace();
    if (!Fill(1)) {
      // The array never closed: say so in a record of its own.
      array_done_ = true;
      out.line = line_;
      out.text.clear();
      out.invalid_reason = "the JSON array is not closed with `]`";
      return true;
    }
    char c = buffer_[position_];
    if (c == ',') {
      ++position_;
      if (!expect_separator_) {
        // `[,` or `,,`: an element is missing.
        out.line = line_;
        out.text = ",";
        out.invalid_reason = "an array element is missing between commas";
        return true;
      }
      expect_separator_ = false;
      continue;
    }
    if (c == ']') {
      ++position_;
      SkipSpace();
      array_done_ = true;
      if (!Fill(1)) return false;
      // Text after the array: one invalid record, whatever it holds.
      out.line = line_;
      out.text.clear();
      while (Fill(1)) out.text.push_back(buffer_[position_++]);
      out.invalid_reason = "text after the end of the JSON array";
      return true;
    }
    missing_separator = expect_separator_;
    break;
  }
  out.line = line_;
  out.text.clear();
  int depth = 0;
  bool in_string = false, escaped = false;
  expect_separator_ = true;
  if (missing_separator) out.invalid_reason = "a `,` is missing before this array element";
  while (Fill(1)) {
    char c = buffer_[position_];
    if (depth == 0 && !in_string && (c == ',' || c == ']') && !out.text.empty()) return true;
    ++position_;
    out.text.push_back(c);
    if (c == '\n') ++line_;
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
    } else if (c == '{' || c == '[') {
      ++depth;
    } else if (c == '}' || c == ']') {
      // A closing bracket with nothing open ends this (invalid) element.
      if (--depth <= 0) return true;
    }
  }
  array_done_ = true;  // the array never closed; what was read is one record
  if (out.invalid_reason.empty()) out.invalid_reason = "the JSON array is not closed with `]`";
  return !out.text.empty();
}

bool FleetReader::Next(std::vector<RawRecord>& out, size_t max_records) {
  size_t before = out.size();
  while (out.size() - before < max_records) {
    if (current_ == nullptr && !OpenNext()) break;
    RawRecord record;
    record.file = file_;
    bool got = false;
    switch (mode_) {
      case Mode::JsonLines: got = NextJsonLine(record); break;
      case Mode::Array: got = NextArrayElement(record); break;
      case Mode::Single:
        while (Fill(buffer_.size() - position_ + kReadSize)) {
        }
        record.line = line_;
        record.text.assign(buffer_, position_, std::string::npos);
        position_ = buffer_.size();
        got = !IsBlank(record.text) || !record.text.empty();
        mode_ = Mode::JsonLines;  // nothing more in this file
        eof_ = true;
        break;
    }
    if (!got) {
      current_ = nullptr;
      continue;
    }
    out.push_back(std::move(record));
  }
  return out.size() > before;
}

}  // namespace aipol
