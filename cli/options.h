// Command-line options shared by the commands.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aipol {

struct Options {
  std::string command;
  std::vector<std::string> positional;
  std::vector<std::string> policies;                      // -p/--policy
  std::vector<std::string> search_roots;                  // -I
  std::vector<std::pair<std::string, std::string>> sets;  // --set NAME=LITERAL
  std::string format;                                     // --format
  std::string as_of;                                      // --as-of
  std::string filter;                                     // --filter
  std::string output;                                     // -o/--output
  std::string engine = "auto";                            // --engine
  std::vector<std::string> fail_on;                       // --fail-on
  std::string csv_variant;                                // --csv obligations
  std::optional<size_t> html_rows;                        // --html-rows (0: all)
  int jobs = 0;                                           // -j (0: all cores)
  bool stats = false;
  bool summary = false;
  bool json_schema = false;
  size_t max_errors = 100;  // --max-errors
  bool werror = false;
  bool no_color = false;
  bool quiet = false;
  bool help = false;
  bool dump_ir = false;
  bool dump_llvm = false;
  bool jit = false;  // check --jit
  bool strict = false;
  bool write = false;      // fmt -w/--write
  bool check = false;      // fmt --check
  bool explain = false;    // eval --explain
  int depth = -1;          // explain --depth (-1: the command's default)
  std::string stdout_doc;  // doc --stdout md|html
};

// Parses `args` (without the program name). Returns nullopt and sets
// `error` on a usage error.
std::optional<Options> ParseOptions(const std::vector<std::string>& args, std::string* error);

}  // namespace aipol
