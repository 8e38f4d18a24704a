#include "cli/options.h"

#include <algorithm>
#include <charconv>

namespace aipol {

std::optional<Options> ParseOptions(const std::vector<std::string>& args, std::string* error) {
  Options options;
  auto value_of = [&](size_t& i, const std::string& flag, std::string* out) {
    const std::string& arg = args[i];
    if (arg.size() > flag.size() && arg[flag.size()] == '=') {
      *out = arg.substr(flag.size() + 1);
      return true;
    }
    if (i + 1 >= args.size()) {
      *error = "`" + flag + "` needs a value";
      return false;
    }
    *out = args[++i];
    return true;
  };
  auto is = [](const std::string& arg, const std::string& flag) {
    return arg == flag || (arg.rfind(flag + "=", 0) == 0);
  };
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    std::string value;
    if (options.command.empty() && !arg.empty() && arg[0] != '-') {
      options.command = arg;
    } else if (arg == "-h" || arg == "--help") {
      options.help = true;
    } else if (is(arg, "-p") || is(arg, "--policy")) {
      if (!value_of(i, arg.rfind("--", 0) == 0 ? "--policy" : "-p", &value)) return std::nullopt;
      options.policies.push_back(value);
    } else if (arg.rfind("-I", 0) == 0 && arg.size() > 2) {
      options.search_roots.push_back(arg.substr(2));
    } else if (arg == "-I") {
      if (!value_of(i, "-I", &value)) return std::nullopt;
      options.search_roots.push_back(value);
    } else if (is(arg, "--format")) {
      if (!value_of(i, "--format", &options.format)) return std::nullopt;
    } else if (is(arg, "-o") || is(arg, "--output")) {
      if (!value_of(i, arg.rfind("--", 0) == 0 ? "--output" : "-o", &options.output)) return std::nullopt;
    } else if (is(arg, "--engine")) {
      if (!value_of(i, "--engine", &options.engine)) return std::nullopt;
      if (options.engine != "auto" && options.engine != "interp" && options.engine != "jit") {
        *error = "`--engine` is `auto`, `interp` or `jit`";
        return std::nullopt;
      }
    } else if (is(arg, "--fail-on")) {
      if (!value_of(i, "--fail-on", &value)) return std::nullopt;
      static const std::vector<std::string> kConditions = {"prohibited", "high", "open", "unknown", "error"};
      if (std::find(kConditions.begin(), kConditions.end(), value) == kConditions.end()) {
        *error = "`--fail-on` takes prohibited, high, open, unknown or error";
        return std::nullopt;
      }
      options.fail_on.push_back(value);
    } else if (is(arg, "--csv")) {
      if (!value_of(i, "--csv", &options.csv_variant)) return std::nullopt;
      if (options.csv_variant != "obligations" && options.csv_variant != "systems") {
        *error = "`--csv` takes `systems` or `obligations`";
        return std::nullopt;
      }
    } else if (is(arg, "--html-rows")) {
      if (!value_of(i, "--html-rows", &value)) return std::nullopt;
      size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || value.empty()) {
        *error = "`--html-rows` takes a number of systems (0: all)";
        return std::nullopt;
      }
      options.html_rows = n;
    } else if (arg.rfind("-j", 0) == 0 || is(arg, "--jobs")) {
      if (arg.size() > 2 && arg[1] == 'j') {
        value = arg.substr(2);
      } else if (!value_of(i, arg.rfind("--", 0) == 0 ? "--jobs" : "-j", &value)) {
        return std::nullopt;
      }
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 1 || n > 1024) {
        *error = "`-j` takes a number of threads from 1 to 1024";
        return std::nullopt;
      }
      options.jobs = n;
    } else if (arg == "--stats") {
      options.stats = true;
    } else if (arg == "--json-schema") {
      options.json_schema = true;
    } else if (arg == "--summary") {
      options.summary = true;
    } else if (is(arg, "--filter")) {
      if (!value_of(i, "--filter", &options.filter)) return std::nullopt;
    } else if (is(arg, "--as-of")) {
      if (!value_of(i, "--as-of", &options.as_of)) return std::nullopt;
    } else if (is(arg, "--set")) {
      if (!value_of(i, "--set", &value)) return std::nullopt;
      size_t eq = value.find('=');
      if (eq == std::string::npos || eq == 0) {
        *error = "`--set` takes NAME=LITERAL, e.g. `--set law_version=original_2024`";
        return std::nullopt;
      }
      options.sets.emplace_back(value.substr(0, eq), value.substr(eq + 1));
    } else if (is(arg, "--max-errors")) {
      if (!value_of(i, "--max-errors", &value)) return std::nullopt;
      size_t n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n == 0) {
        *error = "`--max-errors` takes a positive whole number";
        return std::nullopt;
      }
      options.max_errors = n;
    } else if (arg == "--werror") {
      options.werror = true;
    } else if (arg == "--no-color") {
      options.no_color = true;
    } else if (arg == "--quiet" || arg == "-q") {
      options.quiet = true;
    } else if (arg == "--strict") {
      options.strict = true;
    } else if (arg == "-w" || arg == "--write") {
      options.write = true;
    } else if (arg == "--check") {
      options.check = true;
    } else if (arg == "--explain") {
      options.explain = true;
    } else if (is(arg, "--depth")) {
      if (!value_of(i, "--depth", &value)) return std::nullopt;
      int n = 0;
      auto [end, ec] = std::from_chars(value.data(), value.data() + value.size(), n);
      if (ec != std::errc() || end != value.data() + value.size() || n < 0 || n > 20) {
        *error = "`--depth` takes a number from 0 to 20";
        return std::nullopt;
      }
      options.depth = n;
    } else if (is(arg, "--stdout")) {
      if (!value_of(i, "--stdout", &options.stdout_doc)) return std::nullopt;
      if (options.stdout_doc != "md" && options.stdout_doc != "html") {
        *error = "`--stdout` takes `md` or `html`";
        return std::nullopt;
      }
    } else if (arg == "--jit") {
      options.jit = true;
    } else if (arg == "--dump-llvm") {
      options.dump_llvm = true;
    } else if (arg == "--dump-ir") {
      options.dump_ir = true;
    } else if (arg == "-") {
      options.positional.push_back(arg);
    } else if (!arg.empty() && arg[0] == '-') {
      *error = "unknown option `" + arg + "`";
      return std::nullopt;
    } else {
      options.positional.push_back(arg);
    }
  }
  return options;
}

}  // namespace aipol
