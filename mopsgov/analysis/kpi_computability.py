"""KPI computability: can each KPI be computed from the data the modelled flows deliver?

A KPI names its `sources` (the tools it is computed in) and its `inputs` (the data objects its
formula needs). An input is available when the object gets from its system of record to one of
the KPI's sources along flows that carry that very object (a flow that carries leads does not
bring opportunities along). The source may be the system of record itself.

When an input does not arrive, the analysis names the missing hop, the one change that closes the
gap: a flow that already runs to the source from a tool the object gets to, but does not carry
the object; else a flow to add from the system of record to the source. KPIs without sources or inputs are not judged (other rules ask for
them).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.common import FlowEdge, reach, systems_of_record, trail
from mopsgov.model import Entity, Model
from mopsgov.fields import strings

NAME = "kpi_computability"
DEFAULTS: dict = {}


@dataclass(frozen=True)
class MissingHop:
    source: str | None  # the tool the object should leave (None when it has no system of record)
    target: str  # the KPI's source tool it should reach
    flow: Entity | None  # the flow that should carry it, when one runs there already
    text: str  # what is missing, in words
    fix: str


@dataclass(frozen=True)
class InputCheck:
    index: int  # position in the KPI's inputs list
    object: str
    systems_of_record: tuple[str, ...]
    reached: str | None  # the source tool the object reaches, when it does
    path: tuple[FlowEdge, ...]  # flows from the system of record to that source
    missing: MissingHop | None

    @property
    def ok(self) -> bool:
        return self.missing is None


@dataclass(frozen=True)
class KpiCheck:
    kpi: Entity
    sources: tuple[str, ...]
    inputs: tuple[InputCheck, ...]

    @property
    def computable(self) -> bool:
        return all(i.ok for i in self.inputs)


@dataclass
class KpiComputabilityResult:
    kpis: list[KpiCheck] = field(default_factory=list)
    not_judged: list[Entity] = field(default_factory=list)  # no sources or no inputs

    @property
    def not_computable(self) -> list[KpiCheck]:
        return [k for k in self.kpis if not k.computable]


def _into(model: Model, sources: tuple[str, ...]) -> list[FlowEdge]:
    """The flows that end in one of the tools, in file order."""
    usage = cache.indexes(model).usage
    edges = {e.order: e for tool in sources if tool in usage for e in usage[tool].flows if e.target == tool}
    return [edges[k] for k in sorted(edges)]


def _missing_hop(model: Model, obj: str, sors: tuple[str, ...], found: dict, sources: tuple[str, ...]) -> MissingHop:
    target = sources[0]
    if not sors:
        return MissingHop(None, target, None, f'data object "{obj}" has no system of record to start from',
                          f'Name the system_of_record of data object "{obj}".')
    for edge in _into(model, sources):
        if edge.source in found and obj not in edge.objects:
            return MissingHop(edge.source, edge.target, edge.flow,
                              f'flow "{edge.id}" ({edge.source} -> {edge.target}) does not carry {obj}',
                              f'Add {obj} to the objects of flow "{edge.id}", if it should carry it.')
    origin = sors[0]
    return MissingHop(origin, target, None, f"no flow brings {obj} from {origin} to {target}",
                      f"Add a flow from {origin} to {target} carrying {obj}, or compute the KPI in {origin}.")


def _check_input(model: Model, index: int, obj: str, sources: tuple[str, ...]) -> InputCheck:
    data = model.get("data", obj)
    sors = tuple(systems_of_record(model, data)) if data else ()
    found = reach(model, obj, sors) if sors else {}
    reached = [t for t in found if t in sources]  # BFS order: nearest first
    if reached:
        return InputCheck(index, obj, sors, reached[0], tuple(trail(found, reached[0])), None)
    return InputCheck(index, obj, sors, None, (), _missing_hop(model, obj, sors, found, sources))


def analyze_kpi_computability(model: Model, graph=None, options: dict | None = None) -> KpiComputabilityResult:
    result = KpiComputabilityResult()
    for kpi in model.of("kpi"):
        sources = tuple(t for t in dict.fromkeys(strings(kpi.get("sources"))) if model.get("tool", t) is not None)
        written = kpi.get("inputs") if isinstance(kpi.get("inputs"), list) else []
        inputs = [(i, o) for i, o in enumerate(written) if isinstance(o, str) and model.get("data", o)]
        if not sources or not inputs:
            result.not_judged.append(kpi)
            continue
        result.kpis.append(KpiCheck(kpi, sources, tuple(_check_input(model, i, o, sources) for i, o in inputs)))
    return result
