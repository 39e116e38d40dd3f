"""Figures computed straight from the model: spend, renewals, licence use, RACI load, coverage.

Amounts are never converted between currencies: a total over tools in two currencies is shown
as one amount per currency.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from mopsgov.model import Entity, Model
from mopsgov.fields import date, mapping, money, number, raci, steps, strings, text

RENEWAL_WINDOW_DAYS = 90
# Licence utilisation below this share of seats bought is flagged.
LOW_UTILISATION = 0.7
SPENDING_LIFECYCLES = ("plan", "phase-in", "active", "phase-out")
RACI_LETTERS = ("A", "R", "C", "I")


class Amounts(dict):
    """currency -> amount, formatted as `48,000 EUR + 20,000 USD`."""

    def add(self, currency: str, amount: float) -> None:
        self[currency] = self.get(currency, 0.0) + amount

    def __str__(self) -> str:
        return " + ".join(money(self[c], c) for c in sorted(self)) if self else "0"


def currency(model: Model, tool: Entity) -> str:
    return text(tool.get("currency")) or text(model.config.get("currency"))


def spending(model: Model) -> list[Entity]:
    """Tools that cost money now: every lifecycle but retired."""
    return [t for t in model.of("tool") if t.get("lifecycle") in SPENDING_LIFECYCLES or t.get("lifecycle") is None]


def spend_by(model: Model, field: str) -> list[tuple[str, Amounts, int]]:
    """(value of field, annual spend, tool count), biggest spend first, then by value."""
    groups: dict[str, Amounts] = defaultdict(Amounts)
    counts: dict[str, int] = defaultdict(int)
    for tool in spending(model):
        key = text(tool.get(field))
        counts[key] += 1
        cost = number(tool.get("annual_cost"))
        groups[key]  # a group with no costs still shows
        if cost is not None:
            groups[key].add(currency(model, tool), cost)
    return sorted(((k, groups[k], counts[k]) for k in groups), key=lambda r: (-sum(r[1].values()), r[0]))


def total_spend(model: Model) -> Amounts:
    total = Amounts()
    for tool in spending(model):
        cost = number(tool.get("annual_cost"))
        if cost is not None:
            total.add(currency(model, tool), cost)
    return total


@dataclass(frozen=True)
class Renewal:
    tool: Entity
    renewal: dt.date
    notice_deadline: dt.date | None
    auto_renew: bool | None
    days_left: int


def renewals(model: Model, window: int = RENEWAL_WINDOW_DAYS) -> list[Renewal]:
    """Contracts renewing within `window` days of the model's as-of date, soonest first."""
    today = model.as_of
    out = []
    for tool in spending(model):
        contract = mapping(tool.get("contract"))
        when = date(contract.get("renewal"))
        if when is None or not (today <= when <= today + dt.timedelta(days=window)):
            continue
        notice = number(contract.get("notice_days"))
        try:
            deadline = when - dt.timedelta(days=int(notice)) if notice is not None else None
        except (OverflowError, ValueError):  # a notice period reaching before year 1
            deadline = None
        auto = contract.get("auto_renew") if isinstance(contract.get("auto_renew"), bool) else None
        out.append(Renewal(tool, when, deadline, auto, (when - today).days))
    return sorted(out, key=lambda r: (r.renewal, r.tool.id))


@dataclass(frozen=True)
class Utilisation:
    tool: Entity
    bought: int
    active: int

    @property
    def share(self) -> float:
        return self.active / self.bought if self.bought else 0.0

    @property
    def low(self) -> bool:
        return self.share < LOW_UTILISATION


def utilisation(model: Model) -> list[Utilisation]:
    """Tools with seats bought, lowest utilisation first."""
    out = []
    for tool in spending(model):
        seats = mapping(tool.get("seats"))
        bought, active = number(seats.get("bought")), number(seats.get("active"))
        if bought and active is not None:
            out.append(Utilisation(tool, int(bought), int(active)))
    return sorted(out, key=lambda u: (u.share, u.tool.id))


def seats_total(rows: list[Utilisation]) -> tuple[int, int]:
    return sum(u.bought for u in rows), sum(u.active for u in rows)


def raci_load(model: Model) -> dict[str, dict[str, int]]:
    """role id -> letter -> number of steps; A/R counts as both A and R."""
    load: dict[str, dict[str, int]] = defaultdict(lambda: dict.fromkeys(RACI_LETTERS, 0))
    for process in model.of("process"):
        for step in steps(process):
            for role, letter in raci(step).items():
                for part in letter.split("/"):
                    if part in RACI_LETTERS:
                        load[role][part] += 1
    return dict(load)


def coverage(entities: list[Entity], field: str, values: list[str]) -> list[tuple[str, list[Entity]]]:
    """For each vocabulary value (then any extra value written), the entities that list it."""
    holders: dict[str, list[Entity]] = {v: [] for v in values}
    for entity in entities:
        for value in strings(entity.get(field)):
            holders.setdefault(value, []).append(entity)
    return list(holders.items())
