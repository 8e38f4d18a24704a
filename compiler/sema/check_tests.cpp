// `test` blocks: checked like everything else, run by `aipol test`.
#include <algorithm>
#include <filesystem>

#include "compiler/sema/analyzer.h"
#include "compiler/sema/expr_checker.h"
#include "compiler/sema/literal.h"

namespace aipol::sema {

using ir::TypeTable;

namespace {

const std::vector<std::string> kObligationStatuses = {"met",     "partial", "open",    "upcoming",
                                                      "expired", "stale",   "unknown", "not applicable"};
const std::vector<std::string> kProhibitionStatuses = {"violated", "upcoming", "unknown", "not applicable"};

std::string Listed(const std::vector<std::string>& words) {
  std::string text;
  for (size_t i = 0; i < words.size(); ++i) text += (i ? ", `" : "`") + words[i] + "`";
  return text;
}

}  // namespace

void Analyzer::CheckTests() {
  for (uint32_t m = 0; m < modules_.size(); ++m) {
    for (const ast::Decl& decl : modules_[m].ast->decls) {
      if (decl.kind != ast::DeclKind::Test) continue;
      ir::Test test;
      test.module = modules_[m].path;
      test.requested = loaded_[m].requested;
      test.description = decl.title.value_or("");
      test.range = decl.range;
      std::string file = sources_.file(decl.range.file).path();
      test.directory = std::filesystem::path(file).parent_path().string();
      bool has_as_of = false, has_given = false;
      for (const ast::TestStep& step : decl.steps) {
        BodyContext ctx{m, {}, 0, 0};
        switch (step.kind) {
          case ast::TestStepKind::GivenFile:
          case ast::TestStepKind::GivenExpr: {
            if (has_given) diags_.Report(DiagKind::DuplicateTestStep, step.range, "given");
            has_given = true;
            if (!program_->input) {
              diags_.Report(DiagKind::TestWithoutInput, step.range);
              break;
            }
            // `given system` uses the module that declares the input.
            if (input_symbol_ && input_symbol_->module != m) MarkImportUsed(m, input_symbol_->module);
            if (step.name.text != program_->input->name) {
              diags_.Report(DiagKind::TestInputMismatch, step.name.range, step.name.text,
                            program_->input->name);
              break;
            }
            if (step.kind == ast::TestStepKind::GivenFile) {
              test.given_file = step.path;
            } else {
              // An inline descriptor is a literal, like the JSON it stands for.
              test.given_value = CheckLiteral(types(), program_->input->type, *step.expr, diags_);
            }
            break;
          }
          case ast::TestStepKind::AsOf: {
            if (has_as_of) diags_.Report(DiagKind::DuplicateTestStep, step.range, "as_of");
            has_as_of = true;
            if (step.expr->kind != ast::ExprKind::DateLit) {
              diags_.Report(DiagKind::NotALiteral, step.expr->range, "a test's `as_of`");
              break;
            }
            test.as_of = static_cast<int32_t>(step.expr->int_value);
            break;
          }
          case ast::TestStepKind::Set: {
            // `set p` or `set module.p`; a param of a module this one does not
            // import can be named by its full path.
            const Symbol* symbol = LookupQualified(m, step.name.text, step.name.range);
            if (!symbol && last_lookup_ambiguous_) break;
            if (!symbol) {
              for (const PendingParam& p : params_) {
                if (p.ir.module + "." + p.ir.name == step.name.text) symbol = &p.symbol;
              }
            }
            if (!symbol || symbol->kind != SymbolKind::Param) {
              diags_.Report(DiagKind::UnknownParam, step.name.range, step.name.text);
              break;
            }
            ir::TypeId type = params_[symbol->id].ir.type;
            if (type == ir::TypeTable::kError) break;
            if (ir::ExprPtr value = CheckLiteral(types(), type, *step.expr, diags_)) {
              test.sets.emplace_back(symbol->id, std::move(value));
            }
            break;
          }
          case ast::TestStepKind::Expect: {
            ir::Expect expect{
                ir::ExpectKind::Value, step.range, CheckBool(*step.expr, ctx, "expect"), 0, "", 0};
            expect.locals = ctx.max_slots;
            test.expects.push_back(std::move(expect));
            break;
          }
          case ast::TestStepKind::ExpectObligation:
          case ast::TestStepKind::ExpectProhibition: {
            bool obligation = step.kind == ast::TestStepKind::ExpectObligation;
            SymbolKind wanted = obligation ? SymbolKind::Obligation : SymbolKind::Prohibition;
            const std::vector<std::string>& statuses =
                obligation ? kObligationStatuses : kProhibitionStatuses;
            const Symbol* symbol = LookupQualified(m, step.name.text, step.name.range);
            if (!symbol && last_lookup_ambiguous_) break;
            if (!symbol || symbol->kind != wanted) {
              diags_.Report(DiagKind::NotAnObligation, step.name.range, step.name.text,
                            obligation ? "an obligation" : "a prohibition");
              break;
            }
            if (std::find(statuses.begin(), statuses.end(), step.status.text) == statuses.end()) {
              diags_.Report(DiagKind::InvalidStatus, step.status.range, step.status.text,
                            obligation ? "an obligation" : "a prohibition", Listed(statuses));
              break;
            }
            decls_[symbol->id].uses++;
            test.expects.push_back(
                {obligation ? ir::ExpectKind::ObligationStatus : ir::ExpectKind::ProhibitionStatus,
                 step.range, nullptr, symbol->id, step.status.text, 0});
            break;
          }
        }
      }
      if (!has_as_of) diags_.Report(DiagKind::TestWithoutAsOf, decl.title_range, test.description);
      program_->tests.push_back(std::move(test));
    }
  }
}

}  // namespace aipol::sema
