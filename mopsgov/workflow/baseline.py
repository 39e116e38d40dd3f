"""Baselines: accept today's findings, fail only on new ones.

A baseline file records a fingerprint per finding: the rule, the entity (`kind:id`) and a hash of
what the finding is about (the policy engine's `fingerprint_data`, else the message with file
positions removed). Line numbers never take part, so moving an entity to another file, or adding
lines above it, keeps its finding baselined, while the same rule failing on another entity is new.
A finding about the whole model has the entity `model`; one about a file without an entity has
`file:<path relative to the model folder>`, so the path typed on the command line plays no part.

The file is JSON, sorted, without timestamps, so it diffs cleanly in review:

    {"version": 1, "tool": "mopsgov", "model": "...", "findings": [
       {"fingerprint": "...", "rule": "...", "entity": "tool:crm", "severity": "error", "message": "..."}]}
"""
from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import Callable

from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity
from mopsgov.load.model_loader import YAML_SUFFIXES

FORMAT_VERSION = 1
SUPPRESSED_BY = "baseline"
MODEL_SCOPE = "model"  # the entity key of a finding about the whole model
LOAD_RULE_GROUPS = ("yaml", "file")

# "at tools.yaml:12:5", "(first at line 3)", "line 3, column 7": positions that move with edits.
_POSITIONS = re.compile(r"\S+:\d+:\d+|\b(?:line|lines|column|col)\s+\d+(?:\s*[-,]\s*\d+)?")


class BaselineError(Exception):
    """The baseline file cannot be read or is not a mopsgov baseline."""


def is_load_finding(finding: Finding) -> bool:
    """A finding of reading a file (yaml.*, file.*): about that file alone, whatever the rest of the model holds."""
    return finding.rule.split(".")[0] in LOAD_RULE_GROUPS


def load_errors(result: CheckResult) -> list[Finding]:
    """The errors of files that could not be read into data (model files, mopsgov.yaml, policy packs).

    Such a model has parts missing, and its rules judge what is left: its findings cannot be
    recorded in a baseline or compared with another version's.
    """
    model = result.model
    sources = model.files + ([model.config_source] if model.config_source is not None else [])
    read = {source.file for source in sources if isinstance(source.data, dict)}
    return [f for f in result.findings if f.severity == Severity.ERROR and is_load_finding(f) and f.file not in read]


def subject_of(finding: Finding) -> str:
    if finding.fingerprint_data is not None:
        return finding.fingerprint_data
    return _POSITIONS.sub("#", finding.message)


def model_relative(file: str, root: str) -> str:
    """A file's path relative to the model folder: the same whether the command ran in it or above it."""
    folder = os.path.dirname(root) if root.endswith(YAML_SUFFIXES) else root
    if folder in ("", "."):
        return PurePath(os.path.normpath(file)).as_posix()
    return PurePath(os.path.relpath(file, folder)).as_posix()


def entity_ref(finding: Finding, root: str = "") -> str:
    """What a finding is about, whatever path was typed: `kind:id` of its entity, `model` for a rule
    about the whole model, else its file relative to the model folder `root`."""
    if finding.kind == MODEL_SCOPE:
        return MODEL_SCOPE
    if finding.entity:
        return f"{finding.kind}:{finding.entity}"
    if finding.fingerprint_data is not None:  # a policy rule on the whole model, located at mopsgov.yaml
        return MODEL_SCOPE
    if finding.kind:
        return f"{finding.kind}:{finding.path}"
    if finding.file is None:
        return MODEL_SCOPE
    return f"file:{model_relative(finding.file, root)}"


def fingerprint(finding: Finding, root: str = "") -> str:
    text = "\x1f".join((finding.rule, entity_ref(finding, root), subject_of(finding)))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def entry(finding: Finding, root: str = "") -> dict:
    return {"fingerprint": fingerprint(finding, root), "rule": finding.rule, "entity": entity_ref(finding, root),
            "severity": finding.severity.label, "message": finding.message}


def build(result: CheckResult) -> dict:
    """The baseline document for a check result: every finding not already waived, and the policy
    findings held back by a validation error (they are the model's debt too, and come back once
    the error is fixed)."""
    entries = [entry(f, result.model.root) for f in result.findings + result.held_back if f.suppressed_by is None]
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


def pair_off(findings: list[Finding], others: list, key: Callable[[Finding], str],
             other_key: Callable[[object], str]) -> tuple[list[Finding], list[Finding], list]:
    """Pair each finding with one of `others` of the same key (`key` gives a finding's, `other_key` an other's).

    Returns (paired findings, unpaired findings, unpaired others); each other pairs once, so two
    equal violations need two entries.
    """
    pool: dict[str, list] = {}
    for other in others:
        pool.setdefault(other_key(other), []).append(other)
    paired, unpaired = [], []
    for finding in findings:
        bucket = pool.get(key(finding))
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
    root = result.model.root
    covered, uncovered, fixed = pair_off(open_findings, entries, lambda f: fingerprint(f, root), lambda e: e["fingerprint"])
    # an entry of a finding that is only held back (by a validation error) is not fixed
    _, _, fixed = pair_off(result.held_back, fixed, lambda f: fingerprint(f, root), lambda e: e["fingerprint"])
    covered_ids = {id(f) for f in covered}
    findings = [f.replace(suppressed_by=SUPPRESSED_BY) if id(f) in covered_ids else f for f in result.findings]
    outcome = BaselineOutcome(file, len(covered), len(uncovered), fixed)
    return BaselinedResult(result.model, findings, result.fail_severity, baseline=outcome)
