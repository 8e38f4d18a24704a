// Diagnostics: user errors as data.
//
// Every kind is declared once in diagnostic_kinds.def. Phases report into a
// DiagnosticSink; the CLI renders the collected list sorted by location, as
// text (with the source line and a caret) or as JSON.
#pragma once

#include <fmt/format.h>

#include <iosfwd>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/source/source.h"

namespace aipol {

enum class Severity { Error, Warning, Note };

enum class DiagKind : uint16_t {
#define AIPOL_DIAG(name, severity, message) name,
#include "compiler/diag/diagnostic_kinds.def"
#undef AIPOL_DIAG
};

std::string_view DiagKindName(DiagKind kind);
Severity DiagKindSeverity(DiagKind kind);
std::string_view DiagKindFormat(DiagKind kind);
std::vector<DiagKind> AllDiagKinds();

struct DiagNote {
  SourceRange range;  // may be invalid: the note is then a plain line
  std::string message;
};

struct Diagnostic {
  DiagKind kind;
  Severity severity;
  SourceRange range;
  std::string message;
  std::vector<DiagNote> notes;
};

class DiagnosticSink {
 public:
  // Caps what one run keeps, so a pathological input cannot flood output.
  static constexpr size_t kMaxErrors = 100;
  explicit DiagnosticSink(size_t max_errors = kMaxErrors) : max_errors_(max_errors) {}

  template <typename... Args>
  Diagnostic& Report(DiagKind kind, SourceRange range, const Args&... args) {
    return Add(kind, range, fmt::format(fmt::runtime(DiagKindFormat(kind)), args...));
  }
  Diagnostic& Add(DiagKind kind, SourceRange range, std::string message);

  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  size_t error_count() const { return errors_; }
  size_t warning_count() const { return warnings_; }
  bool has_errors() const { return errors_ > 0; }
  // Turns every warning into an error (`--werror`).
  void PromoteWarnings();
  void SortByLocation();

 private:
  std::vector<Diagnostic> diagnostics_;
  Diagnostic overflow_;  // receives reports past the cap
  size_t errors_ = 0;
  size_t warnings_ = 0;
  bool capped_ = false;
  size_t max_errors_;
};

struct RenderOptions {
  bool color = false;
};

// `path:line:col: error: message [Kind]`, the source line, a `^~~~` range and
// the notes.
void RenderText(const SourceManager& sources, const std::vector<Diagnostic>& diagnostics,
                const RenderOptions& options, std::ostream& out);
// A JSON array of {file, line, column, end_line, end_column, severity, kind,
// message, notes}.
void RenderJson(const SourceManager& sources, const std::vector<Diagnostic>& diagnostics, std::ostream& out);

// The closest candidate by edit distance, or empty when none is close enough
// to be a plausible typo.
std::string ClosestMatch(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace aipol
