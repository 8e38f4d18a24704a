// The batch pipeline: a reader splits the fleet into chunks of records,
// worker threads parse, evaluate and serialise each chunk, and the calling
// thread writes the chunks in input order. At most a fixed number of chunks
// is in flight, so memory does not grow with the fleet. Every record yields
// exactly one report, in its place.
#pragma once

#include <functional>
#include <ostream>
#include <vector>

#include "runtime/engine.h"
#include "runtime/fleet_reader.h"
#include "runtime/formats.h"

namespace aipol {

struct BatchContext {
  const ir::Program& program;
  const Engine& engine;
  const PolicyInfo& policy;
  int32_t as_of;
  const std::vector<Value>& params;
  std::function<std::string(SourceRange)> locate;
};

struct BatchConfig {
  int threads = 1;
  bool strict = false;
  size_t chunk_records = 256;
  // Called by the writing thread after each chunk: records and bytes so far.
  std::function<void(uint64_t records, uint64_t bytes)> progress;
  // Called on the same thread before the formatter's End is written (to
  // clear a progress bar that shares the terminal with it).
  std::function<void()> before_end;
};

RunTotals RunBatch(const BatchContext& context, FleetReader& reader, Formatter& formatter, std::ostream& out,
                   const BatchConfig& config);

}  // namespace aipol
