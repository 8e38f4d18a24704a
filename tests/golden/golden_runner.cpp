// The golden test runner: runs a `.pol` file's own command in-process and
// compares what it prints with the expectations written in the file.
//
//   golden_runner [--update] FILE.pol...
//   golden_runner --coverage DIR
//
// A golden file carries its command in a `# ARGS:` line (`%s` stands for the
// file's name; double quotes group words with spaces), the expected output in
// `# CHECK:` lines and the expected exit code in a `# EXIT:` line. The command
// runs in the file's directory with an empty stdin; stdout and stderr go to
// one buffer so that they interleave as a user would see them. Files named
// `fail_*` must exit non-zero and all others zero. `--update` rewrites the
// expectations from the actual run. Files under a folder named `inputs` are
// data for other tests, never tests themselves.
//
// Everything is handled as bytes: neither the file nor the output has to be
// valid UTF-8.
#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdint>
#include <exception>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "cli/driver.h"
#include "compiler/diag/diag.h"

namespace fs = std::filesystem;

namespace {

constexpr std::string_view kArgsPrefix = "# ARGS:";
constexpr std::string_view kCheckPrefix = "# CHECK:";
constexpr std::string_view kExitPrefix = "# EXIT:";

// The diff table is quadratic; past this many cells the report falls back to
// listing all expected lines and then all actual lines.
constexpr size_t kMaxDiffCells = 4'000'000;
constexpr size_t kDiffContext = 3;

using Lines = std::vector<std::string>;

// One line of a golden file. The terminator is kept so that `--update` can
// write every line it does not own back unchanged.
struct RawLine {
  std::string content;     // without the terminator
  std::string terminator;  // "\n", "\r\n", or "" for a last line without one
};

struct GoldenFile {
  std::vector<RawLine> lines;
  std::optional<std::string> args;  // the text after `# ARGS:`
  std::string stdin_text;           // the `# STDIN:` lines, joined with newlines
  Lines checks;
  std::optional<int> exit_code;
};

struct RunResult {
  int exit_code = 0;
  std::string output;
  std::optional<std::string> crash;  // set when the driver threw
};

std::optional<std::string> ReadFile(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return std::nullopt;
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) {
    return std::nullopt;
  }
  return buffer.str();
}

std::vector<RawLine> SplitRawLines(std::string_view text) {
  std::vector<RawLine> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t newline = text.find('\n', start);
    if (newline == std::string_view::npos) {
      lines.push_back({std::string(text.substr(start)), ""});
      break;
    }
    size_t end = newline;
    if (end > start && text[end - 1] == '\r') {
      --end;
    }
    lines.push_back(
        {std::string(text.substr(start, end - start)), std::string(text.substr(end, newline + 1 - end))});
    start = newline + 1;
  }
  return lines;
}

// Output lines are split on '\n' only: a '\r' the driver prints is part of
// the line and must match exactly.
Lines SplitOutputLines(std::string_view output) {
  Lines lines;
  size_t start = 0;
  while (start < output.size()) {
    size_t newline = output.find('\n', start);
    if (newline == std::string_view::npos) {
      lines.emplace_back(output.substr(start));
      break;
    }
    lines.emplace_back(output.substr(start, newline - start));
    start = newline + 1;
  }
  return lines;
}

// The text after `prefix`, without the one space that separates it.
std::optional<std::string_view> DirectiveText(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix)) {
    return std::nullopt;
  }
  line.remove_prefix(prefix.size());
  if (line.starts_with(' ')) {
    line.remove_prefix(1);
  }
  return line;
}

bool IsExpectationLine(std::string_view line) {
  return line.starts_with(kCheckPrefix) || line.starts_with(kExitPrefix);
}

constexpr std::string_view kBlanks = " \t\r\f\v";

bool IsBlank(std::string_view line) { return line.find_first_not_of(kBlanks) == std::string_view::npos; }

std::string_view Trim(std::string_view text) {
  size_t begin = text.find_first_not_of(kBlanks);
  if (begin == std::string_view::npos) {
    return {};
  }
  return text.substr(begin, text.find_last_not_of(kBlanks) + 1 - begin);
}

std::optional<GoldenFile> ParseGoldenFile(std::string_view text, std::string* error) {
  GoldenFile file;
  file.lines = SplitRawLines(text);
  for (size_t i = 0; i < file.lines.size(); ++i) {
    std::string_view line = file.lines[i].content;
    std::string where = "line " + std::to_string(i + 1) + ": ";
    if (auto args = DirectiveText(line, kArgsPrefix)) {
      if (file.args) {
        *error = where + "a second `# ARGS:` line";
        return std::nullopt;
      }
      file.args = std::string(*args);
    } else if (auto in = DirectiveText(line, "# STDIN:")) {
      file.stdin_text += std::string(*in) + "\n";
    } else if (auto check = DirectiveText(line, kCheckPrefix)) {
      file.checks.emplace_back(*check);
    } else if (auto exit = DirectiveText(line, kExitPrefix)) {
      if (file.exit_code) {
        *error = where + "a second `# EXIT:` line";
        return std::nullopt;
      }
      int value = 0;
      std::string_view digits = Trim(*exit);
      auto [end, status] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
      if (status != std::errc() || end != digits.data() + digits.size() || digits.empty()) {
        *error = where + "`# EXIT:` needs an integer, found `" + std::string(*exit) + "`";
        return std::nullopt;
      }
      file.exit_code = value;
    }
  }
  if (!file.args) {
    *error = "no `# ARGS:` line";
    return std::nullopt;
  }
  return file;
}

void ReplaceAll(std::string& text, std::string_view from, std::string_view to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
}

// Splits on blanks; a double-quoted stretch may contain blanks and `""` is an
// empty word. `%s` becomes the file name after splitting, so a name with
// spaces stays one word.
std::optional<Lines> SplitArgs(std::string_view text, std::string_view file_name, std::string* error) {
  Lines words;
  std::string word;
  bool in_word = false;
  bool quoted = false;
  for (char c : text) {
    if (quoted) {
      if (c == '"') {
        quoted = false;
      } else {
        word.push_back(c);
      }
    } else if (c == '"') {
      quoted = true;
      in_word = true;
    } else if (c == ' ' || c == '\t' || c == '\r') {
      if (in_word) {
        words.push_back(std::move(word));
        word.clear();
        in_word = false;
      }
    } else {
      word.push_back(c);
      in_word = true;
    }
  }
  if (quoted) {
    *error = "unterminated `\"` in the `# ARGS:` line";
    return std::nullopt;
  }
  if (in_word) {
    words.push_back(std::move(word));
  }
  for (std::string& w : words) {
    ReplaceAll(w, "%s", file_name);
  }
  return words;
}

std::string CommandLine(const Lines& args) {
  std::string text = "aipol";
  for (const std::string& arg : args) {
    bool quote = arg.empty() || arg.find_first_of(" \t") != std::string::npos;
    text += quote ? " \"" + arg + "\"" : " " + arg;
  }
  return text;
}

// Runs the driver in `directory`, then returns to the directory we came from
// so that one invocation can run many files.
RunResult RunInDirectory(const fs::path& directory, const Lines& args, const std::string& stdin_text) {
  RunResult result;
  std::error_code ec;
  fs::path previous = fs::current_path(ec);
  fs::current_path(directory, ec);
  if (ec) {
    result.crash = "cannot enter `" + directory.string() + "`: " + ec.message();
    return result;
  }
  std::istringstream input(stdin_text);
  std::ostringstream output;
  try {
    result.exit_code = aipol::RunAipolOnLargeStack(args, aipol::Streams{input, output, output});
  } catch (const std::exception& e) {
    result.crash = std::string("the driver threw: ") + e.what();
  } catch (...) {
    result.crash = "the driver threw a non-standard exception";
  }
  result.output = output.str();
  fs::current_path(previous, ec);
  return result;
}

struct DiffRow {
  char sign;    // ' ' same, '-' only expected, '+' only actual
  size_t line;  // 1-based, in expected for ' ' and '-', in actual for '+'
  std::string_view text;
};

// A line diff by longest common subsequence over the part between the common
// prefix and suffix, which is all that differs in the usual case.
std::vector<DiffRow> DiffLines(const Lines& expected, const Lines& actual) {
  size_t prefix = 0;
  while (prefix < expected.size() && prefix < actual.size() && expected[prefix] == actual[prefix]) {
    ++prefix;
  }
  size_t suffix = 0;
  while (suffix < expected.size() - prefix && suffix < actual.size() - prefix &&
         expected[expected.size() - 1 - suffix] == actual[actual.size() - 1 - suffix]) {
    ++suffix;
  }
  size_t n = expected.size() - prefix - suffix;
  size_t m = actual.size() - prefix - suffix;
  auto e = [&](size_t i) -> const std::string& { return expected[prefix + i]; };
  auto a = [&](size_t j) -> const std::string& { return actual[prefix + j]; };

  bool use_table = n * m <= kMaxDiffCells;
  // lcs[i][j]: length of the longest common subsequence of e[i..n) and a[j..m).
  std::vector<std::vector<uint32_t>> lcs;
  if (use_table) {
    lcs.assign(n + 1, std::vector<uint32_t>(m + 1, 0));
    for (size_t i = n; i-- > 0;) {
      for (size_t j = m; j-- > 0;) {
        lcs[i][j] = e(i) == a(j) ? lcs[i + 1][j + 1] + 1 : std::max(lcs[i + 1][j], lcs[i][j + 1]);
      }
    }
  }

  std::vector<DiffRow> rows;
  for (size_t k = 0; k < prefix; ++k) {
    rows.push_back({' ', k + 1, expected[k]});
  }
  size_t i = 0;
  size_t j = 0;
  while (i < n || j < m) {
    if (use_table && i < n && j < m && e(i) == a(j)) {
      rows.push_back({' ', prefix + i + 1, e(i)});
      ++i;
      ++j;
    } else if (j >= m || (i < n && (!use_table || lcs[i + 1][j] >= lcs[i][j + 1]))) {
      rows.push_back({'-', prefix + i + 1, e(i)});
      ++i;
    } else {
      rows.push_back({'+', prefix + j + 1, a(j)});
      ++j;
    }
  }
  for (size_t k = expected.size() - suffix; k < expected.size(); ++k) {
    rows.push_back({' ', k + 1, expected[k]});
  }
  return rows;
}

// Prints the changed rows with a few lines of context; the first changed row
// is marked with `>`.
void PrintDiff(const Lines& expected, const Lines& actual, std::ostream& out) {
  std::vector<DiffRow> rows = DiffLines(expected, actual);
  std::vector<bool> shown(rows.size(), false);
  std::optional<size_t> first_change;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (rows[r].sign == ' ') {
      continue;
    }
    if (!first_change) {
      first_change = r;
    }
    size_t from = r >= kDiffContext ? r - kDiffContext : 0;
    size_t to = std::min(rows.size(), r + kDiffContext + 1);
    std::fill(shown.begin() + static_cast<std::ptrdiff_t>(from),
              shown.begin() + static_cast<std::ptrdiff_t>(to), true);
  }
  if (!first_change) {
    return;
  }
  out << "  output differs (- expected, + actual), first at line " << rows[*first_change].line << ":\n";
  bool skipped = false;
  for (size_t r = 0; r < rows.size(); ++r) {
    if (!shown[r]) {
      skipped = true;
      continue;
    }
    if (skipped) {
      out << "        ...\n";
      skipped = false;
    }
    out << "  " << (r == *first_change ? '>' : ' ') << ' ' << rows[r].sign << std::setw(5) << rows[r].line
        << " | " << rows[r].text << '\n';
  }
  if (skipped) {
    out << "        ...\n";
  }
}

// The file with its expectations replaced: old `# CHECK:`/`# EXIT:` lines and
// trailing blank lines go, the new ones are appended after one blank line.
// Everything else is kept byte for byte, including CRLF line ends.
std::string RewriteExpectations(const std::vector<RawLine>& lines, int exit_code, const Lines& output) {
  std::string newline = "\n";
  for (const RawLine& line : lines) {
    if (!line.terminator.empty()) {
      newline = line.terminator;
      break;
    }
  }
  std::vector<RawLine> kept;
  for (const RawLine& line : lines) {
    if (!IsExpectationLine(line.content)) {
      kept.push_back(line);
    }
  }
  while (!kept.empty() && IsBlank(kept.back().content)) {
    kept.pop_back();
  }
  std::string text;
  for (const RawLine& line : kept) {
    text += line.content;
    text += line.terminator.empty() ? newline : line.terminator;
  }
  text += newline;
  text += std::string(kExitPrefix) + " " + std::to_string(exit_code) + newline;
  for (const std::string& line : output) {
    text += line.empty() ? std::string(kCheckPrefix) : std::string(kCheckPrefix) + " " + line;
    text += newline;
  }
  return text;
}

bool WriteFile(const fs::path& path, std::string_view text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  out.close();
  return !out.fail();
}

// Runs one golden file; returns whether it passed (or, with `update`,
// whether it could be rewritten). Problems are reported on `report`.
bool RunGoldenFile(const std::string& shown_path, bool update, std::ostream& report) {
  fs::path path = fs::absolute(shown_path);
  std::string file_name = path.filename().string();
  auto fail = [&](std::string_view message) {
    report << "FAIL " << shown_path << ": " << message << '\n';
    return false;
  };

  std::optional<std::string> text = ReadFile(path);
  if (!text) {
    return fail("cannot read the file");
  }
  std::string error;
  std::optional<GoldenFile> golden = ParseGoldenFile(*text, &error);
  if (!golden) {
    return fail(error);
  }
  std::optional<Lines> args = SplitArgs(*golden->args, file_name, &error);
  if (!args) {
    return fail(error);
  }
  RunResult run = RunInDirectory(path.parent_path(), *args, golden->stdin_text);
  if (run.crash) {
    return fail(*run.crash);
  }
  Lines actual = SplitOutputLines(run.output);

  // Both engines must agree: an evaluation (`eval`, `batch`) that names no
  // engine runs again on the JIT and must print exactly the same.
  std::optional<std::string> engine_difference;
  bool evaluates = !args->empty() && ((*args)[0] == "eval" || (*args)[0] == "batch");
  if (evaluates && std::find(args->begin(), args->end(), "--engine") == args->end()) {
    Lines jit_args = *args;
    jit_args.insert(jit_args.begin() + 1, {"--engine", "jit"});
    RunResult jit = RunInDirectory(path.parent_path(), jit_args, golden->stdin_text);
    if (jit.crash) return fail("on the JIT: " + *jit.crash);
    if (jit.output != run.output || jit.exit_code != run.exit_code) {
      engine_difference = "the JIT's output differs from the interpreter's:\n" + jit.output;
    }
  }

  bool ok = true;
  // Set when the recorded expectations disagree with the run, which
  // `--update` fixes; a `fail_` naming problem needs a different fix.
  bool stale = false;
  std::ostringstream problems;
  bool expects_failure = file_name.starts_with("fail_");
  if (expects_failure && run.exit_code == 0) {
    problems << "  a `fail_` test must exit non-zero, but it exited 0\n";
    ok = false;
  } else if (!expects_failure && run.exit_code != 0) {
    problems << "  exited " << run.exit_code << "; only tests named `fail_*` may exit non-zero\n";
    ok = false;
  }

  if (update) {
    std::string rewritten = RewriteExpectations(golden->lines, run.exit_code, actual);
    if (rewritten != *text) {
      if (!WriteFile(path, rewritten)) {
        return fail("cannot write the file");
      }
      report << "updated " << shown_path << '\n';
    }
  } else {
    if (!golden->exit_code) {
      problems << "  no `# EXIT:` line yet\n";
      stale = true;
    } else if (*golden->exit_code != run.exit_code) {
      problems << "  exit code: expected " << *golden->exit_code << ", got " << run.exit_code << '\n';
      stale = true;
    }
    if (golden->checks != actual) {
      PrintDiff(golden->checks, actual, problems);
      stale = true;
    }
    ok = ok && !stale;
  }
  if (engine_difference) {
    // Never "fixed" by --update: one engine is wrong.
    problems << "  " << *engine_difference << '\n';
    ok = false;
  }

  if (!ok) {
    report << "FAIL " << shown_path << '\n' << "  command: " << CommandLine(*args) << '\n' << problems.str();
    if (stale) {
      report << "  to accept the actual output: golden_runner --update " << shown_path << '\n';
    }
  }
  return ok;
}

bool IsUnderInputs(const fs::path& relative) {
  return std::any_of(relative.begin(), relative.end(), [](const fs::path& part) { return part == "inputs"; });
}

// Adds every `[Name]` in `line` whose inside looks like a diagnostic kind.
void CollectKindNames(std::string_view line, std::set<std::string, std::less<>>& names) {
  for (size_t open = line.find('['); open != std::string_view::npos; open = line.find('[', open + 1)) {
    size_t end = open + 1;
    while (end < line.size() &&
           (std::isalnum(static_cast<unsigned char>(line[end])) != 0 || line[end] == '_')) {
      ++end;
    }
    if (end > open + 1 && end < line.size() && line[end] == ']') {
      names.emplace(line.substr(open + 1, end - open - 1));
    }
  }
}

// A diagnostic kind that no golden test prints is a kind nobody has seen
// work, so the coverage check fails until a test exercises it.
int RunCoverage(const fs::path& root) {
  std::error_code ec;
  if (!fs::is_directory(root, ec)) {
    std::cerr << "golden_runner: `" << root.string() << "` is not a directory\n";
    return 2;
  }
  std::set<std::string, std::less<>> exercised;
  for (auto it = fs::recursive_directory_iterator(root, ec); !ec && it != fs::recursive_directory_iterator();
       it.increment(ec)) {
    const fs::path& path = it->path();
    std::error_code type_error;
    if (!it->is_regular_file(type_error) || path.extension() != ".pol" ||
        IsUnderInputs(path.lexically_relative(root))) {
      continue;
    }
    std::optional<std::string> text = ReadFile(path);
    if (!text) {
      std::cerr << "golden_runner: cannot read `" << path.string() << "`\n";
      return 2;
    }
    for (const RawLine& line : SplitRawLines(*text)) {
      if (auto check = DirectiveText(line.content, kCheckPrefix)) {
        CollectKindNames(*check, exercised);
      }
    }
  }
  if (ec) {
    std::cerr << "golden_runner: cannot list `" << root.string() << "`: " << ec.message() << '\n';
    return 2;
  }

  std::vector<aipol::DiagKind> kinds = aipol::AllDiagKinds();
  size_t missing = 0;
  for (aipol::DiagKind kind : kinds) {
    std::string_view name = aipol::DiagKindName(kind);
    if (!exercised.contains(name)) {
      std::cout << "diagnostic kind never exercised by a golden test: " << name << '\n';
      ++missing;
    }
  }
  if (missing > 0) {
    std::cout << missing << " of " << kinds.size() << " diagnostic kinds never exercised\n";
    return 1;
  }
  std::cout << kinds.size() << " diagnostic kinds, all exercised\n";
  return 0;
}

int Usage() {
  std::cerr << "usage: golden_runner [--update] FILE.pol...\n"
               "       golden_runner --coverage DIR\n";
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (!args.empty() && args[0] == "--coverage") {
    return args.size() == 2 ? RunCoverage(args[1]) : Usage();
  }
  bool update = !args.empty() && args[0] == "--update";
  std::vector<std::string> files(args.begin() + (update ? 1 : 0), args.end());
  if (files.empty()) {
    return Usage();
  }
  bool all_ok = true;
  for (const std::string& file : files) {
    all_ok = RunGoldenFile(file, update, std::cout) && all_ok;
  }
  return all_ok ? 0 : 1;
}
