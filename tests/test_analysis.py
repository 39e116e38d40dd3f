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
from mopsgov.durations import format_minutes, parse_minutes, target_problem
from mopsgov.load.model_loader import load_model

SMALL = FIXTURES / "analysis" / "small"
ENTERPRISE = SMALL.parents[2].parent / "examples" / "enterprise"


@pytest.fixture(scope="module")
def model():
    return load_model(str(SMALL))[0]


@pytest.fixture(scope="module")
def report(model):
    return run_all(model)


@pytest.mark.parametrize("text, minutes", [
    ("real-time", 0), ("hourly", 60), ("daily", 1440), ("weekly", 10080), ("monthly", 43200), ("15 minutes", 15),
    ("1 minute", 1), ("90 seconds", 1.5), ("1 hour", 60), ("4 hours", 240), ("2 days", 2880), ("2 business days", 2880),
    ("1 business day", 1440), ("3 working days", 4320), ("2 calendar days", 2880), ("1 week", 10080), ("2 months", 86400),
    ("0.5 hours", 30), ("5minutes", 5), ("24h", 1440), ("5 min", 5), ("2d", 2880), ("every 15 minutes", 15),
    ("every hour", 60), ("every 2 days", 2880)])
def test_durations(text, minutes):
    assert parse_minutes(text) == minutes


@pytest.mark.parametrize("value", ["98%", "soon", "", "5 fortnights", 5, None, ["1 hour"], "-1 hour", "5 Minutes",
                                   " 5 minutes", "every", "5 m"])
def test_not_durations(value):
    assert parse_minutes(value) is None


@pytest.mark.parametrize("value, problem", [
    ("5 minutes", None), ("24h", None), ("monthly", None), ("3 working days", None), ("98%", None), ("99.5 %", None),
    (5, "has no unit"), ("5", "has no unit"), ("fast", "is neither a duration nor a percentage"),
    ("5 Minutes", 'is not written the way durations are: write "5 minutes"'),
    (" 2  Business Days", 'is not written the way durations are: write "2 business days"'),
    (True, "is neither a duration nor a percentage"), (["5 minutes"], "is neither a duration nor a percentage")])
def test_sla_targets_use_the_duration_grammar(value, problem):
    # the rule sla.target-unit asks this question; a target it accepts is one the SLA analysis can read
    assert target_problem(value) == problem
    assert (problem is None) == (parse_minutes(value) is not None or value in ("98%", "99.5 %"))


def test_the_flow_schema_reads_latencies_with_the_same_grammar():
    import json
    import re

    from conftest import ROOT
    from mopsgov.durations import PATTERN

    schema = json.loads((ROOT / "schemas" / "flow.schema.json").read_text(encoding="utf-8"))
    assert schema["properties"]["latency"]["pattern"] == PATTERN
    for text in ("every 15 minutes", "24h", "monthly", "3 working days", "5 Minutes", "fortnightly", "15 minutes"):
        assert (re.search(PATTERN, text) is not None) == (parse_minutes(text) is not None), text


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
    # only the evidence map leads outright: both tools have an owner, so ownership is no reason
    assert cluster.reasons == ("system of record of Lead and Web event", "most integrations (2 flows)",
                               "most used in processes (1 step)", "highest seat utilisation (90%)",
                               "broadest capabilities (4)")
    assert cluster.score == 1.0
    assert cluster.shared_capabilities == ("email-send",) and cluster.teams == ("marketing",)
    assert dict(cluster.at_stake) == {"EUR": 12000} and cluster.renewal == ("2027-02-28", "mailer")
    assert dict(report.redundancy.at_stake) == {"EUR": 12000}
    assert [(t.id, why) for t, why in report.redundancy.not_compared] == [
        ("ipaas", "it lists no user teams"), ("enrich", "it lists no user teams")]


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
    assert cluster.reasons == ("the only one serving every team that uses them (t1 and t2)", "broadest capabilities (3)")
    assert cluster.uncovered == ()
    assert dict(cluster.at_stake) == {"EUR": 10, "USD": 20}  # never added across currencies
    assert str(cluster.at_stake) == "10 EUR + 20 USD"
    assert cluster.shared_capabilities == ("email-send", "forms") and cluster.teams == ("t1", "t2")


def test_redundancy_keeps_a_tool_every_team_uses(tmp_path):
    from mopsgov.analysis.redundancy import keep_note

    tool = ("  - {{id: {0}, name: {1}, category: events-webinars, lifecycle: active, capabilities: [webinar-hosting],"
            " user_teams: {2}, annual_cost: {3}, currency: EUR}}\n")
    data = "data:\n  - {id: attendee, name: Attendee, classification: personal, system_of_record: big}\n"
    flows = "flows:\n  - {id: f, name: F, from: big, to: big, objects: [attendee]}\n"
    # big has the stronger evidence (system of record, a flow) but only broad serves both teams
    (tmp_path / "m.yaml").write_text("tools:\n" + tool.format("big", "Big", "[events]", 5000)
                                     + tool.format("broad", "Broad", "[events, product]", 9000) + data + flows)
    [cluster] = run_all(load_model(str(tmp_path))[0]).redundancy.clusters
    assert (cluster.keep.id, [t.id for t in cluster.others], dict(cluster.at_stake)) == ("broad", ["big"], {"EUR": 5000})
    assert cluster.reasons == ("the only one serving every team that uses them (events and product)",)
    assert (cluster.uncovered, keep_note(cluster)) == ((), "")
    # when no tool serves every team, the best on evidence is named with the teams it would also have to serve
    (tmp_path / "m.yaml").write_text("tools:\n" + tool.format("big", "Big", "[events, partners]", 5000)
                                     + tool.format("broad", "Broad", "[events, product]", 9000) + data + flows)
    [cluster] = run_all(load_model(str(tmp_path))[0]).redundancy.clusters
    assert (cluster.keep.id, cluster.uncovered) == ("big", ("product",))
    assert cluster.reasons == ("system of record of Attendee", "most integrations (1 flow)")
    assert keep_note(cluster) == ", but no tool of the cluster serves every team: Big (big) would also have to serve product"


def test_redundancy_on_the_enterprise_example_names_the_teams_left_out():
    model = load_model(str(ENTERPRISE))[0]
    [cluster] = run_all(model).redundancy.clusters
    assert [t.id for t in cluster.tools] == ["on24", "livestorm", "zoom-webinars"]
    # on24 serves field-events and demand-gen; the others serve product-marketing and fenwick-marketing
    assert cluster.uncovered == ("product-marketing", "fenwick-marketing")
    assert cluster.reasons == ("system of record of Webinar attendee", "most integrations (3 flows)")
    from mopsgov.check import run_check

    [finding] = [f for f in run_check(str(ENTERPRISE)).findings
                 if f.rule == "stack.redundant-tools" and f.entity == "livestorm"]
    assert finding.message == (
        'tool "livestorm" overlaps 100% with the tools in cluster on24, livestorm, zoom-webinars for team field-events '
        "(shared capabilities: event-registration, webinar-hosting); ON24 (on24) is the tool to keep, but no tool of the "
        "cluster serves every team: ON24 (on24) would also have to serve product-marketing and fenwick-marketing")


def _tools_model(tmp_path, tools: str, extra: str = ""):
    (tmp_path / "m.yaml").write_text("teams:\n  - {id: t, name: T, type: internal}\n"
                                     "roles:\n  - {id: ops, name: Marketing ops lead, team: t}\ntools:\n" + tools + extra)
    return run_all(load_model(str(tmp_path))[0]).redundancy


def test_redundancy_keep_candidate_on_a_tie_is_the_cheaper_one(tmp_path):
    found = _tools_model(tmp_path, "".join(
        f"  - {{id: {i}, name: {name}, category: crm, lifecycle: active, capabilities: [email-send, forms, landing-pages, "
        f"lead-scoring], user_teams: [t], owner: ops, annual_cost: {cost}, currency: EUR}}\n"
        for i, name, cost in (("f", "Mailer F", 12000), ("g", "Mailer G", 8000))))
    [cluster] = found.clusters
    # both have four capabilities and an owner: nothing but the cost tells them apart
    assert cluster.keep.id == "g" and [t.id for t in cluster.others] == ["f"]
    assert cluster.reasons == ("cheapest (8,000 EUR a year, against Mailer F 12,000 EUR)",)
    assert dict(cluster.at_stake) == {"EUR": 12000}


def test_redundancy_keep_candidate_weighs_the_system_of_record(tmp_path):
    found = _tools_model(
        tmp_path,
        "  - {id: webinars, name: Webinar platform, category: events-webinars, lifecycle: active, owner: ops,\n"
        "     capabilities: [webinar-hosting], user_teams: [t], annual_cost: 60000, holds: [attendee]}\n"
        "  - {id: meetings, name: Meeting tool, category: events-webinars, lifecycle: active, owner: ops,\n"
        "     capabilities: [webinar-hosting], user_teams: [t], annual_cost: 9000, seats: {bought: 4, active: 4}}\n",
        "data:\n  - {id: attendee, name: Webinar attendee, classification: personal, system_of_record: webinars}\n")
    [cluster] = found.clusters
    # being where attendees live outweighs the cheaper tool's better seat use
    assert cluster.keep.id == "webinars"
    assert cluster.reasons == ("system of record of Webinar attendee",)


def _all_pairs_clusters(tools: list[dict], min_score: float, min_shared: int) -> set[frozenset]:
    """Redundancy clusters by comparing every pair of tools: the slow definition the analysis must match."""
    import networkx as nx

    graph = nx.Graph()
    for i, first in enumerate(tools):
        for second in tools[i + 1:]:
            if not set(first["user_teams"]) & set(second["user_teams"]):
                continue
            shared = len(set(first["capabilities"]) & set(second["capabilities"]))
            smaller = min(len(set(first["capabilities"])), len(set(second["capabilities"])))
            if shared >= max(1, min_shared) and shared / smaller >= min_score:
                graph.add_edge(first["id"], second["id"])
    return {frozenset(c) for c in nx.connected_components(graph)}


def test_redundancy_matches_comparing_every_pair(tmp_path):
    import json
    import random

    rng = random.Random(11)
    capabilities = ["email-send", "forms", "landing-pages", "lead-scoring", "webinar-hosting", "dashboards", "sms"]
    for case in range(40):
        tools = [{"id": f"t{i}", "name": f"T{i}", "category": "crm", "lifecycle": "active",
                  "capabilities": rng.sample(capabilities, rng.randint(1, 5)),
                  "user_teams": rng.sample(["a", "b", "c"], rng.randint(1, 2))} for i in range(rng.randint(2, 14))]
        options = {"min_score": rng.choice([0.3, 0.5, 0.6, 0.75, 1.0]), "min_shared": rng.choice([1, 2, 3])}
        folder = tmp_path / str(case)
        folder.mkdir()
        (folder / "m.yaml").write_text("tools: " + json.dumps(tools) + "\n")
        found = result(load_model(str(folder))[0], "redundancy", options)
        assert {frozenset(t.id for t in c.tools) for c in found.clusters} == _all_pairs_clusters(
            tools, options["min_score"], options["min_shared"]), (tools, options)


def test_redundancy_indexes_only_the_rarest_capabilities(tmp_path):
    from mopsgov.analysis.redundancy import _needed

    # 300 tools for one team share one common capability and each has two of its own: no pair overlaps enough,
    # and no tool is indexed under the common capability, so no pair is even looked at
    tools = "".join(f"  - {{id: t{i}, name: T{i}, category: crm, lifecycle: active, user_teams: [t], "
                    f"capabilities: [common, own-{i}-a, own-{i}-b]}}\n" for i in range(300))
    found = _tools_model(tmp_path, tools)
    assert (found.clusters, found.checked) == ([], 0)
    # with a second shared capability, each tool is indexed under it: two tools, one candidate pair, one cluster
    found = _tools_model(tmp_path, tools + "".join(
        f"  - {{id: u{i}, name: U{i}, category: crm, lifecycle: active, user_teams: [t], capabilities: [common, rare]}}\n"
        for i in range(2)))
    assert ([[t.id for t in c.tools] for c in found.clusters], found.checked) == ([["u0", "u1"]], 1)
    assert [_needed(n, {"min_score": 0.75, "min_shared": 1}) for n in (1, 2, 3, 4, 8)] == [1, 2, 3, 3, 6]
    assert _needed(3, {"min_score": 1.5, "min_shared": 1}) == 4  # can overlap no larger tool: indexed nowhere


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


def _kpi_input(tmp_path, flows: str):
    """The one input check of KPI k, computed in bi from y (system of record a), over these flows."""
    (tmp_path / "m.yaml").write_text(
        "tools:\n" + "".join(f"  - {{id: {t}, name: {t.upper()}, category: crm, lifecycle: active}}\n"
                             for t in ("a", "b", "c", "bi")) +
        "data:\n  - {id: y, name: Y, classification: internal, system_of_record: a}\n"
        "  - {id: z, name: Z, classification: internal, system_of_record: a}\n"
        "flows:\n" + flows + "kpis:\n  - {id: k, name: K, sources: [bi], inputs: [y]}\n")
    [check] = run_all(load_model(str(tmp_path))[0]).kpi_computability.kpis
    [item] = check.inputs
    return item


AB, CBI = ("  - {id: a-b, name: AB, from: a, to: b, objects: [y], latency: daily}\n",
           "  - {id: c-bi, name: CBI, from: c, to: bi, objects: [y], latency: daily}\n")


def test_kpi_missing_hop_is_found_anywhere_on_the_way(tmp_path):
    # y goes a -> b, and c -> bi would bring it to the source, but the flow b -> c leaves it behind
    hop = _kpi_input(tmp_path, AB + "  - {id: b-c, name: BC, from: b, to: c, objects: [z], latency: daily}\n" + CBI).missing
    assert (hop.source, hop.target, hop.flow.id) == ("b", "c", "b-c")
    assert hop.text == 'flow "b-c" (b -> c) does not carry y'
    assert hop.fix == 'Add y to the objects of flow "b-c", if it should carry it.'


def test_kpi_missing_hop_when_no_flow_joins_the_two_sides(tmp_path):
    hop = _kpi_input(tmp_path, AB + CBI).missing
    assert (hop.source, hop.target, hop.flow) == ("a", "bi", None)
    assert hop.text == "no flow brings y from a (or the tools it reaches: b) to bi (or the tools that send it on there: c)"
    assert hop.fix == "Add a flow from a to bi carrying y, or compute the KPI in a."


def test_sla_feasibility(report):
    checks = {c.sla.id: c for c in report.sla_feasibility.slas}
    routing = checks["lead-routing"]
    assert (routing.verdict, routing.step, routing.target_minutes, routing.modelled_minutes) == ("infeasible", "route", 5, 60)
    assert routing.numbers() == "5 minutes required, 60 minutes modelled"
    [hop] = routing.path
    assert (hop.step, hop.object, hop.origin, hop.into, hop.minutes) == ("route", "lead", "capture", "crm", 60)
    assert [f.id for f in hop.flows] == ["map-to-crm"]
    assert routing.route() == "lead reaches step route (from step capture) via map-to-crm (hourly) in 60 minutes"
    follow = checks["follow-up"]  # the whole process: capture reads nothing, route waits an hour
    assert (follow.verdict, follow.step, follow.target_minutes, follow.modelled_minutes) == ("feasible", "route", 1440, 60)
    assert [(s.id, why) for s, why in report.sla_feasibility.not_judged] == [
        ("report-uptime", "its target is not a duration")]


def _sla_model(tmp_path, flows: str, steps: str, slas: str, tools: str = "abcd"):
    (tmp_path / "m.yaml").write_text(
        "tools:\n" + "".join(f"  - {{id: {t}, name: {t.upper()}, category: crm, lifecycle: active}}\n" for t in tools) +
        "data:\n  - {id: lead, name: Lead, classification: personal, system_of_record: a}\n"
        "  - {id: opp, name: Opportunity, classification: internal, system_of_record: b}\n"
        "flows:\n" + flows + "processes:\n  - {id: p, name: P, owner: x, family: enablement, steps: [" + steps + "]}\n"
        "slas:\n" + slas)
    return run_all(load_model(str(tmp_path))[0]).sla_feasibility


def test_sla_path_sum(tmp_path):
    found = _sla_model(
        tmp_path,
        "  - {id: ab, name: AB, from: a, to: b, objects: [lead], latency: 15 minutes}\n"
        "  - {id: bc, name: BC, from: b, to: c, objects: [lead], latency: hourly}\n"
        "  - {id: ac, name: AC, from: a, to: c, objects: [lead], latency: daily}\n"
        "  - {id: cd, name: CD, from: c, to: d, objects: [lead], latency: 2 business days}\n",
        "{id: s, name: S, raci: {}, tools: [d], reads: [lead]}", "  - {id: fast, name: Fast, process: p, target: 3 days}\n")
    [check] = found.slas
    # fastest route a -> b -> c -> d: 15 + 60 + 2,880 = 2,955 minutes, within the 4,320-minute (3-day) target
    assert [f.id for f in check.flows()] == ["ab", "bc", "cd"]
    assert check.modelled_minutes == 2955 and check.target_minutes == 4320 and check.feasible


def test_sla_waits_add_up_from_step_to_step(tmp_path):
    # s1 waits an hour for the lead and writes the opportunity, which s2 waits a day for: 1,500 minutes in all
    found = _sla_model(
        tmp_path,
        "  - {id: ab, name: AB, from: a, to: b, objects: [lead], latency: hourly}\n"
        "  - {id: bc, name: BC, from: b, to: c, objects: [opp], latency: daily}\n",
        "{id: s1, name: S1, raci: {}, tools: [b], reads: [lead], writes: [opp]}, "
        "{id: s2, name: S2, raci: {}, tools: [c], reads: [opp]}",
        "  - {id: day, name: Within a day, process: p, target: 1 day}\n"
        "  - {id: two, name: Within two days, process: p, target: 2 days}\n"
        "  - {id: second, name: Second step, process: p, step: s2, target: 1 day}\n")
    day, two, second = found.slas
    assert (day.verdict, day.target_minutes, day.modelled_minutes) == ("infeasible", 1440, 1500)
    assert [(h.step, h.object, h.origin, [f.id for f in h.flows], h.minutes) for h in day.path] == [
        ("s1", "lead", None, ["ab"], 60), ("s2", "opp", "s1", ["bc"], 1440)]
    assert day.numbers() == "24 hours required, 25 hours modelled"
    assert day.route() == ("lead reaches step s1 (from its system of record) via ab (hourly) in 60 minutes, "
                           "then opp reaches step s2 (from step s1) via bc (daily) in 24 hours")
    assert (two.verdict, two.modelled_minutes) == ("feasible", 1500)
    # an SLA on one step covers that step: its own wait, from when s1 wrote the opportunity
    assert (second.verdict, second.modelled_minutes, [h.step for h in second.path]) == ("feasible", 1440, ["s2"])


def test_sla_on_a_step_is_its_slowest_wait(tmp_path):
    # s2 waits 15 minutes for the lead and an hour for the opportunity s1 writes after a day's wait:
    # the step's SLA counts the hour, its slowest wait on its own; the process's, the day and the hour
    found = _sla_model(
        tmp_path,
        "  - {id: ab, name: AB, from: a, to: b, objects: [lead], latency: daily}\n"
        "  - {id: ac, name: AC, from: a, to: c, objects: [lead], latency: 15 minutes}\n"
        "  - {id: bc, name: BC, from: b, to: c, objects: [opp], latency: hourly}\n",
        "{id: s1, name: S1, raci: {}, tools: [b], reads: [lead], writes: [opp]}, "
        "{id: s2, name: S2, raci: {}, tools: [c], reads: [lead, opp]}",
        "  - {id: step, name: Step, process: p, step: s2, target: 30 minutes}\n"
        "  - {id: whole, name: Whole, process: p, target: 2 days}\n")
    step, whole = found.slas
    assert [(h.object, h.minutes) for h in step.path] == [("opp", 60)]
    assert (step.verdict, step.modelled_minutes, step.numbers()) == ("infeasible", 60, "30 minutes required, 60 minutes modelled")
    assert (whole.verdict, whole.modelled_minutes, [h.object for h in whole.path]) == ("feasible", 1500, ["lead", "opp"])


def test_sla_steps_wait_for_the_step_before_them(tmp_path):
    # s2 reads data that is there at once, but cannot be ready before s1, which waits a day
    found = _sla_model(
        tmp_path, "  - {id: ab, name: AB, from: a, to: b, objects: [lead], latency: daily}\n",
        "{id: s1, name: S1, raci: {}, tools: [b], reads: [lead]}, {id: s2, name: S2, raci: {}, tools: [a], reads: [lead]}",
        "  - {id: hour, name: Within an hour, process: p, target: 1 hour}\n")
    [check] = found.slas
    assert (check.verdict, check.step, check.modelled_minutes) == ("infeasible", "s2", 1440)
    assert [(h.step, h.minutes) for h in check.path] == [("s1", 1440)]


def test_sla_whose_data_never_arrives_cannot_be_met(tmp_path):
    # the lead reaches b, but the flow from b to c carries only opportunities
    found = _sla_model(
        tmp_path,
        "  - {id: ab, name: AB, from: a, to: b, objects: [lead], latency: real-time}\n"
        "  - {id: bc, name: BC, from: b, to: c, objects: [opp], latency: real-time}\n",
        "{id: route, name: Route, raci: {}, tools: [c], reads: [lead]}",
        "  - {id: fast, name: Fast, process: p, step: route, target: 5 minutes}\n")
    [check] = found.slas
    assert (check.verdict, check.feasible, check.path) == ("infeasible", False, ())
    never = check.never
    assert (never.step, never.object, never.origin, never.missing.flow.id) == ("route", "lead", None, "bc")
    assert check.numbers() == ('5 minutes required, but lead never reaches step route: '
                               'flow "bc" (b -> c) does not carry lead')
    assert found.not_judged == []


@pytest.mark.parametrize("latency, verdict, why", [
    ("", "unknown", "the latency of flow ab is not modelled"),  # no latency written
    ("latency: fortnightly, ", "unknown", "the latency of flow ab is not modelled"),  # not a duration
    ("latency: every 15 minutes, ", "infeasible", None),  # the domain's own phrasing: 15 minutes
    ("latency: real-time, ", "feasible", None)])
def test_sla_behind_a_flow_of_unknown_latency_cannot_be_judged(tmp_path, latency, verdict, why):
    found = _sla_model(
        tmp_path, "  - {id: ab, name: AB, from: a, to: b, objects: [lead], " + latency + "lawful_basis: consent}\n",
        "{id: route, name: Route, raci: {}, tools: [b], reads: [lead]}",
        "  - {id: fast, name: Fast, process: p, target: 5 minutes}\n")
    [check] = found.slas + found.unknown
    assert check.verdict == verdict
    if why:
        assert (check.unmodelled, check.why_unknown()) == (("ab",), why)
        assert [(s.id, reason) for s, reason in found.not_judged] == [("fast", why)]
        assert check.numbers() == "5 minutes required, at least 0 minutes modelled"
    else:
        assert found.not_judged == [] and check.unmodelled == ()


def test_sla_unknown_latency_does_not_matter_when_a_known_route_decides(tmp_path):
    found = _sla_model(
        tmp_path,
        "  - {id: slow, name: Slow, from: a, to: b, objects: [lead], latency: daily}\n"
        "  - {id: mystery, name: Mystery, from: a, to: b, objects: [lead]}\n"
        "  - {id: quick, name: Quick, from: a, to: c, objects: [lead], latency: 5 minutes}\n",
        "{id: s1, name: S1, raci: {}, tools: [b], reads: [lead]}, {id: s2, name: S2, raci: {}, tools: [c], reads: [lead]}",
        "  - {id: one, name: One, process: p, step: s1, target: 2 days}\n"  # even the known daily flow is fast enough
        "  - {id: two, name: Two, process: p, step: s2, target: 10 minutes}\n")  # s2 waits on known flows only
    assert [(c.sla.id, c.verdict, c.modelled_minutes) for c in found.slas] == [("one", "feasible", 1440), ("two", "feasible", 5)]
    assert found.unknown == []


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


def test_exposure_of_a_tool_that_records_no_residency(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text('name: M\nas_of: "2026-11-23"\nprivacy: {allowed_residency: [eu]}\n')
    (tmp_path / "m.yaml").write_text(
        "tools:\n"
        "  - {id: crm, name: CRM, category: crm, lifecycle: active, compliance: {dpa: true, residency: eu}}\n"
        "  - {id: enrich, name: Enrichment, category: crm, lifecycle: active, compliance: {dpa: true}}\n"
        "  - {id: bi, name: BI, category: crm, lifecycle: active}\n"
        "data:\n  - {id: contact, name: Contact, classification: personal, system_of_record: crm}\n"
        "  - {id: budget, name: Budget, classification: internal, system_of_record: crm}\n"
        "flows:\n  - {id: f, name: F, from: crm, to: enrich, objects: [contact], lawful_basis: contract}\n"
        "  - {id: g, name: G, from: crm, to: bi, objects: [budget]}\n")
    found = run_all(load_model(str(tmp_path))[0]).exposure
    # unknown residency is a risk while personal data reaches the tool; bi gets no personal data
    [exposure] = found.exposures
    assert (exposure.tool.id, exposure.reason, exposure.residency, exposure.path) == ("enrich", "residency", None, ("crm", "enrich"))
    assert exposure.detail == "records no residency, so its data may be stored anywhere"


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
    assert pillars["technology"].lift.evidence == "1 tool in use without an existing owner (webinar)"
    assert [e.id for e in pillars["technology"].lift.holding_back] == ["webinar"]
    assert pillars["people"].lift.evidence == (
        "3 of 12 responsibility areas covered; 6 needed (missing: analytics-predictive-modelling, "
        "budgeting-financial-governance, campaign-analysis-reporting, market-competitive-intelligence, "
        "benchmarking-assessment...)")
    assert pillars["data"].lift.evidence == "1 data object without an existing owner (web-event)"
    assert pillars["measurement"].reasons == ("level 2: 3 of 3 KPIs have a formula",)
    assert pillars["measurement"].lift.evidence == "1 KPI lacking a formula, unit, target or cadence (web-ctr)"
    # criteria above an unmet one do not count: technology's "no redundant tools" stays unearned
    assert [c.met for c in pillars["technology"].criteria] == [False, False, False, False]


def test_maturity_counts_kpis_computable_only_when_they_were_checked(tmp_path):
    (tmp_path / "m.yaml").write_text(
        "tools:\n  - {id: bi, name: BI, category: crm, lifecycle: active}\n"
        "data:\n  - {id: deal, name: Deal, classification: internal, system_of_record: bi}\n"
        "kpis:\n"
        "  - {id: pipeline, name: Pipeline, form: outcome, formula: sum, unit: EUR, target: 1, cadence: monthly,"
        " sources: [bi], inputs: [deal]}\n"
        "  - {id: revenue, name: Revenue, form: outcome, formula: sum, unit: EUR, target: 1, cadence: monthly}\n")
    model = load_model(str(tmp_path))[0]
    measurement = run_all(model).maturity.pillars["measurement"]
    four = measurement.criteria[2]
    assert (measurement.level, four.met) == (3, False)
    assert four.evidence == "outcome KPIs are measured; 1 KPI names no sources or inputs, so cannot be checked (revenue)"
    assert [k.id for k in four.holding_back] == ["revenue"]
    (tmp_path / "m.yaml").write_text((tmp_path / "m.yaml").read_text().replace(
        "cadence: monthly}", "cadence: monthly, sources: [bi], inputs: [deal]}"))
    four = run_all(load_model(str(tmp_path))[0]).maturity.pillars["measurement"].criteria[2]
    assert (four.met, four.evidence) == (True, "outcome KPIs are measured; each of the 2 KPIs can be computed")


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


IMPACT_MODEL = """\
tools:
  - {id: map, name: MAP, category: marketing-automation, lifecycle: active}
  - {id: crm, name: CRM, category: crm, lifecycle: active}
  - {id: ipaas, name: iPaaS, category: ipaas-integration, lifecycle: active}
  - {id: bi, name: BI, category: dashboards-visualisation, lifecycle: active}
data:
  - {id: lead, name: Lead, classification: personal, system_of_record: map}
  - {id: account, name: Account, classification: internal, system_of_record: crm}
flows:
  - {id: sync, name: Sync, from: map, to: crm, via: ipaas, objects: [lead, account], latency: hourly}
  - {id: direct, name: Direct, from: map, to: crm, objects: [lead], latency: real-time}
  - {id: to-bi, name: To BI, from: crm, to: bi, via: ipaas, objects: [account], latency: daily}
processes:
  - id: p
    name: P
    steps:
      - {id: route, name: Route, tools: [crm], reads: [lead, account]}
      - {id: report, name: Report, tools: [bi], reads: [account]}
slas:
  - {id: fast, name: Fast routing, process: p, step: route, target: 5 minutes}
  - {id: daily, name: Daily report, process: p, step: report, target: 2 days}
"""


def test_impact_breaks_only_what_loses_its_last_delivery(tmp_path):
    from mopsgov.graph import build_graph

    (tmp_path / "m.yaml").write_text(IMPACT_MODEL)
    model = load_model(str(tmp_path))[0]
    graph = build_graph(model)
    # the account is read in crm, its system of record: no flow feeds route with it
    assert sorted((u, v, a["objects"]) for u, v, a in graph.edges(data=True) if a["rel"] == "fed_by") == [
        ("step:p/report", "flow:to-bi", "account"), ("step:p/route", "flow:direct", "lead"),
        ("step:p/route", "flow:sync", "lead")]
    found = analyze_impact(model, "tool:ipaas", graph)
    assert [(d.node, d.breaks, d.note) for d in found.dependents] == [
        ("process:p", True, ""), ("step:p/report", True, "account no longer arrives in bi"),
        ("step:p/route", False, "lead still arrives by flow direct"),
        ("sla:daily", True, ""), ("flow:sync", True, ""), ("flow:to-bi", True, "")]
    found = analyze_impact(model, "flow:direct", graph)
    assert [(d.node, d.breaks, d.note) for d in found.dependents] == [
        ("step:p/route", False, "lead still arrives by flow sync")]
    # when the direct flow runs through the iPaaS too, nothing brings the lead to route without it
    (tmp_path / "m.yaml").write_text(IMPACT_MODEL.replace("objects: [lead], latency: real-time", "via: ipaas, objects: [lead]"))
    model = load_model(str(tmp_path))[0]
    route = next(d for d in analyze_impact(model, "tool:ipaas").dependents if d.node == "step:p/route")
    assert (route.breaks, route.note) == (True, "lead no longer arrives in crm")
    assert route.chain() == "step:p/route -[is fed by]-> flow:sync -[runs via]-> tool:ipaas"


UPSTREAM_MODEL = """\
tools:
  - {id: intent, name: Intent, category: abm, lifecycle: active}
  - {id: crm, name: CRM, category: crm, lifecycle: active}
  - {id: router, name: Router, category: sales-automation, lifecycle: active}
  - {id: bi, name: BI, category: dashboards-visualisation, lifecycle: active}
data:
  - {id: signal, name: Intent signal, classification: confidential, system_of_record: intent}
  - {id: lead, name: Lead, classification: personal, system_of_record: crm}
flows:
  - {id: intent-to-crm, name: Intent to CRM, from: intent, to: crm, objects: [signal], latency: hourly}
  - {id: crm-to-router, name: CRM to router, from: crm, to: router, objects: [lead, signal], latency: real-time}
  - {id: router-to-crm, name: Router back to CRM, from: router, to: crm, objects: [signal], latency: real-time}
  - {id: intent-to-bi, name: Intent to BI, from: intent, to: bi, objects: [signal], latency: daily}
processes:
  - id: p
    name: P
    steps:
      - {id: route, name: Route, tools: [router], reads: [lead, signal]}
      - {id: score, name: Score, tools: [crm], reads: [signal]}
  - id: q
    name: Q
    steps:
      - {id: match, name: Match, tools: [router], reads: [lead]}
slas:
  - {id: fast, name: Fast routing, process: p, step: route, target: 5 minutes}
kpis:
  - {id: routed, name: Routed on intent, sources: [router], inputs: [signal]}
  - {id: intent-report, name: Intent report, sources: [crm, bi], inputs: [signal]}
goals:
  - {id: g, name: More routed on intent, kpi: routed}
"""


def test_impact_follows_data_through_the_flows_that_pass_it_on(tmp_path):
    from mopsgov.graph import build_graph

    (tmp_path / "m.yaml").write_text(UPSTREAM_MODEL)
    model = load_model(str(tmp_path))[0]
    graph = build_graph(model)
    # a flow is fed by the flows that bring what it carries into its source tool
    assert sorted((u, v, a["objects"]) for u, v, a in graph.edges(data=True) if a["rel"] == "fed_by") == [
        ("flow:crm-to-router", "flow:intent-to-crm", "signal"), ("flow:crm-to-router", "flow:router-to-crm", "signal"),
        ("flow:router-to-crm", "flow:crm-to-router", "signal"),
        ("kpi:intent-report", "flow:intent-to-bi", "signal"), ("kpi:intent-report", "flow:intent-to-crm", "signal"),
        ("kpi:intent-report", "flow:router-to-crm", "signal"), ("kpi:routed", "flow:crm-to-router", "signal"),
        ("step:p/route", "flow:crm-to-router", "lead,signal"), ("step:p/score", "flow:intent-to-crm", "signal"),
        ("step:p/score", "flow:router-to-crm", "signal"), ("step:q/match", "flow:crm-to-router", "lead")]
    # without the intent flow into the CRM the signal reaches neither the CRM nor the router: the loop
    # between them does not keep it alive; the lead still travels, so match is untouched
    found = analyze_impact(model, "flow:intent-to-crm", graph)
    assert [(d.node, d.breaks, d.note) for d in found.dependents] == [
        ("process:p", True, ""),
        ("step:p/route", True, "signal no longer arrives in router"),
        ("step:p/score", True, "signal no longer arrives in crm"),
        ("sla:fast", True, ""),
        ("kpi:routed", True, "signal no longer arrives in router"),
        ("kpi:intent-report", False, "signal still arrives by flow intent-to-bi"),
        ("goal:g", True, ""),
        ("flow:router-to-crm", True, "signal no longer reaches router, so this flow cannot pass it on"),
        ("flow:crm-to-router", False, "signal no longer reaches crm, so this flow cannot pass it on")]
    chains = {d.node: d.chain() for d in found.dependents}
    assert chains["sla:fast"] == ("sla:fast -[covers]-> step:p/route -[is fed by]-> flow:crm-to-router "
                                  "-[is fed by]-> flow:intent-to-crm")
    assert chains["flow:router-to-crm"] == ("flow:router-to-crm -[is fed by]-> flow:crm-to-router "
                                            "-[is fed by]-> flow:intent-to-crm")
    # the write-back flow is not what brings the signal: losing it only affects who also read it from there
    found = analyze_impact(model, "flow:router-to-crm", graph)
    assert [(d.node, d.breaks, d.note) for d in found.dependents] == [
        ("step:p/score", False, "signal still arrives by flow intent-to-crm"),
        ("kpi:intent-report", False, "signal still arrives by flows intent-to-crm, intent-to-bi")]


def test_impact_of_the_enterprise_intent_batch_reaches_lead_routing():
    model = load_model(str(ENTERPRISE))[0]
    found = analyze_impact(model, "flow:sixsense-to-salesforce")
    assert [(d.node, d.breaks) for d in found.dependents] == [
        ("process:inbound-lead-routing", True), ("step:inbound-lead-routing/route", True),
        ("step:propensity-modelling/features", False), ("sla:inbound-routing-5min", True),
        ("flow:salesforce-activity-to-snowflake", False), ("flow:salesforce-to-leandata", False),
        ("role:abm-manager", False), ("role:marketing-ops-manager", False), ("role:sales-ops-manager", False),
        ("role:sdr-manager", False)]
    notes = {d.node: d.note for d in found.dependents if d.note}
    assert notes == {
        "step:inbound-lead-routing/route": "intent-signal no longer arrives in leandata or salesforce",
        "step:propensity-modelling/features": "intent-signal still arrives by flow sixsense-to-snowflake",
        "flow:salesforce-activity-to-snowflake": "intent-signal no longer reaches salesforce, so this flow cannot pass it on",
        "flow:salesforce-to-leandata": "intent-signal no longer reaches salesforce, so this flow cannot pass it on"}


def test_groups_cut_off_in_words():
    from mopsgov.analysis.common import cut_off_groups

    assert cut_off_groups([("ipaas", "map")]) == "ipaas and map"
    assert cut_off_groups([("databox",), ("livestorm",), ("wordpress",)]) == "databox, livestorm and wordpress, each on its own"
    assert cut_off_groups([("a", "b"), ("c",)]) == "a and b together; c on its own"
    assert cut_off_groups([("a", "b", "...")]) == "a, b and more"


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
