#include "compiler/diag/diag.h"

#include <algorithm>
#include <tuple>

namespace aipol {
namespace {

struct KindInfo {
  std::string_view name;
  Severity severity;
  std::string_view format;
};

constexpr KindInfo kKinds[] = {
#define AIPOL_DIAG(name, severity, message) {#name, Severity::severity, message},
#include "compiler/diag/diagnostic_kinds.def"
#undef AIPOL_DIAG
};

size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t above = row[j];
      size_t substitution = diagonal + (a[i - 1] == b[j - 1] ? 0 : 1);
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, substitution});
      diagonal = above;
    }
  }
  return row[b.size()];
}

}  // namespace

std::string_view DiagKindName(DiagKind kind) { return kKinds[static_cast<size_t>(kind)].name; }
Severity DiagKindSeverity(DiagKind kind) { return kKinds[static_cast<size_t>(kind)].severity; }
std::string_view DiagKindFormat(DiagKind kind) { return kKinds[static_cast<size_t>(kind)].format; }

std::vector<DiagKind> AllDiagKinds() {
  std::vector<DiagKind> kinds;
  for (size_t i = 0; i < std::size(kKinds); ++i) kinds.push_back(static_cast<DiagKind>(i));
  return kinds;
}

Diagnostic& DiagnosticSink::Add(DiagKind kind, SourceRange range, std::string message) {
  Severity severity = DiagKindSeverity(kind);
  if (capped_) return overflow_;
  if (severity == Severity::Error && errors_ >= max_errors_) {
    capped_ = true;
    ++errors_;
    diagnostics_.push_back({DiagKind::TooManyErrors,
                            Severity::Error,
                            range,
                            fmt::format(fmt::runtime(DiagKindFormat(DiagKind::TooManyErrors)), max_errors_),
                            {}});
    return overflow_;
  }
  (severity == Severity::Error ? errors_ : warnings_)++;
  diagnostics_.push_back({kind, severity, range, std::move(message), {}});
  return diagnostics_.back();
}

void DiagnosticSink::PromoteWarnings() {
  for (Diagnostic& d : diagnostics_) {
    if (d.severity == Severity::Warning) {
      d.severity = Severity::Error;
      --warnings_;
      ++errors_;
    }
  }
}

void DiagnosticSink::SortByLocation() {
  // The note that reporting stopped stays last.
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    bool a_cap = a.kind == DiagKind::TooManyErrors, b_cap = b.kind == DiagKind::TooManyErrors;
    return std::make_tuple(a_cap, a.range.file, a.range.begin) <
           std::make_tuple(b_cap, b.range.file, b.range.begin);
  });
}

std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string& candidate : candidates) {
    size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best_distance = distance;
      best = candidate;
    }
  }
  // A typo changes a few characters; anything further is a different word.
  // Names of one or two letters are too short to tell a typo from another name.
  if (word.size() <= 2) return std::string();
  size_t limit = std::max<size_t>(1, std::min<size_t>(3, word.size() / 3));
  return best_distance <= limit ? best : std::string();
}

}  // namespace aipol
