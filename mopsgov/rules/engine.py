"""Evaluate the enabled rules on a model and turn their violations into findings.

Per rule: the selected entities (kind, then the `where` filter), then the assertion: a compiled
JSON Schema run on each entity (each mismatch a violation at the field concerned) or a
predicate from the registry. Conditions are compiled once when the pack loads, and predicates
share their indexes through `RuleContext.cache`, so a check stays linear in the model's size.
"""
from __future__ import annotations

import re

from mopsgov.finding import Finding, Location, Severity
from mopsgov.model import CONFIG_FILE, Entity, Model
from mopsgov.rules.conditions import fast_test
from mopsgov.rules.config import ActiveRule
from mopsgov.rules.pack import Rule, entity_values, violation_path
from mopsgov.rules.registry import RuleContext, Unjudgeable, Violation
from mopsgov.rules.schema_fields import showable
from mopsgov.validate import field_label
from mopsgov.validate.schema_compiler import Context, describe

_MISSING = re.compile(r'is missing the required field "(.+)"\Z')


def selected(rule: Rule, model: Model) -> list[Entity]:
    entities = model.of(rule.kind) if rule.kind else []
    if rule.where is None:
        return entities
    where = rule.where
    return [entity for entity in entities if where(entity.data)]


def schema_check(rule: Rule):
    """entity -> its violations of the rule's schema, one per problem, at the field it is about."""
    fragment = rule.data["assert"]["schema"]
    if isinstance(fragment, dict) and list(fragment) == ["required"] and all(isinstance(n, str) for n in fragment["required"]):
        # The most common assertion, "these fields are present": answered without the general check.
        names = fragment["required"]
        return lambda entity: [_missing(entity, (), name) for name in names if name not in entity.data]
    passes = fast_test(fragment)  # exact where defined: the full check then only runs on entities that fail

    def check(entity: Entity):
        if passes is not None and passes(entity.data):
            return
        ctx = Context(raw=entity.source.raw)
        rule.schema(entity.data, entity.path, ctx)
        for problem in ctx.problems:
            relative = problem.path[len(entity.path):]
            missing = _MISSING.match(problem.message)
            if missing:
                yield _missing(entity, relative, missing.group(1))
                continue
            label = field_label(entity.data, relative) if relative else entity.label()
            values = {"field": label, "problem": problem.message, "value": describe(_value_at(entity.data, relative))}
            yield Violation(entity, relative, values, at_key=problem.at_key, subject=f"{label}:{problem.rule}")
    return check


def _missing(entity: Entity, relative: tuple, name: str) -> Violation:
    label = field_label(entity.data, relative + (name,))
    values = {"field": label, "problem": f'is missing the required field "{name}"', "value": "nothing"}
    return Violation(entity, relative, values, subject=f"{label}:schema.missing-field")


def _value_at(data, path: tuple):
    node = data
    for part in path:
        if isinstance(node, dict) and part in node:
            node = node[part]
        elif isinstance(node, list) and isinstance(part, int) and part < len(node):
            node = node[part]
        else:
            return None
    return node


def batches(active: ActiveRule, ctx: RuleContext):
    """(entity, violations of the rule on it) for each selected entity, or (None, all of them) for a
    model-scope predicate; the violations are produced only when iterated."""
    rule, pred = active.rule, active.rule.predicate
    options = {**pred.options, **active.options} if pred is not None else {}
    if pred is not None and pred.scope == "model":
        yield None, lambda: pred.function(options, ctx)
        return
    function = schema_check(rule) if rule.schema is not None else lambda entity: pred.function(entity, options, ctx)
    for entity in selected(rule, ctx.model):
        yield entity, lambda entity=entity: function(entity)


def to_finding(active: ActiveRule, violation: Violation, model: Model) -> Finding:
    rule, entity = active.rule, violation.entity
    data = entity.data if entity else {}
    fields = {name: data[name] for name in rule.value_names if name in data and showable(data[name])}
    values = {**fields, "rule": rule.id, "title": rule.title, **active.options, **entity_values(entity), **violation.values}
    if entity is not None:
        location = entity.location(*violation.field, key=violation.at_key)
        path, ref = violation_path(entity, violation.field), entity.ref
    else:
        location = model.config_source.location(()) if model.config_source else Location(CONFIG_FILE, 1, 1)
        path, ref = "$", rule.kind or "model"
    subject = violation.subject or ";".join(f"{k}={v}" for k, v in sorted(violation.values.items()))
    # A finding no entity carries is about the whole model: no kind, so no entity waiver covers it.
    return Finding(rule.id, active.severity, rule.message.render(values), location,
                   kind=entity.kind if entity else None, entity=entity.id if entity else None, path=path,
                   fix=rule.remediation.render(values), fingerprint_data=f"{rule.id}|{ref}|{subject}",
                   related=tuple(other.location(*field) for other, field in violation.related))


def evaluate(model: Model, active: list[ActiveRule], ctx: RuleContext | None = None) -> list[Finding]:
    """Findings of every active rule. A rule that fails on an entity is itself reported there, and
    still judges the other entities; nothing is raised."""
    ctx = ctx or RuleContext(model, model.as_of)
    findings: list[Finding] = []
    unjudged: set[tuple] = set()  # two rules that cannot judge the same value say so once
    for item in active:
        for entity, produce in batches(item, ctx):
            try:
                for violation in produce():
                    findings.append(to_finding(item, violation, model))
            except Unjudgeable as problem:
                target = problem.entity or entity
                finding = unjudgeable(target, problem) if target is not None else failed(item, problem, None)
                if (str(finding.location), finding.message) not in unjudged:
                    unjudged.add((str(finding.location), finding.message))
                    findings.append(finding)
            except Exception as exc:  # a bug in a predicate or plugin must not hide the other findings
                findings.append(failed(item, exc, entity))
    return findings


def failed(item: ActiveRule, exc: Exception, entity: Entity | None) -> Finding:
    """The rule broke: at the entity it broke on (or at the rule, for a model-scope predicate)."""
    rule = item.rule
    where = f" on {entity.label()}" if entity is not None else ""
    message = f'rule "{rule.id}" could not be evaluated{where}: {type(exc).__name__}: {exc}'
    fix = "Report this with the model that triggers it."
    if entity is None:
        return Finding("policy.rule-failed", Severity.ERROR, message, rule.location("id"), fix=fix)
    return Finding("policy.rule-failed", Severity.ERROR, message, entity.location(), kind=entity.kind, entity=entity.id,
                   path=violation_path(entity, ()), fix=fix,
                   fingerprint_data=f"policy.rule-failed|{entity.ref}|{rule.id}")


def unjudgeable(entity: Entity, problem: Unjudgeable) -> Finding:
    return Finding("policy.cannot-judge", Severity.ERROR, f"{entity.label()}: {problem.message}",
                   entity.location(*problem.field), kind=entity.kind, entity=entity.id,
                   path=violation_path(entity, problem.field), fix=problem.fix,
                   fingerprint_data=f"policy.cannot-judge|{entity.ref}|{'.'.join(map(str, problem.field))}")
