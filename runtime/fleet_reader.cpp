#include "runtime/fleet_reader.h"

#include <algorithm>
#include <atomic>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>

#ifdef __SSE2__
#include <emmintrin.h>
#endif

namespace aipol {
namespace fs = std::filesystem;

namespace {

bool EndsWith(const std::string& s, std::string_view suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// The files of a directory that a fleet reads; .jsonl and .ndjson are JSON Lines.
bool IsJsonLines(const std::string& path) { return EndsWith(path, ".jsonl") || EndsWith(path, ".ndjson"); }
bool IsFleetFile(const std::string& path) { return EndsWith(path, ".json") || IsJsonLines(path); }

bool IsBlank(std::string_view text) {
  return std::all_of(text.begin(), text.end(), [](char c) { return c == ' ' || c == '\t' || c == '\r'; });
}

}  // namespace

FleetReader::FleetReader(std::vector<std::string> inputs, std::istream& stdin_stream, size_t max_record_bytes)
    : stdin_(stdin_stream), max_record_bytes_(max_record_bytes) {
  for (const std::string& input : inputs) {
    std::error_code ec;
    if (input == "-") {
      paths_.push_back(input);
    } else if (fs::is_directory(input, ec)) {
      std::vector<std::string> found;
      size_t others = 0;
      for (auto it = fs::recursive_directory_iterator(input, ec); !ec && it != fs::end(it);
           it.increment(ec)) {
        std::string path = it->path().string();
        if (!it->is_regular_file(ec)) continue;
        if (IsFleetFile(path)) {
          found.push_back(path);
        } else {
          ++others;
        }
      }
      // A gate over a directory that holds no descriptors would pass on
      // zero records: say so.
      if (found.empty()) {
        warnings_.push_back("`" + input + "` holds no .json, .jsonl or .ndjson files" +
                            (others ? " (" + std::to_string(others) + " other file" +
                                          (others == 1 ? " was" : "s were") + " not read)"
                                    : ""));
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

uint64_t FleetReader::EstimateRecords() const {
  auto first = std::find_if(paths_.begin(), paths_.end(), [](const std::string& path) {
    std::error_code ec;
    return path != "-" && fs::is_regular_file(path, ec);
  });
  if (first == paths_.end()) return 0;
  std::istringstream unused;
  FleetReader sample({*first}, unused, max_record_bytes_);
  RecordBatch batch;
  sample.Next(batch, 256);
  uint64_t bytes = 0, records = 0;
  for (const RawRecord& record : batch.records) {
    if (record.text.empty()) continue;  // over the limit: its size is not kept
    bytes += record.text.size() + 1;    // and a separator
    ++records;
  }
  if (records == 0) return 0;
  return total_bytes_ / std::max<uint64_t>(1, bytes / records);
}

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
    line_indent_ = 0;
    line_blank_ = true;
    array_done_ = false;
    expect_separator_ = after_cut_ = false;
    // The file is read into the current block after the last file's bytes,
    // which a batch may still hold records in.
    if (!block_) block_ = std::make_shared<Block>(kBlockSize);
    position_ = keep_ = end_;
    eof_ = false;
    if (path == "-") {
      current_ = &stdin_;
    } else {
      auto file = std::make_unique<std::ifstream>(path, std::ios::binary);
      if (!*file) {
        errors_.push_back("cannot read `" + path + "`");
        continue;
      }
      owned_ = std::move(file);
      current_ = owned_.get();
    }
    // A UTF-8 byte-order mark says nothing about the records.
    if (Fill(3) && std::string_view(&block_->bytes[position_], 3) == "\xEF\xBB\xBF") position_ += 3;
    // Peek at the first significant character. A `.json` file holds an
    // array, or one descriptor, or several in a row (as `jq` writes them).
    // Anything else is JSON Lines unless its first line is just `[` or `{`,
    // which starts a pretty-printed array or value, never a JSON Lines
    // record (`jq . fleet.json | aipol batch -`); a pipe or a file of
    // another extension is also an array when it starts with `[`.
    SkipSpace();
    bool named_lines = path == "-" || IsJsonLines(path);
    if (EndsWith(path, ".json")) {
      mode_ = Fill(1) && At(position_) == '[' ? Mode::Array : Mode::Values;
    } else if (FirstLineIs('[') || (!named_lines && Fill(1) && At(position_) == '[')) {
      mode_ = Mode::Array;
    } else {
      mode_ = FirstLineIs('{') ? Mode::Values : Mode::JsonLines;
    }
    if (mode_ == Mode::Array) ++position_, line_blank_ = false;
    return true;
  }
  return false;
}

// The first byte from `from` on (up to end_) that is `"`, `\` or a line break.
size_t FleetReader::SkipStringBytes(size_t from) const {
  const char* bytes = &block_->bytes[0];
#ifdef __SSE2__
  // Sixteen bytes at a time; the block's padding makes reading past end_
  // safe, and a match there is ignored.
  const __m128i quote = _mm_set1_epi8('"'), backslash = _mm_set1_epi8('\\'), newline = _mm_set1_epi8('\n');
  for (; from < end_; from += 16) {
    __m128i chunk = _mm_loadu_si128(reinterpret_cast<const __m128i*>(bytes + from));
    __m128i special =
        _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(chunk, quote), _mm_cmpeq_epi8(chunk, backslash)),
                     _mm_cmpeq_epi8(chunk, newline));
    if (int mask = _mm_movemask_epi8(special)) return std::min(end_, from + __builtin_ctz(mask));
  }
  return end_;
#else
  while (from < end_ && bytes[from] != '"' && bytes[from] != '\\' && bytes[from] != '\n') ++from;
  return from;
#endif
}

// Whether the line at position_ holds `c` and nothing else but white space.
bool FleetReader::FirstLineIs(char c) {
  if (!Fill(1) || At(position_) != c) return false;
  for (size_t k = 1;; ++k) {
    if (!Fill(k + 1)) return true;
    char next = At(position_ + k);
    if (next == '\n') return true;
    if (next != ' ' && next != '\t' && next != '\r') return false;
  }
}

// Fill's slow path: reads until `n` bytes are unread, or the input ends.
bool FleetReader::Read(size_t n) {
  while (end_ - position_ < n && !eof_) {
    if (block_->capacity - end_ < std::max(n - (end_ - position_), kReadSize / 4)) Renew(n);
    size_t want = std::min(kReadSize, block_->capacity - end_);
    current_->read(&block_->bytes[end_], static_cast<std::streamsize>(want));
    size_t got = static_cast<size_t>(current_->gcount());
    end_ += got;
    bytes_read_ += got;
    if (got == 0) eof_ = true;
  }
  return end_ - position_ >= n;
}

// Starts a new block with the bytes from keep_ on, with room for `n` unread
// bytes and a read. The old block stays alive as long as a batch holds a
// record in it. When none does (no record of it was handed out, or all were
// dropped), the block itself is reused.
void FleetReader::Renew(size_t n) {
  size_t kept = end_ - keep_;
  size_t needed = (position_ - keep_) + n;  // a record longer than a block doubles it
  size_t capacity = std::max(kBlockSize, needed + std::max(kReadSize, needed));
  bool reuse = capacity <= block_->capacity && keep_ > 0 && block_.use_count() == 1;
  // The batches that held the block dropped it on other threads: their
  // reads of it happen before the bytes are overwritten.
  if (reuse) std::atomic_thread_fence(std::memory_order_acquire);
  std::shared_ptr<Block> block = reuse ? block_ : std::make_shared<Block>(capacity);
  std::memmove(&block->bytes[0], &block_->bytes[keep_], kept);
  block_ = std::move(block);
  position_ -= keep_;
  end_ = kept;
  keep_ = 0;
}

size_t FleetReader::Find(char c, size_t from) const {
  if (from >= end_) return std::string::npos;
  const void* at = std::memchr(&block_->bytes[from], c, end_ - from);
  return at ? static_cast<size_t>(static_cast<const char*>(at) - &block_->bytes[0]) : std::string::npos;
}

void FleetReader::SetText(RawRecord& out, size_t begin, size_t end) const {
  out.text = std::string_view(&block_->bytes[begin], end - begin);
  out.readable = block_->capacity + kJsonPadding - begin;
}

void FleetReader::SkipSpace() {
  while (true) {
    keep_ = position_;
    if (!Fill(1)) return;
    char c = At(position_);
    if (c == '\n') {
      ++line_;
      line_indent_ = 0;
      line_blank_ = true;
    } else if (c == ' ' || c == '\t') {
      line_indent_ += line_blank_;
    } else if (c != '\r') {
      return;
    }
    ++position_;
  }
}

// A record longer than the limit: no text, an InvalidJson report that says so.
void FleetReader::TooLong(RawRecord& out, uint64_t length) const {
  out.text = {};
  out.readable = 0;
  out.invalid_reason = "the record is " + std::to_string(length) + " bytes long, over the limit of " +
                       std::to_string(max_record_bytes_) + " bytes; it was not read";
}

bool FleetReader::NextJsonLine(RawRecord& out) {
  while (true) {
    // Look for the end of the line in the bytes not yet searched, reading
    // until it comes or the line is too long to be a record.
    // (One byte more than the limit for a `\r` before the newline.)
    keep_ = position_;
    size_t searched = 0;  // bytes after position_ known to hold no newline
    size_t newline;
    while ((newline = Find('\n', position_ + searched)) == std::string::npos && !eof_ &&
           end_ - position_ <= max_record_bytes_ + 1) {
      searched = end_ - position_;
      Fill(searched + 1);
    }
    if (position_ >= end_ && eof_) return false;
    uint64_t line = line_++;
    if (newline == std::string::npos && end_ - position_ > max_record_bytes_ + 1) {
      // Too long: skip to the end of the line, a read at a time.
      uint64_t length = 0;
      char last = '\0';  // the line's last byte, for a CR before the newline
      while (true) {
        newline = Find('\n', position_);
        if (newline != std::string::npos) {
          length += newline - position_;
          if (newline > position_) last = At(newline - 1);
          position_ = newline + 1;
          break;
        }
        length += end_ - position_;
        if (end_ > position_) last = At(end_ - 1);
        position_ = keep_ = end_;  // nothing of it is kept
        if (!Fill(1)) break;
      }
      if (last == '\r') --length;
      out.line = line;
      TooLong(out, length);
      return true;
    }
    if (newline == std::string::npos) newline = end_;
    size_t begin = position_, end = newline;
    position_ = std::min(newline + 1, end_);
    if (IsBlank(std::string_view(&block_->bytes[begin], end - begin))) continue;
    if (end > begin && At(end - 1) == '\r') --end;
    out.line = line;
    if (end - begin > max_record_bytes_) {
      TooLong(out, end - begin);
      return true;
    }
    SetText(out, begin, end);
    return true;
  }
}

// One element of a top-level array, found by tracking strings and brackets.
// Malformed text still yields records, so it is reported, not lost; and a
// broken element is cut where the next one visibly starts (ElementScan).
bool FleetReader::NextArrayElement(RawRecord& out) {
  if (array_done_) return false;
  bool missing_separator = false;
  while (true) {
    SkipSpace();
    if (!Fill(1)) {
      // The array never closed: say so in a record of its own.
      array_done_ = true;
      out.line = line_;
      out.invalid_reason = "the JSON array is not closed with `]`";
      return true;
    }
    char c = At(position_);
    if (c == ',') {
      ++position_;
      line_blank_ = false;
      if (!expect_separator_) {
        if (after_cut_) {
          // The `,` after an element that was cut short.
          after_cut_ = false;
          continue;
        }
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
      // Text after the array: one invalid record, whatever it holds (skipped
      // unread, however long it is).
      out.line = line_;
      while (Fill(1)) position_ = keep_ = end_;
      out.invalid_reason = "text after the end of the JSON array";
      return true;
    }
    missing_separator = expect_separator_;
    break;
  }
  expect_separator_ = true;
  if (missing_separator) out.invalid_reason = "a `,` is missing before this array element";
  return ScanValue(out, true);
}

// One value of a sequence of JSON values (`Mode::Values`): white space
// between them, and a `,` tolerated.
bool FleetReader::NextValue(RawRecord& out) {
  while (true) {
    SkipSpace();
    if (!Fill(1)) return false;
    if (At(position_) != ',') break;
    ++position_;
    line_blank_ = after_cut_ = false;
  }
  char first = At(position_);
  return first == '{' || first == '[' ? ScanValue(out, false) : ScanText(out);
}

// Text among descriptors in a row that does not start like one (every
// descriptor is an object): one record up to the next line that starts with
// `{`, or the end of the input, rather than a record per word.
bool FleetReader::ScanText(RawRecord& out) {
  out.line = line_;
  keep_ = position_;
  uint64_t length = 0;
  while (Fill(1)) {
    char c = At(position_);
    Advance(position_ + 1, &length);
    if (c != '\n') continue;
    ++line_;
    if (ElementStartsAt(length, UINT64_MAX, length, false)) break;
  }
  EndText(out, length);
  line_indent_ = 0;
  line_blank_ = true;
  return true;
}

// Reads the value that starts at position_, an array element or not, up to
// its end: where its brackets close, or a scalar's end; or before the line
// where the next value starts, if it breaks (ElementScan).
bool FleetReader::ScanValue(RawRecord& out, bool in_array) {
  out.line = line_;
  keep_ = position_;  // the value's first byte, while it is kept
  uint64_t indent = line_indent_;
  line_blank_ = after_cut_ = false;
  scan_.Start();
  uint64_t length = 0;
  auto done = [&] { return EndText(out, length); };
  auto ends_scalar = [in_array](char c) {
    return in_array ? c == ',' || c == ']' : c == ',' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
  };
  bool broken = false;  // the text stopped being JSON
  while (Fill(1)) {
    if (scan_.in_plain_string()) {
      // Most of a descriptor is in strings, where only `"`, `\` and line
      // breaks matter: skip the other bytes at once.
      size_t stop = SkipStringBytes(position_);
      if (stop > position_) {
        Advance(stop, &length);
        continue;
      }
    }
    char c = At(position_);
    if (scan_.at_top() && length > 0 && ends_scalar(c)) return done();
    Advance(position_ + 1, &length);
    if (c == '\n') ++line_;
    switch (scan_.Feed(c, length - 1)) {
      case ElementScan::Fed::More: break;
      case ElementScan::Fed::End: return done();
      case ElementScan::Fed::Broken: {
        broken = true;
        const ElementScan::LineStart* line = scan_.break_line();
        if (line && ElementStartsAt(line->offset, indent, length, scan_.break_in_string())) {
          return CutAt(out, *line);
        }
        break;
      }
    }
    if (broken && c == '\n' && ElementStartsAt(length, indent, length, false)) {
      return CutAt(out, {length, scan_.lines()});
    }
    if ((c == ' ' || c == '\t') && !scan_.in_string()) {
      // The rest of a run of blanks changes nothing (pretty-printed input
      // is mostly indentation outside strings): skip it at once.
      size_t stop = position_;
      while (stop < end_ && (At(stop) == ' ' || At(stop) == '\t')) ++stop;
      Advance(stop, &length);
    }
  }
  if (in_array) {
    // The array never closed; what was read is one record.
    array_done_ = true;
    if (out.invalid_reason.empty()) out.invalid_reason = "the JSON array is not closed with `]`";
  }
  done();
  return length > 0;
}

// Moves position_ to `to`, past bytes of the record being read, which is
// `length` bytes long so far. A record longer than the limit is scanned to
// its end but not kept: the block need not hold its bytes.
void FleetReader::Advance(size_t to, uint64_t* length) {
  *length += to - position_;
  position_ = to;
  if (*length > max_record_bytes_) keep_ = position_;
}

// The record read from keep_ to position_, or the report that it was too long.
bool FleetReader::EndText(RawRecord& out, uint64_t length) const {
  if (length > max_record_bytes_) {
    TooLong(out, length);
  } else {
    SetText(out, keep_, position_);
  }
  return true;
}

// Whether a new array element plausibly starts at `offset` in the element
// being read, which broke (ElementScan): at the start of a line indented no
// more than the element's own first line (so not inside a nested value)
// that holds an optional `,` and then `{`. After a line break in a string
// (which JSON strings cannot hold: the string was cut there), any such
// line will do, whatever it holds. It may read ahead. False for an element
// over the limit, whose bytes are not kept.
bool FleetReader::ElementStartsAt(uint64_t offset, uint64_t indent, uint64_t length, bool string_cut) {
  if (length > max_record_bytes_) return false;
  // Offsets from keep_ stay valid when Fill moves the bytes to a new block.
  auto byte = [&](uint64_t at) -> int {
    size_t wanted = keep_ + at + 1;
    if (wanted > position_ && !Fill(wanted - position_)) return -1;
    return static_cast<unsigned char>(At(keep_ + at));
  };
  uint64_t at = offset, spaces = 0;
  for (; byte(at) == ' ' || byte(at) == '\t'; ++at) ++spaces;
  if (spaces > indent) return false;
  if (string_cut) return true;
  if (byte(at) == ',') ++at;
  while (byte(at) == ' ' || byte(at) == '\t') ++at;
  return byte(at) == '{';
}

// Ends the element being read where a new one starts, and goes on from there.
bool FleetReader::CutAt(RawRecord& out, ElementScan::LineStart line) {
  position_ = keep_ + line.offset;
  SetText(out, keep_, position_);
  line_ = out.line + line.lines;
  if (out.invalid_reason.empty()) {
    out.invalid_reason = std::string(mode_ == Mode::Array ? "the array element" : "the value") +
                         " breaks off before its end: the next one starts on line " + std::to_string(line_);
  }
  expect_separator_ = false;
  after_cut_ = true;
  line_indent_ = 0;
  line_blank_ = true;
  return true;
}

bool FleetReader::Next(RecordBatch& out, size_t max_records) {
  size_t before = out.records.size();
  size_t bytes = 0;
  while (out.records.size() - before < max_records && bytes < kChunkBytes) {
    if (current_ == nullptr && !OpenNext()) break;
    RawRecord record;
    record.file = file_;
    bool got = false;
    switch (mode_) {
      case Mode::JsonLines: got = NextJsonLine(record); break;
      case Mode::Array: got = NextArrayElement(record); break;
      case Mode::Values: got = NextValue(record); break;
    }
    if (!got) {
      current_ = nullptr;
      continue;
    }
    bytes += record.text.size();
    if (!record.text.empty() && (out.blocks.empty() || out.blocks.back().get() != block_.get())) {
      out.blocks.push_back(block_);
    }
    out.records.push_back(std::move(record));
  }
  return out.records.size() > before;
}

}  // namespace aipol
