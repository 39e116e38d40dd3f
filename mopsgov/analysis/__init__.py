"""Graph analyses of the operating model: what no linter and no spreadsheet shows.

Each analysis lives in a module of its own as a pure function `analyze_<name>(model, graph,
options) -> <Result>` with everything a report needs; `run_all(model)` runs them all (once per
model) for `mopsgov analyze` and the documentation site, and `mopsgov.analysis.predicates` turns
their results into policy findings. `analyze_impact(model, "tool:crm")` answers what depends on
an entity.
"""
from __future__ import annotations

import importlib

# name -> the module that defines it; imported on first use, so the analyses that `check` runs
# as policy rules do not import networkx (which only impact and the full graph need).
_EXPORTS = {"ANALYSES": "runner", "AnalysisReport": "runner", "result": "runner", "run_all": "runner",
            "ImpactResult": "impact", "UnknownEntity": "impact", "analyze_impact": "impact"}
__all__ = sorted(_EXPORTS)


def __getattr__(name: str):
    if name not in _EXPORTS:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(f"{__name__}.{_EXPORTS[name]}"), name)
