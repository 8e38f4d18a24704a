#include "runtime/tri.h"

#include <catch2/catch.hpp>
#include <string>

namespace aipol {

// Printed names, so that a failed check shows `Unknown` instead of `2`.
static std::string TriName(Tri t) {
  switch (t) {
    case Tri::False: return "False";
    case Tri::True: return "True";
    case Tri::Unknown: return "Unknown";
  }
  return "Tri(" + std::to_string(static_cast<int>(t)) + ")";
}

}  // namespace aipol

namespace Catch {
template <>
struct StringMaker<aipol::Tri> {
  static std::string convert(aipol::Tri t) { return aipol::TriName(t); }
};
}  // namespace Catch

namespace aipol {
namespace {

constexpr Tri F = Tri::False, T = Tri::True, U = Tri::Unknown;

struct Row {
  Tri a, b, expected;
};

TEST_CASE("MakeTri maps bools to True and False", "[tri]") {
  CHECK(MakeTri(true) == T);
  CHECK(MakeTri(false) == F);
  // The enum's values are part of the ABI the JIT will share.
  CHECK(static_cast<int>(F) == 0);
  CHECK(static_cast<int>(T) == 1);
  CHECK(static_cast<int>(U) == 2);
}

TEST_CASE("And follows Kleene's strong table", "[tri]") {
  const Row table[] = {
      {F, F, F}, {F, T, F}, {F, U, F},  //
      {T, F, F}, {T, T, T}, {T, U, U},  //
      {U, F, F}, {U, T, U}, {U, U, U},
  };
  for (const Row& row : table) {
    INFO(TriName(row.a) << " and " << TriName(row.b));
    CHECK(And(row.a, row.b) == row.expected);
  }
}

TEST_CASE("Or follows Kleene's strong table", "[tri]") {
  const Row table[] = {
      {F, F, F}, {F, T, T}, {F, U, U},  //
      {T, F, T}, {T, T, T}, {T, U, T},  //
      {U, F, U}, {U, T, T}, {U, U, U},
  };
  for (const Row& row : table) {
    INFO(TriName(row.a) << " or " << TriName(row.b));
    CHECK(Or(row.a, row.b) == row.expected);
  }
}

TEST_CASE("Not swaps True and False and keeps Unknown", "[tri]") {
  CHECK(Not(F) == T);
  CHECK(Not(T) == F);
  CHECK(Not(U) == U);
}

TEST_CASE("Implies follows Kleene's strong table", "[tri]") {
  const Row table[] = {
      {F, F, T}, {F, T, T}, {F, U, T},  //
      {T, F, F}, {T, T, T}, {T, U, U},  //
      {U, F, U}, {U, T, T}, {U, U, U},
  };
  for (const Row& row : table) {
    INFO(TriName(row.a) << " implies " << TriName(row.b));
    CHECK(Implies(row.a, row.b) == row.expected);
  }
}

TEST_CASE("And and Or are commutative and De Morgan holds", "[tri]") {
  const Tri all[] = {F, T, U};
  for (Tri a : all) {
    for (Tri b : all) {
      INFO(TriName(a) << ", " << TriName(b));
      CHECK(And(a, b) == And(b, a));
      CHECK(Or(a, b) == Or(b, a));
      CHECK(Not(And(a, b)) == Or(Not(a), Not(b)));
      CHECK(Not(Or(a, b)) == And(Not(a), Not(b)));
    }
  }
}

}  // namespace
}  // namespace aipol
