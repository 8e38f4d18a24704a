#include "runtime/missing_paths.h"

#include <algorithm>
#include <iterator>

namespace aipol {

MissingPaths::MissingPaths(std::vector<std::string> paths) {
  if (!paths.empty()) paths_ = std::make_shared<std::vector<std::string>>(std::move(paths));
}

std::vector<std::string>& MissingPaths::Mutable() {
  if (!paths_ || paths_.use_count() != 1) paths_ = std::make_shared<std::vector<std::string>>();
  return *paths_;
}

const std::vector<std::string>& MissingPaths::Empty() {
  static const std::vector<std::string> empty;
  return empty;
}

MissingPaths MergeMissing(const MissingPaths& a, const MissingPaths& b) {
  if (b.empty() || a.paths_ == b.paths_) return a;
  if (a.empty()) return b;
  const std::vector<std::string>& x = a.list();
  const std::vector<std::string>& y = b.list();
  if (std::includes(x.begin(), x.end(), y.begin(), y.end())) return a;
  if (std::includes(y.begin(), y.end(), x.begin(), x.end())) return b;
  std::vector<std::string> out;
  out.reserve(x.size() + y.size());
  std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(out));
  return MissingPaths(std::move(out));
}

}  // namespace aipol
