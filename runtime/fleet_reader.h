// Splitting fleet inputs into records without parsing them.
//
// A fleet is JSON Lines (`.jsonl` or `.ndjson`: one descriptor per line,
// blank lines skipped), a JSON file holding an array of descriptors, or one
// or several in a row, a directory of such files (sorted by path,
// recursively), or `-` (standard input, JSON Lines; or a pretty-printed
// array or values in a row, when its first line is just `[` or `{`).
// The reader streams: it holds one chunk of records at a time, never the
// whole fleet. Text that is not valid JSON still becomes a record, so that
// it gets an error report in its place; so does a record longer than
// kMaxDescriptorBytes, whose text is skipped without being held in memory.
#pragma once

#include <cstdint>
#include <istream>
#include <memory>
#include <string>
#include <vector>

#include "runtime/element_scan.h"
#include "runtime/limits.h"

namespace aipol {

struct RawRecord {
  // The record's text, in one of its batch's blocks (empty for a record the
  // reader already knows is invalid, or that was too long to keep).
  std::string_view text;
  // Bytes readable from text.data(): at least text.size() + kJsonPadding
  // for a record with text, so the loader parses it where it is.
  size_t readable = 0;
  // Set when the reader already knows the text is not a descriptor (a
  // malformed array); the record then gets an InvalidJson report with it.
  std::string invalid_reason;
  std::shared_ptr<const std::string> file;  // the input it came from, as given
  uint64_t line = 1;                        // 1-based line where the record starts
};

// Records read together, and the blocks of input their text is in: the
// reader reads into large blocks and hands out views of them, rather than
// copying each record into a string of its own (bench/RESULTS.md).
struct RecordBatch {
  std::vector<RawRecord> records;
  std::vector<std::shared_ptr<const void>> blocks;
  void clear() {
    records.clear();
    blocks.clear();
  }
};

class FleetReader {
 public:
  // `inputs` as given on the command line; `stdin_stream` serves `-`.
  // `max_record_bytes` is the longest record passed on (tests lower it).
  FleetReader(std::vector<std::string> inputs, std::istream& stdin_stream,
              size_t max_record_bytes = kMaxDescriptorBytes);
  ~FleetReader();

  // Appends up to `max_records` records (fewer at the end, and once they
  // hold kChunkBytes of text, so that a chunk of large records stays within
  // that plus one record); false when the fleet is exhausted and nothing was
  // appended.
  bool Next(RecordBatch& out, size_t max_records);

  // Inputs that could not be opened, with the reason.
  const std::vector<std::string>& errors() const { return errors_; }
  // Directories with nothing to read.
  const std::vector<std::string>& warnings() const { return warnings_; }
  uint64_t bytes_read() const { return bytes_read_; }
  // Total size of the regular files among the inputs (for the progress ETA).
  uint64_t total_bytes() const { return total_bytes_; }
  // How many records the regular files among the inputs hold, estimated
  // from the first records of the first one (the average record's size);
  // 0 when there is no regular file. Reads the inputs again, from the start.
  uint64_t EstimateRecords() const;

 private:
  static constexpr size_t kReadSize = 1 << 20;
  static constexpr size_t kBlockSize = 4 << 20;
  static constexpr size_t kChunkBytes = 16 << 20;

  // An allocation the reader reads into: `capacity` bytes, then
  // kJsonPadding more that are never filled, so that every record in it
  // can be parsed in place.
  struct Block {
    explicit Block(size_t capacity) : bytes(new char[capacity + kJsonPadding]), capacity(capacity) {}
    std::unique_ptr<char[]> bytes;
    size_t capacity;
  };

  bool OpenNext();
  // Makes at least `n` unread bytes available, if the input has them.
  bool Fill(size_t n) { return end_ - position_ >= n || Read(n); }
  bool Read(size_t n);
  void Renew(size_t n);
  char At(size_t offset) const { return block_->bytes[offset]; }
  size_t Find(char c, size_t from) const;
  void SkipSpace();
  bool NextJsonLine(RawRecord& out);
  bool FirstLineIs(char c);
  size_t SkipStringBytes(size_t from) const;
  bool NextArrayElement(RawRecord& out);
  bool NextValue(RawRecord& out);
  bool ScanValue(RawRecord& out, bool in_array);
  bool ScanText(RawRecord& out);
  void Advance(size_t to, uint64_t* length);
  bool EndText(RawRecord& out, uint64_t length) const;
  bool ElementStartsAt(uint64_t offset, uint64_t indent, uint64_t length, bool string_cut);
  bool CutAt(RawRecord& out, ElementScan::LineStart line);
  void SetText(RawRecord& out, size_t begin, size_t end) const;
  void TooLong(RawRecord& out, uint64_t length) const;

  std::vector<std::string> paths_;  // expanded input files, in order
  size_t next_path_ = 0;
  std::shared_ptr<const std::string> file_;  // the current input
  std::vector<std::string> errors_;
  std::vector<std::string> warnings_;
  std::istream& stdin_;
  size_t max_record_bytes_;
  std::unique_ptr<std::istream> owned_;
  std::istream* current_ = nullptr;
  // How the current input is split: by lines, into the elements of an
  // array, or into JSON values in a row.
  enum class Mode { JsonLines, Array, Values } mode_ = Mode::JsonLines;
  bool array_done_ = false;
  bool expect_separator_ = false;  // an array element ended: `,` or `]` must follow
  bool after_cut_ = false;         // an element was cut short: a `,` may follow or not
  ElementScan scan_;               // the array element being read
  // The white space that starts the line read up to position_ (between
  // array elements), and whether only white space was read on it so far.
  uint64_t line_indent_ = 0;
  bool line_blank_ = true;
  // Read-ahead of the current input: bytes [0, end_) of block_ are read,
  // position_ is the next one to look at, and bytes from keep_ on belong to
  // the record being read (a new block starts with them).
  std::shared_ptr<Block> block_;
  size_t end_ = 0;
  size_t position_ = 0;
  size_t keep_ = 0;
  bool eof_ = false;
  uint64_t line_ = 1;
  uint64_t bytes_read_ = 0;
  uint64_t total_bytes_ = 0;
};

}  // namespace aipol
