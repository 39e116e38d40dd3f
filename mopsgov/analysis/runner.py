"""Run the analyses: one at a time (memoised per model and options) or all at once for a report."""
from __future__ import annotations

import importlib
from dataclasses import dataclass
from types import ModuleType
from typing import TYPE_CHECKING

from mopsgov.analysis import cache
from mopsgov.analysis.common import merged
from mopsgov.fields import mapping
from mopsgov.gc_pause import paused_gc
from mopsgov.model import Model

if TYPE_CHECKING:  # the result types, for the report's fields
    from mopsgov.analysis.coverage import CoverageResult
    from mopsgov.analysis.exposure import ExposureResult
    from mopsgov.analysis.flow_structure import FlowStructureResult
    from mopsgov.analysis.kpi_computability import KpiComputabilityResult
    from mopsgov.analysis.maturity import MaturityResult
    from mopsgov.analysis.redundancy import RedundancyResult
    from mopsgov.analysis.shelfware import ShelfwareResult
    from mopsgov.analysis.sla_feasibility import SlaFeasibilityResult

# The analyses, each in mopsgov/analysis/<name>.py with analyze_<name>(model, graph, options) and
# its DEFAULTS, in the order a report shows them. A module is imported when its analysis first
# runs: a check whose rules need no maturity level does not import the scorecard.
ANALYSES: tuple[str, ...] = ("maturity", "coverage", "redundancy", "shelfware", "kpi_computability",
                             "sla_feasibility", "exposure", "flow_structure")


def _module(name: str) -> ModuleType:
    if name not in ANALYSES:
        raise KeyError(name)
    return importlib.import_module(f"mopsgov.analysis.{name}")


# Rules of policies/builtin/analysis.yaml whose options in mopsgov.yaml also shape `mopsgov analyze`.
RULE_OPTIONS = {"stack.shelfware": "shelfware", "stack.redundant-tools": "redundancy"}


def result(model: Model, name: str, options: dict | None = None, graph=None):
    """The result of one analysis, computed once per model and option set."""
    module = _module(name)
    opts = merged(module.DEFAULTS, options)

    def compute():
        with paused_gc():
            return getattr(module, f"analyze_{name}")(model, graph, opts)
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
