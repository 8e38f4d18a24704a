#include "cli/test_runner.h"

#include <algorithm>

#include "compiler/interp/explain.h"
#include "compiler/interp/interp.h"
#include "compiler/jit/jit.h"
#include "compiler/source/source.h"
#include "runtime/date.h"
#include "runtime/loader.h"

namespace aipol {
namespace {

std::string Describe(const Value& value, const ir::TypeTable& types) {
  if (!value.known()) {
    if (value.missing.empty()) return "unknown";
    std::string text = "unknown (missing:";
    for (const std::string& path : value.missing) text += " " + path;
    return text + ")";
  }
  return ValueToLiteral(value, types);
}

// The declarations an expectation names, explained one level deep: what a
// reviewer needs to see why a failing value came out as it did.
void DeclsIn(const ir::Expr& e, std::vector<uint32_t>& out) {
  if (e.op == ir::Op::DeclRef && std::find(out.begin(), out.end(), e.index) == out.end())
    out.push_back(e.index);
  for (const ir::ExprPtr& operand : e.operands) {
    if (operand) DeclsIn(*operand, out);
  }
}

std::string Derivation(const ir::Program& program, const EvalRequest& request, std::vector<uint32_t> decls) {
  std::string text;
  for (uint32_t id : decls) text += ExplanationText(program, Explain(program, request, id, 1));
  return text;
}

}  // namespace

TestInput LoadTestInput(const ir::Program& program, const ir::Test& test, const Interpreter& interpreter,
                        Arena& arena) {
  TestInput input;
  if (test.given_file) {
    std::string directory = test.directory;
    if (directory.rfind("<stdlib>", 0) == 0) directory = AIPOL_STDLIB_SOURCE_DIR + directory.substr(8);
    std::string path = directory.empty() ? *test.given_file : directory + "/" + *test.given_file;
    if (!ReadFile(path, &input.json)) {
      input.unreadable = "cannot read `" + path + "`";
      return input;
    }
  } else if (test.given_value) {
    std::optional<RuntimeError> error;
    Value record = interpreter.EvaluateExpr(*test.given_value, 0, {}, &error);
    AppendValueJson(input.json, record, program.types);
  }
  if (input.json.empty()) return input;
  RowLoader loader(program);
  LoadedRow loaded = loader.Load(input.json, arena, false);
  if (!loaded.ok()) {
    for (InputIssue& issue : loaded.issues) {
      if (issue.error) input.errors.push_back(std::move(issue));
    }
    return input;
  }
  input.row = loaded.row;
  return input;
}

std::vector<Value> TestParams(const ir::Test& test, std::vector<Value> defaults,
                              const Interpreter& interpreter) {
  for (const auto& [param, value] : test.sets) {
    std::optional<RuntimeError> error;
    defaults[param] = interpreter.EvaluateExpr(*value, 0, {}, &error);
  }
  return defaults;
}

TestOutcome RunTest(const LoadedPolicy& policy, size_t test_index, const JitEngine* jit) {
  const ir::Program& program = *policy.program;
  const ir::Test& test = program.tests[test_index];
  Interpreter interpreter(program);
  TestOutcome outcome;
  outcome.test = &test;

  Arena arena;
  TestInput input = LoadTestInput(program, test, interpreter, arena);
  if (!input.unreadable.empty()) {
    outcome.error = input.unreadable;
    return outcome;
  }
  if (!input.errors.empty()) {
    outcome.error = "the descriptor has input errors:";
    for (const InputIssue& issue : input.errors)
      outcome.error += " " + issue.path + ": " + issue.message + ";";
    return outcome;
  }
  std::vector<Value> params = TestParams(test, policy.params, interpreter);
  const uint8_t* row = input.row;
  EvalRequest request{row, test.as_of, &params};

  for (size_t k = 0; k < test.expects.size(); ++k) {
    const ir::Expect& expect = test.expects[k];
    std::optional<RuntimeError> error;
    // Both engines must agree on every expectation, whether it holds or not.
    if (jit) {
      std::optional<RuntimeError> interp_error, jit_error;
      std::string by_interp, by_jit;
      if (expect.kind == ir::ExpectKind::Value) {
        by_interp = Describe(interpreter.EvaluateExpr(*expect.expr, expect.locals, request, &interp_error),
                             program.types);
        by_jit = Describe(jit->EvaluateExpect(test_index, k, request, &jit_error), program.types);
      } else {
        by_interp =
            std::string(StatusName(interpreter.EvaluateStatus(expect.decl, request, &interp_error).status));
        by_jit = std::string(StatusName(jit->EvaluateStatus(expect.decl, request, &jit_error).status));
      }
      if (interp_error) by_interp = interp_error->kind;
      if (jit_error) by_jit = jit_error->kind;
      if (by_interp != by_jit) {
        outcome.failures.push_back({expect.range, "the same value from both engines",
                                    "interp gives " + by_interp + ", jit gives " + by_jit, ""});
        continue;
      }
    }
    if (expect.kind == ir::ExpectKind::Value) {
      // `expect a == b` shows both sides when it fails.
      const ir::Expr& e = *expect.expr;
      Value value = interpreter.EvaluateExpr(e, expect.locals, request, &error);
      if (!error && value.is_true()) continue;
      ExpectFailure failure{expect.range, "true", Describe(value, program.types), ""};
      if (e.op == ir::Op::Eq && !error) {
        std::optional<RuntimeError> ignored;
        failure.expected = Describe(
            interpreter.EvaluateExpr(*e.operands[1], expect.locals, request, &ignored), program.types);
        failure.actual = Describe(interpreter.EvaluateExpr(*e.operands[0], expect.locals, request, &ignored),
                                  program.types);
      }
      if (error) failure.actual = error->kind + ": " + error->message + " at " + policy.Locate(error->range);
      std::vector<uint32_t> decls;
      DeclsIn(e, decls);
      if (!error) failure.derivation = Derivation(program, request, decls);
      outcome.failures.push_back(std::move(failure));
      continue;
    }
    StatusResult status = interpreter.EvaluateStatus(expect.decl, request, &error);
    std::string actual(StatusName(status.status));
    if (error) actual = error->kind + ": " + error->message + " at " + policy.Locate(error->range);
    if (!error && actual == expect.status) continue;
    outcome.failures.push_back({expect.range, expect.status, actual,
                                error ? std::string() : Derivation(program, request, {expect.decl})});
  }
  outcome.passed = outcome.failures.empty();
  return outcome;
}

}  // namespace aipol
