"""Durations as MOps teams write them, in minutes.

Flows' `latency` and SLAs' `target` are written as `real-time`, `hourly`, `daily`, `weekly`, or a
number and a unit: `90 seconds`, `15 minutes`, `1 hour`, `2 days`, `5 business days`, `1 week`.

`real-time` counts as 0 minutes, `hourly` as 60, `daily` as 1,440 and `weekly` as 10,080. A
business day counts as 1,440 minutes of elapsed time, like a calendar day: mopsgov does not model
weekends or office hours, so a "2 business days" SLA is read as 48 hours.
"""
from __future__ import annotations

import re

MINUTES_PER_UNIT = {
    "second": 1 / 60,
    "minute": 1,
    "hour": 60,
    "day": 1440,
    "business day": 1440,  # elapsed time, see the module docstring
    "week": 10080,
}
NAMED = {"real-time": 0.0, "hourly": 60.0, "daily": 1440.0, "weekly": 10080.0}

_PATTERN = re.compile(r"(?P<number>[0-9]+(?:\.[0-9]+)?) ?(?P<unit>seconds?|minutes?|hours?|business days?|days?|weeks?)\Z")


def parse_minutes(text) -> float | None:
    """Minutes for a duration such as `15 minutes` or `hourly`; None when text is not a duration."""
    if not isinstance(text, str):
        return None
    value = text.strip().lower()
    if value in NAMED:
        return NAMED[value]
    match = _PATTERN.match(value)
    if not match:
        return None
    unit = match["unit"].rstrip("s")
    return float(match["number"]) * MINUTES_PER_UNIT[unit]


def format_minutes(minutes: float) -> str:
    """A short human form: `0 minutes`, `45 minutes`, `2 hours`, `1.5 days`."""
    if minutes < 120:
        return _plural(minutes, "minute")
    if minutes < 2880:
        return _plural(minutes / 60, "hour")
    return _plural(minutes / 1440, "day")


def _plural(amount: float, unit: str) -> str:
    text = f"{amount:.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}{'' if text == '1' else 's'}"
