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


# tool -> (previous tool, flow that brought the object there); None for a starting tool
Reach = dict


def reach(model: Model, obj: str, roots: tuple[str, ...]) -> Reach:
    """Every tool the object gets to from `roots` along flows that carry it (one BFS per object).

    A flow through an integration platform passes the object through the platform on its way.
    """
    def compute() -> Reach:
        outgoing: dict[str, list[tuple[str, FlowEdge]]] = defaultdict(list)
        for edge in indexes(model).by_object.get(obj, ()):
            if edge.via:
                outgoing[edge.source].append((edge.via, edge))
                outgoing[edge.via].append((edge.target, edge))
            else:
                outgoing[edge.source].append((edge.target, edge))
        seen: Reach = dict.fromkeys(roots)
        queue = deque(roots)
        while queue:
            tool = queue.popleft()
            for nxt, edge in outgoing.get(tool, ()):
                if nxt not in seen:
                    seen[nxt] = (tool, edge)
                    queue.append(nxt)
        return seen
    return cache.memo(model, ("reach", obj, roots), compute)


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
