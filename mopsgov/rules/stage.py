"""The policy stage of `check`: load the packs, apply mopsgov.yaml, evaluate, apply waivers (judge),
then hold back what follows from validation errors (report)."""
from __future__ import annotations

from dataclasses import dataclass

from mopsgov.finding import Finding, Severity
from mopsgov.model import Model
from mopsgov.rules.config import config_location, configure, load_rules
from mopsgov.rules.engine import evaluate
from mopsgov.rules.registry import load_problems
from mopsgov.rules.waivers import apply_waivers
from mopsgov.rules.consequences import hold_back


def incomplete(model: Model) -> bool:
    """A file of the model could not be read at all: rules would judge a model with parts missing."""
    return any(f.data is None and any(x.severity == Severity.ERROR for x in f.findings) for f in model.files)


@dataclass
class Judgement:
    """What the rules found, before validation errors hold any of it back."""

    problems: list[Finding]  # about the packs and mopsgov.yaml: always reported
    judged: list[Finding]  # the rules' findings, waivers applied
    active: list


def judge(model: Model) -> Judgement | None:
    """Load the packs, apply mopsgov.yaml, evaluate and apply the waivers; None while a model file
    is unreadable (that already fails check) or the model has no entities. Needs no validation
    result, so it may run while the model is validated."""
    if incomplete(model) or not any(model.entities.values()):
        return None
    rules, problems = load_rules(model)
    findings = [Finding("policy.plugin", Severity.ERROR, problem, config_location(model, ()),
                        fix="Reinstall or remove the plugin package.") for problem in load_problems()] + problems
    active, problems = configure(rules, model)
    findings += problems
    return Judgement(findings, apply_waivers(model, evaluate(model, active), {rule.id for rule in rules}), active)


def report(model: Model, judgement: Judgement | None, findings_so_far: list[Finding]) -> list[Finding]:
    """The policy findings to report: none that merely follow from a validation error in
    findings_so_far (see rules.consequences); those are kept in model.held_back."""
    if judgement is None:
        return []
    kept = hold_back(model, judgement.judged, findings_so_far, judgement.active)
    reported = {id(finding) for finding in kept}
    model.held_back = [finding for finding in judgement.judged if id(finding) not in reported]
    return judgement.problems + kept

