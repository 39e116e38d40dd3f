"""Small helpers the predicate families share: reading fields defensively, dates, indexes."""
from __future__ import annotations

import datetime as dt

from mopsgov.fields import PERSONAL  # noqa: F401  (re-exported for the predicate families)
from mopsgov.fields import number
from mopsgov.model import Entity, Model


def dig(data, dotted: str):
    """The value at a dotted field path (`contract.renewal`), or None when any part is missing."""
    node = data
    for part in dotted.split("."):
        if not isinstance(node, dict):
            return None
        node = node.get(part)
    return node


def field_path(dotted: str) -> tuple:
    return tuple(dotted.split("."))


def as_date(value) -> dt.date | None:
    if not isinstance(value, str) or len(value) != 10:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return None


def as_number(value) -> float | int | None:
    """The number as written, or None for anything else: text, true/false, .nan, .inf, and whole
    numbers too large for arithmetic (the schema reports each of these)."""
    return value if number(value) is not None else None


def as_list(value) -> list:
    return value if isinstance(value, list) else []


def steps(process: Entity):
    """(index, step) for every step of a process that is a mapping."""
    for index, step in enumerate(as_list(process.get("steps"))):
        if isinstance(step, dict):
            yield index, step


def step_label(process: Entity, step: dict, index: int) -> str:
    step_id = step.get("id")
    name = f'"{step_id}"' if isinstance(step_id, str) else f"number {index + 1}"
    return f"step {name} of {process.label()}"


def raci_entries(step: dict):
    raci = step.get("raci")
    if isinstance(raci, dict):
        for role, letter in raci.items():
            if isinstance(letter, str):
                yield role, letter


def cached(ctx, key: str, build):
    """Compute an index once per check run and share it between rules."""
    if key not in ctx.cache:
        ctx.cache[key] = build(ctx.model)
    return ctx.cache[key]


def personal_objects(model: Model, classifications) -> set[str]:
    wanted = set(classifications)
    return {e.id for e in model.of("data") if isinstance(e.get("classification"), str) and e.get("classification") in wanted}
