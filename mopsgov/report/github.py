"""GitHub Actions workflow commands: one annotation per finding on the line it points at.

`::error file=F,line=L,col=C,endLine=L2,endColumn=C2,title=RULE::MESSAGE`; info findings are
notices. Waived and baselined findings are notices too, saying what covers them (`waived by
waiver W until DATE`, `recorded in the baseline`), so exceptions stay visible on the lines they
are about. Values are escaped as the runner expects: `%`, CR and LF everywhere, `:` and `,` in
properties too; other control characters are written as escapes (`\x1b`).
"""
from __future__ import annotations

from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity
from mopsgov.report.paths import review_path
from mopsgov.report.text import escape_control, fixed_in_baseline, summary
from mopsgov.workflow.baseline import SUPPRESSED_BY

COMMANDS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def escape_data(text: str) -> str:
    """`%`, CR and LF as the runner reads them; any other control character as a visible escape
    (a terminal escape sequence from the model would otherwise colour or rewrite the CI log)."""
    return escape_control(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, finding: Finding | None = None, title: str | None = None) -> str:
    props = []
    loc = finding.location if finding else None
    if loc is not None:
        props += [("file", review_path(loc.file)), ("line", loc.line), ("col", loc.column)]
        if loc.end_line is not None:
            props.append(("endLine", loc.end_line))
            if loc.end_column is not None and loc.end_line == loc.line:
                props.append(("endColumn", loc.end_column))
    if title:
        props.append(("title", title))
    head = ",".join(f"{key}={escape_property(str(value))}" for key, value in props)
    return f"::{command}{' ' + head if head else ''}::{escape_data(message)}"


def covered_by(finding: Finding) -> str:
    """What covers a suppressed finding, in words: a waiver says so itself."""
    if finding.suppressed_by == SUPPRESSED_BY:
        return "recorded in the baseline"
    return str(finding.suppressed_by)


def annotations(findings: list[Finding]) -> list[str]:
    """One annotation per finding; a waived or baselined one is a notice that says what covers it."""
    out = []
    for finding in findings:
        message = finding.message + (f"\nFix: {finding.fix}" if finding.fix else "")
        if finding.suppressed_by is None:
            out.append(annotation(COMMANDS[finding.severity], message, finding, finding.rule))
        else:
            out.append(annotation("notice", f"{covered_by(finding)} ({finding.severity.label}): {message}", finding,
                                  f"{finding.rule} ({'baselined' if finding.suppressed_by == SUPPRESSED_BY else 'waived'})"))
    return out


def render(result: CheckResult) -> str:
    lines = annotations(result.findings)
    outcome = getattr(result, "baseline", None)
    if outcome is not None and outcome.fixed:
        lines.append(annotation("notice", fixed_in_baseline(len(outcome.fixed), outcome.file), title="baseline"))
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
