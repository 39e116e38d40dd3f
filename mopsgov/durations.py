"""Durations as MOps teams write them, in minutes: one grammar for flows' `latency` and SLAs' `target`.

A duration is a named frequency (`real-time`, `hourly`, `daily`, `weekly`, `monthly`), a number
and a unit (`90 seconds`, `15 minutes`, `24h`, `2 days`, `5 business days`, `3 working days`,
`1 week`), or a frequency written with `every` (`every 15 minutes`, `every hour`). Durations
are written in lower case.

`real-time` counts as 0 minutes, `hourly` as 60, `daily` as 1,440, `weekly` as 10,080 and
`monthly` (and a month) as 30 days. A flow that runs `every 15 minutes` can keep data waiting
for up to 15 minutes, so it counts as 15. A business or working day counts as 1,440 minutes of
elapsed time, like a calendar day: mopsgov does not model weekends or office hours, so a
"2 business days" SLA is read as 48 hours.

Everything that reads a duration uses this module: the SLA feasibility analysis, the rule that
SLA targets carry a unit (`sla.target-unit`) and the flow schema's `latency` pattern, which is
`PATTERN` (a test keeps them equal).
"""
from __future__ import annotations

import re

DAY = 1440
NAMED = {"real-time": 0.0, "hourly": 60.0, "daily": float(DAY), "weekly": 7.0 * DAY, "monthly": 30.0 * DAY}

# unit -> (minutes, spellings); a spelling matches the unit in the singular or the plural
UNITS: dict[str, tuple[float, tuple[str, ...]]] = {
    "second": (1 / 60, ("seconds", "second", "secs", "sec", "s")),
    "minute": (1.0, ("minutes", "minute", "mins", "min")),
    "hour": (60.0, ("hours", "hour", "hrs", "hr", "h")),
    "day": (float(DAY), ("calendar days", "calendar day", "days", "day", "d")),
    "business day": (float(DAY), ("business days", "business day", "working days", "working day")),  # elapsed time
    "week": (7.0 * DAY, ("weeks", "week", "wks", "wk")),
    "month": (30.0 * DAY, ("months", "month")),
}
_SPELLING = {spelling: minutes for minutes, spellings in UNITS.values() for spelling in spellings}
_NUMBER = r"[0-9]+(?:\.[0-9]+)?"
_UNIT = "|".join(sorted(_SPELLING, key=lambda s: (-len(s), s)))  # longest first: "days" before "d"
_NAMED = "|".join(NAMED)  # plain words: no escaping, so the pattern reads the same in every regex dialect

# The grammar as one regular expression, in the dialect JSON Schema patterns share with Python.
PATTERN = f"^(?:{_NAMED}|(?:every )?{_NUMBER} ?(?:{_UNIT})|every (?:{_UNIT}))$"
_DURATION = re.compile(f"^(?:(?P<named>{_NAMED})|(?:every )?(?P<number>{_NUMBER}) ?(?P<unit>{_UNIT})|every (?P<each>{_UNIT}))$")
_PERCENTAGE = re.compile(f"^{_NUMBER} ?%$")
EXAMPLES = ('"5 minutes"', '"24 hours"', '"2 business days"', '"98%"')


def parse_minutes(value) -> float | None:
    """Minutes for a duration such as `15 minutes`, `every hour` or `daily`; None for anything else."""
    if not isinstance(value, str):
        return None
    match = _DURATION.match(value)
    if match is None:
        return None
    if match["named"]:
        return NAMED[match["named"]]
    if match["each"]:
        return _SPELLING[match["each"]]
    return float(match["number"]) * _SPELLING[match["unit"]]


def is_percentage(value) -> bool:
    return isinstance(value, str) and _PERCENTAGE.match(value) is not None


def target_problem(value) -> str | None:
    """Why an SLA target is neither a duration nor a percentage (None when it is one), in words
    that finish "the target ... "."""
    if parse_minutes(value) is not None or is_percentage(value):
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        return "is neither a duration nor a percentage"
    if isinstance(value, (int, float)) or re.fullmatch(_NUMBER, value.strip()):
        return "has no unit"
    tidy = " ".join(value.split()).lower()
    if parse_minutes(tidy) is not None or is_percentage(tidy):
        return f'is not written the way durations are: write "{tidy}"'
    return "is neither a duration nor a percentage"


def format_minutes(minutes: float) -> str:
    """A short human form: `0 minutes`, `45 minutes`, `2 hours`, `1.5 days`."""
    if minutes < 120:
        return _plural(minutes, "minute")
    if minutes < 2880:
        return _plural(minutes / 60, "hour")
    return _plural(minutes / DAY, "day")


def _plural(amount: float, unit: str) -> str:
    text = f"{amount:,.2f}".rstrip("0").rstrip(".")
    return f"{text} {unit}{'' if text == '1' else 's'}"
