// Names for generated code in `perf` profiles (internal to jit/).
#pragma once

#include <llvm/ExecutionEngine/JITEventListener.h>

namespace aipol::jit {

// With AIPOL_JIT_PERF_MAP set, a listener that appends each linked
// function's address, size and name to /tmp/perf-PID.map, where `perf
// report` looks for symbols of JIT code; null otherwise.
llvm::JITEventListener* PerfMapListener();

}  // namespace aipol::jit
