"""SLA feasibility: can the modelled integrations meet an SLA's time target?

An SLA with a duration `target` (`5 minutes`, `24 hours`, `2 business days`; see
mopsgov.durations) covers a process, or one `step` of it. Each covered step that reads a data
object in a tool must wait for that object to arrive there: from the tools of the nearest
earlier step of the same process that writes it, else from the object's system of record, along
the fastest chain of flows that carry it. The flows' latencies add up (`hourly` = 60 minutes,
`daily` = 1,440, `real-time` = 0); a flow without a latency counts as 0 and is named in the
result. The SLA is infeasible when the slowest such wait exceeds its target: a 5-minute lead
routing SLA behind an hourly batch sync cannot be met, however fast people work.

SLAs with a percentage target, without a process, or whose steps read nothing that flows are not
judged.
"""
from __future__ import annotations

import heapq
from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.common import FlowEdge, systems_of_record
from mopsgov.durations import format_minutes, parse_minutes
from mopsgov.model import Entity, Model
from mopsgov.fields import steps, strings, text

NAME = "sla_feasibility"
DEFAULTS: dict = {}


@dataclass(frozen=True)
class Wait:
    step: str
    object: str
    origin: str  # "system of record" or the id of the earlier step that writes the object
    tools: tuple[str, ...]  # the tools the data leaves from
    minutes: float
    path: tuple[FlowEdge, ...]

    @property
    def unmodelled(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.path if f.latency is None)

    def route(self) -> str:
        if not self.path:
            return "no flow needed"
        return " + ".join(f"{f.id} ({f.flow.get('latency') or 'no latency'})" for f in self.path)


@dataclass(frozen=True)
class SlaCheck:
    sla: Entity
    target: str
    target_minutes: float
    worst: Wait | None  # the slowest wait among the covered steps

    @property
    def modelled_minutes(self) -> float:
        return self.worst.minutes if self.worst else 0.0

    @property
    def feasible(self) -> bool:
        return self.worst is None or self.worst.minutes <= self.target_minutes

    def numbers(self) -> str:
        return f"{format_minutes(self.target_minutes)} required, {format_minutes(self.modelled_minutes)} modelled"


@dataclass
class SlaFeasibilityResult:
    slas: list[SlaCheck] = field(default_factory=list)
    not_judged: list[tuple[Entity, str]] = field(default_factory=list)  # (sla, why)

    @property
    def infeasible(self) -> list[SlaCheck]:
        return [s for s in self.slas if not s.feasible]


def _fastest(model: Model, obj: str, origins: tuple[str, ...]) -> dict[str, tuple[float, tuple[FlowEdge, ...]]]:
    """tool -> (minutes, flows) for the fastest arrival of obj from origins (Dijkstra, once per object and origin)."""
    def compute():
        outgoing: dict[str, list[FlowEdge]] = {}
        for edge in cache.indexes(model).by_object.get(obj, ()):
            outgoing.setdefault(edge.source, []).append(edge)
        best: dict[str, tuple[float, tuple[FlowEdge, ...]]] = {}
        heap = [(0.0, order, tool, ()) for order, tool in enumerate(origins)]
        counter = len(heap)
        while heap:
            minutes, _, tool, path = heapq.heappop(heap)
            if tool in best:
                continue
            best[tool] = (minutes, path)
            for edge in outgoing.get(tool, ()):
                if edge.target not in best:
                    counter += 1
                    heapq.heappush(heap, (minutes + (edge.latency or 0.0), counter, edge.target, path + (edge,)))
        return best
    return cache.memo(model, ("fastest", obj, origins), compute)


def _waits(model: Model, process: Entity, only_step: str | None) -> list[Wait]:
    waits = []
    written_by: dict[str, tuple[str, tuple[str, ...]]] = {}  # object -> (step id, tools) of the latest writer
    for step in steps(process):
        step_id, tools = text(step.get("id")), tuple(t for t in strings(step.get("tools")) if model.get("tool", t))
        if tools and (only_step is None or step_id == only_step):
            for obj in dict.fromkeys(strings(step.get("reads"))):
                data = model.get("data", obj)
                if data is None:
                    continue
                origin, sources = written_by.get(obj) or ("system of record", tuple(systems_of_record(model, data)))
                if not sources:
                    continue
                arrivals = _fastest(model, obj, sources)
                options = [(arrivals[t][0], i, t) for i, t in enumerate(tools) if t in arrivals]
                if options:
                    minutes, _, tool = min(options)
                    waits.append(Wait(step_id, obj, origin, sources, minutes, arrivals[tool][1]))
        if tools:
            for obj in strings(step.get("writes")):
                written_by[obj] = (step_id, tools)
    return waits


def analyze_sla_feasibility(model: Model, graph=None, options: dict | None = None) -> SlaFeasibilityResult:
    result = SlaFeasibilityResult()
    for sla in model.of("sla"):
        target = sla.get("target")
        minutes = parse_minutes(target)
        process = model.get("process", sla.get("process"))
        if minutes is None:
            result.not_judged.append((sla, "its target is not a duration"))
            continue
        if process is None:
            result.not_judged.append((sla, "it covers no process"))
            continue
        only = sla.get("step") if isinstance(sla.get("step"), str) else None
        waits = _waits(model, process, only)
        if not waits:
            result.not_judged.append((sla, "its steps read no data that the flows deliver"))
            continue
        worst = max(waits, key=lambda w: w.minutes)  # the first of equal waits, in step order
        result.slas.append(SlaCheck(sla, target, minutes, worst))
    return result
