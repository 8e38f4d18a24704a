// Compiled policies on disk (internal to jit/).
//
// An entry is two files named by a key: `KEY.o`, the object code, and
// `KEY.tables`, the side tables it indexes (tables_io.h). The key is known
// before any code is generated: a hash of the policy's sources and of
// everything else the object depends on (the aipol binary's build id, the
// ABI and LLVM versions, the host CPU and its features, the code generation
// choices), so a hit links the object and reads the tables, and generates
// nothing.
//
// Files are written under a temporary name and renamed into place, so
// processes can share a cache and a reader never sees half a file; an object
// without its tables, or not the one its tables were written for, is a miss.
#pragma once

#include <llvm/ExecutionEngine/ObjectCache.h>
#include <llvm/Support/MemoryBuffer.h>

#include <memory>
#include <optional>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/jit/abi.h"

namespace aipol::jit {

// $XDG_CACHE_HOME/aipol, else ~/.cache/aipol; empty when neither is set.
std::string DefaultCacheDir();

// `choices` names the optimisation and code generation settings.
std::string CacheKey(const ir::Program& program, const std::string& choices);

class ObjectCache : public llvm::ObjectCache {
 public:
  ObjectCache(std::string dir, std::string key);

  struct Entry {
    std::unique_ptr<llvm::MemoryBuffer> object;
    Tables tables;
  };
  // Whether both files of the entry exist (Load may still find them unusable).
  bool Has() const;
  // Both files of the entry, or nothing.
  std::optional<Entry> Load() const;
  // After a compile: the tables (the object is stored as it is compiled).
  void StoreTables(const Tables& tables) const;

  // llvm::ObjectCache: called by the compiler of a module named by the key.
  void notifyObjectCompiled(const llvm::Module* module, llvm::MemoryBufferRef object) override;
  std::unique_ptr<llvm::MemoryBuffer> getObject(const llvm::Module* module) override;

 private:
  bool Store(const std::string& path, std::string_view bytes) const;
  std::string dir_, key_;
  bool stored_object_ = false;  // and its size and hash:
  uint64_t object_size_ = 0;
  uint64_t object_digest_ = 0;
};

}  // namespace aipol::jit
