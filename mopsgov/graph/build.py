"""The operating model as one typed graph: a node per entity, an edge per relation.

Nodes are named `kind:id` (`tool:crm`, `role:mops-lead`); process steps get nodes of their own,
`step:<process>/<step>`, because RACI letters, tools and data objects hang off steps. Every node
carries `kind`, `id`, `name`, `file` and `line`. Every edge carries `rel`, one of `RELATIONS`, and
points from the entity where the relation is written to the entity it names (a step `uses` a
tool: `step:... -> tool:crm`). A flow appears twice: as a `flow:` node linked to its tools and
objects, and as a `flow` edge from tool to tool carrying its objects, so the integration graph is
the subgraph of `flow` edges. One relation is derived rather than written: a step or KPI is
`fed_by` each flow that delivers an object it reads into a tool it uses (the edge's `objects`),
unless one of its tools is that object's system of record: the data is there already. A flow is
likewise `fed_by` the flows that bring what it carries into its source tool: a flow can only pass
on data that reaches it.

Values that are not well-formed (a reference to a missing entity, a list where a name belongs)
are left out: validation reports them, and the graph only holds what resolves.
"""
from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

from mopsgov.gc_pause import paused_gc
from mopsgov.model import Entity, Model
from mopsgov.fields import raci, strings

# How impact travels along an edge; see mopsgov.analysis.impact.
DEPENDS_ON_TARGET = "source depends on target"  # the source breaks when the target goes
TARGET_DEPENDS = "target depends on source"  # the target breaks when the source goes
SOURCE_AFFECTED = "source affected"  # the source is told, nothing more breaks through it
TARGET_AFFECTED = "target affected"
PART_OF_START = "target is part of source"  # the parts of the entity being retired go with it


@dataclass(frozen=True, slots=True)
class Relation:
    text: str  # reads between the two nodes: `step "x" uses tool "crm"`
    impact: tuple[str, ...] = ()


RELATIONS: dict[str, Relation] = {
    "member_of": Relation("is a member of", (DEPENDS_ON_TARGET,)),
    "part_of": Relation("is part of", (DEPENDS_ON_TARGET,)),
    "reports_to": Relation("reports to", (SOURCE_AFFECTED,)),
    # an entity whose owner leaves is orphaned, not broken: both sides are told, nothing spreads
    "owned_by": Relation("is owned by", (SOURCE_AFFECTED, TARGET_AFFECTED)),
    "has_step": Relation("has step", (DEPENDS_ON_TARGET, PART_OF_START)),
    "accountable": Relation("is accountable for", (TARGET_DEPENDS, SOURCE_AFFECTED)),
    "responsible": Relation("is responsible for", (TARGET_DEPENDS, SOURCE_AFFECTED)),
    "consulted": Relation("is consulted on", (SOURCE_AFFECTED,)),
    "informed": Relation("is informed of", (SOURCE_AFFECTED,)),
    "uses": Relation("uses", (DEPENDS_ON_TARGET,)),
    "reads": Relation("reads", (DEPENDS_ON_TARGET,)),
    "writes": Relation("writes", ()),
    "sends_from": Relation("sends from", (DEPENDS_ON_TARGET,)),
    "sends_to": Relation("sends to", (DEPENDS_ON_TARGET,)),
    "runs_via": Relation("runs via", (DEPENDS_ON_TARGET,)),
    "carries": Relation("carries", (DEPENDS_ON_TARGET,)),
    "flow": Relation("sends data to", ()),
    # derived: a step, KPI or flow needs the flows that bring the objects it reads or passes on into
    # its tools; it breaks when every flow bringing one of those objects goes, and is affected while one remains
    "fed_by": Relation("is fed by", (DEPENDS_ON_TARGET,)),
    "system_of_record": Relation("has its system of record in", (DEPENDS_ON_TARGET,)),
    "holds": Relation("holds", ()),
    "used_by": Relation("is used by", (TARGET_AFFECTED,)),
    "sourced_from": Relation("is computed in", (DEPENDS_ON_TARGET,)),
    "input": Relation("takes as input", (DEPENDS_ON_TARGET,)),
    "covers": Relation("covers", (DEPENDS_ON_TARGET,)),
    "measured_by": Relation("is measured by", (DEPENDS_ON_TARGET,)),
    "provided_by": Relation("is provided by", (DEPENDS_ON_TARGET,)),
    "consumed_by": Relation("is owed to", (DEPENDS_ON_TARGET,)),
    "escalates_to": Relation("escalates to", (SOURCE_AFFECTED,)),
    "initiative_by": Relation("has an initiative by", (SOURCE_AFFECTED,)),
    "approved_by": Relation("is approved by", (SOURCE_AFFECTED,)),
    "waives": Relation("waives a rule for", (DEPENDS_ON_TARGET,)),
}

_RACI = {"R": ("responsible",), "A": ("accountable",), "A/R": ("accountable", "responsible"),
         "C": ("consulted",), "I": ("informed",)}


def step_node(process_id: str, step_id: str) -> str:
    return f"step:{process_id}/{step_id}"


class _Builder:
    def __init__(self, model: Model):
        self.model = model
        self.graph = nx.MultiDiGraph(name=model.name)
        self.edges: list[tuple[str, str, str, dict]] = []

    def node(self, entity: Entity) -> str:
        name = entity.ref
        loc = entity.location()
        self.graph.add_node(name, kind=entity.kind, id=entity.id, name=entity.name, file=loc.file, line=loc.line)
        return name

    def link(self, source: str, kind: str, target_id, rel: str, key: str = "", **attrs) -> None:
        """An edge to the entity `kind:target_id`, when that entity exists (the hot loop of a big model)."""
        if isinstance(target_id, str) and target_id in self.model.entities[kind]:
            self.edges.append((source, f"{kind}:{target_id}", key or rel, {"rel": rel, **attrs}))

    def build(self) -> nx.MultiDiGraph:
        for kind in self.model.entities:
            for entity in self.model.of(kind):
                self.node(entity)
        for kind in self.model.entities:
            for entity in self.model.of(kind):
                getattr(self, f"_{kind}")(entity)
        self._fed_by()
        _insert(self.graph, self.edges)
        return self.graph

    def edge(self, source: str, target: str, key: str, **attrs) -> None:
        self.edges.append((source, target, key, attrs))

    def _fed_by(self) -> None:
        """Steps and KPIs depend on the flows that deliver what they read into the tools they use, and
        flows on the flows that deliver what they carry into their source."""
        delivering: dict[tuple[str, str], list[str]] = {}  # (tool, object) -> flow ids
        tools = self.model.entities["tool"]
        self.recorded = {(tool, data.id) for data in self.model.of("data") for tool in strings(data.get("system_of_record"))}
        wired = [flow for flow in self.model.of("flow")
                 if all(isinstance(end, str) and end in tools for end in (flow.get("from"), flow.get("to")))]
        for flow in wired:
            for obj in dict.fromkeys(strings(flow.get("objects"))):
                delivering.setdefault((flow.get("to"), obj), []).append(flow.id)
        if not delivering:
            return
        for process in self.model.of("process"):
            for step in process.get("steps") if isinstance(process.get("steps"), list) else []:
                if isinstance(step, dict) and isinstance(step.get("id"), str):
                    self._feed(step_node(process.id, step["id"]), strings(step.get("tools")), strings(step.get("reads")), delivering)
        for kpi in self.model.of("kpi"):
            self._feed(kpi.ref, strings(kpi.get("sources")), strings(kpi.get("inputs")), delivering)
        for flow in wired:
            self._feed(flow.ref, [flow.get("from")], strings(flow.get("objects")), delivering)

    def _feed(self, node: str, tools: list[str], objects: list[str], delivering: dict) -> None:
        fed: dict[str, list[str]] = {}  # flow id -> the objects it brings
        for obj in dict.fromkeys(objects):
            if any((t, obj) in self.recorded for t in tools):
                continue  # read where it lives: no flow needed
            for flow_id in dict.fromkeys(f for t in tools for f in delivering.get((t, obj), ())):
                if f"flow:{flow_id}" != node:  # a flow from a tool to itself does not feed itself
                    fed.setdefault(flow_id, []).append(obj)
        for flow_id, carried in fed.items():
            self.edge(node, f"flow:{flow_id}", f"fed_by:{flow_id}", rel="fed_by", objects=",".join(carried))

    def _owner(self, entity: Entity) -> None:
        self.link(entity.ref, "role", entity.get("owner"), "owned_by")

    def _team(self, team: Entity) -> None:
        self.link(team.ref, "team", team.get("parent"), "part_of")

    def _role(self, role: Entity) -> None:
        self.link(role.ref, "team", role.get("team"), "member_of")
        self.link(role.ref, "role", role.get("reports_to"), "reports_to")

    def _process(self, process: Entity) -> None:
        self._owner(process)
        for index, step in enumerate(process.get("steps") if isinstance(process.get("steps"), list) else []):
            if not isinstance(step, dict) or not isinstance(step.get("id"), str):
                continue
            node = step_node(process.id, step["id"])
            loc = process.location("steps", index)
            self.graph.add_node(node, kind="step", id=f"{process.id}/{step['id']}",
                                name=step["name"] if isinstance(step.get("name"), str) else step["id"],
                                file=loc.file, line=loc.line)
            self.edge(process.ref, node, "has_step", rel="has_step")
            for role_id, letter in raci(step).items():
                for rel in _RACI.get(letter, ()):
                    if self.model.get("role", role_id) is not None:
                        self.edge(f"role:{role_id}", node, rel, rel=rel)
            for field, kind, rel in (("tools", "tool", "uses"), ("reads", "data", "reads"), ("writes", "data", "writes")):
                for target in strings(step.get(field)):
                    self.link(node, kind, target, rel, key=f"{rel}:{target}")

    def _tool(self, tool: Entity) -> None:
        self._owner(tool)
        for team in strings(tool.get("user_teams")):
            self.link(tool.ref, "team", team, "used_by", key=f"used_by:{team}")
        for obj in strings(tool.get("holds")):
            self.link(tool.ref, "data", obj, "holds", key=f"holds:{obj}")

    def _data(self, data: Entity) -> None:
        self._owner(data)
        for tool in strings(data.get("system_of_record")):
            self.link(data.ref, "tool", tool, "system_of_record", key=f"system_of_record:{tool}")

    def _flow(self, flow: Entity) -> None:
        self._owner(flow)
        self.link(flow.ref, "tool", flow.get("from"), "sends_from")
        self.link(flow.ref, "tool", flow.get("to"), "sends_to")
        self.link(flow.ref, "tool", flow.get("via"), "runs_via")
        objects = [o for o in strings(flow.get("objects")) if self.model.get("data", o) is not None]
        for obj in objects:
            self.link(flow.ref, "data", obj, "carries", key=f"carries:{obj}")
        source, target = flow.get("from"), flow.get("to")
        if self.model.get("tool", source) is not None and self.model.get("tool", target) is not None:
            latency = flow.get("latency")
            self.edge(f"tool:{source}", f"tool:{target}", f"flow:{flow.id}", rel="flow",
                                flow=flow.id, objects=",".join(objects),
                                latency=latency if isinstance(latency, str) else "")

    def _sla(self, sla: Entity) -> None:
        self._owner(sla)
        process, step = sla.get("process"), sla.get("step")
        proc = self.model.get("process", process)
        if proc is not None and isinstance(step, str) and step_node(proc.id, step) in self.graph:
            self.edge(sla.ref, step_node(proc.id, step), "covers", rel="covers")
        else:
            self.link(sla.ref, "process", process, "covers")
        self.link(sla.ref, "kpi", sla.get("measured_by"), "measured_by")
        self.link(sla.ref, "team", sla.get("provider"), "provided_by")
        self.link(sla.ref, "team", sla.get("consumer"), "consumed_by")
        self.link(sla.ref, "role", sla.get("escalation"), "escalates_to")

    def _kpi(self, kpi: Entity) -> None:
        self._owner(kpi)
        for tool in strings(kpi.get("sources")):
            self.link(kpi.ref, "tool", tool, "sourced_from", key=f"sourced_from:{tool}")
        for obj in strings(kpi.get("inputs")):
            self.link(kpi.ref, "data", obj, "input", key=f"input:{obj}")

    def _goal(self, goal: Entity) -> None:
        self._owner(goal)
        self.link(goal.ref, "kpi", goal.get("kpi"), "measured_by")
        for item in (goal.get("initiatives") if isinstance(goal.get("initiatives"), list) else []):
            if isinstance(item, dict):
                role = item.get("role")
                self.link(goal.ref, "role", role, "initiative_by", key=f"initiative_by:{role}")

    def _waiver(self, waiver: Entity) -> None:
        self.link(waiver.ref, "role", waiver.get("approver"), "approved_by")
        target = waiver.get("entity")
        if isinstance(target, str) and self.model.resolve(target) is not None:
            kind, _, target_id = target.partition(":")
            self.link(waiver.ref, kind, target_id, "waives")



def _insert(graph: nx.MultiDiGraph, edges: list[tuple[str, str, str, dict]]) -> None:
    """graph.add_edges_from(edges), written straight into the adjacency networkx keeps (successor
    and predecessor maps sharing one key -> attributes dict per node pair): add_edges_from's
    checks per edge cost more than building the rest of the graph on a big model."""
    succ, pred = graph._succ, graph._pred
    for source, target, key, attrs in edges:
        for node in (source, target):
            if node not in succ:
                graph.add_node(node)
        keys = succ[source].get(target)
        if keys is None:
            keys = succ[source][target] = pred[target][source] = graph.edge_key_dict_factory()
        keys[key] = attrs


def build_graph(model: Model) -> nx.MultiDiGraph:
    """The typed graph of the whole model (see the module docstring)."""
    with paused_gc():
        return _Builder(model).build()
