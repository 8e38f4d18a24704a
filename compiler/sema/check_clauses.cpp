// Clauses of rules, exceptions, obligations and prohibitions; roles and
// evidence, which give obligations their meaning.
#include "compiler/sema/analyzer.h"
#include "compiler/sema/expr_checker.h"

namespace aipol::sema {

using ir::Op;
using ir::TypeId;
using ir::TypeKind;
using ir::TypeTable;

// Roles come from `def roles: set<E>` when the policy declares one (so that
// roles gained by reasoning count), else from the input's `roles` field.
void Analyzer::FindRoles() {
  for (uint32_t id = 0; id < decls_.size(); ++id) {
    const PendingDecl& d = decls_[id];
    if (d.symbol.kind != SymbolKind::Def || d.ir.name != "roles") continue;
    TypeId type = d.ir.type;
    if (types().kind(type) == TypeKind::Set && types().kind(types().get(type).element) == TypeKind::Enum) {
      roles_decl_ = id;
      program_->role_enum = types().get(types().get(type).element).index;
      return;
    }
  }
  if (!program_->input) return;
  const ir::RecordInfo& input = types().records[program_->input->record];
  std::optional<uint32_t> field = input.Find("roles");
  if (!field) return;
  TypeId type = input.fields[*field].type;
  if (types().kind(type) == TypeKind::Set && types().kind(types().get(type).element) == TypeKind::Enum) {
    roles_field_ = field;
    program_->role_enum = types().get(types().get(type).element).index;
  }
}

void Analyzer::FindEvidenceAge() {
  const PendingParam* first = nullptr;
  for (uint32_t id = 0; id < params_.size(); ++id) {
    PendingParam& p = params_[id];
    if (p.ir.name != "evidence_max_age") continue;
    if (first != nullptr) {
      diags_.Report(DiagKind::DuplicateEvidenceAge, p.ir.range)
          .notes.push_back({first->ir.range, "first declared here"});
      continue;
    }
    first = &p;
    if (p.ir.type != TypeTable::kDuration) {
      diags_.Report(DiagKind::TypeMismatch, p.symbol.decl->type->range, "duration", TypeName(p.ir.type));
      continue;
    }
    program_->evidence_max_age = id;
    p.uses++;  // read by every obligation's status
  }
}

// An evidence entry is a record with a `status` enum that has `met` and
// `partial`, and optionally `ref: string` and `reviewed: date`.
std::optional<ir::EvidenceAccess> Analyzer::EvidenceFor(TypeId entry_type, SourceRange range, bool report) {
  auto fail = [&](const std::string& why) -> std::optional<ir::EvidenceAccess> {
    if (report) diags_.Report(DiagKind::InvalidEvidence, range, why);
    return std::nullopt;
  };
  if (types().kind(entry_type) != TypeKind::Record) {
    return fail("evidence must be a record with a `status` field, found `" + TypeName(entry_type) + "`");
  }
  ir::EvidenceAccess access;
  access.record = types().get(entry_type).index;
  const ir::RecordInfo& record = types().records[access.record];
  std::optional<uint32_t> status = record.Find("status");
  if (!status || types().kind(record.fields[*status].type) != TypeKind::Enum) {
    return fail("evidence record `" + record.name + "` needs a `status` enum field");
  }
  const ir::EnumInfo& statuses = types().enums[types().get(record.fields[*status].type).index];
  std::optional<uint32_t> met = statuses.Find("met"), partial = statuses.Find("partial");
  if (!met || !partial)
    return fail("the evidence status enum `" + statuses.name + "` needs members `met` and `partial`");
  access.status_field = *status;
  access.met_member = *met;
  access.partial_member = *partial;
  std::optional<uint32_t> reviewed = record.Find("reviewed");
  if (reviewed && record.fields[*reviewed].type == TypeTable::kDate) access.reviewed_field = reviewed;
  std::optional<uint32_t> ref = record.Find("ref");
  if (ref && record.fields[*ref].type == TypeTable::kString) access.ref_field = ref;
  return access;
}

// Without an `evidence` clause, an obligation reads
// `<input>.evidence[primary citation]` when the input has such a map.
ir::ExprPtr Analyzer::ImplicitEvidence(PendingDecl& d) {
  if (!program_->input || d.ir.citations.empty()) return nullptr;
  const ir::RecordInfo& input = types().records[program_->input->record];
  std::optional<uint32_t> field = input.Find("evidence");
  if (!field) return nullptr;
  TypeId map_type = input.fields[*field].type;
  if (types().kind(map_type) != TypeKind::Map) return nullptr;
  std::optional<ir::EvidenceAccess> access = EvidenceFor(types().get(map_type).element, d.ir.range, false);
  if (!access) return nullptr;
  auto root = std::make_unique<ir::Expr>(Op::Input, program_->input->type, d.ir.range);
  auto map = std::make_unique<ir::Expr>(Op::Field, map_type, d.ir.range);
  map->index = *field;
  map->text = "evidence";
  map->operands.push_back(std::move(root));
  auto get = std::make_unique<ir::Expr>(Op::MapGet, types().get(map_type).element, d.ir.range);
  get->text = d.ir.citations[0];
  auto [it, inserted] = map_keys_.emplace(get->text, static_cast<uint32_t>(map_keys_.size()));
  get->index = it->second;
  get->operands.push_back(std::move(map));
  access->entry = std::move(get);
  d.ir.evidence = std::move(access);
  return nullptr;
}

void Analyzer::CheckClauses(PendingDecl& d) {
  const ast::Decl& decl = *d.symbol.decl;
  BodyContext ctx{d.symbol.module, {}, 0, 0};
  auto check_date = [&](const ast::Expr& e) {
    return Coerce(CheckExpr(e, ctx, TypeTable::kDate), TypeTable::kDate, e.range);
  };
  const ast::Clause* actor = nullptr;
  for (const ast::Clause& clause : decl.clauses) {
    switch (clause.kind) {
      case ast::ClauseKind::Cite:
        for (const ast::Citation& c : clause.citations) d.ir.citations.push_back(c.text);
        break;
      case ast::ClauseKind::When: d.ir.when = CheckBool(*clause.expr, ctx, "when"); break;
      case ast::ClauseKind::Unless: d.ir.unless = CheckBool(*clause.expr, ctx, "unless"); break;
      case ast::ClauseKind::From: d.ir.from = check_date(*clause.expr); break;
      case ast::ClauseKind::Until: d.ir.until = check_date(*clause.expr); break;
      case ast::ClauseKind::Text: d.ir.text = clause.text; break;
      case ast::ClauseKind::Actor: actor = &clause; break;
      case ast::ClauseKind::Evidence: {
        ir::ExprPtr entry = CheckExpr(*clause.expr, ctx, kNoExpectation);
        if (entry->type == TypeTable::kError) break;
        std::optional<ir::EvidenceAccess> access = EvidenceFor(entry->type, clause.expr->range, true);
        if (access) {
          access->entry = std::move(entry);
          d.ir.evidence = std::move(access);
        }
        break;
      }
    }
  }
  if (actor) {
    if (!program_->role_enum) {
      diags_.Report(DiagKind::NoRoles, actor->range);
    } else {
      const ir::EnumInfo& roles = types().enums[*program_->role_enum];
      std::optional<uint32_t> member = roles.Find(actor->actor.text);
      if (!member) {
        Diagnostic& diag =
            diags_.Report(DiagKind::UnknownActor, actor->actor.range, actor->actor.text, roles.name);
        std::string close = ClosestMatch(actor->actor.text, roles.members);
        if (!close.empty()) diag.notes.push_back({{}, "did you mean `" + close + "`?"});
      } else {
        d.ir.actor = *member;
        d.ir.actor_name = actor->actor.text;
        TypeId role_type = types().Enum(*program_->role_enum);
        ir::ExprPtr roles_value;
        if (roles_decl_) {
          EnsureDecl(*roles_decl_, actor->actor.range);
          decls_[*roles_decl_].uses++;
          roles_value = std::make_unique<ir::Expr>(Op::DeclRef, types().Set(role_type), actor->actor.range);
          roles_value->index = *roles_decl_;
        } else {
          auto root = std::make_unique<ir::Expr>(Op::Input, program_->input->type, actor->actor.range);
          roles_value = std::make_unique<ir::Expr>(Op::Field, types().Set(role_type), actor->actor.range);
          roles_value->index = *roles_field_;
          roles_value->text = "roles";
          roles_value->operands.push_back(std::move(root));
        }
        auto constant = std::make_unique<ir::Expr>(Op::Const, role_type, actor->actor.range);
        constant->constant.integer = *member;
        auto in = std::make_unique<ir::Expr>(Op::In, TypeTable::kBool, actor->actor.range);
        in->operand_type = types().Set(role_type);
        in->operands.push_back(std::move(constant));
        in->operands.push_back(std::move(roles_value));
        d.ir.actor_in_roles = std::move(in);
      }
    }
  }
  if (d.symbol.kind == SymbolKind::Obligation && !d.ir.evidence) ImplicitEvidence(d);
  d.ir.locals = ctx.max_slots;
}

}  // namespace aipol::sema
