"""`path:line:col: severity rule-id message`, sorted by file and line, then a summary line.

Text from the model (keys, names, file names) is printed with its control characters escaped
(`\\n`, `\\x1b`): one finding is one line, and no value can start a line of its own, such as a
`::error::` command a CI runner would obey, or move the cursor of a terminal.
"""
from __future__ import annotations

import os
import re

from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity

# ANSI styles of the severity word on a terminal; the line format stays the same.
COLORS = {Severity.ERROR: "\033[1;31m", Severity.WARNING: "\033[33m", Severity.INFO: "\033[36m"}
DIM, RESET = "\033[2m", "\033[0m"
COLOR_MODES = ("auto", "always", "never")

# C0 and C1 controls, DEL, the Unicode line and paragraph separators, and the invisible
# characters that reorder or hide text on screen (bidirectional controls, as in "Trojan Source",
# a zero-width space, a byte order mark): a reviewer must see what the file says.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\u061c\u200b\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def escape_control(text: object) -> str:
    """The text with every control character written as an escape, so it stays on one line."""
    return _CONTROL.sub(lambda m: _NAMED.get(m.group(), f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100
                                             else f"\\u{ord(m.group()):04x}"), str(text))


def plural(count: int, word: str, many: str | None = None) -> str:
    """`1 finding`, `2 findings`."""
    return f"{count} {word if count == 1 else many or word + 's'}"


def use_color(stream, mode: str = "auto") -> bool:
    """`always` and `never` decide; `auto` colours a terminal only, not when NO_COLOR is set
    (https://no-color.org) or the terminal is dumb (TERM=dumb)."""
    if mode != "auto":
        return mode == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return hasattr(stream, "isatty") and stream.isatty()


def finding_line(finding: Finding, color: bool = False) -> str:
    where = str(finding.location) if finding.location else finding.file or "-"
    severity = finding.severity.label
    if color:
        severity = f"{DIM if finding.suppressed_by else COLORS[finding.severity]}{severity}{RESET}"
    line = f"{escape_control(where)}: {severity} {escape_control(finding.rule)} {escape_control(finding.message)}"
    if finding.suppressed_by:
        line += f" [{escape_control(finding.suppressed_by)}]"
    return line


def summary(result: CheckResult) -> str:
    counts = result.counts()
    parts = [plural(counts[name], name, "info" if name == "info" else None)
             for name in ("error", "warning", "info") if counts[name]]
    if counts["suppressed"]:
        parts.append(f"{counts['suppressed']} waived or baselined")
    where = f"in {plural(len(result.model.files), 'file')}"
    if not parts:
        return f"no findings {where}"
    verdict = "failed" if result.exit_code else "passed"
    held = f"; {plural(counts['held_back'], 'policy finding')} held back until the errors are fixed" if counts["held_back"] else ""
    return f"{', '.join(parts)} {where}: check {verdict} (fail severity: {result.fail_severity}){held}"


def fixed_in_baseline(count: int, file: str) -> str:
    """The same words in every format: `2 findings recorded in the baseline F are fixed; ...`."""
    return (f"{plural(count, 'finding')} recorded in the baseline {file} {'is' if count == 1 else 'are'} fixed; "
            "record the baseline again so it shrinks")


def baseline_lines(result: CheckResult) -> list[str]:
    """What a baseline (check --baseline) did: covered, new, and recorded findings now fixed."""
    outcome = getattr(result, "baseline", None)
    if outcome is None:
        return []
    lines = [escape_control(f"baseline {outcome.file}: {outcome.baselined} baselined, {outcome.new} new, {len(outcome.fixed)} fixed")]
    if outcome.fixed:
        lines.append("    fixed since the baseline was recorded (record it again so the file shrinks):")
        lines += [f"    - {escape_control(item.get('rule'))} {escape_control(item.get('entity'))}: {escape_control(item.get('message'))}"
                  for item in outcome.fixed]
    return lines


def render(result: CheckResult, color: bool = False) -> str:
    lines = []
    for finding in result.findings:
        lines.append(finding_line(finding, color))
        if finding.fix:
            lines.append(f"    fix: {escape_control(finding.fix)}")
    lines += baseline_lines(result)
    lines.append(summary(result))
    return "\n".join(lines) + "\n"
