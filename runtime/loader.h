// The descriptor loader: JSON text -> an input row, in one pass with
// simdjson's On-Demand API (no DOM), following the row layout that sema
// derived from the policy's `input` record type.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/limits.h"
#include "runtime/row.h"

namespace aipol {

enum class InputIssueKind : uint8_t {
#define AIPOL_INPUT_ISSUE(name, is_error) name,
#include "runtime/input_issue_kinds.def"
#undef AIPOL_INPUT_ISSUE
};
std::string_view InputIssueKindName(InputIssueKind kind);

struct InputIssue {
  InputIssueKind kind;
  bool error;
  std::string path;  // `use.purposes[2]`, empty for the whole document
  std::string message;
};

struct LoadedRow {
  const uint8_t* row = nullptr;   // valid while the arena lives; null when not loaded
  size_t bytes = 0;               // the row's data laid out from `row` on (0 when not known)
  std::optional<std::string> id;  // the descriptor's `id`, when it could be read
  std::vector<InputIssue> issues;
  bool ok() const;  // no error among the issues
};

class RowLoader {
 public:
  explicit RowLoader(const ir::Program& program);
  ~RowLoader();
  RowLoader(const RowLoader&) = delete;
  RowLoader& operator=(const RowLoader&) = delete;

  // Loads one descriptor. Duplicate object keys: the later value wins (with a
  // warning), also for nested records. `null` is the same as absent. A UTF-8
  // byte-order mark before the descriptor is skipped.
  // `readable`: how many bytes from json.data() may be read; with
  // kJsonPadding past the end, the text is parsed in place, not copied.
  LoadedRow Load(std::string_view json, Arena& arena, bool strict, size_t readable = 0);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace aipol
