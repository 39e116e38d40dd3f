"""RACI predicates: who is Accountable and Responsible for each process step, and how often."""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Model
from mopsgov.rules.predicates.common import cached, raci_entries, step_label, steps
from mopsgov.rules.registry import Violation, predicate

ACCOUNTABLE = ("A", "A/R")
RESPONSIBLE = ("R", "A/R")


@predicate("raci.accountable-count")
def accountable_count(process, options, ctx):
    """Each step of the process names exactly one Accountable role (A or A/R).

    Points at the step's `raci` when there is none, and at the second A when there are several.
    Values: step (the step, named), count, roles (the Accountable roles), problem (in words).
    """
    for index, step in steps(process):
        accountable = [role for role, letter in raci_entries(step) if letter in ACCOUNTABLE]
        if len(accountable) == 1:
            continue
        field = ("steps", index, "raci") if "raci" in step else ("steps", index)
        at_key = False
        if len(accountable) > 1:
            field, at_key = ("steps", index, "raci", accountable[1]), True
        problem = (f"{len(accountable)} Accountable roles ({', '.join(accountable)})" if accountable
                   else "no Accountable role")
        yield Violation(process, field, {"step": step_label(process, step, index), "count": len(accountable),
                                         "roles": accountable or "none", "problem": problem},
                        at_key=at_key, subject=f"{step.get('id')}")


@predicate("raci.responsible-present")
def responsible_present(process, options, ctx):
    """Each step of the process names at least one Responsible role (R or A/R).

    Points at the step's `raci`. Values: step (the step, named).
    """
    for index, step in steps(process):
        if any(letter in RESPONSIBLE for _, letter in raci_entries(step)):
            continue
        field = ("steps", index, "raci") if "raci" in step else ("steps", index)
        yield Violation(process, field, {"step": step_label(process, step, index)}, subject=f"{step.get('id')}")


def _accountable_steps(model: Model) -> dict[str, list[str]]:
    out: dict[str, list[str]] = defaultdict(list)
    for process in model.of("process"):
        for index, step in steps(process):
            for role, letter in raci_entries(step):
                if letter in ACCOUNTABLE:
                    out[role].append(step_label(process, step, index))
    return out


def _participants(model: Model) -> set[str]:
    out = set()
    for process in model.of("process"):
        if isinstance(process.get("owner"), str):
            out.add(process.get("owner"))
        for _, step in steps(process):
            out.update(role for role, _ in raci_entries(step))
    return out


@predicate("raci.accountable-overload", scope="model", max_steps=8)
def accountable_overload(options, ctx):
    """A role is Accountable (A or A/R) for at most max_steps process steps across the model.

    Points at the role's id. Values: count, max_steps.
    """
    limit = options["max_steps"]
    for role_id, labels in sorted(cached(ctx, "raci.accountable", _accountable_steps).items()):
        role = ctx.model.get("role", role_id)
        if role is not None and len(labels) > limit:
            yield Violation(role, ("id",), {"count": len(labels)}, subject=role_id)


@predicate("raci.role-participates")
def role_participates(role, options, ctx):
    """The role owns a process or appears in the RACI of at least one step.

    Points at the role's id.
    """
    if role.id not in cached(ctx, "raci.participants", _participants):
        yield Violation(role, ("id",), {}, subject=role.id)
