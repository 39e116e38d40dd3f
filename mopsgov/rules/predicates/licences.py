"""Licence predicates: seats bought against seats in use."""
from __future__ import annotations

from mopsgov.rules.option_values import Range
from mopsgov.rules.predicates.common import as_number, dig
from mopsgov.rules.registry import Violation, predicate


def _seats(tool):
    bought, active = as_number(dig(tool.data, "seats.bought")), as_number(dig(tool.data, "seats.active"))
    if bought is None or active is None or bought < 0 or active < 0:
        return None  # absent or negative counts: the schema reports those
    return bought, active


@predicate("licence.utilisation", floor=70, min_bought=5, allowed={"floor": Range(0, 100), "min_bought": Range(0)})
def utilisation(tool, options, ctx):
    """Seats active are at least `floor` percent of seats bought (tools with fewer than min_bought seats pass).

    Points at seats.active. Values: bought, active, percent, unused, floor.
    """
    seats = _seats(tool)
    if seats is None:
        return
    bought, active = seats
    if bought < max(options["min_bought"], 1) or active > bought:
        return
    percent = round(100 * active / bought)
    if 100 * active < options["floor"] * bought:
        yield Violation(tool, ("seats", "active"), {"bought": bought, "active": active, "percent": percent,
                                                    "unused": bought - active}, subject=f"{bought}/{active}")


@predicate("licence.over-assigned")
def over_assigned(tool, options, ctx):
    """Seats active do not exceed seats bought.

    Points at seats.active. Values: bought, active, excess.
    """
    seats = _seats(tool)
    if seats is not None and seats[1] > seats[0]:
        yield Violation(tool, ("seats", "active"), {"bought": seats[0], "active": seats[1], "excess": seats[1] - seats[0]},
                        subject=f"{seats[0]}/{seats[1]}")
