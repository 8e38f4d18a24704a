// Declarations, statuses and the results of one descriptor.
#include "compiler/interp/interp.h"

#include <algorithm>

#include "compiler/interp/evaluator.h"
#include "runtime/date.h"
#include "runtime/row.h"

namespace aipol {
namespace interp {

using ir::Op;

Evaluator::Evaluator(const ir::Program& program, const EvalRequest& request)
    : program_(program), request_(request), memo_(program.decls.size()) {}

Value Evaluator::Fail(const char* kind, const std::string& message, SourceRange range) {
  if (!error_) error_ = RuntimeError{kind, message, range};
  return Value::Unknown(ir::TypeTable::kError);
}

Value Evaluator::UnknownFrom(ir::TypeId type, const Value& a, const Value& b) {
  MissingPaths missing;
  if (!a.known()) missing = a.missing;
  if (!b.known()) missing = MergeMissing(missing, b.missing);
  return Value::Unknown(type, std::move(missing));
}

Value Evaluator::Decl(uint32_t id) {
  if (memo_[id]) return *memo_[id];
  const ir::Decl& d = program_.decls[id];
  // Each declaration has its own binder slots.
  std::vector<Value> frame(d.locals);
  std::swap(frame, locals_);
  Value value;
  switch (d.kind) {
    case ir::DeclKind::Def: value = Eval(*d.value); break;
    case ir::DeclKind::Rule:
    case ir::DeclKind::Exception: value = RuleValue(d, false); break;
    case ir::DeclKind::Obligation:
    case ir::DeclKind::Prohibition: value = RuleValue(d, true); break;
  }
  std::swap(frame, locals_);
  memo_[id] = value;
  return value;
}

// The status of an obligation or prohibition, step by step as docs/language.md
// orders them. `missing` receives the paths behind an unknown status.
StatusResult Evaluator::Status(uint32_t id, MissingPaths* missing) {
  const ir::Decl& d = program_.decls[id];
  Value applies = Decl(id);
  std::vector<Value> frame(d.locals);
  std::swap(frame, locals_);
  struct Restore {
    std::vector<Value>& a;
    std::vector<Value>& b;
    ~Restore() { std::swap(a, b); }
  } restore{frame, locals_};
  return StatusOf(
      d, applies, [&](const ir::Expr& e) { return Eval(e); }, missing);
}

// The status steps on what is known of `applies` and the dates: every step
// up to the evidence, in the order docs/language.md gives. Both engines use
// them, so statuses agree by construction.
StatusCause StatusSteps(const ir::Decl& d, int32_t as_of, const StatusFacts& facts, StatusResult* result) {
  bool obligation = d.kind == ir::DeclKind::Obligation;
  if (facts.applies_known && !facts.applies) {
    result->status = Status::NotApplicable;
    return StatusCause::Decided;
  }
  if (!facts.applies_known) {
    result->status = Status::Unknown;
    return StatusCause::Applies;
  }
  // The first status that holds, in order: an unknown date decides only
  // when the steps before it did not.
  if (d.from && !result->from) {
    result->status = Status::Unknown;
    return StatusCause::From;
  }
  if (d.from && as_of < *result->from) {
    result->status = Status::Upcoming;
  } else {
    if (d.until && !result->until) {
      result->status = Status::Unknown;
      return StatusCause::Until;
    }
    bool lapsed = d.until && *result->until <= as_of;
    if (!obligation) {
      // A prohibition whose `until` has passed no longer applies.
      result->status = lapsed ? Status::NotApplicable : Status::Violated;
      return StatusCause::Decided;
    }
    result->status = lapsed ? Status::Expired : Status::Open;
  }
  return obligation && d.evidence ? StatusCause::Evidence : StatusCause::Decided;
}

// The status steps, given `applies` and a way to evaluate the declaration's
// other expressions (`from`, `until`, the evidence entry).
StatusResult Evaluator::StatusOf(const ir::Decl& d, const Value& applies,
                                 const std::function<Value(const ir::Expr&)>& eval, MissingPaths* missing) {
  StatusResult result;
  result.from_declared = d.from != nullptr;
  result.until_declared = d.until != nullptr;
  // Dates are evaluated whenever the obligation may apply, so reports show
  // them for upcoming and unknown statuses alike.
  Value from, until;
  if (applies.kind != ValueKind::Bool || applies.i != 0 || !applies.known()) {
    if (d.from) from = eval(*d.from);
    if (d.until) until = eval(*d.until);
    if (from.known()) result.from = static_cast<int32_t>(from.i);
    if (until.known()) result.until = static_cast<int32_t>(until.i);
  }
  StatusFacts facts{applies.known(), applies.known() && applies.i != 0};
  switch (StatusSteps(d, request_.as_of, facts, &result)) {
    case StatusCause::Decided: return result;
    case StatusCause::Applies:
      *missing = MergeMissing(*missing, applies.missing);
      if (d.from && !from.known()) *missing = MergeMissing(*missing, from.missing);
      if (d.until && !until.known()) *missing = MergeMissing(*missing, until.missing);
      return result;
    case StatusCause::From: *missing = MergeMissing(*missing, from.missing); return result;
    case StatusCause::Until: *missing = MergeMissing(*missing, until.missing); return result;
    case StatusCause::Evidence: break;
  }
  Value entry = eval(*d.evidence->entry);
  if (!error_ && entry.known()) EvidenceSteps(d, entry, &result);
  return result;
}

// Evidence: an absent map, key or entry means "no evidence"; it never makes
// the status unknown and never adds to `missing`. Sets the evidence fields
// for upcoming, expired and open obligations; decides the status of open ones.
void Evaluator::EvidenceSteps(const ir::Decl& d, const Value& entry, StatusResult* out) {
  const ir::EvidenceAccess& access = *d.evidence;
  auto field = [&](uint32_t index) {
    ir::Expr get(Op::Field, program_.types.records[access.record].fields[index].type, d.range);
    get.index = index;
    return Field(entry, get);
  };
  Value status = field(access.status_field);
  if (!status.known()) return;  // no evidence: nothing else is read
  EvidenceFields fields;
  fields.status = static_cast<uint32_t>(status.i);
  Value ref;  // outlives `fields.ref`, which points into it
  if (access.ref_field) {
    ref = field(*access.ref_field);
    if (ref.known()) fields.ref = ref.s;
  }
  if (access.reviewed_field) {
    Value reviewed = field(*access.reviewed_field);
    if (reviewed.known()) fields.reviewed = static_cast<int32_t>(reviewed.i);
  }
  EvidenceSteps(d, fields, out);
}

void Evaluator::EvidenceSteps(const ir::Decl& d, const EvidenceFields& entry, StatusResult* out) {
  StatusResult& result = *out;
  int32_t as_of = request_.as_of;
  const ir::EvidenceAccess& access = *d.evidence;
  if (!entry.status) return;
  const ir::FieldInfo& status_field = program_.types.records[access.record].fields[access.status_field];
  const ir::EnumInfo& statuses = program_.types.enums[program_.types.get(status_field.type).index];
  auto used = std::make_shared<EvidenceUsed>();
  used->status = statuses.members[*entry.status];
  if (entry.ref) used->ref = std::string(*entry.ref);
  used->reviewed = entry.reviewed;
  result.evidence = std::move(used);
  if (result.status != Status::Open) return;  // upcoming and expired come first
  bool met = *entry.status == access.met_member;
  bool partial = *entry.status == access.partial_member;
  if (!met && !partial) return;
  if (entry.reviewed && program_.evidence_max_age && request_.params) {
    const Value& age = (*request_.params)[*program_.evidence_max_age];
    // An unknown maximum age cannot tell stale from fresh.
    if (!age.known()) {
      result.status = Status::Unknown;
      return;
    }
    int64_t count = age.duration.count;
    std::optional<int32_t> limit;
    switch (age.duration.unit) {
      case ir::DurationUnit::Days:
        if (DateInRange(int64_t{as_of} - count)) limit = static_cast<int32_t>(as_of - count);
        break;
      case ir::DurationUnit::Months: limit = AddMonths(as_of, -count); break;
      case ir::DurationUnit::Years: limit = AddMonths(as_of, -12 * count); break;
    }
    // A limit before year 1 means nothing can be stale.
    if (limit && *entry.reviewed < *limit) {
      result.status = Status::Stale;
      return;
    }
  }
  result.status = met ? Status::Met : Status::Partial;
}

}  // namespace interp

Results Interpreter::Evaluate(const EvalRequest& request) const {
  if (request.row) PrefetchRow(request.row, request.row_bytes);
  interp::Evaluator evaluator(program_, request);
  Results results;
  MissingPaths missing;
  for (uint32_t id : program_.reports) {
    Value fact = evaluator.Materialize(evaluator.Decl(id));
    if (!fact.known()) missing = MergeMissing(missing, fact.missing);
    results.facts.push_back(std::move(fact));
  }
  for (uint32_t id : program_.prohibitions) results.prohibitions.push_back(evaluator.Status(id, &missing));
  for (uint32_t id : program_.obligations) results.obligations.push_back(evaluator.Status(id, &missing));
  if (evaluator.error()) {
    Results failed;
    failed.error = evaluator.error();
    return failed;
  }
  results.missing = missing.list();
  return results;
}

Value Interpreter::EvaluateExpr(const ir::Expr& expr, uint32_t locals, const EvalRequest& request,
                                std::optional<RuntimeError>* error) const {
  interp::Evaluator evaluator(program_, request);
  evaluator.ReserveLocals(locals);
  Value value = evaluator.Materialize(evaluator.Eval(expr));
  *error = evaluator.error();
  // A runtime error voids the value (both engines say so the same way).
  if (*error) return Value::Unknown(expr.type);
  return value;
}

StatusResult Interpreter::EvaluateStatus(uint32_t decl, const EvalRequest& request,
                                         std::optional<RuntimeError>* error) const {
  interp::Evaluator evaluator(program_, request);
  MissingPaths missing;
  StatusResult status = evaluator.Status(decl, &missing);
  *error = evaluator.error();
  if (*error) return StatusResult{};
  return status;
}

std::vector<Value> Interpreter::DefaultParams(const ir::Program& program) {
  std::vector<Value> values;
  EvalRequest request;
  for (const ir::Param& param : program.params) {
    interp::Evaluator evaluator(program, request);
    values.push_back(evaluator.Materialize(evaluator.Eval(*param.default_value)));
  }
  return values;
}

}  // namespace aipol
