"""Policy findings that follow from a validation error are held back, so the cause is seen first.

A rule reads the fields as they are written. When a field is misspelt (`Owner:`), of the wrong
type (`annual_cost: 12k`), outside its vocabulary (`form: outcomes`) or names nothing
(`to: nowhere`), the rule judges a value the author did not mean and reports a second,
misleading finding ("has no owner", "no outcome KPI", "shelfware"). The rule, as docs/policies.md
states it:

- a policy finding about an entity is held back while that entity has a validation error,
  while an entity with one names it (a broken flow leaves both its tools half described), or
  while it names an entity with one (a KPI reading a data object whose system of record is
  misspelt);
- a finding of a rule that weighs the whole model (a model-scope predicate: KPI forms, coverage,
  redundancy, shelfware) is held back while any entity of the kind it reports on has one;
- a finding about the model as a whole (carried by no entity) is held back while the model has
  any validation error;
- an error in mopsgov.yaml holds back only what depends on the part it is in: a rule's setting
  (`policies.rules.R`: its severity, its thresholds) holds back rule R's findings, wherever they
  are; a setting some predicates read (`privacy`) holds back their rules; `as_of`, `exclude`,
  `policies` as a whole, an unknown setting or an unreadable file count as an error of the whole
  model; the settings no rule reads (`name`, `currency`, `fail_severity`, `limits`, `vocabulary`,
  whose terms the entities using them are checked against) hold back nothing.

Held-back findings come back, if still true, once validation passes. Only findings of policy
rules are held back, and the warning that a waiver matches no finding when the entity it waives
has an error (the finding it waived may be the one held back); the other findings about waivers
and packs are not consequences of the model's errors.
"""
from __future__ import annotations

import bisect
import json
import math
from functools import lru_cache

from mopsgov.finding import Finding, Location, Severity, path_parts
from mopsgov.model import Entity, Model
from mopsgov.resources import load_schema
from mopsgov.rules.config import ActiveRule
from mopsgov.rules.waivers import UNMATCHED
from mopsgov.validate import VALIDATION_FAMILIES, json_path, named_entities

ANY_KIND = None  # an error about a whole file or collection touches every kind


def hold_back(model: Model, judged: list[Finding], earlier: list[Finding], active: list[ActiveRule]) -> list[Finding]:
    """`judged` without the policy findings that are consequences of the validation errors in `earlier`."""
    errors = [f for f in earlier if f.severity == Severity.ERROR and f.rule.startswith(VALIDATION_FAMILIES)]
    if not errors:
        return judged
    config_file = model.config_source.location(()).file if model.config_source is not None else None
    settings = [f for f in errors if f.file is not None and f.file == config_file]
    errors = [f for f in errors if f.file is None or f.file != config_file]
    held_rules = _config_rules(settings, active)  # None: the error may change every rule
    invalid, relational, kinds = _invalid(model, errors)
    if held_rules is None:
        kinds.add(ANY_KIND)
        held_rules = set()
    model_error = bool(kinds)
    touched = _touched(model, invalid, relational)
    rule_ids = {item.rule.id for item in active}
    model_wide = {item.rule.id for item in active if item.rule.predicate is not None and item.rule.predicate.scope == "model"}

    def consequence(finding: Finding) -> bool:
        if finding.rule == UNMATCHED:
            waiver = model.get("waiver", finding.entity)
            return (_waives_invalid(waiver, rule_ids, touched, kinds)
                    or waiver is not None and waiver.get("rule") in held_rules)
        if finding.rule not in rule_ids:
            return False
        if finding.rule in held_rules:
            return True
        if finding.entity is None:
            return model_error
        if (finding.kind, finding.entity) in touched:
            return True
        return finding.rule in model_wide and (finding.kind in kinds or ANY_KIND in kinds)

    return [finding for finding in judged if not consequence(finding)]


def _touched(model: Model, invalid: set, relational: set) -> set[tuple[str, str]]:
    """The entities with an error, those a relational one names, and every entity that names one
    (a KPI reading a data object with no valid system of record)."""
    touched = set(invalid)
    for kind, entity_id in relational:
        touched |= named_entities(model, model.entities[kind][entity_id])
    # Naming an entity means writing its id: one pass over the model's text values finds the few
    # entities that may, and only those are read against their schema. Linear, with a small factor.
    ids = frozenset(entity_id for _, entity_id in invalid)
    for entities in model.entities.values():
        for entity in entities.values():
            if ((entity.kind, entity.id) not in touched and _mentions(entity.data, ids)
                    and not named_entities(model, entity).isdisjoint(invalid)):
                touched.add((entity.kind, entity.id))
    return touched


def _mentions(data, ids: frozenset) -> bool:
    """Whether any text in data (a value, or a key: RACI entries are keyed by role) is one of ids."""
    if not ids:
        return False
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, str):
            if node in ids:
                return True
        elif isinstance(node, dict):
            if not ids.isdisjoint(node):
                return True
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return False


# Parts of mopsgov.yaml that no rule reads, and those that only some predicates read.
_READ_BY_NONE = frozenset({"name", "description", "currency", "fail_severity", "limits", "vocabulary"})
_READ_BY = {"privacy": frozenset({"analysis.personal-data-exposure"})}


def _config_rules(settings: list[Finding], active: list[ActiveRule]) -> set[str] | None:
    """The rules whose findings the errors in mopsgov.yaml may change; None when that is every rule."""
    held: set[str] = set()
    for finding in settings:
        try:
            steps = path_parts(finding.path)
        except ValueError:
            return None  # a path no finding of the validation writes: hold back every rule
        if steps[:1] and steps[0] in _READ_BY_NONE:
            continue
        if steps[:1] and steps[0] in _READ_BY:
            readers = _READ_BY[steps[0]]
            held |= {item.rule.id for item in active if item.rule.predicate and item.rule.predicate.name in readers}
        elif len(steps) >= 3 and steps[:2] == ("policies", "rules"):
            held.add(str(steps[2]))
        else:
            return None
    return held


def _waives_invalid(waiver: Entity | None, rule_ids: set, touched: set, kinds: set) -> bool:
    """A waiver of a known rule on an entity with an error: the finding it waives may be held back."""
    target = waiver.get("entity") if waiver is not None else None
    if waiver is None or waiver.get("rule") not in rule_ids or not isinstance(target, str):
        return False
    kind, _, entity_id = target.partition(":")
    return (kind, entity_id) in touched or (entity_id == "*" and (kind in kinds or ANY_KIND in kinds))


def _invalid(model: Model, errors: list[Finding]) -> tuple[set, set, set[str | None]]:
    """The entities with an error; those whose error may change what they relate (an error in a
    field that names other entities, an unknown field, an unreadable part); and the kinds with
    one (ANY_KIND for errors outside every entity)."""
    invalid: set[tuple[str, str]] = set()
    relational: set[tuple[str, str]] = set()
    kinds: set[str | None] = set()
    spans: dict[str, list] | None = None
    for finding in errors:
        if finding.kind in model.entities and finding.entity in model.entities[finding.kind]:
            owner = (finding.kind, finding.entity)
        elif finding.kind in model.entities:
            owner = None  # an entity without a usable id: no finding can be about it
        else:
            # The reader's errors carry a position only: they belong to the entity written around it.
            spans = spans if spans is not None else _spans(model)
            owner = _enclosing(spans, finding.location)
        if owner is not None:
            invalid.add(owner)
            if _relational(model.entities[owner[0]][owner[1]], finding):
                relational.add(owner)
        kinds.add(owner[0] if owner else finding.kind if finding.kind in model.entities else ANY_KIND)
    return invalid, relational, kinds


def _relational(entity: Entity, finding: Finding) -> bool:
    """Whether the error sits in a field that names other entities, or one the schema does not know."""
    if not finding.rule.startswith(("schema.", "ref.")):
        return True  # a reader error: what the entity relates is unknown
    rest = finding.path.removeprefix(json_path(entity.path))
    if rest == finding.path or rest[:1] not in (".", "["):
        return True  # the entity itself (a missing field), or a path outside it
    return not any(rest == field or rest.startswith((field + ".", field + "["))
                   for field in (json_path((name,))[1:] for name in _plain_fields(entity.kind)))


@lru_cache(maxsize=None)
def _plain_fields(kind: str) -> frozenset[str]:
    """The fields of a kind that name no other entity anywhere inside them."""
    properties = load_schema(f"{kind}.schema.json").get("properties", {})
    return frozenset(name for name, spec in properties.items() if '"x-ref"' not in json.dumps(spec))


def _spans(model: Model) -> dict[str, list]:
    """file -> [(start, end, kind, id)] of its entities, by start; entities never overlap."""
    out: dict[str, list] = {}
    for kind, entities in model.entities.items():
        for entity in entities.values():
            where = entity.location()
            end = (where.end_line, where.end_column) if where.end_line is not None else (where.line, where.column)
            out.setdefault(where.file, []).append(((where.line, where.column), end, kind, entity.id))
    for items in out.values():
        items.sort()
    return out


def _enclosing(spans: dict[str, list], where: Location | None) -> tuple[str, str] | None:
    if where is None:
        return None
    items = spans.get(where.file, [])
    point = (where.line, where.column)
    index = bisect.bisect_right(items, (point, (math.inf, math.inf))) - 1
    if index >= 0 and items[index][0] <= point < items[index][1]:
        return items[index][2], items[index][3]
    return None
