"""The policy stage of `check`: load the packs, apply mopsgov.yaml, evaluate, apply waivers."""
from __future__ import annotations

from mopsgov.finding import Finding, Severity
from mopsgov.model import Model
from mopsgov.rules.config import configure, load_rules
from mopsgov.rules.engine import evaluate
from mopsgov.rules.registry import load_predicates
from mopsgov.rules.waivers import apply_waivers


def policy_stage(model: Model, findings_so_far: list[Finding]) -> list[Finding]:
    findings = [Finding("policy.plugin", Severity.ERROR, problem, None,
                        fix="Reinstall or remove the plugin package.") for problem in load_predicates()]
    rules, problems = load_rules(model)
    findings += problems
    active, problems = configure(rules, model)
    findings += problems
    return findings + apply_waivers(model, evaluate(model, active), {rule.id for rule in rules})
