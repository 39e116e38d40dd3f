"""The bundled example models: both check clean, the enterprise one has the promised size and
coverage, and every problem planted in it on purpose is reported where its README says."""
from __future__ import annotations

import subprocess
import sys
import datetime as dt
from collections import Counter
from pathlib import Path

import pytest

from mopsgov.check import run_check
from mopsgov.model import KINDS

ROOT = Path(__file__).resolve().parents[1]
STARTUP = ROOT / "examples" / "startup"
ENTERPRISE = ROOT / "examples" / "enterprise"
PERSONAL = {"personal", "sensitive-personal"}


@pytest.fixture(scope="module")
def startup():
    return run_check(str(STARTUP))


@pytest.fixture(scope="module")
def enterprise():
    return run_check(str(ENTERPRISE))


def kind_counts(result) -> dict[str, int]:
    return {kind: len(result.model.entities[kind]) for kind in KINDS}


@pytest.mark.parametrize("folder", [STARTUP, ENTERPRISE], ids=["startup", "enterprise"])
def test_check_command_exits_zero(folder):
    done = subprocess.run([sys.executable, "-m", "mopsgov", "check", str(folder)], cwd=ROOT,
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "check passed" in done.stdout


@pytest.mark.parametrize("name", ["startup", "enterprise"])
def test_no_errors_and_no_schema_or_reference_findings(name, request):
    result = request.getfixturevalue(name)
    assert result.exit_code == 0
    assert result.counts()["error"] == 0
    assert [f for f in result.findings if f.rule.split(".")[0] in ("schema", "ref", "vocabulary", "yaml")] == []


def test_startup_counts(startup):
    assert kind_counts(startup) == {"team": 9, "role": 12, "process": 8, "tool": 20, "data": 19, "flow": 24,
                                    "sla": 3, "kpi": 12, "goal": 3, "waiver": 0}
    assert len(startup.model.files) == 1
    assert Counter(k.get("form") for k in startup.model.of("kpi")) == {"activity": 3, "outcome": 3, "operational": 6}
    assert startup.model.config["privacy"] == {"allowed_residency": ["eu", "us"]}
    assert str(startup.model.as_of) == "2026-11-23"


def test_enterprise_counts(enterprise):
    assert kind_counts(enterprise) == {"team": 34, "role": 58, "process": 42, "tool": 105, "data": 83, "flow": 198,
                                       "sla": 23, "kpi": 57, "goal": 10, "waiver": 3}
    assert len(enterprise.model.files) == 31
    config = enterprise.model.config
    assert (str(enterprise.model.as_of), config["currency"], config["privacy"]["allowed_residency"]) == (
        "2026-11-23", "EUR", ["eu", "uk"])


def test_enterprise_coverage(enterprise):
    model = enterprise.model
    tools = list(model.of("tool"))
    assert Counter(t.get("platform_group") for t in tools) == {
        "interaction-engagement": 48, "operations-management": 30, "intelligence-insights": 17, "performance-management": 10}
    assert len({t.get("category") for t in tools}) == 49
    assert Counter(p.get("family") for p in model.of("process")) == {
        "demand-generation": 12, "content-creation": 7, "performance-measurement": 6, "data-management": 5,
        "planning-budgeting": 4, "technology-management": 4, "enablement": 4}
    assert Counter(k.get("form") for k in model.of("kpi")) == {"activity": 13, "outcome": 13, "operational": 31}
    assert Counter(t.get("type") for t in model.of("team")) == {"internal": 27, "external": 7}
    assert Counter(t.get("lifecycle") for t in tools) == {"active": 102, "phase-in": 1, "phase-out": 1, "retired": 1}
    assert sum(t.get("annual_cost", 0) for t in tools) == 4521600
    renewals_90 = sorted(t.id for t in tools if "contract" in t.data
                         and (_date(t.data["contract"]["renewal"]) - model.as_of).days <= 90)
    assert renewals_90 == ["cvent", "marketo", "sprout-social"]


def _date(value) -> dt.date:
    return dt.date.fromisoformat(str(value))


def test_enterprise_entities_are_complete(enterprise):
    model = enterprise.model
    for kind in ("tool", "process", "data", "flow", "sla", "kpi", "goal"):
        assert [e.id for e in model.of(kind) if not e.get("owner")] == [], kind
    for role in model.of("role"):
        assert role.get("archetypes") and role.get("responsibilities"), role.id
    steps = [(p.id, s) for p in model.of("process") for s in p.get("steps")]
    assert len(steps) == 168
    assert Counter(len(p.get("steps")) for p in model.of("process")) == {3: 12, 4: 18, 5: 12}
    for process_id, step in steps:
        letters = list(step["raci"].values())
        assert sum(v in ("A", "A/R") for v in letters) == 1, (process_id, step["id"])
        assert any(v in ("R", "A/R") for v in letters), (process_id, step["id"])
        assert step.get("tools") and (step.get("reads") or step.get("writes")), (process_id, step["id"])
    for kpi in model.of("kpi"):
        assert all(kpi.get(f) is not None for f in ("form", "formula", "unit", "direction", "cadence", "target",
                                                  "sources", "inputs")), kpi.id
    for goal in model.of("goal"):
        assert goal.get("kpi") and goal.get("initiatives") and _date(goal.get("deadline")) > model.as_of, goal.id
    for waiver in model.of("waiver"):
        assert _date(waiver.get("expires")) > model.as_of, waiver.id


def test_enterprise_personal_flows_state_a_lawful_basis_except_the_planted_one(enterprise):
    model = enterprise.model
    personal = {d.id for d in model.of("data") if d.get("classification") in PERSONAL}
    missing = [f.id for f in model.of("flow") if set(f.get("objects")) & personal and not f.get("lawful_basis")]
    assert missing == ["cvent-to-marketo"]


# (rule, kind, entity, file under examples/enterprise) of every finding the README promises
PLANTED_SLA = ("sla.feasible", "sla", "inbound-routing-5min", "governance/slas.yaml")
PLANTED = {
    ("stack.shelfware", "tool", "lotame", "stack/intelligence-insights.yaml"),
    ("kpi.computable", "kpi", "event-influenced-pipeline", "measurement/kpis.yaml"),
    ("data.processing-agreement", "flow", "salesforce-to-lusha", "data/flows-lead-management.yaml"),
    ("data.processing-agreement", "flow", "segment-to-upfluence", "data/flows-home.yaml"),
    ("privacy.exposure-dpa", "tool", "upfluence", "stack/interaction-engagement.yaml"),
    ("privacy.exposure-residency", "tool", "drift", "stack/interaction-engagement.yaml"),
    ("data.lawful-basis", "flow", "cvent-to-marketo", "data/flows-events.yaml"),
    PLANTED_SLA,
    ("flow.write-back-cycle", "flow", "hubspot-fenwick-to-salesforce", "data/flows-fenwick.yaml"),
    ("flow.single-point-of-failure", "tool", "workato", "stack/operations-management.yaml"),
    ("stack.redundant-tools", "tool", "zoom-webinars", "stack/interaction-engagement.yaml"),
    ("stack.redundant-tools", "tool", "livestorm", "stack/interaction-engagement.yaml"),
    ("lifecycle.phase-out-in-use", "tool", "hootsuite", "stack/interaction-engagement.yaml"),
    ("contract.notice-window", "tool", "sprout-social", "stack/interaction-engagement.yaml"),
    ("contract.notice-passed", "tool", "cvent", "stack/interaction-engagement.yaml"),
    ("licence.utilisation", "tool", "gong", "stack/intelligence-insights.yaml"),
    ("data.system-of-record", "data", "product-catalogue", "data/objects.yaml"),
    ("raci.accountable-overload", "role", "vp-marketing-ops", "people/roles.yaml"),
}
WAIVED = {
    ("contract.notice-window", "tool", "marketo", "stack/interaction-engagement.yaml"),
    ("licence.utilisation", "tool", "highspot", "stack/interaction-engagement.yaml"),
    ("flow.fragile-link", "flow", "hubspot-fenwick-to-salesforce", "data/flows-fenwick.yaml"),
}


def _key(finding):
    return (finding.rule, finding.kind, finding.entity, Path(finding.location.file).relative_to(ENTERPRISE).as_posix())


def test_enterprise_reports_every_planted_finding(enterprise):
    open_findings = {_key(f) for f in enterprise.findings if f.suppressed_by is None}
    assert PLANTED - open_findings == set()


def test_enterprise_waivers_each_match_a_finding(enterprise):
    waived = {_key(f) for f in enterprise.findings if f.suppressed_by is not None}
    assert waived == WAIVED
    assert [f for f in enterprise.findings if f.rule.startswith("waiver.")] == []


def test_enterprise_planted_numbers(enterprise):
    by_key = {_key(f): f.message for f in enterprise.findings}
    assert "5 minutes required, 60 minutes modelled" in by_key[PLANTED_SLA]
    assert "in 24 days" in by_key[("contract.notice-window", "tool", "sprout-social", "stack/interaction-engagement.yaml")]
    assert "passed 37 days ago" in by_key[("contract.notice-passed", "tool", "cvent", "stack/interaction-engagement.yaml")]
    assert "41 of 160 seats (26%)" in by_key[("licence.utilisation", "tool", "gong", "stack/intelligence-insights.yaml")]
    assert "Accountable for 25 process steps" in by_key[("raci.accountable-overload", "role", "vp-marketing-ops", "people/roles.yaml")]
    assert "42,000 EUR" in by_key[("stack.shelfware", "tool", "lotame", "stack/intelligence-insights.yaml")]


def test_enterprise_coverage_gaps(enterprise):
    gaps = sorted(f.message for f in enterprise.findings if f.rule == "coverage.gap")
    assert gaps == ["11 of 12 responsibility areas are covered; missing: benchmarking-assessment",
                    "9 of 10 value archetypes are covered; missing: social-butterfly"]
