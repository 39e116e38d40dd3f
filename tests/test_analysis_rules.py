"""The analysis rules (policies/builtin/analysis.yaml) through `mopsgov check`, and the analyze and
impact commands, on the small hand-built model."""
from __future__ import annotations

import json
import re
import shutil
import subprocess

from conftest import FIXTURES, run_cli
from mopsgov.check import run_check

SMALL = FIXTURES / "analysis" / "small"
RULES = ("stack.shelfware", "stack.redundant-tools", "kpi.computable", "sla.feasible", "sla.judgeable", "privacy.exposure-dpa",
         "privacy.exposure-residency", "flow.write-back-cycle", "flow.single-point-of-failure", "flow.fragile-link",
         "coverage.gap", "maturity.level")
WHERE = "tests/fixtures/analysis/small/"


def _mine(path) -> list[tuple]:
    result = run_check(str(path))
    return [(str(f.location), f.severity.label, f.rule, f.message) for f in result.findings if f.rule in RULES]


def test_exact_findings():
    assert _mine(SMALL.relative_to(SMALL.parents[3])) == [
        (WHERE + "data.yaml:12:21", "warning", "flow.write-back-cycle",
         'flow "map-to-crm" closes a loop that writes contact back and forth between map and crm (flows map-to-crm, crm-to-map)'),
        (WHERE + "data.yaml:24:5", "info", "flow.fragile-link",
         'flow "crm-to-bi" is the only link between bi and crm; losing it splits off 2 tools'),
        (WHERE + "mopsgov.yaml:1:1", "info", "coverage.gap",
         "2 of 4 platform groups are covered; missing: intelligence-insights, operations-management"),
        (WHERE + "mopsgov.yaml:1:1", "info", "coverage.gap",
         "2 of 7 process families are covered; missing: content-creation, planning-budgeting, data-management, "
         "technology-management, enablement"),
        (WHERE + "mopsgov.yaml:1:1", "info", "coverage.gap",
         "3 of 10 value archetypes are covered; missing: modeler, optimizer, chaos-minimizer, social-butterfly, "
         "customer-conscience, resource-expander, strategic-opportunist"),
        (WHERE + "mopsgov.yaml:1:1", "info", "coverage.gap",
         "3 of 12 responsibility areas are covered; missing: analytics-predictive-modelling, budgeting-financial-governance, "
         "campaign-analysis-reporting, market-competitive-intelligence, benchmarking-assessment, project-management, "
         "strategic-planning, talent-skills-development, workflow-process-development"),
        (WHERE + "stack.yaml:17:19", "warning", "stack.redundant-tools",
         'tool "mailer" overlaps 100% with the tools in cluster map, mailer for team marketing '
         "(shared capabilities: email-send); Marketing automation (map) is the tool to keep"),
        (WHERE + "stack.yaml:21:18", "warning", "stack.shelfware",
         'tool "mailer" is used by no process step and no data flow; its annual cost is 12,000 EUR'),
        (WHERE + "stack.yaml:25:5", "warning", "flow.single-point-of-failure",
         'tool "crm" is a single point of failure: losing it cuts 2 tools off from the rest of the integrations '
         "(ipaas and map)"),
        (WHERE + "stack.yaml:42:5", "warning", "flow.single-point-of-failure",
         'tool "bi" is a single point of failure: losing it cuts 1 tool off from the rest of the integrations '
         "(warehouse)"),
        (WHERE + "stack.yaml:51:40", "error", "privacy.exposure-residency",
         'tool "bi" stores personal data (contact) in us, outside the allowed residency (eu); path: crm -> bi'),
        (WHERE + "stack.yaml:66:18", "warning", "stack.shelfware",
         'tool "webinar" is used by no process step and no data flow; its annual cost is 8,000 EUR'),
        (WHERE + "stack.yaml:76:23", "error", "privacy.exposure-dpa",
         'tool "enrich" holds personal data (contact) without a data processing agreement; path: enrich (it holds the data itself)'),
        (WHERE + "work.yaml:32:13", "warning", "sla.feasible",
         'SLA "lead-routing" cannot be met: 5 minutes required, 60 minutes modelled: lead reaches step route '
         "(from step capture) via map-to-crm (hourly) in 60 minutes"),
        (WHERE + "work.yaml:51:27", "warning", "kpi.computable",
         'KPI "pipeline" cannot be computed: its input lead never reaches its source tools (bi) from its system of '
         'record (map); missing hop: flow "crm-to-bi" (crm -> bi) does not carry lead'),
        (WHERE + "work.yaml:68:14", "warning", "kpi.computable",
         'KPI "web-ctr" cannot be computed: its input web-event never reaches its source tools (bi) from its system of '
         "record (map); missing hop: no flow brings web-event from map to bi"),
    ]


def test_fixes_name_the_change():
    result = run_check(str(SMALL))
    fixes = {(f.rule, f.entity): f.fix for f in result.findings if f.rule in RULES}
    assert fixes[("kpi.computable", "pipeline")] == 'Add lead to the objects of flow "crm-to-bi", if it should carry it.'
    assert fixes[("stack.redundant-tools", "mailer")] == (
        "Consolidate on Marketing automation (map) (system of record of Lead and Web event, most integrations "
        "(2 flows), most used in processes (1 step), highest seat utilisation (90%), broadest capabilities (4)); "
        "the cluster's annual cost at stake is 12,000 EUR, and the nearest renewal is 2027-02-28 (mailer).")
    assert fixes[("sla.feasible", "lead-routing")] == (
        "Speed up the flows on the critical path (map-to-crm), or set a target the integrations can meet.")
    assert ("maturity.level", "webinar") not in fixes  # off unless mopsgov.yaml gives it a severity


def _copy(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(SMALL, target)
    return target


def test_options_and_waivers_from_mopsgov_yaml(tmp_path):
    model = _copy(tmp_path)
    config = model / "mopsgov.yaml"
    config.write_text(config.read_text() + (
        "policies:\n  rules:\n"
        "    stack.redundant-tools: {options: {min_shared: 2}}\n"
        "    coverage.gap: 'off'\n"
        "    sla.feasible: error\n"
        "    maturity.level: {severity: warning, options: {min_level: 3}}\n"))
    (model / "waivers.yaml").write_text(
        "waivers:\n  - {id: enrich-dpa, name: DPA in signature, rule: privacy.exposure-dpa, entity: 'tool:enrich',\n"
        "     reason: The DPA is with legal for signature, approver: mops-lead, expires: '2027-01-31'}\n")
    result = run_check(str(model))
    mine = [f for f in result.findings if f.rule in RULES]
    assert not [f for f in mine if f.rule in ("stack.redundant-tools", "coverage.gap")]
    # pillars below level 3, each at the first entity holding it back (people has none: it lacks areas)
    assert [(str(f.location), f.severity.label, f.message) for f in mine if f.rule == "maturity.level"] == [
        (f"{model}/data.yaml:5:5", "warning", "the data pillar is at maturity level 2 (repeatable)"),
        (f"{model}/stack.yaml:60:5", "warning", "the technology pillar is at maturity level 1 (ad hoc)"),
        (f"{model}/work.yaml:61:5", "warning", "the measurement pillar is at maturity level 2 (repeatable)")]
    [tech] = [f for f in mine if f.rule == "maturity.level" and f.entity == "webinar"]
    assert tech.fix == ("To reach the next level (every tool in use has an owner): "
                        "1 tool in use without an existing owner (webinar)")
    [sla] = [f for f in mine if f.rule == "sla.feasible"]
    assert sla.severity.label == "error"
    [dpa] = [f for f in mine if f.rule == "privacy.exposure-dpa"]
    assert dpa.suppressed_by is not None and "enrich-dpa" in dpa.suppressed_by
    # analyze reads the same options: no redundancy cluster at min_shared 2
    done = run_cli("analyze", str(model), "--format", "json")
    assert json.loads(done.stdout)["redundancy"]["clusters"] == []


def test_analyze_text():
    done = run_cli("analyze", str(SMALL))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Small analysis fixture: analysis as of 2026-11-23"
    at = lines.index("Top risks")
    # mailer is both unused and redundant: its 12,000 EUR counts once, with the 8,000 EUR of the webinar tool
    assert lines[at + 4:at + 14] == [
        "  1   enrich holds personal data (contact) itself and has no data processing agreement",
        "  2   Personal data (contact) reaches bi by crm -> bi; bi stores data outside the allowed residency (us)",
        "  3   Flow crm-to-bi (crm -> bi) moves personal data (contact) without a lawful basis",
        "  4   SLA lead-routing cannot be met: 5 minutes required, 60 minutes modelled, waiting on map-to-crm (hourly)",
        '  5   KPI pipeline cannot be computed: flow "crm-to-bi" (crm -> bi) does not carry lead',
        "  6   KPI web-ctr cannot be computed: no flow brings web-event from map to bi",
        "  7   crm is a single point of failure: losing it cuts 2 tools off",
        "  8   bi is a single point of failure: losing it cuts 1 tool off",
        "  9   20,000 EUR a year is spent on redundant or unused tools (mailer, webinar; each tool counted once)",
        "  10  contact is written back and forth between map and crm"]
    at = lines.index("Personal data without a lawful basis")
    assert lines[at + 2:at + 6] == [
        "1 flow of personal data states no lawful basis (consent, contract, legitimate interest...).",
        "  flow       from  to  personal data", "  crm-to-bi  crm   bi  contact", ""]
    at = lines.index("Flow structure")
    assert lines[at + 4:at + 8] == [
        "  single point of failure  crm        losing it cuts 2 tools off: ipaas and map",
        "  single point of failure  bi         losing it cuts 1 tool off: warehouse",
        "  fragile link             bi - crm   the only link between bi and crm; losing it splits off 2 tools; it is made of "
        "flow crm-to-bi",
        "  write-back cycle         contact    written back and forth between map and crm by flows map-to-crm, crm-to-map"]
    assert not [line for line in lines if "|" in line or "\u2026" in line]
    assert "2 unused tools, 20,000 EUR a year." in lines
    assert "1 cluster; 12,000 EUR a year at stake." in lines
    at = lines.index("SLAs not judged")
    assert lines[at:at + 6] == ["SLAs not judged", "---------------", "1 SLA could not be checked against the flows.",
                                "  SLA            why", "  report-uptime  its target is not a duration", ""]
    at = lines.index("Tools not compared for redundancy")
    assert lines[at + 2:at + 7] == ["2 tools could not be compared with the others.", "  tool    why",
                                    "  ipaas   it lists no user teams", "  enrich  it lists no user teams", ""]


def test_analyze_wraps_long_reasons_between_words():
    enterprise = SMALL.parents[3] / "examples" / "enterprise"
    lines = run_cli("analyze", str(enterprise)).stdout.splitlines()
    at = lines.index("Maturity scorecard")
    assert lines[at + 5:at + 7] == [
        "  process      4 managed     content creation, demand generation and performance measurement are  "
        "half the processes under an SLA measured by a KPI: 19 of 42 processes have an SLA measured by a KPI",
        "                             modelled"]
    assert ("  data         1 ad hoc      -                                                                    "
            "one system of record per data object: 1 data object without exactly one system of record "
            "(product-catalogue)") in lines
    assert ("  single point of failure  hubspot-fenwick            losing it cuts 3 tools off: databox, livestorm and "
            "wordpress-fenwick, each on its own") in lines
    assert not [line for line in lines if "|" in line or "\u2026" in line]


def test_analyze_json_and_markdown():
    data = json.loads(run_cli("analyze", str(SMALL), "--format", "json").stdout)
    assert data["maturity"]["overall"] == 2.0
    assert {k: v["level"] for k, v in data["maturity"]["pillars"].items()} == {
        "people": 2, "process": 3, "technology": 1, "data": 2, "measurement": 2}
    assert data["redundancy"]["clusters"][0]["nearest_renewal"] == {"date": "2027-02-28", "tool": "mailer"}
    routing = data["sla_feasibility"]["slas"][0]
    assert (routing["sla"], routing["verdict"], routing["target_minutes"], routing["modelled_minutes"]) == (
        "lead-routing", "infeasible", 5.0, 60.0)
    assert routing["path"] == [{"step": "route", "object": "lead", "origin": "capture", "to": "crm", "minutes": 60.0, "flows": [
        {"flow": "map-to-crm", "from": "map", "to": "crm", "via": "ipaas", "latency": "hourly", "minutes": 60.0}]}]
    assert data["money_at_stake"] == {"total": {"EUR": 20000.0}, "tools": ["mailer", "webinar"]}
    assert data["exposure"]["personal_flows_without_lawful_basis"] == [
        {"flow": "crm-to-bi", "from": "crm", "to": "bi", "objects": ["contact"]}]
    assert data["redundancy"]["not_compared"] == [{"tool": "ipaas", "why": "it lists no user teams"},
                                                  {"tool": "enrich", "why": "it lists no user teams"}]
    markdown = run_cli("analyze", str(SMALL), "--format", "markdown").stdout
    assert markdown.startswith("# Small analysis fixture: analysis\n")
    assert ("| map | mailer | 100% | email-send | 12,000 EUR | 2027-02-28 mailer | Marketing automation (map): "
            "system of record of Lead and Web event; most integrations (2 flows); most used in processes (1 step); "
            "highest seat utilisation (90%); broadest capabilities (4) |") in markdown.splitlines()


def test_analyze_escapes_model_text_in_markdown(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text('name: "<script>x</script> | *bold*"\nas_of: "2026-11-23"\n')
    markdown = run_cli("analyze", str(tmp_path), "--format", "markdown").stdout
    assert markdown.splitlines()[0] == "# \\<script\\>x\\</script\\> \\| \\*bold\\*: analysis"


def test_impact_json():
    done = run_cli("impact", str(SMALL), "data:lead", "--format", "json")
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert data["entity"] == "data:lead"
    assert {kind: [d["id"] for d in members] for kind, members in data["dependents"].items()} == {
        "process": ["process:lead-management"], "step": ["step:lead-management/route"],
        "sla": ["sla:follow-up", "sla:lead-routing"], "kpi": ["kpi:mql-volume", "kpi:pipeline"],
        "flow": ["flow:map-to-crm"], "role": ["role:mops-lead", "role:sdr"]}
    assert data["dependents"]["sla"][1]["path"] == [
        {"source": "sla:lead-routing", "rel": "covers", "target": "step:lead-management/route"},
        {"source": "step:lead-management/route", "rel": "reads", "target": "data:lead"}]


def test_impact_svg_and_bare_id(tmp_path):
    target = tmp_path / "impact.svg"
    done = run_cli("impact", str(SMALL), "warehouse", "--format", "svg", "--output", str(target))
    assert done.returncode == 0, done.stderr
    svg = target.read_text()
    assert svg.startswith("<?xml") and "Dashboards to warehouse" in svg and "Flows (1)" in svg
    dot = run_cli("impact", str(SMALL), "tool:warehouse", "--format", "dot").stdout
    # the tool itself stands out; its owner and user team, only affected, are dashed
    assert '[label="Data warehouse\\nTool" fillcolor="#e3f1e0" penwidth=2]' in dot
    assert dot.count('style="rounded,dashed"') == 2
    assert subprocess.run(["dot", "-Tsvg"], input=dot, capture_output=True, text=True).returncode == 0


def test_impact_unknown_entity():
    done = run_cli("impact", str(SMALL), "tool:crn")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr == 'mopsgov: "tool:crn" names no entity in the model; did you mean tool:crm?\n'


def test_impact_suggests_a_bare_id():
    done = run_cli("impact", str(SMALL), "warehous")
    assert done.returncode == 2
    assert done.stderr == 'mopsgov: "warehous" names no entity in the model; did you mean tool:warehouse?\n'


def test_impact_text_summary():
    lines = run_cli("impact", str(SMALL), "tool:crm").stdout.splitlines()
    assert lines[:2] == ["tool:crm (CRM): 14 dependents break, 5 more are affected",
                         "Breaks: 2 processes, 2 process steps, 3 SLAs, 1 KPI, 4 flows, 2 data objects"]
    assert lines[3:6] == ["Processes (2)", "  process:lead-management [breaks] Lead management",
                          "    process:lead-management -[has step]-> step:lead-management/route -[uses]-> tool:crm"]


def test_impact_tells_what_breaks_from_what_is_only_affected(tmp_path):
    from test_analysis import IMPACT_MODEL

    (tmp_path / "m.yaml").write_text(IMPACT_MODEL)
    lines = run_cli("impact", str(tmp_path), "tool:ipaas").stdout.splitlines()
    assert lines[0] == "tool:ipaas (iPaaS): 5 dependents break, 1 more are affected"
    at = lines.index("  step:p/route [affected] Route")
    assert lines[at + 1:at + 3] == ["    step:p/route -[is fed by]-> flow:sync -[runs via]-> tool:ipaas",
                                    "    lead still arrives by flow direct"]
    data = json.loads(run_cli("impact", str(tmp_path), "tool:ipaas", "--format", "json").stdout)
    assert [(d["id"], d["impact"], d.get("note")) for d in data["dependents"]["step"]] == [
        ("step:p/report", "breaks", "account no longer arrives in bi"),
        ("step:p/route", "affected", "lead still arrives by flow direct")]
    dot = run_cli("impact", str(tmp_path), "tool:ipaas", "--format", "dot").stdout
    assert ('label="What depends on iPaaS (tool)\\nFilled: breaks. Dashed: affected, still working. '
            'Each box counts all of its kind."') in dot
    [route] = [line for line in dot.splitlines() if "label=Route" in line]
    assert 'style="rounded,dashed"' in route


def test_impact_suggests_entities_by_category_and_name():
    done = run_cli("impact", str(SMALL), "tool:email-marketing")
    assert done.returncode == 2
    assert done.stderr == ('mopsgov: "tool:email-marketing" names no entity in the model; '
                           'did you mean tool:mailer (category email-marketing)?\n')
    done = run_cli("impact", str(SMALL), "Newsletter tool")
    assert done.stderr == 'mopsgov: "Newsletter tool" names no entity in the model; did you mean tool:mailer (Newsletter tool)?\n'
    enterprise = SMALL.parents[3] / "examples" / "enterprise"
    done = run_cli("impact", str(enterprise), "tool:crm")
    assert done.stderr == 'mopsgov: "tool:crm" names no entity in the model; did you mean tool:salesforce (category crm)?\n'


def test_central_tools_break_what_impact_says():
    enterprise = SMALL.parents[3] / "examples" / "enterprise"
    central = json.loads(run_cli("analyze", str(enterprise), "--format", "json").stdout)["flow_structure"]["central"]
    assert [(c["tool"], c["integrations"]) for c in central] == [
        ("fivetran", 46), ("salesforce", 30), ("marketo", 18), ("segment", 16), ("shopify-plus", 11)]
    assert central[1]["breaks"] == {"process": 20, "step": 35, "sla": 14, "kpi": 19, "goal": 7, "flow": 45, "data": 4,
                                    "waiver": 1}
    text = run_cli("analyze", str(enterprise)).stdout
    for item in central:
        impact = json.loads(run_cli("impact", str(enterprise), f"tool:{item['tool']}", "--format", "json").stdout)
        breaking = {kind: n for kind, members in impact["dependents"].items()
                    if (n := sum(1 for d in members if d["impact"] == "breaks"))}
        assert item["breaks"] == breaking, item["tool"]
        summary = run_cli("impact", str(enterprise), f"tool:{item['tool']}").stdout.splitlines()[1]
        assert summary.startswith("Breaks: ")
        assert f"losing it breaks {summary[len('Breaks: '):]}" in text


def test_impact_diagram_summarises_a_big_answer():
    enterprise = SMALL.parents[3] / "examples" / "enterprise"
    dot = run_cli("impact", str(enterprise), "tool:salesforce", "--format", "dot").stdout
    assert run_cli("impact", str(enterprise), "tool:salesforce", "--format", "dot").stdout == dot
    nodes = [line for line in dot.splitlines() if re.match(r"\s*n\d+ \[", line)]
    # 184 dependents: a box per kind counting all of them, the nearest few drawn, the rest counted
    assert len(nodes) == 43 and dot.count(" -> ") == 42
    assert re.findall(r'label="([^"]+ \(\d+\))"', dot) == [
        "Processes (20)", "Process steps (36)", "SLAs (14)", "KPIs (20)", "Goals (7)", "Flows (46)", "Data objects (4)",
        "Roles (32)", "Teams (4)", "Waivers (1)"]
    assert re.findall(r'label="([^"]+)" shape=plaintext', dot) == [
        "\u2026 and 14 more processes", "\u2026 and 29 more process steps", "14 SLAs", "\u2026 and 14 more KPIs", "7 goals",
        "\u2026 and 40 more flows", "\u2026 and 31 more roles", "1 waiver"]
    assert "doublecircle" not in dot
    # a process step can be asked about too
    step = run_cli("impact", str(enterprise), "step:inbound-lead-routing/route", "--format", "dot").stdout
    assert 'label="What depends on Route to the owner by territory, tier and intent stage (process step)' in step
