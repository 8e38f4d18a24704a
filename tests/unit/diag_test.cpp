#include "compiler/diag/diag.h"

#include <catch2/catch.hpp>
#include <cctype>
#include <set>
#include <sstream>
#include <string>
#include <string_view>

#include "compiler/source/source.h"

namespace aipol {
namespace {

using Catch::Matchers::Contains;

std::string RenderedText(const SourceManager& sources, const DiagnosticSink& sink) {
  std::ostringstream out;
  RenderText(sources, sink.diagnostics(), RenderOptions{}, out);
  return out.str();
}

std::string RenderedJson(const SourceManager& sources, const DiagnosticSink& sink) {
  std::ostringstream out;
  RenderJson(sources, sink.diagnostics(), out);
  return out.str();
}

TEST_CASE("every kind has a unique name and a well-formed message", "[diag]") {
  std::vector<DiagKind> kinds = AllDiagKinds();
  REQUIRE_FALSE(kinds.empty());
  std::set<std::string_view> names;
  for (DiagKind kind : kinds) {
    std::string_view name = DiagKindName(kind);
    std::string_view format = DiagKindFormat(kind);
    INFO(name);
    CHECK(names.insert(name).second);
    REQUIRE_FALSE(name.empty());
    CHECK(std::isupper(static_cast<unsigned char>(name.front())) != 0);
    REQUIRE_FALSE(format.empty());
    // STYLE.md: messages start lower-case and have no trailing period.
    CHECK(std::isupper(static_cast<unsigned char>(format.front())) == 0);
    CHECK(format.back() != '.');
  }
  CHECK(DiagKindName(DiagKind::UnknownName) == "UnknownName");
  CHECK(DiagKindSeverity(DiagKind::UnknownName) == Severity::Error);
  CHECK(DiagKindSeverity(DiagKind::UnusedImport) == Severity::Warning);
}

TEST_CASE("the sink counts errors and warnings", "[diag]") {
  DiagnosticSink sink;
  CHECK_FALSE(sink.has_errors());
  sink.Report(DiagKind::UnusedImport, SourceRange{}, "m");
  CHECK_FALSE(sink.has_errors());
  CHECK(sink.warning_count() == 1u);

  Diagnostic& error = sink.Report(DiagKind::UnknownName, SourceRange{}, "x");
  CHECK(error.kind == DiagKind::UnknownName);
  CHECK(error.severity == Severity::Error);
  CHECK(error.message == "unknown name `x`");
  CHECK(sink.has_errors());
  CHECK(sink.error_count() == 1u);
  CHECK(sink.warning_count() == 1u);
  REQUIRE(sink.diagnostics().size() == 2u);
  CHECK(sink.diagnostics()[0].message == "import `m` is never used");
}

TEST_CASE("the sink stops keeping errors at kMaxErrors", "[diag]") {
  DiagnosticSink sink;
  for (size_t i = 0; i < DiagnosticSink::kMaxErrors + 50; ++i) {
    sink.Report(DiagKind::UnknownName, SourceRange{}, "x" + std::to_string(i));
  }
  // The TooManyErrors entry is itself an error, so the count matches the list.
  CHECK(sink.error_count() == DiagnosticSink::kMaxErrors + 1);
  REQUIRE(sink.diagnostics().size() == DiagnosticSink::kMaxErrors + 1);
  const Diagnostic& last = sink.diagnostics().back();
  CHECK(last.kind == DiagKind::TooManyErrors);
  CHECK(last.severity == Severity::Error);
  CHECK(last.message == "too many errors; stopping after " + std::to_string(DiagnosticSink::kMaxErrors));
  CHECK(sink.diagnostics()[DiagnosticSink::kMaxErrors - 1].message ==
        "unknown name `x" + std::to_string(DiagnosticSink::kMaxErrors - 1) + "`");

  // Past the cap nothing is kept, but callers may still attach notes.
  sink.Report(DiagKind::UnusedImport, SourceRange{}, "m").notes.push_back({SourceRange{}, "n"});
  CHECK(sink.diagnostics().size() == DiagnosticSink::kMaxErrors + 1);
  CHECK(sink.warning_count() == 0u);
}

TEST_CASE("warnings do not count towards the cap", "[diag]") {
  DiagnosticSink sink;
  for (size_t i = 0; i < DiagnosticSink::kMaxErrors + 10; ++i) {
    sink.Report(DiagKind::UnusedImport, SourceRange{}, "m");
  }
  CHECK(sink.warning_count() == DiagnosticSink::kMaxErrors + 10);
  CHECK(sink.diagnostics().size() == DiagnosticSink::kMaxErrors + 10);
  CHECK(sink.diagnostics().back().kind == DiagKind::UnusedImport);
}

TEST_CASE("PromoteWarnings turns warnings into errors", "[diag]") {
  DiagnosticSink sink;
  sink.Report(DiagKind::UnusedImport, SourceRange{}, "a");
  sink.Report(DiagKind::UnknownName, SourceRange{}, "b");
  sink.Report(DiagKind::DuplicateImport, SourceRange{}, "c");
  sink.PromoteWarnings();
  CHECK(sink.error_count() == 3u);
  CHECK(sink.warning_count() == 0u);
  for (const Diagnostic& d : sink.diagnostics()) {
    CHECK(d.severity == Severity::Error);
  }
  // The kind stays, so `[UnusedImport]` is still printed.
  CHECK(sink.diagnostics()[0].kind == DiagKind::UnusedImport);
}

TEST_CASE("SortByLocation orders by file then offset, stably", "[diag]") {
  DiagnosticSink sink;
  sink.Report(DiagKind::UnknownName, {1, 5, 6}, "d");
  sink.Report(DiagKind::UnknownName, {0, 10, 11}, "c");
  sink.Report(DiagKind::UnknownName, {0, 2, 3}, "a");
  sink.Report(DiagKind::UnknownName, {0, 2, 4}, "b");
  sink.SortByLocation();
  std::string order;
  for (const Diagnostic& d : sink.diagnostics()) {
    order += d.message.substr(std::string_view("unknown name `").size(), 1);
  }
  CHECK(order == "abcd");
}

TEST_CASE("ClosestMatch suggests plausible typos only", "[diag]") {
  std::vector<std::string> fields = {"purposes", "provider", "deployer", "risk_level"};
  CHECK(ClosestMatch("purpose", fields) == "purposes");
  CHECK(ClosestMatch("provder", fields) == "provider");
  CHECK(ClosestMatch("risk_levle", fields) == "risk_level");
  CHECK(ClosestMatch("deployer", fields) == "deployer");
  CHECK(ClosestMatch("banana", fields) == "");
  CHECK(ClosestMatch("xyz", fields) == "");
  CHECK(ClosestMatch("purpose", {}) == "");
}

TEST_CASE("RenderText prints location, source line and caret", "[diag]") {
  SourceManager sources;
  FileId id = sources.Add("f.pol", "when purpose == 1");
  DiagnosticSink sink;
  sink.Report(DiagKind::UnknownName, {id, 5, 12}, "purpose");
  CHECK(RenderedText(sources, sink) ==
        "f.pol:1:6: error: unknown name `purpose` [UnknownName]\n"
        "   1 | when purpose == 1\n"
        "     |      ^~~~~~~\n");
}

TEST_CASE("RenderText aligns the caret by code points and prints notes", "[diag]") {
  SourceManager sources;
  // `x = "日本" + y`: the CJK characters are three bytes each.
  FileId id = sources.Add("u.pol", "x = \"\xE6\x97\xA5\xE6\x9C\xAC\" + y\n");
  DiagnosticSink sink;
  Diagnostic& d = sink.Report(DiagKind::UnknownName, {id, 15, 16}, "y");
  d.notes.push_back({SourceRange{}, "did you mean `x`?"});
  d.notes.push_back({{id, 0, 1}, "`x` is declared here"});
  sink.Report(DiagKind::UnusedImport, SourceRange{}, "m");
  CHECK(RenderedText(sources, sink) ==
        "u.pol:1:12: error: unknown name `y` [UnknownName]\n"
        "   1 | x = \"\xE6\x97\xA5\xE6\x9C\xAC\" + y\n"
        "     |            ^\n"
        "note: did you mean `x`?\n"
        "u.pol:1:1: note: `x` is declared here\n"
        "   1 | x = \"\xE6\x97\xA5\xE6\x9C\xAC\" + y\n"
        "     | ^\n"
        "warning: import `m` is never used [UnusedImport]\n");
}

TEST_CASE("RenderJson writes one object per diagnostic", "[diag]") {
  SourceManager sources;
  FileId id = sources.Add("f.pol", "when purpose == 1");
  DiagnosticSink sink;
  CHECK(RenderedJson(sources, sink) == "[]\n");

  sink.Report(DiagKind::UnknownName, {id, 5, 12}, "purpose")
      .notes.push_back({SourceRange{}, "did you mean `purposes`?"});
  std::string json = RenderedJson(sources, sink);
  CHECK_THAT(json, Contains(R"("file": "f.pol")"));
  CHECK_THAT(json, Contains(R"("line": 1)"));
  CHECK_THAT(json, Contains(R"("column": 6)"));
  CHECK_THAT(json, Contains(R"("end_line": 1)"));
  CHECK_THAT(json, Contains(R"("end_column": 13)"));
  CHECK_THAT(json, Contains(R"("severity": "error")"));
  CHECK_THAT(json, Contains(R"("kind": "UnknownName")"));
  CHECK_THAT(json, Contains(R"("message": "unknown name `purpose`")"));
  CHECK_THAT(json, Contains(R"("notes": [{"file": null)"));
  CHECK_THAT(json, Contains(R"("message": "did you mean `purposes`?"})"));
  CHECK(json.front() == '[');
  CHECK(json.substr(json.size() - 2) == "]\n");
}

}  // namespace
}  // namespace aipol
