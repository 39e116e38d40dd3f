"""Read entity fields defensively: analyses and the site also run on models that fail validation."""
from __future__ import annotations

import datetime as dt
import math

from mopsgov.model import Entity

# The classifications that make a data object personal data.
PERSONAL = ("personal", "sensitive-personal")


def text(value: object) -> str:
    """A scalar as text; "" for missing values and for mappings or lists."""
    if value is None or isinstance(value, (dict, list)):
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def strings(value: object) -> list[str]:
    """A list of strings (a single string counts as a list of one); other items are skipped."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []


def number(value: object) -> float | None:
    """A finite number as float; None for anything else (text, booleans, .inf, .nan, huge ints)."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    try:
        result = float(value)
    except OverflowError:
        return None
    return result if math.isfinite(result) else None


def mapping(value: object) -> dict:
    return value if isinstance(value, dict) else {}


def date(value: object) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def steps(process: Entity) -> list[dict]:
    return [step for step in process.get("steps") or [] if isinstance(step, dict)] \
        if isinstance(process.get("steps"), list) else []


def raci(step: dict) -> dict[str, str]:
    """role id -> RACI letter of a step, in the order written."""
    return {role: letter for role, letter in mapping(step.get("raci")).items()
            if isinstance(role, str) and isinstance(letter, str)}


def money(amount: float, currency: str) -> str:
    """12,345 EUR; amounts are whole units on the site."""
    return f"{amount:,.0f} {currency}".strip()
