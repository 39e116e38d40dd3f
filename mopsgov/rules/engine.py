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
from mopsgov.rules.registry import RuleContext, Violation, run
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


def schema_violations(rule: Rule, entities: list[Entity]):
    """One violation per problem the rule's schema finds, at the field it is about."""
    fragment = rule.data["assert"]["schema"]
    if isinstance(fragment, dict) and list(fragment) == ["required"] and all(isinstance(n, str) for n in fragment["required"]):
        # The most common assertion, "these fields are present": answered without the general check.
        for entity in entities:
            for name in fragment["required"]:
                if name not in entity.data:
                    yield _missing(entity, (), name)
        return
    passes = fast_test(fragment)  # exact where defined: the full check then only runs on entities that fail
    for entity in entities:
        if passes is not None and passes(entity.data):
            continue
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


def violations(active: ActiveRule, ctx: RuleContext):
    rule = active.rule
    if rule.predicate is not None and rule.predicate.scope == "model":
        return run(rule.predicate, active.options, ctx)
    entities = selected(rule, ctx.model)
    if rule.schema is not None:
        return schema_violations(rule, entities)
    return run(rule.predicate, active.options, ctx, entities)


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
    """Findings of every active rule; a rule that fails to run is itself reported, never raised."""
    ctx = ctx or RuleContext(model, model.as_of)
    findings: list[Finding] = []
    for item in active:
        try:
            findings += [to_finding(item, v, model) for v in violations(item, ctx)]
        except Exception as exc:  # a bug in a predicate or plugin must not hide the other rules' findings
            findings.append(Finding("policy.rule-failed", Severity.ERROR,
                                    f'rule "{item.rule.id}" could not be evaluated: {type(exc).__name__}: {exc}',
                                    item.rule.location("id"), fix="Report this with the model that triggers it."))
    return findings
