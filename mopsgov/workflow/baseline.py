"""Baselines: accept today's findings, fail only on new ones.

A baseline file records a fingerprint per finding: the rule, the entity (`kind:id`) and a hash of
what the finding is about (the policy engine's `fingerprint_data`, else the message with file
positions removed). Line numbers never take part, so moving an entity to another file, or adding
lines above it, keeps its finding baselined, while the same rule failing on another entity is new.

The file is JSON, sorted, without timestamps, so it diffs cleanly in review:

    {"version": 1, "tool": "mopsgov", "model": "...", "findings": [
       {"fingerprint": "...", "rule": "...", "entity": "tool:crm", "severity": "error", "message": "..."}]}
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from typing import Callable

from mopsgov.check import CheckResult
from mopsgov.finding import Finding

FORMAT_VERSION = 1
SUPPRESSED_BY = "baseline"

# "at tools.yaml:12:5", "(first at line 3)", "line 3, column 7": positions that move with edits.
_POSITIONS = re.compile(r"\S+:\d+:\d+|\b(?:line|lines|column|col)\s+\d+(?:\s*[-,]\s*\d+)?")


class BaselineError(Exception):
    """The baseline file cannot be read or is not a mopsgov baseline."""


def subject_of(finding: Finding) -> str:
    if finding.fingerprint_data is not None:
        return finding.fingerprint_data
    return _POSITIONS.sub("#", finding.message)


def entity_ref(finding: Finding) -> str:
    """`kind:id` of the finding's entity; a file-level finding is tied to its file instead."""
    if finding.entity:
        return f"{finding.kind}:{finding.entity}"
    if finding.kind:
        return f"{finding.kind}:{finding.path}"
    return f"file:{finding.file or '-'}"


def fingerprint(finding: Finding) -> str:
    text = "\x1f".join((finding.rule, entity_ref(finding), subject_of(finding)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def entry(finding: Finding) -> dict:
    return {"fingerprint": fingerprint(finding), "rule": finding.rule, "entity": entity_ref(finding),
            "severity": finding.severity.label, "message": finding.message}


def build(result: CheckResult) -> dict:
    """The baseline document for a check result: every finding not already waived."""
    entries = [entry(f) for f in result.findings if f.suppressed_by is None]
    entries.sort(key=lambda e: (e["rule"], e["entity"], e["fingerprint"], e["message"]))
    return {"version": FORMAT_VERSION, "tool": "mopsgov", "model": result.model.name, "findings": entries}


def dumps(document: dict) -> str:
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def parse(text: str, file: str) -> list[dict]:
    """The entries of a baseline file; BaselineError says what is wrong with it."""
    try:
        document = json.loads(text)
    except ValueError as exc:
        raise BaselineError(f"{file} is not JSON ({exc}); create it with mopsgov baseline") from None
    if not isinstance(document, dict) or document.get("tool") != "mopsgov" or not isinstance(document.get("findings"), list):
        raise BaselineError(f"{file} is not a mopsgov baseline; create it with mopsgov baseline")
    if document.get("version") != FORMAT_VERSION:
        raise BaselineError(f"{file} is a baseline of version {document.get('version')!r}; "
                            f"this mopsgov reads version {FORMAT_VERSION}: create it again with mopsgov baseline")
    entries = document["findings"]
    for index, item in enumerate(entries):
        if not isinstance(item, dict) or not isinstance(item.get("fingerprint"), str):
            raise BaselineError(f"{file}: entry {index + 1} has no fingerprint; create the file again with mopsgov baseline")
    return entries


def read(file: str) -> list[dict]:
    try:
        with open(file, encoding="utf-8") as handle:
            return parse(handle.read(), file)
    except OSError as exc:
        raise BaselineError(f"cannot read the baseline {file}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise BaselineError(f"{file} is not UTF-8 text; create it with mopsgov baseline") from None


@dataclass
class BaselineOutcome:
    file: str
    baselined: int = 0  # findings the baseline covers
    new: int = 0  # findings it does not cover
    fixed: list[dict] = field(default_factory=list)  # entries no finding matches any more


@dataclass
class BaselinedResult(CheckResult):
    """A check result with a baseline applied; reports show `baseline` when it is set."""

    baseline: BaselineOutcome | None = None


def pair_off(findings: list[Finding], others: list, key: Callable[[object], str]) -> tuple[list[Finding], list[Finding], list]:
    """Pair each finding with one of `others` of the same fingerprint (`key` gives an other's).

    Returns (paired findings, unpaired findings, unpaired others); each other pairs once, so two
    equal violations need two entries.
    """
    pool: dict[str, list] = {}
    for other in others:
        pool.setdefault(key(other), []).append(other)
    paired, unpaired = [], []
    for finding in findings:
        bucket = pool.get(fingerprint(finding))
        if bucket:
            bucket.pop(0)
            paired.append(finding)
        else:
            unpaired.append(finding)
    left = {id(other) for bucket in pool.values() for other in bucket}
    return paired, unpaired, [other for other in others if id(other) in left]


def apply(result: CheckResult, entries: list[dict], file: str) -> BaselinedResult:
    """Mark the findings the baseline covers as suppressed; waived findings are left as they are."""
    open_findings = [f for f in result.findings if f.suppressed_by is None]
    covered, uncovered, fixed = pair_off(open_findings, entries, lambda e: e["fingerprint"])
    covered_ids = {id(f) for f in covered}
    findings = [f.replace(suppressed_by=SUPPRESSED_BY) if id(f) in covered_ids else f for f in result.findings]
    outcome = BaselineOutcome(file, len(covered), len(uncovered), fixed)
    return BaselinedResult(result.model, findings, result.fail_severity, baseline=outcome)
