"""Graph analyses on a small hand-built model where every answer is known exactly.

tests/fixtures/analysis/small: a MAP (map) and a newsletter tool (mailer) for the same team, a CRM
(crm) fed through an iPaaS (ipaas), BI dashboards (bi, stored in the US) and a warehouse behind
them, an unused webinar platform, an enrichment service holding contacts without a DPA. Lead
routing waits on an hourly sync; the pipeline KPI lacks leads in BI.
"""
from __future__ import annotations

import pytest

from conftest import FIXTURES
from mopsgov.analysis import analyze_impact, run_all
from mopsgov.analysis.runner import result
from mopsgov.durations import format_minutes, parse_minutes
from mopsgov.load.model_loader import load_model

SMALL = FIXTURES / "analysis" / "small"


@pytest.fixture(scope="module")
def model():
    return load_model(str(SMALL))[0]


@pytest.fixture(scope="module")
def report(model):
    return run_all(model)


@pytest.mark.parametrize("text, minutes", [
    ("real-time", 0), ("hourly", 60), ("daily", 1440), ("weekly", 10080), ("15 minutes", 15), ("1 minute", 1),
    ("90 seconds", 1.5), ("1 hour", 60), ("4 hours", 240), ("2 days", 2880), ("2 business days", 2880),
    ("1 business day", 1440), ("1 week", 10080), ("0.5 hours", 30), ("5minutes", 5)])
def test_durations(text, minutes):
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("value", ["98%", "soon", "", "5 fortnights", 5, None, ["1 hour"], "-1 hour"])
def test_not_durations(value):
    assert parse_minutes(value) is None


def test_duration_text():
    assert [format_minutes(m) for m in (0, 1, 5, 60, 90, 119, 120, 1440, 2880, 4320)] == [
        "0 minutes", "1 minute", "5 minutes", "60 minutes", "90 minutes", "119 minutes", "2 hours", "24 hours",
        "2 days", "3 days"]


def test_shelfware(report):
    shelf = report.shelfware
    assert [(u.tool.id, u.annual_cost, u.currency, u.renewal) for u in shelf.tools] == [
        ("mailer", 12000, "EUR", "2027-02-28"), ("webinar", 8000, "EUR", None)]
    assert dict(shelf.total) == {"EUR": 20000} and shelf.judged == 8


def test_shelfware_lifecycles_option(model):
    found = result(model, "shelfware", {"lifecycles": ["retired"]})
    assert [u.tool.id for u in found.tools] == ["old-dam"] and dict(found.total) == {"EUR": 0}


def test_redundancy_cluster(report):
    [cluster] = report.redundancy.clusters
    assert [t.id for t in cluster.tools] == ["map", "mailer"] and cluster.keep.id == "map"
    assert cluster.reasons == ("most integrations (2 flows)", "most used in processes (1 step)",
                               "highest seat utilisation (90%)", "owned by mops-lead", "broadest capabilities (4)")
    assert cluster.score == 1.0
    assert cluster.shared_capabilities == ("email-send",) and cluster.teams == ("marketing",)
    assert dict(cluster.at_stake) == {"EUR": 12000} and cluster.renewal == ("2027-02-28", "mailer")
    assert dict(report.redundancy.at_stake) == {"EUR": 12000}
    assert [t.id for t in report.redundancy.not_compared] == ["ipaas", "enrich"]


def test_redundancy_threshold(model):
    # mailer shares 1 of its 1 capability (score 1.0); map and crm share none
    assert result(model, "redundancy", {"min_shared": 2}).clusters == []


def test_redundancy_needs_a_shared_team(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "tools:\n"
        "  - {id: a, name: A, category: crm, lifecycle: active, capabilities: [email-send, forms], user_teams: [t1], annual_cost: 10, currency: EUR}\n"
        "  - {id: b, name: B, category: crm, lifecycle: active, capabilities: [email-send, forms], user_teams: [t2], annual_cost: 20, currency: USD}\n"
        "  - {id: c, name: C, category: crm, lifecycle: active, capabilities: [forms, email-send, sms], user_teams: [t1, t2], annual_cost: 30, currency: USD}\n"
        "  - {id: d, name: D, category: crm, lifecycle: phase-out, capabilities: [email-send], user_teams: [t1]}\n")
    model = load_model(str(tmp_path))[0]
    [cluster] = run_all(model).redundancy.clusters
    # a and b serve different teams but both overlap c, which serves both: one cluster of three
    assert cluster.keep.id == "c" and [t.id for t in cluster.others] == ["a", "b"]
    assert cluster.reasons == ("broadest capabilities (3)",)
    assert dict(cluster.at_stake) == {"EUR": 10, "USD": 20}  # never added across currencies
    assert str(cluster.at_stake) == "10 EUR + 20 USD"
    assert cluster.shared_capabilities == ("email-send", "forms") and cluster.teams == ("t1", "t2")


def test_kpi_computability(report):
    checks = {k.kpi.id: k for k in report.kpi_computability.kpis}
    assert [k.kpi.id for k in report.kpi_computability.not_computable] == ["pipeline", "web-ctr"]
    opportunity, lead = checks["pipeline"].inputs
    assert (opportunity.ok, opportunity.reached, [f.id for f in opportunity.path]) == (True, "bi", ["crm-to-bi"])
    assert (lead.index, lead.systems_of_record) == (1, ("map",))
    hop = lead.missing
    assert (hop.source, hop.target, hop.flow.id) == ("crm", "bi", "crm-to-bi")
    assert hop.text == 'flow "crm-to-bi" (crm -> bi) does not carry lead'
    [mql] = checks["mql-volume"].inputs
    assert mql.ok and mql.reached == "map" and mql.path == ()  # the source is the system of record
    [web] = checks["web-ctr"].inputs
    assert (web.missing.source, web.missing.target, web.missing.flow) == ("map", "bi", None)
    assert web.missing.text == "no flow brings web-event from map to bi"
    assert web.missing.fix == "Add a flow from map to bi carrying web-event, or compute the KPI in map."


def test_kpi_without_system_of_record(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "tools:\n  - {id: bi, name: BI, category: crm, lifecycle: active}\n"
        "data:\n  - {id: spend, name: Spend, classification: internal}\n"
        "kpis:\n  - {id: cost, name: Cost, sources: [bi], inputs: [spend]}\n  - {id: loose, name: Loose}\n")
    found = run_all(load_model(str(tmp_path))[0]).kpi_computability
    [item] = found.kpis[0].inputs
    assert item.missing.text == 'data object "spend" has no system of record to start from'
    assert [k.id for k in found.not_judged] == ["loose"]


def test_sla_feasibility(report):
    checks = {c.sla.id: c for c in report.sla_feasibility.slas}
    routing = checks["lead-routing"]
    assert not routing.feasible
    assert (routing.target_minutes, routing.modelled_minutes) == (5, 60)
    assert routing.numbers() == "5 minutes required, 60 minutes modelled"
    wait = routing.worst
    assert (wait.step, wait.object, wait.origin, wait.tools) == ("route", "lead", "capture", ("map",))
    assert [f.id for f in wait.path] == ["map-to-crm"] and wait.route() == "map-to-crm (hourly)"
    follow = checks["follow-up"]
    assert follow.feasible and (follow.target_minutes, follow.modelled_minutes) == (1440, 60)
    assert [(s.id, why) for s, why in report.sla_feasibility.not_judged] == [
        ("report-uptime", "its target is not a duration")]


def test_sla_path_sum(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "tools:\n" + "".join(f"  - {{id: {t}, name: {t}, category: crm, lifecycle: active}}\n" for t in "abcd") +
        "data:\n  - {id: lead, name: Lead, classification: personal, system_of_record: a}\n"
        "flows:\n"
        "  - {id: ab, name: AB, from: a, to: b, objects: [lead], latency: 15 minutes}\n"
        "  - {id: bc, name: BC, from: b, to: c, objects: [lead], latency: hourly}\n"
        "  - {id: ac, name: AC, from: a, to: c, objects: [lead], latency: daily}\n"
        "  - {id: cd, name: CD, from: c, to: d, objects: [lead], latency: 2 business days}\n"
        "processes:\n  - {id: p, name: P, owner: x, family: enablement, steps: [{id: s, name: S, raci: {}, tools: [d], reads: [lead]}]}\n"
        "slas:\n  - {id: fast, name: Fast, process: p, target: 3 days}\n")
    [check] = run_all(load_model(str(tmp_path))[0]).sla_feasibility.slas
    # fastest route a -> b -> c -> d: 15 + 60 + 2,880 minutes, over a 4,320-minute target
    assert [f.id for f in check.worst.path] == ["ab", "bc", "cd"]
    assert check.modelled_minutes == 2955 and check.feasible


def test_exposure(report):
    exp = report.exposure
    assert exp.allowed_residency == ("eu",) and exp.personal_objects == ["contact", "lead", "web-event"]
    assert exp.reach == {"contact": ["crm", "enrich", "map", "bi", "ipaas"], "lead": ["map", "ipaas", "crm"],
                         "web-event": ["map"]}
    assert [(e.tool.id, e.reason, e.object, e.path, [f.id for f in e.flows], e.without_basis, e.held)
            for e in exp.exposures] == [
        ("enrich", "dpa", "contact", ("enrich",), [], (), True),
        ("bi", "residency", "contact", ("crm", "bi"), ["crm-to-bi"], ("crm-to-bi",), False)]


def test_exposure_through_an_intermediate_tool(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "tools:\n"
        "  - {id: crm, name: CRM, category: crm, lifecycle: active, compliance: {dpa: true, residency: eu}}\n"
        "  - {id: hub, name: Hub, category: crm, lifecycle: active, compliance: {dpa: true, residency: eu}}\n"
        "  - {id: agency, name: Agency, category: crm, lifecycle: active, compliance: {dpa: false, residency: eu}}\n"
        "data:\n  - {id: contact, name: Contact, classification: sensitive-personal, system_of_record: crm}\n"
        "flows:\n"
        "  - {id: to-hub, name: A, from: crm, to: hub, objects: [contact], lawful_basis: consent}\n"
        "  - {id: to-agency, name: B, from: hub, to: agency, objects: [contact]}\n")
    [exposure] = run_all(load_model(str(tmp_path))[0]).exposure.exposures
    assert (exposure.tool.id, exposure.reason, exposure.path) == ("agency", "dpa", ("crm", "hub", "agency"))
    assert [f.id for f in exposure.flows] == ["to-hub", "to-agency"] and exposure.without_basis == ("to-agency",)


def test_flow_structure(report):
    flows = report.flow_structure
    [cycle] = flows.cycles
    assert (cycle.object, cycle.tools, [f.id for f in cycle.flows], cycle.write_back.id) == (
        "contact", ("map", "crm"), ["map-to-crm", "crm-to-map"], "map-to-crm")
    assert [(p.tool.id, p.parts, p.cut_off) for p in flows.cut_points] == [
        ("crm", (("bi", "warehouse"), ("ipaas", "map")), 2), ("bi", (("crm", "ipaas", "map"), ("warehouse",)), 1)]
    assert [(b.ends, [f.id for f in b.flows], b.smaller_side, b.risky) for b in flows.bridges] == [
        (("bi", "crm"), ["crm-to-bi"], 2, True), (("bi", "warehouse"), ["bi-to-warehouse"], 1, False)]
    assert [(c.tool.id, c.integrations) for c in flows.central] == [
        ("crm", 3), ("bi", 2), ("ipaas", 2), ("map", 2), ("warehouse", 1)]


def test_coverage(report):
    dims = report.coverage.dimensions
    assert dims["archetypes"].covered == {"automator": ("mops-lead",), "quantifier": ("analyst",),
                                          "connector": ("mops-lead",)}
    assert len(dims["archetypes"].missing) == 7
    assert dims["platform_groups"].missing == ("intelligence-insights", "operations-management")
    assert dims["landscape_groups"].covered == {
        "content-experience": ("map", "mailer"), "social-relationships": ("crm", "webinar"),
        "data": ("ipaas", "bi", "warehouse", "enrich")}  # the retired DAM does not count
    assert dims["process_families"].covered == {"demand-generation": ("lead-management",),
                                                "performance-measurement": ("reporting",)}
    assert report.coverage.kpi_forms == {"activity": ("mql-volume", "web-ctr"), "outcome": ("pipeline",), "operational": ()}
    assert not report.coverage.outcome_missing


def test_maturity_scorecard(report):
    pillars = report.maturity.pillars
    assert {name: p.level for name, p in pillars.items()} == {
        "people": 2, "process": 3, "technology": 1, "data": 2, "measurement": 2}
    assert report.maturity.overall == 2.0
    assert pillars["process"].reasons == (
        "level 2: 2 processes, each with steps and an owner",
        "level 3: every step of 2 processes has one A and at least one R")
    assert pillars["process"].lift.evidence == "no process in content-creation"
    assert pillars["technology"].reasons == ()
    assert pillars["technology"].lift.evidence == "tools in use without an existing owner: 1 (webinar)"
    assert [e.id for e in pillars["technology"].lift.holding_back] == ["webinar"]
    assert pillars["people"].lift.evidence == (
        "3 of 12 responsibility areas covered; 6 needed (missing: analytics-predictive-modelling, "
        "budgeting-financial-governance, campaign-analysis-reporting, market-competitive-intelligence, "
        "benchmarking-assessment...)")
    assert pillars["data"].lift.evidence == "data objects without an existing owner: 1 (web-event)"
    assert pillars["measurement"].reasons == ("level 2: 3 of 3 KPIs have a formula",)
    assert pillars["measurement"].lift.evidence == "KPIs lacking a formula, unit, target or cadence: 1 (web-ctr)"
    # criteria above an unmet one do not count: technology's "no redundant tools" stays unearned
    assert [c.met for c in pillars["technology"].criteria] == [False, False, False, False]


def test_maturity_of_an_empty_model(tmp_path):
    (tmp_path / "m.yaml").write_text("teams: []\n")
    pillars = run_all(load_model(str(tmp_path))[0]).maturity.pillars
    assert {p.level for p in pillars.values()} == {1}
    assert pillars["people"].lift.evidence == "nothing in the model to judge yet"


def test_impact_of_a_tool(model):
    found = analyze_impact(model, "tool:crm")
    assert [(d.node, d.breaks) for d in found.dependents] == [
        ("process:lead-management", True), ("process:reporting", True),
        ("step:lead-management/route", True), ("step:reporting/report", True),
        ("sla:follow-up", True), ("sla:lead-routing", True), ("sla:report-uptime", True),
        ("kpi:pipeline", True),
        ("flow:bi-to-warehouse", True), ("flow:crm-to-bi", True), ("flow:crm-to-map", True), ("flow:map-to-crm", True),
        ("data:contact", True), ("data:opportunity", True),
        ("role:analyst", False), ("role:mops-lead", False), ("role:sdr", False),
        ("team:marketing", False), ("team:sales", False)]
    chains = {d.node: d.chain() for d in found.dependents}
    assert chains["sla:lead-routing"] == "sla:lead-routing -[covers]-> step:lead-management/route -[uses]-> tool:crm"
    assert chains["kpi:pipeline"] == "kpi:pipeline -[takes as input]-> data:opportunity -[has its system of record in]-> tool:crm"
    assert chains["role:sdr"] == "role:sdr -[is responsible for]-> step:lead-management/route -[uses]-> tool:crm"
    assert chains["role:mops-lead"] == "role:mops-lead <-[is owned by]- tool:crm"


def test_impact_of_a_role(model):
    found = analyze_impact(model, "role:analyst")
    breaking = [d.node for d in found.dependents if d.breaks]
    # its A and R steps break; what it owns is orphaned, and being informed does not spread
    assert breaking == ["process:lead-management", "process:reporting", "step:lead-management/capture",
                        "step:reporting/report", "sla:follow-up", "sla:report-uptime"]
    assert [d.node for d in found.dependents if not d.breaks] == [
        "data:opportunity", "tool:bi", "tool:enrich", "tool:warehouse", "role:mops-lead"]


def test_impact_of_a_process_takes_its_steps(model):
    found = analyze_impact(model, "process:reporting")
    assert [d.node for d in found.dependents] == ["step:reporting/report", "sla:report-uptime", "role:analyst",
                                                  "role:mops-lead"]


def test_results_are_computed_once_per_model(model):
    assert run_all(model) is not run_all(model)  # a new report object...
    assert run_all(model).redundancy is run_all(model).redundancy  # ...over the same memoised results


MALFORMED = """\
teams:
  - {id: t, name: T, type: internal, parent: [x]}
roles:
  - {id: r, name: R, team: {a: 1}, archetypes: automator, responsibilities: [1, null]}
tools:
  - {id: a, name: A, category: crm, lifecycle: active, capabilities: email-send, user_teams: t, annual_cost: lots,
     seats: [1], compliance: yes, contract: {renewal: 2027-13-45}, holds: {x: 1}}
  - {id: b, name: B, category: 7, lifecycle: [active], capabilities: [email-send, {x: 1}], user_teams: [t, [t]]}
  - {id: c, name: C, category: crm, lifecycle: active, user_teams: [t], annual_cost: 1e400, currency: [EUR]}
data:
  - {id: d, name: D, classification: personal, system_of_record: [a, a, zz, 3]}
  - {id: e, name: E, classification: [personal], system_of_record: {x: a}}
flows:
  - {id: f1, name: F, from: a, to: a, objects: [d, d, e], latency: 5 fortnights, via: a}
  - {id: f2, name: F, from: [a], to: c, objects: d}
processes:
  - {id: p, name: P, owner: r, family: [enablement], steps: {id: s}}
  - {id: q, name: Q, owner: r, family: enablement, steps: [{id: s, name: S, raci: [r], tools: a, reads: [d, 5]}, 7]}
slas:
  - {id: s1, name: S, process: q, step: [s], target: 5 minutes}
  - {id: s2, name: S, process: [q], target: {x: 1}, measured_by: k}
kpis:
  - {id: k, name: K, sources: a, inputs: {d: 1}, form: [outcome]}
  - {id: k2, name: K, sources: [a, a], inputs: [d, d, zz]}
goals:
  - {id: g, name: G, kpi: [k], initiatives: [{name: I, role: [r]}, 5]}
"""


def test_malformed_values_never_crash_an_analysis(tmp_path):
    import json

    from conftest import run_cli
    from mopsgov.check import run_check

    (tmp_path / "mopsgov.yaml").write_text('name: W\nas_of: "2026-11-23"\nprivacy: {allowed_residency: eu}\n')
    (tmp_path / "m.yaml").write_text(MALFORMED)
    assert [f for f in run_check(str(tmp_path)).findings if f.rule == "policy.rule-failed"] == []
    for fmt in ("text", "markdown", "json"):
        done = run_cli("analyze", str(tmp_path), "--format", fmt)
        assert done.returncode == 0 and done.stderr == "", done.stderr
    data = json.loads(run_cli("analyze", str(tmp_path), "--format", "json").stdout,
                      parse_constant=lambda name: pytest.fail(f"{name} is not JSON"))
    assert data["shelfware"]["tools"] == [{"tool": "c", "annual_cost": None, "currency": "", "renewal": None, "kpis": []}]
    assert data["kpi_computability"]["kpis"][0]["kpi"] == "k2"
    done = run_cli("impact", str(tmp_path), "tool:a")
    assert done.returncode == 0, done.stderr


def test_impact_of_an_integration_platform_reaches_the_steps_its_flows_feed(model):
    found = analyze_impact(model, "tool:ipaas")
    assert [(d.node, d.breaks) for d in found.dependents] == [
        ("process:lead-management", True), ("step:lead-management/route", True), ("sla:follow-up", True),
        ("sla:lead-routing", True), ("flow:map-to-crm", True), ("role:mops-lead", False), ("role:sdr", False)]
    chains = {d.node: d.chain() for d in found.dependents}
    assert chains["sla:lead-routing"] == (
        "sla:lead-routing -[covers]-> step:lead-management/route -[is fed by]-> flow:map-to-crm -[runs via]-> tool:ipaas")


def test_loop_groups_match_networkx_strongly_connected_components():
    import random

    import networkx as nx

    from mopsgov.analysis.common import FlowEdge
    from mopsgov.analysis.flow_structure import _loop_groups

    rng = random.Random(7)
    for _ in range(300):
        tools = [f"t{i}" for i in range(rng.randint(1, 9))]
        pairs = [(rng.choice(tools), rng.choice(tools)) for _ in range(rng.randint(1, 14))]
        edges = [FlowEdge(None, a, b, None, (), None, i) for i, (a, b) in enumerate(pairs)]
        graph = nx.DiGraph(pairs)
        expected = {frozenset(c) for c in nx.strongly_connected_components(graph)
                    if len(c) > 1 or graph.has_edge(next(iter(c)), next(iter(c)))}
        groups: dict[int, set] = {}
        for tool, number in _loop_groups(edges).items():
            groups.setdefault(number, set()).add(tool)
        assert {frozenset(g) for g in groups.values()} == expected, pairs
