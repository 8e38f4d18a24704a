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

TEST_CASE("Guesses are the names after the previous one, within the list", "[name_index]") {
  NameIndex index(Names(12));
  using Range = std::pair<uint32_t, uint32_t>;
  CHECK(index.Guesses(NameIndex::kNone) == Range{0, 4});  // from no previous name: the first ones
  CHECK(index.Guesses(4) == Range{5, 9});
  CHECK(index.Guesses(9) == Range{10, 12});  // cut at the end
  CHECK(index.Guesses(11) == Range{12, 12});
  CHECK(NameIndex().Guesses(NameIndex::kNone) == Range{0, 0});
  // Names that are prefixes of one another are told apart.
  NameIndex short_names({"a", "ab", "abc"});
  CHECK(short_names.Find("ab") == 1);
  CHECK(short_names.Find("abc") == 2);
  CHECK(short_names.Find("a") == 0);
}

TEST_CASE("RawEquals compares a JSON key as written with a name, word by word", "[name_index]") {
  // Names of every length around the word boundaries, and keys that are
  // the name, a prefix of it, it plus more, or it with one byte changed.
  std::vector<std::string> names;
  for (size_t length = 1; length <= 25; ++length) {
    std::string name;
    for (size_t k = 0; k < length; ++k) name += static_cast<char>('a' + (k * 7 + length) % 26);
    names.push_back(name);
  }
  NameIndex index(names);
  // The key as the loader sees it: its characters, the closing quote, what
  // follows in the document, then zeroed padding (simdjson's 64 bytes).
  auto raw = [](const std::string& key) { return key + "\": 1}" + std::string(64, '\0'); };
  for (uint32_t k = 0; k < names.size(); ++k) {
    const std::string& name = names[k];
    INFO(name);
    CHECK(index.RawEquals(k, raw(name).c_str()));
    CHECK_FALSE(index.RawEquals(k, raw(name.substr(0, name.size() - 1)).c_str()));
    CHECK_FALSE(index.RawEquals(k, raw(name + "x").c_str()));
    CHECK_FALSE(index.RawEquals(k, raw("").c_str()));
    for (size_t at = 0; at < name.size(); ++at) {
      std::string changed = name;
      changed[at] = '_';
      CHECK_FALSE(index.RawEquals(k, raw(changed).c_str()));
    }
    // Escaped as JSON allows (`\u0061` for `a`): never equal as written.
    CHECK_FALSE(index.RawEquals(k, raw("\\u00" + std::to_string(static_cast<int>(name[0]) / 16) +
                                       std::string(1, "0123456789abcdef"[name[0] % 16]) + name.substr(1))
                                       .c_str()));
  }
}

}  // namespace
}  // namespace aipol
