#include "compiler/jit/tables_io.h"

#include "compiler/source/byte_io.h"

namespace aipol::jit {
namespace {

constexpr std::string_view kMagic = "aipol-jit-tables 1\n";

using Writer = ByteWriter;
using Reader = ByteReader;

void PutOp(Writer& w, const DelegatedOp& op) {
  const ir::Expr& e = op.expr;
  w.Put(static_cast<uint8_t>(e.op));
  w.Put(e.type);
  w.Put(e.range);
  w.Put(e.index);
  w.Put(e.operand_type);
  w.Put(e.constant.integer);
  w.Put(e.constant.number);
  w.Put(std::string_view(e.constant.string));
  w.Put(e.constant.duration.count);
  w.Put(static_cast<uint8_t>(e.constant.duration.unit));
  w.Put(std::string_view(e.text));
  w.Put(static_cast<uint32_t>(e.keys.size()));
  for (const std::string& key : e.keys) w.Put(std::string_view(key));
  // Operands are locals (their index is their position among the present
  // ones) or absent.
  w.Put(static_cast<uint32_t>(e.operands.size()));
  for (const ir::ExprPtr& operand : e.operands) {
    w.Put(static_cast<uint8_t>(operand != nullptr));
    if (!operand) continue;
    w.Put(operand->type);
    w.Put(operand->range);
  }
}

bool GetOp(Reader& r, DelegatedOp& op) {
  ir::Expr& e = op.expr;
  uint8_t code = 0, unit = 0;
  uint32_t keys = 0, operands = 0;
  if (!r.Get(code) || !r.Get(e.type) || !r.Get(e.range) || !r.Get(e.index) || !r.Get(e.operand_type) ||
      !r.Get(e.constant.integer) || !r.Get(e.constant.number) || !r.Get(e.constant.string) ||
      !r.Get(e.constant.duration.count) || !r.Get(unit) || !r.Get(e.text) || !r.Count(keys, 4)) {
    return false;
  }
  e.op = static_cast<ir::Op>(code);
  e.constant.duration.unit = static_cast<ir::DurationUnit>(unit);
  e.keys.resize(keys);
  for (std::string& key : e.keys) {
    if (!r.Get(key)) return false;
  }
  if (!r.Count(operands, 1)) return false;
  for (uint32_t k = 0; k < operands; ++k) {
    uint8_t present = 0;
    if (!r.Get(present)) return false;
    if (!present) {
      e.operands.push_back(nullptr);
      continue;
    }
    ir::TypeId type = 0;
    SourceRange range;
    if (!r.Get(type) || !r.Get(range)) return false;
    auto local = std::make_unique<ir::Expr>(ir::Op::Local, type, range);
    local->index = static_cast<uint32_t>(op.operand_types.size());
    e.operands.push_back(std::move(local));
    op.operand_types.push_back(type);
  }
  return true;
}

}  // namespace

std::string WriteTables(const Tables& tables) {
  Writer w;
  w.out().append(kMagic);
  w.Put(static_cast<uint32_t>(tables.paths.size()));
  for (const std::string& path : tables.paths) w.Put(std::string_view(path));
  w.Put(static_cast<uint32_t>(tables.ops.size()));
  for (const DelegatedOp& op : tables.ops) PutOp(w, op);
  w.Put(static_cast<uint32_t>(tables.sites.size()));
  for (const ErrorSite& site : tables.sites) {
    w.Put(std::string_view(site.kind));
    w.Put(std::string_view(site.message));
    w.Put(site.range);
  }
  return std::move(w.out());
}

std::optional<Tables> ReadTables(std::string_view bytes) {
  Reader r(bytes);
  Tables tables;
  uint32_t count = 0;
  if (!r.Skip(kMagic) || !r.Count(count, 4)) return std::nullopt;
  for (uint32_t k = 0; k < count; ++k) {
    std::string path;
    if (!r.Get(path)) return std::nullopt;
    if (tables.PathId(path) != k) return std::nullopt;  // paths are unique
  }
  if (!r.Count(count, 1)) return std::nullopt;
  tables.ops.resize(count);
  for (DelegatedOp& op : tables.ops) {
    if (!GetOp(r, op)) return std::nullopt;
  }
  if (!r.Count(count, 20)) return std::nullopt;
  tables.sites.resize(count);
  for (ErrorSite& site : tables.sites) {
    if (!r.Get(site.kind) || !r.Get(site.message) || !r.Get(site.range)) return std::nullopt;
  }
  if (!r.done()) return std::nullopt;
  return tables;
}

}  // namespace aipol::jit
