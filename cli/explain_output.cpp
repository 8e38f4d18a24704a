#include "cli/explain_output.h"

#include <ostream>

#include "compiler/interp/explain.h"

namespace aipol {

std::optional<uint32_t> FindDeclaration(const ir::Program& program, const std::string& name,
                                        std::string* error) {
  std::vector<uint32_t> found;
  for (uint32_t d = 0; d < program.decls.size(); ++d) {
    if (program.decls[d].id == name) return d;
    if (program.decls[d].name == name) found.push_back(d);
  }
  if (found.size() == 1) return found[0];
  if (found.empty()) {
    *error =
        "the policy declares no rule, definition, exception, obligation or prohibition named `" + name + "`";
  } else {
    *error = "`" + name + "` is declared in several modules; name one of";
    for (uint32_t d : found) *error += " `" + program.decls[d].id + "`";
  }
  return std::nullopt;
}

ExplainSelection SelectAll(const ir::Program& program, const Results& results) {
  ExplainSelection s;
  s.facts = program.reports;
  std::vector<uint32_t> not_applying_obligations;
  for (size_t k = 0; k < program.prohibitions.size(); ++k) {
    bool applies = k < results.prohibitions.size() && results.prohibitions[k].status != Status::NotApplicable;
    (applies ? s.prohibitions : s.not_applying).push_back(program.prohibitions[k]);
  }
  for (size_t k = 0; k < program.obligations.size(); ++k) {
    bool applies = k < results.obligations.size() && results.obligations[k].status != Status::NotApplicable;
    (applies ? s.obligations : not_applying_obligations).push_back(program.obligations[k]);
  }
  s.not_applying.insert(s.not_applying.end(), not_applying_obligations.begin(),
                        not_applying_obligations.end());
  return s;
}

namespace {

std::string Count(size_t n, const char* one, const char* many) {
  return std::to_string(n) + " " + (n == 1 ? one : many);
}

}  // namespace

void WriteExplanationsText(std::ostream& out, const ir::Program& program, const EvalRequest& request,
                           const ExplainSelection& s, int depth, const std::string& heading) {
  out << heading << "\n";
  ExplanationTextWriter writer(program);
  auto section = [&](const std::string& title, const std::vector<uint32_t>& items) {
    out << "\n== " << title << " ==\n";
    if (items.empty()) out << "\nnone\n";
    for (uint32_t d : items) out << "\n" << writer.Write(Explain(program, request, d, depth));
  };
  section("Reported facts (" + std::to_string(s.facts.size()) + ")", s.facts);
  section("Prohibitions that apply or may apply (" + std::to_string(s.prohibitions.size()) + ")",
          s.prohibitions);
  section("Obligations that apply or may apply (" + std::to_string(s.obligations.size()) + ")",
          s.obligations);
  if (s.not_applying.empty()) return;
  out << "\n== Not applicable (" << Count(s.not_applying.size(), "item", "items") << ") ==\n";
  for (uint32_t d : s.not_applying)
    out << "\n" << ExplanationSummaryLine(program, Explain(program, request, d, 0));
}

void AppendExplanationsJson(std::string& out, const ir::Program& program, const EvalRequest& request,
                            const ExplainSelection& s, int depth) {
  out += "[";
  bool first = true;
  for (const std::vector<uint32_t>* items : {&s.facts, &s.prohibitions, &s.obligations, &s.not_applying}) {
    for (uint32_t d : *items) {
      if (!first) out += ", ";
      first = false;
      AppendExplanationJson(out, program, Explain(program, request, d, depth));
    }
  }
  out += "]";
}

}  // namespace aipol
