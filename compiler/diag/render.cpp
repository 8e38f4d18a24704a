// Rendering diagnostics for people (text) and tools (JSON).
#include <ostream>

#include "compiler/diag/diag.h"
#include "runtime/json_text.h"

namespace aipol {
namespace {

std::string_view SeverityWord(Severity severity) {
  switch (severity) {
    case Severity::Error: return "error";
    case Severity::Warning: return "warning";
    case Severity::Note: return "note";
  }
  return "error";
}

std::string_view SeverityColor(Severity severity) {
  switch (severity) {
    case Severity::Error: return "\033[1;31m";
    case Severity::Warning: return "\033[1;35m";
    case Severity::Note: return "\033[1;36m";
  }
  return "";
}

// Prints the line of `range` with a `^~~~` marker under it. Tabs in the
// source are kept in the marker line so the caret stays aligned.
void RenderSnippet(const SourceFile& file, SourceRange range, const RenderOptions& options,
                   std::ostream& out) {
  LineColumn start = file.Position(range.begin);
  std::string_view line = file.Line(start.line);
  std::string number = std::to_string(start.line);
  std::string gutter(std::max<size_t>(number.size(), 4), ' ');
  out << gutter.substr(number.size()) << number << " | " << line << '\n';

  size_t column_byte = std::min<size_t>(range.begin - file.LineStart(start.line), line.size());
  std::string marker;
  for (char c : line.substr(0, column_byte)) {
    if (c == '\t') {
      marker.push_back('\t');
    } else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) {
      marker.push_back(' ');
    }
  }
  // The marker covers the range, clipped to the end of the first line.
  size_t span_bytes = range.end > range.begin ? range.end - range.begin : 1;
  std::string_view spanned = line.substr(column_byte, span_bytes);
  size_t width = std::max<size_t>(1, CountCodePoints(spanned));
  out << gutter << " | " << marker;
  if (options.color) out << "\033[1;32m";
  out << '^' << std::string(width - 1, '~');
  if (options.color) out << "\033[0m";
  out << '\n';
}

void RenderHeader(const SourceManager& sources, SourceRange range, Severity severity,
                  std::string_view message, std::string_view kind, const RenderOptions& options,
                  std::ostream& out) {
  if (range.valid()) {
    const SourceFile& file = sources.file(range.file);
    LineColumn at = file.Position(range.begin);
    out << file.path() << ':' << at.line << ':' << at.column << ": ";
  }
  if (options.color) out << SeverityColor(severity);
  out << SeverityWord(severity) << ':';
  if (options.color) out << "\033[0m";
  out << ' ' << message;
  if (!kind.empty()) out << " [" << kind << ']';
  out << '\n';
}

}  // namespace

void RenderText(const SourceManager& sources, const std::vector<Diagnostic>& diagnostics,
                const RenderOptions& options, std::ostream& out) {
  for (const Diagnostic& d : diagnostics) {
    RenderHeader(sources, d.range, d.severity, d.message, DiagKindName(d.kind), options, out);
    if (d.range.valid()) RenderSnippet(sources.file(d.range.file), d.range, options, out);
    for (const DiagNote& note : d.notes) {
      RenderHeader(sources, note.range, Severity::Note, note.message, "", options, out);
      if (note.range.valid()) RenderSnippet(sources.file(note.range.file), note.range, options, out);
    }
  }
}

void RenderJson(const SourceManager& sources, const std::vector<Diagnostic>& diagnostics, std::ostream& out) {
  auto position = [&](std::string& text, SourceRange range) {
    if (!range.valid()) {
      text += "\"file\": null, \"line\": null, \"column\": null, \"end_line\": null, \"end_column\": null";
      return;
    }
    const SourceFile& file = sources.file(range.file);
    LineColumn begin = file.Position(range.begin);
    LineColumn end = file.Position(range.end);
    text += "\"file\": " + JsonString(file.path()) + ", \"line\": " + std::to_string(begin.line) +
            ", \"column\": " + std::to_string(begin.column) + ", \"end_line\": " + std::to_string(end.line) +
            ", \"end_column\": " + std::to_string(end.column);
  };
  std::string text = "[";
  for (size_t i = 0; i < diagnostics.size(); ++i) {
    const Diagnostic& d = diagnostics[i];
    text += i == 0 ? "\n  {" : ",\n  {";
    position(text, d.range);
    text += ", \"severity\": " + JsonString(SeverityWord(d.severity));
    text += ", \"kind\": " + JsonString(DiagKindName(d.kind));
    text += ", \"message\": " + JsonString(d.message) + ", \"notes\": [";
    for (size_t n = 0; n < d.notes.size(); ++n) {
      text += n == 0 ? "{" : ", {";
      position(text, d.notes[n].range);
      text += ", \"message\": " + JsonString(d.notes[n].message) + "}";
    }
    text += "]}";
  }
  text += diagnostics.empty() ? "]\n" : "\n]\n";
  out << text;
}

}  // namespace aipol
