"""The policy stage of `check`: load the packs, apply mopsgov.yaml, evaluate, apply waivers."""
from __future__ import annotations

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


def policy_stage(model: Model, findings_so_far: list[Finding]) -> list[Finding]:
    """Policy findings, waivers applied; none while a model file is unreadable (that already fails check),
    and none that merely follow from a validation error in findings_so_far (see rules.consequences)."""
    if incomplete(model) or not any(model.entities.values()):
        return []
    rules, problems = load_rules(model)
    findings = [Finding("policy.plugin", Severity.ERROR, problem, config_location(model, ()),
                        fix="Reinstall or remove the plugin package.") for problem in load_problems()] + problems
    active, problems = configure(rules, model)
    findings += problems
    judged = apply_waivers(model, evaluate(model, active), {rule.id for rule in rules})
    kept = hold_back(model, judged, findings_so_far, active)
    reported = {id(finding) for finding in kept}
    model.held_back = [finding for finding in judged if id(finding) not in reported]
    return findings + kept
