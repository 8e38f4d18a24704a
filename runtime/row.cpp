#include "runtime/row.h"

#include <algorithm>

namespace aipol {

uint8_t* Arena::Allocate(size_t size) {
  size = (size + 7) & ~size_t{7};
  if (size == 0) size = 8;
  if (current_used_ + size > current_size_) {
    size_t block = std::max(kBlockSize, size);
    blocks_.push_back(std::make_unique<uint8_t[]>(block));
    block_sizes_.push_back(block);
    current_size_ = block;
    current_used_ = 0;
  }
  uint8_t* out = blocks_.back().get() + current_used_;
  std::memset(out, 0, size);
  current_used_ += size;
  used_total_ += size;
  return out;
}

StringRef Arena::CopyString(std::string_view text) {
  uint8_t* bytes = Allocate(text.size() + 1);
  std::memcpy(bytes, text.data(), text.size());
  return {reinterpret_cast<const char*>(bytes), text.size()};
}

size_t Arena::BytesAfter(const uint8_t* start) const {
  if (blocks_.empty()) return 0;
  // As addresses: `start` may point into another block, and pointers into
  // different arrays do not compare.
  auto at = reinterpret_cast<uintptr_t>(start);
  auto begin = reinterpret_cast<uintptr_t>(blocks_.back().get());
  if (at < begin || at >= begin + current_used_) return 0;
  return begin + current_used_ - at;
}

void Arena::Reset() {
  // Keep the first block for reuse; a batch worker resets once per record.
  if (blocks_.size() > 1) {
    blocks_.erase(blocks_.begin() + 1, blocks_.end());
    block_sizes_.erase(block_sizes_.begin() + 1, block_sizes_.end());
  }
  current_size_ = blocks_.empty() ? 0 : block_sizes_[0];
  current_used_ = 0;
  used_total_ = 0;
}

}  // namespace aipol
