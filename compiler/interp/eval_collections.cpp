// Sets, lists, maps and records.
#include <algorithm>

#include "compiler/interp/evaluator.h"

namespace aipol::interp {

using ir::Op;
using ir::TypeKind;

namespace {

bool StringLess(const Value& a, const Value& b) { return a.s < b.s; }

Value StringSet(ir::TypeId type, std::vector<Value> items) {
  std::sort(items.begin(), items.end(), StringLess);
  items.erase(
      std::unique(items.begin(), items.end(), [](const Value& a, const Value& b) { return a.s == b.s; }),
      items.end());
  Value set;
  set.kind = ValueKind::StringSet;
  set.type = type;
  set.items = std::move(items);
  return set;
}

bool StringSetHas(const Value& set, const std::string& s) {
  Value probe;
  probe.s = s;
  return std::binary_search(set.items.begin(), set.items.end(), probe, StringLess);
}

}  // namespace

std::vector<Value> Evaluator::Elements(const Value& collection) {
  if (collection.kind != ValueKind::EnumSet) return collection.items;
  std::vector<Value> members;
  ir::TypeId element = program_.types.get(collection.type).element;
  for (int bit = 0; bit < 64; ++bit) {
    if (!((collection.mask >> bit) & 1)) continue;
    Value member;
    member.kind = ValueKind::Enum;
    member.type = element;
    member.i = bit;
    members.push_back(member);
  }
  return members;
}

Value Evaluator::Collections(const ir::Expr& e) {
  Value a = Eval(*e.operands[0]);
  if (e.op == Op::Count) {
    if (!a.known()) return Value::Unknown(e.type, a.missing);
    return Value::Int(a.kind == ValueKind::EnumSet ? __builtin_popcountll(a.mask)
                                                   : static_cast<int64_t>(a.items.size()));
  }
  Value b = Eval(*e.operands[1]);
  if (error_) return Value::Unknown(e.type);
  if (!a.known() || !b.known()) return UnknownFrom(e.type, a, b);
  switch (e.op) {
    case Op::Concat: {
      Value list = a;
      list.items.insert(list.items.end(), b.items.begin(), b.items.end());
      return list;
    }
    case Op::In: {
      if (b.kind == ValueKind::EnumSet) return Value::Bool((b.mask >> a.i) & 1);
      if (b.kind == ValueKind::StringSet) return Value::Bool(StringSetHas(b, a.s));
      // A list may hold unknown elements: a known match decides, else an
      // unknown element leaves the answer unknown.
      Value needle = Materialize(a);
      MissingPaths unknown_items;
      bool saw_unknown = false;
      for (const Value& item : b.items) {
        if (!item.known()) {
          saw_unknown = true;
          unknown_items = MergeMissing(unknown_items, item.missing);
          continue;
        }
        if (ValuesEqual(needle, Materialize(item))) return Value::Bool(true);
      }
      if (saw_unknown) return Value::Unknown(e.type, std::move(unknown_items));
      return Value::Bool(false);
    }
    case Op::HasAny:
    case Op::HasAll: {
      bool any = e.op == Op::HasAny;
      if (a.kind == ValueKind::EnumSet) {
        return Value::Bool(any ? (a.mask & b.mask) != 0 : (a.mask & b.mask) == b.mask);
      }
      for (const Value& item : b.items) {
        bool has = StringSetHas(a, item.s);
        if (any && has) return Value::Bool(true);
        if (!any && !has) return Value::Bool(false);
      }
      return Value::Bool(!any);
    }
    default: {  // union, intersect
      bool is_union = e.op == Op::Union;
      if (a.kind == ValueKind::EnumSet) {
        Value set = a;
        set.mask = is_union ? a.mask | b.mask : a.mask & b.mask;
        return set;
      }
      std::vector<Value> items;
      if (is_union) {
        items = a.items;
        items.insert(items.end(), b.items.begin(), b.items.end());
      } else {
        for (const Value& item : a.items) {
          if (StringSetHas(b, item.s)) items.push_back(item);
        }
      }
      return StringSet(e.type, std::move(items));
    }
  }
}

// Literals. A list keeps unknown elements (its length is known, and `any`
// over it can still be decided by a known element). A set literal with an
// unknown element is unknown as a whole: which members it has is not known.
// Record and map literals stay known, with unknown entries.
Value Evaluator::Build(const ir::Expr& e) {
  std::vector<Value> items;
  MissingPaths missing;
  bool unknown = false;
  for (const ir::ExprPtr& operand : e.operands) {
    Value item = operand ? Materialize(Eval(*operand)) : Value::Unknown(ir::TypeTable::kAny);
    if (!item.known() && operand) {
      unknown = true;
      missing = MergeMissing(missing, item.missing);
    }
    items.push_back(std::move(item));
  }
  if (error_) return Value::Unknown(e.type);
  Value v;
  v.type = e.type;
  switch (e.op) {
    case Op::MakeList:
      v.kind = ValueKind::List;
      v.items = std::move(items);
      return v;
    case Op::MakeSet: {
      if (unknown) return Value::Unknown(e.type, std::move(missing));
      if (program_.types.kind(program_.types.get(e.type).element) == TypeKind::Enum) {
        v.kind = ValueKind::EnumSet;
        for (const Value& item : items) v.mask |= uint64_t{1} << item.i;
        return v;
      }
      return StringSet(e.type, std::move(items));
    }
    case Op::MakeRecord:
      v.kind = ValueKind::Record;
      v.items = std::move(items);
      return v;
    default: {
      v.kind = ValueKind::Map;
      std::vector<size_t> order(items.size());
      for (size_t k = 0; k < order.size(); ++k) order[k] = k;
      std::sort(order.begin(), order.end(), [&](size_t x, size_t y) { return e.keys[x] < e.keys[y]; });
      for (size_t k : order) {
        v.keys.push_back(e.keys[k]);
        v.items.push_back(std::move(items[k]));
      }
      return v;
    }
  }
}

}  // namespace aipol::interp
