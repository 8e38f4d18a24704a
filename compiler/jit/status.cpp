// The status steps on the generated code's values: the interpreter's own
// (interp::StatusSteps, Evaluator::EvidenceSteps), given the entry point's
// result slots, with evidence entries read in place from the row.
#include "compiler/jit/abi.h"
#include "runtime/row.h"

namespace aipol::jit {

bool DecideStatus(Context& ctx, const ir::Decl& d, const JValue& applies, const JValue& from,
                  const JValue& until, StatusResult* result, std::vector<uint32_t>* missing) {
  result->from_declared = d.from != nullptr;
  result->until_declared = d.until != nullptr;
  if (from.known) result->from = static_cast<int32_t>(from.payload);
  if (until.known) result->until = static_cast<int32_t>(until.payload);
  interp::StatusFacts facts{applies.known != 0, applies.known && applies.payload != 0};
  switch (interp::StatusSteps(d, ctx.request.as_of, facts, result)) {
    case interp::StatusCause::Decided: return false;
    case interp::StatusCause::Applies:
      ctx.AppendMissing(applies.missing, missing);
      if (d.from && !from.known) ctx.AppendMissing(from.missing, missing);
      if (d.until && !until.known) ctx.AppendMissing(until.missing, missing);
      return false;
    case interp::StatusCause::From: ctx.AppendMissing(from.missing, missing); return false;
    case interp::StatusCause::Until: ctx.AppendMissing(until.missing, missing); return false;
    case interp::StatusCause::Evidence: return true;
  }
  return false;
}

namespace {

// The fields the evidence steps read, from the entry's row block.
interp::EvidenceFields RowEvidence(const ir::Program& program, const ir::EvidenceAccess& access,
                                   const uint8_t* block) {
  const ir::RecordLayout& layout = program.layout.of(access.record);
  interp::EvidenceFields fields;
  if (FieldPresent(block, access.status_field)) {
    fields.status = ReadSlot<uint32_t>(block, layout.fields[access.status_field].offset);
  }
  if (access.ref_field && FieldPresent(block, *access.ref_field)) {
    fields.ref = ReadSlot<StringRef>(block, layout.fields[*access.ref_field].offset).view();
  }
  if (access.reviewed_field && FieldPresent(block, *access.reviewed_field)) {
    fields.reviewed = ReadSlot<int32_t>(block, layout.fields[*access.reviewed_field].offset);
  }
  return fields;
}

}  // namespace

void EvidenceStatus(Context& ctx, const ir::Decl& d, const JValue& entry, StatusResult* result) {
  if (!entry.known) return;
  if (entry.tag == kRowTag) {
    const auto* block = reinterpret_cast<const uint8_t*>(entry.payload);
    ctx.evaluator.EvidenceSteps(d, RowEvidence(ctx.program, *d.evidence, block), result);
    return;
  }
  ir::TypeId type = d.evidence->entry->type;
  ctx.evaluator.EvidenceSteps(d, ToValue(ctx, entry, type, CanonicalRepr(ctx.program.types, type)), result);
}

}  // namespace aipol::jit

using aipol::jit::Context;
using aipol::jit::DecideStatus;
using aipol::jit::EvidenceStatus;
using aipol::jit::JValue;

namespace {

// The `status`-th prohibition or obligation: its declaration and its result.
std::pair<const aipol::ir::Decl*, aipol::StatusResult*> StatusAt(Context* ctx, uint32_t status) {
  const aipol::ir::Program& program = ctx->program;
  size_t prohibitions = program.prohibitions.size();
  if (status < prohibitions) {
    return {&program.decls[program.prohibitions[status]], &ctx->results->prohibitions[status]};
  }
  return {&program.decls[program.obligations[status - prohibitions]],
          &ctx->results->obligations[status - prohibitions]};
}

}  // namespace

extern "C" {

uint8_t aipol_jit_status(Context* ctx, uint32_t status, const JValue* slots) {
  auto [decl, result] = StatusAt(ctx, status);
  ctx->results->statuses_set.statuses.push_back(status);  // the evidence step writes no other
  return DecideStatus(*ctx, *decl, slots[0], slots[1], slots[2], result, &ctx->missing_ids) ? 1 : 0;
}

void aipol_jit_evidence(Context* ctx, uint32_t status, const JValue* entry) {
  auto [decl, result] = StatusAt(ctx, status);
  EvidenceStatus(*ctx, *decl, *entry, result);
}

}  // extern "C"
