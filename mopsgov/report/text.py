"""`path:line:col: severity rule-id message`, sorted by file and line, then a summary line."""
from __future__ import annotations

from mopsgov.check import CheckResult
from mopsgov.finding import Finding


def finding_line(finding: Finding) -> str:
    where = str(finding.location) if finding.location else finding.file or "-"
    line = f"{where}: {finding.severity.label} {finding.rule} {finding.message}"
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


def render(result: CheckResult) -> str:
    lines = []
    for finding in result.findings:
        lines.append(finding_line(finding))
        if finding.fix:
            lines.append(f"    fix: {finding.fix}")
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
