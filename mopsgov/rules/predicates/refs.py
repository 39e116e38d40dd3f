"""Reference predicates: fields the schemas do not type (your own x- fields), and counts of referrers."""
from __future__ import annotations

from collections import Counter

from mopsgov.model import KINDS
from mopsgov.rules.option_values import Field, Kind, Range
from mopsgov.rules.predicates.common import cached, dig, field_path
from mopsgov.rules.registry import Violation, predicate


@predicate("ref.resolves", field="owner", kind="role", allowed={"field": Field(), "kind": Kind()})
def resolves(entity, options, ctx):
    """The field (a dotted path, such as x-backup-owner) is absent or names an entity of the kind.

    Options: field, kind. Values: value (the id written), target (the kind).
    """
    kind = options["kind"]
    value = dig(entity.data, options["field"])
    if value is None or kind not in KINDS:
        return
    for index, item in enumerate(value if isinstance(value, list) else [value]):
        if not isinstance(item, str) or ctx.model.get(kind, item) is None:
            where = field_path(options["field"]) + ((index,) if isinstance(value, list) else ())
            yield Violation(entity, where, {"value": item, "target": kind}, subject=f"{options['field']}={item}")


def _referrers(model, kind: str, dotted: str) -> Counter:
    """id -> how many entities of `kind` name it in the field (a dotted path; lists count each id)."""
    counts: Counter = Counter()
    for entity in model.of(kind):
        value = dig(entity.data, dotted)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str):
                counts[item] += 1
    return counts


@predicate("ref.count", kind="role", field="team", min=1, max=-1,
           allowed={"kind": Kind(), "field": Field("kind"), "min": Range(0), "max": Range(-1, fix="-1 means no limit.")})
def count(entity, options, ctx):
    """Between min and max entities of `kind` name this entity in their `field` (max -1: no limit).

    For example, every team has at least one role: select teams, kind role, field team, min 1.
    Points at the entity's id. Values: count, referrers (the kind counted).
    """
    kind, field = options["kind"], options["field"]
    if kind not in KINDS:
        return
    counts = cached(ctx, ("ref.count", kind, field), lambda model: _referrers(model, kind, field))
    found = counts.get(entity.id, 0)
    if found < options["min"] or 0 <= options["max"] < found:
        yield Violation(entity, ("id",), {"count": found, "referrers": kind}, subject=f"{kind}.{field}={found}")
