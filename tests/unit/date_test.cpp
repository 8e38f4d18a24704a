#include "runtime/date.h"

#include <catch2/catch.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace aipol {
namespace {

bool SameDate(CivilDate a, CivilDate b) { return a.year == b.year && a.month == b.month && a.day == b.day; }

// AddMonths on dates written as text, so that failures read as dates.
std::optional<std::string> AddMonthsText(std::string_view date, int64_t months) {
  std::optional<int32_t> days = ParseDate(date);
  REQUIRE(days.has_value());
  std::optional<int32_t> result = AddMonths(*days, months);
  if (!result) {
    return std::nullopt;
  }
  return FormatDate(*result);
}

TEST_CASE("the epoch is day 0", "[date]") {
  CHECK(DaysFromCivil({1970, 1, 1}) == 0);
  CHECK(DaysFromCivil({1970, 1, 2}) == 1);
  CHECK(DaysFromCivil({1969, 12, 31}) == -1);
  CHECK(SameDate(CivilFromDays(0), {1970, 1, 1}));
  CHECK(DaysFromCivil({2000, 3, 1}) == 11017);
}

TEST_CASE("the valid range is 0001-01-01 to 9999-12-31", "[date]") {
  CHECK(DaysFromCivil({1, 1, 1}) == kMinDateDays);
  CHECK(DaysFromCivil({9999, 12, 31}) == kMaxDateDays);
  CHECK(DateInRange(kMinDateDays));
  CHECK(DateInRange(kMaxDateDays));
  CHECK_FALSE(DateInRange(int64_t{kMinDateDays} - 1));
  CHECK_FALSE(DateInRange(int64_t{kMaxDateDays} + 1));
}

// Checks the first, a middle and the last day of every month of `year`, and
// that consecutive months are adjacent.
void CheckYearRoundTrips(int32_t year) {
  for (int32_t month = 1; month <= 12; ++month) {
    int32_t last = DaysInMonth(year, month);
    for (int32_t day : {1, 15, last}) {
      CivilDate date{year, month, day};
      INFO(year << "-" << month << "-" << day);
      REQUIRE(SameDate(CivilFromDays(DaysFromCivil(date)), date));
    }
    CivilDate next = month == 12 ? CivilDate{year + 1, 1, 1} : CivilDate{year, month + 1, 1};
    INFO(year << "-" << month);
    REQUIRE(DaysFromCivil(next) == DaysFromCivil({year, month, last}) + 1);
  }
}

TEST_CASE("civil dates round-trip through day numbers", "[date]") {
  // Every year up to 2100 (which crosses the 400-year boundaries of 400,
  // 800, 1200, 1600 and 2000), then a sample up to 9999.
  for (int32_t year = 1; year <= 2100; ++year) {
    CheckYearRoundTrips(year);
  }
  for (int32_t year = 2101; year < 9999; year += 37) {
    CheckYearRoundTrips(year);
  }
  CheckYearRoundTrips(2400);
  CheckYearRoundTrips(9999);
}

TEST_CASE("day numbers round-trip through civil dates", "[date]") {
  for (int32_t days = kMinDateDays; days <= kMaxDateDays; days += 997) {
    CivilDate date = CivilFromDays(days);
    INFO(days);
    REQUIRE(date.month >= 1);
    REQUIRE(date.month <= 12);
    REQUIRE(date.day >= 1);
    REQUIRE(date.day <= DaysInMonth(date.year, date.month));
    REQUIRE(DaysFromCivil(date) == days);
  }
}

TEST_CASE("leap years follow the Gregorian rule", "[date]") {
  CHECK_FALSE(IsLeapYear(1900));
  CHECK(IsLeapYear(2000));
  CHECK(IsLeapYear(2024));
  CHECK_FALSE(IsLeapYear(2023));
  CHECK_FALSE(IsLeapYear(2100));
  CHECK(IsLeapYear(4));
  // A leap year has 366 days.
  CHECK(DaysFromCivil({2025, 1, 1}) - DaysFromCivil({2024, 1, 1}) == 366);
  CHECK(DaysFromCivil({1901, 1, 1}) - DaysFromCivil({1900, 1, 1}) == 365);
}

TEST_CASE("DaysInMonth", "[date]") {
  CHECK(DaysInMonth(1900, 2) == 28);
  CHECK(DaysInMonth(2000, 2) == 29);
  CHECK(DaysInMonth(2024, 2) == 29);
  CHECK(DaysInMonth(2025, 2) == 28);
  CHECK(DaysInMonth(2025, 1) == 31);
  CHECK(DaysInMonth(2025, 4) == 30);
  CHECK(DaysInMonth(2025, 6) == 30);
  CHECK(DaysInMonth(2025, 7) == 31);
  CHECK(DaysInMonth(2025, 8) == 31);
  CHECK(DaysInMonth(2025, 9) == 30);
  CHECK(DaysInMonth(2025, 11) == 30);
  CHECK(DaysInMonth(2025, 12) == 31);
}

TEST_CASE("ParseDate accepts exactly YYYY-MM-DD calendar days", "[date]") {
  CHECK(ParseDate("1970-01-01") == std::optional<int32_t>(0));
  CHECK(ParseDate("0001-01-01") == std::optional<int32_t>(kMinDateDays));
  CHECK(ParseDate("9999-12-31") == std::optional<int32_t>(kMaxDateDays));
  CHECK(ParseDate("2024-02-29") == std::optional<int32_t>(DaysFromCivil({2024, 2, 29})));
  CHECK(ParseDate("2000-02-29").has_value());

  CHECK_FALSE(ParseDate("2026-02-29").has_value());
  CHECK_FALSE(ParseDate("1900-02-29").has_value());
  CHECK_FALSE(ParseDate("2026-13-01").has_value());
  CHECK_FALSE(ParseDate("2026-00-10").has_value());
  CHECK_FALSE(ParseDate("2026-04-31").has_value());
  CHECK_FALSE(ParseDate("2026-01-32").has_value());
  CHECK_FALSE(ParseDate("2026-01-00").has_value());
  CHECK_FALSE(ParseDate("0000-01-01").has_value());
  CHECK_FALSE(ParseDate("2026-1-01").has_value());
  CHECK_FALSE(ParseDate("2026-01-1").has_value());
  CHECK_FALSE(ParseDate("12026-01-01").has_value());
  CHECK_FALSE(ParseDate(" 2026-01-01").has_value());
  CHECK_FALSE(ParseDate("2026-01-01 ").has_value());
  CHECK_FALSE(ParseDate("2026/01/01").has_value());
  CHECK_FALSE(ParseDate("+026-01-01").has_value());
  CHECK_FALSE(ParseDate("2026-0a-01").has_value());
  CHECK_FALSE(ParseDate("").has_value());
}

TEST_CASE("FormatDate pads to YYYY-MM-DD", "[date]") {
  CHECK(FormatDate(0) == "1970-01-01");
  CHECK(FormatDate(-1) == "1969-12-31");
  CHECK(FormatDate(kMinDateDays) == "0001-01-01");
  CHECK(FormatDate(kMaxDateDays) == "9999-12-31");
  CHECK(FormatDate(DaysFromCivil({2024, 2, 29})) == "2024-02-29");
  for (int32_t days = kMinDateDays; days <= kMaxDateDays; days += 7919) {
    INFO(days);
    REQUIRE(ParseDate(FormatDate(days)) == std::optional<int32_t>(days));
  }
}

TEST_CASE("AddMonths clamps to the end of the month", "[date]") {
  CHECK(AddMonthsText("2025-01-31", 1) == "2025-02-28");
  CHECK(AddMonthsText("2024-01-31", 1) == "2024-02-29");
  CHECK(AddMonthsText("2024-02-29", 12) == "2025-02-28");
  CHECK(AddMonthsText("2024-02-29", 48) == "2028-02-29");
  CHECK(AddMonthsText("2025-03-31", 1) == "2025-04-30");
  CHECK(AddMonthsText("2025-01-15", 0) == "2025-01-15");
  CHECK(AddMonthsText("2025-01-15", 11) == "2025-12-15");
  CHECK(AddMonthsText("2025-01-15", 12) == "2026-01-15");
  CHECK(AddMonthsText("2025-12-31", 2) == "2026-02-28");
}

TEST_CASE("AddMonths with negative months", "[date]") {
  CHECK(AddMonthsText("2025-01-15", -1) == "2024-12-15");
  CHECK(AddMonthsText("2025-01-15", -13) == "2023-12-15");
  CHECK(AddMonthsText("2024-03-31", -1) == "2024-02-29");
  CHECK(AddMonthsText("2025-03-31", -1) == "2025-02-28");
  CHECK(AddMonthsText("2025-02-28", -12) == "2024-02-28");
  CHECK(AddMonthsText("0001-02-01", -1) == "0001-01-01");
}

TEST_CASE("AddMonths outside 0001-9999 gives nothing", "[date]") {
  CHECK(AddMonthsText("9999-12-01", 1) == std::nullopt);
  CHECK(AddMonthsText("9999-11-30", 1) == "9999-12-30");
  CHECK(AddMonthsText("0001-01-31", -1) == std::nullopt);
  CHECK(AddMonthsText("2025-01-01", 12 * 8000) == std::nullopt);
  CHECK(AddMonthsText("2025-01-01", -12 * 3000) == std::nullopt);
  CHECK(AddMonthsText("2025-01-01", INT64_MAX) == std::nullopt);
  CHECK(AddMonthsText("2025-01-01", INT64_MIN) == std::nullopt);
}

}  // namespace
}  // namespace aipol
