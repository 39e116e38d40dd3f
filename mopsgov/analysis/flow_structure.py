"""Flow structure: write-back cycles, single points of failure and the most central tools.

- **Cycles**: for each data object, the tools its flows connect in a loop (a strongly connected
  group of the object's own flows). The same record written back and forth between tools is how
  sync wars start: decide which side wins.
- **Single points of failure**: the integration graph joins two tools when a flow runs between
  them (through its integration platform, `via`, when it has one). A tool whose loss cuts that
  graph in two is an articulation point; a flow whose loss does is a bridge. Bridges to a tool
  with no other integration are normal and are listed, not flagged; a bridge is a risk when both
  sides keep at least two tools.
- **Central tools**: the tools with the most integrations. What depends on them is the impact
  analysis's answer (mopsgov.analysis.impact), so the report and `mopsgov impact` agree.

All of it is computed on the whole graph at once (strongly connected components, biconnected
components, one depth-first search), in time linear in the number of flows.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.connectivity import Adjacency, Structure, adjacency, structure, subtree_sizes
from mopsgov.analysis.common import FlowEdge, ToolUse, merged, systems_of_record
from mopsgov.model import Entity, Model

NAME = "flow_structure"
DEFAULTS = {"central": 5, "list_cut_off": 8}


@dataclass(frozen=True)
class Cycle:
    object: str
    tools: tuple[str, ...]
    flows: tuple[FlowEdge, ...]
    # the flow that writes the object back into its system of record, when one does
    write_back: FlowEdge | None


@dataclass(frozen=True)
class CutPoint:
    tool: Entity
    parts: tuple[tuple[str, ...], ...]  # the groups its loss leaves, largest first (names cut at list_cut_off)
    cut_off: int  # tools separated from the largest remaining group
    use: ToolUse


@dataclass(frozen=True)
class Bridge:
    flows: tuple[FlowEdge, ...]  # the flows between the two tools
    ends: tuple[str, str]
    smaller_side: int  # tools on the smaller side once the link is lost

    @property
    def risky(self) -> bool:
        return self.smaller_side >= 2


@dataclass(frozen=True)
class Central:
    tool: Entity
    integrations: int  # tools it exchanges data with


@dataclass
class FlowStructureResult:
    cycles: list[Cycle] = field(default_factory=list)
    cut_points: list[CutPoint] = field(default_factory=list)
    bridges: list[Bridge] = field(default_factory=list)
    central: list[Central] = field(default_factory=list)


def _cycles(model: Model) -> list[Cycle]:
    out = []
    by_object = cache.indexes(model).by_object
    for data in model.of("data"):
        edges = by_object.get(data.id, [])
        if not edges:
            continue
        sors = set(systems_of_record(model, data))
        group_of = _loop_groups(edges)
        if not group_of:
            continue
        inside: dict[int, list[FlowEdge]] = defaultdict(list)
        for e in edges:
            group = group_of.get(e.source)
            if group is not None and group == group_of.get(e.target):
                inside[group].append(e)
        for number in sorted(inside, key=lambda n: inside[n][0].order):
            flows = tuple(inside[number])
            tools = tuple(dict.fromkeys(x for e in flows for x in (e.source, e.target)))
            back = next((e for e in flows if e.target in sors), None)
            out.append(Cycle(data.id, tools, flows, back))
    return out


def _loop_groups(edges: list[FlowEdge]) -> dict[str, int]:
    """tool -> number of its loop, for the tools on a loop of these flows (strongly connected
    groups of two or more tools, or a flow from a tool to itself); Kosaraju's two passes."""
    forward: dict[str, list[str]] = defaultdict(list)
    backward: dict[str, list[str]] = defaultdict(list)
    for e in edges:
        forward[e.source].append(e.target)
        backward[e.target].append(e.source)
    candidates = [t for t in forward if t in backward]  # a tool on a loop sends and receives
    if not candidates:
        return {}
    order: list[str] = []
    seen: set[str] = set()
    for start in candidates:
        if start in seen:
            continue
        seen.add(start)
        stack = [(start, iter(forward[start]))]
        while stack:
            node, children = stack[-1]
            for child in children:
                if child not in seen and child in backward and child in forward:
                    seen.add(child)
                    stack.append((child, iter(forward[child])))
                    break
            else:
                stack.pop()
                order.append(node)
    group_of: dict[str, int] = {}
    assigned: set[str] = set()
    number = 0
    for start in reversed(order):
        if start in assigned:
            continue
        members = [start]
        assigned.add(start)
        stack = [start]
        while stack:
            for prev in backward[stack.pop()]:
                if prev in seen and prev not in assigned:
                    assigned.add(prev)
                    members.append(prev)
                    stack.append(prev)
        if len(members) > 1 or start in forward[start]:
            for tool in members:
                group_of[tool] = number
            number += 1
    return group_of


def _integration_graph(flows: list[FlowEdge]) -> tuple[Adjacency, dict]:
    links: dict[frozenset, list[FlowEdge]] = defaultdict(list)
    for edge in flows:
        for a, b in edge.hops():
            if a != b:
                links[frozenset((a, b))].append(edge)
    return adjacency(tuple(pair) for pair in links), links


def _cut_points(model: Model, graph: Adjacency, found: Structure, cap: int) -> list[CutPoint]:
    """Articulation points and the groups each one cuts off, from the block-cut tree."""
    index = cache.indexes(model)
    cuts = found.cut_vertices
    if not cuts:
        return []
    tree: Adjacency = defaultdict(set)
    owner: dict[str, tuple] = {}
    for number, block in enumerate(found.blocks):
        tree.setdefault(("b", number), set())
        for tool in block:
            if tool in cuts:
                tree[("b", number)].add(("c", tool))
                tree[("c", tool)].add(("b", number))
            else:
                owner[tool] = ("b", number)
    members: dict[tuple, list[str]] = defaultdict(list)
    for tool in sorted(graph):
        members[("c", tool) if tool in cuts else owner[tool]].append(tool)
    in_tree = structure(tree)
    size = dict.fromkeys(in_tree.order, 0)
    for node in reversed(in_tree.order):
        size[node] += len(members[node])
        if in_tree.parent[node] is not None:
            size[in_tree.parent[node]] += size[node]
    children: dict[tuple, list[tuple]] = defaultdict(list)
    root_of: dict[tuple, tuple] = {}
    for node in in_tree.order:
        above = in_tree.parent[node]
        root_of[node] = node if above is None else root_of[above]
        if above is not None:
            children[above].append(node)
    out = []
    for node in in_tree.order:
        if node[0] != "c":
            continue
        groups = [(size[child], _collect([child], {node}, tree, members, cap)) for child in children[node]]
        rest = size[root_of[node]] - 1 - sum(s for s, _ in groups)
        if rest > 0:
            groups.append((rest, _collect([in_tree.parent[node]], {node}, tree, members, cap)))
        groups.sort(key=lambda g: (-g[0], g[1]))
        tool = model.get("tool", node[1])
        out.append(CutPoint(tool, tuple(tuple(g) for _, g in groups), sum(s for s, _ in groups[1:]),
                            index.use(tool.id)))
    out.sort(key=lambda c: (-c.cut_off, c.tool.id))
    return out


def _collect(start: list, blocked: set, tree: Adjacency, members: dict, cap: int) -> list[str]:
    """Up to `cap` tools reached in the block-cut tree from `start` without passing `blocked`."""
    found: list[str] = []
    seen = set(blocked) | set(start)
    stack = list(start)
    while stack and len(found) <= cap:
        current = stack.pop()
        found.extend(members[current])
        for nxt in sorted(tree[current]):
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return sorted(found)[:cap] + (["..."] if len(found) > cap else [])


def _bridges(found: Structure, links: dict) -> list[Bridge]:
    if not found.bridges:
        return []
    size = subtree_sizes(found)
    root_of: dict[str, str] = {}
    for node in found.order:
        above = found.parent[node]
        root_of[node] = node if above is None else root_of[above]
    out = []
    for above, child in found.bridges:
        smaller = min(size[child], size[root_of[child]] - size[child])
        out.append(Bridge(tuple(links[frozenset((above, child))]), tuple(sorted((above, child))), smaller))
    out.sort(key=lambda b: (-b.smaller_side, b.ends))
    return out


def analyze_flow_structure(model: Model, graph=None, options: dict | None = None) -> FlowStructureResult:
    opts = merged(DEFAULTS, options)
    index = cache.indexes(model)
    integration, links = _integration_graph(index.flows)
    found = structure(integration)
    result = FlowStructureResult(cycles=_cycles(model))
    result.cut_points = _cut_points(model, integration, found, int(opts["list_cut_off"]))
    result.bridges = _bridges(found, links)
    ranked = sorted(integration, key=lambda t: (-len(integration[t]), t))[: int(opts["central"])]
    result.central = [Central(model.get("tool", t), len(integration[t])) for t in ranked]
    return result
