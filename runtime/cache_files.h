// What aipol's on-disk caches (checked programs, compiled code) share: where
// they live, the identity of the running build, and writing an entry so that
// processes sharing the cache never see half of one.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace aipol {

// $XDG_CACHE_HOME/aipol, else ~/.cache/aipol; empty when neither is set.
std::string DefaultCacheDir();

// The running executable's GNU build id: it changes with any change to the
// code. Without one (a link without --build-id), the executable's size and
// modification time.
const std::string& ExecutableIdentity();

// A 64-bit checksum of `bytes`, to tell a damaged cache file from a whole
// one (not a defence against a forged one: whoever can write the cache can
// write a valid entry). Several times faster than SHA-256, which matters for
// an entry of a megabyte read on every run.
uint64_t Checksum(std::string_view bytes);

// Writes `bytes` to `path` under a temporary name, then renames it into
// place (creating the directory first). False when any step fails.
bool WriteFileAtomically(const std::string& path, std::string_view bytes);

}  // namespace aipol
