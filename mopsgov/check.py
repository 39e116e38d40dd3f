"""The check pipeline: load -> validate -> rules, producing one sorted list of findings."""
from __future__ import annotations

import marshal
from dataclasses import dataclass, field

from mopsgov import forking
from mopsgov.finding import Finding, Severity, as_plain, from_plain, sort_findings
from mopsgov.gc_pause import paused_gc
from mopsgov.load.model_loader import UNREADABLE_RULES, load_model
from mopsgov.model import Model
from mopsgov.rules.stage import judge, report
from mopsgov.validate import validate_model

FAIL_SEVERITIES = ("error", "warning", "info", "never")

@dataclass
class CheckResult:
    model: Model
    findings: list[Finding] = field(default_factory=list)
    fail_severity: str = "error"

    @property
    def unreadable(self) -> bool:
        return any(f.rule in UNREADABLE_RULES for f in self.findings)

    def failing(self) -> list[Finding]:
        if self.fail_severity == "never":
            return []
        floor = Severity.parse(self.fail_severity)
        return [f for f in self.findings if f.severity >= floor and f.suppressed_by is None]

    @property
    def exit_code(self) -> int:
        if self.unreadable:
            return 2
        return 1 if self.failing() else 0

    @property
    def held_back(self) -> list[Finding]:
        """Policy findings not reported while a validation error may be their cause."""
        return self.model.held_back

    def counts(self) -> dict[str, int]:
        counts = {"error": 0, "warning": 0, "info": 0, "suppressed": 0, "held_back": len(self.held_back)}
        for finding in self.findings:
            if finding.suppressed_by is not None:
                counts["suppressed"] += 1
            else:
                counts[finding.severity.label] += 1
        return counts


def configured_fail_severity(model: Model, override: str | None) -> str:
    if override:
        return override
    value = model.config.get("fail_severity")
    return value if value in FAIL_SEVERITIES else "error"


def run_check(path: str, fail_severity: str | None = None) -> CheckResult:
    """Load and check the model at path. Raises ModelPathError when path does not exist."""
    with paused_gc():  # a check builds the model and its indexes, which hold no reference cycles
        model, findings = load_model(path)
        return check_model(model, findings, fail_severity)


def check_model(model: Model, findings: list[Finding], fail_severity: str | None = None) -> CheckResult:
    """Validate a model already loaded (from disk or from git) and evaluate its policies, after its
    load findings. For a large model a forked copy validates while this process evaluates the
    policies, which do not need the validation result until the end."""
    with paused_gc():
        aside = None
        if forking.worth_forking(model.size):
            aside = forking.Aside(lambda: [marshal.dumps([as_plain(f) for f in validate_model(model)])])
        try:
            judgement = judge(model)
            validation = _received(aside.result()) if aside is not None else None
        finally:
            if aside is not None:
                aside.stop()
        findings = findings + (validation if validation is not None else validate_model(model))
        findings = findings + report(model, judgement, findings)
    return CheckResult(model, sort_findings(findings), configured_fail_severity(model, fail_severity))


def _received(blob: bytes | None) -> list[Finding] | None:
    if blob is None:
        return None
    try:
        return [from_plain(t) for t in marshal.loads(blob)]
    except (ValueError, TypeError, EOFError):
        return None
