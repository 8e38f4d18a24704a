// Fleet totals for `--summary`, the table and HTML formats, and `--fail-on`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "runtime/report.h"

namespace aipol {

struct ObligationTally {
  std::string title;
  std::string cite;
  std::string actor;
  uint64_t count = 0;
};

// Add and Merge count by declaration and day, which costs no string per
// record; Settle then fills the maps by name that the formats read.
struct FleetSummary {
  uint64_t records = 0;
  uint64_t input_errors = 0;  // records not evaluated because of input errors
  uint64_t runtime_errors = 0;
  uint64_t with_warnings = 0;
  // Filled by Settle:
  std::map<std::string, uint64_t> risk_levels;        // value of the `risk_level` fact ("unknown" when null)
  std::map<std::string, ObligationTally> open;        // obligation id -> open count
  std::map<std::string, ObligationTally> prohibited;  // prohibition id -> violated count
  std::map<std::string, uint64_t> upcoming_dates;     // YYYY-MM-DD -> upcoming obligations from that date
  // For --fail-on.
  bool any_prohibited = false;
  bool any_high = false;
  bool any_open = false;
  bool any_unknown = false;
  bool any_error = false;

  void Add(const ReportInput& report);
  void Merge(const FleetSummary& other);
  void Settle();

 private:
  void Bind(const ir::Program& program);

  const ir::Program* program_ = nullptr;                 // set by the first evaluated report
  int64_t risk_fact_ = -1;                               // index of `risk_level` in program.reports, or -1
  std::map<std::string, uint64_t, std::less<>> levels_;  // risk level -> records
  std::vector<uint64_t> open_;                           // by position in program.obligations
  std::vector<uint64_t> violated_;                       // by position in program.prohibitions
  std::map<int32_t, uint64_t> upcoming_;                 // day -> upcoming obligations from that day
};

}  // namespace aipol
