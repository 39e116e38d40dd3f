"""A 400-tool model: the site is built within the time budget and big diagrams are split."""
from __future__ import annotations

import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
import yaml

from mopsgov.check import run_check
from mopsgov.render.diagrams import dataflow, impact, raci, stack
from mopsgov.render.schema_text import vocabulary_values
from mopsgov.render.site import build_site

TOOLS, ROLES, PROCESSES, FLOWS = 400, 60, 40, 300
BUDGET_SECONDS = 10


def write_big_model(folder: Path) -> None:
    groups = vocabulary_values("platform-group")
    categories = ["crm", "marketing-automation", "email-marketing", "cdp", "dashboards-visualisation", "projects-workflow",
                  "dam-mrm-pim", "events-webinars", "abm", "seo", "cms-web-experience", "ipaas-integration"]
    teams = [{"id": f"team-{t}", "name": f"Team {t}", "type": "internal"} for t in range(10)]
    roles = [{"id": f"role-{r}", "name": f"Role {r}", "team": f"team-{r % 10}", "fte": 1} for r in range(ROLES)]
    tools = [{"id": f"tool-{t}", "name": f"Tool {t}", "category": categories[t % len(categories)],
              "platform_group": groups[t % len(groups)], "owner": f"role-{t % ROLES}", "lifecycle": "active",
              "annual_cost": 1000 + t, "currency": "EUR", "holds": ["contact"]} for t in range(TOOLS)]
    processes = [{"id": f"process-{p}", "name": f"Process {p}", "owner": f"role-{p % ROLES}", "family": "demand-generation",
                  "steps": [{"id": f"s{s}", "name": f"Step {s}", "raci": {f"role-{(p + s) % ROLES}": "A", f"role-{(p + s + 1) % ROLES}": "R"},
                             "tools": [f"tool-{(p * 10 + s) % TOOLS}"]} for s in range(6)]} for p in range(PROCESSES)]
    data = [{"id": "contact", "name": "Contact", "classification": "personal", "system_of_record": "tool-0"}]
    flows = [{"id": f"flow-{f}", "name": f"Flow {f}", "from": f"tool-{f % TOOLS}", "to": f"tool-{(f * 7 + 1) % TOOLS}",
              "objects": ["contact"], "latency": "daily", "mechanism": "api", "lawful_basis": "consent"} for f in range(FLOWS)]
    folder.mkdir()
    (folder / "mopsgov.yaml").write_text('name: Big\nas_of: "2026-11-23"\n')
    (folder / "model.yaml").write_text(yaml.safe_dump({"teams": teams, "roles": roles, "tools": tools, "processes": processes,
                                                       "data": data, "flows": flows}))


@pytest.fixture(scope="module")
def big(tmp_path_factory):
    folder = tmp_path_factory.mktemp("big") / "model"
    write_big_model(folder)
    return run_check(str(folder))


def test_big_site_within_budget(big):
    start = time.perf_counter()
    site = build_site(big)
    elapsed = time.perf_counter() - start
    assert elapsed < BUDGET_SECONDS, f"{elapsed:.1f} s"
    assert sum(1 for n in site.files if n.startswith("tool-")) == TOOLS
    for name, content in site.files.items():
        if name.endswith(".svg"):
            ET.fromstring(content)


def test_big_diagrams_are_split_under_the_node_limit(big):
    model = big.model
    parts = stack.build(model)
    assert [p.name for p in parts] == ["stack", "stack-1", "stack-2", "stack-3", "stack-4"]
    assert [p.nodes for p in parts] == [12, 100, 100, 100, 100]
    flows = dataflow.build(model)
    assert flows[0].name == "dataflow" and flows[0].nodes == 4
    # 300 flows: each once, from its source's platform group, at most 45 a diagram (75 a group: 2 parts)
    assert [p.name for p in flows[1:]] == [f"dataflow-{g}-{part}" for g in range(1, 5) for part in (1, 2)]
    assert all(p.nodes <= 150 for p in flows)
    people = raci.build(model)
    # ten teams of six roles with 28 arrows each: two teams would pass 45 arrows, so one a diagram
    assert [p.name for p in people] == [f"raci-{n}" for n in range(1, 11)]
    assert [p.title for p in people] == [f"Accountable (bold) and Responsible \u2014 Team {n}" for n in range(10)]
    assert [(p.nodes, p.source.count(" -> ")) for p in people] == [(34, 28)] * 10
    # what depends on tool-0 (the system of record of the contacts all 300 flows carry): the
    # closest six flows drawn, the other 294 summarised in their kind's box
    drawn = impact.build(model, model.get("tool", "tool-0"))[0]
    assert drawn.nodes == 13
    assert 'label="Flows (300)"' in drawn.source and 'label="… and 294 more flows" shape=plaintext' in drawn.source


def test_a_team_too_big_for_one_diagram_is_split_into_its_teams(tmp_path):
    """One top-level team of 40 roles in four sub-teams: drawn a sub-team or two at a time, each
    diagram under the role and arrow limits, its title naming the parent team."""
    folder = tmp_path / "model"
    folder.mkdir()
    teams = [{"id": "marketing", "name": "Marketing", "type": "internal"}] + [
        {"id": f"sub-{t}", "name": f"Sub {t}", "type": "internal", "parent": "marketing"} for t in range(4)]
    roles = [{"id": f"role-{r}", "name": f"Role {r}", "team": f"sub-{r % 4}", "fte": 1} for r in range(40)]
    processes = [{"id": f"process-{p}", "name": f"Process {p}", "owner": f"role-{p}", "family": "demand-generation",
                  "steps": [{"id": "s", "name": "Step", "raci": {f"role-{p}": "A/R"}}]} for p in range(40)]
    (folder / "mopsgov.yaml").write_text('name: Big team\nas_of: "2026-11-23"\n')
    (folder / "model.yaml").write_text(yaml.safe_dump({"teams": teams, "roles": roles, "processes": processes}))
    parts = raci.build(run_check(str(folder)).model)
    assert [p.title for p in parts] == ["Accountable (bold) and Responsible \u2014 Marketing: Sub 0",
                                        "Accountable (bold) and Responsible \u2014 Marketing: Sub 1",
                                        "Accountable (bold) and Responsible \u2014 Marketing: Sub 2",
                                        "Accountable (bold) and Responsible \u2014 Marketing: Sub 3"]
    assert all(p.source.count(" -> ") <= raci.EDGES_PER_DIAGRAM for p in parts)
    assert [p.nodes for p in parts] == [20] * 4
