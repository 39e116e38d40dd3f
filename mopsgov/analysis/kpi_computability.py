"""KPI computability: can each KPI be computed from the data the modelled flows deliver?

A KPI names its `sources` (the tools it is computed in) and its `inputs` (the data objects its
formula needs). An input is available when the object gets from its system of record to one of
the KPI's sources along flows that carry that very object (a flow that carries leads does not
bring opportunities along). The source may be the system of record itself.

When an input does not arrive, the analysis names the missing hop, the one change that closes the
gap (mopsgov.analysis.common.missing_hop): walking back from the sources over flows that carry
the object, and forwards from its system of record, a flow that already runs from where the
object gets to toward the sources, but does not carry it; else a flow to add from the system of
record to a source. KPIs without sources or inputs are not judged: the rules `kpi.sources` and
`kpi.inputs` ask for them.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mopsgov.analysis.common import FlowEdge, MissingHop, missing_hop, reach, systems_of_record, trail
from mopsgov.model import Entity, Model
from mopsgov.fields import strings

NAME = "kpi_computability"
DEFAULTS: dict = {}


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


def _check_input(model: Model, index: int, obj: str, sources: tuple[str, ...]) -> InputCheck:
    data = model.get("data", obj)
    sors = tuple(systems_of_record(model, data)) if data else ()
    found = reach(model, obj, sors) if sors else {}
    reached = [t for t in found if t in sources]  # BFS order: nearest first
    if reached:
        return InputCheck(index, obj, sors, reached[0], tuple(trail(found, reached[0])), None)
    return InputCheck(index, obj, sors, None, (), missing_hop(model, obj, sors, sources,
                                                             f", or compute the KPI in {sors[0]}" if sors else ""))


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
