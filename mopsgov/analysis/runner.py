"""Run the analyses: one at a time (memoised per model and options) or all at once for a report."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

from mopsgov.analysis import cache, coverage, exposure, flow_structure, kpi_computability, maturity, redundancy
from mopsgov.analysis import shelfware, sla_feasibility
from mopsgov.analysis.common import merged
from mopsgov.analysis.coverage import CoverageResult, analyze_coverage
from mopsgov.analysis.exposure import ExposureResult, analyze_exposure
from mopsgov.analysis.flow_structure import FlowStructureResult, analyze_flow_structure
from mopsgov.analysis.kpi_computability import KpiComputabilityResult, analyze_kpi_computability
from mopsgov.analysis.maturity import MaturityResult, analyze_maturity
from mopsgov.analysis.redundancy import RedundancyResult, analyze_redundancy
from mopsgov.analysis.shelfware import ShelfwareResult, analyze_shelfware
from mopsgov.analysis.sla_feasibility import SlaFeasibilityResult, analyze_sla_feasibility
from mopsgov.gc_pause import paused_gc
from mopsgov.model import Model
from mopsgov.fields import mapping

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


DEFAULTS = {"coverage": coverage.DEFAULTS, "exposure": exposure.DEFAULTS, "flow_structure": flow_structure.DEFAULTS,
            "kpi_computability": kpi_computability.DEFAULTS, "maturity": maturity.DEFAULTS,
            "redundancy": redundancy.DEFAULTS, "shelfware": shelfware.DEFAULTS, "sla_feasibility": sla_feasibility.DEFAULTS}
# Rules of policies/builtin/analysis.yaml whose options in mopsgov.yaml also shape `mopsgov analyze`.
RULE_OPTIONS = {"stack.shelfware": "shelfware", "stack.redundant-tools": "redundancy"}


def result(model: Model, name: str, options: dict | None = None, graph=None):
    """The result of one analysis, computed once per model and option set."""
    opts = merged(DEFAULTS[name], options)

    def compute():
        with paused_gc():
            return ANALYSES[name](model, graph, opts)
    return cache.memo(model, (name, cache.options_key(opts)), compute)


def configured_options(model: Model) -> dict:
    """Analysis options set in mopsgov.yaml for the rules that share them (policies.rules.<id>.options)."""
    rules = mapping(mapping(model.config.get("policies")).get("rules"))
    return {name: mapping(mapping(rules.get(rule)).get("options")) for rule, name in RULE_OPTIONS.items()}


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
    """Every analysis; `options` maps an analysis name to its options (else mopsgov.yaml's, else defaults)."""
    options = options if options is not None else configured_options(model)
    with paused_gc():
        return AnalysisReport(model, **{name: result(model, name, options.get(name)) for name in ANALYSES})
