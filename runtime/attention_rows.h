// Tables of systems that list at most so many rows: those that need a
// reader's attention first. The HTML page's table, and `batch`'s table on a
// terminal, where a large fleet would otherwise be a wall of rows.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/formats.h"

namespace aipol {

// How much a system needs attention, most first.
enum Attention : uint8_t { kProhibited, kError, kOpen, kUnknown, kOther, kAttentionLevels };

// A violated prohibition, then an input or runtime error, an open
// obligation, an unknown status or risk level; else kOther.
Attention AttentionOf(const RecordCounts& counts);
// That order, as the tables that pick by it tell their readers.
inline constexpr std::string_view kAttentionOrder =
    "those with a violated prohibition first, then those with errors, with open obligations, with "
    "unknowns, then the others, each in input order";

// The rows of a table, picked from the chunks of output that a formatter's
// Record() wrote with Append() and its Keep() passes on, in input order.
// With `max_rows` 0 every row is kept. Otherwise memory stays bounded (at
// most `max_rows` rows per level), and Select() lists all rows of a fleet
// that fits, in input order, or else `max_rows` of them by attention, each
// level in input order.
class AttentionRows {
 public:
  explicit AttentionRows(size_t max_rows) : max_rows_(max_rows) {}
  size_t max_rows() const { return max_rows_; }

  // One row, as Record() writes it: its level, its length, its text.
  static void Append(std::string& out, Attention level, std::string_view row);
  void Keep(std::string_view output);

  struct Selection {
    std::vector<std::string_view> rows;  // valid while this object lives
    uint64_t total = 0;                  // rows seen
    bool cut = false;                    // fewer rows than seen
  };
  Selection Select() const;

 private:
  struct Row {
    uint64_t index;  // in the fleet
    std::string text;
  };
  size_t max_rows_;
  std::vector<Row> kept_[kAttentionLevels];
  uint64_t seen_ = 0;
};

}  // namespace aipol
