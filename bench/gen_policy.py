#!/usr/bin/env python3
"""Generates a large, valid aipol policy for benchmarking `aipol check`.

The policy looks like a real one: a `System` input record with about thirty
fields (enums, sets, dates, numbers, nested records, an evidence map and a
list of incidents), params, defs and functions, and then N rules with
`when`/`unless` and citations, exceptions (also to obligations), obligations
with `actor`, `from`, `until` and `evidence`, prohibitions and a few tests.

Everything is valid and warning-free: every rule, def and function is either
referenced by a later declaration or reported, every import is used, and no
exception negates its target's condition.

Usage:
  gen_policy.py [--rules N] [--modules M] [--seed S] --out DIR

Writes DIR/genpol/*.pol (modules `genpol.base`, `genpol.facts`,
`genpol.rules_000`, ...). Check it with `aipol check DIR`.
Standard library only; the same arguments always give the same files.
"""

import argparse
import os
import random
import sys

# ----------------------------------------------------------------- vocabulary

ROLES = ["provider", "deployer", "importer", "distributor", "authorised_representative"]
KINDS = ["ai_system", "gpai_model", "non_ai_software"]
ORG_SIZES = ["micro", "small", "medium", "large"]
REGIONS = ["eu", "eea", "third_country"]
SECTORS = [
    "health", "finance", "insurance", "education", "employment", "law_enforcement",
    "migration", "justice", "energy", "transport", "telecom", "retail", "media",
    "public_services", "agriculture", "defence",
]
PURPOSES = [
    "remote_biometric_identification", "biometric_verification", "biometric_categorisation",
    "emotion_recognition", "critical_infrastructure_safety", "education_admission",
    "learning_outcome_evaluation", "exam_behaviour_monitoring", "recruitment_selection",
    "employment_decisions", "task_allocation", "worker_monitoring", "public_benefits_eligibility",
    "creditworthiness", "fraud_detection", "life_health_insurance_pricing", "emergency_triage",
    "victim_risk_assessment", "evidence_reliability", "offending_risk_assessment",
    "criminal_profiling", "migration_risk_assessment", "asylum_examination",
    "person_identification", "judicial_assistance", "election_influence", "customer_service",
    "content_generation", "recommendation", "spam_filtering", "translation", "code_assistance",
    "medical_diagnosis", "predictive_maintenance", "other",
]
DATA_CATEGORIES = [
    "biometric", "health", "financial", "location", "behavioural", "children",
    "criminal_records", "political_opinions", "religious_beliefs", "trade_union",
    "genetic", "sexual_orientation", "ethnic_origin", "contact", "identifiers",
]
CONTENT_KINDS = ["text", "image", "audio", "video"]
EVIDENCE_STATUSES = ["met", "partial", "not_started", "not_applicable"]
INCIDENT_KINDS = ["death", "serious_health_harm", "infrastructure_disruption",
                  "rights_infringement", "property_harm"]
OVERSIGHT = ["none", "human_in_the_loop", "human_on_the_loop", "human_in_command"]

BOOL_FIELDS = [
    "profiling", "automated_decisions", "interacts_with_persons", "publishes_deepfakes",
    "open_source", "safety_component", "third_party_assessment", "placed_on_eu_market",
    "substantial_modification", "real_world_testing",
]
ORG_BOOL_FIELDS = ["eu_established", "public_body", "financial_institution", "employer"]

DATES = ["2025-02-02", "2025-08-02", "2026-08-02", "2027-08-02", "2028-08-02", "2030-12-31"]

WORDS = [
    "risk", "management", "data", "governance", "technical", "documentation", "record",
    "keeping", "transparency", "human", "oversight", "accuracy", "robustness", "security",
    "quality", "conformity", "assessment", "registration", "monitoring", "incident",
    "reporting", "logging", "literacy", "disclosure", "labelling", "bias", "audit",
]


def citation(rng):
    """A citation that the citation format accepts (no warnings)."""
    pick = rng.random()
    if pick < 0.6:
        text = "Art. %d" % rng.randint(1, 113)
        if rng.random() < 0.7:
            text += "(%d)" % rng.randint(1, 12)
        if rng.random() < 0.3:
            text += "(%s)" % rng.choice("abcdefgh")
        return text
    if pick < 0.85:
        text = "Annex %s" % rng.choice(["I", "II", "III", "IV", "V", "VIII", "IX", "XI", "XII"])
        if rng.random() < 0.6:
            text += "(%d)" % rng.randint(1, 8)
            if rng.random() < 0.5:
                text += "(%s)" % rng.choice("abcd")
        return text
    if pick < 0.95:
        return "Recital %d" % rng.randint(1, 180)
    return "CoP %s M%d.%d" % (rng.choice(["Transparency", "Copyright", "Safety"]),
                              rng.randint(1, 5), rng.randint(1, 9))


def title(rng):
    words = rng.sample(WORDS, rng.randint(2, 5))
    return " ".join(words).capitalize()


# ----------------------------------------------------------------- base module

def base_module():
    """Types, the input and params: module genpol.base."""
    def enum(name, members, doc):
        lines = ["## %s" % doc, "enum %s {" % name]
        for i in range(0, len(members), 6):
            lines.append("  " + ", ".join(members[i:i + 6]) + ",")
        lines.append("}")
        return "\n".join(lines)

    parts = [
        "module genpol.base",
        "",
        "# Generated by bench/gen_policy.py: types, the descriptor and params.",
        "",
        enum("Role", ROLES, "Roles an organisation can hold."),
        enum("Kind", KINDS, "What is described."),
        enum("OrgSize", ORG_SIZES, "Size class of the organisation."),
        enum("Region", REGIONS, "Where the organisation is established."),
        enum("Sector", SECTORS, "Sectors the system is used in."),
        enum("Purpose", PURPOSES, "Intended purposes."),
        enum("DataCategory", DATA_CATEGORIES, "Categories of personal data processed."),
        enum("ContentKind", CONTENT_KINDS, "Synthetic content generated."),
        enum("EvidenceStatus", EVIDENCE_STATUSES, "Status of evidence."),
        enum("IncidentKind", INCIDENT_KINDS, "Kinds of serious incident."),
        enum("Oversight", OVERSIGHT, "Human oversight model."),
        "",
        "## The organisation.",
        "record Organisation {",
        "  name: string",
        "  size: OrgSize",
        "  region: Region",
        "  employees: int",
        "  turnover_eur: number",
    ]
    parts += ["  %s: bool" % f for f in ORG_BOOL_FIELDS]
    parts += [
        "}",
        "",
        "## Evidence that an obligation is met.",
        "record Evidence {",
        "  status: EvidenceStatus required",
        "  ref: string",
        "  reviewed: date",
        "}",
        "",
        "## A serious incident.",
        "record Incident {",
        "  id: string",
        "  kind: IncidentKind required",
        "  aware_on: date required",
        "  reported_on: date",
        "}",
        "",
        "## One AI system.",
        "record System {",
        "  id: string required",
        "  name: string",
        "  kind: Kind",
        "  roles: set<Role>",
        "  organisation: Organisation",
        "  sectors: set<Sector>",
        "  purposes: set<Purpose>",
        "  data_categories: set<DataCategory>",
        "  generates: set<ContentKind>",
        "  languages: set<string>",
        "  oversight: Oversight",
        "  users: int",
        "  affected_persons: int",
        "  accuracy: number",
        "  training_compute_flops: number",
        "  first_placed_on_market: date",
        "  last_significant_change: date",
        "  rebrands: bool",
    ]
    parts += ["  %s: bool" % f for f in BOOL_FIELDS]
    parts += [
        "  evidence: map<string, Evidence>",
        "  incidents: list<Incident>",
        "}",
        "",
        "## The descriptor being evaluated.",
        "input system: System",
        "",
        "## How long evidence stays fresh.",
        "param evidence_max_age: duration = 12 months",
        "",
        "## Users above which a system counts as large.",
        "param user_threshold: int = 10_000",
        "",
        "## Compute above which a model has systemic risk.",
        "param systemic_flops: number = 1e25",
        "",
        "## The date the high-risk rules apply from.",
        "param high_risk_date: date = 2026-08-02",
        "",
    ]
    return "\n".join(parts) + "\n"


# ---------------------------------------------------------------- facts module

FUNCTIONS = [
    ("over", "def over(n: int, limit: int): bool = n > limit"),
    ("within", "def within(d: date, start: date, length: duration): bool = d >= start and d < start + length"),
    ("uses_any", "def uses_any(ps: set<Purpose>): bool = system.purposes has any ps"),
    ("processes", "def processes(c: DataCategory): bool = c in system.data_categories"),
    ("late_reports", "def late_reports(days_allowed: int) = count i in system.incidents: "
                     "i.reported_on is unknown or i.reported_on - i.aware_on > days_allowed"),
]


def facts_module(rng, n_sets):
    """Shared defs and functions: module genpol.facts."""
    parts = [
        "module genpol.facts",
        "",
        "# Generated by bench/gen_policy.py: shared defs and functions.",
        "",
        "import genpol.base",
        "",
        "## Roles, including those gained by reasoning (rebranding makes a provider).",
        "def roles: set<Role> = if default(system.rebrands, false) then system.roles | {provider} "
        "else system.roles",
        "",
        "## The system is large.",
        "report def large_system: bool = over(system.users, user_threshold)",
        "",
        "## The system is a general-purpose model with systemic risk.",
        "report def systemic: bool = system.kind == gpai_model and system.training_compute_flops >= systemic_flops",
        "",
        "## The organisation is a provider, also by reasoning.",
        "report def is_provider: bool = provider in roles",
        "",
        "## Established in the Union.",
        "report def in_union: bool = system.organisation.region in {eu, eea}",
        "",
    ]
    for name, text in FUNCTIONS:
        parts += ["## Helper `%s`." % name, text, ""]
    sets = []
    for k in range(n_sets):
        members = rng.sample(PURPOSES, rng.randint(2, 6))
        name = "purposes_%03d" % k
        sets.append(name)
        parts += ["## Purpose group %d." % k,
                  "def %s: set<Purpose> = {%s}" % (name, ", ".join(members)), ""]
    return parts, sets


# ---------------------------------------------------------------- rule modules

class Decl:
    def __init__(self, name, module):
        self.name = name
        self.module = module      # index of the rule module
        self.used = False


def atom(rng, ctx):
    """A boolean condition over the input, params, defs and functions."""
    pick = rng.randrange(16)
    if pick == 0:
        return "%s in system.purposes" % rng.choice(PURPOSES)
    if pick == 1:
        members = rng.sample(SECTORS, rng.randint(1, 3))
        return "system.sectors has any {%s}" % ", ".join(members)
    if pick == 2:
        return "system.%s" % rng.choice(BOOL_FIELDS)
    if pick == 3:
        return "system.organisation.%s" % rng.choice(ORG_BOOL_FIELDS)
    if pick == 4:
        return "system.users > %d" % rng.choice([100, 1000, 10_000, 45_000_000])
    if pick == 5:
        return "system.first_placed_on_market < %s" % rng.choice(DATES)
    if pick == 6:
        return "system.kind == %s" % rng.choice(KINDS)
    if pick == 7:
        return "facts.processes(%s)" % rng.choice(DATA_CATEGORIES)
    if pick == 8:
        ctx["facts_used"] = True
        return "facts.uses_any(facts.%s)" % rng.choice(ctx["sets"])
    if pick == 9:
        return "any i in system.incidents: i.kind == %s and i.reported_on is unknown" % rng.choice(INCIDENT_KINDS)
    if pick == 10:
        return "system.accuracy < %s" % rng.choice(["0.8", "0.9", "0.95", "0.99"])
    if pick == 11:
        return "facts.over(system.affected_persons, %d)" % rng.choice([1000, 100_000, 1_000_000])
    if pick == 12:
        return "count(system.data_categories) >= %d" % rng.randint(1, 5)
    if pick == 13:
        return "system.oversight != %s" % rng.choice(OVERSIGHT)
    if pick == 14:
        return "facts.within(default(system.last_significant_change, %s), %s, %d months)" % (
            rng.choice(DATES), rng.choice(DATES), rng.choice([6, 12, 24, 36]))
    return "system.organisation.size == %s" % rng.choice(ORG_SIZES)


def reference(rng, ctx, earlier, module):
    """A reference to an earlier rule (same module or the previous one)."""
    target = rng.choice(earlier)
    target.used = True
    if target.module == module:
        return target.name
    ctx["prev_used"] = True
    return "rules_%03d.%s" % (target.module, target.name)


def condition(rng, ctx, earlier, module, n_atoms, allow_refs=True):
    terms = []
    for _ in range(n_atoms):
        if allow_refs and earlier and rng.random() < 0.35:
            term = reference(rng, ctx, earlier, module)
        else:
            term = atom(rng, ctx)
        if term not in terms:
            terms.append(term)
    if len(terms) == 1:
        return terms[0]
    # Mix `and` and `or`; parenthesise the `or` groups.
    out = []
    i = 0
    while i < len(terms):
        if i + 1 < len(terms) and rng.random() < 0.3:
            out.append("(%s or %s)" % (terms[i], terms[i + 1]))
            i += 2
        else:
            out.append(terms[i])
            i += 1
    return "\n    and ".join(out)


def rule_module(rng, module, n_rules, prev_rules, sets, stats):
    """One module of rules, exceptions, obligations and prohibitions."""
    ctx = {"sets": sets, "facts_used": False, "prev_used": False}
    local = []                 # Decl of rules in this module
    decls = []                 # (kind, Decl or None, text lines) in order
    obligations = []
    # References may go to rules of this module or of the previous one, but
    # only to earlier rules, so there are no cycles.
    for i in range(n_rules):
        name = "r%03d_%05d" % (module, i)
        earlier = local[-200:] + prev_rules[-200:]
        lines = ['rule %s "%s"' % (name, title(rng)),
                 '  cite "%s"' % citation(rng)]
        if rng.random() < 0.15:
            lines[-1] += ', "%s"' % citation(rng)
        lines.append("  when " + condition(rng, ctx, earlier, module, rng.randint(1, 4)))
        if rng.random() < 0.3:
            lines.append("  unless " + atom(rng, ctx))
        if rng.random() < 0.1:
            lines.append('  text "%s."' % title(rng))
        d = Decl(name, module)
        decls.append(("rule", d, lines))
        local.append(d)
        stats["rules"] += 1

        # An exception to an earlier rule of this module (10%).
        if local and rng.random() < 0.10:
            target = rng.choice(local)
            ex = "x%03d_%05d" % (module, i)
            # Only atoms: an exception must not depend on its target.
            ex_lines = ["exception %s to %s" % (ex, target.name),
                        '  cite "%s"' % citation(rng),
                        "  when " + condition(rng, ctx, [], module, rng.randint(1, 2), allow_refs=False)]
            if rng.random() < 0.3:
                ex_lines.append("  unless " + atom(rng, ctx))
            decls.append(("exception", None, ex_lines))
            stats["exceptions"] += 1

        # An obligation (20%).
        if rng.random() < 0.20:
            ob = "o%03d_%05d" % (module, i)
            cite = citation(rng)
            ob_lines = ['obligation %s "%s"' % (ob, title(rng)),
                        "  actor %s" % rng.choice(ROLES),
                        '  cite "%s"' % cite,
                        "  from %s" % rng.choice(["high_risk_date", DATES[rng.randrange(len(DATES))],
                                                  "default(system.first_placed_on_market, high_risk_date)"]),
                        "  when " + condition(rng, ctx, local[-50:], module, rng.randint(1, 3))]
            if rng.random() < 0.2:
                ob_lines.append("  until %s + %d years" % (rng.choice(DATES), rng.randint(1, 10)))
            if rng.random() < 0.3:
                ob_lines.append('  evidence system.evidence["%s"]' % citation(rng))
            ob_lines.append('  text "%s."' % title(rng))
            decls.append(("obligation", None, ob_lines))
            obligations.append(ob)
            stats["obligations"] += 1
            # Exceptions to obligations too (5%).
            if rng.random() < 0.25:
                ex = "xo%03d_%05d" % (module, i)
                decls.append(("exception", None, [
                    "exception %s to %s" % (ex, ob),
                    '  cite "%s"' % citation(rng),
                    "  when " + condition(rng, ctx, [], module, 1, allow_refs=False)]))
                stats["exceptions"] += 1

        # A prohibition (2%).
        if rng.random() < 0.02:
            pr = "p%03d_%05d" % (module, i)
            decls.append(("prohibition", None, [
                'prohibition %s "%s"' % (pr, title(rng)),
                '  cite "Art. 5(1)(%s)"' % rng.choice("abcdefgh"),
                "  from 2025-02-02",
                "  when " + condition(rng, ctx, local[-50:], module, rng.randint(1, 2))]))
            stats["prohibitions"] += 1

    # A test that exercises a few declarations of this module.
    test_rule = local[-1]
    test_rule.used = True
    test_lines = ['test "module %d: a small deployer" {' % module,
                  '  given system = {id: "sys-%d", roles: {deployer}, users: 12, kind: ai_system}' % module,
                  "  as_of 2026-11-28",
                  "  set user_threshold = 5_000",
                  "  expect not facts.large_system",
                  "  expect %s is known or %s is unknown" % (test_rule.name, test_rule.name)]
    if obligations:
        test_lines.append("  expect obligation %s is not applicable" % obligations[0])
    test_lines.append("}")
    decls.append(("test", None, test_lines))
    stats["tests"] += 1
    return decls, local, ctx


def render_rule_module(module, decls, ctx, has_prev):
    parts = ["module genpol.rules_%03d" % module, "",
             "# Generated by bench/gen_policy.py.", "",
             "import genpol.base", "import genpol.facts"]
    if has_prev and ctx["prev_used"]:
        parts.append("import genpol.rules_%03d" % (module - 1))
    parts.append("")
    for kind, d, lines in decls:
        if kind == "rule" and not d.used:
            lines = ["report " + lines[0]] + lines[1:]
        if '"' in lines[0]:
            parts.append("## %s." % lines[0].split('"')[1])
        else:
            parts.append("## Does not apply when the conditions below hold.")
        parts.extend(lines)
        parts.append("")
    return "\n".join(parts)


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--rules", type=int, default=5000, help="number of `rule` declarations (default 5000)")
    ap.add_argument("--modules", type=int, default=0,
                    help="number of rule modules (default: one per 1000 rules)")
    ap.add_argument("--seed", type=int, default=20260802, help="random seed (default 20260802)")
    ap.add_argument("--out", required=True, help="output directory (DIR/genpol/*.pol is written)")
    args = ap.parse_args(argv)
    if args.rules < 1:
        ap.error("--rules must be at least 1")
    n_modules = args.modules or max(1, (args.rules + 999) // 1000)
    n_modules = min(n_modules, args.rules)
    rng = random.Random(args.seed)

    out = os.path.join(args.out, "genpol")
    os.makedirs(out, exist_ok=True)
    for old in os.listdir(out):
        if old.endswith(".pol"):
            os.remove(os.path.join(out, old))

    stats = {"rules": 0, "exceptions": 0, "obligations": 0, "prohibitions": 0, "tests": 0}
    facts_lines, sets = facts_module(rng, 40)
    files = {"base.pol": base_module()}

    per_module = [args.rules // n_modules + (1 if m < args.rules % n_modules else 0) for m in range(n_modules)]
    prev = []
    rendered = []
    all_ctx = []
    for m in range(n_modules):
        decls, local, ctx = rule_module(rng, m, per_module[m], prev, sets, stats)
        rendered.append((m, decls, ctx))
        all_ctx.append(ctx)
        prev = local
    # A rule module marks its references to the previous module's rules as
    # used, so render only after every module was generated.
    for m, decls, ctx in rendered:
        files["rules_%03d.pol" % m] = render_rule_module(m, decls, ctx, m > 0)

    # Every purpose group must be used: report a def that uses those that
    # no rule happened to use.
    used_sets = set()
    for text in files.values():
        for s in sets:
            if "facts." + s in text:
                used_sets.add(s)
    unused = [s for s in sets if s not in used_sets]
    if unused:
        facts_lines += ["## Purpose groups not used by any rule.",
                        "report def other_purpose_groups: bool = "
                        + " or ".join("uses_any(%s)" % s for s in unused), ""]
    # `late_reports` and `roles` (used by `actor`) must be used too.
    facts_lines += ["## Incidents reported late.",
                    "report def late_incidents: int = late_reports(15)", ""]
    files["facts.pol"] = "\n".join(facts_lines) + "\n"

    total_bytes = 0
    for name, text in sorted(files.items()):
        path = os.path.join(out, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        total_bytes += len(text.encode("utf-8"))
    total_lines = sum(t.count("\n") for t in files.values())
    print("wrote %d files to %s: %d rules, %d exceptions, %d obligations, %d prohibitions, %d tests; "
          "%d lines, %d bytes" % (len(files), out, stats["rules"], stats["exceptions"], stats["obligations"],
                                 stats["prohibitions"], stats["tests"], total_lines, total_bytes))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
