// The binary form of ir::Program (serialize.h).
//
// Every field is written in declaration order with fixed widths: uint8_t for
// enums and bools, uint32_t for ids, indexes and counts, the bits of doubles,
// strings as a count and bytes, optionals and expression pointers as a
// presence byte and the value. Reading is the mirror image; it stops at the
// first malformed byte, then the whole program is validated (Validator) before
// it is returned.
#include "compiler/ir/serialize.h"

#include <bit>
#include <cstring>
#include <type_traits>

#include "compiler/source/byte_io.h"

namespace aipol::ir {
namespace {

// Names the form; bump the digit when the layout of the bytes changes.
constexpr std::string_view kMagic = "aipol-ir-1";

// Deepest expression tree (and chain of nested types or records) ReadProgram
// accepts. The language caps expression trees at 2000 levels (kMaxTreeDepth in
// compiler/syntax/parse.h) and sema adds only a few, so this leaves room while
// a malformed byte string cannot make the reader recurse without bound.
constexpr uint32_t kMaxNesting = 4096;

// Most expressions have no constant, text or keys: a flags byte says which
// of them follow.
constexpr uint8_t kHasConstant = 1, kHasText = 2, kHasKeys = 4;

// The fewest bytes an item can take, to check counts against the bytes left:
// a flag or enum, a uint32_t, a string (its count), a source range.
constexpr size_t kByte = 1, kU32 = 4, kString = 4, kRange = 12;

bool HasConstant(const Constant& c) {
  return c.integer != 0 || std::bit_cast<uint64_t>(c.number) != 0 || !c.string.empty() ||
         c.duration != Duration{};
}

// ---------------------------------------------------------------- writing

class Writer : public ByteWriter {
 public:
  using ByteWriter::ByteWriter;

  void PutTypes(const TypeTable& types);
  void PutExpr(const ExprPtr& e);  // null or not
  void PutDecl(const Decl& d);
  void PutTest(const Test& t);
  void PutProgram(const Program& p);
};

void Writer::PutTypes(const TypeTable& types) {
  PutVector(types.enums, [&](const EnumInfo& e) {
    PutString(e.module);
    PutString(e.name);
    PutVector(e.members, [&](const std::string& m) { PutString(m); });
  });
  PutVector(types.records, [&](const RecordInfo& r) {
    PutString(r.module);
    PutString(r.name);
    PutVector(r.fields, [&](const FieldInfo& f) {
      PutString(f.name);
      Put(f.type);
      PutBool(f.required);
    });
  });
  PutVector(types.interned(), [&](const Type& t) {
    PutEnum(t.kind);
    Put(t.index);
    Put(t.element);
  });
}

void Writer::PutExpr(const ExprPtr& e) {
  PutBool(e != nullptr);
  if (!e) return;
  PutEnum(e->op);
  Put(e->type);
  PutRange(e->range);
  Put(e->index);
  Put(e->operand_type);
  bool constant = HasConstant(e->constant);
  Put<uint8_t>((constant ? kHasConstant : 0) | (e->text.empty() ? 0 : kHasText) |
               (e->keys.empty() ? 0 : kHasKeys));
  if (constant) {
    Put(e->constant.integer);
    Put(std::bit_cast<uint64_t>(e->constant.number));  // bit for bit: -0.0 and NaN payloads survive
    PutString(e->constant.string);
    Put(e->constant.duration.count);
    PutEnum(e->constant.duration.unit);
  }
  if (!e->text.empty()) PutString(e->text);
  if (!e->keys.empty()) PutVector(e->keys, [&](const std::string& k) { PutString(k); });
  PutVector(e->operands, [&](const ExprPtr& operand) { PutExpr(operand); });
}

void Writer::PutDecl(const Decl& d) {
  PutEnum(d.kind);
  PutString(d.module);
  PutString(d.name);
  PutString(d.id);
  PutRange(d.range);
  PutString(d.doc);
  Put(d.type);
  PutBool(d.reported);
  PutExpr(d.value);
  PutExpr(d.when);
  PutExpr(d.unless);
  PutVector(d.exceptions, [&](uint32_t e) { Put(e); });
  PutOptionalU32(d.target);
  PutOptionalString(d.title);
  PutOptionalString(d.text);
  PutVector(d.citations, [&](const std::string& c) { PutString(c); });
  PutOptionalU32(d.actor);
  PutOptionalString(d.actor_name);
  PutExpr(d.actor_in_roles);
  PutExpr(d.from);
  PutExpr(d.until);
  PutOptional(d.evidence, [&](const EvidenceAccess& e) {
    PutExpr(e.entry);
    Put(e.record);
    Put(e.status_field);
    Put(e.met_member);
    Put(e.partial_member);
    PutOptionalU32(e.ref_field);
    PutOptionalU32(e.reviewed_field);
  });
  Put(d.locals);
}

void Writer::PutTest(const Test& t) {
  PutString(t.module);
  PutBool(t.requested);
  PutString(t.description);
  PutRange(t.range);
  PutString(t.directory);
  PutOptionalString(t.given_file);
  PutExpr(t.given_value);
  Put(t.as_of);
  PutVector(t.sets, [&](const std::pair<uint32_t, ExprPtr>& set) {
    Put(set.first);
    PutExpr(set.second);
  });
  PutVector(t.expects, [&](const Expect& e) {
    PutEnum(e.kind);
    PutRange(e.range);
    PutExpr(e.expr);
    Put(e.decl);
    PutString(e.status);
    Put(e.locals);
  });
}

void Writer::PutProgram(const Program& p) {
  PutRaw(kMagic);
  PutTypes(p.types);
  PutVector(p.modules, [&](const Module& m) {
    PutString(m.path);
    PutString(m.file);
    PutString(m.source);
    PutBool(m.requested);
  });
  PutOptional(p.input, [&](const Input& input) {
    PutString(input.name);
    Put(input.record);
    Put(input.type);
  });
  // The layout is not written: ReadProgram recomputes it from the types.
  PutVector(p.map_keys, [&](const std::string& k) { PutString(k); });
  PutVector(p.params, [&](const Param& param) {
    PutString(param.module);
    PutString(param.name);
    PutRange(param.range);
    PutString(param.doc);
    Put(param.type);
    PutExpr(param.default_value);
  });
  PutVector(p.functions, [&](const Function& f) {
    PutString(f.module);
    PutString(f.name);
    PutRange(f.range);
    PutString(f.doc);
    PutVector(f.params, [&](const FunctionParam& param) {
      PutString(param.name);
      Put(param.type);
    });
    Put(f.result);
    PutExpr(f.body);
    Put(f.locals);
  });
  PutVector(p.decls, [&](const Decl& d) { PutDecl(d); });
  PutVector(p.reports, [&](uint32_t d) { Put(d); });
  PutVector(p.obligations, [&](uint32_t d) { Put(d); });
  PutVector(p.prohibitions, [&](uint32_t d) { Put(d); });
  PutOptionalU32(p.role_enum);
  PutOptionalU32(p.evidence_max_age);
  PutVector(p.tests, [&](const Test& t) { PutTest(t); });
}

// ---------------------------------------------------------------- reading

// Reads what Writer wrote (a ByteReader: the first malformed byte makes it
// fail, and only ok() needs checking at the end).
class Reader : public ByteReader {
 public:
  using ByteReader::ByteReader;

  void GetStrings(std::vector<std::string>& strings) {
    GetVector(strings, kString, [&] { return GetString(); });
  }
  void GetIds(std::vector<uint32_t>& ids) {
    GetVector(ids, kU32, [&] { return Get<uint32_t>(); });
  }

  void GetTypes(TypeTable& types);
  ExprPtr GetExpr(uint32_t depth = 0);  // null or not
  void GetDecl(Decl& d);
  void GetTest(Test& t);
  void GetProgram(Program& p);
};

// Rebuilds the table by interning the types again in id order: each must get
// its old id, so a duplicate, a type out of order or an element that is not
// interned before its collection fails. Enum and record ids are checked here
// (the table needs them); field types are checked by the Validator.
void Reader::GetTypes(TypeTable& types) {
  GetVector(types.enums, 2 * kString + kU32, [&] {
    EnumInfo e;
    e.module = GetString();
    e.name = GetString();
    GetStrings(e.members);
    return e;
  });
  GetVector(types.records, 2 * kString + kU32, [&] {
    RecordInfo r;
    r.module = GetString();
    r.name = GetString();
    GetVector(r.fields, kString + kU32 + kByte, [&] {
      FieldInfo f;
      f.name = GetString();
      f.type = Get<TypeId>();
      f.required = GetBool();
      return f;
    });
    return r;
  });
  std::vector<Type> interned;
  GetVector(interned, kByte + 2 * kU32, [&] {
    Type t;
    t.kind = GetEnum(TypeKind::Error);
    t.index = Get<uint32_t>();
    t.element = Get<TypeId>();
    return t;
  });
  // The scalars come first, under the fixed ids the constructor gives them.
  size_t scalars = types.interned().size();
  if (interned.size() < scalars) return Fail();
  std::vector<uint32_t> depth(interned.size(), 0);  // of nested collection types
  for (size_t id = 0; id < interned.size() && ok(); ++id) {
    const Type& t = interned[id];
    if (id < scalars) {
      const Type& scalar = types.get(static_cast<TypeId>(id));
      if (t.kind != scalar.kind || t.index != scalar.index || t.element != scalar.element) return Fail();
      continue;
    }
    std::optional<TypeId> got;  // the id interning gives it
    switch (t.kind) {
      case TypeKind::Enum:
        if (t.index < types.enums.size() && t.element == 0) got = types.Enum(t.index);
        break;
      case TypeKind::Record:
        if (t.index < types.records.size() && t.element == 0) got = types.Record(t.index);
        break;
      case TypeKind::Set:
      case TypeKind::List:
      case TypeKind::Map: {
        if (t.index != 0 || t.element >= id) break;
        depth[id] = depth[t.element] + 1;
        if (depth[id] > kMaxNesting) break;
        got = t.kind == TypeKind::Set    ? types.Set(t.element)
              : t.kind == TypeKind::List ? types.List(t.element)
                                         : types.Map(t.element);
        break;
      }
      default: break;  // a scalar again
    }
    if (got != id) return Fail();
  }
}

ExprPtr Reader::GetExpr(uint32_t depth) {
  if (!GetBool()) return nullptr;
  if (depth >= kMaxNesting) {
    Fail();
    return nullptr;
  }
  Op op = GetEnum(kLastOp);
  TypeId type = Get<TypeId>();
  SourceRange range = GetRange();
  auto e = std::make_unique<Expr>(op, type, range);
  e->index = Get<uint32_t>();
  e->operand_type = Get<TypeId>();
  uint8_t flags = Get<uint8_t>();
  if (flags & ~(kHasConstant | kHasText | kHasKeys)) Fail();
  if (flags & kHasConstant) {
    e->constant.integer = Get<int64_t>();
    e->constant.number = std::bit_cast<double>(Get<uint64_t>());
    e->constant.string = GetString();
    e->constant.duration.count = Get<int64_t>();
    e->constant.duration.unit = GetEnum(DurationUnit::Years);
  }
  if (flags & kHasText) e->text = GetString();
  if (flags & kHasKeys) GetStrings(e->keys);
  GetVector(e->operands, kByte, [&] { return GetExpr(depth + 1); });
  if (!ok()) return nullptr;
  return e;
}

void Reader::GetDecl(Decl& d) {
  d.kind = GetEnum(DeclKind::Prohibition);
  d.module = GetString();
  d.name = GetString();
  d.id = GetString();
  d.range = GetRange();
  d.doc = GetString();
  d.type = Get<TypeId>();
  d.reported = GetBool();
  d.value = GetExpr();
  d.when = GetExpr();
  d.unless = GetExpr();
  GetIds(d.exceptions);
  GetOptionalU32(d.target);
  GetOptionalString(d.title);
  GetOptionalString(d.text);
  GetStrings(d.citations);
  GetOptionalU32(d.actor);
  GetOptionalString(d.actor_name);
  d.actor_in_roles = GetExpr();
  d.from = GetExpr();
  d.until = GetExpr();
  GetOptional(d.evidence, [&] {
    EvidenceAccess e;
    e.entry = GetExpr();
    e.record = Get<uint32_t>();
    e.status_field = Get<uint32_t>();
    e.met_member = Get<uint32_t>();
    e.partial_member = Get<uint32_t>();
    GetOptionalU32(e.ref_field);
    GetOptionalU32(e.reviewed_field);
    return e;
  });
  d.locals = Get<uint32_t>();
}

void Reader::GetTest(Test& t) {
  t.module = GetString();
  t.requested = GetBool();
  t.description = GetString();
  t.range = GetRange();
  t.directory = GetString();
  GetOptionalString(t.given_file);
  t.given_value = GetExpr();
  t.as_of = Get<int32_t>();
  GetVector(t.sets, kU32 + kByte, [&] {
    uint32_t param = Get<uint32_t>();
    return std::make_pair(param, GetExpr());
  });
  GetVector(t.expects, kByte + kRange + kByte + kU32 + kString + kU32, [&] {
    Expect e;
    e.kind = GetEnum(ExpectKind::ProhibitionStatus);
    e.range = GetRange();
    e.expr = GetExpr();
    e.decl = Get<uint32_t>();
    e.status = GetString();
    e.locals = Get<uint32_t>();
    return e;
  });
}

void Reader::GetProgram(Program& p) {
  Match(kMagic);
  GetTypes(p.types);
  GetVector(p.modules, 3 * kString + kByte, [&] {
    Module m;
    m.path = GetString();
    m.file = GetString();
    m.source = GetString();
    m.requested = GetBool();
    return m;
  });
  GetOptional(p.input, [&] {
    Input input;
    input.name = GetString();
    input.record = Get<uint32_t>();
    input.type = Get<TypeId>();
    return input;
  });
  GetStrings(p.map_keys);
  GetVector(p.params, 3 * kString + kRange + kU32 + kByte, [&] {
    Param param;
    param.module = GetString();
    param.name = GetString();
    param.range = GetRange();
    param.doc = GetString();
    param.type = Get<TypeId>();
    param.default_value = GetExpr();
    return param;
  });
  GetVector(p.functions, 3 * kString + kRange + 2 * kU32 + kByte + kU32, [&] {
    Function f;
    f.module = GetString();
    f.name = GetString();
    f.range = GetRange();
    f.doc = GetString();
    GetVector(f.params, kString + kU32, [&] {
      FunctionParam param;
      param.name = GetString();
      param.type = Get<TypeId>();
      return param;
    });
    f.result = Get<TypeId>();
    f.body = GetExpr();
    f.locals = Get<uint32_t>();
    return f;
  });
  // A decl and a test take more than these, their first fields.
  GetVector(p.decls, kByte + 3 * kString + kRange, [&] {
    Decl d;
    GetDecl(d);
    return d;
  });
  GetIds(p.reports);
  GetIds(p.obligations);
  GetIds(p.prohibitions);
  GetOptionalU32(p.role_enum);
  GetOptionalU32(p.evidence_max_age);
  GetVector(p.tests, kString + kByte + kString + kRange, [&] {
    Test t;
    GetTest(t);
    return t;
  });
}

// ---------------------------------------------------------------- validation

// The ids and indexes that Dump and the engines use without checking: every
// one must be in range for the program read. (Types of expressions are not
// checked again: the bytes are trusted to be what WriteProgram wrote, this
// only keeps a corrupt cache from reading out of bounds.)
class Validator {
 public:
  explicit Validator(const Program& p) : p_(p), types_(p.types) {}

  bool Valid() const;

 private:
  bool IsType(TypeId t) const { return t < types_.interned().size(); }
  bool IsRecordType(TypeId t) const { return IsType(t) && types_.kind(t) == TypeKind::Record; }
  bool IsDecl(uint32_t d) const { return d < p_.decls.size(); }
  bool AllDecls(const std::vector<uint32_t>& ids) const {
    for (uint32_t id : ids) {
      if (!IsDecl(id)) return false;
    }
    return true;
  }
  bool Records() const;
  // `locals`: the slots of the enclosing body; `decls`: how many decls it may refer to.
  bool ValidExpr(const Expr& e, uint32_t locals, size_t decls) const;
  bool Optional(const ExprPtr& e, uint32_t locals, size_t decls) const {
    return !e || ValidExpr(*e, locals, decls);
  }
  bool Required(const ExprPtr& e, uint32_t locals, size_t decls) const {
    return e && ValidExpr(*e, locals, decls);
  }
  bool ValidDecl(const Decl& d, size_t position) const;
  bool ValidTest(const Test& t) const;

  const Program& p_;
  const TypeTable& types_;
};

// Field types are types; records do not contain themselves, directly or
// through lists and maps (sema's RecursiveRecord), and nest at most
// kMaxNesting deep, so ComputeLayout terminates and its recursion is bounded.
bool Validator::Records() const {
  size_t count = types_.records.size();
  std::vector<std::vector<uint32_t>> nested(count);  // records whose blocks a record's fields hold
  std::vector<uint32_t> parents(count, 0);
  for (uint32_t r = 0; r < count; ++r) {
    for (const FieldInfo& field : types_.records[r].fields) {
      if (!IsType(field.type)) return false;
      TypeId t = field.type;
      while (types_.kind(t) == TypeKind::List || types_.kind(t) == TypeKind::Map) t = types_.get(t).element;
      if (types_.kind(t) != TypeKind::Record) continue;
      nested[r].push_back(types_.get(t).index);
      ++parents[types_.get(t).index];
    }
  }
  // Kahn's algorithm: every record is reached once all its parents are, and a
  // cycle leaves some records unreached.
  std::vector<uint32_t> ready, depth(count, 0);
  for (uint32_t r = 0; r < count; ++r) {
    if (parents[r] == 0) ready.push_back(r);
  }
  size_t reached = 0;
  while (!ready.empty()) {
    uint32_t r = ready.back();
    ready.pop_back();
    ++reached;
    for (uint32_t child : nested[r]) {
      depth[child] = std::max(depth[child], depth[r] + 1);
      if (depth[child] > kMaxNesting) return false;
      if (--parents[child] == 0) ready.push_back(child);
    }
  }
  return reached == count;
}

bool Validator::ValidExpr(const Expr& e, uint32_t locals, size_t decls) const {
  if (!IsType(e.type) || !IsType(e.operand_type)) return false;
  if (e.operands.size() < MinOperands(e.op)) return false;
  for (const ExprPtr& operand : e.operands) {
    if (!operand && e.op != Op::MakeRecord) return false;  // only record literals leave fields absent
  }
  switch (e.op) {
    case Op::Const:
      if (types_.kind(e.type) == TypeKind::Enum) {
        size_t members = types_.enums[types_.get(e.type).index].members.size();
        if (e.constant.integer < 0 || static_cast<uint64_t>(e.constant.integer) >= members) return false;
      }
      break;
    case Op::Input:
      if (!p_.input || e.type != p_.input->type) return false;
      break;
    case Op::Field: {
      TypeId record = e.operands[0]->type;
      if (!IsRecordType(record) || e.index >= types_.records[types_.get(record).index].fields.size())
        return false;
      break;
    }
    case Op::MapGet:
      if (e.index >= p_.map_keys.size()) return false;
      break;
    case Op::DeclRef:
      if (e.index >= decls) return false;
      break;
    case Op::ParamRef:
      if (e.index >= p_.params.size()) return false;
      break;
    case Op::Call:
      if (e.index >= p_.functions.size()) return false;
      break;
    case Op::Local:
    case Op::Any:
    case Op::All:
    case Op::CountWhere:
      if (e.index >= locals) return false;
      break;
    case Op::MakeDuration:
      if (e.index > static_cast<uint32_t>(DurationUnit::Years)) return false;
      break;
    case Op::MakeRecord:
      if (!IsRecordType(e.type) ||
          e.operands.size() != types_.records[types_.get(e.type).index].fields.size())
        return false;
      break;
    case Op::MakeMap:
      if (e.keys.size() != e.operands.size()) return false;
      break;
    default: break;
  }
  for (const ExprPtr& operand : e.operands) {
    if (operand && !ValidExpr(*operand, locals, decls)) return false;
  }
  return true;
}

// A decl refers only to decls before it (dependency order).
bool Validator::ValidDecl(const Decl& d, size_t position) const {
  uint32_t n = d.locals;
  if (!IsType(d.type) || !AllDecls(d.exceptions) || (d.target && !IsDecl(*d.target))) return false;
  if (d.kind == DeclKind::Def ? !Required(d.value, n, position) : !Optional(d.value, n, position))
    return false;
  if (!Optional(d.when, n, position) || !Optional(d.unless, n, position) ||
      !Optional(d.actor_in_roles, n, position) || !Optional(d.from, n, position) ||
      !Optional(d.until, n, position))
    return false;
  if (d.actor && (!p_.role_enum || *d.actor >= types_.enums[*p_.role_enum].members.size())) return false;
  if (d.evidence) {
    const EvidenceAccess& e = *d.evidence;
    if (!Required(e.entry, n, position) || e.record >= types_.records.size()) return false;
    const std::vector<FieldInfo>& fields = types_.records[e.record].fields;
    if (e.status_field >= fields.size() || types_.kind(fields[e.status_field].type) != TypeKind::Enum)
      return false;
    size_t statuses = types_.enums[types_.get(fields[e.status_field].type).index].members.size();
    if (e.met_member >= statuses || e.partial_member >= statuses) return false;
    if ((e.ref_field && *e.ref_field >= fields.size()) ||
        (e.reviewed_field && *e.reviewed_field >= fields.size()))
      return false;
  }
  return true;
}

bool Validator::ValidTest(const Test& t) const {
  size_t decls = p_.decls.size();
  if (!Optional(t.given_value, 0, decls)) return false;
  for (const auto& [param, value] : t.sets) {
    if (param >= p_.params.size() || !Required(value, 0, decls)) return false;
  }
  for (const Expect& e : t.expects) {
    if (e.kind == ExpectKind::Value ? !Required(e.expr, e.locals, decls)
                                    : !IsDecl(e.decl) || !Optional(e.expr, e.locals, decls))
      return false;
  }
  return true;
}

bool Validator::Valid() const {
  if (!Records()) return false;
  if (p_.input) {
    const Input& input = *p_.input;
    // The input's type is its record's: the engines read rows with the record's layout.
    if (input.record >= types_.records.size() || !IsRecordType(input.type) ||
        types_.get(input.type).index != input.record)
      return false;
  }
  if (p_.role_enum && *p_.role_enum >= types_.enums.size()) return false;
  if (p_.evidence_max_age && *p_.evidence_max_age >= p_.params.size()) return false;
  if (!AllDecls(p_.reports) || !AllDecls(p_.obligations) || !AllDecls(p_.prohibitions)) return false;
  for (const Param& param : p_.params) {
    if (!IsType(param.type) || !Required(param.default_value, 0, p_.decls.size())) return false;
  }
  for (const Function& f : p_.functions) {
    for (const FunctionParam& param : f.params) {
      if (!IsType(param.type)) return false;
    }
    if (!IsType(f.result) || !Required(f.body, f.locals, p_.decls.size())) return false;
  }
  for (size_t d = 0; d < p_.decls.size(); ++d) {
    if (!ValidDecl(p_.decls[d], d)) return false;
  }
  for (const Test& t : p_.tests) {
    if (!ValidTest(t)) return false;
  }
  return true;
}

}  // namespace

void WriteProgram(const Program& program, std::string& out) { Writer(out).PutProgram(program); }

std::unique_ptr<Program> ReadProgram(std::string_view bytes) {
  auto program = std::make_unique<Program>();
  Reader reader(bytes);
  reader.GetProgram(*program);
  if (!reader.ok() || !reader.AtEnd() || !Validator(*program).Valid()) return nullptr;
  // As sema computes it (check.cpp): the layout follows from the types.
  if (program->input) program->layout = ComputeLayout(program->types, program->input->record);
  return program;
}

}  // namespace aipol::ir
