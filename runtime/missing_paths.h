// The input paths that made a value unknown (`missing` in reports).
#pragma once

#include <initializer_list>
#include <memory>
#include <string>
#include <vector>

namespace aipol {

// A sorted list of unique paths, shared between the values that carry it.
// The interpreter copies values all the time (a declaration's memoised
// value is copied at every reference), and on a descriptor with most facts
// absent nearly every value is unknown with a dozen paths or more: copying
// them as strings made a record cost a millisecond, mostly in malloc
// (bench/RESULTS.md). Shared, a copy is a reference count, and merging a
// list with one it holds already allocates nothing.
class MissingPaths {
 public:
  MissingPaths() = default;
  // `paths` sorted and unique.
  MissingPaths(std::vector<std::string> paths);  // NOLINT: implicit, as the list it stands for
  MissingPaths(std::initializer_list<std::string> paths) : MissingPaths(std::vector<std::string>(paths)) {}

  const std::vector<std::string>& list() const { return paths_ ? *paths_ : Empty(); }
  // The list to fill in place, reusing its strings when no other value
  // shares it (the JIT reads every record's unknown facts into the same
  // values); a new one otherwise.
  std::vector<std::string>& Mutable();
  operator const std::vector<std::string>&() const { return list(); }  // NOLINT: read as the list
  bool empty() const { return !paths_ || paths_->empty(); }
  size_t size() const { return list().size(); }
  const std::string& operator[](size_t k) const { return list()[k]; }
  std::vector<std::string>::const_iterator begin() const { return list().begin(); }
  std::vector<std::string>::const_iterator end() const { return list().end(); }
  void clear() { paths_.reset(); }

  friend bool operator==(const MissingPaths& a, const MissingPaths& b) {
    return a.paths_ == b.paths_ || a.list() == b.list();
  }

  // The union of two lists: one of them, unchanged, when it holds the other.
  friend MissingPaths MergeMissing(const MissingPaths& a, const MissingPaths& b);

 private:
  static const std::vector<std::string>& Empty();
  // Never changed once shared (Mutable copies first); may be null.
  std::shared_ptr<std::vector<std::string>> paths_;
};

MissingPaths MergeMissing(const MissingPaths& a, const MissingPaths& b);

}  // namespace aipol
