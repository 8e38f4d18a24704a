// SHA-256 (FIPS 180-4), for the policy hash in reports and cache keys.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aipol {

class Sha256 {
 public:
  Sha256();
  void Update(std::string_view bytes);
  std::string HexDigest();  // finishes the hash

 private:
  void Block(const uint8_t* block);
  uint32_t state_[8];
  uint8_t buffer_[64];
  uint64_t length_ = 0;  // bytes so far
  size_t buffered_ = 0;
};

}  // namespace aipol
