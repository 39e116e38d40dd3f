"""Impact: everything that depends on an entity, transitively, and the path that makes it depend.

The answer to "what breaks if we retire X". Starting from the entity, one breadth-first search
follows the model graph's relations in the direction dependence travels (mopsgov.graph.RELATIONS
says how for each relation):

- a step that uses a tool, a flow that starts, ends or runs via it, a KPI computed in it and a
  data object whose system of record it is all depend on the tool; a process depends on its
  steps, an SLA on what it covers and on its KPI, a goal on its KPI, a step or KPI on the data it
  reads and on the flows that deliver that data into its tools, a flow on the objects it carries;
- a step or KPI fed by flows breaks only when no remaining flow delivers one of the objects it
  reads into its tools; while another flow still delivers each of them it is *affected*, with
  the flows that remain named (a step that reads an object in its system of record needs no
  flow for it, see mopsgov.graph.build);
- a flow passes on only what reaches its source tool: once no remaining chain of flows brings an
  object there (mopsgov.analysis.starvation), the flow no longer delivers it, and what it fed
  with it is judged as above. The flow is *affected* while it still carries something else;
  the SLA on a lead route behind a lost upstream intent feed breaks with the route;
- retiring a role takes its Accountable and Responsible steps with it, and orphans what it owns;
  retiring a team, its roles; retiring a process, its steps;
- people are told, not broken: the roles with a RACI letter on an affected step, the owner of an
  affected entity and the teams using an affected tool are listed as *affected*, and nothing
  further depends on them through that.

Each dependent comes with one shortest chain of relations back to the entity.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

import networkx as nx

from mopsgov.analysis import cache, starvation
from mopsgov.analysis.common import count
from mopsgov.analysis.starvation import starve
from mopsgov.graph.build import (DEPENDS_ON_TARGET, PART_OF_START, RELATIONS, SOURCE_AFFECTED, TARGET_AFFECTED,
                                 TARGET_DEPENDS)
from mopsgov.model import Model
from mopsgov.validate.schema_compiler import suggest

# Groups in the order a MOps lead reads them.
GROUPS = ("process", "step", "sla", "kpi", "goal", "flow", "data", "tool", "role", "team", "waiver")
# (one, many) as a sentence names them
GROUP_WORDS = {"process": ("process", "processes"), "step": ("process step", "process steps"), "sla": ("SLA", "SLAs"),
               "kpi": ("KPI", "KPIs"), "goal": ("goal", "goals"), "flow": ("flow", "flows"),
               "data": ("data object", "data objects"), "tool": ("tool", "tools"), "role": ("role", "roles"),
               "team": ("team", "teams"), "waiver": ("waiver", "waivers")}
GROUP_TITLES = {"process": "Processes", "step": "Process steps", "sla": "SLAs", "kpi": "KPIs", "goal": "Goals",
                "flow": "Flows", "data": "Data objects", "tool": "Tools", "role": "Roles", "team": "Teams",
                "waiver": "Waivers"}


class UnknownEntity(ValueError):
    """The entity asked about is not in the model."""


# Fields of an entity a person may name it by instead of its id ("crm" for the CRM tool).
ALIASES = ("name", "category", "vendor", "product")


def suggestions(model: Model, graph: nx.MultiDiGraph, wanted: str, most: int = 3) -> list[tuple[str, str]]:
    """(node, why) for the entities `wanted` may mean when it names none: those whose name,
    category, vendor or product it is, else the node or bare id spelled most like it."""
    kind, colon, rest = wanted.partition(":")
    kind, rest = (kind, rest) if colon else ("", wanted)
    key = " ".join(rest.replace("-", " ").replace("_", " ").split()).lower()
    found: list[tuple[str, str]] = []
    for node, attrs in graph.nodes(data=True):
        if kind and attrs.get("kind") != kind:
            continue
        entity = model.get(attrs["kind"], attrs.get("id")) if attrs.get("kind") in model.entities else None
        for alias in ALIASES if entity is not None else ():
            value = entity.get(alias)
            if isinstance(value, str) and " ".join(value.replace("-", " ").split()).lower() == key:
                found.append((node, f"{alias} {value}" if alias != "name" else value))
                break
        if len(found) == most:
            break
    if found:
        return found
    nodes = list(graph.nodes)
    close = suggest(wanted, nodes)
    if close is None:
        bare = {}
        for node in nodes:
            bare.setdefault(node.partition(":")[2], node)
        close = bare.get(suggest(wanted, list(bare)) or "")
    return [(close, "")] if close else []


@dataclass(frozen=True)
class Link:
    source: str
    target: str
    rel: str

    def text(self) -> str:
        return RELATIONS[self.rel].text


@dataclass(frozen=True)
class Dependent:
    node: str
    kind: str
    name: str
    breaks: bool  # False: only affected (told, or still fed by another flow), nothing depends on it through this path
    path: tuple[Link, ...]  # from the dependent back to the entity
    note: str = ""  # why an affected step or KPI still works: the flows that still deliver its data

    def chain(self) -> str:
        """`process:p -[has step]-> step:p/s -[uses]-> tool:crm`, read from the dependent."""
        out = self.node
        current = self.node
        for link in self.path:
            if link.source == current:
                out += f" -[{link.text()}]-> {link.target}"
                current = link.target
            else:
                out += f" <-[{link.text()}]- {link.source}"
                current = link.source
        return out


@dataclass
class ImpactResult:
    entity: str
    name: str
    dependents: list[Dependent] = field(default_factory=list)

    def grouped(self) -> dict[str, list[Dependent]]:
        out: dict[str, list[Dependent]] = {}
        for kind in GROUPS:
            members = [d for d in self.dependents if d.kind == kind]
            if members:
                out[kind] = members
        return out

    def breaking(self) -> dict[str, int]:
        """kind -> how many dependents of that kind break, in the order of GROUPS."""
        return {kind: n for kind, members in self.grouped().items() if (n := sum(1 for d in members if d.breaks))}

    def breaks_text(self) -> str:
        """`2 processes, 3 process steps, 1 KPI`: what breaks, by kind ("" when nothing does)."""
        return ", ".join(count(n, *GROUP_WORDS[kind]) for kind, n in self.breaking().items())


def impact_of(model: Model, entity: str) -> ImpactResult:
    """analyze_impact once per model and entity: every figure of what depends on a tool comes from here."""
    return cache.memo(model, ("impact", entity), lambda: analyze_impact(model, entity))


def analyze_impact(model: Model, entity: str, graph: nx.MultiDiGraph | None = None) -> ImpactResult:
    """Dependents of `entity` (`kind:id`, or `step:<process>/<step>`). Raises UnknownEntity."""
    graph = graph if graph is not None else cache.graph(model)
    if entity not in graph:
        raise UnknownEntity(entity)
    parent: dict[str, tuple[str, Link] | None] = {entity: None}
    breaks: dict[str, bool] = {entity: True}
    notes: dict[str, str] = {}
    queue = deque([entity])
    dependence = _dependence(model, graph)

    def reach(node: str, via: str, source: str, target: str, rel: str, expand: bool) -> None:
        if node in breaks and (breaks[node] or not expand):
            return
        parent[node] = (via, Link(source, target, rel))
        breaks[node] = expand
        if expand:
            queue.append(node)

    def spread() -> None:
        """Everything that depends on what is queued, but through the data it no longer gets."""
        while queue:
            node = queue.popleft()
            for source, rel, expand in dependence.ins(node):
                reach(source, node, source, node, rel, expand)
            for target, rel, at_start, elsewhere in dependence.outs(node):
                expand = at_start if node == entity else elsewhere
                if expand is not None:
                    reach(target, node, node, target, rel, expand)

    spread()
    # Which flows break depends on tools, data and the flows themselves, never on what they feed:
    # so the data they no longer deliver is known once, and what it starves spreads on from there.
    starved = starve(graph, [n for n in parent if breaks[n] and graph.nodes[n].get("kind") == "flow"])
    for node, hits in starved.hit.items():
        lost = starved.lost(node)
        first = next(iter(lost.values()), None) or next(iter(hits.values()))
        if node.startswith("flow:"):
            carried = {target for _, target, rel in graph.out_edges(node, data="rel") if rel == "carries"}
            expand = carried <= {f"data:{obj}" for obj in lost}
        else:
            expand = bool(lost)
        reach(node, first, node, first, "fed_by", expand)
        if not breaks[node] or expand:
            notes[node] = _starved_note(graph, node, lost, starved.kept.get(node, {}), hits)
    spread()
    result = ImpactResult(entity, graph.nodes[entity].get("name", entity))
    for node in parent:
        if node == entity:
            continue
        path = []
        current = node
        while parent[current] is not None:
            via, link = parent[current]
            path.append(link)
            current = via
        attrs = graph.nodes[node]
        result.dependents.append(Dependent(node, attrs.get("kind", ""), attrs.get("name", node), breaks[node],
                                           tuple(path), notes.get(node, "")))
    result.dependents.sort(key=lambda d: (GROUPS.index(d.kind) if d.kind in GROUPS else len(GROUPS), not d.breaks, d.node))
    return result


class _Dependence:
    """The edges along which impact travels from a node, in the order graph.in_edges and out_edges
    give them, worked out once per node the first time a search reaches it:
    ins(node) -> [(source, rel, breaks)], outs(node) -> [(target, rel, at_start, elsewhere)],
    where breaks (and at_start, for the entity asked about, elsewhere for any other node) is
    True when the neighbour breaks, False when it is only affected, None when it does not depend."""

    def __init__(self, graph: nx.MultiDiGraph) -> None:
        self.graph = graph
        self._ins: dict[str, list] = {}
        self._outs: dict[str, list] = {}

    def ins(self, node: str) -> list:
        return self._along(self._ins, self.graph.pred, node, _IN_MODES)

    def outs(self, node: str) -> list:
        return self._along(self._outs, self.graph.succ, node, _OUT_MODES)

    @staticmethod
    def _along(known: dict, adjacency, node: str, modes: dict) -> list:
        found = known.get(node)
        if found is None:
            found = known[node] = [(other, rel, *mode) for other, keyed in adjacency[node].items()
                                   for data in keyed.values() if (mode := modes[rel := data.get("rel")]) is not None]
        return found


def _in_mode(rel: str, modes: tuple) -> tuple | None:
    if rel != "fed_by" and DEPENDS_ON_TARGET in modes:
        return (True,)
    return (False,) if SOURCE_AFFECTED in modes else None


def _out_mode(modes: tuple) -> tuple | None:
    """(at_start, elsewhere) along an out-edge; a part of the entity asked about breaks with it."""
    if TARGET_DEPENDS in modes:
        return True, True
    elsewhere = False if TARGET_AFFECTED in modes else None
    if PART_OF_START in modes:
        return True, elsewhere
    return None if elsewhere is None else (False, False)


_IN_MODES = {rel: _in_mode(rel, relation.impact) for rel, relation in RELATIONS.items()}
_OUT_MODES = {rel: _out_mode(relation.impact) for rel, relation in RELATIONS.items()}


def _dependence(model: Model, graph: nx.MultiDiGraph) -> _Dependence:
    return cache.memo(model, ("dependence", id(graph)), lambda: _Dependence(graph))


def _ends(graph: nx.MultiDiGraph, flows, rel: str) -> str:
    """The tools these flows send to (or from), `a or b`."""
    tools = dict.fromkeys(t.partition(":")[2] for f in flows for _, t, r in graph.out_edges(f, data="rel") if r == rel)
    return " or ".join(tools)


def _starved_note(graph: nx.MultiDiGraph, node: str, lost: dict[str, str], kept: dict[str, list[str]],
                  hits: dict[str, str]) -> str:
    """Which data stops arriving where, and which still arrives by which flows."""
    feeders = starvation.feeds(graph).feeders
    if node.startswith("flow:"):
        parts = [f"{obj} no longer reaches {_ends(graph, [node], 'sends_from')}, so this flow cannot pass it on"
                 for obj in lost]
    else:
        parts = [f"{obj} no longer arrives in {_ends(graph, feeders[(node, obj)], 'sends_to')}" for obj in lost]
    parts += [f"{obj} still arrives by {'flow' if len(flows) == 1 else 'flows'} "
              f"{', '.join(f.partition(':')[2] for f in flows)}" for obj, flows in kept.items() if obj in hits]
    return "; ".join(parts)
