#include "runtime/cache_files.h"

#include <link.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

namespace aipol {
namespace {

std::string ReadIdentity() {
  std::string id;
  dl_iterate_phdr(
      [](dl_phdr_info* info, size_t, void* data) -> int {
        for (int i = 0; i < info->dlpi_phnum; ++i) {
          const ElfW(Phdr)& header = info->dlpi_phdr[i];
          if (header.p_type != PT_NOTE) continue;
          const char* at = reinterpret_cast<const char*>(info->dlpi_addr + header.p_vaddr);
          const char* end = at + header.p_memsz;
          while (at + sizeof(ElfW(Nhdr)) <= end) {
            const auto* note = reinterpret_cast<const ElfW(Nhdr)*>(at);
            const char* name = at + sizeof(ElfW(Nhdr));
            const char* desc = name + ((note->n_namesz + 3) & ~3u);
            if (note->n_type == NT_GNU_BUILD_ID && note->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0) {
              static_cast<std::string*>(data)->assign(desc, note->n_descsz);
              return 1;
            }
            at = desc + ((note->n_descsz + 3) & ~3u);
          }
        }
        return 1;  // the first object is the executable: look no further
      },
      &id);
  if (!id.empty()) return "build-id:" + id;
  struct stat exe {};
  if (stat("/proc/self/exe", &exe) == 0) {
    return "exe:" + std::to_string(exe.st_size) + ":" + std::to_string(exe.st_mtim.tv_sec) + "." +
           std::to_string(exe.st_mtim.tv_nsec);
  }
  return "exe:unknown";
}

}  // namespace

std::string DefaultCacheDir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return std::string(xdg) + "/aipol";
  if (const char* home = std::getenv("HOME"); home && *home) return std::string(home) + "/.cache/aipol";
  return "";
}

const std::string& ExecutableIdentity() {
  static const std::string identity = ReadIdentity();
  return identity;
}

uint64_t Checksum(std::string_view bytes) {
  // Four independent lanes of multiply-and-rotate over 8-byte words (so the
  // multiplies overlap), folded together with the length at the end.
  constexpr uint64_t kPrime = 0x9E3779B97F4A7C15ull;
  uint64_t lanes[4] = {1, 2, 3, 4};
  size_t at = 0;
  auto mix = [](uint64_t lane, uint64_t word) {
    lane ^= word * kPrime;
    lane = (lane << 31) | (lane >> 33);
    return lane * 0xC2B2AE3D27D4EB4Full;
  };
  for (; at + 32 <= bytes.size(); at += 32) {
    for (int k = 0; k < 4; ++k) {
      uint64_t word;
      std::memcpy(&word, bytes.data() + at + 8 * k, 8);
      lanes[k] = mix(lanes[k], word);
    }
  }
  uint64_t tail[4] = {0, 0, 0, 0};
  std::memcpy(tail, bytes.data() + at, bytes.size() - at);
  uint64_t hash = bytes.size();
  for (int k = 0; k < 4; ++k) hash = mix(hash ^ lanes[k], tail[k]);
  hash ^= hash >> 29;
  return hash * kPrime;
}

bool WriteFileAtomically(const std::string& path, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(std::filesystem::path(path).parent_path(), ec);
  // Unique per write, so that threads writing the same entry at once never
  // write into one temporary file.
  static std::atomic<uint64_t> writes{0};
  std::string temporary = path + ".tmp." + std::to_string(getpid()) + "." + std::to_string(writes++);
  {
    std::ofstream out(temporary, std::ios::binary);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::filesystem::remove(temporary, ec);
      return false;
    }
  }
  std::filesystem::rename(temporary, path, ec);
  if (ec) std::filesystem::remove(temporary, ec);
  return !ec;
}

}  // namespace aipol
