// The state of an `aipol repl` session: the policy, the declarations typed
// so far, the descriptor, the evaluation date, param overrides.
//
// Every input is checked together with the policy in an in-memory module
// `repl` that imports every loaded module and holds the session's
// declarations, so expressions see the whole policy and errors are the same
// diagnostics as `aipol check`, pointing into the text typed.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "cli/driver.h"
#include "cli/options.h"
#include "compiler/ir/ir.h"
#include "runtime/row.h"
#include "runtime/value.h"

namespace aipol::repl {

class Session {
 public:
  Session(const Options& options, Streams& streams);
  ~Session();

  // Compiles the policy; false (with diagnostics printed) when it fails.
  bool Start();
  // Handles one complete input. False after `:quit`.
  bool Handle(const std::string& input);
  // True when `text` cannot be complete: an open bracket or string, or a
  // trailing operator.
  static bool Incomplete(const std::string& text);
  // True when `text` starts a declaration (it continues on indented lines).
  static bool IsDeclaration(const std::string& text);
  // True when a declaration takes clauses on the lines that follow.
  static bool HasClauses(const std::string& text);
  // Candidates for completing `word`, which ends the line prefix `line`.
  std::vector<std::string> Complete(const std::string& line, const std::string& word);

 private:
  struct Compiled;
  // Compiles the policy with the session and, optionally, `extra` (a
  // declaration, or `def __it = EXPR`). Errors are printed unless quiet.
  std::unique_ptr<Compiled> Compile(const std::string& extra, bool quiet);
  void Evaluate(const std::string& expression, bool type_only);
  void Declare(const std::string& declaration);
  void Command(const std::string& line);
  bool LoadDescriptor(const Compiled& compiled, bool report);
  std::vector<Value> Params(const Compiled& compiled);

  Options options_;
  Streams& streams_;
  std::vector<std::string> policies_;
  std::vector<std::string> declarations_;
  std::optional<std::string> descriptor_path_;
  std::string descriptor_json_;
  std::optional<std::string> descriptor_id_;
  int32_t as_of_;
  std::vector<std::pair<std::string, std::string>> sets_;
  std::unique_ptr<Compiled> current_;
  Arena arena_;
  const uint8_t* row_ = nullptr;
};

}  // namespace aipol::repl
