"""The fields of an entity kind as its JSON Schema declares them, for the checks made when a pack loads."""
from __future__ import annotations

from functools import lru_cache

from mopsgov.resources import load_schema

OWN_FIELD = "x-"  # the prefix of a model's own fields, which no schema lists
_SCALAR_TYPES = frozenset({"string", "number", "integer", "boolean"})


def resolve(node: dict, base: str) -> tuple[dict, str]:
    """The schema node, or the definition its $ref points at, and the file it is in (base: the node's file)."""
    while isinstance(node.get("$ref"), str):
        file_name, _, pointer = node["$ref"].partition("#")
        base = file_name or base
        node = load_schema(base)
        for part in (p for p in pointer.split("/") if p):
            node = node[part]
    return node, base


def _types(node: dict, base: str, items: bool) -> bool:
    """The node's values are scalars (text, numbers, true/false), or lists of them when items is true."""
    node, base = resolve(node, base)
    branches = node.get("anyOf") or node.get("oneOf")
    if branches:
        return all(_types(branch, base, items) for branch in branches)
    declared = node.get("type", "string" if "enum" in node else None)
    declared = [declared] if isinstance(declared, str) else declared or []
    return bool(declared) and all(
        name in _SCALAR_TYPES or (items and name == "array" and _types(node.get("items", {}), base, False))
        for name in declared)


@lru_cache(maxsize=None)
def shown_fields(kind: str) -> tuple[frozenset[str], frozenset[str]]:
    """(fields a message can show: scalars and lists of scalars; fields it cannot: groups of fields and lists of them)."""
    base = f"{kind}.schema.json"
    fields = load_schema(base)["properties"]
    shown = frozenset(name for name, node in fields.items() if _types(node, base, True))
    return shown, frozenset(fields) - shown


def showable(value) -> bool:
    """What engine.to_finding passes a template from an entity's fields: the same shapes as shown_fields."""
    if isinstance(value, (str, int, float)):
        return True
    return isinstance(value, list) and all(isinstance(item, (str, int, float)) for item in value)
