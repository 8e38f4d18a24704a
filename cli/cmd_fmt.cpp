// `aipol fmt [-w | --check] FILE...`: print, rewrite or check the canonical
// layout of policies (docs/fmt.md).
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <ostream>
#include <system_error>

#include "cli/commands.h"
#include "compiler/fmt/fmt.h"

namespace aipol {
namespace {

namespace fs = std::filesystem;

constexpr std::string_view kHelp = R"(usage: aipol fmt [-w | --check] FILE...

Prints policies in the canonical layout (docs/fmt.md): every comment is kept
and the result means exactly what the input means. FILE is a .pol file, a
directory (every .pol file under it) or - for standard input.

options:
  -w, --write   rewrite the files in place (only those that change)
  --check       print the files that are not formatted; exit 1 if any
  --no-color    no colour in diagnostics (also when NO_COLOR is set)

exit codes: 0 success, 1 syntax error, unformatted file (--check) or usage
error

example:
  aipol fmt policy.pol             # the formatted text on stdout
  aipol fmt -w lib/acme            # rewrite every .pol file under lib/acme
  aipol fmt --check stdlib/aiact   # in CI: list what is not formatted
)";

// The files named by the arguments: directories expanded to their `.pol`
// files, in sorted order.
bool ExpandFiles(const std::vector<std::string>& arguments, std::vector<std::string>* files,
                 Streams& streams) {
  for (const std::string& argument : arguments) {
    std::error_code error;
    if (argument != "-" && fs::is_directory(argument, error)) {
      std::vector<std::string> found;
      for (fs::recursive_directory_iterator it(argument, error), end; !error && it != end;
           it.increment(error)) {
        if (it->is_regular_file(error) && it->path().extension() == ".pol")
          found.push_back(it->path().string());
      }
      if (error) {
        streams.err << "aipol fmt: cannot read `" << argument << "`: " << error.message() << "\n";
        return false;
      }
      std::sort(found.begin(), found.end());
      files->insert(files->end(), found.begin(), found.end());
    } else {
      files->push_back(argument);
    }
  }
  return true;
}

// Replaces `path` through a temporary file in the same directory, so that a
// failure never leaves it half written.
bool WriteFile(const std::string& path, const std::string& text, std::string* error) {
  fs::path target(path);
  fs::path temporary = target;
  temporary += ".aipol-fmt.tmp";
  {
    std::ofstream out(temporary, std::ios::binary | std::ios::trunc);
    out << text;
    out.close();
    if (!out) {
      *error = "cannot write `" + temporary.string() + "`";
      std::error_code ignored;
      fs::remove(temporary, ignored);
      return false;
    }
  }
  std::error_code code;
  fs::permissions(temporary, fs::status(target, code).permissions(), code);
  fs::rename(temporary, target, code);
  if (code) {
    *error = code.message();
    std::error_code ignored;
    fs::remove(temporary, ignored);
    return false;
  }
  return true;
}

}  // namespace

int RunFmt(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  if (options.write && options.check) {
    streams.err << "aipol fmt: `-w` and `--check` do not go together\n";
    return kExitPolicyError;
  }
  if (options.positional.empty()) {
    streams.err << "aipol fmt: no files (give FILE... or - for standard input)\n";
    return kExitPolicyError;
  }
  std::vector<std::string> files;
  if (!ExpandFiles(options.positional, &files, streams)) return kExitPolicyError;
  if (options.write && std::find(files.begin(), files.end(), "-") != files.end()) {
    streams.err << "aipol fmt: `-w` cannot rewrite standard input\n";
    return kExitPolicyError;
  }

  SourceManager sources;
  DiagnosticSink diags(options.max_errors);
  bool failed = false;
  for (const std::string& path : files) {
    std::optional<FileId> file;
    if (path == "-") {
      file = sources.Add("<stdin>", std::string(std::istreambuf_iterator<char>(streams.in), {}));
    } else {
      std::string error;
      file = sources.Load(path, &error);
      if (!file) {
        streams.err << "aipol fmt: cannot read `" << path << "`: " << error << "\n";
        failed = true;
        continue;
      }
    }
    std::optional<std::string> formatted = Format(sources, *file, diags);
    if (!formatted) {
      failed = true;
      continue;
    }
    bool changed = *formatted != sources.file(*file).text();
    if (options.check) {
      if (changed) {
        streams.out << (path == "-" ? "<stdin>" : path) << "\n";
        failed = true;
      }
    } else if (options.write) {
      std::string error;
      if (changed && !WriteFile(path, *formatted, &error)) {
        streams.err << "aipol fmt: cannot rewrite `" << path << "`: " << error << "\n";
        failed = true;
      }
    } else {
      streams.out << *formatted;
    }
  }
  diags.SortByLocation();
  RenderOptions render;
  render.color = streams.err_is_terminal && !options.no_color && std::getenv("NO_COLOR") == nullptr;
  RenderText(sources, diags.diagnostics(), render, streams.err);
  return failed ? kExitPolicyError : kExitOk;
}

}  // namespace aipol
