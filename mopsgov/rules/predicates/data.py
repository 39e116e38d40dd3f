"""Data predicates: systems of record, lawful basis and processing agreements for personal data."""
from __future__ import annotations

from mopsgov.rules.predicates.common import as_list, cached, dig, personal_objects
from mopsgov.rules.registry import Violation, predicate


@predicate("data.system-of-record-count")
def system_of_record_count(data, options, ctx):
    """The data object names exactly one system of record.

    Points at system_of_record (its second entry when there are several), or at the object when
    it has none. Values: count, tools, problem (in words).
    """
    value = data.get("system_of_record")
    tools = [value] if isinstance(value, str) else [t for t in as_list(value) if isinstance(t, str)]
    if len(tools) == 1:
        return
    field = ("system_of_record", 1) if len(tools) > 1 else ("system_of_record",)
    problem = f"{len(tools)} systems of record ({', '.join(tools)})" if tools else "no system of record"
    yield Violation(data, field, {"count": len(tools), "tools": tools or "none", "problem": problem}, subject=",".join(tools))


def _personal(ctx, options) -> set[str]:
    key = "data.personal:" + ",".join(sorted(options["classifications"]))
    return cached(ctx, key, lambda model: personal_objects(model, options["classifications"]))


def _personal_carried(flow, personal: set[str]) -> list[tuple[int, str]]:
    return [(i, o) for i, o in enumerate(as_list(flow.get("objects"))) if isinstance(o, str) and o in personal]


@predicate("data.lawful-basis", classifications=["personal", "sensitive-personal"])
def lawful_basis(flow, options, ctx):
    """A flow that carries personal data states its lawful basis.

    Points at the first personal object in the flow's objects. Values: objects (the personal
    objects carried).
    """
    carried = _personal_carried(flow, _personal(ctx, options))
    if carried and not flow.get("lawful_basis"):
        yield Violation(flow, ("objects", carried[0][0]), {"objects": [o for _, o in carried]},
                        subject=",".join(o for _, o in carried))


@predicate("data.processing-agreement", classifications=["personal", "sensitive-personal"])
def processing_agreement(flow, options, ctx):
    """Every tool a flow of personal data reaches (its `to`, and its `via`) has a signed DPA.

    Tools that are not in the model are skipped (validation reports them). Points at the flow's
    `to` or `via`. Values: tool (the tool, named), objects (the personal objects carried).
    """
    carried = _personal_carried(flow, _personal(ctx, options))
    if not carried:
        return
    for end in ("via", "to"):
        tool = ctx.model.get("tool", flow.get(end))
        if tool is not None and dig(tool.data, "compliance.dpa") is not True:
            yield Violation(flow, (end,), {"tool": tool.label(), "objects": [o for _, o in carried]},
                            subject=f"{end}={tool.id}")
