// Differential test of the two evaluation engines: the reference interpreter
// and the LLVM JIT must produce byte-identical reports for every descriptor.
//
// 1. The standard library (`aiact`): random descriptors generated from the
//    policy's input record type (ir::TypeTable), plus mutations of the
//    example systems, each evaluated at several `as_of` dates and with
//    `law_version` and `evidence_max_age` varied.
// 2. Random small policies over a fixed input record that use every operator
//    of the language, each with random descriptors (and a `test` block).
// 3. Every `test` block's expectations, through JitEngine::EvaluateExpect /
//    EvaluateStatus and the interpreter.
//
// Everything is deterministic for a given --seed. On a mismatch the policy
// (for random ones), the descriptor (also shrunk to a minimal one that still
// differs), the date, the params and both outputs are printed for the first
// mismatches; the run ends with `N passed, M failed` and fails if M > 0.
//
// usage: differential_test [--seed N] [--stdlib N] [--policies N]
//                          [--per-policy N] [--threads N] [--only stdlib|random|tests]
//                          [--show-policy I] [--verbose]
#include <simdjson.h>

#include <unistd.h>
#include <algorithm>
#include <atomic>
#include <charconv>
#include <chrono>
#include <cinttypes>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <limits>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "compiler/diag/diag.h"
#include "compiler/interp/interp.h"
#include "compiler/ir/ir.h"
#include "compiler/jit/jit.h"
#include "compiler/sema/check.h"
#include "compiler/sema/literal.h"
#include "compiler/source/source.h"
#include "runtime/date.h"
#include "runtime/json_text.h"
#include "runtime/loader.h"
#include "runtime/report.h"
#include "runtime/results.h"
#include "runtime/row.h"
#include "runtime/value.h"

namespace {

using namespace aipol;
using ir::TypeId;
using ir::TypeKind;

// ------------------------------------------------------------------ options

struct Options {
  uint64_t seed = 20260802;
  size_t stdlib_descriptors = 10000;
  size_t stdlib_variants = 3;  // (as_of, params) combinations per descriptor
  size_t policies = 220;
  size_t per_policy = 50;
  size_t policy_variants = 2;
  unsigned threads = 2;
  std::string only;
  long show_policy = -1;
  bool verbose = false;
  size_t max_shown = 5;
};

Options g_options;

// ---------------------------------------------------------------------- rng

class Rng {
 public:
  explicit Rng(uint64_t seed) : engine_(seed) {}
  Rng(uint64_t seed, uint64_t stream)
      : engine_(seed * 0x9E3779B97F4A7C15ULL + stream * 0xBF58476D1CE4E5B9ULL + 1) {}
  uint64_t Next() { return engine_(); }
  // Uniform in [lo, hi].
  int64_t Int(int64_t lo, int64_t hi) {
    return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
  }
  bool Chance(double p) { return std::uniform_real_distribution<double>(0, 1)(engine_) < p; }
  double Real(double lo, double hi) { return std::uniform_real_distribution<double>(lo, hi)(engine_); }
  template <typename T>
  const T& Pick(const std::vector<T>& items) {
    return items[static_cast<size_t>(Int(0, static_cast<int64_t>(items.size()) - 1))];
  }
  template <typename T, size_t N>
  const T& Pick(const T (&items)[N]) {
    return items[static_cast<size_t>(Int(0, static_cast<int64_t>(N) - 1))];
  }

 private:
  std::mt19937_64 engine_;
};

// ------------------------------------------------------------ a JSON tree

// A descriptor as a tree, so that it can be mutated and shrunk. Scalars keep
// their JSON text; objects may hold a key twice (the loader's DuplicateKey).
struct J {
  enum Kind { Raw, Object, Array } kind = Raw;
  std::string raw = "null";
  std::vector<std::pair<std::string, J>> members;
  std::vector<J> items;

  static J Text(std::string text) {
    J j;
    j.raw = std::move(text);
    return j;
  }
  static J Str(std::string_view s) { return Text(JsonString(s)); }
  static J Obj() {
    J j;
    j.kind = Object;
    return j;
  }
  static J Arr() {
    J j;
    j.kind = Array;
    return j;
  }
};

void WriteJson(const J& j, std::string& out) {
  switch (j.kind) {
    case J::Raw: out += j.raw; return;
    case J::Object:
      out += "{";
      for (size_t k = 0; k < j.members.size(); ++k) {
        if (k) out += ", ";
        AppendJsonString(out, j.members[k].first);
        out += ": ";
        WriteJson(j.members[k].second, out);
      }
      out += "}";
      return;
    case J::Array:
      out += "[";
      for (size_t k = 0; k < j.items.size(); ++k) {
        if (k) out += ", ";
        WriteJson(j.items[k], out);
      }
      out += "]";
      return;
  }
}

std::string ToJson(const J& j) {
  std::string out;
  WriteJson(j, out);
  return out;
}

std::string NumberText(double d) {
  char buffer[64];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, d);
  std::string text(buffer, result.ptr);
  // Keep it a JSON number (to_chars writes `1e+25`, which JSON accepts).
  return text;
}

J FromDom(simdjson::dom::element e) {
  using simdjson::dom::element_type;
  switch (e.type()) {
    case element_type::OBJECT: {
      J j = J::Obj();
      simdjson::dom::object object;
      if (e.get(object)) return j;
      for (auto field : object) j.members.emplace_back(std::string(field.key), FromDom(field.value));
      return j;
    }
    case element_type::ARRAY: {
      J j = J::Arr();
      simdjson::dom::array array;
      if (e.get(array)) return j;
      for (auto item : array) j.items.push_back(FromDom(item));
      return j;
    }
    case element_type::STRING: return J::Str(e.get_string().value_unsafe());
    case element_type::INT64: return J::Text(std::to_string(e.get_int64().value_unsafe()));
    case element_type::UINT64: return J::Text(std::to_string(e.get_uint64().value_unsafe()));
    case element_type::DOUBLE: return J::Text(NumberText(e.get_double().value_unsafe()));
    case element_type::BOOL: return J::Text(e.get_bool().value_unsafe() ? "true" : "false");
    case element_type::NULL_VALUE: return J::Text("null");
  }
  return J::Text("null");
}

// ---------------------------------------------------------------- dates

int32_t Day(int y, int m, int d) { return DaysFromCivil({y, m, d}); }

// A date around 2024-2031: uniform, a month end, a leap day, or a date the
// AI Act (and the random policies) care about, give or take a day.
int32_t RandomDate(Rng& r) {
  static const std::vector<int32_t> kKeyDates = {
      Day(2024, 8, 1),   Day(2025, 2, 2),   Day(2025, 8, 2),  Day(2026, 8, 2),  Day(2026, 12, 2),
      Day(2027, 8, 2),   Day(2027, 12, 2),  Day(2028, 8, 2),  Day(2030, 8, 2),  Day(2030, 12, 31),
      Day(2031, 12, 31), Day(2024, 2, 29),  Day(2028, 2, 29), Day(2025, 1, 31), Day(2026, 1, 15),
      Day(2025, 11, 28), Day(2026, 11, 28), Day(2027, 2, 28), Day(2029, 2, 28), Day(2024, 12, 31)};
  switch (r.Int(0, 9)) {
    case 0:
    case 1: {  // a month end
      int y = static_cast<int>(r.Int(2024, 2031)), m = static_cast<int>(r.Int(1, 12));
      return Day(y, m, DaysInMonth(y, m));
    }
    case 2: return r.Chance(0.5) ? Day(2024, 2, 29) : Day(2028, 2, 29);
    case 3:
    case 4:
    case 5: return r.Pick(kKeyDates) + static_cast<int32_t>(r.Int(-1, 1));
    default: return static_cast<int32_t>(r.Int(Day(2023, 6, 1), Day(2031, 12, 31)));
  }
}

// ------------------------------------------------------ descriptor generator

// Walks the input record type and makes random JSON for it.
class DescriptorGen {
 public:
  DescriptorGen(const ir::Program& program, std::vector<std::string> extra_keys)
      : p_(program), types_(program.types) {
    keys_ = program.map_keys;
    for (std::string& k : extra_keys) keys_.push_back(std::move(k));
  }

  TypeId root() const { return p_.input->type; }

  J Descriptor(Rng& r) {
    J j = Value(r, root(), 0);
    // ~3% get one invalid value somewhere (wrong JSON type, unknown enum
    // member, bad date, ...); a few more get input warnings only.
    if (r.Chance(0.03)) InjectInvalid(r, j);
    if (r.Chance(0.03)) InjectWarning(r, j);
    return j;
  }

  J Value(Rng& r, TypeId type, int depth) {
    const ir::Type& t = types_.get(type);
    switch (t.kind) {
      case TypeKind::Bool: return J::Text(r.Chance(0.5) ? "true" : "false");
      case TypeKind::Int: return J::Text(IntText(r));
      case TypeKind::Number: return J::Text(NumberValueText(r));
      case TypeKind::String: return J::Str(RandomString(r));
      case TypeKind::Date: return J::Str(FormatDate(RandomDate(r)));
      case TypeKind::Duration: return J::Str(DurationText(r));
      case TypeKind::Enum: return J::Str(r.Pick(types_.enums[t.index].members));
      case TypeKind::Set: {
        J a = J::Arr();
        const ir::Type& element = types_.get(t.element);
        if (element.kind == TypeKind::Enum) {
          const std::vector<std::string>& members = types_.enums[element.index].members;
          int64_t n = r.Chance(0.1) ? static_cast<int64_t>(members.size())
                                    : r.Int(0, std::min<int64_t>(4, members.size()));
          std::vector<size_t> order(members.size());
          for (size_t k = 0; k < order.size(); ++k) order[k] = k;
          for (size_t k = 0; k + 1 < order.size(); ++k)
            std::swap(order[k], order[k + r.Int(0, order.size() - k - 1)]);
          for (int64_t k = 0; k < n; ++k) a.items.push_back(J::Str(members[order[k]]));
        } else {
          int64_t n = r.Int(0, 3);
          for (int64_t k = 0; k < n; ++k) a.items.push_back(J::Str(RandomString(r)));
        }
        return a;
      }
      case TypeKind::List: {
        J a = J::Arr();
        int64_t n = depth > 3 ? 0 : r.Chance(0.3) ? 0 : r.Int(1, 4);
        for (int64_t k = 0; k < n; ++k) a.items.push_back(Value(r, t.element, depth + 1));
        return a;
      }
      case TypeKind::Map: {
        J o = J::Obj();
        if (depth > 3) return o;
        std::vector<std::string> keys = keys_;
        for (size_t k = 0; k + 1 < keys.size(); ++k)
          std::swap(keys[k], keys[k + r.Int(0, keys.size() - k - 1)]);
        size_t n = static_cast<size_t>(r.Int(0, std::min<int64_t>(8, keys.size())));
        for (size_t k = 0; k < n; ++k) {
          // A null entry means "no evidence".
          o.members.emplace_back(keys[k], r.Chance(0.05) ? J::Text("null") : Value(r, t.element, depth + 1));
        }
        return o;
      }
      case TypeKind::Record: return Record(r, t.index, depth);
      default: return J::Text("null");
    }
  }

  J Record(Rng& r, uint32_t record, int depth) {
    const ir::RecordInfo& info = types_.records[record];
    J o = J::Obj();
    double absent = depth == 0 ? 0.2 : 0.3;
    for (const ir::FieldInfo& field : info.fields) {
      if (!field.required) {
        if (r.Chance(absent)) continue;
        if (r.Chance(0.04)) {
          o.members.emplace_back(field.name, J::Text("null"));
          continue;
        }
      }
      o.members.emplace_back(field.name, Value(r, field.type, depth + 1));
    }
    // Members in a random order now and then: the loader must not care.
    if (r.Chance(0.1)) std::reverse(o.members.begin(), o.members.end());
    return o;
  }

  // A node of a descriptor with its type, for mutation.
  struct Node {
    J* node;
    J* parent;  // null for the root
    size_t index;
    TypeId type;
  };

  void Collect(J& j, J* parent, size_t index, TypeId type, std::vector<Node>& out) {
    out.push_back({&j, parent, index, type});
    const ir::Type& t = types_.get(type);
    if (j.kind == J::Object && t.kind == TypeKind::Record) {
      const ir::RecordInfo& info = types_.records[t.index];
      for (size_t k = 0; k < j.members.size(); ++k) {
        std::optional<uint32_t> f = info.Find(j.members[k].first);
        if (f) Collect(j.members[k].second, &j, k, info.fields[*f].type, out);
      }
    } else if (j.kind == J::Object && t.kind == TypeKind::Map) {
      for (size_t k = 0; k < j.members.size(); ++k) Collect(j.members[k].second, &j, k, t.element, out);
    } else if (j.kind == J::Array && (t.kind == TypeKind::List || t.kind == TypeKind::Set)) {
      for (size_t k = 0; k < j.items.size(); ++k) Collect(j.items[k], &j, k, t.element, out);
    }
  }

  // Replaces, deletes or adds a few values (for the example descriptors).
  void Mutate(Rng& r, J& root, int count) {
    for (int m = 0; m < count; ++m) {
      std::vector<Node> nodes;
      Collect(root, nullptr, 0, this->root(), nodes);
      Node n = nodes[static_cast<size_t>(r.Int(0, nodes.size() - 1))];
      const ir::Type& t = types_.get(n.type);
      int what = static_cast<int>(r.Int(0, 9));
      if (what < 3 && n.parent && n.parent->kind == J::Object) {
        n.parent->members.erase(n.parent->members.begin() + static_cast<long>(n.index));
      } else if (what < 5 && t.kind == TypeKind::Record && n.node->kind == J::Object) {
        const ir::RecordInfo& info = types_.records[t.index];
        const ir::FieldInfo& field = info.fields[static_cast<size_t>(r.Int(0, info.fields.size() - 1))];
        auto it = std::find_if(n.node->members.begin(), n.node->members.end(),
                               [&](const auto& m) { return m.first == field.name; });
        J value = Value(r, field.type, 1);
        if (it == n.node->members.end()) {
          n.node->members.emplace_back(field.name, std::move(value));
        } else {
          it->second = std::move(value);
        }
      } else if (n.parent) {
        *n.node = Value(r, n.type, 1);
      }
    }
  }

  void InjectInvalid(Rng& r, J& root) {
    if (r.Chance(0.04)) {  // the whole document
      static const char* kDocs[] = {"{", "[]", "null", "42", "\"x\"", "{\"id\": }", "nope"};
      root = J::Text(r.Pick(kDocs));
      return;
    }
    std::vector<Node> nodes;
    Collect(root, nullptr, 0, this->root(), nodes);
    Node n = nodes[static_cast<size_t>(r.Int(0, nodes.size() - 1))];
    const ir::Type& t = types_.get(n.type);
    if (t.kind == TypeKind::Record && r.Chance(0.3)) {
      // Drop a required field, if there is one present.
      const ir::RecordInfo& info = types_.records[t.index];
      for (size_t k = 0; k < n.node->members.size(); ++k) {
        std::optional<uint32_t> f = info.Find(n.node->members[k].first);
        if (f && info.fields[*f].required) {
          n.node->members.erase(n.node->members.begin() + static_cast<long>(k));
          return;
        }
      }
    }
    *n.node = InvalidFor(r, n.type);
  }

  J InvalidFor(Rng& r, TypeId type) {
    const ir::Type& t = types_.get(type);
    switch (t.kind) {
      case TypeKind::Bool: {
        static const char* k[] = {"\"true\"", "1", "[]", "{}", "0"};
        return J::Text(r.Pick(k));
      }
      case TypeKind::Int: {
        static const char* k[] = {
            "\"5\"", "2.5", "1e400", "true", "9223372036854775808", "-9223372036854775809",
            "1e19",  "[1]", "5.0",   "-0.0"};
        return J::Text(r.Pick(k));
      }
      case TypeKind::Number: {
        static const char* k[] = {"\"1e25\"", "1e400", "-1e400", "true", "{}", "[]", "\"NaN\""};
        return J::Text(r.Pick(k));
      }
      case TypeKind::String: {
        static const char* k[] = {"5", "true", "[]", "{}", "\"\\ud800\""};
        return J::Text(r.Pick(k));
      }
      case TypeKind::Date: {
        static const char* k[] = {"\"2023-02-29\"", "\"2024-13-01\"", "\"2024-1-1\"",
                                  "\"24-01-01\"",   "20240101",       "\"0000-01-01\"",
                                  "\"2024-02-30\"", "\"2024-06-31\"", "\"2024-06-01T00:00:00Z\"",
                                  "\"\"",           "true",           "\"10000-01-01\""};
        return J::Text(r.Pick(k));
      }
      case TypeKind::Duration: {
        static const char* k[] = {"\"6 weeks\"", "\"-1 days\"", "6", "\"months\"", "\"1  month\"", "\"\""};
        return J::Text(r.Pick(k));
      }
      case TypeKind::Enum: {
        const std::vector<std::string>& members = types_.enums[t.index].members;
        std::string member = r.Pick(members);
        switch (r.Int(0, 3)) {
          case 0: return J::Str("no_such_member");
          case 1: {
            member[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(member[0])));
            return J::Str(member);
          }
          case 2: return J::Text("0");
          default: return J::Str(member + " ");
        }
      }
      case TypeKind::Set:
      case TypeKind::List: {
        switch (r.Int(0, 4)) {
          case 0: return J::Text("{}");
          case 1: return J::Text("[null]");
          case 2: return J::Text("\"x\"");
          case 3: {
            J a = J::Arr();
            a.items.push_back(InvalidFor(r, t.element));
            return a;
          }
          default: return J::Text("[1, [2]]");
        }
      }
      case TypeKind::Map: {
        if (r.Chance(0.5)) return J::Text(r.Chance(0.5) ? "[]" : "5");
        J o = J::Obj();
        o.members.emplace_back(keys_.empty() ? "k" : r.Pick(keys_), InvalidFor(r, t.element));
        return o;
      }
      case TypeKind::Record: {
        static const char* k[] = {"[]", "\"x\"", "5", "true"};
        return J::Text(r.Pick(k));
      }
      default: return J::Text("[]");
    }
  }

  // Input warnings only: the descriptor is still evaluated.
  void InjectWarning(Rng& r, J& root) {
    std::vector<Node> nodes;
    Collect(root, nullptr, 0, this->root(), nodes);
    for (int tries = 0; tries < 20; ++tries) {
      Node n = nodes[static_cast<size_t>(r.Int(0, nodes.size() - 1))];
      const ir::Type& t = types_.get(n.type);
      if (n.node->kind == J::Object && t.kind == TypeKind::Record) {
        if (r.Chance(0.5) || n.node->members.empty()) {
          n.node->members.emplace_back("zz_unknown_field", J::Text("[1, {\"a\": null}]"));
        } else {  // a duplicate key: the later value wins
          auto first = n.node->members[static_cast<size_t>(r.Int(0, n.node->members.size() - 1))];
          std::optional<uint32_t> f = types_.records[t.index].Find(first.first);
          if (!f) continue;
          n.node->members.emplace_back(first.first, Value(r, types_.records[t.index].fields[*f].type, 2));
        }
        return;
      }
      if (n.node->kind == J::Array && t.kind == TypeKind::Set && !n.node->items.empty()) {
        n.node->items.push_back(n.node->items[0]);  // DuplicateItem
        return;
      }
      if (n.node->kind == J::Object && t.kind == TypeKind::Map && !n.node->members.empty()) {
        auto first = n.node->members[0];
        n.node->members.emplace_back(first.first, Value(r, t.element, 2));
        return;
      }
    }
  }

  static std::string IntText(Rng& r) {
    static const char* kInts[] = {"0",
                                  "1",
                                  "-1",
                                  "2",
                                  "7",
                                  "10",
                                  "100",
                                  "1000",
                                  "-1000",
                                  "3",
                                  "1",
                                  "9223372036854775807",
                                  "-9223372036854775808",
                                  "4611686018427387904",
                                  "3037000500",
                                  "1099511627776",
                                  "-9223372036854775807",
                                  "5.0"};
    if (r.Chance(0.5)) return std::to_string(r.Int(-20, 200));
    return r.Pick(kInts);
  }

  static std::string NumberValueText(Rng& r) {
    static const double kThreshold = 1e25;
    switch (r.Int(0, 11)) {
      case 0: return "1e25";
      case 1: return "10000000000000000000000000";
      case 2: return NumberText(std::nextafter(kThreshold, 0.0));
      case 3: return NumberText(std::nextafter(kThreshold, 1e30));
      case 4: return NumberText(r.Real(1e24, 1e26));
      case 5:
        return r.Pick({std::string("0"), std::string("-0.0"), std::string("0.5"), std::string("1"),
                       std::string("-1.5"), std::string("3"), std::string("1e308"), std::string("-1e308"),
                       std::string("5e-324"), std::string("2.5e-3"), std::string("1.7976931348623157e308"),
                       std::string("9.999999999999999e24"), std::string("1.0000000000000001e25")});
      case 6: return NumberText(r.Real(-1000, 1000));
      case 7: return std::to_string(r.Int(-5, 50));
      case 8: return NumberText(r.Real(1e22, 1e27));
      default: return NumberText(std::round(r.Real(0, 100) * 4) / 4);
    }
  }

  static std::string RandomString(Rng& r) {
    static const std::vector<std::string> kStrings = {"",
                                                      "a",
                                                      "b",
                                                      "x y",
                                                      "Art. 9",
                                                      "\xc3\xa9t\xc3\xa9",
                                                      "line\nbreak",
                                                      "quote \" and \\",
                                                      "\xe2\x9c\x93",
                                                      "red",
                                                      "A",
                                                      "a ",
                                                      "tab\there",
                                                      "\xf0\x9f\x98\x80",
                                                      "cv-ranker"};
    if (r.Chance(0.8)) return r.Pick(kStrings);
    std::string s;
    int64_t n = r.Int(1, 8);
    for (int64_t k = 0; k < n; ++k) s += static_cast<char>('a' + r.Int(0, 5));
    return s;
  }

  static std::string DurationText(Rng& r) {
    static const char* k[] = {"6 months", "1 year",  "30 days",  "0 days",      "12 months",     "2 years",
                              "1 day",    "3 month", "400 days", "10000 years", "100000000 days"};
    return r.Pick(k);
  }

 private:
  const ir::Program& p_;
  const ir::TypeTable& types_;
  std::vector<std::string> keys_;
};

// Shrinks a descriptor while `still_fails` holds: drops object members and
// array items, then simplifies what is left.
J Shrink(J root, const std::function<bool(const J&)>& still_fails) {
  bool changed = true;
  int rounds = 0;
  while (changed && rounds++ < 20) {
    changed = false;
    std::function<bool(J&)> visit = [&](J& j) -> bool {
      if (j.kind == J::Object) {
        for (size_t k = 0; k < j.members.size();) {
          auto saved = j.members[k];
          j.members.erase(j.members.begin() + static_cast<long>(k));
          if (still_fails(root)) {
            changed = true;
            continue;
          }
          j.members.insert(j.members.begin() + static_cast<long>(k), std::move(saved));
          ++k;
        }
        for (auto& m : j.members) visit(m.second);
      } else if (j.kind == J::Array) {
        for (size_t k = 0; k < j.items.size();) {
          J saved = j.items[k];
          j.items.erase(j.items.begin() + static_cast<long>(k));
          if (still_fails(root)) {
            changed = true;
            continue;
          }
          j.items.insert(j.items.begin() + static_cast<long>(k), std::move(saved));
          ++k;
        }
        for (J& item : j.items) visit(item);
      }
      return true;
    };
    visit(root);
  }
  return root;
}

// --------------------------------------------------------------- a policy

struct Policy {
  std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
  std::unique_ptr<ir::Program> program;
  std::string diagnostics;
  std::vector<Value> defaults;
  PolicyInfo info;  // hash and modules; params filled in per evaluation

  std::string Locate(SourceRange range) const {
    if (!range.valid()) return "?";
    const SourceFile& file = sources->file(range.file);
    LineColumn at = file.Position(range.begin);
    return file.path() + ":" + std::to_string(at.line) + ":" + std::to_string(at.column);
  }
};

std::unique_ptr<Policy> CheckPolicy(const PolicyRequest& request) {
  auto policy = std::make_unique<Policy>();
  DiagnosticSink diags;
  CheckResult result = Check(request, *policy->sources, diags);
  std::ostringstream rendered;
  RenderText(*policy->sources, diags.diagnostics(), RenderOptions{}, rendered);
  policy->diagnostics = rendered.str();
  if (!result.program || diags.has_errors()) return policy;
  policy->program = std::move(result.program);
  policy->defaults = Interpreter::DefaultParams(*policy->program);
  policy->info = PolicyInfo::From(*policy->program, policy->defaults);
  return policy;
}

// A param value from its literal text (as `--set` reads it).
Value ParamValue(const ir::Program& program, uint32_t param, const std::string& text) {
  std::string error;
  ir::ExprPtr expr = ParseLiteral(program.types, program.params[param].type, text, "param", &error);
  if (!expr) {
    std::fprintf(stderr, "internal: bad literal `%s` for param %s: %s\n", text.c_str(),
                 program.params[param].name.c_str(), error.c_str());
    std::exit(2);
  }
  std::optional<RuntimeError> runtime_error;
  return Interpreter(program).EvaluateExpr(*expr, 0, {}, &runtime_error);
}

std::string DescribeParams(const ir::Program& program, const std::vector<Value>& params) {
  std::string out;
  for (size_t p = 0; p < program.params.size(); ++p) {
    if (!out.empty()) out += ", ";
    out += program.params[p].name + "=" + ValueToLiteral(params[p], program.types);
  }
  return out;
}

// ------------------------------------------------------------ comparisons

struct Mismatch {
  std::string section;
  std::string policy;  // the policy's text, for random ones
  std::string descriptor;
  std::string shrunk;   // a smaller descriptor that still differs
  std::string setting;  // as_of and params, or the test and expectation
  std::string interp;
  std::string jit;
};

struct Tally {
  std::atomic<size_t> passed{0};
  std::atomic<size_t> failed{0};
  std::mutex mutex;
  std::vector<std::pair<uint64_t, Mismatch>> mismatches;  // keyed by a deterministic order

  void Fail(uint64_t order, Mismatch m) {
    ++failed;
    std::lock_guard lock(mutex);
    mismatches.emplace_back(order, std::move(m));
  }
};

// Statistics about what was exercised, so that a generator that only makes
// input errors or runtime errors would show.
struct Coverage {
  std::atomic<size_t> evaluated{0}, input_errors{0}, runtime_errors{0}, warnings{0};
  std::atomic<size_t> unknown_facts{0}, known_facts{0};
  std::array<std::atomic<size_t>, 9> statuses{};
  std::mutex mutex;
  std::map<std::string, size_t> error_kinds;
};

// Evaluates one descriptor with both engines; returns both reports.
struct Outputs {
  std::string interp, jit;
  bool row_ok = false;
  const Results* results = nullptr;
};

class Harness {
 public:
  Harness(const Policy& policy, const Interpreter& interp, const JitEngine& jit)
      : policy_(policy), program_(*policy.program), interp_(interp), jit_(jit), loader_(program_) {}

  Outputs Run(const std::string& json, int32_t as_of, const std::vector<Value>& params, Coverage* coverage) {
    arena_.Reset();
    LoadedRow row = loader_.Load(json, arena_, false);
    PolicyInfo info = policy_.info;
    info.params.clear();
    for (size_t p = 0; p < program_.params.size(); ++p) {
      info.params.emplace_back(program_.params[p].name, ValueToLiteral(params[p], program_.types));
    }
    std::sort(info.params.begin(), info.params.end());
    std::optional<Results> by_interp, by_jit;
    Outputs out;
    out.row_ok = row.ok();
    if (row.ok()) {
      EvalRequest request{row.row, as_of, &params};
      by_interp = interp_.Evaluate(request);
      by_jit = jit_.Evaluate(request);
    }
    RecordSource source{"diff.jsonl", 1, 0};
    auto locate = [this](SourceRange range) { return policy_.Locate(range); };
    ReportInput a{program_, info, as_of, source, row.id, row.issues, by_interp ? &*by_interp : nullptr,
                  locate};
    ReportInput b{program_, info, as_of, source, row.id, row.issues, by_jit ? &*by_jit : nullptr, locate};
    AppendReportJson(out.interp, a);
    AppendReportJson(out.jit, b);
    if (coverage) {
      if (!row.ok()) {
        ++coverage->input_errors;
      } else {
        ++coverage->evaluated;
        if (std::any_of(row.issues.begin(), row.issues.end(), [](const InputIssue& i) { return !i.error; }))
          ++coverage->warnings;
        if (by_interp->error) {
          ++coverage->runtime_errors;
          std::lock_guard lock(coverage->mutex);
          ++coverage->error_kinds[by_interp->error->kind];
        }
        for (const Value& fact : by_interp->facts)
          ++(fact.known() ? coverage->known_facts : coverage->unknown_facts);
        for (const auto* list : {&by_interp->obligations, &by_interp->prohibitions}) {
          for (const StatusResult& s : *list) ++coverage->statuses[static_cast<size_t>(s.status)];
        }
      }
    }
    return out;
  }

 private:
  const Policy& policy_;
  const ir::Program& program_;
  const Interpreter& interp_;
  const JitEngine& jit_;
  RowLoader loader_;
  Arena arena_;
};

std::string ShrinkDescriptor(Harness& harness, const J& descriptor, int32_t as_of,
                             const std::vector<Value>& params) {
  J shrunk = Shrink(descriptor, [&](const J& candidate) {
    Outputs o = harness.Run(ToJson(candidate), as_of, params, nullptr);
    return o.interp != o.jit;
  });
  return ToJson(shrunk);
}

// -------------------------------------------------- expectations of tests

std::string DescribeValue(const Value& v, const ir::TypeTable& types) {
  std::string out;
  AppendValueJson(out, v, types);
  if (!v.known()) {
    out += " (unknown, missing:";
    for (const std::string& m : v.missing) out += " " + m;
    out += ")";
  }
  return out;
}

std::string DescribeError(const std::optional<RuntimeError>& error, const Policy& policy) {
  if (!error) return "";
  return " error " + error->kind + ": " + error->message + " at " + policy.Locate(error->range);
}

std::string DescribeStatus(const StatusResult& s) {
  std::string out(StatusName(s.status));
  auto date = [](const std::optional<int32_t>& d) { return d ? FormatDate(*d) : std::string("-"); };
  out += " from=" + date(s.from) + (s.from_declared ? "" : "(none)");
  out += " until=" + date(s.until) + (s.until_declared ? "" : "(none)");
  out += " evidence=" + s.evidence_status.value_or("-") + "/" + s.evidence_ref.value_or("-") + "/" +
         date(s.evidence_reviewed);
  return out;
}

bool ReadFile(const std::string& path, std::string* text) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return false;
  std::ostringstream buffer;
  buffer << in.rdbuf();
  *text = buffer.str();
  return true;
}

// Runs every `test` block of `policy` through both engines: each expectation
// (value or status, and its runtime error) and the whole report for the
// test's descriptor. Returns false if a test could not be set up.
void CompareTests(const Policy& policy, const Interpreter& interp, const JitEngine& jit, Tally& tally,
                  const std::string& section, const std::string& policy_text, uint64_t order_base,
                  size_t* expects_run) {
  const ir::Program& program = *policy.program;
  for (size_t t = 0; t < program.tests.size(); ++t) {
    const ir::Test& test = program.tests[t];
    std::string json;
    if (test.given_file) {
      std::string directory = test.directory;
      if (directory.rfind("<stdlib>", 0) == 0) directory = AIPOL_STDLIB_SOURCE_DIR + directory.substr(8);
      std::string path = directory.empty() ? *test.given_file : directory + "/" + *test.given_file;
      if (!ReadFile(path, &json)) {
        tally.Fail(order_base + t * 1000, {section, policy_text, "", "", "test `" + test.description + "`",
                                           "cannot read " + path, ""});
        continue;
      }
    } else if (test.given_value) {
      std::optional<RuntimeError> error;
      Value record = interp.EvaluateExpr(*test.given_value, 0, {}, &error);
      AppendValueJson(json, record, program.types);
    }
    Arena arena;
    const uint8_t* row = nullptr;
    if (!json.empty()) {
      RowLoader loader(program);
      LoadedRow loaded = loader.Load(json, arena, false);
      if (!loaded.ok()) continue;  // `aipol test` reports this; nothing to compare
      row = loaded.row;
    }
    std::vector<Value> params = policy.defaults;
    for (const auto& [param, value] : test.sets) {
      std::optional<RuntimeError> error;
      params[param] = interp.EvaluateExpr(*value, 0, {}, &error);
    }
    EvalRequest request{row, test.as_of, &params};
    std::string setting = "test `" + test.description + "` at " + policy.Locate(test.range) + ", as_of " +
                          FormatDate(test.as_of) + ", params " + DescribeParams(program, params);
    for (size_t k = 0; k < test.expects.size(); ++k) {
      const ir::Expect& expect = test.expects[k];
      std::optional<RuntimeError> interp_error, jit_error;
      std::string a, b;
      if (expect.kind == ir::ExpectKind::Value) {
        a = DescribeValue(interp.EvaluateExpr(*expect.expr, expect.locals, request, &interp_error),
                          program.types);
        b = DescribeValue(jit.EvaluateExpect(t, k, request, &jit_error), program.types);
      } else {
        a = DescribeStatus(interp.EvaluateStatus(expect.decl, request, &interp_error));
        b = DescribeStatus(jit.EvaluateStatus(expect.decl, request, &jit_error));
      }
      a += DescribeError(interp_error, policy);
      b += DescribeError(jit_error, policy);
      ++*expects_run;
      if (a == b) {
        ++tally.passed;
      } else {
        tally.Fail(order_base + t * 1000 + k, {section, policy_text, json, "",
                                               setting + ", expect at " + policy.Locate(expect.range), a, b});
      }
    }
    // The whole report for the test's descriptor too.
    if (row) {
      Results x = interp.Evaluate(request), y = jit.Evaluate(request);
      std::vector<InputIssue> issues;
      PolicyInfo info = PolicyInfo::From(program, params);
      auto locate = [&](SourceRange range) { return policy.Locate(range); };
      std::string ra, rb;
      AppendReportJson(ra, {program, info, test.as_of, {"test", 1, 0}, std::nullopt, issues, &x, locate});
      AppendReportJson(rb, {program, info, test.as_of, {"test", 1, 0}, std::nullopt, issues, &y, locate});
      if (ra == rb) {
        ++tally.passed;
      } else {
        tally.Fail(order_base + t * 1000 + 999,
                   {section, policy_text, json, "", setting + " (whole report)", ra, rb});
      }
    }
  }
}

}  // namespace

// ============================================================ random policies

namespace {

// The types the generator knows.
enum class T {
  Bool,
  Int,
  Num,
  Date,
  Dur,
  Color,
  Level,
  EvSt,
  ColorSet,
  StrSet,
  Str,
  IntList,
  NumList,
  ItemList,
  Inner,
  Item,
  Ev,
  EvMap
};

const char* TypeText(T t) {
  switch (t) {
    case T::Bool: return "bool";
    case T::Int: return "int";
    case T::Num: return "number";
    case T::Date: return "date";
    case T::Dur: return "duration";
    case T::Color: return "Color";
    case T::Level: return "Level";
    case T::EvSt: return "EvStatus";
    case T::ColorSet: return "set<Color>";
    case T::StrSet: return "set<string>";
    case T::Str: return "string";
    case T::IntList: return "list<int>";
    case T::NumList: return "list<number>";
    case T::ItemList: return "list<Item>";
    case T::Inner: return "Inner";
    case T::Item: return "Item";
    case T::Ev: return "Ev";
    case T::EvMap: return "map<string, Ev>";
  }
  return "bool";
}

constexpr const char* kHeader = R"(module difftest

enum Color { red, green, blue, other }
enum Level { low, mid, high }
enum EvStatus { met, partial, not_started, not_applicable }
enum Role { provider, deployer, importer }

record Inner {
  flag: bool
  n: int
  x: number
  d: date
  c: Color
}

record Item {
  kind: Color required
  n: int
  on: date required
  done: date
}

record Ev {
  status: EvStatus required
  ref: string
  reviewed: date
}

record In {
  id: string required
  b1: bool
  b2: bool
  i1: int
  i2: int
  n1: number
  n2: number
  d1: date
  d2: date
  dur: duration
  c: Color
  lv: Level
  cs: set<Color>
  cs2: set<Color>
  roles: set<Role>
  s: string
  tags: set<string>
  inner: Inner
  items: list<Item>
  nums: list<int>
  evidence: map<string, Ev>
}

input sys: In

param p_int: int = 3
param p_num: number = 2.5
param p_date: date = 2026-08-02
param p_dur: duration = 6 months
param p_color: Color = red
param p_flag: bool = true
param p_colors: set<Color> = {red, blue}
)";

class PolicyGen {
 public:
  explicit PolicyGen(Rng& r) : r_(r) {}

  std::string Generate() {
    std::string out = kHeader;
    if (r_.Chance(0.8)) {
      out += "param evidence_max_age: duration = " +
             std::string(r_.Pick({std::string("12 months"), std::string("6 months"), std::string("30 days"),
                                  std::string("1 year"), std::string("0 days")})) +
             "\n";
    }
    if (r_.Chance(0.3)) {
      out +=
          "\ndef roles: set<Role> = if default(sys.b2, false) then sys.roles | {Role.provider} else "
          "sys.roles\n";
    }
    out += "\n";
    // Functions (each may call the ones before it).
    int functions = static_cast<int>(r_.Int(0, 3));
    for (int k = 0; k < functions; ++k) out += Function(k);
    // Defs: pure values (input, params, functions, earlier defs).
    int defs = static_cast<int>(r_.Int(3, 8));
    for (int k = 0; k < defs; ++k) out += Def(k, false);
    // Rules, obligations and prohibitions, each over the earlier ones.
    int decls = static_cast<int>(r_.Int(3, 8));
    for (int k = 0; k < decls; ++k) {
      int what = static_cast<int>(r_.Int(0, 9));
      if (what < 4) {
        out += Rule(k);
      } else if (what < 8) {
        out += Obligation(k);
      } else {
        out += Prohibition(k);
      }
    }
    // Exceptions, to rules, obligations, prohibitions and other exceptions.
    int exceptions = static_cast<int>(r_.Int(0, 4));
    for (int k = 0; k < exceptions && !targets_.empty(); ++k) out += Exception(k);
    // Reported defs of any type (they may read rules too).
    int reports = static_cast<int>(r_.Int(2, 6));
    for (int k = 0; k < reports; ++k) out += Def(100 + k, true);
    out += Test();
    return out;
  }

 private:
  struct Named {
    std::string name;
    T type;
  };
  struct Fn {
    std::string name;
    std::vector<T> params;
    T result;
  };

  // ------------------------------------------------------------ declarations

  std::string Function(int k) {
    static const T kParams[] = {T::Bool,     T::Int, T::Num,     T::Date,     T::Dur,   T::Color,
                                T::ColorSet, T::Str, T::IntList, T::ItemList, T::Inner, T::Ev};
    static const T kResults[] = {T::Bool,  T::Int,      T::Num, T::Date,    T::Dur,
                                 T::Color, T::ColorSet, T::Str, T::IntList, T::Inner};
    Fn fn{"f" + std::to_string(k), {}, r_.Pick(kResults)};
    int n = static_cast<int>(r_.Int(1, 3));
    std::string text = "## Function " + std::to_string(k) + ".\ndef " + fn.name + "(";
    locals_.clear();
    for (int p = 0; p < n; ++p) {
      T type = r_.Pick(kParams);
      fn.params.push_back(type);
      std::string name = std::string(1, static_cast<char>('a' + p));
      locals_.push_back({name, type});
      text += (p ? ", " : "") + name + ": " + TypeText(type);
    }
    in_function_ = true;
    text += "): " + std::string(TypeText(fn.result)) + " =\n  " + E(fn.result, 3, true) + "\n\n";
    in_function_ = false;
    locals_.clear();
    functions_.push_back(fn);
    return text;
  }

  std::string Def(int k, bool report) {
    static const T kTypes[] = {T::Bool,    T::Int,      T::Num,      T::Date,   T::Dur,   T::Color,
                               T::Level,   T::EvSt,     T::ColorSet, T::StrSet, T::Str,   T::IntList,
                               T::NumList, T::ItemList, T::Inner,    T::Ev,     T::EvMap, T::Bool,
                               T::Int,     T::Num,      T::Date,     T::Bool};
    T type = r_.Pick(kTypes);
    std::string name = (report ? "out" : "d") + std::to_string(k);
    rule_context_ = report;
    std::string value = E(type, 3, true);
    rule_context_ = false;
    if (!report) defs_.push_back({name, type});
    return std::string(report ? "report " : "") + "def " + name + ": " + TypeText(type) + " =\n  " + value +
           "\n\n";
  }

  std::string Cite() {
    std::string out = "  cite \"Art. " + std::to_string(r_.Int(1, 6)) + "\"";
    if (r_.Chance(0.3)) out += ", \"Annex III(" + std::to_string(r_.Int(1, 8)) + ")(a)\"";
    return out + "\n";
  }

  std::string Condition(const char* clause) {
    refs_.clear();
    return std::string("  ") + clause + " " + E(T::Bool, 3, false) + "\n";
  }

  std::string Rule(int k) {
    std::string name = "r" + std::to_string(k);
    bool report = r_.Chance(0.5);
    std::string text = std::string(report ? "report " : "") + "rule " + name;
    if (r_.Chance(0.7)) text += " \"Rule " + std::to_string(k) + "\"";
    text += "\n";
    if (r_.Chance(0.8)) text += Cite();
    rule_context_ = true;
    std::set<std::string> refs;
    if (r_.Chance(0.9)) {
      text += Condition("when");
      refs.insert(refs_.begin(), refs_.end());
    }
    if (r_.Chance(0.4)) {
      text += Condition("unless");
      refs.insert(refs_.begin(), refs_.end());
    }
    if (r_.Chance(0.2)) text += "  text \"A rule.\"\n";
    rule_context_ = false;
    Add(name, refs);
    return text + "\n";
  }

  std::string Obligation(int k) {
    std::string name = "o" + std::to_string(k);
    std::string text = "obligation " + name;
    if (r_.Chance(0.7)) text += " \"Obligation " + std::to_string(k) + "\"";
    text += "\n";
    if (r_.Chance(0.6))
      text += std::string("  actor ") +
              r_.Pick({std::string("provider"), std::string("deployer"), std::string("importer")}) + "\n";
    if (r_.Chance(0.85)) text += Cite();
    rule_context_ = true;
    std::set<std::string> refs;
    auto clause = [&](const char* word, T type) {
      refs_.clear();
      text += std::string("  ") + word + " " + E(type, 2, false) + "\n";
      refs.insert(refs_.begin(), refs_.end());
    };
    if (r_.Chance(0.5)) clause("from", T::Date);
    if (r_.Chance(0.3)) clause("until", T::Date);
    if (r_.Chance(0.9)) clause("when", T::Bool);
    if (r_.Chance(0.3)) clause("unless", T::Bool);
    if (r_.Chance(0.3)) clause("evidence", T::Ev);
    if (r_.Chance(0.3)) text += "  text \"Do it.\"\n";
    rule_context_ = false;
    Add(name, refs);
    return text + "\n";
  }

  std::string Prohibition(int k) {
    std::string name = "p" + std::to_string(k);
    std::string text = "prohibition " + name;
    if (r_.Chance(0.7)) text += " \"Prohibition " + std::to_string(k) + "\"";
    text += "\n";
    if (r_.Chance(0.8))
      text += "  cite \"Art. 5(1)(" + std::string(1, static_cast<char>('a' + r_.Int(0, 7))) + ")\"\n";
    rule_context_ = true;
    std::set<std::string> refs;
    auto clause = [&](const char* word, T type) {
      refs_.clear();
      text += std::string("  ") + word + " " + E(type, 2, false) + "\n";
      refs.insert(refs_.begin(), refs_.end());
    };
    if (r_.Chance(0.5)) clause("from", T::Date);
    if (r_.Chance(0.3)) clause("until", T::Date);
    if (r_.Chance(0.9)) clause("when", T::Bool);
    if (r_.Chance(0.3)) clause("unless", T::Bool);
    rule_context_ = false;
    Add(name, refs);
    prohibitions_.push_back(name);
    return text + "\n";
  }

  std::string Exception(int k) {
    std::string name = "x" + std::to_string(k);
    std::string target = r_.Pick(targets_);
    // The exception may read any declaration that does not depend on its target.
    std::vector<std::string> allowed;
    for (const std::string& d : bool_decls_) {
      if (d != target && !Reaches(d, target)) allowed.push_back(d);
    }
    std::string text = "exception " + name + " to " + target + "\n";
    if (r_.Chance(0.5)) text += "  cite \"Art. 6(3)\"\n";
    rule_context_ = true;
    allowed_ = &allowed;
    std::set<std::string> refs;
    if (r_.Chance(0.9)) {
      text += Condition("when");
      refs.insert(refs_.begin(), refs_.end());
    }
    if (r_.Chance(0.3)) {
      text += Condition("unless");
      refs.insert(refs_.begin(), refs_.end());
    }
    allowed_ = nullptr;
    rule_context_ = false;
    Add(name, refs);
    deps_[target].insert(name);
    return text + "\n";
  }

  void Add(const std::string& name, const std::set<std::string>& refs) {
    deps_[name] = refs;
    bool_decls_.push_back(name);
    targets_.push_back(name);
  }

  bool Reaches(const std::string& from, const std::string& to) {
    std::set<std::string> seen;
    std::vector<std::string> stack{from};
    while (!stack.empty()) {
      std::string d = stack.back();
      stack.pop_back();
      if (d == to) return true;
      if (!seen.insert(d).second) continue;
      for (const std::string& next : deps_[d]) stack.push_back(next);
    }
    return false;
  }

  std::string Test() {
    std::string text = "test \"random\" {\n  given sys = {id: \"t1\"";
    text += GivenFields();
    text += "}\n  as_of " + FormatDate(RandomDate(r_)) + "\n";
    if (r_.Chance(0.3)) text += "  set p_int = " + std::to_string(r_.Int(-2, 5)) + "\n";
    if (r_.Chance(0.2)) text += "  set p_colors = {}\n";
    rule_context_ = true;
    int expects = static_cast<int>(r_.Int(1, 4));
    for (int k = 0; k < expects; ++k) {
      if (r_.Chance(0.3)) {
        text += "  expect " + E(T::Bool, 2, false) + "\n";
      } else if (r_.Chance(0.5)) {
        text += "  expect (" + E(T::Int, 2, false) + ") == " + E(T::Int, 1, true) + "\n";
      } else {
        text += "  expect (" + E(T::Bool, 2, false) + ") is unknown\n";
      }
    }
    rule_context_ = false;
    for (const std::string& d : bool_decls_) {
      if (d[0] == 'o' && r_.Chance(0.5)) text += "  expect obligation " + d + " is met\n";
      if (d[0] == 'p' && r_.Chance(0.5)) text += "  expect prohibition " + d + " is violated\n";
    }
    return text + "}\n";
  }

  std::string GivenFields() {
    std::string out;
    auto add = [&](const char* name, const std::string& value) {
      if (r_.Chance(0.5)) out += std::string(", ") + name + ": " + value;
    };
    add("b1", r_.Chance(0.5) ? "true" : "false");
    add("b2", r_.Chance(0.5) ? "true" : "false");
    add("i1", std::to_string(r_.Int(-3, 10)));
    add("i2", r_.Chance(0.2) ? "-9223372036854775807" : std::to_string(r_.Int(0, 3)));
    add("n1", r_.Pick({std::string("2.5"), std::string("1e25"), std::string("-0.5"), std::string("0.0")}));
    add("d1", FormatDate(RandomDate(r_)));
    add("d2", FormatDate(RandomDate(r_)));
    add("dur", r_.Pick({std::string("6 months"), std::string("1 year"), std::string("10 days")}));
    add("c", r_.Pick({std::string("red"), std::string("Color.blue"), std::string("other")}));
    add("lv", "high");
    add("cs", r_.Pick({std::string("{}"), std::string("{red}"), std::string("{red, green, blue}")}));
    add("roles",
        r_.Pick({std::string("{}"), std::string("{provider}"), std::string("{deployer, importer}")}));
    add("s", "\"x\"");
    add("tags", "{\"a\", \"b\"}");
    add("inner", "{flag: true, n: 0, c: green}");
    add("items", "[{kind: red, on: 2025-03-01}, {kind: blue, on: 2024-02-29, done: 2025-01-31, n: 4}]");
    add("nums", "[1, 2, 0]");
    add("evidence",
        "{\"Art. 1\": {status: met, reviewed: 2025-06-01, ref: \"r\"}, \"Art. 2\": {status: partial}}");
    return out;
  }

  // -------------------------------------------------------------- expressions

  // An expression of type `t`. `typed`: the context gives the type, so
  // `unknown`, `{}`, `[]`, record literals and bare members may appear.
  std::string E(T t, int depth, bool typed) {
    if (depth <= 0 || r_.Chance(0.3)) return Leaf(t, typed);
    return Compound(t, depth - 1, typed);
  }

  std::vector<std::string> LocalsOf(T t) {
    std::vector<std::string> out;
    for (const Named& l : locals_) {
      if (l.type == t && !Shadowed(l.name, &l)) out.push_back(l.name);
    }
    return out;
  }

  // A later local of the same name hides an earlier one.
  bool Shadowed(const std::string& name, const Named* local) {
    bool after = false;
    for (const Named& l : locals_) {
      if (&l == local) {
        after = true;
        continue;
      }
      if (after && l.name == name) return true;
    }
    return false;
  }

  bool NameTaken(const std::string& name) {
    for (const Named& l : locals_) {
      if (l.name == name) return true;
    }
    return false;
  }

  std::string Member(const char* enum_name, const std::vector<std::string>& members, bool typed) {
    std::string m = r_.Pick(members);
    return typed && r_.Chance(0.3) ? m : std::string(enum_name) + "." + m;
  }

  std::string Leaf(T t, bool typed) {
    std::vector<std::string> c;
    for (const std::string& l : LocalsOf(t)) c.push_back(l);
    // Fields of locals of record types.
    for (const Named& l : locals_) {
      if (Shadowed(l.name, &l)) continue;
      for (const std::string& f : FieldsOf(l.type, t)) c.push_back(l.name + "." + f);
    }
    if (!in_function_) {
      for (const Named& d : defs_) {
        if (d.type == t && !NameTaken(d.name)) c.push_back(d.name);
      }
    }
    if (t == T::Bool && rule_context_ && !in_function_) {
      for (const std::string& d : allowed_ ? *allowed_ : bool_decls_) {
        if (!NameTaken(d)) c.push_back(d);
      }
    }
    switch (t) {
      case T::Bool:
        for (const char* s :
             {"sys.b1", "sys.b2", "sys.inner.flag", "p_flag", "true", "false", "(Role.provider in sys.roles)",
              "(sys.evidence[\"Art. 1\"].status == EvStatus.met)"})
          c.push_back(s);
        break;
      case T::Int:
        for (const char* s : {"sys.i1", "sys.i2", "sys.inner.n", "p_int", "0", "1", "2", "7", "(-1)", "100",
                              "9223372036854775807", "(-9223372036854775807)", "3037000500",
                              "4611686018427387904", "count(sys.items)", "count(sys.cs)"})
          c.push_back(s);
        break;
      case T::Num:
        for (const char* s : {"sys.n1", "sys.n2", "sys.inner.x", "p_num", "0.5", "1e25", "2.5", "0.0",
                              "1e308", "(-0.5)", "1e-300", "3.0"})
          c.push_back(s);
        break;
      case T::Date:
        for (const char* s :
             {"sys.d1", "sys.d2", "sys.inner.d", "p_date", "as_of", "2024-02-29", "2025-01-31", "2026-08-02",
              "2027-12-31", "9999-12-31", "0001-01-01", "2025-08-02", "sys.evidence[\"Art. 2\"].reviewed"})
          c.push_back(s);
        break;
      case T::Dur:
        for (const char* s :
             {"sys.dur", "p_dur", "1 day", "30 days", "1 month", "12 months", "2 years", "0 days", "3 month"})
          c.push_back(s);
        break;
      case T::Color:
        for (const char* s : {"sys.c", "sys.inner.c", "p_color"}) c.push_back(s);
        c.push_back(Member("Color", {"red", "green", "blue", "other"}, typed));
        c.push_back(Member("Color", {"red", "green", "blue", "other"}, typed));
        break;
      case T::Level:
        c.push_back("sys.lv");
        c.push_back(Member("Level", {"low", "mid", "high"}, typed));
        break;
      case T::EvSt:
        c.push_back("sys.evidence[\"Art. 1\"].status");
        c.push_back("sys.evidence[\"Art. 3\"].status");
        c.push_back(Member("EvStatus", {"met", "partial", "not_started", "not_applicable"}, typed));
        break;
      case T::ColorSet:
        for (const char* s : {"sys.cs", "sys.cs2", "p_colors", "{Color.red, Color.blue}", "{Color.other}"})
          c.push_back(s);
        if (typed) c.push_back("{}"), c.push_back("{red, green}");
        break;
      case T::StrSet:
        for (const char* s : {"sys.tags", "{\"a\", \"b\"}", "{\"x\"}"}) c.push_back(s);
        if (typed) c.push_back("{}");
        break;
      case T::Str:
        for (const char* s : {"sys.s", "sys.id", "\"a\"", "\"\"", "\"x y\"", "\"\\u{e9}t\\u{e9}\"",
                              "sys.evidence[\"Art. 1\"].ref"})
          c.push_back(s);
        break;
      case T::IntList:
        for (const char* s : {"sys.nums", "[1, 2, 3]", "[0]"}) c.push_back(s);
        if (typed) c.push_back("[]");
        break;
      case T::NumList:
        for (const char* s : {"[1.5, 2.5]", "[0.0, 1e25]"}) c.push_back(s);
        if (typed) c.push_back("[]");
        break;
      case T::ItemList:
        c.push_back("sys.items");
        if (typed) c.push_back("[{kind: Color.red, on: 2025-01-01}]"), c.push_back("[]");
        break;
      case T::Inner: c.push_back("sys.inner"); break;
      case T::Item: break;
      case T::Ev:
        for (const char* s :
             {"sys.evidence[\"Art. 1\"]", "sys.evidence[\"Art. 2\"]", "sys.evidence[\"Art. 4\"]"})
          c.push_back(s);
        break;
      case T::EvMap: c.push_back("sys.evidence"); break;
    }
    if (typed && r_.Chance(0.04)) return "unknown";
    if (c.empty()) return Compound(t, 0, typed);
    std::string pick = r_.Pick(c);
    if (t == T::Bool && rule_context_ && !in_function_ && IsBoolDecl(pick)) refs_.push_back(pick);
    return pick;
  }

  bool IsBoolDecl(const std::string& name) {
    return std::find(bool_decls_.begin(), bool_decls_.end(), name) != bool_decls_.end();
  }

  // Field names of record type `record` that have type `t`.
  static std::vector<std::string> FieldsOf(T record, T t) {
    std::vector<std::string> out;
    switch (record) {
      case T::Inner:
        if (t == T::Bool) out.push_back("flag");
        if (t == T::Int) out.push_back("n");
        if (t == T::Num) out.push_back("x");
        if (t == T::Date) out.push_back("d");
        if (t == T::Color) out.push_back("c");
        break;
      case T::Item:
        if (t == T::Color) out.push_back("kind");
        if (t == T::Int) out.push_back("n");
        if (t == T::Date) out.push_back("on"), out.push_back("done");
        break;
      case T::Ev:
        if (t == T::EvSt) out.push_back("status");
        if (t == T::Str) out.push_back("ref");
        if (t == T::Date) out.push_back("reviewed");
        break;
      default: break;
    }
    return out;
  }

  std::string Binder() {
    // Now and then a binder takes the name of a def, which it hides.
    if (!defs_.empty() && r_.Chance(0.1)) return r_.Pick(defs_).name;
    return "q" + std::to_string(binder_counter_++ % 4);
  }

  // `any`/`all`/`count` over some collection, with the binder in scope.
  std::string Quantified(const char* word, int depth) {
    static const std::pair<T, T> kCollections[] = {{T::ColorSet, T::Color}, {T::StrSet, T::Str},
                                                   {T::IntList, T::Int},    {T::NumList, T::Num},
                                                   {T::ItemList, T::Item},  {T::ItemList, T::Item}};
    auto [collection, element] = r_.Pick(kCollections);
    std::string c = E(collection, depth, false);
    std::string binder = Binder();
    locals_.push_back({binder, element});
    std::string p = E(T::Bool, depth, false);
    locals_.pop_back();
    return "(" + std::string(word) + " " + binder + " in " + c + ": " + p + ")";
  }

  std::string Call(T t, int depth) {
    std::vector<const Fn*> fits;
    for (const Fn& f : functions_) {
      if (f.result == t) fits.push_back(&f);
    }
    if (fits.empty()) return "";
    const Fn& f = *r_.Pick(fits);
    std::string text = f.name + "(";
    for (size_t k = 0; k < f.params.size(); ++k) text += (k ? ", " : "") + E(f.params[k], depth, true);
    return text + ")";
  }

  std::string Compound(T t, int depth, bool typed) {
    // Forms every type has.
    int common = static_cast<int>(r_.Int(0, 9));
    if (common == 0) {
      // The then-branch gives the else-branch its type.
      return "(if " + E(T::Bool, depth, false) + " then " + E(t, depth, typed) + " else " +
             E(t, depth, true) + ")";
    }
    if (common == 1) return "default(" + E(t, depth, typed) + ", " + E(t, depth, true) + ")";
    if (common == 2) {
      std::string call = Call(t, depth);
      if (!call.empty()) return call;
    }
    switch (t) {
      case T::Bool: return BoolCompound(depth);
      case T::Int: {
        switch (r_.Int(0, 11)) {
          case 0:
          case 1: return "(" + E(T::Int, depth, false) + " + " + E(T::Int, depth, true) + ")";
          case 2: return "(" + E(T::Int, depth, false) + " - " + E(T::Int, depth, true) + ")";
          case 3: return "(" + E(T::Int, depth, false) + " * " + E(T::Int, depth, true) + ")";
          case 4: {
            std::string divisor = r_.Chance(0.5)
                                      ? r_.Pick({std::string("2"), std::string("(-3)"), std::string("7")})
                                      : E(T::Int, depth, true);
            return "(" + E(T::Int, depth, false) + " / " + divisor + ")";
          }
          case 5: return "(-" + E(T::Int, depth, false) + ")";
          case 6:
            return "count(" +
                   E(r_.Pick({T::ColorSet, T::StrSet, T::IntList, T::ItemList, T::NumList}), depth, false) +
                   ")";
          case 7: return Quantified("count", depth);
          case 8: return "(" + E(T::Date, depth, false) + " - " + E(T::Date, depth, true) + ")";
          default: {
            std::string inner = Record(T::Inner, depth);
            return inner + ".n";
          }
        }
      }
      case T::Num: {
        switch (r_.Int(0, 9)) {
          case 0:
            return "(" + E(T::Num, depth, false) + " + " + E(r_.Chance(0.5) ? T::Int : T::Num, depth, true) +
                   ")";
          case 1: return "(" + E(T::Int, depth, false) + " - " + E(T::Num, depth, true) + ")";
          case 2:
            return "(" + E(T::Num, depth, false) + " * " + E(r_.Chance(0.5) ? T::Int : T::Num, depth, true) +
                   ")";
          case 3:
            return "(" + E(T::Num, depth, false) + " / " + E(r_.Chance(0.3) ? T::Int : T::Num, depth, true) +
                   ")";
          case 4: return "(-" + E(T::Num, depth, false) + ")";
          case 5: return E(T::Int, depth, false);  // widened
          case 6: return "(" + E(T::Int, depth, false) + " / " + E(T::Num, depth, true) + ")";
          default: return Record(T::Inner, depth) + ".x";
        }
      }
      case T::Date: {
        switch (r_.Int(0, 5)) {
          case 0:
          case 1: return "(" + E(T::Date, depth, false) + " + " + E(T::Dur, depth, false) + ")";
          case 2: return "(" + E(T::Dur, depth, false) + " + " + E(T::Date, depth, false) + ")";
          case 3: return "(" + E(T::Date, depth, false) + " - " + E(T::Dur, depth, false) + ")";
          case 4: return Record(T::Ev, depth) + ".reviewed";
          default: return Record(T::Inner, depth) + ".d";
        }
      }
      case T::Dur: {
        static const char* kUnits[] = {"days", "months", "years"};
        return std::string(r_.Pick(kUnits)) + "(" + E(T::Int, depth, true) + ")";
      }
      case T::Color: return Record(T::Inner, depth) + ".c";
      case T::Level: return Leaf(t, typed);
      case T::EvSt: return Record(T::Ev, depth) + ".status";
      case T::ColorSet: {
        switch (r_.Int(0, 3)) {
          case 0: return "(" + E(T::ColorSet, depth, false) + " | " + E(T::ColorSet, depth, true) + ")";
          case 1: return "(" + E(T::ColorSet, depth, false) + " & " + E(T::ColorSet, depth, true) + ")";
          default: {
            // A set literal with computed members: unknown if one is.
            std::string first = E(T::Color, depth, typed);
            return "{" + first + ", " + E(T::Color, depth, true) + "}";
          }
        }
      }
      case T::StrSet: {
        switch (r_.Int(0, 2)) {
          case 0: return "(" + E(T::StrSet, depth, false) + " | " + E(T::StrSet, depth, true) + ")";
          case 1: return "(" + E(T::StrSet, depth, false) + " & " + E(T::StrSet, depth, true) + ")";
          default: return "{" + E(T::Str, depth, false) + ", \"a\"}";
        }
      }
      case T::Str: return Record(T::Ev, depth) + ".ref";
      case T::IntList: {
        if (r_.Chance(0.5))
          return "(" + E(T::IntList, depth, false) + " + " + E(T::IntList, depth, true) + ")";
        return "[" + E(T::Int, depth, false) + ", " + E(T::Int, depth, true) + "]";
      }
      case T::NumList: {
        if (r_.Chance(0.5))
          return "(" + E(T::NumList, depth, false) + " + " + E(T::NumList, depth, true) + ")";
        return "[" + E(T::Num, depth, false) + ", 1.5, " + E(T::Num, depth, true) + "]";
      }
      case T::ItemList: {
        if (r_.Chance(0.5))
          return "(" + E(T::ItemList, depth, false) + " + " + E(T::ItemList, depth, true) + ")";
        if (!typed) return "sys.items";
        std::string item = "{kind: " + E(T::Color, depth, true) + ", on: " + E(T::Date, depth, true);
        if (r_.Chance(0.5)) item += ", n: " + E(T::Int, depth, true);
        if (r_.Chance(0.5)) item += ", done: " + E(T::Date, depth, true);
        return "[" + item + "}]";
      }
      case T::Inner: {
        if (!typed) return Leaf(t, typed);
        std::string text = "{flag: " + E(T::Bool, depth, true);
        if (r_.Chance(0.5)) text += ", n: " + E(T::Int, depth, true);
        if (r_.Chance(0.5)) text += ", x: " + E(T::Num, depth, true);
        if (r_.Chance(0.5)) text += ", d: " + E(T::Date, depth, true);
        if (r_.Chance(0.5)) text += ", c: " + E(T::Color, depth, true);
        return text + "}";
      }
      case T::Item: return Leaf(t, typed);
      case T::Ev: {
        if (r_.Chance(0.5)) {
          std::string map = r_.Chance(0.5) ? "sys.evidence" : E(T::EvMap, depth, false);
          if (map.front() != 's' || map.find(' ') != std::string::npos) map = "(" + map + ")";
          return map + "[\"Art. " + std::to_string(r_.Int(1, 6)) + "\"]";
        }
        if (!typed) return Leaf(t, typed);
        std::string text = "{status: " + E(T::EvSt, depth, true);
        if (r_.Chance(0.5)) text += ", ref: " + E(T::Str, depth, true);
        if (r_.Chance(0.7)) text += ", reviewed: " + E(T::Date, depth, true);
        return text + "}";
      }
      case T::EvMap: {
        if (!typed) return Leaf(t, typed);
        if (r_.Chance(0.2)) return "{}";
        return "{\"Art. 1\": {status: " + E(T::EvSt, depth, true) + ", reviewed: " + E(T::Date, depth, true) +
               "}, \"Art. 3\": " + E(T::Ev, depth, true) + "}";
      }
    }
    return Leaf(t, typed);
  }

  // A record-typed expression to read a field of (parenthesized).
  std::string Record(T t, int depth) {
    std::string e = E(t, depth, false);
    bool simple = std::all_of(e.begin(), e.end(), [](char c) {
      return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '.';
    });
    return simple ? e : "(" + e + ")";
  }

  std::string BoolCompound(int depth) {
    static const char* kOrder[] = {"<", "<=", ">", ">=", "==", "!="};
    switch (r_.Int(0, 20)) {
      case 0: return "(not " + E(T::Bool, depth, false) + ")";
      case 1:
      case 2: return "(" + E(T::Bool, depth, false) + " and " + E(T::Bool, depth, false) + ")";
      case 3:
      case 4: return "(" + E(T::Bool, depth, false) + " or " + E(T::Bool, depth, false) + ")";
      case 5: return "(" + E(T::Bool, depth, false) + " implies " + E(T::Bool, depth, false) + ")";
      case 6:
        return "(" + E(T::Int, depth, false) + " " + r_.Pick(kOrder) + " " + E(T::Int, depth, true) + ")";
      case 7:
        return "(" + E(r_.Chance(0.5) ? T::Num : T::Int, depth, false) + " " + r_.Pick(kOrder) + " " +
               E(T::Num, depth, true) + ")";
      case 8:
        return "(" + E(T::Date, depth, false) + " " + r_.Pick(kOrder) + " " + E(T::Date, depth, true) + ")";
      case 9: {
        static const T kEq[] = {T::Color,   T::Str,  T::Dur,   T::ColorSet, T::StrSet, T::IntList,
                                T::NumList, T::Bool, T::Level, T::EvSt,     T::Date};
        T t = r_.Pick(kEq);
        return "(" + E(t, depth, false) + (r_.Chance(0.5) ? " == " : " != ") + E(t, depth, true) + ")";
      }
      case 10: {
        static const T kAny[] = {T::Bool, T::Int,     T::Num,      T::Date,  T::Dur, T::Color, T::ColorSet,
                                 T::Str,  T::IntList, T::ItemList, T::Inner, T::Ev,  T::EvMap};
        return "((" + E(r_.Pick(kAny), depth, false) + ") " + (r_.Chance(0.5) ? "is known" : "is unknown") +
               ")";
      }
      case 11: return Quantified("any", depth);
      case 12: return Quantified("all", depth);
      case 13: {
        switch (r_.Int(0, 4)) {
          case 0: return "(" + E(T::Color, depth, true) + " in " + E(T::ColorSet, depth, false) + ")";
          case 1: return "(" + E(T::Str, depth, true) + " in " + E(T::StrSet, depth, false) + ")";
          case 2: return "(" + E(T::Int, depth, true) + " in " + E(T::IntList, depth, false) + ")";
          case 3:
            return "(" + E(r_.Chance(0.5) ? T::Int : T::Num, depth, false) + " in " +
                   E(T::NumList, depth, false) + ")";
          default:
            return "(" + E(T::Date, depth, false) + " in [" + E(T::Date, depth, false) + ", 2026-08-02])";
        }
      }
      case 14: {
        T t = r_.Chance(0.7) ? T::ColorSet : T::StrSet;
        return "(" + E(t, depth, false) + (r_.Chance(0.5) ? " has any " : " has all ") + E(t, depth, true) +
               ")";
      }
      case 15: return Record(T::Inner, depth) + ".flag";
      case 16:
        return "(" + Record(T::Ev, depth) + ".status == EvStatus." +
               r_.Pick({std::string("met"), std::string("partial"), std::string("not_started")}) + ")";
      case 17: return "(count(" + E(T::ColorSet, depth, false) + ") > " + std::to_string(r_.Int(0, 2)) + ")";
      case 18:
        return "(" + E(T::Level, depth, false) + " == " + Member("Level", {"low", "mid", "high"}, true) + ")";
      default: return Leaf(T::Bool, false);
    }
  }

  Rng& r_;
  std::vector<Fn> functions_;
  std::vector<Named> defs_;
  std::vector<Named> locals_;
  std::vector<std::string> bool_decls_;
  std::vector<std::string> targets_;
  std::vector<std::string> prohibitions_;
  std::map<std::string, std::set<std::string>> deps_;
  std::vector<std::string> refs_;
  const std::vector<std::string>* allowed_ = nullptr;
  bool rule_context_ = false;
  bool in_function_ = false;
  int binder_counter_ = 0;
};

}  // namespace

// ===================================================================== main

namespace {

// A random value for each param now and then (half the time the default).
std::vector<Value> RandomParams(Rng& r, const Policy& policy) {
  const ir::Program& program = *policy.program;
  std::vector<Value> params = policy.defaults;
  for (uint32_t p = 0; p < program.params.size(); ++p) {
    if (r.Chance(0.4)) continue;
    const ir::Type& t = program.types.get(program.params[p].type);
    std::vector<std::string> pool;
    switch (t.kind) {
      case TypeKind::Bool: pool = {"true", "false"}; break;
      case TypeKind::Int: pool = {"0", "3", "-1", "9223372036854775807", "100"}; break;
      case TypeKind::Number: pool = {"2.5", "0.0", "1e25", "-0.5", "1e308"}; break;
      case TypeKind::Date:
        pool = {"2026-08-02", "2024-02-29", "9999-12-31", "0001-01-01", "2025-01-31"};
        break;
      case TypeKind::Duration:
        pool = {"12 months", "6 months",    "1 year",         "0 days", "30 days",  "400 days",
                "3 years",   "10000 years", "100000000 days", "1 day",  "13 months"};
        break;
      case TypeKind::Enum: pool = program.types.enums[t.index].members; break;
      case TypeKind::Set: {
        const ir::Type& element = program.types.get(t.element);
        if (element.kind != TypeKind::Enum) break;
        const std::vector<std::string>& members = program.types.enums[element.index].members;
        std::string text = "{";
        for (const std::string& m : members) {
          if (r.Chance(0.4)) text += (text.size() > 1 ? ", " : "") + m;
        }
        pool = {text + "}"};
        break;
      }
      default: break;
    }
    if (pool.empty()) continue;
    // A param set to `unknown` now and then.
    std::string text = r.Chance(0.06) ? "unknown" : r.Pick(pool);
    params[p] = ParamValue(program, p, text);
  }
  return params;
}

int32_t RandomAsOf(Rng& r) {
  if (r.Chance(0.02))
    return r.Chance(0.5) ? Day(1, 1, 1) + static_cast<int32_t>(r.Int(0, 400))
                         : Day(9999, 12, 31) - static_cast<int32_t>(r.Int(0, 400));
  return RandomDate(r);
}

std::string Setting(const ir::Program& program, int32_t as_of, const std::vector<Value>& params) {
  return "as_of " + FormatDate(as_of) + ", params " + DescribeParams(program, params);
}

std::vector<J> LoadExamples() {
  std::vector<J> out;
  std::vector<std::filesystem::path> files;
  std::error_code ec;
  for (const auto& entry :
       std::filesystem::directory_iterator(std::string(AIPOL_SOURCE_DIR) + "/examples/systems", ec)) {
    if (entry.path().extension() == ".json") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  simdjson::dom::parser parser;
  for (const auto& file : files) {
    simdjson::dom::element doc;
    if (parser.load(file.string()).get(doc)) continue;
    out.push_back(FromDom(doc));
  }
  return out;
}

std::string Elapsed(std::chrono::steady_clock::time_point start) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f s",
                std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count());
  return buffer;
}

template <typename F>
void Parallel(size_t count, F&& work) {
  std::atomic<size_t> next{0};
  std::vector<std::thread> threads;
  unsigned n = std::max(1u, g_options.threads);
  for (unsigned t = 0; t < n; ++t) {
    threads.emplace_back([&, t] {
      for (size_t i = next++; i < count; i = next++) work(t, i);
    });
  }
  for (std::thread& t : threads) t.join();
}

void PrintCoverage(const char* what, Coverage& c) {
  std::printf("  %s: %zu evaluated (%zu with input warnings), %zu with input errors, %zu runtime errors",
              what, c.evaluated.load(), c.warnings.load(), c.input_errors.load(), c.runtime_errors.load());
  if (!c.error_kinds.empty()) {
    std::printf(" (");
    bool first = true;
    for (const auto& [kind, n] : c.error_kinds) {
      std::printf("%s%s %zu", first ? "" : ", ", kind.c_str(), n);
      first = false;
    }
    std::printf(")");
  }
  std::printf("\n    facts: %zu known, %zu unknown; statuses:", c.known_facts.load(), c.unknown_facts.load());
  for (size_t s = 0; s < c.statuses.size(); ++s) {
    std::printf(" %s %zu", std::string(StatusName(static_cast<Status>(s))).c_str(), c.statuses[s].load());
  }
  std::printf("\n");
}

// ------------------------------------------------------------- 1. stdlib

void RunStdlib(const Policy& policy, const Interpreter& interp, const JitEngine& fresh,
               const JitEngine& cached, Tally& tally, Coverage& coverage) {
  const ir::Program& program = *policy.program;
  std::vector<J> examples = LoadExamples();
  DescriptorGen gen(program, {"Art. 999", "art. 9", "Art. 9 ", "", "Art. 9(1)"});
  std::atomic<size_t> shrunk{0};
  std::vector<std::unique_ptr<Harness>> harnesses;
  for (unsigned t = 0; t < std::max(1u, g_options.threads); ++t) {
    harnesses.push_back(std::make_unique<Harness>(policy, interp, fresh));
    harnesses.push_back(std::make_unique<Harness>(policy, interp, cached));
  }
  Parallel(g_options.stdlib_descriptors, [&](unsigned thread, size_t i) {
    Rng r(g_options.seed, i);
    J descriptor;
    if (!examples.empty() && r.Chance(0.3)) {
      descriptor = r.Pick(examples);
      gen.Mutate(r, descriptor, static_cast<int>(r.Int(0, 6)));
      if (r.Chance(0.03)) gen.InjectInvalid(r, descriptor);
    } else {
      descriptor = gen.Descriptor(r);
    }
    std::string json = ToJson(descriptor);
    // Odd descriptors go through the JIT that was loaded from the object cache.
    Harness& harness = *harnesses[thread * 2 + (i % 2)];
    for (size_t v = 0; v < g_options.stdlib_variants; ++v) {
      int32_t as_of = RandomAsOf(r);
      std::vector<Value> params = RandomParams(r, policy);
      Outputs out = harness.Run(json, as_of, params, &coverage);
      if (out.interp == out.jit) {
        ++tally.passed;
        continue;
      }
      Mismatch m{
          "stdlib",   "",     json, "", Setting(program, as_of, params) + ((i % 2) ? " (cached JIT)" : ""),
          out.interp, out.jit};
      if (shrunk++ < 10) m.shrunk = ShrinkDescriptor(harness, descriptor, as_of, params);
      tally.Fail(i * 16 + v, std::move(m));
      if (!out.row_ok) break;
    }
  });
}

// ------------------------------------------------------ 2. random policies

struct RandomStats {
  std::atomic<size_t> generated{0}, checked{0}, rejected{0}, expects{0};
  std::mutex mutex;
  std::string first_rejection;
  std::map<std::string, size_t> rejection_kinds;
};

void RunRandomPolicies(Tally& tally, Coverage& coverage, RandomStats& stats) {
  std::mutex frontend;  // the checker and the JIT compiler run one policy at a time
  std::atomic<size_t> shrunk{0};
  Parallel(g_options.policies, [&](unsigned, size_t k) {
    Rng r(g_options.seed ^ 0x5EED5EEDULL, k);
    std::string text = PolicyGen(r).Generate();
    ++stats.generated;
    if (static_cast<long>(k) == g_options.show_policy)
      std::printf("---- policy %zu\n%s----\n", k, text.c_str());
    std::unique_ptr<Policy> policy;
    std::unique_ptr<JitEngine> jit;
    {
      std::lock_guard lock(frontend);
      PolicyRequest request;
      request.use_stdlib = false;
      request.in_memory.push_back({"difftest.pol", text});
      policy = CheckPolicy(request);
      if (policy->program) {
        std::string error;
        JitOptions options;
        options.use_cache = false;
        jit = JitEngine::Compile(*policy->program, options, &error);
        if (!jit) {
          tally.Fail(k << 20, {"random", text, "", "", "JIT compilation", "compiled", "failed: " + error});
          return;
        }
      }
    }
    if (!policy->program) {
      ++stats.rejected;
      std::lock_guard lock(stats.mutex);
      if (stats.first_rejection.empty()) stats.first_rejection = text + "\n" + policy->diagnostics;
      // The kinds of error, to keep the generator honest.
      const std::string& d = policy->diagnostics;
      for (size_t at = d.find("error: "); at != std::string::npos; at = d.find("error: ", at + 1)) {
        size_t open = d.find('[', at), close = d.find(']', at);
        if (open != std::string::npos && close != std::string::npos)
          ++stats.rejection_kinds[d.substr(open + 1, close - open - 1)];
      }
      return;
    }
    ++stats.checked;
    if (g_options.verbose && k < 3) std::printf("---- policy %zu\n%s----\n", k, text.c_str());
    Interpreter interp(*policy->program);
    Harness harness(*policy, interp, *jit);
    DescriptorGen gen(*policy->program, {"Art. 9", "Art. 1 ", ""});
    for (size_t d = 0; d < g_options.per_policy; ++d) {
      Rng dr(g_options.seed ^ 0xD35C, (k << 16) + d);
      J descriptor = gen.Descriptor(dr);
      std::string json = ToJson(descriptor);
      for (size_t v = 0; v < g_options.policy_variants; ++v) {
        int32_t as_of = RandomAsOf(dr);
        std::vector<Value> params = RandomParams(dr, *policy);
        Outputs out = harness.Run(json, as_of, params, &coverage);
        if (out.interp == out.jit) {
          ++tally.passed;
          continue;
        }
        Mismatch m{"random policy " + std::to_string(k),     text,       json,   "",
                   Setting(*policy->program, as_of, params), out.interp, out.jit};
        if (shrunk++ < 10) m.shrunk = ShrinkDescriptor(harness, descriptor, as_of, params);
        tally.Fail((k << 20) + (d << 4) + v, std::move(m));
        if (!out.row_ok) break;
      }
    }
    size_t expects = 0;
    CompareTests(*policy, interp, *jit, tally, "random policy " + std::to_string(k) + " test", text,
                 (k << 20) + (1 << 19), &expects);
    stats.expects += expects;
  });
}

bool ParseOptions(int argc, char** argv) {
  for (int k = 1; k < argc; ++k) {
    std::string arg = argv[k];
    auto value = [&]() -> std::string {
      if (k + 1 >= argc) {
        std::fprintf(stderr, "differential_test: %s needs a value\n", arg.c_str());
        std::exit(2);
      }
      return argv[++k];
    };
    if (arg == "--seed") {
      g_options.seed = std::stoull(value());
    } else if (arg == "--stdlib") {
      g_options.stdlib_descriptors = std::stoull(value());
    } else if (arg == "--variants") {
      g_options.stdlib_variants = std::stoull(value());
    } else if (arg == "--policies") {
      g_options.policies = std::stoull(value());
    } else if (arg == "--per-policy") {
      g_options.per_policy = std::stoull(value());
    } else if (arg == "--threads") {
      g_options.threads = static_cast<unsigned>(std::stoul(value()));
    } else if (arg == "--only") {
      g_options.only = value();
    } else if (arg == "--show-policy") {
      g_options.show_policy = std::stol(value());
    } else if (arg == "--show") {
      g_options.max_shown = std::stoull(value());
    } else if (arg == "--verbose") {
      g_options.verbose = true;
    } else {
      std::fprintf(stderr,
                   "usage: differential_test [--seed N] [--stdlib N] [--variants N] [--policies N] "
                   "[--per-policy N] [--threads N] [--only stdlib|random|tests] [--show-policy I] [--show N] "
                   "[--verbose]\n");
      return false;
    }
  }
  return true;
}

void PrintMismatch(size_t n, const Mismatch& m) {
  std::printf("\n==== mismatch %zu: %s\n", n, m.section.c_str());
  if (!m.policy.empty()) std::printf("-- policy:\n%s", m.policy.c_str());
  std::printf("-- setting: %s\n", m.setting.c_str());
  if (!m.descriptor.empty()) std::printf("-- descriptor:\n%s\n", m.descriptor.c_str());
  if (!m.shrunk.empty()) std::printf("-- shrunk descriptor (still differs):\n%s\n", m.shrunk.c_str());
  std::printf("-- interp:\n%s\n-- jit:\n%s\n", m.interp.c_str(), m.jit.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  if (!ParseOptions(argc, argv)) return 2;
  if (g_options.threads == 0) g_options.threads = 1;
  auto start = std::chrono::steady_clock::now();
  Tally tally;
  bool all = g_options.only.empty();
  std::printf("differential test: seed %" PRIu64 ", %u threads\n", g_options.seed, g_options.threads);

  if (all || g_options.only == "stdlib" || g_options.only == "tests") {
    PolicyRequest request;
    request.policies = {"aiact"};
    std::unique_ptr<Policy> stdlib = CheckPolicy(request);
    if (!stdlib->program) {
      std::printf("the standard library does not check:\n%s\n0 passed, 1 failed\n",
                  stdlib->diagnostics.c_str());
      return 1;
    }
    Interpreter interp(*stdlib->program);
    // One JIT compiled afresh into a private object cache, one loaded back from it.
    std::filesystem::path cache =
        std::filesystem::temp_directory_path() / ("aipol_diff_cache_" + std::to_string(::getpid()));
    JitOptions options;
    options.cache_dir = cache.string();
    std::string error;
    std::unique_ptr<JitEngine> fresh = JitEngine::Compile(*stdlib->program, options, &error);
    std::unique_ptr<JitEngine> cached =
        fresh ? JitEngine::Compile(*stdlib->program, options, &error) : nullptr;
    std::error_code ec;
    std::filesystem::remove_all(cache, ec);
    if (!fresh || !cached) {
      std::printf("the JIT cannot compile the standard library: %s\n0 passed, 1 failed\n", error.c_str());
      return 1;
    }
    if (fresh->loaded_from_cache() || !cached->loaded_from_cache()) {
      tally.Fail(0, {"stdlib", "", "", "", "JIT object cache", "second compilation loaded from the cache",
                     "it was not"});
    }
    std::printf(
        "standard library: %zu modules, %zu declarations, %zu obligations, %zu prohibitions, %zu facts; "
        "JIT %.2f s fresh, %.2f s from cache\n",
        stdlib->program->modules.size(), stdlib->program->decls.size(), stdlib->program->obligations.size(),
        stdlib->program->prohibitions.size(), stdlib->program->reports.size(), fresh->compile_seconds(),
        cached->compile_seconds());

    if (all || g_options.only == "stdlib") {
      Coverage coverage;
      size_t before = tally.passed + tally.failed;
      RunStdlib(*stdlib, interp, *fresh, *cached, tally, coverage);
      std::printf("1. stdlib: %zu descriptors x %zu (as_of, params) settings: %zu comparisons [%s]\n",
                  g_options.stdlib_descriptors, g_options.stdlib_variants,
                  tally.passed + tally.failed - before, Elapsed(start).c_str());
      PrintCoverage("stdlib", coverage);
    }
    if (all || g_options.only == "tests") {
      size_t expects = 0, before = tally.passed + tally.failed;
      CompareTests(*stdlib, interp, *fresh, tally, "stdlib test", "", uint64_t{1} << 40, &expects);
      CompareTests(*stdlib, interp, *cached, tally, "stdlib test (cached JIT)", "", uint64_t{1} << 41,
                   &expects);
      size_t tests = 0;
      for (const ir::Test& t : stdlib->program->tests) tests += t.requested;
      std::printf("3. stdlib tests: %zu tests, %zu expectations, %zu comparisons (both JITs) [%s]\n", tests,
                  expects / 2, tally.passed + tally.failed - before, Elapsed(start).c_str());
    }
  }

  if (all || g_options.only == "random") {
    Coverage coverage;
    RandomStats stats;
    size_t before = tally.passed + tally.failed;
    RunRandomPolicies(tally, coverage, stats);
    std::printf(
        "2. random policies: %zu generated, %zu checked, %zu rejected by the checker; %zu descriptors each, "
        "%zu settings; %zu test expectations; %zu comparisons [%s]\n",
        stats.generated.load(), stats.checked.load(), stats.rejected.load(), g_options.per_policy,
        g_options.policy_variants, stats.expects.load(), tally.passed + tally.failed - before,
        Elapsed(start).c_str());
    PrintCoverage("random", coverage);
    if (!stats.rejection_kinds.empty()) {
      std::printf("    rejections:");
      for (const auto& [kind, n] : stats.rejection_kinds) std::printf(" %s %zu", kind.c_str(), n);
      std::printf("\n");
    }
    if (g_options.verbose && !stats.first_rejection.empty()) {
      std::printf("---- first rejected policy:\n%s\n", stats.first_rejection.c_str());
    }
    if (stats.checked < 200 && g_options.policies >= 200) {
      tally.Fail(~uint64_t{0},
                 {"random", "", "", "", "random policy generator", "at least 200 policies that check",
                  std::to_string(stats.checked.load()) + " checked"});
    }
  }

  std::sort(tally.mismatches.begin(), tally.mismatches.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  for (size_t k = 0; k < tally.mismatches.size() && k < g_options.max_shown; ++k) {
    PrintMismatch(k + 1, tally.mismatches[k].second);
  }
  if (tally.mismatches.size() > g_options.max_shown) {
    std::printf("\n(%zu more mismatches not shown)\n", tally.mismatches.size() - g_options.max_shown);
  }
  std::printf("time %s\n%zu passed, %zu failed\n", Elapsed(start).c_str(), tally.passed.load(),
              tally.failed.load());
  return tally.failed ? 1 : 0;
}
