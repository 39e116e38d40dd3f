"""`path:line:col: severity rule-id message`, sorted by file and line, then a summary line."""
from __future__ import annotations

import os

from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity

# ANSI styles of the severity word on a terminal; the line format stays the same.
COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
DIM, RESET = "\033[2m", "\033[0m"


def use_color(stream) -> bool:
    """Colour only on a terminal, and never when NO_COLOR is set (https://no-color.org)."""
    return not os.environ.get("NO_COLOR") and hasattr(stream, "isatty") and stream.isatty()


def finding_line(finding: Finding, color: bool = False) -> str:
    where = str(finding.location) if finding.location else finding.file or "-"
    severity = finding.severity.label
    if color:
        severity = f"{DIM if finding.suppressed_by else COLORS[finding.severity]}{severity}{RESET}"
    line = f"{where}: {severity} {finding.rule} {finding.message}"
    if finding.suppressed_by:
        line += f" [{finding.suppressed_by}]"
    return line


def summary(result: CheckResult) -> str:
    counts = result.counts()
    parts = [f"{counts[name]} {name}{'' if counts[name] == 1 or name == 'info' else 's'}"
             for name in ("error", "warning", "info") if counts[name]]
    if counts["suppressed"]:
        parts.append(f"{counts['suppressed']} waived or baselined")
    files = len(result.model.files)
    where = f"in {files} file{'s' if files != 1 else ''}"
    if not parts:
        return f"no findings {where}"
    verdict = "failed" if result.exit_code else "passed"
    return f"{', '.join(parts)} {where}: check {verdict} (fail severity: {result.fail_severity})"


def baseline_lines(result: CheckResult) -> list[str]:
    """What a baseline (check --baseline) did: covered, new, and recorded findings now fixed."""
    outcome = getattr(result, "baseline", None)
    if outcome is None:
        return []
    lines = [f"baseline {outcome.file}: {outcome.baselined} baselined, {outcome.new} new, {len(outcome.fixed)} fixed"]
    if outcome.fixed:
        lines.append("    fixed since the baseline was recorded (record it again so the file shrinks):")
        lines += [f"    - {item.get('rule')} {item.get('entity')}: {item.get('message')}" for item in outcome.fixed]
    return lines


def render(result: CheckResult, color: bool = False) -> str:
    lines = []
    for finding in result.findings:
        lines.append(finding_line(finding, color))
        if finding.fix:
            lines.append(f"    fix: {finding.fix}")
    lines += baseline_lines(result)
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
