// Lowering the typed IR to LLVM IR. One handler per group of operations;
// values are JV (a known bit, a missing-set handle, a payload, a path) with
// a representation fixed at compile time (abi.h).
#include "compiler/jit/lower.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include <llvm/Analysis/InstSimplifyFolder.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/Verifier.h>

#include "runtime/json_text.h"

namespace aipol::jit {

using ir::Op;
using ir::TypeKind;

std::string DeclFunction(uint32_t decl) { return "decl_" + std::to_string(decl); }
std::string FromFunction(uint32_t decl) { return "from_" + std::to_string(decl); }
std::string UntilFunction(uint32_t decl) { return "until_" + std::to_string(decl); }
std::string EvidenceFunction(uint32_t decl) { return "evidence_" + std::to_string(decl); }
const char* const kEntryFunction = "aipol_policy_evaluate";
std::string ExpectFunction(size_t test, size_t expect) {
  return "expect_" + std::to_string(test) + "_" + std::to_string(expect);
}

namespace {

// A value during lowering.
struct JV {
  llvm::Value* known = nullptr;    // i1
  llvm::Value* missing = nullptr;  // i32
  llvm::Value* payload = nullptr;  // i64
  llvm::Value* path = nullptr;     // i32
  Repr repr = Repr::Native;
  ir::TypeId type = 0;
  uint32_t record = 0;      // Row: the block's record; RowMap: the entry record (if any)
  std::string static_path;  // Row, RowMap: the input path
  int64_t constant = -1;    // a literal read from the constants: its operation
};

// What the lowerers of one program's modules share while lowering, beside
// the tables the generated code refers to (which are cached; this is not).
struct SharedLowering {
  // The one operation per list type that makes `[]`. Every `[]` of a type
  // shares it, so generated code can tell the empty list by its address (a
  // concatenation with it is its other side).
  std::map<ir::TypeId, uint32_t> empty_lists;
  // The list literals of constants made so far, by type and items.
  std::map<std::pair<ir::TypeId, std::vector<uint32_t>>, uint32_t> constant_lists;
};

class Lowerer {
 public:
  Lowerer(const ir::Program& program, llvm::LLVMContext& context, llvm::Module& module, Tables& tables,
          SharedLowering& shared)
      : p_(program),
        types_(program.types),
        c_(context),
        m_(module),
        t_(tables),
        shared_(shared),
        b_(context, llvm::InstSimplifyFolder(module.getDataLayout())) {
    i1_ = b_.getInt1Ty();
    i8_ = b_.getInt8Ty();
    i16_ = b_.getInt16Ty();
    i32_ = b_.getInt32Ty();
    i64_ = b_.getInt64Ty();
    ptr_ = b_.getPtrTy();
    jv_ = llvm::StructType::create(c_, {i8_, i8_, i16_, i32_, i64_, i32_, i32_}, "JValue");
    auto fn = [&](const char* name, llvm::Type* result, std::vector<llvm::Type*> args) {
      return m_.getOrInsertFunction(name, llvm::FunctionType::get(result, args, false));
    };
    union_ = fn("aipol_jit_union", i32_, {ptr_, i32_, i32_});
    apply_ = fn("aipol_jit_apply", b_.getVoidTy(), {ptr_, i32_, ptr_, ptr_});
    box_row_ = fn("aipol_jit_box_row", b_.getVoidTy(), {ptr_, i32_, i32_, ptr_});
    read_field_ = fn("aipol_jit_read_field", b_.getVoidTy(), {ptr_, ptr_, i32_, i32_, i32_, ptr_});
    count_ = fn("aipol_jit_count", i64_, {ptr_, ptr_, i32_});
    element_ = fn("aipol_jit_element", b_.getVoidTy(), {ptr_, ptr_, i32_, i64_, ptr_});
    equal_ = fn("aipol_jit_equal", i8_, {ptr_, ptr_, ptr_, i32_});
    fail_ = fn("aipol_jit_fail", b_.getVoidTy(), {ptr_, i32_});
    status_ = fn("aipol_jit_status", i8_, {ptr_, i32_, ptr_});
    evidence_ = fn("aipol_jit_evidence", b_.getVoidTy(), {ptr_, i32_, ptr_});
    t_.PathId("");  // id 0: the input's root (no path)
  }

  // Lower() defines each function in the module with the fewest
  // instructions so far; every module declares every decl function first
  // (decls call each other).
  void DeclareDecls() {
    for (uint32_t id = 0; id < p_.decls.size(); ++id) Declare(DeclFunction(id));
  }
  void DefineDeclFunction(uint32_t id) {
    Counted([&] { DefineDecl(id); });
  }
  void DefinePartsOf(uint32_t id) {
    Counted([&] { DefineParts(id); });
  }
  void DefineExpect(size_t test, size_t expect) {
    const ir::Expect& e = p_.tests[test].expects[expect];
    Counted([&] { DefineExpression(ExpectFunction(test, expect), *e.expr, e.locals); });
  }
  // The entry point is one large function, which the back end takes longer
  // over than its instructions say: it counts twice.
  void DefineEntryPoint() {
    size_t before = instructions_;
    Counted([&] { DefineEntry(); });
    instructions_ += instructions_ - before;
  }
  size_t instructions() const { return instructions_; }

 private:
  // ---------------------------------------------------------------- plumbing

  // Runs `define`, adding the instructions of the functions it defines.
  template <typename Define>
  void Counted(Define define) {
    size_t first = defined_.size();
    define();
    for (size_t k = first; k < defined_.size(); ++k) instructions_ += defined_[k]->getInstructionCount();
  }

  // The function `name` of this module: declared here unless it already is
  // (the entry point declares the parts it calls before they are defined).
  llvm::Function* Declare(const std::string& name) {
    if (llvm::Function* f = m_.getFunction(name)) return f;
    auto* type = llvm::FunctionType::get(b_.getVoidTy(), {ptr_, ptr_}, false);
    return llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, m_);
  }

  // Starts a function body: its entry block, the frame and out arguments.
  void Begin(llvm::Function* f, uint32_t locals) {
    function_ = f;
    context_ = memo_base_ = done_base_ = constants_ = nullptr;
    bail_ = nullptr;
    defined_.push_back(f);
    frame_ = f->getArg(0);
    out_ = f->getArg(1);
    b_.SetInsertPoint(llvm::BasicBlock::Create(c_, "entry", f));
    locals_.assign(1, std::vector<std::optional<JV>>(locals));
  }

  // A pointer field of the frame, loaded in the entry block on first use
  // (the frame's pointers do not change during an evaluation).
  llvm::Value* FrameField(llvm::Value*& loaded, uint64_t offset, const char* name) {
    if (!loaded) {
      llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
      loaded = entry.CreateLoad(ptr_, entry.CreateConstGEP1_64(i8_, frame_, offset), name);
    }
    return loaded;
  }
  llvm::Value* Ctx() { return FrameField(context_, 40, "ctx"); }

  llvm::AllocaInst* Slot(llvm::Type* type = nullptr, llvm::Value* count = nullptr) {
    llvm::IRBuilder<> entry(&function_->getEntryBlock(), function_->getEntryBlock().begin());
    return entry.CreateAlloca(type ? type : jv_, count);
  }

  // A runtime error found by generated code: recorded (the first is kept,
  // Context::error), then the function returns an unknown value from its
  // `bail` block. Generated code does not check for an error after each
  // call: evaluation runs on over unknown values and the caller throws the
  // results away. A check per call cost a branch and spilled values (the
  // fast register allocator spills what lives across blocks) for the rare
  // descriptor that fails.
  void Fail(const char* kind, const char* message, SourceRange range) {
    uint32_t site = static_cast<uint32_t>(t_.sites.size());
    t_.sites.push_back({kind, message, range});
    b_.CreateCall(fail_, {Ctx(), b_.getInt32(site)});
    if (!bail_) {
      llvm::IRBuilderBase::InsertPointGuard keep(b_);
      bail_ = Block("bail");
      b_.SetInsertPoint(bail_);
      // Field by field: a store of a whole struct sends the function to the
      // slow instruction selector (FastISel handles no aggregate stores).
      Store(Unknown(ir::TypeTable::kBool, b_.getInt32(0)), out_);
      b_.CreateRetVoid();
    }
    b_.CreateBr(bail_);
  }

  // A JValue is three 8-byte words (abi.h): the known byte with the missing
  // handle in the upper half, the payload, the path. Whole words keep the IR
  // small (fewer instructions to select) and the unused bytes zero.
  void Store(const JV& v, llvm::Value* where) {
    llvm::Value* head =
        b_.CreateOr(b_.CreateZExt(v.known, i64_), b_.CreateShl(b_.CreateZExt(v.missing, i64_), 32));
    b_.CreateStore(head, where);
    b_.CreateStore(v.payload, b_.CreateConstGEP1_64(i8_, where, 8));
    b_.CreateStore(b_.CreateZExt(v.path, i64_), b_.CreateConstGEP1_64(i8_, where, 16));
  }

  JV Load(llvm::Value* where, ir::TypeId type, Repr repr) {
    JV v;
    llvm::Value* head = b_.CreateLoad(i64_, where);
    v.known = b_.CreateICmpNE(b_.CreateAnd(head, b_.getInt64(0xff)), b_.getInt64(0));
    v.missing = b_.CreateTrunc(b_.CreateLShr(head, 32), i32_);
    v.payload = b_.CreateLoad(i64_, b_.CreateConstGEP1_64(i8_, where, 8));
    v.path = b_.CreateLoad(i32_, b_.CreateConstGEP1_64(i8_, where, 16));
    v.repr = repr;
    v.type = type;
    return v;
  }

  Repr Canonical(ir::TypeId type) const { return CanonicalRepr(types_, type); }

  JV Make(ir::TypeId type, llvm::Value* known, llvm::Value* payload, llvm::Value* missing = nullptr,
          llvm::Value* path = nullptr) {
    JV v;
    v.type = type;
    v.repr = Canonical(type);
    v.known = known;
    v.payload = payload;
    v.missing = missing ? missing : b_.getInt32(0);
    v.path = path ? path : b_.getInt32(0);
    return v;
  }
  JV Known(ir::TypeId type, llvm::Value* payload) { return Make(type, b_.getTrue(), payload); }
  JV Unknown(ir::TypeId type, llvm::Value* missing, llvm::Value* path = nullptr) {
    return Make(type, b_.getFalse(), b_.getInt64(0), missing, path);
  }
  JV Bool(llvm::Value* bit) { return Known(ir::TypeTable::kBool, b_.CreateZExt(bit, i64_)); }

  // Row and RowMap values become boxed where a canonical value is needed.
  JV Canonicalize(JV v) {
    if (v.repr != Repr::Row && v.repr != Repr::RowMap) return v;
    llvm::AllocaInst* slot = Slot();
    Store(v, slot);
    b_.CreateCall(box_row_, {Ctx(), b_.getInt32(v.type), b_.getInt32(static_cast<uint32_t>(v.repr)), slot});
    return Load(slot, v.type, Repr::Boxed);
  }

  llvm::Value* Union(llvm::Value* a, llvm::Value* b) {
    // No code when one side is known to carry no paths (the builder folds
    // the missing paths of known values to 0).
    if (IsZero(a) || a == b) return b;
    if (IsZero(b)) return a;
    // The common cases inline; a real union only when both carry paths.
    llvm::Value* trivial =
        b_.CreateOr(b_.CreateOr(b_.CreateICmpEQ(a, b_.getInt32(0)), b_.CreateICmpEQ(b, b_.getInt32(0))),
                    b_.CreateICmpEQ(a, b));
    auto* slow = llvm::BasicBlock::Create(c_, "union", function_);
    auto* done = llvm::BasicBlock::Create(c_, "union_done", function_);
    llvm::BasicBlock* from = b_.GetInsertBlock();
    llvm::Value* quick = b_.CreateSelect(b_.CreateICmpEQ(a, b_.getInt32(0)), b, a);
    b_.CreateCondBr(trivial, done, slow);
    b_.SetInsertPoint(slow);
    llvm::Value* merged = b_.CreateCall(union_, {Ctx(), a, b});
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    llvm::PHINode* phi = b_.CreatePHI(i32_, 2);
    phi->addIncoming(quick, from);
    phi->addIncoming(merged, slow);
    return phi;
  }

  static bool IsZero(llvm::Value* v) {
    auto* c = llvm::dyn_cast<llvm::ConstantInt>(v);
    return c && c->isZero();
  }

  // The missing paths of the unknown ones among `values`.
  llvm::Value* MissingOf(std::initializer_list<const JV*> values) {
    llvm::Value* missing = b_.getInt32(0);
    for (const JV* v : values) {
      llvm::Value* mine = b_.CreateSelect(v->known, b_.getInt32(0), v->missing);
      missing = Union(missing, mine);
    }
    return missing;
  }

  // Branches that each deliver a value meet in `done`, where PHI nodes merge
  // the values' words (no stack slot, so no pass is needed to promote one).
  struct Merge {
    llvm::BasicBlock* done;
    ir::TypeId type;
    std::vector<std::pair<llvm::BasicBlock*, JV>> incoming;
  };
  Merge StartMerge(ir::TypeId type) { return {llvm::BasicBlock::Create(c_, "merge", function_), type, {}}; }
  void Deliver(Merge& m, JV v) {
    JV canonical = Canonicalize(v);
    m.incoming.emplace_back(b_.GetInsertBlock(), canonical);
    b_.CreateBr(m.done);
  }
  JV Finish(Merge& m) {
    b_.SetInsertPoint(m.done);
    auto phi = [&](llvm::Type* type, llvm::Value* JV::*word) -> llvm::Value* {
      // A word that is the same on every edge (often a constant) needs no
      // PHI node, and no register held across the branches.
      llvm::Value* first = m.incoming.empty() ? nullptr : m.incoming[0].second.*word;
      if (first && std::all_of(m.incoming.begin(), m.incoming.end(),
                               [&](const auto& in) { return in.second.*word == first; })) {
        return first;
      }
      llvm::PHINode* node = b_.CreatePHI(type, static_cast<unsigned>(m.incoming.size()));
      for (auto& [block, v] : m.incoming) node->addIncoming(v.*word, block);
      return node;
    };
    // One statement each: the order of the PHI nodes shows in the IR goldens.
    llvm::Value* known = phi(i1_, &JV::known);
    llvm::Value* missing = phi(i32_, &JV::missing);
    llvm::Value* payload = phi(i64_, &JV::payload);
    llvm::Value* path = phi(i32_, &JV::path);
    return Make(m.type, known, payload, missing, path);
  }
  llvm::BasicBlock* Block(const char* name) { return llvm::BasicBlock::Create(c_, name, function_); }

  llvm::Value* AsDouble(llvm::Value* payload) { return b_.CreateBitCast(payload, b_.getDoubleTy()); }
  llvm::Value* FromDouble(llvm::Value* d) { return b_.CreateBitCast(d, i64_); }
  llvm::Value* Singleton(const std::string& path) { return b_.getInt32((t_.PathId(path) << 1) | 1); }

  // ------------------------------------------------------------ declarations

  // A declaration's memo entry in the frame: its value and its "done" flag.
  struct Memo {
    llvm::Value* slot;
    llvm::Value* done_flag;
  };
  Memo MemoOf(uint32_t id) { return {MemoSlot(id), DoneFlag(id)}; }
  llvm::Value* MemoSlot(uint32_t id) {
    return b_.CreateConstGEP1_64(jv_, FrameField(memo_base_, 24, "memo"), id);
  }
  llvm::Value* DoneFlag(uint32_t id) {
    return b_.CreateConstGEP1_64(i8_, FrameField(done_base_, 32, "done"), id);
  }
  llvm::Value* IsDone(const Memo& memo) {
    return b_.CreateICmpNE(b_.CreateLoad(i8_, memo.done_flag), b_.getInt8(0));
  }

  // `decl_N(frame, out)` computes the declaration into `out`, which is its
  // memo slot, and marks it done. Callers check the memo first (CallDecl,
  // and the engine's direct call in EvaluateStatus). After a Fail the slot
  // holds an unknown value and stays not done.
  void DefineDecl(uint32_t id) {
    const ir::Decl& d = p_.decls[id];
    llvm::Function* f = m_.getFunction(DeclFunction(id));
    Begin(f, d.locals);
    JV value = d.kind == ir::DeclKind::Def
                   ? Lower(*d.value)
                   : RuleValue(d, d.kind == ir::DeclKind::Obligation || d.kind == ir::DeclKind::Prohibition);
    Store(Canonicalize(value), out_);
    b_.CreateStore(b_.getInt8(1), DoneFlag(id));
    b_.CreateRetVoid();
  }

  void DefineParts(uint32_t id) {
    const ir::Decl& d = p_.decls[id];
    if (d.from) DefineExpression(FromFunction(id), *d.from, d.locals);
    if (d.until) DefineExpression(UntilFunction(id), *d.until, d.locals);
    // An evidence entry read from the input stays a row (kRowTag): the
    // status steps read its fields in place, with no boxed value.
    if (d.evidence) DefineExpression(EvidenceFunction(id), *d.evidence->entry, d.locals, true);
  }

  // A function returning the value of `e`, canonical, or (`rows`) a row as it
  // is, tagged kRowTag.
  void DefineExpression(const std::string& name, const ir::Expr& e, uint32_t locals, bool rows = false) {
    Begin(Declare(name), locals);
    JV v = Lower(e);
    if (rows && v.repr == Repr::Row) {
      Store(v, out_);
      b_.CreateStore(b_.getInt8(kRowTag), b_.CreateConstGEP1_64(i8_, out_, 1));
    } else {
      Store(Canonicalize(v), out_);
    }
    b_.CreateRetVoid();
  }

  // The entry point: the whole evaluation of a descriptor into the result
  // layout (abi.h), in the interpreter's order (after a runtime error the
  // caller discards the results; a status that does not apply is left as the
  // caller set it, "not applicable"): the reported facts, then per
  // prohibition and obligation its `applies`, its dates when it may apply,
  // the status steps (aipol_jit_status, the interpreter's own) and the
  // evidence entry when they ask for it.
  void DefineEntry() {
    Begin(Declare(kEntryFunction), 0);
    llvm::Value* results = out_;
    uint32_t slot = 0;
    auto result_slot = [&](uint32_t k) { return b_.CreateConstGEP1_64(jv_, results, k); };
    for (uint32_t id : p_.reports) CallDecl(id, result_slot(slot++));
    uint32_t status = 0;
    for (const std::vector<uint32_t>* list : {&p_.prohibitions, &p_.obligations}) {
      // The block after the last status of the current run of each kind.
      llvm::BasicBlock* guard_run_end = nullptr;
      llvm::BasicBlock* role_run_end = nullptr;
      for (size_t k = 0; k < list->size(); ++k) {
        uint32_t id = (*list)[k];
        const ir::Decl& d = p_.decls[id];
        llvm::Value* slots = result_slot(slot);
        // A run's test is its first status's own test.
        bool starts_guard_run = !guard_run_end && StartsRun(*list, k, &Lowerer::GuardOf);
        if (starts_guard_run) guard_run_end = SkipRunIf(&Lowerer::SkipIfGuardFalse, id, "guard_run_end");
        bool starts_role_run = !role_run_end && StartsRun(*list, k, &Lowerer::SkippableRole);
        if (starts_role_run) role_run_end = SkipRunIf(&Lowerer::SkipIfRoleFalse, id, "role_run_end");
        auto* next = Block("next_status");
        if (!starts_guard_run) SkipIfGuardFalse(id, next);
        if (!starts_role_run) SkipIfRoleFalse(id, next);
        JV applies = CallDecl(id);
        // Most statuses do not apply: the caller's results say "not
        // applicable" already, so those need no status steps (nor the
        // copy of `applies` into their slot).
        auto* may_apply = Block("may_apply");
        llvm::Value* is_false = IsFalse(applies);
        b_.CreateCondBr(is_false, next, may_apply);
        b_.SetInsertPoint(may_apply);
        b_.CreateMemCpy(slots, llvm::MaybeAlign(8), MemoSlot(id), llvm::MaybeAlign(8), 24);
        // A date not declared is unknown, with no path; one that is a
        // declaration (most are) is read from its memo, without its part's call.
        auto date = [&](const ir::ExprPtr& declared, const std::string& name, uint32_t k) {
          if (declared && declared->op == Op::DeclRef) {
            CallDecl(declared->index, result_slot(slot + k));
          } else if (declared) {
            CallPart(name, result_slot(slot + k));
          } else {
            Store(Unknown(ir::TypeTable::kDate, b_.getInt32(0)), result_slot(slot + k));
          }
        };
        date(d.from, FromFunction(id), 1);
        date(d.until, UntilFunction(id), 2);
        llvm::Value* wants_evidence = b_.CreateCall(status_, {Ctx(), b_.getInt32(status), slots});
        if (d.evidence) {
          auto* evidence = Block("evidence");
          b_.CreateCondBr(b_.CreateICmpNE(wants_evidence, b_.getInt8(0)), evidence, next);
          b_.SetInsertPoint(evidence);
          llvm::Value* entry = result_slot(slot + 3);
          CallPart(EvidenceFunction(id), entry);
          b_.CreateCall(evidence_, {Ctx(), b_.getInt32(status), entry});
        }
        b_.CreateBr(next);
        b_.SetInsertPoint(next);
        EndRunAfter(*list, k, &Lowerer::GuardOf, &guard_run_end);
        EndRunAfter(*list, k, &Lowerer::SkippableRole, &role_run_end);
        slot += kStatusSlots;
        ++status;
      }
    }
    b_.CreateRetVoid();
  }

  // The declaration whose value, known false, makes a rule false: the first
  // operand of its `when`'s `and` chain, when that is a declaration.
  std::optional<uint32_t> GuardOf(uint32_t rule) {
    const ir::Expr* first = p_.decls[rule].when.get();
    while (first && first->op == Op::And) first = first->operands[0].get();
    if (first && first->op == Op::DeclRef) return first->index;
    return std::nullopt;
  }

  // Branches to `skip` when the rule's guard (GuardOf) is already computed
  // and known false: the rule is then false, its status not applicable,
  // and it needs no call. Most statuses share a few guards (the role's
  // duties, high-risk, a chapter that binds), computed by the first status
  // that reads them; each call of a rule that was false anyway cost a memo
  // check, a call and a memo store. The rule's own memo stays not done: a
  // declaration that reads it later computes it, to the same false.
  void SkipIfGuardFalse(uint32_t rule, llvm::BasicBlock* skip) {
    std::optional<uint32_t> guard = GuardOf(rule);
    if (!guard) return;
    Memo memo = MemoOf(*guard);
    auto* read = Block("guard_done");
    auto* go_on = Block("guard_not_false");
    b_.CreateCondBr(IsDone(memo), read, go_on);
    b_.SetInsertPoint(read);
    JV value = Load(memo.slot, ir::TypeTable::kBool, Repr::Native);
    b_.CreateCondBr(IsFalse(value), skip, go_on);
    b_.SetInsertPoint(go_on);
  }

  // Runs: consecutive statuses with the same guard (37 obligations of the
  // standard library follow `high_risk_duties_apply`), or the same role
  // test that SkipIfRoleFalse may take (the provider's duties). When the
  // run's test is known false, one test skips them all, rather than one
  // each. Each status after the first keeps its own test, for a guard
  // computed inside the run. Runs of the two kinds may cross: each skip
  // lands after its own run, which every status in it would have skipped.
  // A run's key is its test's subject: GuardOf, SkippableRole.
  using RunKey = std::optional<uint32_t> (Lowerer::*)(uint32_t rule);
  using SkipTest = void (Lowerer::*)(uint32_t rule, llvm::BasicBlock*);
  bool StartsRun(const std::vector<uint32_t>& statuses, size_t k, RunKey key) {
    std::optional<uint32_t> here = (this->*key)(statuses[k]);
    return here && k + 1 < statuses.size() && (this->*key)(statuses[k + 1]) == here;
  }
  // The run's test, branching to the block it returns: after the run's
  // last status, placed in the function there (EndRunAfter).
  llvm::BasicBlock* SkipRunIf(SkipTest test, uint32_t first, const char* name) {
    auto* end = llvm::BasicBlock::Create(c_, name);
    (this->*test)(first, end);
    return end;
  }
  void EndRunAfter(const std::vector<uint32_t>& statuses, size_t k, RunKey key, llvm::BasicBlock** end) {
    if (!*end) return;
    if (k + 1 < statuses.size() && (this->*key)(statuses[k + 1]) == (this->*key)(statuses[k])) return;
    (*end)->insertInto(function_);
    b_.CreateBr(*end);
    b_.SetInsertPoint(*end);
    *end = nullptr;
  }

  // Branches to `skip` when the rule's role test (`actor in roles`, its last
  // term) is known false and no term of the rule can fail: the rule is then
  // false whatever its other terms are, and evaluating them first, as the
  // interpreter does, could neither raise an error nor change a result.
  // Only a role test of constants, declarations and input fields (no
  // locals, no calls), which is cheap to evaluate here.
  void SkipIfRoleFalse(uint32_t rule, llvm::BasicBlock* skip) {
    if (!SkippableRole(rule)) return;
    JV role = Lower(*p_.decls[rule].actor_in_roles);
    auto* go_on = Block("role_not_false");
    b_.CreateCondBr(IsFalse(role), skip, go_on);
    b_.SetInsertPoint(go_on);
  }

  // The rule's actor when SkipIfRoleFalse may test its role. Every role
  // test is `actor in roles` over the same roles (the program's roles
  // declaration or input field), so the actor tells them apart.
  std::optional<uint32_t> SkippableRole(uint32_t rule) {
    const ir::Decl& d = p_.decls[rule];
    if (!d.actor_in_roles || !IsPlainTest(*d.actor_in_roles) || DeclCanFail(rule)) return std::nullopt;
    return d.actor;
  }

  static bool IsPlainTest(const ir::Expr& e) {
    switch (e.op) {
      case Op::In:
      case Op::Const:
      case Op::DeclRef:
      case Op::Field:
      case Op::Input: break;
      default: return false;
    }
    return std::all_of(e.operands.begin(), e.operands.end(),
                       [](const ir::ExprPtr& operand) { return !operand || IsPlainTest(*operand); });
  }

  // Whether evaluating an expression may raise a runtime error: an op that
  // can (ir::OpMayFail), in the expression, the declarations it reads or
  // the functions it calls.
  bool CanFail(const ir::Expr& e) {
    if (ir::OpMayFail(e.op)) return true;
    if (e.op == Op::DeclRef && DeclCanFail(e.index)) return true;
    if (e.op == Op::Call && CanFail(*p_.functions[e.index].body)) return true;
    return std::any_of(e.operands.begin(), e.operands.end(),
                       [&](const ir::ExprPtr& operand) { return operand && CanFail(*operand); });
  }
  bool DeclCanFail(uint32_t id) {
    auto [at, added] = can_fail_.emplace(id, true);  // (no recursion: the language has none)
    if (!added) return at->second;
    const ir::Decl& d = p_.decls[id];
    bool fails = d.kind == ir::DeclKind::Def ? CanFail(*d.value) : RuleCanFail(d);
    can_fail_[id] = fails;
    return fails;
  }
  bool RuleCanFail(const ir::Decl& d) {
    for (const ir::ExprPtr* term : {&d.when, &d.unless, &d.actor_in_roles}) {
      if (*term && CanFail(**term)) return true;
    }
    return std::any_of(d.exceptions.begin(), d.exceptions.end(), [&](uint32_t e) { return DeclCanFail(e); });
  }

  // Calls a function of an obligation's part (defined in whichever module)
  // into `where`.
  void CallPart(const std::string& name, llvm::Value* where) {
    b_.CreateCall(Declare(name), {frame_, where});
  }

  // `when and not unless and not e1 ... (and actor in roles)`, left to
  // right, stopping at false: the interpreter's RuleValue, step for step,
  // as one `and` chain.
  JV RuleValue(const ir::Decl& d, bool with_roles) {
    std::vector<std::function<JV()>> terms;
    terms.push_back([&] { return d.when ? Lower(*d.when) : Bool(b_.getTrue()); });
    if (d.unless) terms.push_back([&] { return KNot(Lower(*d.unless)); });
    for (uint32_t exception : d.exceptions)
      terms.push_back([this, exception] { return KNot(CallDecl(exception)); });
    if (with_roles && d.actor_in_roles) terms.push_back([&] { return Lower(*d.actor_in_roles); });
    // A rule of its `when` alone is that value as it is, its path included
    // (as the interpreter's, which joins nothing then).
    if (terms.size() == 1) return terms[0]();
    return KleeneChain(Op::And, terms);
  }

  // A declaration's value, from its memo (computed on the first use); also
  // copied to `slot` when one is given.
  JV CallDecl(uint32_t id, llvm::Value* slot = nullptr) {
    Memo memo = MemoOf(id);
    auto* miss = Block("memo_miss");
    auto* done = Block("memo_done");
    b_.CreateCondBr(IsDone(memo), done, miss);
    b_.SetInsertPoint(miss);
    b_.CreateCall(m_.getFunction(DeclFunction(id)), {frame_, memo.slot});
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    if (slot) b_.CreateMemCpy(slot, llvm::MaybeAlign(8), memo.slot, llvm::MaybeAlign(8), 24);
    return Load(memo.slot, p_.decls[id].type, Canonical(p_.decls[id].type));
  }

  // ------------------------------------------------------------------ logic

  // A boolean known to be false.
  llvm::Value* IsFalse(const JV& v) {
    return b_.CreateAnd(v.known, b_.CreateICmpEQ(v.payload, b_.getInt64(0)));
  }

  JV KNot(const JV& a) {
    return Make(ir::TypeTable::kBool, a.known, b_.CreateXor(a.payload, b_.getInt64(1)),
                b_.CreateSelect(a.known, b_.getInt32(0), a.missing));
  }

  // `not`; `a implies b` as the chain `not a or b`, which stops at a false
  // premise as the interpreter does; `and` and `or` chains.
  JV Logic(const ir::Expr& e) {
    if (e.op == Op::Not) return KNot(Lower(*e.operands[0]));
    if (e.op == Op::Implies) {
      return KleeneChain(
          Op::Or, {[&] { return KNot(Lower(*e.operands[0])); }, [&] { return Lower(*e.operands[1]); }});
    }
    return Chain(e);
  }

  // The operands of a chain of one operator, `a or b or c` being
  // `(a or b) or c`, left to right.
  static void ChainOperands(const ir::Expr& e, Op op, std::vector<const ir::Expr*>* out) {
    if (e.op != op) return out->push_back(&e);
    ChainOperands(*e.operands[0], op, out);
    ChainOperands(*e.operands[1], op, out);
  }

  // A chain of `and` (or `or`) as one: operands left to right, stopping at
  // the first known false (true); else known when every operand is, unknown
  // with the paths of the unknown ones. Kleene `and` and `or` are
  // associative, so this is the interpreter's nested result; the paths are
  // joined only when the result is unknown, off the common path. Nested
  // two-operand merges made Annex III's twenty-five points and the
  // prohibitions' disjunction a chain of PHI nodes and unions.
  JV Chain(const ir::Expr& e) {
    std::vector<const ir::Expr*> operands;
    ChainOperands(e, e.op, &operands);
    std::vector<std::function<JV()>> terms;
    for (const ir::Expr* operand : operands) terms.push_back([this, operand] { return Lower(*operand); });
    return KleeneChain(e.op, terms);
  }

  // `terms` joined by `op` (And or Or), each lowered in turn.
  JV KleeneChain(Op op, const std::vector<std::function<JV()>>& terms) {
    int64_t decides = op == Op::Or ? 1 : 0;
    Merge m = StartMerge(ir::TypeTable::kBool);
    llvm::Value* all_known = b_.getTrue();
    std::vector<JV> values;
    for (const std::function<JV()>& term : terms) {
      JV v = term();
      auto* stop = Block("chain_stop");
      auto* next = Block("chain_next");
      b_.CreateCondBr(b_.CreateAnd(v.known, b_.CreateICmpEQ(v.payload, b_.getInt64(decides))), stop, next);
      b_.SetInsertPoint(stop);
      Deliver(m, Bool(b_.getInt1(decides != 0)));
      b_.SetInsertPoint(next);
      all_known = b_.CreateAnd(all_known, v.known);
      values.push_back(v);
    }
    llvm::Value* undecided = b_.getInt64(1 - decides);
    auto* known = Block("chain_known");
    auto* unknown = Block("chain_unknown");
    b_.CreateCondBr(all_known, known, unknown);
    b_.SetInsertPoint(known);
    Deliver(m, Make(ir::TypeTable::kBool, b_.getTrue(), undecided));
    b_.SetInsertPoint(unknown);
    llvm::Value* missing = b_.getInt32(0);
    for (const JV& v : values) missing = Union(missing, b_.CreateSelect(v.known, b_.getInt32(0), v.missing));
    Deliver(m, Make(ir::TypeTable::kBool, b_.getFalse(), undecided, missing));
    return Finish(m);
  }

  JV IfThenElse(const ir::Expr& e) {
    Merge m = StartMerge(e.type);
    JV c = Lower(*e.operands[0]);
    auto* known = Block("if_known");
    auto* unknown = Block("if_unknown");
    b_.CreateCondBr(c.known, known, unknown);
    b_.SetInsertPoint(known);
    auto* then_block = Block("then");
    auto* else_block = Block("else");
    b_.CreateCondBr(b_.CreateICmpNE(c.payload, b_.getInt64(0)), then_block, else_block);
    b_.SetInsertPoint(then_block);
    Deliver(m, Lower(*e.operands[1]));
    b_.SetInsertPoint(else_block);
    Deliver(m, Lower(*e.operands[2]));
    // Unknown condition: both branches; equal known branches decide anyway.
    b_.SetInsertPoint(unknown);
    JV a = Canonicalize(Lower(*e.operands[1]));
    JV b = Canonicalize(Lower(*e.operands[2]));
    llvm::Value* same = b_.CreateAnd(b_.CreateAnd(a.known, b.known), Equal(a, b, e.type));
    auto* equal = Block("if_equal");
    auto* differ = Block("if_differ");
    b_.CreateCondBr(same, equal, differ);
    b_.SetInsertPoint(equal);
    Deliver(m, a);
    b_.SetInsertPoint(differ);
    Deliver(m, Unknown(e.type, Union(MissingOf({&a, &b}), c.missing)));
    return Finish(m);
  }

  // Equality of two known values of one type, as the interpreter decides it.
  llvm::Value* Equal(const JV& a, const JV& b, ir::TypeId type) {
    if (IsNativeType(types_, type)) {
      if (types_.kind(type) == TypeKind::Number)
        return b_.CreateFCmpOEQ(AsDouble(a.payload), AsDouble(b.payload));
      return b_.CreateICmpEQ(a.payload, b.payload);
    }
    // Boxed: only ask the runtime when both are known.
    llvm::AllocaInst* x = Slot();
    llvm::AllocaInst* y = Slot();
    Store(a, x);
    Store(b, y);
    llvm::Value* both = b_.CreateAnd(a.known, b.known);
    auto* ask = Block("ask_equal");
    auto* done = Block("equal_done");
    llvm::BasicBlock* from = b_.GetInsertBlock();
    b_.CreateCondBr(both, ask, done);
    b_.SetInsertPoint(ask);
    llvm::Value* result =
        b_.CreateICmpNE(b_.CreateCall(equal_, {Ctx(), x, y, b_.getInt32(type)}), b_.getInt8(0));
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
    llvm::PHINode* phi = b_.CreatePHI(i1_, 2);
    phi->addIncoming(b_.getFalse(), from);
    phi->addIncoming(result, ask);
    return phi;
  }

  JV DefaultOf(const ir::Expr& e) {
    Merge m = StartMerge(e.type);
    JV value = Lower(*e.operands[0]);
    auto* use = Block("default_value");
    auto* fallback = Block("default_fallback");
    b_.CreateCondBr(value.known, use, fallback);
    b_.SetInsertPoint(use);
    Deliver(m, value);
    b_.SetInsertPoint(fallback);
    Deliver(m, Lower(*e.operands[1]));
    return Finish(m);
  }

  // any / all / count over an enum set (natively) or a boxed collection.
  JV Quantifier(const ir::Expr& e) {
    Merge m = StartMerge(e.type);
    JV collection = Canonicalize(Lower(*e.operands[0]));
    auto* unknown = Block("q_unknown");
    auto* known = Block("q_known");
    b_.CreateCondBr(collection.known, known, unknown);
    b_.SetInsertPoint(unknown);
    Deliver(m, Unknown(e.type, collection.missing));
    b_.SetInsertPoint(known);

    bool enum_set = IsNativeType(types_, collection.type);
    ir::TypeId element = types_.get(collection.type).element;
    llvm::AllocaInst* coll_slot = Slot();
    Store(collection, coll_slot);
    llvm::Value* count = enum_set ? b_.getInt64(64)
                                  : static_cast<llvm::Value*>(b_.CreateCall(
                                        count_, {Ctx(), coll_slot, b_.getInt32(collection.type)}));
    llvm::AllocaInst* index = Slot(i64_);
    llvm::AllocaInst* hits = Slot(i64_);
    llvm::AllocaInst* saw_unknown = Slot(i1_);
    llvm::AllocaInst* missing = Slot(i32_);
    b_.CreateStore(b_.getInt64(0), index);
    b_.CreateStore(b_.getInt64(0), hits);
    b_.CreateStore(b_.getFalse(), saw_unknown);
    b_.CreateStore(b_.getInt32(0), missing);
    auto* head = Block("q_head");
    auto* body = Block("q_body");
    auto* next = Block("q_next");
    auto* end = Block("q_end");
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    llvm::Value* i = b_.CreateLoad(i64_, index);
    b_.CreateCondBr(b_.CreateICmpULT(i, count), body, end);
    b_.SetInsertPoint(body);
    JV binder;
    if (enum_set) {
      llvm::Value* member = b_.CreateAnd(b_.CreateLShr(collection.payload, i), b_.getInt64(1));
      auto* present = Block("q_member");
      b_.CreateCondBr(b_.CreateICmpNE(member, b_.getInt64(0)), present, next);
      b_.SetInsertPoint(present);
      binder = Known(element, i);
    } else {
      llvm::AllocaInst* slot = Slot();
      b_.CreateCall(element_, {Ctx(), coll_slot, b_.getInt32(collection.type), i, slot});
      binder = Load(slot, element, Canonical(element));
    }
    locals_.back()[e.index] = binder;
    JV predicate = Lower(*e.operands[1]);
    // An unknown predicate: remember it and go on.
    auto* decided = Block("q_decided");
    auto* undecided = Block("q_undecided");
    b_.CreateCondBr(predicate.known, decided, undecided);
    b_.SetInsertPoint(undecided);
    b_.CreateStore(b_.getTrue(), saw_unknown);
    b_.CreateStore(Union(b_.CreateLoad(i32_, missing), predicate.missing), missing);
    b_.CreateBr(next);
    b_.SetInsertPoint(decided);
    llvm::Value* truth = b_.CreateICmpNE(predicate.payload, b_.getInt64(0));
    if (e.op == Op::CountWhere) {
      b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, hits), b_.CreateZExt(truth, i64_)), hits);
      b_.CreateBr(next);
    } else {
      auto* stop = Block("q_stop");
      llvm::Value* deciding = e.op == Op::Any ? truth : b_.CreateNot(truth);
      b_.CreateCondBr(deciding, stop, next);
      b_.SetInsertPoint(stop);
      Deliver(m, Bool(e.op == Op::Any ? b_.getTrue() : b_.getFalse()));
    }
    b_.SetInsertPoint(next);
    b_.CreateStore(b_.CreateAdd(b_.CreateLoad(i64_, index), b_.getInt64(1)), index);
    b_.CreateBr(head);
    b_.SetInsertPoint(end);
    auto* unknown_end = Block("q_unknown_end");
    auto* known_end = Block("q_known_end");
    b_.CreateCondBr(b_.CreateLoad(i1_, saw_unknown), unknown_end, known_end);
    b_.SetInsertPoint(unknown_end);
    Deliver(m, Unknown(e.type, b_.CreateLoad(i32_, missing)));
    b_.SetInsertPoint(known_end);
    if (e.op == Op::CountWhere) {
      Deliver(m, Known(e.type, b_.CreateLoad(i64_, hits)));
    } else {
      Deliver(m, Bool(e.op == Op::All ? b_.getTrue() : b_.getFalse()));
    }
    locals_.back()[e.index].reset();
    return Finish(m);
  }

  // --------------------------------------------------------------- the input

  JV InputRoot(const ir::Expr& e) {
    llvm::Value* row = b_.CreateLoad(ptr_, frame_);
    JV v;
    v.type = e.type;
    v.repr = Repr::Row;
    v.record = p_.input->record;
    v.static_path = "";
    v.known = b_.CreateICmpNE(row, llvm::ConstantPointerNull::get(llvm::cast<llvm::PointerType>(ptr_)));
    v.payload = b_.CreatePtrToInt(row, i64_);
    v.missing = b_.getInt32(0);
    v.path = b_.getInt32(0);
    return v;
  }

  static std::string Extend(const std::string& base, const std::string& step) {
    return base.empty() ? step : base + "." + step;
  }

  // An unknown record: reading from an absent input record reports the full
  // path read; otherwise the record's own missing paths.
  JV UnknownRead(const JV& base, ir::TypeId type, const std::string& full_path) {
    llvm::Value* absent =
        base.static_path.empty() ? b_.getFalse() : b_.CreateICmpEQ(base.missing, Singleton(base.static_path));
    llvm::Value* missing = b_.CreateSelect(absent, Singleton(full_path), base.missing);
    llvm::Value* path = b_.CreateSelect(absent, b_.getInt32(t_.PathId(full_path)), b_.getInt32(0));
    return Unknown(type, missing, path);
  }

  JV ReadRowField(const JV& base, const ir::Expr& e) {
    const ir::RecordInfo& record = types_.records[base.record];
    const ir::FieldInfo& field = record.fields[e.index];
    const ir::FieldSlot& slot = p_.layout.of(base.record).fields[e.index];
    std::string full_path = Extend(base.static_path, field.name);
    Merge m = StartMerge(e.type);
    // Row records stay rows across the merge when the field is a record or map.
    bool row_result = slot.kind == ir::SlotKind::Record || slot.kind == ir::SlotKind::Map;
    llvm::AllocaInst* row_slot = row_result ? Slot() : nullptr;
    auto deliver = [&](JV v) {
      if (row_result) {
        Store(v, row_slot);
        b_.CreateBr(m.done);
      } else {
        Deliver(m, v);
      }
    };
    auto* unknown = Block("field_base_unknown");
    auto* known = Block("field_base_known");
    b_.CreateCondBr(base.known, known, unknown);
    b_.SetInsertPoint(unknown);
    deliver(UnknownRead(base, e.type, full_path));
    b_.SetInsertPoint(known);
    llvm::Value* block = b_.CreateIntToPtr(base.payload, ptr_);
    llvm::Value* word = b_.CreateLoad(i64_, b_.CreateConstGEP1_64(i8_, block, (e.index / 64) * 8));
    llvm::Value* present =
        b_.CreateICmpNE(b_.CreateAnd(word, b_.getInt64(uint64_t{1} << (e.index % 64))), b_.getInt64(0));
    auto* absent = Block("field_absent");
    auto* read = Block("field_read");
    b_.CreateCondBr(present, read, absent);
    b_.SetInsertPoint(absent);
    deliver(Unknown(e.type, Singleton(full_path), b_.getInt32(t_.PathId(full_path))));
    b_.SetInsertPoint(read);
    llvm::Value* at = b_.CreateConstGEP1_64(i8_, block, slot.offset);
    switch (slot.kind) {
      case ir::SlotKind::Bool: deliver(Known(e.type, b_.CreateZExt(b_.CreateLoad(i8_, at), i64_))); break;
      case ir::SlotKind::Int:
      case ir::SlotKind::Number:
      case ir::SlotKind::EnumSet: deliver(Known(e.type, b_.CreateLoad(i64_, at))); break;
      case ir::SlotKind::Date: deliver(Known(e.type, b_.CreateSExt(b_.CreateLoad(i32_, at), i64_))); break;
      case ir::SlotKind::Enum: deliver(Known(e.type, b_.CreateZExt(b_.CreateLoad(i32_, at), i64_))); break;
      case ir::SlotKind::Record:
      case ir::SlotKind::Map: {
        JV v = Known(e.type, b_.CreatePtrToInt(at, i64_));
        v.path = b_.getInt32(t_.PathId(full_path));
        deliver(v);
        break;
      }
      default: {
        llvm::AllocaInst* out = Slot();
        b_.CreateCall(read_field_, {Ctx(), block, b_.getInt32(base.record), b_.getInt32(e.index),
                                    b_.getInt32(t_.PathId(base.static_path)), out});
        deliver(Load(out, e.type, Repr::Boxed));
      }
    }
    if (!row_result) return Finish(m);
    b_.SetInsertPoint(m.done);
    JV v = Load(row_slot, e.type, slot.kind == ir::SlotKind::Record ? Repr::Row : Repr::RowMap);
    v.record = slot.element;
    v.static_path = full_path;
    return v;
  }

  JV ReadRowMap(const JV& map, const ir::Expr& e) {
    std::string full_path = map.static_path + "[" + JsonString(e.text) + "]";
    ir::TypeId element = e.type;
    bool record = types_.kind(element) == TypeKind::Record;
    bool native = IsNativeType(types_, element);
    if (!record && !native) return Delegate(e, {Canonicalize(map)});
    Merge m = StartMerge(element);
    llvm::AllocaInst* row_slot = record ? Slot() : nullptr;
    auto deliver = [&](JV v) {
      if (record) {
        Store(v, row_slot);
        b_.CreateBr(m.done);
      } else {
        Deliver(m, v);
      }
    };
    auto* unknown = Block("map_unknown");
    auto* known = Block("map_known");
    b_.CreateCondBr(map.known, known, unknown);
    b_.SetInsertPoint(unknown);
    deliver(UnknownRead(map, element, full_path));
    b_.SetInsertPoint(known);
    llvm::Value* slot = b_.CreateIntToPtr(map.payload, ptr_);
    llvm::Value* entries = b_.CreateLoad(ptr_, slot);
    llvm::Value* entry = b_.CreateLoad(ptr_, b_.CreateGEP(ptr_, entries, b_.getInt64(e.index)));
    auto* absent = Block("entry_absent");
    auto* present = Block("entry_present");
    b_.CreateCondBr(b_.CreateIsNull(entry), absent, present);
    b_.SetInsertPoint(absent);
    deliver(Unknown(element, Singleton(full_path), b_.getInt32(t_.PathId(full_path))));
    b_.SetInsertPoint(present);
    if (record) {
      JV v = Known(element, b_.CreatePtrToInt(entry, i64_));
      v.path = b_.getInt32(t_.PathId(full_path));
      deliver(v);
    } else {
      ir::FieldSlot s = ir::ElementSlot(types_, p_.layout, element);
      llvm::Value* raw = s.kind == ir::SlotKind::Bool   ? b_.CreateZExt(b_.CreateLoad(i8_, entry), i64_)
                         : s.kind == ir::SlotKind::Date ? b_.CreateSExt(b_.CreateLoad(i32_, entry), i64_)
                         : s.kind == ir::SlotKind::Enum
                             ? b_.CreateZExt(b_.CreateLoad(i32_, entry), i64_)
                             : static_cast<llvm::Value*>(b_.CreateLoad(i64_, entry));
      deliver(Known(element, raw));
    }
    if (!record) return Finish(m);
    b_.SetInsertPoint(m.done);
    JV v = Load(row_slot, element, Repr::Row);
    v.record = types_.get(element).index;
    v.static_path = full_path;
    return v;
  }

  // ------------------------------------------------------------- delegation

  // One operation run by the interpreter on evaluated operands; a literal
  // without operands is read from the engine's constants instead.
  JV Delegate(const ir::Expr& e, std::vector<JV> operands) {
    bool empty_list = e.op == Op::MakeList && e.operands.empty();
    uint32_t index = empty_list ? EmptyList(e.type) : AddOp(e);
    if (IsConstantLiteral(types_, e.op, e.type, e.operands.size())) return Constant(index, e.type);
    return Apply(index, e.type, operands);
  }

  JV DelegateAll(const ir::Expr& e) {
    std::vector<JV> operands;
    for (const ir::ExprPtr& operand : e.operands) {
      if (operand) operands.push_back(Lower(*operand));
    }
    return Delegate(e, std::move(operands));
  }

  // The operation that makes `[]` of `type`, shared by every `[]` of it.
  uint32_t EmptyList(ir::TypeId type) {
    auto [at, added] = shared_.empty_lists.emplace(type, 0);
    if (added) at->second = AddOp(ir::Expr(Op::MakeList, type, {}));
    return at->second;
  }

  // A literal without operands, from the constants PrepareConstants made
  // (which it makes for every such literal, or the engine is not made).
  llvm::Value* ConstantAddress(uint32_t index) {
    llvm::Value* table = FrameField(constants_, 56, "constants");
    return b_.CreateLoad(ptr_, b_.CreateConstGEP1_64(ptr_, table, index));
  }
  JV Constant(uint32_t index, ir::TypeId type) {
    JV v = Known(type, b_.CreatePtrToInt(ConstantAddress(index), i64_));
    v.constant = index;
    return v;
  }

  // A list literal: a constant too when all its items are (`[name]` in
  // Annex III's `route_if`, with `name` a string literal), else built by
  // the runtime.
  JV ListLiteral(const ir::Expr& e) {
    std::vector<JV> items;
    std::vector<uint32_t> constants;
    for (const ir::ExprPtr& operand : e.operands) {
      items.push_back(Lower(*operand));
      if (items.back().constant >= 0) constants.push_back(static_cast<uint32_t>(items.back().constant));
    }
    if (constants.size() != items.size()) return Delegate(e, std::move(items));
    auto [at, added] = shared_.constant_lists.emplace(std::make_pair(e.type, constants), 0);
    if (added) {
      at->second = AddOp(e);
      t_.ops[at->second].constant_items = constants;
    }
    return Constant(at->second, e.type);
  }

  // `a + b` on lists: `a` itself when `b` is the shared `[]` (as the
  // interpreter's result, without a call); anything else is delegated. The
  // Annex III routes add twenty-five mostly empty lists per descriptor.
  JV ConcatLists(const ir::Expr& e) {
    JV a = Canonicalize(Lower(*e.operands[0]));
    JV b = Canonicalize(Lower(*e.operands[1]));
    llvm::Value* empty = b_.CreatePtrToInt(ConstantAddress(EmptyList(e.type)), i64_);
    llvm::Value* b_empty = b_.CreateAnd(b_.CreateAnd(a.known, b.known), b_.CreateICmpEQ(b.payload, empty));
    Merge m = StartMerge(e.type);
    auto* keep = Block("concat_empty");
    auto* apply = Block("concat");
    b_.CreateCondBr(b_empty, keep, apply);
    b_.SetInsertPoint(keep);
    Deliver(m, a);
    b_.SetInsertPoint(apply);
    Deliver(m, Delegate(e, {a, b}));
    return Finish(m);
  }

  // A DelegatedOp for `e`, its operands read from locals.
  uint32_t AddOp(const ir::Expr& e) {
    DelegatedOp op;
    op.expr.op = e.op;
    op.expr.type = e.type;
    op.expr.range = e.range;
    op.expr.index = e.index;
    op.expr.operand_type = e.operand_type;
    op.expr.constant = e.constant;
    op.expr.text = e.text;
    op.expr.keys = e.keys;
    for (size_t k = 0; k < e.operands.size(); ++k) {
      if (!e.operands[k]) {
        op.expr.operands.push_back(nullptr);
        continue;
      }
      ir::TypeId type = e.operands[k]->type;
      auto local = std::make_unique<ir::Expr>(Op::Local, type, e.operands[k]->range);
      local->index = static_cast<uint32_t>(op.operand_types.size());
      op.expr.operands.push_back(std::move(local));
      op.operand_types.push_back(type);
    }
    uint32_t index = static_cast<uint32_t>(t_.ops.size());
    t_.ops.push_back(std::move(op));
    return index;
  }

  // A call of aipol_jit_apply for operation `index`.
  JV Apply(uint32_t index, ir::TypeId type, const std::vector<JV>& operands) {
    llvm::AllocaInst* args = Slot(jv_, b_.getInt32(std::max<size_t>(1, operands.size())));
    for (size_t k = 0; k < operands.size(); ++k)
      Store(Canonicalize(operands[k]), b_.CreateGEP(jv_, args, b_.getInt32(k)));
    llvm::AllocaInst* out = Slot();
    b_.CreateCall(apply_, {Ctx(), b_.getInt32(index), args, out});
    return Load(out, type, Canonical(type));
  }

  // ------------------------------------------------------------- arithmetic

  JV Arithmetic(const ir::Expr& e) {
    ir::TypeId t = e.type;
    JV a = Lower(*e.operands[0]);
    if (e.op == Op::IntToNumber) {
      return Make(t, a.known, FromDouble(b_.CreateSIToFP(a.payload, b_.getDoubleTy())), a.missing);
    }
    if (e.op == Op::NegNumber) {
      return Make(t, a.known, FromDouble(b_.CreateFNeg(AsDouble(a.payload))), a.missing);
    }
    if (e.op == Op::NegInt) {
      auto* overflow = Block("neg_overflow");
      auto* fine = Block("neg_ok");
      llvm::Value* is_min = b_.CreateAnd(a.known, b_.CreateICmpEQ(a.payload, b_.getInt64(INT64_MIN)));
      b_.CreateCondBr(is_min, overflow, fine);
      b_.SetInsertPoint(overflow);
      Fail("IntegerOverflow", "integer overflow", e.range);
      b_.SetInsertPoint(fine);
      return Make(t, a.known, b_.CreateNeg(a.payload), a.missing);
    }
    JV b = Lower(*e.operands[1]);
    llvm::Value* both = b_.CreateAnd(a.known, b.known);
    llvm::Value* missing = MissingOf({&a, &b});  // 0 when both are known
    auto guard = [&](llvm::Value* condition, const char* kind, const char* message) {
      auto* bad = Block("arith_error");
      auto* fine = Block("arith_ok");
      b_.CreateCondBr(b_.CreateAnd(both, condition), bad, fine);
      b_.SetInsertPoint(bad);
      Fail(kind, message, e.range);
      b_.SetInsertPoint(fine);
    };
    if (e.op == Op::AddInt || e.op == Op::SubInt || e.op == Op::MulInt) {
      llvm::Intrinsic::ID id = e.op == Op::AddInt   ? llvm::Intrinsic::sadd_with_overflow
                               : e.op == Op::SubInt ? llvm::Intrinsic::ssub_with_overflow
                                                    : llvm::Intrinsic::smul_with_overflow;
      llvm::Value* r = b_.CreateBinaryIntrinsic(id, a.payload, b.payload);
      guard(b_.CreateExtractValue(r, 1), "IntegerOverflow", "integer overflow");
      return Make(t, both, b_.CreateExtractValue(r, 0), missing);
    }
    if (e.op == Op::DivInt) {
      guard(b_.CreateICmpEQ(b.payload, b_.getInt64(0)), "DivisionByZero", "division by zero");
      guard(b_.CreateAnd(b_.CreateICmpEQ(a.payload, b_.getInt64(INT64_MIN)),
                         b_.CreateICmpEQ(b.payload, b_.getInt64(-1))),
            "IntegerOverflow", "integer overflow");
      // Safe operands for the division itself when unknown.
      llvm::Value* divisor = b_.CreateSelect(both, b.payload, b_.getInt64(1));
      return Make(t, both, b_.CreateSDiv(b_.CreateSelect(both, a.payload, b_.getInt64(0)), divisor), missing);
    }
    llvm::Value* x = AsDouble(a.payload);
    llvm::Value* y = AsDouble(b.payload);
    if (e.op == Op::DivNumber) {
      guard(b_.CreateFCmpOEQ(y, llvm::ConstantFP::get(b_.getDoubleTy(), 0.0)), "DivisionByZero",
            "division by zero");
    }
    llvm::Value* r = e.op == Op::AddNumber   ? b_.CreateFAdd(x, y)
                     : e.op == Op::SubNumber ? b_.CreateFSub(x, y)
                     : e.op == Op::MulNumber ? b_.CreateFMul(x, y)
                                             : b_.CreateFDiv(x, y);
    llvm::Value* finite = b_.CreateFCmpOLT(b_.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, r),
                                           llvm::ConstantFP::getInfinity(b_.getDoubleTy()));
    guard(b_.CreateNot(finite), "NonFiniteNumber", "the result is not a finite number");
    return Make(t, both, FromDouble(r), missing);
  }

  JV Compare(const ir::Expr& e) {
    ir::TypeId operand = e.operand_type;
    if (!IsNativeType(types_, operand)) return DelegateAll(e);
    JV a = Lower(*e.operands[0]);
    JV b = Lower(*e.operands[1]);
    llvm::Value* both = b_.CreateAnd(a.known, b.known);
    llvm::Value* missing = MissingOf({&a, &b});  // 0 when both are known
    llvm::Value* r = nullptr;
    if (types_.kind(operand) == TypeKind::Number) {
      llvm::Value* x = AsDouble(a.payload);
      llvm::Value* y = AsDouble(b.payload);
      switch (e.op) {
        case Op::Eq: r = b_.CreateFCmpOEQ(x, y); break;
        case Op::Ne: r = b_.CreateNot(b_.CreateFCmpOEQ(x, y)); break;
        case Op::Lt: r = b_.CreateFCmpOLT(x, y); break;
        case Op::Le: r = b_.CreateNot(b_.CreateFCmpOGT(x, y)); break;
        case Op::Gt: r = b_.CreateFCmpOGT(x, y); break;
        default: r = b_.CreateNot(b_.CreateFCmpOLT(x, y)); break;
      }
    } else {
      switch (e.op) {
        case Op::Eq: r = b_.CreateICmpEQ(a.payload, b.payload); break;
        case Op::Ne: r = b_.CreateICmpNE(a.payload, b.payload); break;
        case Op::Lt: r = b_.CreateICmpSLT(a.payload, b.payload); break;
        case Op::Le: r = b_.CreateICmpSLE(a.payload, b.payload); break;
        case Op::Gt: r = b_.CreateICmpSGT(a.payload, b.payload); break;
        default: r = b_.CreateICmpSGE(a.payload, b.payload); break;
      }
    }
    return Make(ir::TypeTable::kBool, both, b_.CreateZExt(r, i64_), missing);
  }

  // Set operations on enum sets are bit operations.
  JV EnumSets(const ir::Expr& e) {
    bool native = e.op == Op::Count ? IsNativeType(types_, e.operands[0]->type)
                  : e.op == Op::In  ? IsNativeType(types_, e.operand_type)
                                    : IsNativeType(types_, e.operand_type);
    if (!native) return DelegateAll(e);
    JV a = Lower(*e.operands[0]);
    if (e.op == Op::Count) {
      return Make(e.type, a.known, b_.CreateUnaryIntrinsic(llvm::Intrinsic::ctpop, a.payload), a.missing);
    }
    JV b = Lower(*e.operands[1]);
    llvm::Value* both = b_.CreateAnd(a.known, b.known);
    llvm::Value* missing = MissingOf({&a, &b});  // 0 when both are known
    llvm::Value* r = nullptr;
    switch (e.op) {
      case Op::In:
        r = b_.CreateZExt(
            b_.CreateICmpNE(b_.CreateAnd(b_.CreateLShr(b.payload, b_.CreateAnd(a.payload, b_.getInt64(63))),
                                         b_.getInt64(1)),
                            b_.getInt64(0)),
            i64_);
        break;
      case Op::HasAny:
        r = b_.CreateZExt(b_.CreateICmpNE(b_.CreateAnd(a.payload, b.payload), b_.getInt64(0)), i64_);
        break;
      case Op::HasAll:
        r = b_.CreateZExt(b_.CreateICmpEQ(b_.CreateAnd(a.payload, b.payload), b.payload), i64_);
        break;
      case Op::Union: r = b_.CreateOr(a.payload, b.payload); break;
      default: r = b_.CreateAnd(a.payload, b.payload); break;
    }
    return Make(e.type, both, r, missing);
  }

  // A set literal of enum members is a mask, as the interpreter's Build: a
  // member that is unknown makes the whole set unknown (which members it
  // has is not known), with the missing paths of every unknown member.
  JV EnumSetLiteral(const ir::Expr& e) {
    llvm::Value* known = b_.getTrue();
    llvm::Value* mask = b_.getInt64(0);
    llvm::Value* missing = b_.getInt32(0);
    for (const ir::ExprPtr& operand : e.operands) {
      JV member = Lower(*operand);
      known = b_.CreateAnd(known, member.known);
      mask = b_.CreateOr(mask, b_.CreateShl(b_.getInt64(1), b_.CreateAnd(member.payload, b_.getInt64(63))));
      missing = Union(missing, b_.CreateSelect(member.known, b_.getInt32(0), member.missing));
    }
    return Make(e.type, known, b_.CreateSelect(known, mask, b_.getInt64(0)), missing);
  }

  JV CallFunction(const ir::Expr& e) {
    const ir::Function& f = p_.functions[e.index];
    std::vector<std::optional<JV>> frame(std::max<size_t>(f.locals, e.operands.size()));
    for (size_t k = 0; k < e.operands.size(); ++k) frame[k] = Lower(*e.operands[k]);
    locals_.push_back(std::move(frame));
    JV result = Lower(*f.body);
    locals_.pop_back();
    return result;
  }

  // ------------------------------------------------------------ the dispatch

  JV Lower(const ir::Expr& e) {
    switch (e.op) {
      case Op::Const:
        if (!IsNativeType(types_, e.type)) return Delegate(e, {});
        return Known(e.type, types_.kind(e.type) == TypeKind::Number
                                 ? FromDouble(llvm::ConstantFP::get(b_.getDoubleTy(), e.constant.number))
                                 : b_.getInt64(e.constant.integer));
      case Op::Unknown: return Unknown(e.type, b_.getInt32(0));
      case Op::AsOf: return Known(e.type, b_.CreateLoad(i64_, b_.CreateConstGEP1_64(i8_, frame_, 8)));
      case Op::Input: return InputRoot(e);
      case Op::Field: {
        JV base = Lower(*e.operands[0]);
        if (base.repr == Repr::Row) return ReadRowField(base, e);
        return Delegate(e, {base});
      }
      case Op::MapGet: {
        JV base = Lower(*e.operands[0]);
        if (base.repr == Repr::RowMap) return ReadRowMap(base, e);
        return Delegate(e, {base});
      }
      case Op::DeclRef: return CallDecl(e.index);
      case Op::ParamRef: {
        llvm::Value* params = b_.CreateLoad(ptr_, b_.CreateConstGEP1_64(i8_, frame_, 16));
        return Load(b_.CreateGEP(jv_, params, b_.getInt64(e.index)), e.type, Canonical(e.type));
      }
      case Op::Local: return *locals_.back()[e.index];
      case Op::Call: return CallFunction(e);
      case Op::Default: return DefaultOf(e);
      case Op::IsKnown:
      case Op::IsUnknown: {
        JV v = Lower(*e.operands[0]);
        return Bool(e.op == Op::IsKnown ? v.known : b_.CreateNot(v.known));
      }
      case Op::Not:
      case Op::And:
      case Op::Or:
      case Op::Implies: return Logic(e);
      case Op::If: return IfThenElse(e);
      case Op::Any:
      case Op::All:
      case Op::CountWhere: return Quantifier(e);
      case Op::IntToNumber:
      case Op::NegInt:
      case Op::NegNumber:
      case Op::AddInt:
      case Op::SubInt:
      case Op::MulInt:
      case Op::DivInt:
      case Op::AddNumber:
      case Op::SubNumber:
      case Op::MulNumber:
      case Op::DivNumber: return Arithmetic(e);
      case Op::Eq:
      case Op::Ne:
      case Op::Lt:
      case Op::Le:
      case Op::Gt:
      case Op::Ge: return Compare(e);
      case Op::Count:
      case Op::In:
      case Op::HasAny:
      case Op::HasAll:
      case Op::Union:
      case Op::Intersect: return EnumSets(e);
      case Op::MakeSet:
        if (IsNativeType(types_, e.type)) return EnumSetLiteral(e);
        return DelegateAll(e);
      case Op::Concat: return ConcatLists(e);
      case Op::MakeList:
        // (`[]` is the shared empty list; an absent item is not expected.)
        if (e.operands.empty() || std::any_of(e.operands.begin(), e.operands.end(),
                                              [](const ir::ExprPtr& item) { return !item; })) {
          return DelegateAll(e);
        }
        return ListLiteral(e);
      default: return DelegateAll(e);  // dates, durations, lists, strings, literals
    }
  }

  const ir::Program& p_;
  const ir::TypeTable& types_;
  llvm::LLVMContext& c_;
  llvm::Module& m_;
  Tables& t_;
  SharedLowering& shared_;
  llvm::IRBuilder<llvm::InstSimplifyFolder> b_;
  llvm::Type *i1_, *i8_, *i16_, *i32_, *i64_, *ptr_;
  llvm::StructType* jv_;
  llvm::FunctionCallee union_, apply_, box_row_, read_field_, count_, element_, equal_, fail_, status_,
      evidence_;
  llvm::Function* function_ = nullptr;
  llvm::Value* frame_ = nullptr;
  llvm::Value* out_ = nullptr;
  llvm::Value* context_ = nullptr;
  llvm::Value* memo_base_ = nullptr;  // MemoOf
  llvm::Value* done_base_ = nullptr;
  llvm::Value* constants_ = nullptr;  // Constant
  llvm::BasicBlock* bail_ = nullptr;
  std::vector<std::vector<std::optional<JV>>> locals_;
  size_t instructions_ = 0;
  std::vector<llvm::Function*> defined_;  // by Begin, in order
  std::map<uint32_t, bool> can_fail_;     // DeclCanFail's, by declaration
};

}  // namespace

Lowered Lower(const ir::Program& program, size_t parts, bool tests) {
  Lowered out;
  parts = std::max<size_t>(parts, 1);
  SharedLowering shared;
  std::vector<std::unique_ptr<Lowerer>> lowerers;
  for (size_t part = 0; part < parts; ++part) {
    LoweredModule m;
    m.context = std::make_unique<llvm::LLVMContext>();
    std::string name = parts == 1 ? "policy" : "policy." + std::to_string(part);
    m.module = std::make_unique<llvm::Module>(name, *m.context);
    lowerers.push_back(std::make_unique<Lowerer>(program, *m.context, *m.module, out.tables, shared));
    lowerers.back()->DeclareDecls();
    out.modules.push_back(std::move(m));
  }
  // The modules are compiled in parallel: each function goes to the one with
  // the fewest instructions so far, so that they take about as long.
  auto smallest = [&]() -> Lowerer& {
    return **std::min_element(lowerers.begin(), lowerers.end(), [](const auto& a, const auto& b) {
      return a->instructions() < b->instructions();
    });
  };
  lowerers[0]->DefineEntryPoint();
  for (uint32_t id = 0; id < program.decls.size(); ++id) smallest().DefineDeclFunction(id);
  for (const std::vector<uint32_t>* list : {&program.prohibitions, &program.obligations}) {
    for (uint32_t id : *list) smallest().DefinePartsOf(id);
  }
  for (size_t t = 0; tests && t < program.tests.size(); ++t) {
    for (size_t k = 0; k < program.tests[t].expects.size(); ++k) {
      if (program.tests[t].expects[k].kind == ir::ExpectKind::Value) smallest().DefineExpect(t, k);
    }
  }
  return out;
}

}  // namespace aipol::jit
