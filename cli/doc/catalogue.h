// The obligation catalogue for lawyers (`aipol doc`, docs/doc.md): every
// prohibition and obligation of a policy with its title, citations, actor,
// dates, text, conditions as written (names linked to their explanations),
// the exceptions that can defeat it and its module; the terms those
// conditions use; and an index by article. As one self-contained HTML page
// and as Markdown.
#pragma once

#include <string>
#include <vector>

#include "compiler/ir/ir.h"
#include "runtime/report.h"
#include "runtime/value.h"

namespace aipol {

struct CatalogueInput {
  const ir::Program& program;
  const std::vector<Value>& params;  // effective values, by param id
  const PolicyInfo& info;
  std::string policy;   // the policy as named on the command line (`aiact`)
  std::string version;  // aipol's version
};

std::string CatalogueHtml(const CatalogueInput& input);
std::string CatalogueMarkdown(const CatalogueInput& input);

}  // namespace aipol
