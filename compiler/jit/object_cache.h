// Compiled policies on disk (internal to jit/).
//
// An entry is two files named by a key: `KEY.objects`, the object code (the
// policy is compiled as a few modules in parallel: one object each), and
// `KEY.tables`, the side tables they index (tables_io.h). The key is known
// before any code is generated: a hash of the policy's sources and of
// everything else the object depends on (the aipol binary's build id, the
// ABI and LLVM versions, the host CPU and its features, the code generation
// choices), so a hit links the object and reads the tables, and generates
// nothing.
//
// Files are written under a temporary name and renamed into place, so
// processes can share a cache and a reader never sees half a file; objects
// without their tables, or not the ones their tables were written for, are a
// miss.
#pragma once

#include <llvm/Support/MemoryBuffer.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "compiler/jit/abi.h"

namespace aipol::jit {

// What the cache keys of a policy's compiled code share: the ABI, this
// executable, LLVM, the host CPU and its features, and the policy's
// sources, hashed. Computed once per compile (it is most of a cache hit's
// time), then CacheKey adds a tier's settings.
std::string PolicyIdentity(const ir::Program& program);
// `choices` names the optimisation and code generation settings.
std::string CacheKey(const std::string& policy_identity, const std::string& choices);

class ObjectCache {
 public:
  ObjectCache(std::string dir, std::string key);

  struct Entry {
    std::vector<std::unique_ptr<llvm::MemoryBuffer>> objects;
    Tables tables;
  };
  // Whether both files of the entry exist (Load may still find them unusable).
  bool Has() const;
  // Both files of the entry, or nothing.
  std::optional<Entry> Load() const;
  // After a compile: the objects, then the tables that make them an entry.
  // False when the entry could not be written (the directory is not writable).
  bool Store(const std::vector<std::string>& objects, const Tables& tables) const;

 private:
  bool Write(const std::string& path, std::string_view bytes) const;
  std::string dir_, key_;
};

}  // namespace aipol::jit
