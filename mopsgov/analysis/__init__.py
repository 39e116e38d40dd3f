"""Graph analyses of the operating model: what no linter and no spreadsheet shows.

Each analysis lives in a module of its own as a pure function `analyze_<name>(model, graph,
options) -> <Result>` with everything a report needs; `run_all(model)` runs them all (once per
model) for `mopsgov analyze` and the documentation site, and `mopsgov.analysis.predicates` turns
their results into policy findings. `analyze_impact(model, "tool:crm")` answers what depends on
an entity.
"""
from __future__ import annotations

from mopsgov.analysis.impact import ImpactResult, UnknownEntity, analyze_impact
from mopsgov.analysis.runner import ANALYSES, AnalysisReport, result, run_all

__all__ = ["ANALYSES", "AnalysisReport", "ImpactResult", "UnknownEntity", "analyze_impact", "result", "run_all"]
