"""Contract predicates: date arithmetic on renewal dates and notice periods, relative to as_of."""
from __future__ import annotations

import datetime as dt

from mopsgov.resources import load_schema
from mopsgov.rules.option_values import Field, Range
from mopsgov.rules.predicates.common import as_date, as_number, dig, field_path
from mopsgov.rules.registry import Unjudgeable, Violation, predicate


def _max_notice() -> int:
    return load_schema("tool.schema.json")["properties"]["contract"]["properties"]["notice_days"]["maximum"]


def _deadline(tool) -> tuple[dt.date, dt.date, int] | None:
    """(renewal, notice deadline, notice days) when the contract gives a renewal date.

    None as well when the notice period is above the schema's maximum (the schema reports it);
    a deadline before year 1 is Unjudgeable: no date in the calendar to compare.
    """
    renewal = as_date(dig(tool.data, "contract.renewal"))
    if renewal is None:
        return None
    notice = as_number(dig(tool.data, "contract.notice_days"))
    notice = int(notice) if notice is not None and notice >= 0 else 0
    if notice > _max_notice():
        return None
    if renewal.toordinal() <= notice:
        raise Unjudgeable(("contract", "renewal"),
                          f"{notice} days' notice before the renewal on {renewal.isoformat()} would reach back before "
                          f"the year 1, so the notice deadline cannot be checked",
                          "Correct contract.renewal: it should be the date the contract next renews, such as 2027-01-31.")
    return renewal, renewal - dt.timedelta(days=notice), notice


def _breach(tool, today: dt.date, breached) -> list[Violation]:
    """A violation at contract.renewal when breached(renewal, deadline) holds for the tool's contract."""
    found = _deadline(tool)
    if found is None or not breached(*found[:2]):
        return []
    renewal, deadline, notice = found
    values = {"renewal": renewal.isoformat(), "deadline": deadline.isoformat(), "notice_days": notice,
              "days_left": (deadline - today).days, "days_late": (today - deadline).days}
    return [Violation(tool, ("contract", "renewal"), values, subject=renewal.isoformat())]


@predicate("contract.notice-window", days=90, allowed={"days": Range(0)})
def notice_window(tool, options, ctx):
    """The notice deadline (renewal minus notice_days) is more than `days` days away, or already past.

    Points at contract.renewal. Values: renewal, deadline, notice_days, days_left.
    """
    return _breach(tool, ctx.today, lambda renewal, deadline: 0 <= (deadline - ctx.today).days <= options["days"])


@predicate("contract.notice-passed")
def notice_passed(tool, options, ctx):
    """The notice deadline has not passed while the renewal is still ahead.

    Points at contract.renewal. Values: renewal, deadline, notice_days, days_late.
    """
    return _breach(tool, ctx.today, lambda renewal, deadline: deadline < ctx.today <= renewal)


@predicate("date.not-past", field="deadline", grace_days=0, allowed={"field": Field(), "grace_days": Range(0)})
def not_past(entity, options, ctx):
    """The date in `field` (a dotted path) is today or later, allowing grace_days after it.

    Absent or unreadable dates pass (the schema and other rules report those). Points at the
    field. Values: date, days_ago.
    """
    date = as_date(dig(entity.data, options["field"]))
    if date is not None and (ctx.today - date).days > options["grace_days"]:
        yield Violation(entity, field_path(options["field"]), {"date": date.isoformat(), "days_ago": (ctx.today - date).days},
                        subject=date.isoformat())
