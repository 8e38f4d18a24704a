// Helpers for the unit tests that compile a policy in-process and load
// descriptors into rows (loader_test.cpp, interp_test.cpp).
#pragma once

#include <unistd.h>

#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "compiler/diag/diag.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/ir.h"
#include "compiler/sema/check.h"
#include "compiler/source/source.h"
#include "runtime/loader.h"
#include "runtime/row.h"

namespace aipol::testing {

// A checked policy. Keeps the sources alive: runtime error ranges point into them.
struct CompiledPolicy {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  std::unique_ptr<ir::Program> program;
  std::vector<Value> params;
  std::string diagnostics;  // rendered, for failure messages

  const ir::Program& operator*() const { return *program; }
  const ir::Program* operator->() const { return program.get(); }
};

inline CompiledPolicy CheckRequest(const PolicyRequest& request) {
  CompiledPolicy policy;
  DiagnosticSink diags;
  CheckResult result = Check(request, *policy.sources, diags);
  std::ostringstream rendered;
  RenderText(*policy.sources, diags.diagnostics(), RenderOptions{}, rendered);
  policy.diagnostics = rendered.str();
  policy.program = std::move(result.program);
  if (policy.program) policy.params = Interpreter::DefaultParams(*policy.program);
  return policy;
}

// Writes `text` (which starts with `module NAME`, NAME one segment) to a
// fresh temporary directory as NAME.pol and checks it. The policy must be
// free of errors (warnings are allowed).
inline CompiledPolicy CompilePolicy(const std::string& text) {
  static int counter = 0;
  std::string_view header = "module ";
  REQUIRE(text.rfind(header, 0) == 0);
  size_t end = text.find_first_of(" \n", header.size());
  std::string module = text.substr(header.size(), end - header.size());
  std::filesystem::path dir = std::filesystem::temp_directory_path() /
                              ("aipol_unit_" + std::to_string(::getpid()) + "_" + std::to_string(counter++));
  std::filesystem::create_directories(dir);
  std::filesystem::path file = dir / (module + ".pol");
  {
    std::ofstream out(file, std::ios::binary);
    out << text;
  }
  PolicyRequest request;
  request.policies = {file.string()};
  CompiledPolicy policy = CheckRequest(request);
  std::filesystem::remove_all(dir);
  INFO(policy.diagnostics);
  REQUIRE(policy.program != nullptr);
  return policy;
}

// The embedded standard library module `aiact.system` (the descriptor schema).
inline CompiledPolicy CompileStdlibSystem() {
  PolicyRequest request;
  request.policies = {"aiact.system"};
  CompiledPolicy policy = CheckRequest(request);
  INFO(policy.diagnostics);
  REQUIRE(policy.program != nullptr);
  REQUIRE(policy.program->input.has_value());
  return policy;
}

// "Kind path" for an error, "Kind path (warning)" for a warning: compact and
// printed in full by Catch when a comparison fails.
inline std::string DescribeIssue(const InputIssue& issue) {
  std::string out =
      std::string(InputIssueKindName(issue.kind)) + " " + (issue.path.empty() ? "$" : issue.path);
  if (!issue.error) out += " (warning)";
  return out;
}

inline std::vector<std::string> Issues(const LoadedRow& row) {
  std::vector<std::string> out;
  for (const InputIssue& issue : row.issues) out.push_back(DescribeIssue(issue));
  return out;
}

inline std::string Messages(const LoadedRow& row) {
  std::string out;
  for (const InputIssue& issue : row.issues) out += DescribeIssue(issue) + ": " + issue.message + "\n";
  return out;
}

// Loads and evaluates one descriptor; `loaded` receives the row's issues.
// Requires the row to load without errors.
inline Results EvaluateJson(const CompiledPolicy& policy, std::string_view json, int32_t as_of, Arena& arena,
                            const std::vector<Value>* params = nullptr) {
  RowLoader loader(*policy.program);
  LoadedRow row = loader.Load(json, arena, false);
  INFO(json);
  INFO(Messages(row));
  REQUIRE(row.ok());
  EvalRequest request{row.row, as_of, params ? params : &policy.params};
  return Interpreter(*policy.program).Evaluate(request);
}

// Index of a reported fact / obligation / prohibition by declaration name.
inline size_t FactIndex(const ir::Program& program, std::string_view name) {
  for (size_t k = 0; k < program.reports.size(); ++k) {
    if (program.decls[program.reports[k]].name == name) return k;
  }
  FAIL("no reported fact `" << name << "`");
  return 0;
}

inline size_t ObligationIndex(const ir::Program& program, std::string_view name) {
  for (size_t k = 0; k < program.obligations.size(); ++k) {
    if (program.decls[program.obligations[k]].name == name) return k;
  }
  FAIL("no obligation `" << name << "`");
  return 0;
}

inline size_t ProhibitionIndex(const ir::Program& program, std::string_view name) {
  for (size_t k = 0; k < program.prohibitions.size(); ++k) {
    if (program.decls[program.prohibitions[k]].name == name) return k;
  }
  FAIL("no prohibition `" << name << "`");
  return 0;
}

}  // namespace aipol::testing
