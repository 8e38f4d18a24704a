// MissingPaths: sorted unique paths shared between values (runtime/missing_paths.h).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "runtime/missing_paths.h"

namespace aipol {
namespace {

using Paths = std::vector<std::string>;

TEST_CASE("merging missing paths gives their sorted union", "[missing]") {
  MissingPaths a{"system.kind", "system.roles"};
  MissingPaths b{"system.name", "system.roles", "system.scope"};
  CHECK(MergeMissing(a, b).list() == Paths{"system.kind", "system.name", "system.roles", "system.scope"});
  CHECK(MergeMissing(b, a) == MergeMissing(a, b));
  CHECK(MergeMissing(a, {}).list() == a.list());
  CHECK(MergeMissing({}, b).list() == b.list());
  CHECK(MergeMissing({}, {}).empty());
}

TEST_CASE("a merge with a list already held shares it instead of copying", "[missing]") {
  MissingPaths all{"a", "b", "c"};
  MissingPaths some{"b"};
  // Same storage: the first element's address tells.
  CHECK(&MergeMissing(all, some)[0] == &all[0]);
  CHECK(&MergeMissing(some, all)[0] == &all[0]);
  MissingPaths copy = all;
  CHECK(&copy[0] == &all[0]);
}

TEST_CASE("filling a list in place never changes one that another value shares", "[missing]") {
  MissingPaths shared{"x", "y"};
  MissingPaths mine = shared;
  mine.Mutable() = Paths{"z"};
  CHECK(shared.list() == Paths{"x", "y"});
  CHECK(mine.list() == Paths{"z"});
  // Alone, it is filled where it is.
  const std::string* before = &mine[0];
  mine.Mutable()[0] = "w";
  CHECK(&mine[0] == before);
  CHECK(mine.list() == Paths{"w"});
  mine.Mutable().clear();
  CHECK(mine.empty());
  CHECK(mine.size() == 0);
}

}  // namespace
}  // namespace aipol
