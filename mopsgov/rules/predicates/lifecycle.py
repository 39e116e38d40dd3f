"""Lifecycle predicates: tools that are being retired but still carry work."""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Model
from mopsgov.rules.option_values import Range
from mopsgov.rules.predicates.common import as_list, cached, step_label, steps
from mopsgov.rules.registry import Violation, predicate


def _tool_users(model: Model) -> dict[str, dict[str, tuple]]:
    """tool id -> what uses it, named, with where that is written: (entity, field path).

    Process steps point at their `tools` entry; a flow that starts, ends or passes through the
    tool is listed once, at the first of its from, to, via that names it. Steps come first, then
    flows, each group sorted by name, so the message does not depend on which file holds which.
    """
    by_steps: dict[str, dict[str, tuple]] = defaultdict(dict)
    by_flows: dict[str, dict[str, tuple]] = defaultdict(dict)
    for process in model.of("process"):
        for index, step in steps(process):
            for position, tool in enumerate(as_list(step.get("tools"))):
                if isinstance(tool, str):
                    by_steps[tool].setdefault(step_label(process, step, index), (process, ("steps", index, "tools", position)))
    for flow in model.of("flow"):
        for end in ("from", "to", "via"):
            tool = flow.get(end)
            if isinstance(tool, str):
                by_flows[tool].setdefault(flow.label(), (flow, (end,)))
    return {tool: {**dict(sorted(by_steps[tool].items())), **dict(sorted(by_flows[tool].items()))}
            for tool in by_steps.keys() | by_flows.keys()}


@predicate("tool.in-use", max_listed=3, allowed={"max_listed": Range(0, whole=True)})
def in_use(tool, options, ctx):
    """The tool is used by a process step or touched by a flow (select the tools that should not be).

    Points at the tool's lifecycle, with every step and flow that uses it as a related position.
    Values: count (how many users), users (the first max_listed of them, and how many more),
    lifecycle.
    """
    users = cached(ctx, "tool.users", _tool_users).get(tool.id, {})
    if not users:
        return
    names = list(users)
    shown = names[: int(options["max_listed"])]
    more = len(names) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    yield Violation(tool, ("lifecycle",), {"count": len(names), "users": listed, "lifecycle": tool.get("lifecycle")},
                    subject=str(tool.get("lifecycle")), related=tuple(users.values()))
