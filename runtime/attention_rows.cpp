#include "runtime/attention_rows.h"

#include <algorithm>
#include <cstring>

namespace aipol {

Attention AttentionOf(const RecordCounts& c) {
  if (c.violated) return kProhibited;
  if (c.status != "ok") return kError;
  if (c.open) return kOpen;
  if (c.unknown || c.risk_level == "unknown") return kUnknown;
  return kOther;
}

void AttentionRows::Append(std::string& out, Attention level, std::string_view row) {
  auto length = static_cast<uint32_t>(row.size());
  out += static_cast<char>(level);
  out.append(reinterpret_cast<const char*>(&length), sizeof length);
  out += row;
}

void AttentionRows::Keep(std::string_view output) {
  while (output.size() >= 1 + sizeof(uint32_t)) {
    auto level = static_cast<size_t>(output[0]);
    uint32_t length;
    std::memcpy(&length, output.data() + 1, sizeof length);
    std::string_view row = output.substr(1 + sizeof length, length);
    output.remove_prefix(1 + sizeof length + row.size());
    // A level is not kept beyond the limit, nor once the levels before it
    // fill the table.
    size_t before = 0;
    for (size_t l = 0; l < level; ++l) before += kept_[l].size();
    if (max_rows_ == 0 || (kept_[level].size() < max_rows_ && before < max_rows_))
      kept_[level].push_back({seen_, std::string(row)});
    ++seen_;
  }
}

AttentionRows::Selection AttentionRows::Select() const {
  Selection selection;
  selection.total = seen_;
  selection.cut = max_rows_ != 0 && seen_ > max_rows_;
  std::vector<const Row*> picked;
  for (const std::vector<Row>& level : kept_) {
    for (const Row& row : level) {
      if (!selection.cut || picked.size() < max_rows_) picked.push_back(&row);
    }
  }
  if (!selection.cut)
    std::sort(picked.begin(), picked.end(), [](auto* a, auto* b) { return a->index < b->index; });
  for (const Row* row : picked) selection.rows.push_back(row->text);
  return selection;
}

}  // namespace aipol
