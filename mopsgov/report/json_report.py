"""The machine-readable report; its JSON Schema is schemas/report.schema.json."""
from __future__ import annotations

import json

from mopsgov import __version__
from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Location


def location_dict(location: Location | None) -> dict:
    if location is None:
        return {"file": None, "line": None, "column": None, "end_line": None, "end_column": None}
    return {"file": location.file, "line": location.line, "column": location.column,
            "end_line": location.end_line, "end_column": location.end_column}


def finding_dict(finding: Finding) -> dict:
    return {
        "rule": finding.rule,
        "severity": finding.severity.label,
        "message": finding.message,
        "fix": finding.fix,
        **location_dict(finding.location),
        "kind": finding.kind,
        "entity": finding.entity,
        "path": finding.path,
        "related": [location_dict(r) for r in finding.related],
        "suppressed_by": finding.suppressed_by,
    }


def report_dict(result: CheckResult) -> dict:
    return {
        "tool": {"name": "mopsgov", "version": __version__},
        "model": {"name": result.model.name, "root": result.model.root, "files": len(result.model.files)},
        "fail_severity": result.fail_severity,
        "exit_code": result.exit_code,
        "summary": result.counts(),
        "findings": [finding_dict(f) for f in result.findings],
        **baseline_dict(result),
    }


def baseline_dict(result: CheckResult) -> dict:
    """`baseline`, only when check ran with --baseline: counts and the recorded findings now fixed."""
    outcome = getattr(result, "baseline", None)
    if outcome is None:
        return {}
    return {"baseline": {"file": outcome.file, "baselined": outcome.baselined, "new": outcome.new,
                         "fixed": outcome.fixed}}


def render(result: CheckResult) -> str:
    return json.dumps(report_dict(result), indent=2, ensure_ascii=False) + "\n"
