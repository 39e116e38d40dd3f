"""Report: each output format in a module of its own, all with `render(result) -> str`.

A format's module is imported when a report in that format is rendered: a check that prints
text does not import the SARIF or JUnit writers.
"""
from __future__ import annotations

import importlib
from typing import Callable

# format name -> module in mopsgov.report
_MODULES = {"text": "text", "json": "json_report", "sarif": "sarif", "junit": "junit", "github": "github",
            "markdown": "markdown"}


def _renderer(module: str) -> Callable[..., str]:
    def render(result, **options) -> str:
        return importlib.import_module(f"{__name__}.{module}").render(result, **options)
    return render


FORMATS: dict[str, Callable[..., str]] = {name: _renderer(module) for name, module in _MODULES.items()}
