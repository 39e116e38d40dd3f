"""Run the analyses: one at a time (memoised per model and options) or all at once for a report."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mopsgov.analysis import cache
from mopsgov.analysis.coverage import CoverageResult, analyze_coverage
from mopsgov.analysis.exposure import ExposureResult, analyze_exposure
from mopsgov.analysis.flow_structure import FlowStructureResult, analyze_flow_structure
from mopsgov.analysis.kpi_computability import KpiComputabilityResult, analyze_kpi_computability
from mopsgov.analysis.maturity import MaturityResult, analyze_maturity
from mopsgov.analysis.redundancy import RedundancyResult, analyze_redundancy
from mopsgov.analysis.shelfware import ShelfwareResult, analyze_shelfware
from mopsgov.analysis.sla_feasibility import SlaFeasibilityResult, analyze_sla_feasibility
from mopsgov.model import Model

# name -> analyze_<name>(model, graph, options); the order a report shows them in.
ANALYSES: dict[str, Callable] = {
    "maturity": analyze_maturity,
    "coverage": analyze_coverage,
    "redundancy": analyze_redundancy,
    "shelfware": analyze_shelfware,
    "kpi_computability": analyze_kpi_computability,
    "sla_feasibility": analyze_sla_feasibility,
    "exposure": analyze_exposure,
    "flow_structure": analyze_flow_structure,
}


def result(model: Model, name: str, options: dict | None = None, graph=None):
    """The result of one analysis, computed once per model and option set."""
    return cache.memo(model, (name, cache.options_key(options)), lambda: ANALYSES[name](model, graph, options))


@dataclass(frozen=True)
class AnalysisReport:
    model: Model
    maturity: MaturityResult
    coverage: CoverageResult
    redundancy: RedundancyResult
    shelfware: ShelfwareResult
    kpi_computability: KpiComputabilityResult
    sla_feasibility: SlaFeasibilityResult
    exposure: ExposureResult
    flow_structure: FlowStructureResult


def run_all(model: Model, options: dict | None = None) -> AnalysisReport:
    """Every analysis; `options` maps an analysis name to its options (defaults otherwise)."""
    options = options or {}
    return AnalysisReport(model, **{name: result(model, name, options.get(name)) for name in ANALYSES})
