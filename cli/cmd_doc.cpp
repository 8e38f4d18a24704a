// `aipol doc [-p POLICY] [-o DIR]`: the obligation catalogue for lawyers, as
// DIR/index.html (one self-contained page) and DIR/catalogue.md
// (docs/doc.md).
#include <filesystem>
#include <fstream>
#include <ostream>
#include <system_error>

#include "cli/commands.h"
#include "cli/doc/catalogue.h"
#include "cli/policy.h"

namespace aipol {
namespace {

constexpr std::string_view kHelp = R"(usage: aipol doc [OPTIONS]

Writes the obligation catalogue of a policy for lawyers: every prohibition and
obligation with its title, citations, actor, dates, text, conditions (as
written, with the names they use explained), the exceptions that can defeat
it and its module; the terms the conditions use; and an index by article.
Two files: DIR/index.html (one self-contained page, no scripts, works
offline) and DIR/catalogue.md (Markdown). Prints the paths it wrote.

options:
  -p, --policy POLICY      the policy (default: the AI Act standard library, `aiact`)
  -I DIR                   a search root for imports
  -o, --output DIR         where to write (default: aipol-doc)
  --set NAME=LITERAL       a setting for the dates the catalogue computes,
                           e.g. --set law_version=original_2024
  --stdout md|html         print one of the two documents instead of writing files
  --quiet                  do not print the paths written

exit codes: 0 written, 1 policy or usage error, or a file could not be written

example:
  aipol doc -o aipol-doc && open aipol-doc/index.html
)";

bool WriteFile(const std::filesystem::path& path, const std::string& text, std::string* error) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  if (!out) {
    *error = "cannot open it for writing";
    return false;
  }
  out << text;
  out.close();
  if (!out) {
    *error = "write failed";
    return false;
  }
  return true;
}

}  // namespace

int RunDoc(const Options& options, Streams& streams) {
  if (options.help) {
    streams.out << kHelp;
    return kExitOk;
  }
  if (!options.positional.empty()) {
    streams.err << "aipol doc: unexpected argument `" << options.positional[0]
                << "`; name the policy with -p (see `aipol doc --help`)\n";
    return kExitPolicyError;
  }
  std::optional<LoadedPolicy> policy = LoadPolicy(options, streams, "doc", false);
  if (!policy) return kExitPolicyError;

  std::string label;
  for (const std::string& p : options.policies) label += (label.empty() ? "" : ", ") + p;
  if (label.empty()) label = "aiact";
  CatalogueInput input{*policy->program, policy->params, policy->info, label, AIPOL_VERSION};

  if (!options.stdout_doc.empty()) {
    streams.out << (options.stdout_doc == "md" ? CatalogueMarkdown(input) : CatalogueHtml(input));
    return kExitOk;
  }
  std::filesystem::path dir = options.output.empty() ? "aipol-doc" : options.output;
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) {
    streams.err << "aipol doc: cannot create `" << dir.string() << "`: " << ec.message() << "\n";
    return kExitPolicyError;
  }
  for (const auto& [name, text] :
       {std::pair<const char*, std::string>{"index.html", CatalogueHtml(input)},
        std::pair<const char*, std::string>{"catalogue.md", CatalogueMarkdown(input)}}) {
    std::filesystem::path path = dir / name;
    std::string error;
    if (!WriteFile(path, text, &error)) {
      streams.err << "aipol doc: cannot write `" << path.string() << "`: " << error << "\n";
      return kExitPolicyError;
    }
    if (!options.quiet) streams.out << path.string() << "\n";
  }
  return kExitOk;
}

}  // namespace aipol
