#!/usr/bin/env python3
"""Generates a realistic fleet of AI system descriptors for `aipol batch`.

Each record follows schema/descriptor.schema.json and the style of
examples/systems/*.json: an organisation, roles, market and scope facts, the
intended purposes with their authority context, prohibited practices (almost
always false; a rare record has one), Annex I facts, the Art. 6(3)
derogation, Art. 50 transparency facts, GPAI facts for models, an evidence
map with 0-10 entries keyed by citation, and now and then serious incidents.
Systems come from archetypes (CV rankers, credit scoring, biometric
identification, chatbots, GPAI models, medical devices, spam filters, exam
proctoring, ...) so that the fleet exercises every part of the policy. Some
fields and sections are left out, as in real inventories: a missing field is
an unknown fact.

A fraction of the records (--invalid-rate) is deliberately broken: text that
is not JSON, a JSON value that is not an object, a field of the wrong type,
an unknown enum value, a malformed date or a missing `id`. Every line of the
output is still one record, so a run must write exactly --records reports.

Usage:
  gen_fleet.py [--records N] [--seed S] [--invalid-rate R] [-o FILE]

Writes JSON Lines to FILE or standard output, and a short summary (record
count, invalid records, average record size) to standard error. Standard
library only; the same arguments always give the same bytes.
"""

import argparse
import datetime
import json
import random
import sys

# ----------------------------------------------------------------- vocabulary

ROLES = ["provider", "deployer", "importer", "distributor", "authorised_representative",
         "product_manufacturer"]
SIZES = ["micro", "small", "medium", "small_mid_cap", "large"]
AUTHORITY = ["public_authority", "law_enforcement", "migration_asylum_border", "judicial_authority",
             "election_body"]
LEGISLATION = ["none", "machinery", "toys", "recreational_craft", "lifts", "atex", "radio_equipment",
               "pressure_equipment", "cableways", "personal_protective_equipment", "gas_appliances",
               "medical_devices", "in_vitro_diagnostics", "civil_aviation_security",
               "two_three_wheel_vehicles", "agricultural_vehicles", "marine_equipment", "rail",
               "motor_vehicles", "civil_aviation"]
CONTENT = ["text", "image", "audio", "video"]
COP_CHAPTERS = ["transparency", "copyright", "safety_security"]
EMOTION_SUBJECTS = ["employees", "candidates", "students", "customers", "public"]
EVIDENCE_STATUS = ["met", "partial", "not_started", "not_applicable"]
INCIDENT_KINDS = ["death", "critical_infrastructure_disruption", "widespread_infringement",
                  "fundamental_rights_infringement", "serious_health_harm", "property_environment_harm"]

# Organisation names by country flavour; some are not ASCII on purpose.
ORG_STEMS = ["Nordlicht", "Meridiana", "TalentRank", "Helios", "Aurora", "Baltic", "Vireo", "Castellan",
             "Kestrel", "Lumen", "Odra", "Tejo", "Saimaa", "Danubia", "Brabant", "Alcázar", "Zürcher",
             "Øresund", "Łódź Data", "Ribeira", "Città Nuova", "Montclair", "Ardennes", "Vltava",
             "Egeo", "Karelia", "Hanse", "Liffey", "Garonne", "Pannonia"]
ORG_FORMS = ["GmbH", "S.p.A.", "SAS", "B.V.", "AB", "Oy", "SIA", "S.A.", "Sp. z o.o.", "Ltd", "Inc.",
             "e.V.", "ApS", "s.r.o.", "AG", "NV"]
PUBLIC_ORGS = ["Ministry of Social Affairs", "City of Noordveld", "Universiteit van Noordveld",
               "Bundesagentur für Arbeit (pilot)", "Agencia Tributaria (unit 4)", "Police Service of Karelia",
               "Border Guard Directorate", "District Court of Tejo", "National Electoral Office",
               "Regional Health Authority"]

# Product brands.
BRANDS = ["Sentinel", "TalentRank", "ClearView", "Atlas", "Nimbus", "Quill", "Beacon", "Cerebra", "Pilot",
          "Orca", "Vigil", "Prisma", "Kairos", "Mosaic", "Tessera", "Lynx", "Fjord", "Ember", "Halo", "Juno",
          "Mistral-like", "Ösel", "Señal", "Ładny", "Zephyr"]

# Citations under which organisations file evidence, by theme.
EV_GENERAL = ["Art. 4"]
EV_HIGH_RISK_PROVIDER = ["Art. 9", "Art. 10", "Art. 11", "Art. 12", "Art. 13", "Art. 14", "Art. 15",
                         "Art. 16", "Art. 17", "Art. 43", "Art. 47", "Art. 48", "Art. 49", "Art. 72",
                         "Art. 73", "Art. 6(4)"]
EV_HIGH_RISK_DEPLOYER = ["Art. 26(1)", "Art. 26(2)", "Art. 26(5)", "Art. 26(6)", "Art. 26(7)",
                         "Art. 26(11)", "Art. 27", "Art. 49(3)", "Art. 86"]
EV_TRANSPARENCY = ["Art. 50(1)", "Art. 50(2)", "Art. 50(3)", "Art. 50(4)"]
EV_GPAI = ["Art. 52(1)", "Art. 53(1)(a)", "Art. 53(1)(b)", "Art. 53(1)(c)", "Art. 53(1)(d)", "Art. 54",
           "Art. 55(1)(a)", "Art. 55(1)(b)", "Art. 55(1)(c)", "Art. 55(1)(d)", "CoP Copyright M1.3",
           "CoP Transparency M1.1"]
EV_REFS = ["policy {n} v{v}", "ticket GRC-{n}", "Confluence page {n}", "DPIA-{n} (annex {v})",
           "SharePoint /ai-act/{n}", "audit report {n}/{v}", "vendor attestation {n}",
           "training record LMS-{n}", "Jira AIACT-{n}", "technical file TF-{n} rev {v}",
           "'{n}' review minutes, board of {v}"]

# ----------------------------------------------------------------- archetypes
#
# name: (weight, kind, purposes (one of these lists), authority context
# choices, likely roles, description stems, transparency profile, Annex I
# legislation choices, evidence themes)

ARCHETYPES = {
    "cv-ranker": dict(w=7, kind="ai_system", purposes=[["recruitment_selection"],
                      ["recruitment_selection", "employment_decisions"]], roles=[["provider"], ["deployer"]],
                      names=["CV ranking assistant", "candidate screening", "video interview scoring"],
                      profiling=0.85, decisions=0.9, themes=["hr"]),
    "workforce": dict(w=5, kind="ai_system", purposes=[["task_allocation"], ["worker_monitoring"],
                      ["employment_decisions", "worker_monitoring"]], roles=[["deployer"], ["provider"]],
                      names=["shift planner", "warehouse productivity monitor", "promotion recommender"],
                      profiling=0.6, decisions=0.7, themes=["hr"]),
    "credit": dict(w=7, kind="ai_system", purposes=[["creditworthiness"], ["creditworthiness", "fraud_detection"],
                   ["fraud_detection"]], roles=[["deployer"], ["provider"], ["provider", "deployer"]],
                   names=["consumer-loan credit scoring", "BNPL affordability model", "card fraud detector"],
                   profiling=0.9, decisions=0.9, financial=0.9, themes=["hr"]),
    "insurance": dict(w=3, kind="ai_system", purposes=[["life_health_insurance_pricing"]],
                      roles=[["deployer"], ["provider"]], names=["health premium pricing", "life underwriting"],
                      profiling=0.9, decisions=0.9, financial=0.8, themes=["hr"]),
    "biometric-id": dict(w=3, kind="ai_system", purposes=[["remote_biometric_identification"],
                         ["remote_biometric_identification", "person_identification"]],
                         roles=[["deployer"], ["provider"]], authority=[["law_enforcement"], []],
                         names=["face search for CCTV", "stadium entry face matching"],
                         profiling=0.4, decisions=0.7, themes=["hr", "biometric"]),
    "biometric-verify": dict(w=4, kind="ai_system", purposes=[["biometric_verification"]],
                             roles=[["deployer"], ["provider"]], names=["door access face verification",
                             "banking app selfie check"], profiling=0.1, decisions=0.5, themes=["general"]),
    "biometric-cat": dict(w=2, kind="ai_system", purposes=[["biometric_categorisation"], ["emotion_recognition"]],
                          roles=[["provider"], ["deployer"]], names=["audience analytics camera",
                          "call-centre emotion analytics"], profiling=0.6, decisions=0.3,
                          themes=["hr", "biometric"]),
    "chatbot": dict(w=12, kind="ai_system", purposes=[["customer_service"], ["customer_service", "recommendation"]],
                    roles=[["deployer"], ["provider", "deployer"]], names=["support chatbot",
                    "tenant help-desk assistant", "citizen information bot", "insurance claims assistant"],
                    profiling=0.1, decisions=0.1, interacts=0.95, generates=[["text"]], themes=["transparency"]),
    "content-gen": dict(w=6, kind="ai_system", purposes=[["content_generation"]],
                        roles=[["provider"], ["deployer"], ["provider", "deployer"]],
                        names=["marketing image generator", "newsroom summariser", "voice clone studio",
                               "product video generator"], profiling=0.0, decisions=0.0, interacts=0.5,
                        generates=[["image"], ["text"], ["audio"], ["video", "audio"], ["text", "image"]],
                        themes=["transparency"]),
    "gpai": dict(w=6, kind="gpai_model", purposes=None, roles=[["provider"]],
                 names=["foundation model", "open-weights base model", "code model", "multilingual LLM"],
                 themes=["gpai"]),
    "medical": dict(w=5, kind="ai_system", purposes=[["medical_diagnosis"], ["medical_diagnosis", "emergency_triage"]],
                    roles=[["provider"], ["deployer"], ["product_manufacturer", "provider"]],
                    legislation=["medical_devices", "in_vitro_diagnostics"], names=["retinopathy screening",
                    "sepsis early warning", "dermatology triage app", "radiology second reader"],
                    profiling=0.3, decisions=0.8, themes=["hr"]),
    "machinery": dict(w=4, kind="ai_system", purposes=[["predictive_maintenance"], ["other"]],
                      roles=[["provider", "product_manufacturer"], ["deployer"]],
                      legislation=["machinery", "lifts", "motor_vehicles", "rail", "civil_aviation",
                                   "radio_equipment", "toys", "agricultural_vehicles"],
                      names=["collision-avoidance controller", "lift door safety vision",
                             "predictive maintenance for turbines"], profiling=0.0, decisions=0.0,
                      themes=["hr"]),
    "spam": dict(w=8, kind="ai_system", purposes=[["spam_filtering"]], roles=[["deployer"]],
                 names=["mail gateway spam filter", "comment moderation filter"], profiling=0.0,
                 decisions=0.0, themes=["general"]),
    "productivity": dict(w=8, kind="ai_system", purposes=[["translation"], ["code_assistance"], ["recommendation"],
                         ["other"]], roles=[["deployer"], ["provider"]],
                         names=["machine translation", "IDE code assistant", "product recommender",
                                "document classifier"], profiling=0.2, decisions=0.05, interacts=0.4,
                         generates=[["text"], []], themes=["transparency", "general"]),
    "education": dict(w=4, kind="ai_system", purposes=[["exam_behaviour_monitoring"], ["education_admission"],
                      ["learning_outcome_evaluation"], ["education_level_assessment"],
                      ["exam_behaviour_monitoring", "biometric_verification"]], roles=[["deployer"], ["provider"]],
                      authority=[["public_authority"], []], public=0.5, names=["online exam proctoring",
                      "admissions scoring", "essay grading"], profiling=0.7, decisions=0.8, themes=["hr"]),
    "public-services": dict(w=4, kind="ai_system", purposes=[["public_benefits_eligibility"],
                            ["public_benefits_eligibility", "fraud_detection"], ["emergency_triage"],
                            ["critical_infrastructure_safety"]], roles=[["deployer"], ["provider"]],
                            authority=[["public_authority"], []], public=0.8,
                            names=["benefits eligibility checker", "112 call triage", "grid load balancer"],
                            profiling=0.6, decisions=0.8, themes=["hr"]),
    "law-enforcement": dict(w=3, kind="ai_system", purposes=[["offending_risk_assessment"], ["criminal_profiling"],
                            ["evidence_reliability"], ["victim_risk_assessment"], ["polygraph"]],
                            roles=[["deployer"], ["provider"]], authority=[["law_enforcement"]], public=0.9,
                            names=["recidivism risk score", "evidence triage", "domestic violence risk tool"],
                            profiling=0.8, decisions=0.8, themes=["hr"]),
    "migration": dict(w=2, kind="ai_system", purposes=[["migration_risk_assessment"],
                      ["asylum_visa_residence_examination"], ["travel_document_verification"],
                      ["person_identification"]], roles=[["deployer"], ["provider"]],
                      authority=[["migration_asylum_border"]], public=0.9,
                      names=["visa application triage", "document fraud scanner"], profiling=0.7,
                      decisions=0.8, themes=["hr"]),
    "justice-elections": dict(w=2, kind="ai_system", purposes=[["judicial_assistance"], ["election_influence"],
                              ["campaign_logistics"]], roles=[["deployer"], ["provider"]],
                              authority=[["judicial_authority"], ["election_body"], []], public=0.5,
                              names=["case-law research assistant", "voter outreach optimiser",
                                     "canvassing route planner"], profiling=0.5, decisions=0.4, themes=["hr"]),
    "non-ai": dict(w=3, kind="non_ai_software", purposes=[["other"], ["spam_filtering"]], roles=[["deployer"]],
                   names=["rules-based payroll engine", "static keyword filter"], profiling=0.0, decisions=0.2,
                   themes=["general"]),
}

PROHIBITED = ["subliminal_manipulative_deceptive", "exploits_vulnerabilities", "social_scoring",
              "crime_risk_solely_profiling", "untargeted_facial_scraping", "emotion_workplace",
              "biometric_categorisation_sensitive", "realtime_rbi_public_law_enforcement",
              "intimate_imagery_or_csam"]


class Gen:
    def __init__(self, seed):
        self.r = random.Random(seed)
        self.seed = seed

    def reseed(self, index):
        """Each record draws from its own stream (string seeds are stable across runs)."""
        self.r.seed("%d:%d" % (self.seed, index))

    # ------------------------------------------------------------- helpers

    def chance(self, p):
        return self.r.random() < p

    def date(self, lo_year, hi_year):
        y = self.r.randint(lo_year, hi_year)
        m = self.r.randint(1, 12)
        d = self.r.randint(1, 28)
        return "%04d-%02d-%02d" % (y, m, d)

    def org(self, spec):
        public = self.chance(spec.get("public", 0.05))
        if public:
            name = self.r.choice(PUBLIC_ORGS)
        else:
            name = "%s %s %s" % (self.r.choice(ORG_STEMS), self.r.choice(
                ["Software", "Analytics", "Bank", "Health", "Logistics", "Media", "Robotics", "Insurance",
                 "Labs", "Retail", "Energy", "Mobility", "Systems"]), self.r.choice(ORG_FORMS))
        org = {
            "name": name,
            "eu_established": self.chance(0.85),
            "natural_person": self.chance(0.01),
            "size": self.r.choice(SIZES) if not public else "large",
            "public_body": public,
            "provides_public_services": (not public) and self.chance(0.05),
            "financial_institution": self.chance(spec.get("financial", 0.04)),
            "employer": self.chance(0.4),
        }
        return self.drop_keys(org, 0.03)

    def drop_keys(self, obj, p, keep=()):
        """Leaves each key out with probability p: an unknown fact."""
        return {k: v for k, v in obj.items() if k in keep or not self.chance(p)}

    def evidence(self, themes, roles, n):
        pool = list(EV_GENERAL)
        if "hr" in themes:
            if "provider" in roles or "product_manufacturer" in roles:
                pool += EV_HIGH_RISK_PROVIDER
            if "deployer" in roles:
                pool += EV_HIGH_RISK_DEPLOYER
            if not pool[1:]:
                pool += EV_HIGH_RISK_DEPLOYER
        if "transparency" in themes:
            pool += EV_TRANSPARENCY
        if "gpai" in themes:
            pool += EV_GPAI
        if "biometric" in themes:
            pool += ["Art. 26(10)", "Art. 5(2)", "Art. 5(3)"]
        keys = self.r.sample(pool, min(n, len(pool)))
        out = {}
        for key in keys:
            status = self.r.choices(EVIDENCE_STATUS, weights=[45, 30, 18, 7])[0]
            entry = {"status": status}
            if status != "not_started" or self.chance(0.4):
                entry["ref"] = self.r.choice(EV_REFS).format(n=self.r.randint(100, 99999),
                                                             v=self.r.randint(1, 9))
            if status in ("met", "partial") and self.chance(0.9):
                # Mostly recent; some older than the 12-month evidence_max_age.
                entry["reviewed"] = self.date(2024, 2026) if self.chance(0.2) else self.date(2026, 2026)
            out[key] = entry
        return out

    def incidents(self, sid):
        out = []
        for k in range(self.r.choice([1, 1, 1, 2, 3])):
            aware = self.date(2025, 2026)
            inc = {"id": "INC-%s-%d" % (sid[-6:], k + 1), "kind": self.r.choice(INCIDENT_KINDS),
                   "aware_on": aware}
            if self.chance(0.7):
                reported = datetime.date.fromisoformat(aware) + datetime.timedelta(days=self.r.randint(0, 30))
                inc["reported_on"] = reported.isoformat()
            out.append(self.drop_keys(inc, 0.1, keep=("kind", "aware_on")))
        return out

    # ------------------------------------------------------------- records

    def descriptor(self, index):
        self.reseed(index)
        names = list(ARCHETYPES)
        arch = self.r.choices(names, weights=[ARCHETYPES[n]["w"] for n in names])[0]
        spec = ARCHETYPES[arch]
        sid = "%s-%06d" % (arch, index)
        org = self.org(spec)
        roles = list(self.r.choice(spec["roles"]))
        if self.chance(0.05):
            extra = self.r.choice(["importer", "distributor", "authorised_representative"])
            if extra not in roles:
                roles.append(extra)
        title = self.r.choice(spec["names"])
        d = {
            "schema_version": 1,
            "id": sid,
            "name": "%s %s (%s)" % (self.r.choice(BRANDS), title, self.r.choice(
                ["pilot", "v2", "production", "EU rollout", "2026 release", "beta", "legacy", "internal"])),
            "kind": spec["kind"],
            "organisation": org,
            "roles": roles,
        }
        first = self.date(2019, 2029)
        market = {
            "placed_on_eu_market": self.chance(0.92),
            "put_into_service_eu": self.chance(0.9),
            "output_used_in_eu": self.chance(0.95),
            "first_placed_on_market": first,
            "intended_for_public_authorities": org.get("public_body", False) or self.chance(0.05),
            "annex_x_component": self.chance(0.01),
        }
        if self.chance(0.12):
            market["last_significant_change"] = self.date(int(first[:4]), 2029)
        d["market"] = self.drop_keys(market, 0.04)
        scope = {
            "exclusively_military_defence_security": self.chance(0.01),
            "third_country_authority_cooperation": self.chance(0.005),
            "scientific_research_only": self.chance(0.02),
            "pre_market_research_only": self.chance(0.03),
            "real_world_testing": self.chance(0.02),
            "personal_non_professional": self.chance(0.005),
            "free_open_source": self.chance(0.06),
        }
        d["scope"] = self.drop_keys(scope, 0.02)

        if spec["kind"] == "gpai_model":
            self.gpai(d)
        else:
            self.system(d, spec, roles)

        n_evidence = self.r.choices(range(11), weights=[14, 12, 12, 11, 10, 9, 8, 7, 6, 6, 5])[0]
        ev = self.evidence(spec["themes"], roles, n_evidence)
        if ev or self.chance(0.2):
            d["evidence"] = ev
        if self.chance(0.06):
            d["incidents"] = self.incidents(sid)
        # Whole sections left out now and then: unknown facts, not defaults.
        for section in ("value_chain", "derogation", "transparency", "annex_i", "scope", "market"):
            if section in d and self.chance(0.03):
                del d[section]
        return d

    def system(self, d, spec, roles):
        purposes = list(self.r.choice(spec["purposes"]))
        if self.chance(0.04):
            purposes.append(self.r.choice(["other", "recommendation", "translation", "fraud_detection"]))
            purposes = list(dict.fromkeys(purposes))
        authority = list(self.r.choice(spec.get("authority", [[]])))
        if d["organisation"].get("public_body") and "public_authority" not in authority and self.chance(0.5):
            authority.append("public_authority")
        d["value_chain"] = self.drop_keys({
            "rebrands_high_risk_system": self.chance(0.03),
            "substantial_modification": self.chance(0.05),
            "changed_intended_purpose": self.chance(0.04),
        }, 0.03)
        d["use"] = self.drop_keys({
            "purposes": purposes,
            "authority_context": authority,
            "profiling": self.chance(spec.get("profiling", 0.2)),
            "decisions_on_persons": self.chance(spec.get("decisions", 0.2)),
        }, 0.03, keep=("purposes",))
        d["practices"] = self.practices(purposes)
        legislation = spec.get("legislation")
        if legislation:
            d["annex_i"] = {"legislation": self.r.choice(legislation), "safety_component": self.chance(0.8),
                            "third_party_conformity_assessment": self.chance(0.7)}
        else:
            d["annex_i"] = {"legislation": "none", "safety_component": False,
                            "third_party_conformity_assessment": False}
        d["derogation"] = self.drop_keys({
            "narrow_procedural_task": self.chance(0.1),
            "improves_completed_human_activity": self.chance(0.1),
            "detects_patterns_without_replacing_review": self.chance(0.08),
            "preparatory_task": self.chance(0.1),
            "no_significant_risk": self.chance(0.15),
            "assessment_documented": self.chance(0.2),
        }, 0.05)
        generates = list(self.r.choice(spec.get("generates", [[]])))
        interacts = self.chance(spec.get("interacts", 0.05))
        transparency = {
            "interacts_with_persons": interacts,
            "generates": generates,
            "crime_detection_authorised_by_law": self.chance(0.01),
            "publishes_deepfakes": bool(set(generates) & {"image", "video", "audio"}) and self.chance(0.3),
            "publishes_public_interest_text": "text" in generates and self.chance(0.2),
        }
        if interacts:
            transparency["ai_interaction_obvious"] = self.chance(0.3)
        if generates:
            transparency["assistive_editing_only"] = self.chance(0.1)
        if transparency["publishes_deepfakes"]:
            transparency["artistic_satirical_fictional"] = self.chance(0.3)
        if transparency["publishes_public_interest_text"]:
            transparency["editorial_responsibility"] = self.chance(0.5)
        d["transparency"] = self.drop_keys(transparency, 0.03)

    def practices(self, purposes):
        p = {
            "subliminal_manipulative_deceptive": False,
            "exploits_vulnerabilities": False,
            "significant_harm_likely": False,
            "social_scoring": False,
            "crime_risk_solely_profiling": False,
            "untargeted_facial_scraping": False,
            "emotion_subjects": [],
            "biometric_categorisation_sensitive": False,
            "realtime_rbi_public_law_enforcement": False,
            "intimate_imagery_or_csam": False,
        }
        if "emotion_recognition" in purposes:
            p["emotion_setting"] = self.r.choice(["workplace", "education", "other"])
            p["emotion_subjects"] = self.r.sample(EMOTION_SUBJECTS, self.r.randint(1, 2))
            p["medical_or_safety_purpose"] = self.chance(0.3)
        if "remote_biometric_identification" in purposes:
            p["rbi_objective"] = self.r.choice(["none", "targeted_victim_search", "imminent_threat_prevention",
                                                "serious_crime_suspect"])
            p["rbi_authorised"] = self.chance(0.6)
            p["rbi_national_law"] = self.chance(0.6)
        # A rare system engages in a prohibited practice.
        if self.chance(0.02):
            which = self.r.choice(PROHIBITED)
            if which == "emotion_workplace":
                p["emotion_setting"] = "workplace"
                p["emotion_subjects"] = ["employees"]
                p["medical_or_safety_purpose"] = False
            else:
                p[which] = True
                if which in ("subliminal_manipulative_deceptive", "exploits_vulnerabilities"):
                    p["significant_harm_likely"] = self.chance(0.8)
                if which == "social_scoring":
                    p["social_score_detrimental_treatment"] = self.chance(0.8)
                if which == "crime_risk_solely_profiling":
                    p["supports_human_assessment_on_facts"] = self.chance(0.3)
                if which == "biometric_categorisation_sensitive":
                    p["lawful_dataset_labelling"] = self.chance(0.2)
                if which == "realtime_rbi_public_law_enforcement":
                    p.setdefault("rbi_objective", "none")
                if which == "intimate_imagery_or_csam":
                    p["intimate_imagery_safeguards"] = self.chance(0.5)
        return self.drop_keys(p, 0.015)

    def gpai(self, d):
        big = self.chance(0.25)
        flops = (self.r.uniform(1.0, 9.9) * 10 ** self.r.choice([25, 26])) if big else \
            (self.r.uniform(1.0, 9.9) * 10 ** self.r.choice([21, 22, 23, 24]))
        open_weights = self.chance(0.3)
        signatory = self.chance(0.6)
        g = {
            "training_compute_flops": float("%.2e" % flops),
            "commission_designated_systemic": big and self.chance(0.1),
            "open_source_weights_public": open_weights,
            "code_of_practice_signatory": signatory,
            "code_of_practice_chapters": self.r.sample(COP_CHAPTERS, self.r.randint(1, 3)) if signatory else [],
            "respects_rights_reservations": self.chance(0.85),
            "uses_pirated_content": self.chance(0.03),
        }
        d["gpai"] = self.drop_keys(g, 0.03)
        if open_weights:
            d.setdefault("scope", {})["free_open_source"] = True

    # ------------------------------------------------------------- invalid records

    def invalid(self, index):
        d = self.descriptor(index)
        self.r.seed("%d:%d:invalid" % (self.seed, index))
        kind = self.r.choice(["truncated", "trailing_comma", "not_json", "not_object", "wrong_type_bool",
                              "wrong_type_string", "wrong_type_array", "unknown_enum", "bad_date", "missing_id",
                              "null_in_array"])
        if kind == "truncated":
            text = dump(d)
            return text[:self.r.randint(10, len(text) - 2)]
        if kind == "trailing_comma":
            return dump(d)[:-1] + ",}"
        if kind == "not_json":
            return self.r.choice(["id=%s;kind=ai_system" % d["id"], "<system id=\"%s\"/>" % d["id"],
                                  "{'id': '%s'}" % d["id"], "# exported %s" % d["id"], "NaN"])
        if kind == "not_object":
            return self.r.choice([json.dumps([d["id"]]), json.dumps(d["id"]), "42", "true", "null"])
        if kind == "wrong_type_bool":
            d.setdefault("organisation", {})["eu_established"] = self.r.choice(["yes", 1, "true"])
        elif kind == "wrong_type_string":
            d["name"] = self.r.choice([12345, True, {"en": d.get("name", "x")}])
        elif kind == "wrong_type_array":
            d["roles"] = self.r.choice(["provider", {"provider": True}, 3])
        elif kind == "unknown_enum":
            d["kind"] = self.r.choice(["ai-system", "AI_SYSTEM", "expert_system", "agent"])
        elif kind == "bad_date":
            d.setdefault("market", {})["first_placed_on_market"] = self.r.choice(
                ["2026-02-30", "15/01/2028", "2028-1-5", "next year", "2026-13-01"])
        elif kind == "missing_id":
            del d["id"]
        elif kind == "null_in_array":
            d["roles"] = list(d.get("roles", [])) + [None]
        return dump(d)


def dump(obj):
    return json.dumps(obj, ensure_ascii=False, separators=(",", ":"))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--records", "-n", type=int, default=1000, help="number of records (default 1000)")
    parser.add_argument("--seed", type=int, default=20260802, help="random seed (default 20260802)")
    parser.add_argument("--invalid-rate", type=float, default=0.01,
                        help="fraction of deliberately invalid records (default 0.01)")
    parser.add_argument("-o", "--output", help="write to this file instead of standard output")
    args = parser.parse_args()
    if args.records < 0 or not 0.0 <= args.invalid_rate <= 1.0:
        parser.error("--records must be >= 0 and --invalid-rate between 0 and 1")

    gen = Gen(args.seed)
    # Which records are invalid is drawn from its own stream, so that the
    # valid records do not change with the rate.
    pick = random.Random(args.seed ^ 0x5EED)
    out = open(args.output, "w", encoding="utf-8", newline="\n") if args.output else sys.stdout
    total = 0
    invalid = 0
    try:
        for i in range(args.records):
            if pick.random() < args.invalid_rate:
                line = gen.invalid(i)
                invalid += 1
            else:
                line = dump(gen.descriptor(i))
            out.write(line)
            out.write("\n")
            total += len(line.encode("utf-8")) + 1
    finally:
        if args.output:
            out.close()
        else:
            out.flush()
    avg = total / args.records if args.records else 0.0
    print("gen_fleet.py: %d records (%d invalid), %d bytes, %.0f bytes per record on average"
          % (args.records, invalid, total, avg), file=sys.stderr)


if __name__ == "__main__":
    main()
