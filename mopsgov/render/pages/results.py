"""Show results that other parts of mopsgov compute (graph analyses, the policy catalogue)
without knowing their exact shape: dataclasses and mappings become facts, lists of them tables.

Nothing here computes a figure: a section whose source is missing says so instead.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from enum import Enum

from mopsgov.model import Entity
from mopsgov.fields import text
from mopsgov.render.blocks import Cell, Column, Facts, Paragraph, Table
from mopsgov.render.context import SiteContext
from mopsgov.render.schema_text import field_label

MAX_DEPTH = 3


def _fields(value: object) -> dict | None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: getattr(value, f.name) for f in dataclasses.fields(value) if not f.name.startswith("_")}
    if isinstance(value, dict):
        return {str(k): v for k, v in value.items()}
    to_dict = getattr(value, "to_dict", None) or getattr(value, "as_dict", None)
    if callable(to_dict):
        result = to_dict()
        return result if isinstance(result, dict) else None
    return None


def cell(ctx: SiteContext, value: object, depth: int = 0) -> Cell:
    if isinstance(value, Entity):
        return ctx.entity_link(value)
    if isinstance(value, str) and ":" in value and ctx.model.resolve(value) is not None:
        return ctx.entity_link(ctx.model.resolve(value))
    if isinstance(value, Enum):
        return str(getattr(value, "label", value.name.lower()))
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    if isinstance(value, (str, int, dt.date)) or value is None:
        return text(value)
    if isinstance(value, (list, tuple, set, frozenset)):
        items = sorted(value, key=str) if isinstance(value, (set, frozenset)) else value
        return tuple(cell(ctx, v, depth + 1) for v in items)
    if isinstance(value, dict) and type(value).__str__ is not dict.__str__:
        return str(value)  # a value with its own display, such as amounts per currency
    fields = _fields(value)
    if fields is not None and depth < MAX_DEPTH:
        return "; ".join(f"{field_label(k)}: {_flat(cell(ctx, v, depth + 1))}" for k, v in fields.items())
    return text(value)


def _flat(value: Cell) -> str:
    if isinstance(value, tuple):
        return ", ".join(_flat(v) for v in value)
    return text(getattr(value, "text", value))


def blocks(ctx: SiteContext, value: object) -> list:
    """Blocks for a result: a table for a list of records, facts for one record."""
    if isinstance(value, (list, tuple)) and value and all(_fields(v) is not None for v in value):
        records = [_fields(v) for v in value]
        keys: dict[str, None] = {}
        for record in records:
            keys.update(dict.fromkeys(record))
        return [Table([Column(field_label(k)) for k in keys], [[cell(ctx, r.get(k)) for k in keys] for r in records])]
    if isinstance(value, (list, tuple)):
        return [Paragraph(cell(ctx, value))] if value else [Paragraph("None.")]
    fields = _fields(value)
    if fields is not None:
        return [Facts([(field_label(k), cell(ctx, v), "") for k, v in fields.items()])]
    return [Paragraph(cell(ctx, value))]


def part(source: object, *names: str) -> object:
    """The first of `names` that the result provides (attribute or key), else None."""
    for name in names:
        if isinstance(source, dict) and name in source:
            return source[name]
        if source is not None and not isinstance(source, dict) and hasattr(source, name):
            return getattr(source, name)
    return None


def missing(what: str) -> Paragraph:
    return Paragraph(f"{what} is not available from this version of mopsgov.", tone="note")
