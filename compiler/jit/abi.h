// What generated code and the runtime share (internal to jit/).
//
// A value in generated code is a JValue: a known bit, a handle to the set of
// input paths that made it unknown, and a 64-bit payload. Booleans, ints,
// numbers (as bits), dates, enum members and enum sets (bitmasks) are held
// natively; records read from the input row are a block pointer; anything
// else (strings, lists, string sets, durations, literals of records and
// maps) is boxed: a pointer to an interpreter Value owned by the context
// (or, for literals without operands, by the tables), never changed once
// made. Operations on boxed values call `aipol_jit_apply`, which runs the
// interpreter's own code for that one operation, so both engines share the
// semantics of everything that is not lowered natively.
#pragma once

#include <array>
#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "compiler/interp/evaluator.h"
#include "compiler/ir/ir.h"

namespace aipol::jit {

struct JValue {
  uint8_t known;
  uint8_t tag;  // 0, or kRowTag: an evidence entry left as a row (payload: its block)
  uint16_t unused16;
  uint32_t missing;  // 0: none; odd: one path, id = missing >> 1; even: set (missing >> 1) - 1
  int64_t payload;
  uint32_t path;  // input path id of a row record or map (absent-input reads extend it)
  uint32_t unused32;
};
static_assert(sizeof(JValue) == 24);
inline constexpr uint8_t kRowTag = 1;

// The result layout the entry point (lower.h) fills: a JValue per reported
// fact (Program::reports), then per prohibition and obligation
// (Program::prohibitions, then Program::obligations) kStatusSlots JValues: `applies`, then, unless `applies`
// is false, `from` and `until` (unknown without a path when not declared) and the evidence entry (when the
// status steps asked for it). Statuses go to Context::results, which the
// caller fills with "not applicable" beforehand.
inline constexpr uint32_t kStatusSlots = 4;
inline uint32_t ResultSlots(const ir::Program& program) {
  return static_cast<uint32_t>(program.reports.size() +
                               kStatusSlots * (program.prohibitions.size() + program.obligations.size()));
}

// How a value of a given type is held in generated code.
enum class Repr : uint8_t { Native, Row, RowMap, Boxed };

// An operation the generated code delegates to the interpreter: `expr` reads
// its operands from locals 0..n-1.
struct DelegatedOp {
  ir::Expr expr{ir::Op::Unknown, 0, {}};
  std::vector<ir::TypeId> operand_types;
  // A list literal whose items are all literals without operands: the
  // operations (earlier in Tables::ops) that make them. PrepareConstants
  // makes the list once, like a literal without operands.
  std::vector<uint32_t> constant_items;
  // A literal without operands (a string, `[]`, `{}`), evaluated once by
  // PrepareConstants and then handed out by address: boxed values are never
  // changed once made. Not part of the cached tables.
  std::optional<Value> constant;
};

struct ErrorSite {
  std::string kind;
  std::string message;
  SourceRange range;
};

// Everything the generated code refers to by index (never by address, so
// compiled objects can be cached on disk).
struct Tables {
  std::vector<std::string> paths;  // static input paths, by id
  std::map<std::string, uint32_t> path_ids;
  std::vector<DelegatedOp> ops;
  std::vector<ErrorSite> sites;
  // Each static path's place in name order, and the path at each place: the
  // names of missing paths are sorted by sorting these numbers. Filled by
  // RankPaths, not cached.
  std::vector<uint32_t> path_rank, path_by_rank;
  // Each operation's DelegatedOp::constant, or null: generated code reads
  // it through Frame::constants, so it is kept apart from the large
  // DelegatedOps. Filled by PrepareConstants, not cached.
  std::vector<const Value*> constants;
  uint32_t PathId(const std::string& path);
};

// Whether an operation is a literal without operands that PrepareConstants
// evaluates once (native values, enum sets among them, are not boxed).
bool IsConstantLiteral(const ir::TypeTable& types, ir::Op op, ir::TypeId type, size_t operands);

class Context;

// The part of the context generated code reads directly, at fixed offsets.
struct Frame {
  const uint8_t* row;    // 0
  int64_t as_of;         // 8
  const JValue* params;  // 16
  JValue* memo;          // 24
  uint8_t* memo_done;    // 32
  Context* context;      // 40
  uint8_t failed;        // 48
  // Tables::constants: generated code reads a literal without operands from
  // here rather than calling aipol_jit_apply for it.
  const Value* const* constants;  // 56
};

// Converting between interpreter values and JValues.
Value ToValue(Context& ctx, const JValue& v, ir::TypeId type, Repr repr);
// ToValue of a known native value, into `out` (whose storage is reused).
void NativeValueInto(const ir::TypeTable& types, const JValue& v, ir::TypeId type, Value& out);
JValue FromValue(Context& ctx, Value v, ir::TypeId type);  // moves a boxed value into the context
bool IsNativeType(const ir::TypeTable& types, ir::TypeId type);
// How a value of `type` is held where a canonical value is needed (results,
// memo, operands of runtime calls): natively or boxed.
Repr CanonicalRepr(const ir::TypeTable& types, ir::TypeId type);

// The status steps (interp::StatusSteps, shared with the interpreter) on the
// generated code's values: fills `result` and appends the ids of the paths
// behind an unknown status to `missing`. True when the evidence steps are
// next (EvidenceStatus, with the evidence entry).
bool DecideStatus(Context& ctx, const ir::Decl& d, const JValue& applies, const JValue& from,
                  const JValue& until, StatusResult* result, std::vector<uint32_t>* missing);
void EvidenceStatus(Context& ctx, const ir::Decl& d, const JValue& entry, StatusResult* result);

// Evaluates the delegated literals that have no operands (DelegatedOp::constant),
// which generated code reads through Frame::constants. False if one does not
// evaluate to a known value (never, for the literals IsConstantLiteral names).
bool PrepareConstants(const ir::Program& program, Tables& tables);
// Fills Tables::path_rank and path_by_rank.
void RankPaths(Tables& tables);

// One evaluation's state: the row, memoised declarations, boxed values,
// missing-path sets and the first runtime error. Reused across descriptors
// by each thread.
class Context {
 public:
  Context(const ir::Program& program, const Tables& tables);
  // Starts an evaluation of `request`: its params converted, nothing memoised.
  void Reset(const EvalRequest& request);
  bool SameParams() const;  // as converted last (converted_params)
  void ConvertParams();

  Frame frame{};
  const ir::Program& program;
  const Tables& tables;
  EvalRequest request;
  interp::Evaluator evaluator;
  std::vector<JValue> memo_storage;
  std::vector<uint8_t> memo_done_storage;
  // Boxed values: the first `pool_used` are this evaluation's; the deque's
  // blocks are kept for the next one rather than freed and allocated again.
  std::deque<Value> pool;
  size_t pool_used = 0;
  // Missing-path sets: the first `sets_used` are this evaluation's (the
  // others keep their capacity for the next one).
  std::vector<std::vector<uint32_t>> sets;
  size_t sets_used = 0;
  // Unions made in this evaluation, by their operands (a direct-mapped
  // cache): on a descriptor with most facts absent, the same two sets are
  // joined again and again, each time a new set.
  struct UnionMemo {
    uint64_t operands = 0;  // a << 32 | b; 0: empty
    uint32_t result = 0;
    uint32_t epoch = 0;
  };
  std::array<UnionMemo, 512> union_memo{};
  uint32_t epoch = 1;                      // an entry from an earlier evaluation has another
  std::vector<std::string> dynamic_paths;  // paths met at run time, ids after the static ones
  std::map<std::string, uint32_t> dynamic_ids;
  std::optional<RuntimeError> error;
  // Where the entry point's statuses go (aipol_jit_status), and the ids of
  // the input paths behind unknown results.
  Results* results = nullptr;
  std::vector<uint32_t> missing_ids;
  std::vector<uint32_t> scratch_ids;  // MissingPathsInto's
  // PathNamesInto's bitmap of static paths by rank (all zero between calls).
  mutable std::vector<uint64_t> rank_marks;
  std::vector<JValue> slots;         // the entry point's result layout
  std::vector<JValue> param_values;  // the request's params (Frame::params)
  // The params param_values were converted from, kept while every one is
  // known and a request brings the same values again (a batch passes the
  // same params for every record): converting them, a boxed duration
  // among them, was about 3% of an evaluation.
  const std::vector<Value>* converted_params = nullptr;
  std::vector<Value> converted_copy;
  std::vector<Value> param_boxes;  // the boxed ones, by param

  uint32_t PathId(const std::string& path);
  const std::string& PathName(uint32_t id) const;
  uint32_t Union(uint32_t a, uint32_t b);
  uint32_t UnionOf(uint32_t a, uint32_t b);  // Union's work, without its memo
  uint32_t MissingHandle(const std::vector<std::string>& paths);
  std::vector<std::string> MissingPaths(uint32_t handle) const;
  // The same into `names`, whose strings are reused.
  void MissingPathsInto(uint32_t handle, std::vector<std::string>* names);
  // The path ids of a missing-set handle, appended to `ids`.
  void AppendMissing(uint32_t handle, std::vector<uint32_t>* ids) const;
  // The names of path ids, sorted and unique (as MissingPaths).
  std::vector<std::string> PathNames(std::vector<uint32_t> ids) const;
  // The same into `names`, whose strings are reused; may reorder `ids`.
  void PathNamesInto(std::vector<uint32_t>& ids, std::vector<std::string>* names) const;
  Value* Box(Value v);
  // The next box, cleared but keeping its storage (Value::Clear) from an
  // earlier evaluation: a value built in place there allocates only what
  // outgrows it.
  Value& NewBox();
  std::vector<uint32_t>& NewSet();  // empty, handle `sets_used << 1`
};

}  // namespace aipol::jit

// The runtime entry points generated code calls (registered with the JIT as
// absolute symbols).
extern "C" {
uint32_t aipol_jit_union(aipol::jit::Context* ctx, uint32_t a, uint32_t b);
void aipol_jit_apply(aipol::jit::Context* ctx, uint32_t op, const aipol::jit::JValue* args,
                     aipol::jit::JValue* out);
void aipol_jit_box_row(aipol::jit::Context* ctx, uint32_t record_type, uint32_t repr,
                       aipol::jit::JValue* value);
void aipol_jit_read_field(aipol::jit::Context* ctx, const uint8_t* block, uint32_t record, uint32_t field,
                          uint32_t path, aipol::jit::JValue* out);
uint64_t aipol_jit_count(aipol::jit::Context* ctx, const aipol::jit::JValue* collection, uint32_t type);
void aipol_jit_element(aipol::jit::Context* ctx, const aipol::jit::JValue* collection, uint32_t type,
                       uint64_t index, aipol::jit::JValue* out);
uint8_t aipol_jit_equal(aipol::jit::Context* ctx, const aipol::jit::JValue* a, const aipol::jit::JValue* b,
                        uint32_t type);
void aipol_jit_fail(aipol::jit::Context* ctx, uint32_t site);
// The entry point's status steps for the `status`-th prohibition or
// obligation, from its result slots: 1 when its evidence entry is wanted.
uint8_t aipol_jit_status(aipol::jit::Context* ctx, uint32_t status, const aipol::jit::JValue* slots);
void aipol_jit_evidence(aipol::jit::Context* ctx, uint32_t status, const aipol::jit::JValue* entry);
}
