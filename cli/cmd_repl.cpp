// `aipol repl [-p POLICY] [DESCRIPTOR.json]`: an interactive session.
#include <unistd.h>

#include <iostream>
#include <ostream>

#include "cli/commands.h"
#include "cli/repl/line_input.h"
#include "cli/repl/session.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol repl [OPTIONS] [DESCRIPTOR.json]

An interactive session over a policy (default: the AI Act standard library)
and, optionally, a descriptor: evaluate expressions, add declarations, ask
why an obligation applies. `:help` inside lists the commands. When standard
input is not a terminal, it reads the same input without prompts, so a
session can be scripted.

options:
  -p, --policy POLICY  the policy
  -I DIR               a search root for imports
  --as-of DATE         the evaluation date (default: today, UTC)
  --set NAME=LITERAL   override a param

example:
  aipol repl --as-of 2026-11-28 examples/systems/cv-ranker.json
)";

}  // namespace

int RunRepl(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  // Line editing only on a real terminal, reading the process's own stdin.
  bool interactive = &streams.in == &std::cin && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
  repl::Session session(options, streams);
  if (!session.Start()) return kExitPolicyError;
  repl::LineInput input(interactive, streams.in, [&](const std::string& line, const std::string& word) {
    return session.Complete(line, word);
  });
  if (interactive) streams.out << "aipol repl: :help lists the commands, :quit leaves\n";

  std::optional<std::string> pending;  // a line read ahead while finishing a declaration
  while (true) {
    std::optional<std::string> line = pending ? pending : input.Read(interactive ? "aipol> " : "");
    pending.reset();
    if (!line) break;
    std::string entry = *line;
    if (repl::Session::HasClauses(entry)) {
      // A declaration goes on over indented lines and ends at a blank or
      // unindented line (which is then read as the next input).
      while (true) {
        std::optional<std::string> next = input.Read(interactive ? "  ...> " : "");
        if (!next || next->find_first_not_of(" \t") == std::string::npos) break;
        if ((*next)[0] != ' ' && (*next)[0] != '\t' && !repl::Session::Incomplete(entry)) {
          pending = next;
          break;
        }
        entry += "\n" + *next;
      }
    } else {
      while (repl::Session::Incomplete(entry)) {
        std::optional<std::string> next = input.Read(interactive ? "  ...> " : "");
        if (!next) break;
        entry += "\n" + *next;
      }
    }
    input.Remember(entry);
    if (!session.Handle(entry)) break;
    streams.out.flush();
  }
  return kExitOk;
}

}  // namespace aipol
