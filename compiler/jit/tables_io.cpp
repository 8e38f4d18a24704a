#include "compiler/jit/tables_io.h"

#include "compiler/source/byte_io.h"

namespace aipol::jit {
namespace {

constexpr std::string_view kMagic = "aipol-jit-tables 1\n";

using Writer = ByteWriter;
using Reader = ByteReader;

void PutOp(Writer& w, const DelegatedOp& op) {
  const ir::Expr& e = op.expr;
  w.PutEnum(e.op);
  w.Put(e.type);
  w.PutRange(e.range);
  w.Put(e.index);
  w.Put(e.operand_type);
  w.Put(e.constant.integer);
  w.Put(e.constant.number);
  w.PutString(e.constant.string);
  w.Put(e.constant.duration.count);
  w.PutEnum(e.constant.duration.unit);
  w.PutString(e.text);
  w.PutVector(e.keys, [&](const std::string& key) { w.PutString(key); });
  // Operands are locals (their index is their position among the present
  // ones) or absent.
  w.PutVector(e.operands, [&](const ir::ExprPtr& operand) {
    w.PutBool(operand != nullptr);
    if (!operand) return;
    w.Put(operand->type);
    w.PutRange(operand->range);
  });
  w.PutVector(op.constant_items, [&](uint32_t item) { w.Put(item); });
}

bool GetOp(Reader& r, DelegatedOp& op) {
  ir::Expr& e = op.expr;
  e.op = r.GetEnum(ir::kLastOp);
  e.type = r.Get<ir::TypeId>();
  e.range = r.GetRange();
  e.index = r.Get<uint32_t>();
  e.operand_type = r.Get<ir::TypeId>();
  e.constant.integer = r.Get<int64_t>();
  e.constant.number = r.Get<double>();
  e.constant.string = r.GetString();
  e.constant.duration.count = r.Get<int64_t>();
  e.constant.duration.unit = r.GetEnum(ir::DurationUnit::Years);
  e.text = r.GetString();
  r.GetVector(e.keys, 4, [&] { return r.GetString(); });
  uint32_t operands = r.GetCount(1);
  for (uint32_t k = 0; k < operands && r.ok(); ++k) {
    if (!r.GetBool()) {
      e.operands.push_back(nullptr);
      continue;
    }
    ir::TypeId type = r.Get<ir::TypeId>();
    SourceRange range = r.GetRange();
    auto local = std::make_unique<ir::Expr>(ir::Op::Local, type, range);
    local->index = static_cast<uint32_t>(op.operand_types.size());
    e.operands.push_back(std::move(local));
    op.operand_types.push_back(type);
  }
  r.GetVector(op.constant_items, 4, [&] { return r.Get<uint32_t>(); });
  return r.ok();
}

}  // namespace

std::string WriteTables(const Tables& tables) {
  std::string out;
  Writer w(out);
  w.PutRaw(kMagic);
  w.PutVector(tables.paths, [&](const std::string& path) { w.PutString(path); });
  w.PutVector(tables.ops, [&](const DelegatedOp& op) { PutOp(w, op); });
  w.PutVector(tables.sites, [&](const ErrorSite& site) {
    w.PutString(site.kind);
    w.PutString(site.message);
    w.PutRange(site.range);
  });
  return out;
}

std::optional<Tables> ReadTables(std::string_view bytes) {
  Reader r(bytes);
  Tables tables;
  r.Match(kMagic);
  uint32_t count = r.GetCount(4);
  for (uint32_t k = 0; k < count && r.ok(); ++k) {
    if (tables.PathId(r.GetString()) != k) return std::nullopt;  // paths are unique
  }
  tables.ops.resize(r.GetCount(1));
  for (size_t k = 0; k < tables.ops.size(); ++k) {
    if (!GetOp(r, tables.ops[k])) return std::nullopt;
    // A constant list's items come before it (PrepareConstants makes them first).
    for (uint32_t item : tables.ops[k].constant_items) {
      if (item >= k) return std::nullopt;
    }
  }
  r.GetVector(tables.sites, 20, [&] {
    ErrorSite site;
    site.kind = r.GetString();
    site.message = r.GetString();
    site.range = r.GetRange();
    return site;
  });
  if (!r.ok() || !r.AtEnd()) return std::nullopt;
  return tables;
}

}  // namespace aipol::jit
