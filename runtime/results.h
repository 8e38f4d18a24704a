// What evaluating one descriptor produces, whichever engine ran. The report
// writers read only this.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "compiler/source/source.h"
#include "runtime/value.h"

namespace aipol {

enum class Status : uint8_t {
  NotApplicable,
  Unknown,
  Upcoming,
  Expired,
  Stale,
  Met,
  Partial,
  Open,
  Violated
};
std::string_view StatusName(Status status);

// The evidence entry a status used.
struct EvidenceUsed {
  std::string status;  // the entry's status member
  std::optional<std::string> ref;
  std::optional<int32_t> reviewed;
  bool operator==(const EvidenceUsed&) const = default;
};

struct StatusResult {
  Status status = Status::NotApplicable;
  std::optional<int32_t> from;  // when declared and known
  std::optional<int32_t> until;
  bool from_declared = false;
  bool until_declared = false;
  // The evidence entry that was used, if any: held apart (and never changed
  // once made), because most statuses have none and every evaluation makes
  // and drops about a hundred statuses.
  std::shared_ptr<const EvidenceUsed> evidence;
};

struct RuntimeError {
  std::string kind;  // IntegerOverflow, DivisionByZero, NonFiniteNumber, DateOutOfRange
  std::string message;
  SourceRange range;
};

// An engine's note, in the Results it filled, of the statuses it may have
// set away from "not applicable" (prohibitions first, then obligations).
// Filling the same Results again, it resets only those: copying a hundred
// blank statuses per descriptor was about 7% of the JIT's evaluation
// (bench/RESULTS.md). Engines keep it; callers leave it alone (a copied or
// moved Results keeps a note true of its own statuses).
struct StatusesSet {
  uint64_t engine = 0;             // the serial of the engine that wrote the note; 0: none
  std::vector<uint32_t> statuses;  // may repeat an index
};

struct Results {
  std::vector<Value> facts;                // by Program::reports
  std::vector<StatusResult> prohibitions;  // by Program::prohibitions
  std::vector<StatusResult> obligations;   // by Program::obligations
  std::vector<std::string> missing;        // sorted, unique
  std::optional<RuntimeError> error;       // set: everything else is empty
  StatusesSet statuses_set;
};

}  // namespace aipol
