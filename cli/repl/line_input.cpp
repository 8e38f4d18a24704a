#include "cli/repl/line_input.h"

#include <editline/readline.h>

#include <cstdlib>
#include <cstring>

namespace aipol::repl {
namespace {

// libedit's completion hooks are plain functions; they reach the session
// through this pointer while a line is being read.
LineInput::Completer* g_completer = nullptr;
std::vector<std::string> g_matches;

char* NextMatch(const char* text, int state) {
  if (state == 0) {
    g_matches.clear();
    if (g_completer != nullptr) {
      std::string line(rl_line_buffer, static_cast<size_t>(rl_point));
      g_matches = (*g_completer)(line, text);
    }
  }
  if (static_cast<size_t>(state) >= g_matches.size()) return nullptr;
  return strdup(g_matches[static_cast<size_t>(state)].c_str());
}

char** Complete(const char* text, int, int) {
  rl_attempted_completion_over = 1;  // no file-name completion
  return rl_completion_matches(text, NextMatch);
}

}  // namespace

LineInput::LineInput(bool interactive, std::istream& in, Completer completer)
    : interactive_(interactive), in_(in) {
  if (!interactive_) return;
  static Completer stored;
  stored = std::move(completer);
  g_completer = &stored;
  rl_readline_name = const_cast<char*>("aipol");
  rl_attempted_completion_function = Complete;
  rl_basic_word_break_characters = const_cast<char*>(" \t\n()[]{},.:=<>+-*/&|\"#");
  using_history();
  if (const char* home = std::getenv("HOME")) {
    history_path_ = std::string(home) + "/.aipol_history";
    read_history(history_path_.c_str());
  }
}

LineInput::~LineInput() {
  if (interactive_ && !history_path_.empty()) write_history(history_path_.c_str());
}

std::optional<std::string> LineInput::Read(const char* prompt) {
  if (!interactive_) {
    std::string line;
    if (!std::getline(in_, line)) return std::nullopt;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    return line;
  }
  char* line = readline(prompt);
  if (line == nullptr) return std::nullopt;
  std::string text(line);
  std::free(line);
  return text;
}

void LineInput::Remember(const std::string& entry) {
  if (!interactive_ || entry.empty()) return;
  add_history(entry.c_str());
}

}  // namespace aipol::repl
