"""Report: each output format in a module of its own, all with `render(result) -> str`."""
from __future__ import annotations

from mopsgov.report import github, json_report, junit, markdown, sarif, text

FORMATS = {
    "text": text.render,
    "json": json_report.render,
    "sarif": sarif.render,
    "junit": junit.render,
    "github": github.render,
    "markdown": markdown.render,
}
