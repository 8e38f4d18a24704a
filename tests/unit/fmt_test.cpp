// `aipol fmt`: rewriting in place, and layouts the golden tests do not
// reach (deep nesting, the width limit).
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <optional>
#include <sstream>
#include <string>

#include "cli/driver.h"
#include "compiler/diag/diag.h"
#include "compiler/fmt/fmt.h"
#include "compiler/source/source.h"

namespace {

namespace fs = std::filesystem;
using aipol::DiagnosticSink;
using aipol::SourceManager;

std::optional<std::string> FormatText(const std::string& text) {
  SourceManager sources;
  DiagnosticSink diags;
  return aipol::Format(sources, sources.Add("test.pol", text), diags);
}

std::string Read(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream out;
  out << in.rdbuf();
  return out.str();
}

void Write(const fs::path& path, const std::string& text) { std::ofstream(path, std::ios::binary) << text; }

int Run(const std::vector<std::string>& args, std::string* out = nullptr) {
  std::istringstream in;
  std::ostringstream stdout_text, stderr_text;
  int code = aipol::RunAipol(args, {in, stdout_text, stderr_text});
  if (out) *out = stdout_text.str() + stderr_text.str();
  return code;
}

fs::path TemporaryDirectory() {
  static int counter = 0;
  fs::path dir = fs::temp_directory_path() /
                 ("aipol_fmt_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  fs::create_directories(dir);
  return dir;
}

}  // namespace

TEST_CASE("fmt -w rewrites changed files only, keeping their permissions", "[fmt]") {
  fs::path dir = TemporaryDirectory();
  Write(dir / "messy.pol", "module messy\ndef   x=1\n");
  Write(dir / "clean.pol", "module clean\n\ndef x = 1\n");
  fs::permissions(dir / "messy.pol", fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read);
  auto clean_time = fs::last_write_time(dir / "clean.pol");

  std::string output;
  REQUIRE(Run({"fmt", "-w", dir.string()}, &output) == 0);
  CHECK(output.empty());
  CHECK(Read(dir / "messy.pol") == "module messy\n\ndef x = 1\n");
  CHECK(fs::status(dir / "messy.pol").permissions() ==
        (fs::perms::owner_read | fs::perms::owner_write | fs::perms::group_read));
  CHECK(fs::last_write_time(dir / "clean.pol") == clean_time);
  CHECK(!fs::exists(dir / "messy.pol.aipol-fmt.tmp"));

  REQUIRE(Run({"fmt", "--check", dir.string()}, &output) == 0);
  CHECK(output.empty());
  fs::remove_all(dir);
}

TEST_CASE("fmt -w leaves a file with syntax errors alone", "[fmt]") {
  fs::path dir = TemporaryDirectory();
  Write(dir / "broken.pol", "module broken\ndef x = \n");
  std::string output;
  CHECK(Run({"fmt", "-w", (dir / "broken.pol").string()}, &output) == 1);
  CHECK(output.find("[UnexpectedToken]") != std::string::npos);
  CHECK(Read(dir / "broken.pol") == "module broken\ndef x = \n");
  fs::remove_all(dir);
}

TEST_CASE("fmt handles nesting up to the parser's limits", "[fmt]") {
  std::string chain = "module deep\n\ndef x: bool =\n  a";
  for (int i = 0; i < 1500; ++i) chain += "\n  or a";
  std::optional<std::string> formatted = FormatText(chain + "\n");
  REQUIRE(formatted);
  CHECK(*formatted == chain + "\n");

  std::string parens = "module deep\n\ndef x: int = -";
  for (int i = 0; i < 150; ++i) parens += "(1 + ";
  parens += "1";
  for (int i = 0; i < 150; ++i) parens += ")";
  formatted = FormatText(parens + "\n");
  REQUIRE(formatted);
  CHECK(FormatText(*formatted) == formatted);
}

TEST_CASE("fmt keeps lines within 100 columns where it can", "[fmt]") {
  std::string text = "module wide\n\ndef s: set<string> = {";
  for (int i = 0; i < 40; ++i) text += (i ? ", \"element" : "\"element") + std::to_string(i) + "\"";
  text += "}\n";
  std::optional<std::string> formatted = FormatText(text);
  REQUIRE(formatted);
  std::istringstream lines(*formatted);
  std::string line;
  while (std::getline(lines, line)) CHECK(line.size() <= 100);
  CHECK(FormatText(*formatted) == formatted);
}

TEST_CASE("fmt returns nothing for a file that does not parse", "[fmt]") {
  CHECK(!FormatText("module m\nrule r when\n"));
  CHECK(!FormatText("def x = 1\n"));
}
