#include "compiler/jit/object_cache.h"

#include <llvm/ADT/StringMap.h>
#include <llvm/Config/llvm-config.h>
#include <llvm/Support/xxhash.h>
#include <llvm/TargetParser/Host.h>

#include <cstring>
#include <filesystem>

#include "compiler/jit/tables_io.h"
#include "runtime/cache_files.h"
#include "runtime/sha256.h"

namespace aipol::jit {
namespace {

// Bumped whenever generated code or the runtime ABI changes meaning.
constexpr const char* kAbiVersion = "aipol-jit-5";

}  // namespace

std::string PolicyIdentity(const ir::Program& program) {
  const std::string& identity = ExecutableIdentity();
  Sha256 hash;
  auto field = [&](std::string_view text) {
    hash.Update(text);
    hash.Update(std::string_view("\0", 1));
  };
  field(kAbiVersion);
  field(identity);
  field(LLVM_VERSION_STRING);
  field(llvm::sys::getHostCPUName());
  for (const auto& feature : llvm::sys::getHostCPUFeatures()) {
    if (feature.second) field(feature.first());
  }
  for (const ir::Module& m : program.modules) {
    field(m.path);
    field(m.source);
  }
  return hash.HexDigest();
}

std::string CacheKey(const std::string& policy_identity, const std::string& choices) {
  Sha256 hash;
  hash.Update(policy_identity);
  hash.Update(std::string_view("\0", 1));
  hash.Update(choices);
  return hash.HexDigest();
}

ObjectCache::ObjectCache(std::string dir, std::string key) : dir_(std::move(dir)), key_(std::move(key)) {}

bool ObjectCache::Has() const {
  std::error_code ec;
  return std::filesystem::exists(dir_ + "/" + key_ + ".tables", ec) &&
         std::filesystem::exists(dir_ + "/" + key_ + ".objects", ec);
}

namespace {

// The objects file: a count, each object's size, then the objects.
std::string PackObjects(const std::vector<std::string>& objects) {
  std::string bytes;
  auto put = [&](auto value) { bytes.append(reinterpret_cast<const char*>(&value), sizeof value); };
  put(static_cast<uint32_t>(objects.size()));
  for (const std::string& object : objects) put(static_cast<uint64_t>(object.size()));
  for (const std::string& object : objects) bytes += object;
  return bytes;
}

// Each object in a buffer of its own (aligned, as the linker wants), or
// nothing when the file is not one PackObjects wrote.
std::optional<std::vector<std::unique_ptr<llvm::MemoryBuffer>>> UnpackObjects(llvm::StringRef bytes) {
  constexpr uint32_t kMaxObjects = 256;
  uint32_t count = 0;
  if (bytes.size() < sizeof count) return std::nullopt;
  std::memcpy(&count, bytes.data(), sizeof count);
  bytes = bytes.drop_front(sizeof count);
  if (count == 0 || count > kMaxObjects || bytes.size() < count * sizeof(uint64_t)) return std::nullopt;
  std::vector<uint64_t> sizes(count);
  std::memcpy(sizes.data(), bytes.data(), count * sizeof(uint64_t));
  bytes = bytes.drop_front(count * sizeof(uint64_t));
  std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects;
  for (uint64_t size : sizes) {
    if (size > bytes.size()) return std::nullopt;
    objects.push_back(llvm::MemoryBuffer::getMemBufferCopy(bytes.take_front(size), "aipol-policy"));
    bytes = bytes.drop_front(size);
  }
  if (!bytes.empty()) return std::nullopt;
  return objects;
}

}  // namespace

// The tables file starts with the objects file's size and hash, so that
// objects that are not the ones compiled with these tables (a file damaged
// on disk, or replaced) are a miss rather than code run blindly.
std::optional<ObjectCache::Entry> ObjectCache::Load() const {
  auto tables_file = llvm::MemoryBuffer::getFile(dir_ + "/" + key_ + ".tables");
  if (!tables_file) return std::nullopt;
  llvm::StringRef bytes = (*tables_file)->getBuffer();
  uint64_t size = 0, digest = 0;
  if (bytes.size() < sizeof size + sizeof digest) return std::nullopt;
  std::memcpy(&size, bytes.data(), sizeof size);
  std::memcpy(&digest, bytes.data() + sizeof size, sizeof digest);
  std::optional<Tables> tables = ReadTables(bytes.drop_front(sizeof size + sizeof digest));
  if (!tables) return std::nullopt;
  auto file = llvm::MemoryBuffer::getFile(dir_ + "/" + key_ + ".objects");
  if (!file || (*file)->getBufferSize() != size || llvm::xxh3_64bits((*file)->getBuffer()) != digest) {
    return std::nullopt;
  }
  auto objects = UnpackObjects((*file)->getBuffer());
  if (!objects) return std::nullopt;
  return Entry{std::move(*objects), std::move(*tables)};
}

bool ObjectCache::Store(const std::vector<std::string>& objects, const Tables& tables) const {
  std::string packed = PackObjects(objects);
  if (!Write(dir_ + "/" + key_ + ".objects", packed)) return false;
  uint64_t size = packed.size(), digest = llvm::xxh3_64bits(llvm::StringRef(packed));
  std::string bytes(sizeof size + sizeof digest, '\0');
  std::memcpy(bytes.data(), &size, sizeof size);
  std::memcpy(bytes.data() + sizeof size, &digest, sizeof digest);
  return Write(dir_ + "/" + key_ + ".tables", bytes + WriteTables(tables));
}

bool ObjectCache::Write(const std::string& path, std::string_view bytes) const {
  return WriteFileAtomically(path, bytes);
}

}  // namespace aipol::jit
