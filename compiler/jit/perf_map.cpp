#include "compiler/jit/perf_map.h"

#include <llvm/Object/SymbolSize.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>

namespace aipol::jit {
namespace {

class PerfMap : public llvm::JITEventListener {
 public:
  void notifyObjectLoaded(ObjectKey, const llvm::object::ObjectFile& object,
                          const llvm::RuntimeDyld::LoadedObjectInfo& info) override {
    // The object as loaded: its symbols' addresses are where they run.
    llvm::object::OwningBinary<llvm::object::ObjectFile> loaded = info.getObjectForDebug(object);
    if (!loaded.getBinary()) return;
    std::lock_guard lock(mutex_);
    std::string path = "/tmp/perf-" + std::to_string(::getpid()) + ".map";
    std::FILE* out = std::fopen(path.c_str(), "a");
    if (!out) return;
    for (const auto& [symbol, size] : llvm::object::computeSymbolSizes(*loaded.getBinary())) {
      llvm::Expected<llvm::object::SymbolRef::Type> type = symbol.getType();
      llvm::Expected<llvm::StringRef> name = symbol.getName();
      llvm::Expected<uint64_t> address = symbol.getAddress();
      if (!type || !name || !address || *type != llvm::object::SymbolRef::ST_Function) {
        llvm::consumeError(type.takeError());
        llvm::consumeError(name.takeError());
        llvm::consumeError(address.takeError());
        continue;
      }
      std::fprintf(out, "%llx %llx %s\n", static_cast<unsigned long long>(*address),
                   static_cast<unsigned long long>(size), name->str().c_str());
    }
    std::fclose(out);
  }

 private:
  std::mutex mutex_;
};

}  // namespace

llvm::JITEventListener* PerfMapListener() {
  static PerfMap listener;
  return std::getenv("AIPOL_JIT_PERF_MAP") ? &listener : nullptr;
}

}  // namespace aipol::jit
