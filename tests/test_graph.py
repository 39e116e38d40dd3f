"""The model graph: exact nodes and edges of a small model, and its JSON, GraphML and DOT exports."""
from __future__ import annotations

import io
import json
import os
import subprocess
from collections import Counter

import networkx as nx
import pytest

from conftest import FIXTURES, run_cli
from mopsgov.graph import RELATIONS, build_graph, to_dot, to_graphml, to_json
from mopsgov.load.model_loader import load_model

SMALL = FIXTURES / "analysis" / "small"


@pytest.fixture(scope="module")
def graph():
    model, _ = load_model(str(SMALL))
    return build_graph(model)


def test_a_node_per_entity_and_step(graph):
    kinds = Counter(kind for _, kind in graph.nodes(data="kind"))
    assert kinds == {"team": 2, "role": 3, "process": 2, "step": 3, "tool": 9, "data": 4, "flow": 4, "sla": 3, "kpi": 3}
    assert graph.nodes["step:lead-management/route"] == {
        "kind": "step", "id": "lead-management/route", "name": "Route the lead",
        "file": os.path.join(str(SMALL), "work.yaml"), "line": 12}
    assert graph.nodes["tool:crm"]["line"] == 25


def test_an_edge_per_relation(graph):
    rels = Counter(rel for _, _, rel in graph.edges(data="rel"))
    assert rels == {"accountable": 3, "carries": 6, "covers": 3, "fed_by": 5, "flow": 4, "has_step": 3, "holds": 1, "informed": 1,
                    "input": 4, "measured_by": 1, "member_of": 3, "owned_by": 12, "reads": 2, "responsible": 3,
                    "runs_via": 1, "sends_from": 4, "sends_to": 4, "sourced_from": 3, "system_of_record": 4,
                    "used_by": 7, "uses": 4, "writes": 1}
    assert set(rels) <= set(RELATIONS)
    assert sorted(graph.in_edges("tool:crm", keys=True)) == [
        ("data:contact", "tool:crm", "system_of_record:crm"), ("data:opportunity", "tool:crm", "system_of_record:crm"),
        ("flow:crm-to-bi", "tool:crm", "sends_from"), ("flow:crm-to-map", "tool:crm", "sends_from"),
        ("flow:map-to-crm", "tool:crm", "sends_to"), ("step:lead-management/route", "tool:crm", "uses:crm"),
        ("tool:map", "tool:crm", "flow:map-to-crm")]
    # A/R is two letters; the SLA with a step covers the step, not the whole process
    assert sorted(graph.out_edges("role:analyst", keys=True)) == [
        ("role:analyst", "step:lead-management/capture", "responsible"),
        ("role:analyst", "step:reporting/report", "accountable"),
        ("role:analyst", "step:reporting/report", "responsible"),
        ("role:analyst", "team:marketing", "member_of")]
    assert list(graph.successors("sla:lead-routing")) == ["step:lead-management/route", "kpi:mql-volume"]
    # derived: the step and the KPI that read what a flow delivers into their tools, and the flows that
    # pass on what another flow delivers into their source, with the objects it brings
    assert sorted((u, v, a["objects"]) for u, v, a in graph.edges(data=True) if a["rel"] == "fed_by") == [
        ("flow:bi-to-warehouse", "flow:crm-to-bi", "opportunity"), ("flow:map-to-crm", "flow:crm-to-map", "contact"),
        ("kpi:pipeline", "flow:crm-to-bi", "opportunity"), ("step:lead-management/route", "flow:map-to-crm", "lead"),
        ("step:reporting/report", "flow:crm-to-bi", "opportunity")]
    flow = graph.edges["tool:map", "tool:crm", "flow:map-to-crm"]
    assert flow == {"rel": "flow", "flow": "map-to-crm", "objects": "lead,contact", "latency": "hourly"}


def test_unresolved_references_are_left_out(tmp_path):
    (tmp_path / "model.yaml").write_text(
        "tools:\n  - {id: crm, name: CRM, category: crm, lifecycle: active, owner: ghost, user_teams: [nobody]}\n"
        "flows:\n  - {id: f, name: F, from: crm, to: missing, objects: [lead]}\n"
        "processes:\n  - {id: p, name: P, owner: ghost, family: enablement, steps: [{id: s, name: S, raci: {ghost: A}, tools: [crm, 7]}, oops]}\n")
    model, _ = load_model(str(tmp_path))
    graph = build_graph(model)
    assert sorted(graph.nodes) == ["flow:f", "process:p", "step:p/s", "tool:crm"]
    assert sorted(graph.edges(keys=True)) == [("flow:f", "tool:crm", "sends_from"), ("process:p", "step:p/s", "has_step"),
                                             ("step:p/s", "tool:crm", "uses:crm")]


def test_json_export(graph):
    data = json.loads(to_json(graph))
    assert data["name"] == "Small analysis fixture"
    assert len(data["nodes"]) == 33 and len(data["edges"]) == 79
    assert data["nodes"][0] == {"id": "team:marketing", "kind": "team", "name": "Marketing",
                                "file": os.path.join(str(SMALL), "org.yaml"), "line": 2}
    assert {"source": "step:lead-management/route", "target": "tool:crm", "rel": "uses"} in data["edges"]
    assert data["relations"]["uses"] == "uses"


def test_graphml_reads_back(graph):
    back = nx.read_graphml(io.BytesIO(to_graphml(graph).encode("utf-8")), force_multigraph=True)
    assert back.number_of_nodes() == 33 and back.number_of_edges() == 79
    assert back.nodes["tool:crm"]["kind"] == "tool"


def test_dot_escapes_names_and_renders(tmp_path):
    (tmp_path / "model.yaml").write_text(
        'tools:\n  - {id: crm, name: "CRM \\"x\\" <b>\\\\N</b>", category: crm, lifecycle: active}\n')
    model, _ = load_model(str(tmp_path))
    source = to_dot(build_graph(model))
    assert 'label="tool: CRM \\"x\\" <b>\\\\N</b>\\ntool:crm"' in source
    done = subprocess.run(["dot", "-Tsvg"], input=source, capture_output=True, text=True, check=True)
    assert "CRM &quot;x&quot; &lt;b&gt;\\N&lt;/b&gt;" in done.stdout


def test_cli_exports_are_deterministic():
    outputs = set()
    for seed in ("1", "2"):
        done = run_cli("graph", str(SMALL), "--format", "graphml", env={**os.environ, "PYTHONHASHSEED": seed})
        assert done.returncode == 0, done.stderr
        outputs.add(done.stdout)
    assert len(outputs) == 1


def test_cli_writes_the_output_file(tmp_path):
    target = tmp_path / "graph.json"
    done = run_cli("graph", str(SMALL), "--output", str(target))
    assert done.returncode == 0 and done.stdout == ""
    assert len(json.loads(target.read_text())["nodes"]) == 33


def test_cli_missing_model():
    done = run_cli("graph", "no/such/folder")
    assert done.returncode == 2
    assert done.stderr == "mopsgov: no/such/folder: no such file or folder\n"


def test_edges_are_inserted_as_networkx_would(monkeypatch):
    from mopsgov.graph import build

    model, _ = load_model(str(SMALL.parents[2].parent / "examples" / "enterprise"))
    fast = build_graph(model)
    monkeypatch.setattr(build, "_insert", lambda graph, edges: graph.add_edges_from(edges))
    slow = build_graph(model)
    assert list(fast.nodes(data=True)) == list(slow.nodes(data=True))
    assert list(fast.edges(keys=True, data=True)) == list(slow.edges(keys=True, data=True))
    assert list(fast.in_edges(keys=True, data=True)) == list(slow.in_edges(keys=True, data=True))
    assert fast.number_of_edges() == slow.number_of_edges() > 1000
