"""The check pipeline: load -> validate -> rules, producing one sorted list of findings."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from mopsgov.finding import Finding, Severity, sort_findings
from mopsgov.gc_pause import paused_gc
from mopsgov.load.model_loader import UNREADABLE_RULES, load_model
from mopsgov.model import Model
from mopsgov.rules.stage import policy_stage
from mopsgov.validate import validate_model

FAIL_SEVERITIES = ("error", "warning", "info", "never")

# Stages after loading; each takes the model and returns findings. Later stages (policy rules,
# graph analyses) register here so every command that checks a model runs the same pipeline.
Stage = Callable[[Model, list], list]
STAGES: list[Stage] = [lambda model, findings: validate_model(model), policy_stage]


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
    """Run the stages on a model already loaded (from disk or from git), after its load findings."""
    with paused_gc():
        for stage in STAGES:
            findings = findings + stage(model, findings)
    return CheckResult(model, sort_findings(findings), configured_fail_severity(model, fail_severity))
