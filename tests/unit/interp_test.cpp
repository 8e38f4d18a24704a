// The reference interpreter over rows from the loader: facts, statuses,
// missing paths and runtime errors.
#include "compiler/interp/interp.h"

#include <algorithm>
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "policy_helpers.h"
#include "runtime/date.h"
#include "runtime/tri.h"

namespace aipol {
namespace {

using testing::CompiledPolicy;
using testing::CompilePolicy;
using testing::EvaluateJson;
using testing::FactIndex;
using testing::ObligationIndex;
using testing::ProhibitionIndex;
using Strings = std::vector<std::string>;

// The input every policy below shares; each test appends its declarations.
const char* const kHeader = R"pol(module interptest

enum Role { provider, deployer }
enum St { met, partial, not_started }
enum Kind { death, harm }
record Ev { status: St required  reviewed: date  ref: string }
record Inc { kind: Kind required  aware_on: date  reported_on: date }
record Org { name: string  large: bool }
record Sys {
  id: string required
  roles: set<Role>
  tags: set<string>
  i: int
  j: int
  n: number
  d: date
  flag: bool
  other: bool
  org: Org
  incs: list<Inc>
  evidence: map<string, Ev>
  limits: map<string, int>
}
input sys: Sys
)pol";

CompiledPolicy Policy(const std::string& declarations) { return CompilePolicy(kHeader + declarations); }

int32_t Day(const char* text) {
  std::optional<int32_t> day = ParseDate(text);
  REQUIRE(day.has_value());
  return *day;
}

const Value& Fact(const CompiledPolicy& policy, const Results& results, std::string_view name) {
  REQUIRE_FALSE(results.error.has_value());
  size_t index = FactIndex(*policy, name);
  REQUIRE(index < results.facts.size());
  return results.facts[index];
}

// The fact as Tri, for bool facts.
Tri FactTri(const CompiledPolicy& policy, const Results& results, std::string_view name) {
  const Value& v = Fact(policy, results, name);
  if (!v.known()) return Tri::Unknown;
  REQUIRE(v.kind == ValueKind::Bool);
  return MakeTri(v.i != 0);
}

const char* TriText(Tri t) { return t == Tri::True ? "true" : t == Tri::False ? "false" : "unknown"; }

// The 1-based line of the header's last line plus `n` (the declarations start after it).
int HeaderLines() {
  int lines = 0;
  for (const char* p = kHeader; *p; ++p) lines += *p == '\n';
  return lines;
}

// ---------------------------------------------------------------- facts

TEST_CASE("facts of every type", "[interp]") {
  CompiledPolicy policy = Policy(R"pol(
report def f_int = sys.i * 2
report def f_num = sys.n / 4
report def f_str = sys.org.name
report def f_date = sys.d + 1 month
report def f_bool = sys.flag
report def f_roles = sys.roles | {deployer}
report def f_tags = sys.tags & {"a", "b"}
report def f_count = count(sys.incs)
report def f_today = as_of
report def f_age = as_of - sys.d
report def f_dur = months(sys.i)
report def f_kind = if sys.flag then Kind.harm else Kind.death
)pol");
  Arena arena;
  Results r = EvaluateJson(policy, R"({"id": "x", "i": 21, "n": 3, "org": {"name": "Acme"}, "d": "2024-01-31",
    "flag": true, "roles": ["provider"], "tags": ["c", "b", "a"], "incs": [{"kind": "death"}]})",
                           Day("2026-11-28"), arena);
  CHECK(r.missing.empty());
  const Value& f_int = Fact(policy, r, "f_int");
  CHECK(f_int.kind == ValueKind::Int);
  CHECK(f_int.i == 42);
  const Value& f_num = Fact(policy, r, "f_num");
  CHECK(f_num.kind == ValueKind::Number);
  CHECK(f_num.d == 0.75);
  CHECK(Fact(policy, r, "f_str").s == "Acme");
  // 31 Jan + 1 month is clamped to the end of February (a leap year).
  const Value& f_date = Fact(policy, r, "f_date");
  CHECK(f_date.kind == ValueKind::Date);
  CHECK(f_date.i == Day("2024-02-29"));
  CHECK(Fact(policy, r, "f_bool").is_true());
  const Value& roles = Fact(policy, r, "f_roles");
  CHECK(roles.kind == ValueKind::EnumSet);
  CHECK(roles.mask == 0b11);
  const Value& tags = Fact(policy, r, "f_tags");
  REQUIRE(tags.items.size() == 2);
  CHECK(tags.items[0].s == "a");
  CHECK(tags.items[1].s == "b");
  CHECK(Fact(policy, r, "f_count").i == 1);
  CHECK(Fact(policy, r, "f_today").i == Day("2026-11-28"));
  CHECK(Fact(policy, r, "f_age").i == Day("2026-11-28") - Day("2024-01-31"));
  const Value& dur = Fact(policy, r, "f_dur");
  CHECK(dur.kind == ValueKind::Duration);
  CHECK(dur.duration == ir::Duration{21, ir::DurationUnit::Months});
  CHECK(Fact(policy, r, "f_kind").i == 1);
  CHECK(r.prohibitions.empty());
  CHECK(r.obligations.empty());
}

TEST_CASE("integer division truncates toward zero", "[interp]") {
  CompiledPolicy policy = Policy("report def q = sys.i / sys.j\n");
  const std::tuple<int, int, int> cases[] = {{7, 2, 3}, {-7, 2, -3}, {7, -2, -3}, {-7, -2, 3}, {0, 5, 0}};
  for (auto [i, j, q] : cases) {
    Arena arena;
    Results r = EvaluateJson(
        policy, "{\"id\": \"x\", \"i\": " + std::to_string(i) + ", \"j\": " + std::to_string(j) + "}", 0,
        arena);
    INFO(i << " / " << j);
    CHECK(Fact(policy, r, "q").i == q);
  }
}

// ---------------------------------------------------------------- unknown and missing

TEST_CASE("missing paths for absent fields, records, list elements and map entries", "[interp]") {
  CompiledPolicy policy = Policy(R"pol(
report def m_org = sys.org.large
report def m_limit = sys.limits["max"]
report def m_ev = sys.evidence["Art. 9"].status
report def m_late = any x in sys.incs: x.reported_on - x.aware_on > 15
report def m_sum = sys.i + sys.j
report def m_known = sys.i is known
report def m_default = default(sys.j, 0)
)pol");
  Arena arena;
  SECTION("the containers absent") {
    Results r = EvaluateJson(
        policy, R"({"id": "x", "i": 1, "incs": [{"kind": "death", "aware_on": "2026-01-01"}]})", 0, arena);
    CHECK(Fact(policy, r, "m_org").missing == Strings{"org.large"});
    CHECK(Fact(policy, r, "m_limit").missing == Strings{"limits[\"max\"]"});
    CHECK(Fact(policy, r, "m_ev").missing == Strings{"evidence[\"Art. 9\"].status"});
    CHECK(Fact(policy, r, "m_late").missing == Strings{"incs[].reported_on"});
    CHECK(Fact(policy, r, "m_sum").missing == Strings{"j"});
    // Known results carry no missing paths.
    CHECK(Fact(policy, r, "m_known").is_true());
    CHECK(Fact(policy, r, "m_known").missing.empty());
    CHECK(Fact(policy, r, "m_default").i == 0);
    CHECK(Fact(policy, r, "m_default").missing.empty());
    // The report's missing list: the sorted union.
    CHECK(r.missing ==
          Strings{"evidence[\"Art. 9\"].status", "incs[].reported_on", "j", "limits[\"max\"]", "org.large"});
  }
  SECTION("the containers present without the entries") {
    Results r = EvaluateJson(policy, R"({"id": "x", "i": 1, "j": 2, "org": {}, "limits": {"min": 1},
      "evidence": {"Art. 10": {"status": "met"}}, "incs": []})",
                             0, arena);
    CHECK(Fact(policy, r, "m_org").missing == Strings{"org.large"});
    CHECK(Fact(policy, r, "m_limit").missing == Strings{"limits[\"max\"]"});
    CHECK(Fact(policy, r, "m_ev").missing == Strings{"evidence[\"Art. 9\"].status"});
    // `any` over an empty list is false.
    CHECK(Fact(policy, r, "m_late").known());
    CHECK_FALSE(Fact(policy, r, "m_late").is_true());
    CHECK(Fact(policy, r, "m_sum").i == 3);
    CHECK(Fact(policy, r, "m_default").i == 2);
    CHECK(r.missing == Strings{"evidence[\"Art. 9\"].status", "limits[\"max\"]", "org.large"});
  }
  SECTION("everything present") {
    Results r = EvaluateJson(policy, R"({"id": "x", "i": 1, "j": 2, "org": {"large": true},
      "limits": {"max": 10}, "evidence": {"Art. 9": {"status": "partial"}},
      "incs": [{"kind": "death", "aware_on": "2026-01-01", "reported_on": "2026-01-30"}]})",
                             0, arena);
    CHECK(r.missing.empty());
    CHECK(Fact(policy, r, "m_org").is_true());
    CHECK(Fact(policy, r, "m_limit").i == 10);
    CHECK(Fact(policy, r, "m_ev").i == 1);  // partial
    CHECK(Fact(policy, r, "m_late").is_true());
  }
}

TEST_CASE("Kleene logic in rules, with the paths behind unknown results", "[interp]") {
  CompiledPolicy policy = Policy(R"pol(
report rule both when sys.flag and sys.other
report rule either when sys.flag or sys.other
report rule negation when not sys.flag
report rule implication when sys.flag implies sys.other
)pol");
  const std::pair<const char*, Tri> values[] = {
      {"false", Tri::False}, {"true", Tri::True}, {nullptr, Tri::Unknown}};
  for (const auto& [a_text, a] : values) {
    for (const auto& [b_text, b] : values) {
      std::string json = R"({"id": "x")";
      if (a_text) json += std::string(", \"flag\": ") + a_text;
      if (b_text) json += std::string(", \"other\": ") + b_text;
      json += "}";
      INFO(json);
      Arena arena;
      Results r = EvaluateJson(policy, json, 0, arena);
      CHECK(TriText(FactTri(policy, r, "both")) == std::string(TriText(And(a, b))));
      CHECK(TriText(FactTri(policy, r, "either")) == std::string(TriText(Or(a, b))));
      CHECK(TriText(FactTri(policy, r, "negation")) == std::string(TriText(Not(a))));
      CHECK(TriText(FactTri(policy, r, "implication")) == std::string(TriText(Implies(a, b))));
      // An unknown result names exactly its unknown operands; a known one none.
      auto expected_missing = [&](Tri result, bool uses_b) {
        Strings paths;
        if (result != Tri::Unknown) return paths;
        if (a == Tri::Unknown) paths.push_back("flag");
        if (uses_b && b == Tri::Unknown) paths.push_back("other");
        return paths;
      };
      CHECK(Fact(policy, r, "both").missing == expected_missing(And(a, b), true));
      CHECK(Fact(policy, r, "either").missing == expected_missing(Or(a, b), true));
      CHECK(Fact(policy, r, "negation").missing == expected_missing(Not(a), false));
      CHECK(Fact(policy, r, "implication").missing == expected_missing(Implies(a, b), true));
    }
  }
}

TEST_CASE("exceptions defeat their rule; an unknown exception makes it unknown", "[interp]") {
  CompiledPolicy policy = Policy(R"pol(
report rule base when sys.flag
exception carve_out to base when sys.other unless sys.i > 5
)pol");
  struct Case {
    const char* json;
    Tri expected;
    Strings missing;
  };
  const Case cases[] = {
      {R"({"id": "x", "flag": true, "other": false})", Tri::True, {}},
      {R"({"id": "x", "flag": true, "other": true, "i": 1})", Tri::False, {}},
      {R"({"id": "x", "flag": true, "other": true, "i": 6})", Tri::True, {}},  // the exception's unless
      {R"({"id": "x", "flag": true, "other": true})", Tri::Unknown, {"i"}},
      {R"({"id": "x", "flag": true})", Tri::Unknown, {"i", "other"}},
      {R"({"id": "x", "flag": true, "i": 9})", Tri::True, {}},  // unless decides without `other`
      {R"({"id": "x", "flag": false})", Tri::False, {}},        // the exception is not needed
      {R"({"id": "x", "other": true, "i": 9})", Tri::Unknown, {"flag"}},
  };
  for (const Case& c : cases) {
    INFO(c.json);
    Arena arena;
    Results r = EvaluateJson(policy, c.json, 0, arena);
    CHECK(TriText(FactTri(policy, r, "base")) == std::string(TriText(c.expected)));
    CHECK(Fact(policy, r, "base").missing == c.missing);
    CHECK(r.missing == c.missing);
  }
}

TEST_CASE("if, quantifiers, functions and params", "[interp]") {
  CompiledPolicy policy = Policy(R"pol(
param threshold: int = 10
def known_or_zero(x: int): int = if x is known then x else 0
report def label = if sys.flag then "yes" else "no"
report def same = if sys.flag then 1 else 1
report def unreported = count x in sys.incs: x.reported_on is unknown
report def deaths = count x in sys.incs: x.kind == death
report def all_reported = all x in sys.incs: x.reported_on is known
report def late_count = count x in sys.incs: x.reported_on - x.aware_on > 15
report def via_function = known_or_zero(sys.i)
report def big = sys.j > threshold
report def tagged = "ai" in sys.tags
)pol");
  Arena arena;
  const char* json = R"({"id": "x", "j": 11, "tags": ["ai"], "incs": [
      {"kind": "death", "aware_on": "2026-01-01", "reported_on": "2026-01-02"},
      {"kind": "harm", "aware_on": "2026-01-01"}]})";
  Results r = EvaluateJson(policy, json, 0, arena);
  // Unknown condition: unknown, unless both branches are known and equal.
  CHECK_FALSE(Fact(policy, r, "label").known());
  CHECK(Fact(policy, r, "label").missing == Strings{"flag"});
  CHECK(Fact(policy, r, "same").known());
  CHECK(Fact(policy, r, "same").i == 1);
  CHECK(Fact(policy, r, "unreported").i == 1);
  CHECK(Fact(policy, r, "deaths").i == 1);
  CHECK(Fact(policy, r, "all_reported").known());
  CHECK_FALSE(Fact(policy, r, "all_reported").is_true());
  // `count` is unknown when the predicate is unknown for some element.
  CHECK_FALSE(Fact(policy, r, "late_count").known());
  CHECK(Fact(policy, r, "late_count").missing == Strings{"incs[].reported_on"});
  // An unknown argument stays unknown inside the function.
  CHECK(Fact(policy, r, "via_function").i == 0);
  CHECK(Fact(policy, r, "via_function").missing.empty());
  CHECK(Fact(policy, r, "big").is_true());
  CHECK(Fact(policy, r, "tagged").is_true());
  CHECK(r.missing == Strings{"flag", "incs[].reported_on"});

  SECTION("a param given by the caller replaces the default") {
    std::vector<Value> params = policy.params;
    std::optional<uint32_t> threshold;
    for (uint32_t p = 0; p < policy->params.size(); ++p) {
      if (policy->params[p].name == "threshold") threshold = p;
    }
    REQUIRE(threshold.has_value());
    CHECK(params[*threshold].i == 10);
    params[*threshold] = Value::Int(20);
    Arena other;
    Results changed = EvaluateJson(policy, json, 0, other, &params);
    CHECK(Fact(policy, changed, "big").known());
    CHECK_FALSE(Fact(policy, changed, "big").is_true());
    // A param set to unknown makes what uses it unknown, with no input path.
    params[*threshold] = Value::Unknown(ir::TypeTable::kInt);
    Results unknown = EvaluateJson(policy, json, 0, other, &params);
    CHECK_FALSE(Fact(policy, unknown, "big").known());
    CHECK(Fact(policy, unknown, "big").missing.empty());
  }
}

// ---------------------------------------------------------------- statuses

const char* const kStatusPolicy = R"pol(
param evidence_max_age: duration = 12 months
prohibition p_window "Window" cite "Art. 5(1)(c)" from 2025-02-02 until 2030-01-01 when sys.flag
obligation o_provider "RMS" actor provider cite "Art. 9" from 2026-08-02 when sys.other
obligation o_deployer "Logs" actor deployer cite "Art. 26" when sys.other
obligation o_until "Until" cite "Art. 12" until 2026-01-01 when sys.other
obligation o_from_input "From input" cite "Art. 13" from sys.d when sys.other
)pol";

TEST_CASE("prohibition statuses", "[interp][status]") {
  CompiledPolicy policy = Policy(kStatusPolicy);
  size_t p = ProhibitionIndex(*policy, "p_window");
  struct Case {
    const char* json;
    const char* as_of;
    Status expected;
  };
  const Case cases[] = {
      {R"({"id": "x", "flag": false})", "2026-01-01", Status::NotApplicable},
      {R"({"id": "x"})", "2026-01-01", Status::Unknown},
      {R"({"id": "x", "flag": true})", "2025-02-01", Status::Upcoming},
      {R"({"id": "x", "flag": true})", "2025-02-02", Status::Violated},  // `from` is inclusive
      {R"({"id": "x", "flag": true})", "2029-12-31", Status::Violated},
      {R"({"id": "x", "flag": true})", "2030-01-01", Status::NotApplicable},  // `until` is exclusive
  };
  for (const Case& c : cases) {
    INFO(c.json << " as of " << c.as_of);
    Arena arena;
    Results r = EvaluateJson(policy, c.json, Day(c.as_of), arena);
    REQUIRE(r.prohibitions.size() == 1);
    const StatusResult& s = r.prohibitions[p];
    CHECK(StatusName(s.status) == StatusName(c.expected));
    CHECK(s.from_declared);
    CHECK(s.until_declared);
    if (c.expected != Status::NotApplicable || std::string(c.json).find("true") != std::string::npos) {
      CHECK(s.from == Day("2025-02-02"));
      CHECK(s.until == Day("2030-01-01"));
    }
  }
  Arena arena;
  Results unknown = EvaluateJson(policy, R"({"id": "x", "other": false})", Day("2026-01-01"), arena);
  CHECK(unknown.missing == Strings{"flag"});
}

TEST_CASE("obligation statuses: roles, dates and evidence", "[interp][status]") {
  CompiledPolicy policy = Policy(kStatusPolicy);
  size_t o = ObligationIndex(*policy, "o_provider");
  // `flag` and `d` are given so that only o_provider's facts can be missing.
  auto status_of = [&](std::string json, const char* as_of) {
    REQUIRE(json.rfind(R"({"id": "x", )", 0) == 0);
    json.insert(12, R"("flag": false, "d": "2020-01-01", )");
    Arena arena;
    Results r = EvaluateJson(policy, json, Day(as_of), arena);
    REQUIRE(r.obligations.size() == 4);
    return std::make_pair(r.obligations[o], r.missing);
  };
  auto with_evidence = [](const std::string& entry) {
    return R"({"id": "x", "roles": ["provider"], "other": true, "evidence": {"Art. 9": )" + entry + "}}";
  };
  SECTION("the role test") {
    CHECK(status_of(R"({"id": "x", "roles": ["deployer"], "other": true})", "2027-01-01").first.status ==
          Status::NotApplicable);
    auto [unknown, missing] = status_of(R"({"id": "x", "other": true})", "2027-01-01");
    CHECK(StatusName(unknown.status) == StatusName(Status::Unknown));
    CHECK(missing == Strings{"roles"});
    // Roles present but empty: known, so not applicable.
    CHECK(status_of(R"({"id": "x", "roles": [], "other": true})", "2027-01-01").first.status ==
          Status::NotApplicable);
    // A false condition decides before the roles are read.
    auto [na, none] = status_of(R"({"id": "x", "other": false})", "2027-01-01");
    CHECK(na.status == Status::NotApplicable);
    CHECK(none.empty());
  }
  SECTION("unknown condition") {
    auto [s, missing] = status_of(R"({"id": "x", "roles": ["provider"]})", "2027-01-01");
    CHECK(s.status == Status::Unknown);
    CHECK(missing == Strings{"other"});
  }
  SECTION("upcoming before `from`, open from it without evidence") {
    CHECK(status_of(R"({"id": "x", "roles": ["provider"], "other": true})", "2026-08-01").first.status ==
          Status::Upcoming);
    auto [open, missing] = status_of(R"({"id": "x", "roles": ["provider"], "other": true})", "2026-08-02");
    CHECK(StatusName(open.status) == StatusName(Status::Open));
    CHECK(open.from == Day("2026-08-02"));
    CHECK_FALSE(open.evidence);
    // No evidence is not a missing fact.
    CHECK(missing.empty());
  }
  SECTION("evidence: met, partial, other members") {
    auto [met, ignored] = status_of(
        with_evidence(R"({"status": "met", "ref": "RMS-1", "reviewed": "2026-06-01"})"), "2027-01-01");
    CHECK(StatusName(met.status) == StatusName(Status::Met));
    REQUIRE(met.evidence);
    CHECK(met.evidence->status == "met");
    CHECK(met.evidence->ref == "RMS-1");
    CHECK(met.evidence->reviewed == Day("2026-06-01"));
    CHECK(status_of(with_evidence(R"({"status": "partial"})"), "2027-01-01").first.status == Status::Partial);
    std::pair<StatusResult, Strings> open_result =
        status_of(with_evidence(R"({"status": "not_started"})"), "2027-01-01");
    const StatusResult& open = open_result.first;
    CHECK(open.status == Status::Open);
    REQUIRE(open.evidence);
    CHECK(open.evidence->status == "not_started");
  }
  SECTION("evidence under another citation is not this obligation's") {
    std::string json =
        R"({"id": "x", "roles": ["provider"], "other": true, "evidence": {"Art. 10": {"status": "met"}}})";
    CHECK(status_of(json, "2027-01-01").first.status == Status::Open);
  }
  SECTION("stale: reviewed before as_of - evidence_max_age") {
    // as_of 2027-01-01, 12 months: the limit is 2026-01-01.
    CHECK(StatusName(status_of(with_evidence(R"({"status": "met", "reviewed": "2025-12-31"})"), "2027-01-01")
                         .first.status) == StatusName(Status::Stale));
    CHECK(status_of(with_evidence(R"({"status": "met", "reviewed": "2026-01-01"})"), "2027-01-01")
              .first.status == Status::Met);
    CHECK(status_of(with_evidence(R"({"status": "partial", "reviewed": "2020-01-01"})"), "2027-01-01")
              .first.status == Status::Stale);
    // Without `reviewed`, never stale; open evidence is never stale.
    CHECK(status_of(with_evidence(R"({"status": "met"})"), "2027-01-01").first.status == Status::Met);
    CHECK(status_of(with_evidence(R"({"status": "not_started", "reviewed": "2020-01-01"})"), "2027-01-01")
              .first.status == Status::Open);
  }
  SECTION("upcoming comes before evidence, which is still reported") {
    StatusResult s =
        status_of(with_evidence(R"({"status": "met", "reviewed": "2026-06-01"})"), "2026-07-01").first;
    CHECK(s.status == Status::Upcoming);
    REQUIRE(s.evidence);
    CHECK(s.evidence->status == "met");
  }
}

TEST_CASE("obligation statuses: until, and an unknown `from`", "[interp][status]") {
  CompiledPolicy policy = Policy(kStatusPolicy);
  size_t until = ObligationIndex(*policy, "o_until");
  size_t from_input = ObligationIndex(*policy, "o_from_input");
  size_t deployer = ObligationIndex(*policy, "o_deployer");
  Arena arena;
  const char* json = R"({"id": "x", "flag": false, "roles": ["provider", "deployer"], "other": true})";
  Results before = EvaluateJson(policy, json, Day("2025-12-31"), arena);
  CHECK(before.obligations[until].status == Status::Open);
  CHECK(before.obligations[until].until == Day("2026-01-01"));
  CHECK_FALSE(before.obligations[until].from_declared);
  CHECK(before.obligations[deployer].status == Status::Open);
  Results on = EvaluateJson(policy, json, Day("2026-01-01"), arena);
  CHECK(StatusName(on.obligations[until].status) == StatusName(Status::Expired));
  // `from sys.d` with `d` absent: unknown, and `d` is missing.
  CHECK(on.obligations[from_input].status == Status::Unknown);
  CHECK_FALSE(on.obligations[from_input].from.has_value());
  CHECK(on.missing == Strings{"d"});
  Results known = EvaluateJson(
      policy, R"({"id": "x", "flag": false, "roles": ["provider"], "other": true, "d": "2027-01-01"})",
      Day("2026-06-01"), arena);
  CHECK(known.obligations[from_input].status == Status::Upcoming);
  CHECK(known.obligations[from_input].from == Day("2027-01-01"));
  CHECK(known.missing.empty());
}

// ---------------------------------------------------------------- runtime errors

struct ErrorCase {
  const char* declarations;
  const char* json;
  const char* kind;
  const char* text;  // the source text the error points at
  int line;          // counted from the first line after the header
};

void CheckRuntimeError(const ErrorCase& c) {
  CompiledPolicy policy = Policy(c.declarations);
  Arena arena;
  INFO(c.declarations << "\n" << c.json);
  Results r = EvaluateJson(policy, c.json, Day("2026-11-28"), arena);
  REQUIRE(r.error.has_value());
  CHECK(r.error->kind == c.kind);
  CHECK_FALSE(r.error->message.empty());
  LineColumn at = policy.sources->file(r.error->range.file).Position(r.error->range.begin);
  CHECK(std::string(policy.sources->Text(r.error->range)) == c.text);
  CHECK(static_cast<int>(at.line) == HeaderLines() + c.line);
  // An error leaves nothing else in the results.
  CHECK(r.facts.empty());
  CHECK(r.prohibitions.empty());
  CHECK(r.obligations.empty());
  CHECK(r.missing.empty());
}

TEST_CASE("runtime errors: kind and location", "[interp][errors]") {
  const ErrorCase cases[] = {
      {"\nreport def q = sys.i / sys.j\n", R"({"id": "x", "i": 7, "j": 0})", "DivisionByZero",
       "sys.i / sys.j", 2},
      {"\nreport def q = sys.n / 0.0\n", R"({"id": "x", "n": 1})", "DivisionByZero", "sys.n / 0.0", 2},
      {"\nreport def q = sys.n * sys.n\n", R"({"id": "x", "n": 1e200})", "NonFiniteNumber", "sys.n * sys.n",
       2},
      {"\nreport def q = sys.i * sys.i\n", R"({"id": "x", "i": 4611686018427387904})", "IntegerOverflow",
       "sys.i * sys.i", 2},
      {"\nreport def q = sys.i + 1\n", R"({"id": "x", "i": 9223372036854775807})", "IntegerOverflow",
       "sys.i + 1", 2},
      {"\nreport def q = sys.i - 1\n", R"({"id": "x", "i": -9223372036854775808})", "IntegerOverflow",
       "sys.i - 1", 2},
      {"\nreport def q = -sys.i\n", R"({"id": "x", "i": -9223372036854775808})", "IntegerOverflow", "-sys.i",
       2},
      {"\nreport def q = sys.i / sys.j\n", R"({"id": "x", "i": -9223372036854775808, "j": -1})",
       "IntegerOverflow", "sys.i / sys.j", 2},
      {"\nreport def q = sys.d + 9000 years\n", R"({"id": "x", "d": "2026-01-01"})", "DateOutOfRange",
       "sys.d + 9000 years", 2},
      {"\nreport def q = sys.d - 3000 years\n", R"({"id": "x", "d": "2026-01-01"})", "DateOutOfRange",
       "sys.d - 3000 years", 2},
      {"\nreport def q = sys.d + days(sys.i)\n", R"({"id": "x", "d": "2026-01-01", "i": 3000000})",
       "DateOutOfRange", "sys.d + days(sys.i)", 2},
      {"\nreport def q = sys.d + months(sys.i)\n",
       R"({"id": "x", "d": "2026-01-01", "i": 9223372036854775807})", "DateOutOfRange",
       "sys.d + months(sys.i)", 2},
      // Inside a function: the error points into its body.
      {"\ndef ratio(a: int, b: int): int = a / b\nreport def q = ratio(sys.i, sys.j)\n",
       R"({"id": "x", "i": 7, "j": 0})", "DivisionByZero", "a / b", 2},
      // Inside a quantifier.
      {"\nreport def q = any x in sys.incs: x.aware_on + 9000 years > as_of\n",
       R"({"id": "x", "incs": [{"kind": "death", "aware_on": "2026-01-01"}]})", "DateOutOfRange",
       "x.aware_on + 9000 years", 2},
      // In the clauses of obligations and prohibitions.
      {"\nprohibition p \"P\" cite \"Art. 5(1)(a)\"\n  when sys.other and sys.i / sys.j > 0\n",
       R"({"id": "x", "other": true, "i": 1, "j": 0})", "DivisionByZero", "sys.i / sys.j", 3},
      {"\nobligation o \"O\" cite \"Art. 9\"\n  from sys.d + 9000 years\n  when sys.other\n",
       R"({"id": "x", "other": true, "d": "2026-01-01"})", "DateOutOfRange", "sys.d + 9000 years", 3},
      {"\nobligation o \"O\" cite \"Art. 9\"\n  when sys.other\n  unless sys.i * sys.i > 0\n",
       R"({"id": "x", "other": true, "i": 4611686018427387904})", "IntegerOverflow", "sys.i * sys.i", 4},
  };
  for (const ErrorCase& c : cases) CheckRuntimeError(c);
}

TEST_CASE("runtime errors: the first in evaluation order is reported", "[interp][errors]") {
  const char* json = R"({"id": "x", "i": 1, "j": 0, "n": 1e200, "other": true, "flag": true})";
  // Facts in report order.
  CheckRuntimeError({"\nreport def a = sys.n * sys.n\nreport def b = sys.i / sys.j\n", json,
                     "NonFiniteNumber", "sys.n * sys.n", 2});
  CheckRuntimeError({"\nreport def b = sys.i / sys.j\nreport def a = sys.n * sys.n\n", json, "DivisionByZero",
                     "sys.i / sys.j", 2});
  // Operands left to right.
  CheckRuntimeError(
      {"\nreport def c = (sys.i / sys.j) + sys.n * sys.n\n", json, "DivisionByZero", "sys.i / sys.j", 2});
  // Facts before prohibitions before obligations, whatever the source order.
  CheckRuntimeError(
      {"\nobligation o \"O\" cite \"Art. 9\" when sys.n * sys.n > 0\n"
       "prohibition p \"P\" cite \"Art. 5(1)(a)\" when sys.i / sys.j > 0\n"
       "report def d = sys.d + 9000 years\n",
       R"({"id": "x", "i": 1, "j": 0, "n": 1e200, "d": "2026-01-01"})", "DateOutOfRange",
       "sys.d + 9000 years", 4});
  CheckRuntimeError(
      {"\nobligation o \"O\" cite \"Art. 9\" when sys.n * sys.n > 0\n"
       "prohibition p \"P\" cite \"Art. 5(1)(a)\" when sys.i / sys.j > 0\n",
       json, "DivisionByZero", "sys.i / sys.j", 3});
  // A fact that uses a declaration reports the error where that declaration fails.
  CheckRuntimeError({"\ndef inner = sys.i / sys.j\nreport def outer = inner + 1\n", json, "DivisionByZero",
                     "sys.i / sys.j", 2});
}

TEST_CASE("runtime errors: what is not evaluated cannot fail", "[interp][errors]") {
  CompiledPolicy policy = Policy(R"pol(
report rule guarded_and when sys.flag and sys.i / sys.j > 0
report rule guarded_or when sys.other or sys.i / sys.j > 0
report def guarded_if = if sys.flag then sys.i / sys.j else 0
report def guarded_any = any x in sys.incs: x.kind == death or x.aware_on + 9000 years > as_of
report def guarded_default = default(sys.n, sys.i / sys.j)
obligation o "O" cite "Art. 9" from sys.d + 9000 years when sys.flag
)pol");
  Arena arena;
  Results r = EvaluateJson(policy, R"({"id": "x", "flag": false, "other": true, "i": 1, "j": 0, "n": 2,
    "d": "2026-01-01", "incs": [{"kind": "death", "aware_on": "2026-01-01"}]})",
                           Day("2026-11-28"), arena);
  INFO((r.error ? r.error->kind + ": " + r.error->message : std::string("no error")));
  REQUIRE_FALSE(r.error.has_value());
  CHECK(FactTri(policy, r, "guarded_and") == Tri::False);
  CHECK(FactTri(policy, r, "guarded_or") == Tri::True);
  CHECK(Fact(policy, r, "guarded_if").i == 0);
  CHECK(FactTri(policy, r, "guarded_any") == Tri::True);
  CHECK(Fact(policy, r, "guarded_default").d == 2.0);
  // The obligation does not apply, so its `from` is not evaluated.
  REQUIRE(r.obligations.size() == 1);
  CHECK(r.obligations[0].status == Status::NotApplicable);
}

TEST_CASE("an error in one descriptor does not affect the next", "[interp][errors]") {
  CompiledPolicy policy = Policy("\nreport def q = sys.i / sys.j\n");
  Arena arena;
  Results bad = EvaluateJson(policy, R"({"id": "x", "i": 1, "j": 0})", 0, arena);
  REQUIRE(bad.error.has_value());
  Results good = EvaluateJson(policy, R"({"id": "y", "i": 6, "j": 3})", 0, arena);
  REQUIRE_FALSE(good.error.has_value());
  CHECK(Fact(policy, good, "q").i == 2);
}

// ---------------------------------------------------------------- the standard library

TEST_CASE("the aiact policy evaluates every example descriptor without errors", "[interp][stdlib]") {
  PolicyRequest request;
  request.policies = {"aiact"};
  CompiledPolicy policy = testing::CheckRequest(request);
  INFO(policy.diagnostics);
  REQUIRE(policy.program != nullptr);
  Interpreter interpreter(*policy);
  RowLoader loader(*policy);
  for (const char* name :
       {"credit-scoring-bank", "cv-ranker", "exam-proctoring-public-university", "frontier-model",
        "open-weights-7b", "retinopathy-mdr", "spam-filter", "support-chatbot"}) {
    std::string path = std::string(AIPOL_SOURCE_DIR) + "/examples/systems/" + name + ".json";
    std::ifstream in(path, std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    INFO(path);
    Arena arena;
    LoadedRow row = loader.Load(text.str(), arena, false);
    REQUIRE(row.ok());
    Results r = interpreter.Evaluate({row.row, Day("2026-11-28"), &policy.params});
    CHECK_FALSE(r.error.has_value());
    CHECK(r.facts.size() == policy->reports.size());
    CHECK(r.obligations.size() == policy->obligations.size());
    CHECK(r.prohibitions.size() == policy->prohibitions.size());
    CHECK(std::is_sorted(r.missing.begin(), r.missing.end()));
    CHECK(std::adjacent_find(r.missing.begin(), r.missing.end()) == r.missing.end());
    // Evaluation is deterministic.
    Results again = interpreter.Evaluate({row.row, Day("2026-11-28"), &policy.params});
    CHECK(again.missing == r.missing);
    for (size_t k = 0; k < r.obligations.size(); ++k)
      CHECK(again.obligations[k].status == r.obligations[k].status);
  }
}

}  // namespace
}  // namespace aipol
