"""Indexes the analyses share, built once per model: flows by object and by tool, and tool usage.

Everything reads the model defensively (the analyses also run on models that fail validation):
references that do not resolve are skipped, and validation reports them.
"""
from __future__ import annotations

import math
from collections import defaultdict, deque
from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.cache import indexes
from mopsgov.durations import format_minutes, parse_minutes
from mopsgov.model import Entity, Model
from mopsgov.fields import mapping, number, steps, strings, text
from mopsgov.rules.predicates.common import PERSONAL



def merged(defaults: dict, options: dict | None) -> dict:
    """An analysis's options: its defaults overridden by what the caller gives."""
    return {**defaults, **{k: v for k, v in (options or {}).items() if k in defaults}}


def is_personal(data: Entity) -> bool:
    return data.get("classification") in PERSONAL


def systems_of_record(model: Model, data: Entity) -> list[str]:
    """The tools named as the object's system of record that exist, in the order written."""
    return [t for t in strings(data.get("system_of_record")) if model.get("tool", t) is not None]


@dataclass(frozen=True, slots=True)
class FlowEdge:
    """One flow between two existing tools, with what it carries and how long it takes."""

    flow: Entity
    source: str
    target: str
    via: str | None
    objects: tuple[str, ...]
    latency: float | None  # minutes; None when not written or not a duration
    order: int  # position among the model's flows

    @property
    def id(self) -> str:
        return self.flow.id

    def hops(self) -> list[tuple[str, str]]:
        """The tool-to-tool hops, through the integration platform when there is one."""
        if self.via:
            return [(self.source, self.via), (self.via, self.target)]
        return [(self.source, self.target)]

    def describe(self) -> str:
        route = f"{self.source} -> {self.via} -> {self.target}" if self.via else f"{self.source} -> {self.target}"
        return f"{self.id} ({route}, {latency_text(self)})"


def latency_text(edge: FlowEdge) -> str:
    written = text(edge.flow.get("latency"))
    if edge.latency is None:
        return "latency not modelled"
    return written if written in ("real-time", "hourly", "daily", "weekly") else format_minutes(edge.latency)


@dataclass
class ToolUse:
    steps: list[tuple[Entity, str]] = field(default_factory=list)  # (process, step id)
    flows: list[FlowEdge] = field(default_factory=list)
    kpis: list[Entity] = field(default_factory=list)
    records: list[Entity] = field(default_factory=list)  # data objects it is the system of record of


@dataclass
class Indexes:
    flows: list[FlowEdge]
    by_object: dict[str, list[FlowEdge]]
    usage: dict[str, ToolUse]  # tool id -> what uses it

    def use(self, tool_id: str) -> ToolUse:
        return self.usage.get(tool_id) or ToolUse()


def build_indexes(model: Model) -> Indexes:
    flows: list[FlowEdge] = []
    by_object: dict[str, list[FlowEdge]] = defaultdict(list)
    usage: dict[str, ToolUse] = defaultdict(ToolUse)
    tools, objects_known = model.entities["tool"], model.entities["data"]  # plain dicts: the hot loop of a big model
    for flow in model.of("flow"):
        data = flow.data
        source, target, via = data.get("from"), data.get("to"), data.get("via")
        if not (isinstance(source, str) and isinstance(target, str) and source in tools and target in tools):
            continue
        via = via if isinstance(via, str) and via in tools else None
        objects = tuple(o for o in dict.fromkeys(strings(data.get("objects"))) if o in objects_known)
        edge = FlowEdge(flow, source, target, via, objects, parse_minutes(data.get("latency")), len(flows))
        flows.append(edge)
        for obj in objects:
            by_object[obj].append(edge)
        for tool in dict.fromkeys((source, target, via)):
            if tool:
                usage[tool].flows.append(edge)
    for process in model.of("process"):
        for step in steps(process):
            for tool in dict.fromkeys(strings(step.get("tools"))):
                if tool in tools:
                    usage[tool].steps.append((process, text(step.get("id"))))
    for kpi in model.of("kpi"):
        for tool in dict.fromkeys(strings(kpi.get("sources"))):
            if tool in tools:
                usage[tool].kpis.append(kpi)
    for data in model.of("data"):
        for tool in systems_of_record(model, data):
            usage[tool].records.append(data)
    return Indexes(flows, dict(by_object), dict(usage))


# tool -> (previous tool, flow that brought the object there); None for a starting tool. Following
# flows backwards, (next tool, flow that takes the object on from there) instead.
Reach = dict


def reach(model: Model, obj: str, roots: tuple[str, ...], backwards: bool = False) -> Reach:
    """Every tool the object gets to from `roots` along flows that carry it (one BFS per object),
    in the order it gets there; `backwards`: every tool from which it can get to one of `roots`.

    A flow through an integration platform passes the object through the platform on its way.
    """
    def adjacency() -> dict[str, list[tuple[str, FlowEdge]]]:
        step: dict[str, list[tuple[str, FlowEdge]]] = defaultdict(list)
        for edge in indexes(model).by_object.get(obj, ()):
            tools = [edge.source, edge.via, edge.target] if edge.via else [edge.source, edge.target]
            if backwards:
                tools.reverse()
            for here, there in zip(tools, tools[1:]):
                step[here].append((there, edge))
        return step

    def compute() -> Reach:
        step = cache.memo(model, ("hops", obj, backwards), adjacency)  # shared by every set of roots
        seen: Reach = dict.fromkeys(roots)
        queue = deque(roots)
        while queue:
            tool = queue.popleft()
            for nxt, edge in step.get(tool, ()):
                if nxt not in seen:
                    seen[nxt] = (tool, edge)
                    queue.append(nxt)
        return seen
    return cache.memo(model, ("reach", obj, roots, backwards), compute)


@dataclass(frozen=True)
class MissingHop:
    """The one change that would bring a data object from where it is to where it is needed."""

    source: str | None  # the tool the object should leave (None when it has no system of record)
    target: str  # the tool it should reach
    flow: Entity | None  # the flow that should carry it, when one runs there already
    text: str  # what is missing, in words
    fix: str


def missing_hop(model: Model, obj: str, origins: tuple[str, ...], targets: tuple[str, ...],
                alternative: str = "") -> MissingHop:
    """Why `obj` never gets from `origins` to any of `targets` along flows that carry it.

    The object gets to some tools from its origins (walking forwards) and would get on to the
    targets from some others (walking backwards from the targets). The missing hop is a flow that
    already runs from the first set to the second but does not carry the object, the one nearest
    the targets; else a flow to add from the first origin to the first target. `alternative`
    ends the fix ("or compute the KPI in map").
    """
    target = targets[0]
    if not origins:
        return MissingHop(None, target, None, f'data object "{obj}" has no system of record to start from',
                          f'Name the system_of_record of data object "{obj}".')
    found = reach(model, obj, origins)
    back = reach(model, obj, targets, backwards=True)
    ahead = {tool: i for i, tool in enumerate(found)}
    behind = {tool: i for i, tool in enumerate(back)}
    usage = indexes(model).usage
    scan_back = len(behind) <= len(ahead)  # look at the flows of the smaller side only
    best: tuple | None = None
    for tool in (behind if scan_back else ahead):
        for edge in usage[tool].flows if tool in usage else ():
            if (edge.target if scan_back else edge.source) != tool or obj in edge.objects:
                continue
            if edge.source in ahead and edge.target in behind:
                rank = (behind[edge.target], ahead[edge.source], edge.order)
                if best is None or rank < best[0]:
                    best = (rank, edge)
    if best is not None:
        edge = best[1]
        return MissingHop(edge.source, edge.target, edge.flow,
                          f'flow "{edge.id}" ({edge.source} -> {edge.target}) does not carry {obj}',
                          f'Add {obj} to the objects of flow "{edge.id}", if it should carry it.')
    origin = origins[0]
    reached = [t for t in found if t not in origins]
    feeders = [t for t in back if t not in targets]
    where = f"{origin} (or the tools it reaches: {names(reached)})" if reached else origin
    into = f"{target} (or the tools that send it on there: {names(feeders)})" if feeders else target
    return MissingHop(origin, target, None, f"no flow brings {obj} from {where} to {into}",
                      f"Add a flow from {origin} to {target} carrying {obj}{alternative}.")


def tool_label(tool: Entity) -> str:
    """`Marketing automation (map)`: the name people know, and the id the model uses."""
    return f"{tool.name} ({tool.id})" if tool.name != tool.id else tool.id


def names(ids: list[str], shown: int = 3) -> str:
    """`a, b, c and 2 more`."""
    return ", ".join(ids[:shown]) + (f" and {len(ids) - shown} more" if len(ids) > shown else "")


def listed(items) -> str:
    """`a, b and c`."""
    items = list(items)
    return ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items)


def cut_off_groups(groups) -> str:
    """The groups of tools a loss cuts off, in words: `a and b`, `a, b and c, each on its own`,
    `a and b together; c on its own`. A group cut short ends with "..." (see flow_structure)."""
    def one(group) -> str:
        return ", ".join(group[:-1]) + " and more" if group and group[-1] == "..." else listed(group)
    groups = [list(g) for g in groups]
    if len(groups) == 1:
        return one(groups[0])
    if all(len(g) == 1 for g in groups):
        return f"{listed(g[0] for g in groups)}, each on its own"
    return "; ".join(f"{one(g)} on its own" if len(g) == 1 else f"{one(g)} together" for g in groups)


def trail(found: Reach, tool: str) -> list[FlowEdge]:
    """The flows, in order, that brought the object from a root to `tool`."""
    out: list[FlowEdge] = []
    while found.get(tool) is not None:
        tool, edge = found[tool]
        if not out or out[-1] is not edge:
            out.append(edge)
    return out[::-1]


def route(tools: list[str]) -> str:
    return " -> ".join(tools)


def trail_tools(found: Reach, tool: str) -> list[str]:
    """The tools, in order, from a root to `tool`."""
    out = [tool]
    while found.get(tool) is not None:
        tool = found[tool][0]
        out.append(tool)
    return out[::-1]


def annual_cost(tool: Entity) -> float | None:
    """The tool's annual cost when it is a finite number (a typo such as 1e400 is not money)."""
    cost = number(tool.get("annual_cost"))
    return cost if cost is not None and math.isfinite(cost) else None


def utilisation_share(tool: Entity) -> float | None:
    """Seats active / seats bought, when both are written."""
    seats = mapping(tool.get("seats"))
    bought, active = number(seats.get("bought")), number(seats.get("active"))
    return active / bought if bought and active is not None else None


def percent(share: float) -> str:
    return f"{share * 100:.0f}%"


def count(amount: int, noun: str, plural: str | None = None) -> str:
    return f"{amount} {noun if amount == 1 else plural or noun + 's'}"
