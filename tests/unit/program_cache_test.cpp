// The program cache: a second check of the same policy is a hit that gives
// the same program and sources; any change to what loading looked at (an
// edited file, a new file in a policy directory, a module that now shadows
// the one loaded) is a miss; warnings and damaged entries are never used.
#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <string>

#include "compiler/ir/ir.h"
#include "compiler/sema/program_cache.h"

namespace aipol::testing {
namespace {

namespace fs = std::filesystem;

struct Checked {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  CheckResult result;
  bool hit = false;
  size_t diagnostics = 0;
};

class Scratch {
 public:
  Scratch() {
    static int counter = 0;
    root_ = fs::temp_directory_path() /
            ("aipol_program_cache_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
    fs::remove_all(root_);
    fs::create_directories(root_ / "cache");
  }
  ~Scratch() { fs::remove_all(root_); }

  void Write(const std::string& relative, const std::string& text) {
    fs::path path = root_ / relative;
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << text;
  }
  std::string Path(const std::string& relative) const { return (root_ / relative).string(); }
  std::string cache() const { return (root_ / "cache").string(); }
  size_t Entries() const {
    std::error_code ec;
    size_t count = 0;
    for (auto it = fs::directory_iterator(root_ / "cache" / "programs", ec); !ec && it != fs::end(it); ++it)
      ++count;
    return count;
  }

  Checked Check(const PolicyRequest& request) const {
    Checked checked;
    DiagnosticSink diags;
    checked.result = CheckWithCache(request, *checked.sources, diags, cache(), &checked.hit);
    checked.diagnostics = diags.diagnostics().size();
    return checked;
  }

 private:
  fs::path root_;
};

std::string Sources(const SourceManager& sources) {
  std::string out;
  for (FileId id = 0; id < sources.size(); ++id) {
    out += sources.file(id).path() + "\n" + std::string(sources.file(id).text()) + "\n";
  }
  return out;
}

void CheckSame(const Checked& hit, const Checked& fresh) {
  REQUIRE(hit.result.program);
  REQUIRE(fresh.result.program);
  CHECK(ir::Dump(*hit.result.program) == ir::Dump(*fresh.result.program));
  CHECK(Sources(*hit.sources) == Sources(*fresh.sources));
  CHECK(hit.result.module_count == fresh.result.module_count);
  CHECK(hit.result.declaration_count == fresh.result.declaration_count);
}

constexpr const char* kMain = R"pol(module app.main

import app.lib

record System { id: string required  ai: bool }
input system: System

## Whether the system is an AI system.
report rule is_ai "AI system"
  cite "Art. 3(1)"
  when system.ai and app.lib.in_scope
)pol";

constexpr const char* kLib = R"pol(module app.lib

## Everything is in scope here.
def in_scope: bool = true
)pol";

PolicyRequest DirectoryRequest(const Scratch& scratch) {
  PolicyRequest request;
  request.policies = {scratch.Path("policy/app/main.pol")};
  return request;
}

}  // namespace

TEST_CASE("a second check of the standard library is a hit with the same program", "[program-cache]") {
  Scratch scratch;
  PolicyRequest request;
  request.policies = {"aiact"};
  Checked first = scratch.Check(request);
  CHECK_FALSE(first.hit);
  CHECK(scratch.Entries() == 1);
  Checked second = scratch.Check(request);
  CHECK(second.hit);
  CHECK(second.diagnostics == 0);
  CheckSame(second, first);
}

TEST_CASE("an edited, added or shadowing policy file is a miss", "[program-cache]") {
  Scratch scratch;
  scratch.Write("policy/app/main.pol", kMain);
  scratch.Write("policy/app/lib.pol", kLib);
  PolicyRequest request = DirectoryRequest(scratch);
  Checked first = scratch.Check(request);
  INFO("diagnostics: " << first.diagnostics);
  REQUIRE(first.result.program);
  REQUIRE(first.diagnostics == 0);
  CHECK_FALSE(first.hit);
  CHECK(scratch.Check(request).hit);

  SECTION("an imported file edited") {
    scratch.Write("policy/app/lib.pol",
                  "module app.lib\n\n## Nothing is in scope now.\ndef in_scope: bool = false\n");
    Checked edited = scratch.Check(request);
    CHECK_FALSE(edited.hit);
    REQUIRE(edited.result.program);
    CHECK(ir::Dump(*edited.result.program) != ir::Dump(*first.result.program));
    CHECK(scratch.Check(request).hit);
  }
  SECTION("a module found first in an earlier search root") {
    scratch.Write("early/app/lib.pol", "module app.lib\n\n## Shadowed.\ndef in_scope: bool = false\n");
    request.search_roots = {scratch.Path("early")};
    Checked first_with_root = scratch.Check(request);  // another key: a miss
    CHECK_FALSE(first_with_root.hit);
    CHECK(scratch.Check(request).hit);
    // The same request, but now the earlier root no longer has it.
    fs::remove(scratch.Path("early/app/lib.pol"));
    Checked unshadowed = scratch.Check(request);
    CHECK_FALSE(unshadowed.hit);
    CheckSame(unshadowed, first);
  }
  SECTION("a file added to a policy directory") {
    PolicyRequest directory;
    directory.policies = {scratch.Path("policy")};
    CHECK_FALSE(scratch.Check(directory).hit);
    CHECK(scratch.Check(directory).hit);
    scratch.Write("policy/app/extra.pol", "module app.extra\n\n## Extra.\ndef extra: bool = true\n");
    Checked added = scratch.Check(directory);
    CHECK_FALSE(added.hit);
    CHECK(ir::Dump(*added.result.program).find("extra") != std::string::npos);
  }
  SECTION("a damaged entry") {
    for (const auto& entry : fs::directory_iterator(scratch.cache() + "/programs")) {
      std::fstream file(entry.path(), std::ios::binary | std::ios::in | std::ios::out);
      file.seekp(static_cast<std::streamoff>(fs::file_size(entry.path()) / 2));
      file.put('\x7f');
    }
    Checked damaged = scratch.Check(request);
    CHECK_FALSE(damaged.hit);
    CheckSame(damaged, first);
    CHECK(scratch.Check(request).hit);  // stored again, whole
  }
}

// Runs the rest of the scope in `dir`, and goes back.
class InDirectory {
 public:
  explicit InDirectory(const std::string& dir) : previous_(fs::current_path()) { fs::current_path(dir); }
  ~InDirectory() { fs::current_path(previous_); }

 private:
  fs::path previous_;
};

TEST_CASE("relative paths are checked where the run is: one entry serves directories with the same files",
          "[program-cache]") {
  Scratch scratch;
  for (const char* dir : {"a", "b"}) {
    scratch.Write(std::string(dir) + "/policy/app/main.pol", kMain);
    scratch.Write(std::string(dir) + "/policy/app/lib.pol", kLib);
  }
  PolicyRequest request;
  request.policies = {"policy/app/main.pol"};
  Checked in_a = [&] {
    InDirectory a(scratch.Path("a"));
    return scratch.Check(request);
  }();
  REQUIRE(in_a.result.program);
  CHECK_FALSE(in_a.hit);
  {
    InDirectory b(scratch.Path("b"));
    Checked in_b = scratch.Check(request);
    CHECK(in_b.hit);
    CheckSame(in_b, in_a);
    // The same relative file, other contents: b's own program.
    scratch.Write("b/policy/app/lib.pol", "module app.lib\n\n## Nothing in b.\ndef in_scope: bool = false\n");
    Checked edited = scratch.Check(request);
    CHECK_FALSE(edited.hit);
    REQUIRE(edited.result.program);
    CHECK(ir::Dump(*edited.result.program) != ir::Dump(*in_a.result.program));
  }
  CHECK(scratch.Entries() == 1);
}

TEST_CASE("a policy with warnings or errors is never stored", "[program-cache]") {
  Scratch scratch;
  SECTION("errors") {
    scratch.Write("bad/app/main.pol", "module app.main\n\ndef x: bool = 1\n");
    PolicyRequest request;
    request.policies = {scratch.Path("bad/app/main.pol")};
    Checked checked = scratch.Check(request);
    CHECK_FALSE(checked.result.program);
    CHECK(checked.diagnostics > 0);
    CHECK(scratch.Entries() == 0);
  }
  SECTION("warnings only") {
    // An unused import is a warning (warnings.cpp).
    scratch.Write("warn/app/lib.pol", kLib);
    scratch.Write("warn/app/main.pol",
                  "module app.main\n\nimport app.lib\n\n## Nothing.\ndef x: bool = true\n");
    PolicyRequest request;
    request.policies = {scratch.Path("warn/app/main.pol")};
    Checked checked = scratch.Check(request);
    REQUIRE(checked.result.program);
    INFO("diagnostics: " << checked.diagnostics);
    if (checked.diagnostics > 0) {
      CHECK(scratch.Entries() == 0);
      Checked again = scratch.Check(request);
      CHECK_FALSE(again.hit);
      CHECK(again.diagnostics == checked.diagnostics);
    }
  }
}

TEST_CASE("without a cache directory nothing is stored", "[program-cache]") {
  PolicyRequest request;
  request.policies = {"aiact"};
  SourceManager sources;
  DiagnosticSink diags;
  bool hit = true;
  CheckResult result = CheckWithCache(request, sources, diags, "", &hit);
  CHECK(result.program);
  CHECK_FALSE(hit);
}

}  // namespace aipol::testing
