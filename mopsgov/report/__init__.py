"""Report: each output format in a module of its own, all with `render(result) -> str`."""
from __future__ import annotations

from mopsgov.report import json_report, text

FORMATS = {
    "text": text.render,
    "json": json_report.render,
}
