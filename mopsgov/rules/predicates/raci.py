"""RACI predicates: who is Accountable and Responsible for each process step, and how often."""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Model
from mopsgov.rules.option_values import Range
from mopsgov.rules.predicates.common import cached, raci_entries, step_label, steps
from mopsgov.rules.registry import Violation, predicate

ACCOUNTABLE = ("A", "A/R")
RESPONSIBLE = ("R", "A/R")


def _steps(model: Model) -> dict[str, list[tuple[int, dict, list[tuple[str, str]]]]]:
    """process id -> (index, step, RACI entries) of each step: read once, shared by the RACI rules."""
    return {p.id: [(i, step, list(raci_entries(step))) for i, step in steps(p)] for p in model.of("process")}


def _all_steps(ctx) -> dict:
    return cached(ctx, "raci.steps", _steps)


def _process_steps(process, ctx):
    return _all_steps(ctx).get(process.id, ())


@predicate("raci.accountable-count")
def accountable_count(process, options, ctx):
    """Each step of the process names exactly one Accountable role (A or A/R).

    Points at the step's `raci` when there is none, and at the second A when there are several.
    Values: step (the step, named), count, roles (the Accountable roles), problem (in words).
    """
    for index, step, entries in _process_steps(process, ctx):
        accountable = [role for role, letter in entries if letter in ACCOUNTABLE]
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
    for index, step, entries in _process_steps(process, ctx):
        if any(letter in RESPONSIBLE for _, letter in entries):
            continue
        field = ("steps", index, "raci") if "raci" in step else ("steps", index)
        yield Violation(process, field, {"step": step_label(process, step, index)}, subject=f"{step.get('id')}")


def _accountable_steps(model: Model, all_steps: dict) -> dict[str, list[tuple]]:
    """role id -> (process, path of the role's RACI entry) of each step it is Accountable for."""
    out: dict[str, list[tuple]] = defaultdict(list)
    for process in model.of("process"):
        for index, _, entries in all_steps.get(process.id, ()):
            for role, letter in entries:
                if letter in ACCOUNTABLE:
                    out[role].append((process, ("steps", index, "raci", role)))
    return out


def _participants(model: Model, all_steps: dict) -> set[str]:
    out = {p.get("owner") for p in model.of("process") if isinstance(p.get("owner"), str)}
    for process_steps in all_steps.values():
        for _, _, entries in process_steps:
            out.update(role for role, _ in entries)
    return out


@predicate("raci.accountable-overload", scope="model", max_steps=8, allowed={"max_steps": Range(0)})
def accountable_overload(options, ctx):
    """A role is Accountable (A or A/R) for at most max_steps process steps across the model.

    Points at the role's id, with the RACI entries that make it Accountable as related positions.
    Values: count, max_steps.
    """
    limit = options["max_steps"]
    accountable = cached(ctx, "raci.accountable", lambda model: _accountable_steps(model, _all_steps(ctx)))
    for role_id, entries in sorted(accountable.items()):
        role = ctx.model.get("role", role_id)
        if role is not None and len(entries) > limit:
            yield Violation(role, ("id",), {"count": len(entries)}, subject=role_id, related=tuple(entries))


@predicate("raci.role-participates")
def role_participates(role, options, ctx):
    """The role owns a process or appears in the RACI of at least one step.

    Points at the role's id.
    """
    if role.id not in cached(ctx, "raci.participants", lambda model: _participants(model, _all_steps(ctx))):
        yield Violation(role, ("id",), {}, subject=role.id)
