"""Reference predicates for fields the schemas do not type, such as your own x- fields."""
from __future__ import annotations

from mopsgov.model import KINDS
from mopsgov.rules.predicates.common import dig, field_path
from mopsgov.rules.registry import Violation, predicate


@predicate("ref.resolves", field="owner", kind="role")
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
