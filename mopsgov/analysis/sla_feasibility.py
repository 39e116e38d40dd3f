"""SLA feasibility: can the modelled integrations meet an SLA's time target?

Only waiting for data is modelled: people's own work takes no time, so every figure is the least
time the SLA needs. An SLA is judged when its `target` is a duration (`5 minutes`, `24 hours`,
`2 business days`; see mopsgov.durations) and it covers a process with steps, or one `step` of it.

A wait is one data object travelling to a step that reads it, into whichever of the step's tools
it reaches first. It leaves the tools of the latest earlier step that writes it or, when no earlier
step does, its system of record, and takes the fastest chain of flows that carry it (shortest
paths, once per object and starting tools): its minutes are the flows' latencies summed along that
chain (`hourly` = 60, `daily` = 1,440, `real-time` = 0; a flow through an integration platform
delivers to the platform as well). Then:

- an SLA on one **step** is measured by that step's slowest wait, on its own: the minutes of the
  one object that takes longest to reach the step from where it starts (the earlier steps' own
  waits are not added);
- an SLA on a whole **process** is measured until its last step is ready. Steps run in order: a
  step is ready when the step before it is, and when each wait has ended, a wait starting when
  the step that writes its object was ready (at the start for data from a system of record). So
  waits add up from step to step along the critical path: an hour for a lead, then a day for an
  opportunity a later step writes and another reads, is at least 25 hours.

Verdicts:

- **Infeasible**: the summed minutes exceed the target (5 minutes required, 60 minutes modelled
  behind an hourly batch), or an object the measured step (any step, for a process) reads never
  reaches its tools: then the missing hop is named (mopsgov.analysis.common.missing_hop).
- **Cannot be judged**: a flow the SLA may wait on has no latency, or one mopsgov cannot read.
  The walk runs twice, counting such flows as taking no time and as never delivering; when the
  first meets the target and the second does not, the unknown latency decides and those flows
  are named.
- Not judged at all: a percentage target, no process, a step not in the process, a process
  without steps, steps that read no data, or data with neither a system of record nor an earlier
  step writing it (a step without a known tool reads nothing).

Each result comes with its critical path: the waits, in time order, whose minutes sum to the
modelled time.
"""
from __future__ import annotations

import heapq
import math
from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.common import FlowEdge, MissingHop, latency_text, missing_hop, systems_of_record
from mopsgov.durations import format_minutes, parse_minutes
from mopsgov.model import Entity, Model
from mopsgov.fields import steps, strings, text

NAME = "sla_feasibility"
DEFAULTS: dict = {}
# How a flow of unknown latency is counted: as fast as can be, or as never arriving.
OPTIMISTIC, PESSIMISTIC = 0.0, math.inf
SYSTEM_OF_RECORD = "its system of record"


@dataclass(frozen=True)
class Hop:
    """One wait on the critical path: an object travelling to the step that reads it."""

    step: str  # the step that waits
    object: str
    origin: str | None  # the earlier step that writes the object, None when it leaves its system of record
    into: str  # the step's tool it arrives in
    flows: tuple[FlowEdge, ...]
    minutes: float  # the flows' latencies added up; unknown ones count as 0

    @property
    def unmodelled(self) -> tuple[str, ...]:
        return tuple(f.id for f in self.flows if f.latency is None)

    def describe(self) -> str:
        origin = f"step {self.origin}" if self.origin else SYSTEM_OF_RECORD
        via = " + ".join(f"{f.id} ({latency_text(f)})" for f in self.flows) or "no flow needed"
        return f"{self.object} reaches step {self.step} (from {origin}) via {via} in {format_minutes(self.minutes)}"


@dataclass(frozen=True)
class Never:
    """Data a step reads that no chain of flows brings into its tools."""

    step: str
    object: str
    origin: str | None
    sources: tuple[str, ...]  # the tools the data leaves from
    tools: tuple[str, ...]  # the step's tools
    model: Model = field(repr=False, compare=False)

    @property
    def missing(self) -> MissingHop:
        """The missing hop, found when asked for: only the reported ones are worth the search."""
        return cache.memo(self.model, ("missing-hop", self.object, self.sources, self.tools),
                          lambda: missing_hop(self.model, self.object, self.sources, self.tools))

    def describe(self) -> str:
        return f"{self.object} never reaches step {self.step}: {self.missing.text}"


@dataclass(frozen=True)
class SlaCheck:
    sla: Entity
    target: str
    target_minutes: float
    step: str  # the step whose readiness the SLA measures
    verdict: str  # "feasible", "infeasible" or "unknown" (unknown latency decides)
    path: tuple[Hop, ...]  # the critical path, in time order
    never: Never | None = None  # data that never arrives (then the SLA is infeasible)
    unmodelled: tuple[str, ...] = ()  # flows of unknown latency the SLA may wait on

    @property
    def modelled_minutes(self) -> float:
        return sum(h.minutes for h in self.path)

    @property
    def feasible(self) -> bool:
        return self.verdict == "feasible"

    def numbers(self) -> str:
        required = f"{format_minutes(self.target_minutes)} required"
        if self.never is not None:
            return f"{required}, but {self.never.describe()}"
        least = "at least " if self.unmodelled or any(h.unmodelled for h in self.path) else ""
        return f"{required}, {least}{format_minutes(self.modelled_minutes)} modelled"

    def route(self) -> str:
        """The critical path in words: each wait with its flows and minutes."""
        if self.never is not None:
            return self.never.describe()
        return ", then ".join(h.describe() for h in self.path) or "no flow needed"

    def flows(self) -> tuple[FlowEdge, ...]:
        """The flows on the critical path, in order."""
        return tuple(f for h in self.path for f in h.flows)

    def why_unknown(self) -> str:
        flows = ", ".join(self.unmodelled)
        return f"the latency of {'flow' if len(self.unmodelled) == 1 else 'flows'} {flows} is not modelled"


@dataclass
class SlaFeasibilityResult:
    slas: list[SlaCheck] = field(default_factory=list)  # judged: feasible or infeasible
    unknown: list[SlaCheck] = field(default_factory=list)  # unknown latency decides
    not_judged: list[tuple[Entity, str]] = field(default_factory=list)  # (sla, why), these included

    @property
    def infeasible(self) -> list[SlaCheck]:
        return [s for s in self.slas if s.verdict == "infeasible"]


def _unmodelled(model: Model, obj: str) -> bool:
    """Whether a flow carrying the object has no latency mopsgov can read."""
    return cache.memo(model, ("unmodelled", obj),
                      lambda: any(e.latency is None for e in cache.indexes(model).by_object.get(obj, ())))


def _fastest(model: Model, obj: str, origins: tuple[str, ...], unknown: float) -> dict:
    """tool -> (minutes, flows) for the fastest arrival of obj from origins (Dijkstra, once per
    object, origins and way of counting unknown latencies)."""
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
                latency = edge.latency if edge.latency is not None else unknown
                if latency == math.inf:
                    continue
                # the integration platform a flow runs via has the data when the flow delivers it
                for there in (edge.target, edge.via) if edge.via else (edge.target,):
                    if there not in best:
                        counter += 1
                        heapq.heappush(heap, (minutes + latency, counter, there, path + (edge,)))
        return best
    return cache.memo(model, ("fastest", obj, origins, unknown), compute)


@dataclass(frozen=True)
class _Step:
    id: str
    ready: float  # when the step can work, from the start of the process (inf: data never arrives)
    cause: Hop | None  # the wait that made it ready then; None: ready when the step before it was
    after: int | None  # where the critical path goes on: the writer's index, or the step before's
    waits: tuple[Hop, ...]  # every wait of this step, in the order it reads the objects
    never: Never | None  # data this step reads that never arrives in its tools
    no_origin: tuple[str, ...]  # objects it reads that no earlier step writes and no system of record holds


def _walk(model: Model, process: Entity, unknown: float) -> tuple[_Step, ...]:
    """Each step of the process in order, with when it is ready, counting unknown latencies as `unknown`."""
    if unknown != OPTIMISTIC and not any(_unmodelled(model, obj) for step in steps(process) for obj in strings(step.get("reads"))):
        return _walk(model, process, OPTIMISTIC)  # no latency to guess: both ways of counting agree

    def compute() -> tuple[_Step, ...]:
        walked: list[_Step] = []
        written: dict[str, int] = {}  # object -> index of the latest earlier step that writes it
        for index, step in enumerate(steps(process)):
            tools = _tools(model, step)
            ready, cause, after = (walked[-1].ready, None, index - 1) if walked else (0.0, None, None)
            waits: list[Hop] = []
            never: Never | None = None
            no_origin: list[str] = []
            for obj in dict.fromkeys(strings(step.get("reads"))) if tools else ():
                data = model.get("data", obj)
                if data is None:
                    continue
                writer = written.get(obj)
                if writer is not None:
                    sources, start, origin = _tools(model, steps(process)[writer]), walked[writer].ready, walked[writer].id
                else:
                    sources, start, origin = tuple(systems_of_record(model, data)), 0.0, None
                if not sources:
                    no_origin.append(obj)
                    continue
                arrivals = _fastest(model, obj, sources, unknown)
                options = [(arrivals[t][0], i, t) for i, t in enumerate(tools) if t in arrivals]
                if not options:
                    never = never or Never(text(step.get("id")), obj, origin, sources, tools, model)
                    continue
                minutes, _, into = min(options)
                hop = Hop(text(step.get("id")), obj, origin, into, arrivals[into][1], minutes)
                waits.append(hop)
                # the slowest wait makes the step ready; a wait through flows that only ties is still shown
                if start + minutes > ready or (cause is None and hop.flows and start + minutes == ready):
                    ready, cause, after = start + minutes, hop, writer
            if never is not None:
                ready, cause, after = math.inf, None, None
            walked.append(_Step(text(step.get("id")), ready, cause, after, tuple(waits), never, tuple(no_origin)))
            if tools:
                for obj in strings(step.get("writes")):
                    written[obj] = index
        return tuple(walked)
    return cache.memo(model, ("sla-walk", process.id, unknown), compute)


def _tools(model: Model, step: dict) -> tuple[str, ...]:
    return tuple(t for t in dict.fromkeys(strings(step.get("tools"))) if model.get("tool", t))


def _critical(walked: tuple[_Step, ...], index: int) -> tuple[Hop, ...]:
    """The waits that make step `index` ready when it is, in time order."""
    path: list[Hop] = []
    current: int | None = index
    while current is not None:
        if walked[current].cause is not None:
            path.append(walked[current].cause)
        current = walked[current].after
    return tuple(reversed(path))


def _measure(walked: tuple[_Step, ...], index: int | None) -> tuple[float, tuple[Hop, ...], Never | None]:
    """(minutes, path, data that never arrives): for the whole process (index None), the time until
    its last step is ready; for one step, its slowest wait."""
    if index is None:
        never = next((s.never for s in walked if s.never is not None), None)
        if never is not None:
            return math.inf, (), never
        return walked[-1].ready, _critical(walked, len(walked) - 1), None
    step = walked[index]
    if step.never is not None:
        return math.inf, (), step.never
    worst = max(step.waits, key=lambda h: h.minutes, default=None)  # the first of equal waits, in reading order
    return (worst.minutes, (worst,), None) if worst is not None else (0.0, (), None)


def _check(model: Model, sla: Entity, target: str, minutes: float, process: Entity, index: int | None) -> SlaCheck | str:
    best, worst = _walk(model, process, OPTIMISTIC), _walk(model, process, PESSIMISTIC)
    scope = best if index is None else best[index:index + 1]
    step = scope[-1].id
    if not any(s.waits or s.never for s in scope):
        missing = [f"{obj} (step {s.id})" for s in scope for obj in s.no_origin]
        if missing:
            return f"data it reads has no system of record to start from: {', '.join(missing)}"
        return "its steps read no data, so no flow can hold them up"
    least, path, never = _measure(best, index)
    if never is not None:
        return SlaCheck(sla, target, minutes, step, "infeasible", (), never)
    if least > minutes:
        return SlaCheck(sla, target, minutes, step, "infeasible", path)
    most, sure_path, _ = _measure(worst, index)
    if most <= minutes:
        return SlaCheck(sla, target, minutes, step, "feasible", sure_path)
    unmodelled = tuple(dict.fromkeys(f for s in scope for h in s.waits for f in h.unmodelled))
    return SlaCheck(sla, target, minutes, step, "unknown", path, unmodelled=unmodelled)


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
        ids = [text(s.get("id")) for s in steps(process)]
        only = sla.get("step")
        if isinstance(only, str) and only not in ids:
            result.not_judged.append((sla, f'its step "{only}" is not a step of process "{process.id}"'))
            continue
        if not ids:
            result.not_judged.append((sla, "its process has no steps"))
            continue
        check = _check(model, sla, target, minutes, process, ids.index(only) if isinstance(only, str) else None)
        if isinstance(check, str):
            result.not_judged.append((sla, check))
        elif check.verdict == "unknown":
            result.unknown.append(check)
            result.not_judged.append((sla, check.why_unknown()))
        else:
            result.slas.append(check)
    return result
