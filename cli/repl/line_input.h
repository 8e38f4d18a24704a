// Reading the REPL's input: libedit line editing, history and completion on
// a terminal; plain lines without prompts otherwise (scripts, tests).
#pragma once

#include <functional>
#include <istream>
#include <optional>
#include <string>
#include <vector>

namespace aipol::repl {

class LineInput {
 public:
  using Completer = std::function<std::vector<std::string>(const std::string& line, const std::string& word)>;

  // `interactive`: read the terminal through libedit (history in
  // ~/.aipol_history, settings from ~/.editrc, e.g. `bind -v` for vi mode).
  LineInput(bool interactive, std::istream& in, Completer completer);
  ~LineInput();

  std::optional<std::string> Read(const char* prompt);
  // Records a whole entry (several lines recalled as one).
  void Remember(const std::string& entry);

 private:
  bool interactive_;
  std::istream& in_;
  std::string history_path_;
};

}  // namespace aipol::repl
