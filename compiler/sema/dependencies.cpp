// Checking on demand, in dependency order, with cycle detection.
//
// A declaration is checked when first used (or at the end, if never used),
// so the order in which checks finish is a valid evaluation order. A use of
// a declaration that is still being checked closes a cycle.
#include <algorithm>

#include "compiler/sema/analyzer.h"

namespace aipol::sema {
namespace {

std::string CyclePath(const std::vector<std::string>& stack, const std::string& closing) {
  std::string path;
  auto start = std::find(stack.begin(), stack.end(), closing);
  for (auto it = start; it != stack.end(); ++it) path += *it + " -> ";
  return path + closing;
}

}  // namespace

void Analyzer::EnsureDecl(uint32_t id, SourceRange use) {
  PendingDecl& decl = decls_[id];
  if (decl.state == CheckState::Done) return;
  if (decl.state == CheckState::InProgress) {
    // One report per cycle, however often it is closed.
    if (reported_cycles_.insert(decl.ir.id).second) {
      diags_.Report(DiagKind::DependencyCycle, use, decl.ir.id, CyclePath(check_stack_names_, decl.ir.id));
    }
    return;
  }
  decl.state = CheckState::InProgress;
  check_stack_names_.push_back(decl.ir.id);
  CheckDecl(id);
  check_stack_names_.pop_back();
  decl.state = CheckState::Done;
  order_.push_back(id);
}

void Analyzer::EnsureFunction(uint32_t id, SourceRange use) {
  PendingFunction& f = functions_[id];
  std::string name = f.ir.module + "." + f.ir.name;
  if (f.state == CheckState::Done) return;
  if (f.state == CheckState::InProgress) {
    diags_.Report(DiagKind::DependencyCycle, use, name, CyclePath(check_stack_names_, name))
        .notes.push_back({{}, "functions cannot be recursive"});
    return;
  }
  f.state = CheckState::InProgress;
  check_stack_names_.push_back(name);
  CheckFunctionBody(id);
  check_stack_names_.pop_back();
  f.state = CheckState::Done;
}

namespace {

void Remap(ir::Expr* e, const std::vector<uint32_t>& new_index) {
  if (e == nullptr) return;
  if (e->op == ir::Op::DeclRef) e->index = new_index[e->index];
  for (ir::ExprPtr& operand : e->operands) Remap(operand.get(), new_index);
}

}  // namespace

// Declarations were numbered as declared; the program lists them in
// dependency order, so every DeclRef is renumbered.
void Analyzer::RemapDeclRefs(ir::Program& program, const std::vector<uint32_t>& new_index) {
  for (ir::Decl& d : program.decls) {
    for (ir::Expr* e : {d.value.get(), d.when.get(), d.unless.get(), d.actor_in_roles.get(), d.from.get(),
                        d.until.get(), d.evidence ? d.evidence->entry.get() : nullptr}) {
      Remap(e, new_index);
    }
    for (uint32_t& e : d.exceptions) e = new_index[e];
    if (d.target) d.target = new_index[*d.target];
  }
  for (ir::Function& f : program.functions) Remap(f.body.get(), new_index);
  for (ir::Test& t : program.tests) {
    Remap(t.given_value.get(), new_index);
    for (ir::Expect& expect : t.expects) {
      Remap(expect.expr.get(), new_index);
      if (expect.kind != ir::ExpectKind::Value) expect.decl = new_index[expect.decl];
    }
  }
  for (std::vector<uint32_t>* ids : {&program.reports, &program.obligations, &program.prohibitions}) {
    for (uint32_t& id : *ids) id = new_index[id];
  }
}

}  // namespace aipol::sema
