#include "runtime/date.h"

#include <cstdio>

namespace aipol {

// Howard Hinnant's days_from_civil algorithm: exact for the proleptic
// Gregorian calendar, no tables, no loops.
int32_t DaysFromCivil(CivilDate date) {
  int32_t y = date.year - (date.month <= 2 ? 1 : 0);
  int32_t era = (y >= 0 ? y : y - 399) / 400;
  int32_t yoe = y - era * 400;
  int32_t mp = date.month + (date.month > 2 ? -3 : 9);
  int32_t doy = (153 * mp + 2) / 5 + date.day - 1;
  int32_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

CivilDate CivilFromDays(int32_t days) {
  int32_t z = days + 719468;
  int32_t era = (z >= 0 ? z : z - 146096) / 146097;
  int32_t doe = z - era * 146097;
  int32_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int32_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int32_t mp = (5 * doy + 2) / 153;
  int32_t day = doy - (153 * mp + 2) / 5 + 1;
  int32_t month = mp < 10 ? mp + 3 : mp - 9;
  int32_t year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return {year, month, day};
}

bool IsLeapYear(int32_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int32_t DaysInMonth(int32_t year, int32_t month) {
  static const int32_t kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

std::optional<int32_t> ParseDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return std::nullopt;
  auto digits = [&](size_t from, size_t count) -> int32_t {
    int32_t value = 0;
    for (size_t i = from; i < from + count; ++i) {
      if (text[i] < '0' || text[i] > '9') return -1;
      value = value * 10 + (text[i] - '0');
    }
    return value;
  };
  int32_t year = digits(0, 4), month = digits(5, 2), day = digits(8, 2);
  if (year < 1 || month < 1 || month > 12 || day < 1) return std::nullopt;
  if (day > DaysInMonth(year, month)) return std::nullopt;
  return DaysFromCivil({year, month, day});
}

std::string FormatDate(int32_t days) {
  CivilDate date = CivilFromDays(days);
  // Dates in reports are written for every status: digits by hand, not
  // snprintf. Years outside 1..9999 never reach here (DateInRange).
  if (date.year < 0 || date.year > 9999) {
    char buffer[32];
    std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", date.year, date.month, date.day);
    return buffer;
  }
  char buffer[10];
  auto digits = [&](int at, int value, int count) {
    for (int k = count - 1; k >= 0; --k, value /= 10) buffer[at + k] = static_cast<char>('0' + value % 10);
  };
  digits(0, date.year, 4);
  buffer[4] = '-';
  digits(5, date.month, 2);
  buffer[7] = '-';
  digits(8, date.day, 2);
  return std::string(buffer, sizeof buffer);
}

void AppendDate(std::string& out, int32_t days) {
  struct Recent {
    bool set = false;
    int32_t days = 0;
    std::string text;
  };
  thread_local Recent recent[64];
  Recent& r = recent[static_cast<uint32_t>(days) % 64];
  if (!r.set || r.days != days) {
    r.text = FormatDate(days);
    r.days = days;
    r.set = true;
  }
  out += r.text;
}

std::optional<int32_t> AddMonths(int32_t days, int64_t months) {
  if (months > 200000 || months < -200000) return std::nullopt;
  CivilDate date = CivilFromDays(days);
  int64_t index = static_cast<int64_t>(date.year) * 12 + (date.month - 1) + months;
  int64_t year = index >= 0 ? index / 12 : (index - 11) / 12;
  int32_t month = static_cast<int32_t>(index - year * 12) + 1;
  if (year < 1 || year > 9999) return std::nullopt;
  int32_t y = static_cast<int32_t>(year);
  int32_t day = date.day < DaysInMonth(y, month) ? date.day : DaysInMonth(y, month);
  return DaysFromCivil({y, month, day});
}

}  // namespace aipol
