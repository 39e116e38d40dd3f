"""Markdown, for a pull-request comment or the job summary ($GITHUB_STEP_SUMMARY).

A verdict line, a count per severity, then the findings in a table (errors first); waived and
baselined findings fold into a <details> block. Every value from the model is escaped, so a
name cannot inject markup, links or HTML into the comment.
"""
from __future__ import annotations

import re

from mopsgov.check import CheckResult
from mopsgov.finding import Finding
from mopsgov.report.text import escape_control, fixed_in_baseline, plural

# Characters that start markup inside a table cell; @ and # so names cannot mention people or issues.
MAX_ROWS = 200
_SPECIAL = re.compile(r"([\\`*_\[\]<>|~&@#])")


def md(text: object) -> str:
    """Text for a markdown table cell: control characters (line breaks too) written as escapes
    such as \\n, so a value stays in its cell, and markup characters escaped."""
    return _SPECIAL.sub(r"\\\1", escape_control(text))


def code(text: object) -> str:
    """Inline code; backticks inside are replaced so the span cannot be closed early."""
    return f"`{escape_control(text).replace('`', 'ˋ').replace('|', '¦')}`"


def where(finding: Finding) -> str:
    return code(finding.location) if finding.location else "—"


def findings_table(findings: list[Finding]) -> list[str]:
    """The findings, errors first; at most MAX_ROWS rows, so a comment stays within GitHub's size limit."""
    lines = ["| Severity | Rule | Where | Finding |", "|---|---|---|---|"]
    ordered = sorted(findings, key=lambda f: (-f.severity, f.sort_key()))
    for f in ordered[:MAX_ROWS]:
        text = md(f.message) + (f"<br>**Fix:** {md(f.fix)}" if f.fix else "")
        if f.suppressed_by:
            text += f" ({md(f.suppressed_by)})"
        lines.append(f"| {f.severity.label} | {code(f.rule)} | {where(f)} | {text} |")
    if len(ordered) > MAX_ROWS:
        lines.append(f"| | | | … and {len(ordered) - MAX_ROWS} more: see the SARIF or JSON report |")
    return lines


def counts_line(counts: dict) -> str:
    line = " · ".join(plural(counts[k], k) for k in ("error", "warning")) + f" · {counts['info']} info · {counts['suppressed']} waived or baselined"
    if counts.get("held_back"):
        line += f" · {plural(counts['held_back'], 'policy finding')} held back until the errors are fixed"
    return line


def render(result: CheckResult) -> str:
    counts = result.counts()
    verdict = {0: "✅ passed", 1: "❌ failed", 2: "❌ failed: the model could not be read"}[result.exit_code]
    lines = [f"## mopsgov check {verdict}", "",
             f"Model **{md(result.model.name)}**, {plural(len(result.model.files), 'file')}, fail severity **{result.fail_severity}**.", "",
             counts_line(counts), ""]
    open_findings = [f for f in result.findings if f.suppressed_by is None]
    suppressed = [f for f in result.findings if f.suppressed_by is not None]
    if open_findings:
        lines += findings_table(open_findings) + [""]
    if suppressed:
        lines += [f"<details><summary>{plural(len(suppressed), 'waived or baselined finding')}</summary>", ""]
        lines += findings_table(suppressed) + ["", "</details>", ""]
    outcome = getattr(result, "baseline", None)
    if outcome is not None and outcome.fixed:
        lines += [fixed_in_baseline(len(outcome.fixed), code(outcome.file)) + ":", ""]
        lines += [f"- {code(item.get('rule'))} {code(item.get('entity'))}: {md(item.get('message'))}" for item in outcome.fixed]
        lines.append("")
    return "\n".join(lines).rstrip("\n") + "\n"
