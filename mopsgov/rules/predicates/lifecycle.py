"""Lifecycle predicates: tools that are being retired but still carry work."""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Model
from mopsgov.rules.predicates.common import as_list, cached, step_label, steps
from mopsgov.rules.registry import Violation, predicate


def _tool_users(model: Model) -> dict[str, list[str]]:
    """tool id -> what uses it: process steps, then the flows that start, end or pass through it,
    each group sorted (so the message does not depend on which file holds which entity)."""
    by_steps: dict[str, set[str]] = defaultdict(set)
    by_flows: dict[str, set[str]] = defaultdict(set)
    for process in model.of("process"):
        for index, step in steps(process):
            for tool in as_list(step.get("tools")):
                if isinstance(tool, str):
                    by_steps[tool].add(step_label(process, step, index))
    for flow in model.of("flow"):
        for end in ("from", "to", "via"):
            tool = flow.get(end)
            if isinstance(tool, str):
                by_flows[tool].add(flow.label())
    return {tool: sorted(by_steps[tool]) + sorted(by_flows[tool]) for tool in by_steps.keys() | by_flows.keys()}


@predicate("tool.in-use", max_listed=3)
def in_use(tool, options, ctx):
    """The tool is used by a process step or touched by a flow (select the tools that should not be).

    Points at the tool's lifecycle. Values: count (how many users), users (the first max_listed of
    them, and how many more), lifecycle.
    """
    users = cached(ctx, "tool.users", _tool_users).get(tool.id, [])
    if not users:
        return
    shown = users[: options["max_listed"]]
    more = len(users) - len(shown)
    listed = ", ".join(shown) + (f" and {more} more" if more > 0 else "")
    yield Violation(tool, ("lifecycle",), {"count": len(users), "users": listed, "lifecycle": tool.get("lifecycle")},
                    subject=str(tool.get("lifecycle")))
