// The order of citations in the catalogue's index (cli/doc/citation_order.h).
#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "cli/doc/citation_order.h"

using aipol::CitationGroup;
using aipol::CitationLess;

TEST_CASE("citations sort by article number, then annexes, recitals and the Code of Practice") {
  std::vector<std::string> expected = {
      "Art. 4",
      "Art. 4a",
      "Art. 5(1)",
      "Art. 5(1)(a)",
      "Art. 5(1)(b)",
      "Art. 5(1)(ba) [Omnibus 2026]",
      "Art. 5(1)(bb) [Omnibus 2026]",
      "Art. 5(1)(c)",
      "Art. 5(1)(h)(i)",
      "Art. 5(1)(h)(iv)",
      "Art. 5(1)(h)(v)",
      "Art. 5(1)(h)(ix)",
      "Art. 5(1a)(a)(ii) [Omnibus 2026]",
      "Art. 5(2)",
      "Art. 9",
      "Art. 16(i)",
      "Art. 16(j)",
      "Art. 26(7)",
      "Art. 26(7) [as amended]",
      "Art. 111(2)",
      "Annex I",
      "Annex I Section A(5)",
      "Annex III",
      "Annex III(4)(a)",
      "Annex III(10)",
      "Annex IV",
      "Annex IX",
      "Annex XI",
      "Recital 9",
      "Recital 53",
      "CoP Copyright M1.2",
      "CoP Safety & Security C2",
      "CoP Safety & Security C10",
      "CoP Transparency M1.1",
      "something else",
  };
  std::vector<std::string> shuffled = expected;
  std::reverse(shuffled.begin(), shuffled.end());
  std::rotate(shuffled.begin(), shuffled.begin() + 7, shuffled.end());
  std::sort(shuffled.begin(), shuffled.end(),
            [](const std::string& a, const std::string& b) { return CitationLess(a, b); });
  CHECK(shuffled == expected);
  for (const std::string& c : expected) CHECK_FALSE(CitationLess(c, c));
}

TEST_CASE("citation groups name the article, annex or chapter") {
  CHECK(CitationGroup("Art. 5(1)(a)") == "Art. 5");
  CHECK(CitationGroup("Art. 5(1)(ba) [Omnibus 2026]") == "Art. 5");
  CHECK(CitationGroup("Annex III(4)(a)") == "Annex III");
  CHECK(CitationGroup("CoP Safety & Security C10") == "CoP Safety & Security");
  CHECK(CitationGroup("Recital 53") == "Recital 53");
}
