// Calendar dates as proleptic Gregorian day numbers.
//
// Day 0 is 1970-01-01. Only years 0001-9999 are valid dates in aipol; the
// arithmetic here works on a wider range so that callers can detect results
// that leave it.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aipol {

struct CivilDate {
  int32_t year;
  int32_t month;  // 1-12
  int32_t day;    // 1-31
};

int32_t DaysFromCivil(CivilDate date);
CivilDate CivilFromDays(int32_t days);
bool IsLeapYear(int32_t year);
int32_t DaysInMonth(int32_t year, int32_t month);

inline constexpr int32_t kMinDateDays = -719162;  // 0001-01-01
inline constexpr int32_t kMaxDateDays = 2932896;  // 9999-12-31
inline bool DateInRange(int64_t days) { return days >= kMinDateDays && days <= kMaxDateDays; }

// Parses exactly `YYYY-MM-DD` (years 0001-9999, a real calendar day).
std::optional<int32_t> ParseDate(std::string_view text);
std::string FormatDate(int32_t days);
// Appends FormatDate(days) to `out`. Reports write the same few dates again
// and again: each thread keeps the text of the dates it wrote last.
void AppendDate(std::string& out, int32_t days);

// Adds months, clamping to the last day of the resulting month
// (31 Jan + 1 month = 28/29 Feb). Returns nullopt outside 0001-9999.
std::optional<int32_t> AddMonths(int32_t days, int64_t months);

}  // namespace aipol
