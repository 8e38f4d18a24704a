#include "runtime/name_index.h"

#include <catch2/catch.hpp>
#include <string>
#include <vector>

namespace aipol {
namespace {

std::vector<std::string> Names(size_t n) {
  std::vector<std::string> names;
  for (size_t k = 0; k < n; ++k) names.push_back("field_" + std::to_string(k));
  return names;
}

TEST_CASE("a name index finds every name, scanned or hashed", "[name_index]") {
  // 8 names are scanned, 9 and more hashed: both sides of the line.
  for (size_t n : {0, 1, 8, 9, 40}) {
    NameIndex index(Names(n));
    for (uint32_t k = 0; k < n; ++k) CHECK(index.Find("field_" + std::to_string(k)) == k);
    CHECK(index.Find("field_") == NameIndex::kNone);
    CHECK(index.Find("") == NameIndex::kNone);
    CHECK(index.Find("field_" + std::to_string(n)) == NameIndex::kNone);
  }
}

TEST_CASE("a hashed name index tells apart names that share their first and last bytes", "[name_index]") {
  std::vector<std::string> names;
  for (size_t k = 0; k < 300; ++k) names.push_back("practices_" + std::to_string(k) + "_of_the_system");
  names.push_back("");
  names.push_back("x");
  NameIndex index(names);
  for (uint32_t k = 0; k < names.size(); ++k) CHECK(index.Find(names[k]) == k);
  CHECK(index.Find("practices_300_of_the_system") == NameIndex::kNone);
  CHECK(index.Find("practices__of_the_system") == NameIndex::kNone);
  CHECK(index.Find("y") == NameIndex::kNone);
}

TEST_CASE("FindAfter tries the next name first and finds any other", "[name_index]") {
  NameIndex index(Names(12));
  CHECK(index.FindAfter("field_0", NameIndex::kNone) == 0);  // the first name, from no previous one
  CHECK(index.FindAfter("field_5", 4) == 5);                 // the guess
  CHECK(index.FindAfter("field_8", 4) == 8);                 // after names left out
  CHECK(index.FindAfter("field_2", 4) == 2);                 // out of order
  CHECK(index.FindAfter("field_11", 11) == 11);              // a repeat of the last name
  CHECK(index.FindAfter("field_0", 11) == 0);                // past the end, no guess
  CHECK(index.FindAfter("nope", 3) == NameIndex::kNone);
  // Names that are prefixes of one another are told apart.
  NameIndex short_names({"a", "ab", "abc"});
  CHECK(short_names.FindAfter("ab", 0) == 1);
  CHECK(short_names.FindAfter("abc", 0) == 2);
  CHECK(short_names.FindAfter("a", 1) == 0);
}

}  // namespace
}  // namespace aipol
