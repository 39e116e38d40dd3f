"""Data predicates: systems of record, lawful basis and processing agreements for personal data."""
from __future__ import annotations

from mopsgov.rules.option_values import Term
from mopsgov.rules.predicates.common import as_list, cached, dig, personal_objects
from mopsgov.rules.registry import Violation, predicate

CLASSIFICATIONS = Term("classification")


@predicate("data.system-of-record-count")
def system_of_record_count(data, options, ctx):
    """The data object names exactly one system of record.

    Points at system_of_record (its second entry when there are several), or at the object when
    it has none. Values: count, tools, problem (in words).
    """
    value = data.get("system_of_record")
    tools = [value] if isinstance(value, str) else list(dict.fromkeys(t for t in as_list(value) if isinstance(t, str)))
    if len(tools) == 1:
        return
    field = ("system_of_record", 1) if len(tools) > 1 else ("system_of_record",)
    problem = f"{len(tools)} systems of record ({', '.join(tools)})" if tools else "no system of record"
    yield Violation(data, field, {"count": len(tools), "tools": tools or "none", "problem": problem}, subject=",".join(tools))


def _carried(ctx, options) -> dict[str, list[tuple[int, str]]]:
    """flow id -> (index, object) of the personal objects it carries; one pass over the flows."""
    classes = tuple(options["classifications"])

    def build(model):
        personal = personal_objects(model, classes)
        out = {}
        for flow in model.of("flow"):
            objects = flow.get("objects")
            if isinstance(objects, list):
                found = [(i, o) for i, o in enumerate(objects) if isinstance(o, str) and o in personal]
                if found:
                    out[flow.id] = found
        return out
    return cached(ctx, ("data.carried", classes), build)


@predicate("data.lawful-basis", classifications=["personal", "sensitive-personal"], allowed={"classifications": CLASSIFICATIONS})
def lawful_basis(flow, options, ctx):
    """A flow that carries personal data states its lawful basis.

    Points at the first personal object in the flow's objects. Values: objects (the personal
    objects carried).
    """
    carried = _carried(ctx, options).get(flow.id)
    if carried and not flow.get("lawful_basis"):
        yield Violation(flow, ("objects", carried[0][0]), {"objects": [o for _, o in carried]},
                        subject=",".join(o for _, o in carried))


@predicate("data.processing-agreement", classifications=["personal", "sensitive-personal"],
           allowed={"classifications": CLASSIFICATIONS})
def processing_agreement(flow, options, ctx):
    """Every tool a flow of personal data reaches (its `to`, and its `via`) has a signed DPA.

    Tools that are not in the model are skipped (validation reports them). Points at the flow's
    `to` or `via`. Values: tool (the tool, named), objects (the personal objects carried).
    """
    carried = _carried(ctx, options).get(flow.id)
    if not carried:
        return
    without = cached(ctx, "data.no-dpa", lambda model: {t.id for t in model.of("tool") if dig(t.data, "compliance.dpa") is not True})
    for end in ("via", "to"):
        tool = ctx.model.get("tool", flow.get(end))
        if tool is not None and tool.id in without:
            yield Violation(flow, (end,), {"tool": tool.label(), "objects": [o for _, o in carried]},
                            subject=f"{end}={tool.id}")
