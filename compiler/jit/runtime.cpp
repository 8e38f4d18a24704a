// The JIT's run-time side: the context, conversions between JValues and
// interpreter values, and the entry points generated code calls.
#include <algorithm>
#include <bit>
#include <cstring>
#include <span>

#include "compiler/jit/abi.h"

namespace aipol::jit {

using ir::TypeKind;

uint32_t Tables::PathId(const std::string& path) {
  auto [it, inserted] = path_ids.emplace(path, static_cast<uint32_t>(paths.size()));
  if (inserted) paths.push_back(path);
  return it->second;
}

bool IsNativeType(const ir::TypeTable& types, ir::TypeId type) {
  switch (types.kind(type)) {
    case TypeKind::Bool:
    case TypeKind::Int:
    case TypeKind::Number:
    case TypeKind::Date:
    case TypeKind::Enum: return true;
    case TypeKind::Set: return types.kind(types.get(type).element) == TypeKind::Enum;
    default: return false;
  }
}

bool IsConstantLiteral(const ir::TypeTable& types, ir::Op op, ir::TypeId type, size_t operands) {
  switch (op) {
    case ir::Op::Const:
    case ir::Op::MakeList:
    case ir::Op::MakeSet:
    case ir::Op::MakeMap: return operands == 0 && !IsNativeType(types, type);
    default: return false;
  }
}

bool PrepareConstants(const ir::Program& program, Tables& tables) {
  EvalRequest request{};
  interp::Evaluator evaluator(program, request);
  for (DelegatedOp& op : tables.ops) {
    if (!op.constant_items.empty()) {
      Value list;
      list.kind = ValueKind::List;
      list.type = op.expr.type;
      for (uint32_t item : op.constant_items) {
        if (!tables.ops[item].constant) return false;
        list.items.push_back(*tables.ops[item].constant);
      }
      op.constant = std::move(list);
      continue;
    }
    if (!IsConstantLiteral(program.types, op.expr.op, op.expr.type, op.operand_types.size())) continue;
    Value v = evaluator.Eval(op.expr);
    if (evaluator.error() || !v.known()) return false;  // generated code reads it unchecked
    op.constant = std::move(v);
  }
  tables.constants.clear();
  for (const DelegatedOp& op : tables.ops) tables.constants.push_back(op.constant ? &*op.constant : nullptr);
  return true;
}

void RankPaths(Tables& tables) {
  tables.path_rank.assign(tables.paths.size(), 0);
  tables.path_by_rank.clear();
  for (const auto& [name, id] : tables.path_ids) {  // in name order
    tables.path_rank[id] = static_cast<uint32_t>(tables.path_by_rank.size());
    tables.path_by_rank.push_back(id);
  }
}

Repr CanonicalRepr(const ir::TypeTable& types, ir::TypeId type) {
  return IsNativeType(types, type) ? Repr::Native : Repr::Boxed;
}

Context::Context(const ir::Program& program, const Tables& tables)
    : program(program), tables(tables), evaluator(program, request) {
  memo_storage.resize(program.decls.size());
  memo_done_storage.resize(program.decls.size());
  frame.memo = memo_storage.data();
  frame.memo_done = memo_done_storage.data();
  frame.context = this;
  frame.constants = tables.constants.data();
}

void Context::Reset(const EvalRequest& new_request) {
  request = new_request;
  frame.row = request.row;
  frame.as_of = request.as_of;
  frame.failed = 0;
  std::fill(memo_done_storage.begin(), memo_done_storage.end(), 0);
  pool_used = 0;  // the values left are overwritten as boxes are made
  sets_used = 0;  // the sets' vectors keep their capacity
  if (++epoch == 0) {
    // Wrapped: an entry from 2^32 evaluations ago would look current.
    union_memo.fill({});
    epoch = 1;
  }
  dynamic_paths.clear();
  dynamic_ids.clear();
  error.reset();
  evaluator.ClearError();
  missing_ids.clear();
  if (!SameParams()) ConvertParams();
  frame.params = param_values.data();
}

namespace {

// Field for field, numbers by their bits: the language's equality would
// take 0.0 for -0.0, which a division tells apart.
bool Identical(const Value& a, const Value& b) {
  return a.kind == b.kind && a.type == b.type && a.i == b.i && std::memcmp(&a.d, &b.d, sizeof a.d) == 0 &&
         a.mask == b.mask && a.duration.count == b.duration.count && a.duration.unit == b.duration.unit &&
         a.s == b.s && a.keys == b.keys && a.block == b.block && a.path == b.path && a.missing == b.missing &&
         std::equal(a.items.begin(), a.items.end(), b.items.begin(), b.items.end(), Identical);
}

}  // namespace

bool Context::SameParams() const {
  if (!converted_params || request.params != converted_params) return false;
  const std::vector<Value>& params = *request.params;
  for (size_t k = 0; k < program.params.size(); ++k) {
    if (!Identical(params[k], converted_copy[k])) return false;
  }
  return true;
}

void Context::ConvertParams() {
  converted_params = nullptr;
  // Without param values every param is unknown, as for the interpreter.
  param_values.assign(std::max<size_t>(program.params.size(), 1),
                      JValue{});  // a valid pointer even with none
  if (!request.params) return;
  param_boxes.resize(program.params.size());
  bool all_known = true;
  for (size_t k = 0; k < program.params.size(); ++k) {
    const Value& v = (*request.params)[k];
    all_known = all_known && v.known();
    if (v.known() && !IsNativeType(program.types, program.params[k].type)) {
      param_boxes[k] = v;  // not in the pool, which the next evaluation reuses
      param_values[k].known = 1;
      param_values[k].payload = reinterpret_cast<int64_t>(&param_boxes[k]);
    } else {
      // (an unknown param's paths live in this evaluation's sets: not kept)
      param_values[k] = FromValue(*this, v, program.params[k].type);
    }
  }
  if (!all_known) return;
  converted_params = request.params;
  converted_copy = *request.params;
}

uint32_t Context::PathId(const std::string& path) {
  auto known = tables.path_ids.find(path);
  if (known != tables.path_ids.end()) return known->second;
  auto [it, inserted] =
      dynamic_ids.emplace(path, static_cast<uint32_t>(tables.paths.size() + dynamic_paths.size()));
  if (inserted) dynamic_paths.push_back(path);
  return it->second;
}

const std::string& Context::PathName(uint32_t id) const {
  return id < tables.paths.size() ? tables.paths[id] : dynamic_paths[id - tables.paths.size()];
}

namespace {

// The ids of a handle, sorted, in place (`one` holds a single path's id).
std::span<const uint32_t> Ids(const Context& ctx, uint32_t handle, uint32_t* one) {
  if (handle == 0) return {};
  if (handle & 1) {
    *one = handle >> 1;
    return {one, 1};
  }
  return ctx.sets[(handle >> 1) - 1];
}

}  // namespace

std::vector<uint32_t>& Context::NewSet() {
  if (sets_used == sets.size()) sets.emplace_back();
  std::vector<uint32_t>& set = sets[sets_used++];
  set.clear();
  return set;
}

uint32_t Context::Union(uint32_t a, uint32_t b) {
  if (a == 0 || a == b) return b;
  if (b == 0) return a;
  uint64_t operands = uint64_t{a} << 32 | b;
  UnionMemo& memo = union_memo[(operands * 0x9E3779B97F4A7C15u) >> 55];
  if (memo.epoch == epoch && memo.operands == operands) return memo.result;
  memo = {operands, UnionOf(a, b), epoch};
  return memo.result;
}

uint32_t Context::UnionOf(uint32_t a, uint32_t b) {
  uint32_t one_a = 0, one_b = 0;
  std::span<const uint32_t> x = Ids(*this, a, &one_a), y = Ids(*this, b, &one_b);
  // When one side holds the other (the same field behind many conditions),
  // it is the union: no new set.
  if (std::includes(x.begin(), x.end(), y.begin(), y.end())) return a;
  if (std::includes(y.begin(), y.end(), x.begin(), x.end())) return b;
  // `x` and `y` stay valid: they are `one_*` or the buffers of sets in use,
  // which NewSet neither touches nor moves (growing `sets` moves the vectors,
  // not their buffers).
  std::vector<uint32_t>& merged = NewSet();
  std::set_union(x.begin(), x.end(), y.begin(), y.end(), std::back_inserter(merged));
  return static_cast<uint32_t>(sets_used) << 1;
}

uint32_t Context::MissingHandle(const std::vector<std::string>& paths) {
  if (paths.empty()) return 0;
  if (paths.size() == 1) return (PathId(paths[0]) << 1) | 1;
  std::vector<uint32_t> ids;
  for (const std::string& p : paths) ids.push_back(PathId(p));
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  NewSet().swap(ids);
  return static_cast<uint32_t>(sets_used) << 1;
}

std::vector<std::string> Context::MissingPaths(uint32_t handle) const {
  uint32_t one = 0;
  std::span<const uint32_t> ids = Ids(*this, handle, &one);
  return PathNames(std::vector<uint32_t>(ids.begin(), ids.end()));
}

void Context::MissingPathsInto(uint32_t handle, std::vector<std::string>* names) {
  scratch_ids.clear();
  AppendMissing(handle, &scratch_ids);
  PathNamesInto(scratch_ids, names);
}

void Context::AppendMissing(uint32_t handle, std::vector<uint32_t>* ids) const {
  uint32_t one = 0;
  std::span<const uint32_t> set = Ids(*this, handle, &one);
  ids->insert(ids->end(), set.begin(), set.end());
}

std::vector<std::string> Context::PathNames(std::vector<uint32_t> ids) const {
  std::vector<std::string> names;
  PathNamesInto(ids, &names);
  return names;
}

void Context::PathNamesInto(std::vector<uint32_t>& ids, std::vector<std::string>* names) const {
  size_t count = 0;
  auto put = [&](const std::string& name) {
    if (count < names->size()) {
      (*names)[count].assign(name);
    } else {
      names->push_back(name);
    }
    ++count;
  };
  bool all_static =
      std::all_of(ids.begin(), ids.end(), [&](uint32_t id) { return id < tables.paths.size(); });
  if (all_static) {  // (RankPaths ranked every static path when the engine was made)
    // Static paths (all but map keys met at run time), marked by rank in a
    // bitmap: reading it in order sorts and dedups the names, with neither
    // a sort nor a string compared. Reading also clears it.
    rank_marks.resize((tables.paths.size() + 63) / 64);
    for (uint32_t id : ids) {
      uint32_t rank = tables.path_rank[id];
      rank_marks[rank / 64] |= uint64_t{1} << (rank % 64);
    }
    for (size_t word = 0; word < rank_marks.size(); ++word) {
      for (uint64_t bits = rank_marks[word]; bits != 0; bits &= bits - 1) {
        size_t rank = word * 64 + static_cast<size_t>(std::countr_zero(bits));
        put(tables.paths[tables.path_by_rank[rank]]);
      }
      rank_marks[word] = 0;
    }
  } else {
    // Distinct ids first (a path is often behind many statuses): fewer
    // names to copy and sort.
    std::sort(ids.begin(), ids.end());
    ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
    for (uint32_t id : ids) put(PathName(id));
    std::sort(names->begin(), names->begin() + static_cast<ptrdiff_t>(count));
    count = static_cast<size_t>(std::unique(names->begin(), names->begin() + static_cast<ptrdiff_t>(count)) -
                                names->begin());
  }
  names->resize(count);
}

Value* Context::Box(Value v) {
  if (pool_used == pool.size()) pool.emplace_back();
  Value& box = pool[pool_used++];
  box = std::move(v);
  return &box;
}

Value& Context::NewBox() {
  if (pool_used == pool.size()) pool.emplace_back();
  Value& box = pool[pool_used++];
  box.Clear();
  return box;
}

void NativeValueInto(const ir::TypeTable& types, const JValue& v, ir::TypeId type, Value& out) {
  out.Clear();
  out.type = type;
  switch (types.kind(type)) {
    case TypeKind::Bool:
      out.kind = ValueKind::Bool;
      out.type = ir::TypeTable::kBool;
      out.i = v.payload != 0 ? 1 : 0;
      return;
    case TypeKind::Int:
      out.kind = ValueKind::Int;
      out.type = ir::TypeTable::kInt;
      out.i = v.payload;
      return;
    case TypeKind::Number:
      out.kind = ValueKind::Number;
      out.type = ir::TypeTable::kNumber;
      std::memcpy(&out.d, &v.payload, sizeof out.d);
      return;
    case TypeKind::Date:
      out.kind = ValueKind::Date;
      out.type = ir::TypeTable::kDate;
      out.i = static_cast<int32_t>(v.payload);
      return;
    case TypeKind::Enum:
      out.kind = ValueKind::Enum;
      out.i = v.payload;
      return;
    default:
      out.kind = ValueKind::EnumSet;
      out.mask = static_cast<uint64_t>(v.payload);
      return;
  }
}

Value ToValue(Context& ctx, const JValue& v, ir::TypeId type, Repr repr) {
  if (!v.known) {
    Value unknown = Value::Unknown(type, ctx.MissingPaths(v.missing));
    if (v.path != 0) unknown.path = ctx.PathName(v.path);
    return unknown;
  }
  Value out;
  out.type = type;
  switch (repr) {
    case Repr::Native: NativeValueInto(ctx.program.types, v, type, out); return out;
    case Repr::Row:
    case Repr::RowMap:
      out.kind = repr == Repr::Row ? ValueKind::Record : ValueKind::Map;
      out.block = reinterpret_cast<const uint8_t*>(v.payload);
      out.path = ctx.PathName(v.path);
      return out;
    case Repr::Boxed: return *reinterpret_cast<const Value*>(v.payload);
  }
  return out;
}

JValue FromValue(Context& ctx, Value v, ir::TypeId type) {
  JValue out{};
  if (!v.known()) {
    out.missing = ctx.MissingHandle(v.missing);
    out.path = v.path.empty() ? 0 : ctx.PathId(v.path);
    return out;
  }
  out.known = 1;
  const ir::TypeTable& types = ctx.program.types;
  if (!IsNativeType(types, type)) {
    out.payload = reinterpret_cast<int64_t>(ctx.Box(std::move(v)));
    return out;
  }
  switch (types.kind(type)) {
    case TypeKind::Number: std::memcpy(&out.payload, &v.d, sizeof v.d); break;
    case TypeKind::Set: out.payload = static_cast<int64_t>(v.mask); break;
    default: out.payload = v.i;
  }
  return out;
}

}  // namespace aipol::jit

using aipol::jit::Context;
using aipol::jit::JValue;
using aipol::jit::Repr;

namespace {

JValue KnownBoxed(const aipol::Value* boxed) {
  JValue out{};
  out.known = 1;
  out.payload = reinterpret_cast<int64_t>(boxed);
  return out;
}

const aipol::Value& Boxed(const JValue& v) { return *reinterpret_cast<const aipol::Value*>(v.payload); }

// `a + b` on lists, as the interpreter's Collections: unknown when either is,
// else a's items then b's. An empty side hands out the other side's box
// (boxed values are never changed), so the common `[] + [...]` allocates
// nothing.
JValue ConcatLists(Context& ctx, const JValue& a, const JValue& b) {
  if (!a.known || !b.known) {
    JValue out{};
    out.missing = ctx.Union(a.known ? 0 : a.missing, b.known ? 0 : b.missing);
    return out;
  }
  const aipol::Value& x = Boxed(a);
  const aipol::Value& y = Boxed(b);
  if (y.items.empty()) return KnownBoxed(&x);
  if (x.items.empty() && x.type == y.type && x.kind == y.kind) return KnownBoxed(&y);
  aipol::Value& list = ctx.NewBox();
  list = x;  // into the box's storage
  list.items.insert(list.items.end(), y.items.begin(), y.items.end());
  return KnownBoxed(&list);
}

// Operand `k` of a delegated operation as an interpreter value.
aipol::Value Operand(Context& ctx, const aipol::jit::DelegatedOp& op, const JValue* args, size_t k) {
  aipol::ir::TypeId type = op.operand_types[k];
  return aipol::jit::ToValue(ctx, args[k], type, aipol::jit::CanonicalRepr(ctx.program.types, type));
}

// A list literal, as the interpreter's Build: its items materialised, unknown
// ones kept (the list itself is known).
JValue MakeList(Context& ctx, const aipol::jit::DelegatedOp& op, const JValue* args) {
  aipol::Value& list = ctx.NewBox();
  list.kind = aipol::ValueKind::List;
  list.type = op.expr.type;
  list.items.resize(op.operand_types.size());
  for (size_t k = 0; k < op.operand_types.size(); ++k) {
    list.items[k] = ctx.evaluator.Materialize(Operand(ctx, op, args, k));
  }
  return KnownBoxed(&list);
}

// The known boxed value of a JValue whose elements are its items (not an
// enum set), read in place; null otherwise.
const aipol::Value* BoxedList(const JValue& v) {
  if (!v.known) return nullptr;
  const auto* boxed = reinterpret_cast<const aipol::Value*>(v.payload);
  return boxed->kind == aipol::ValueKind::EnumSet ? nullptr : boxed;
}

}  // namespace

extern "C" {

uint32_t aipol_jit_union(Context* ctx, uint32_t a, uint32_t b) { return ctx->Union(a, b); }

void aipol_jit_apply(Context* ctx, uint32_t op_index, const JValue* args, JValue* out) {
  // List operations the standard library uses per descriptor (Annex III
  // routes) skip the interpreter's operand copies. (Literals without
  // operands never come here: generated code reads them from the constants.)
  const aipol::jit::DelegatedOp& op = ctx->tables.ops[op_index];
  if (op.expr.op == aipol::ir::Op::Concat) {
    *out = ConcatLists(*ctx, args[0], args[1]);
    return;
  }
  if (op.expr.op == aipol::ir::Op::MakeList) {
    *out = MakeList(*ctx, op, args);
  } else {
    std::vector<aipol::Value>& locals = ctx->evaluator.locals();
    if (locals.size() < op.operand_types.size()) locals.resize(op.operand_types.size());
    for (size_t k = 0; k < op.operand_types.size(); ++k) locals[k] = Operand(*ctx, op, args, k);
    *out = aipol::jit::FromValue(*ctx, ctx->evaluator.Eval(op.expr), op.expr.type);
  }
  if (ctx->evaluator.error()) {
    if (!ctx->error) ctx->error = ctx->evaluator.error();
    ctx->frame.failed = 1;
    *out = JValue{};
  }
}

void aipol_jit_box_row(Context* ctx, uint32_t type, uint32_t repr, JValue* value) {
  if (!value->known) return;
  aipol::Value v = aipol::jit::ToValue(*ctx, *value, type, static_cast<Repr>(repr));
  value->payload = reinterpret_cast<int64_t>(ctx->Box(std::move(v)));
}

void aipol_jit_read_field(Context* ctx, const uint8_t* block, uint32_t record, uint32_t field, uint32_t path,
                          JValue* out) {
  aipol::Value base;
  base.kind = aipol::ValueKind::Record;
  base.type = ctx->program.types.RecordTypeOf(record);
  base.block = block;
  base.path = ctx->PathName(path);
  const aipol::ir::FieldInfo& info = ctx->program.types.records[record].fields[field];
  aipol::ir::Expr get(aipol::ir::Op::Field, info.type, {});
  get.index = field;
  *out = aipol::jit::FromValue(*ctx, ctx->evaluator.Field(base, get), info.type);
}

// Generated code loops over a boxed collection by count and index: both
// read the boxed list in place (a copy of the whole list per element made
// quantifiers quadratic).
uint64_t aipol_jit_count(Context* ctx, const JValue* collection, uint32_t type) {
  if (const aipol::Value* boxed = BoxedList(*collection)) return boxed->items.size();
  aipol::Value v = aipol::jit::ToValue(*ctx, *collection, type, Repr::Boxed);
  return ctx->evaluator.Elements(v).size();
}

void aipol_jit_element(Context* ctx, const JValue* collection, uint32_t type, uint64_t index, JValue* out) {
  if (const aipol::Value* boxed = BoxedList(*collection)) {
    *out = aipol::jit::FromValue(*ctx, boxed->items[index], ctx->program.types.get(type).element);
    return;
  }
  aipol::Value v = aipol::jit::ToValue(*ctx, *collection, type, Repr::Boxed);
  std::vector<aipol::Value> elements = ctx->evaluator.Elements(v);
  aipol::ir::TypeId element = ctx->program.types.get(type).element;
  *out = aipol::jit::FromValue(*ctx, std::move(elements[index]), element);
}

uint8_t aipol_jit_equal(Context* ctx, const JValue* a, const JValue* b, uint32_t type) {
  aipol::Value x = ctx->evaluator.Materialize(aipol::jit::ToValue(*ctx, *a, type, Repr::Boxed));
  aipol::Value y = ctx->evaluator.Materialize(aipol::jit::ToValue(*ctx, *b, type, Repr::Boxed));
  return aipol::ValuesEqual(x, y) ? 1 : 0;
}

void aipol_jit_fail(Context* ctx, uint32_t site) {
  const aipol::jit::ErrorSite& s = ctx->tables.sites[site];
  if (!ctx->error) ctx->error = aipol::RuntimeError{s.kind, s.message, s.range};
  ctx->frame.failed = 1;
}

}  // extern "C"
