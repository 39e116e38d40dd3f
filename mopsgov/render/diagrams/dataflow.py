"""Data-flow diagram: tools as nodes, flows as edges labelled with their objects and latency.

Flows that carry personal data (classification personal or sensitive-personal) are drawn red
and bold, and tools holding personal data get a red border, so privacy reviewers see at a glance
where personal data goes. Above `MAX_NODES` tools or `MAX_EDGES` flows the diagram is split:
a summary by platform group (one edge per pair of groups, with the number of flows), then each
flow once, in the diagram of the platform group it leaves from.
"""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Entity, Model
from mopsgov.fields import PERSONAL, strings, text
from mopsgov.render.diagrams.base import (KIND_COLOURS, MAX_NODES, PERSONAL_COLOUR, Builder, DiagramSource, chunks,
                                                entity_node)
from mopsgov.render.schema_text import term_label

NAME = "dataflow"
# More flows than this in one diagram cross each other too often to follow; a flow adds at
# most three tools (from, via, to), so this also keeps a diagram under MAX_NODES.
MAX_EDGES = 45


def is_personal(model: Model, object_id: str) -> bool:
    data = model.get("data", object_id)
    return data is not None and data.get("classification") in PERSONAL


def carries_personal(model: Model, flow: Entity) -> bool:
    return any(is_personal(model, o) for o in strings(flow.get("objects")))


def _ends(model: Model, flow: Entity) -> list[Entity]:
    return [t for t in (model.get("tool", flow.get(f)) for f in ("from", "via", "to")) if t is not None]


def _object_names(model: Model, flow: Entity) -> str:
    names = []
    for object_id in strings(flow.get("objects")):
        data = model.get("data", object_id)
        names.append(data.name if data else object_id)
    return ", ".join(names)


def _group(tool: Entity) -> str:
    return text(tool.get("platform_group"))


def _draw(builder: Builder, model: Model, flows: list[Entity], focus: set | None = None) -> None:
    personal_tools = {t for f in flows if carries_personal(model, f) for t in (f.get("to"), f.get("via"))}
    for flow in flows:
        for tool in _ends(model, flow):
            outside = focus is not None and tool.ref not in focus
            border = {"color": PERSONAL_COLOUR, "penwidth": "2"} if tool.id in personal_tools else {}
            entity_node(builder, tool, term_label("category", tool.get("category")) if tool.get("category") else "",
                        **({"fillcolor": "#ffffff", "style": "rounded,dashed"} if outside else {}), **border)
    for flow in flows:
        source, via, target = (model.get("tool", flow.get(f)) for f in ("from", "via", "to"))
        if source is None or target is None:
            continue
        personal = carries_personal(model, flow)
        attrs = {"color": PERSONAL_COLOUR, "fontcolor": PERSONAL_COLOUR, "penwidth": "2"} if personal else {}
        latency = text(flow.get("latency"))
        lines = [_object_names(model, flow), latency and f"({latency})"]
        if via is not None and via is not source and via is not target:
            builder.edge(source.ref, via.ref, *lines, **attrs)
            builder.edge(via.ref, target.ref, **attrs)
        else:
            builder.edge(source.ref, target.ref, *lines, **attrs)


def _summary(model: Model, flows: list[Entity]) -> DiagramSource:
    builder = Builder(f"{model.name}: data flows between platform groups")
    pairs: dict[tuple[str, str], list[Entity]] = defaultdict(list)
    for flow in flows:
        source, target = model.get("tool", flow.get("from")), model.get("tool", flow.get("to"))
        if source is not None and target is not None:
            pairs[(_group(source), _group(target))].append(flow)
    for a, b in sorted(pairs):
        for group in (a, b):
            builder.node(("group", group), term_label("platform-group", group) if group else "(no platform group)",
                         fillcolor=KIND_COLOURS["tool"])
        members = pairs[(a, b)]
        personal = sum(carries_personal(model, f) for f in members)
        attrs = {"color": "#c0392b", "penwidth": "2"} if personal else {}
        builder.edge(("group", a), ("group", b), f"{len(members)} flows",
                     f"{personal} with personal data" if personal else "", **attrs)
    return builder.done(NAME)


def build(model: Model) -> list[DiagramSource]:
    flows = [f for f in model.of("flow") if len(_ends(model, f)) >= 2]
    tools = {t.ref for f in flows for t in _ends(model, f)}
    if len(tools) <= MAX_NODES and len(flows) <= MAX_EDGES:
        builder = Builder(f"{model.name}: data flows")
        _draw(builder, model, flows)
        return [builder.done(NAME)]
    # Too many to read at once: the groups overview, then each flow once, in the diagram of
    # the platform group it leaves from, at most MAX_EDGES flows a diagram.
    out = [_summary(model, flows)]
    by_group: dict[str, list[Entity]] = defaultdict(list)
    for flow in flows:
        by_group[_group(model.get("tool", flow.get("from")))].append(flow)
    for n, group in enumerate(sorted(by_group), start=1):
        parts = chunks(by_group[group], MAX_EDGES)
        members = {t.ref for t in model.of("tool") if _group(t) == group}
        title = term_label("platform-group", group) if group else "(no platform group)"
        for part_no, part in enumerate(parts, start=1):
            suffix = f", part {part_no} of {len(parts)}" if len(parts) > 1 else ""
            builder = Builder(f"Data flows from {title}{suffix}", concentrate="true")
            _draw(builder, model, part, focus=members)
            out.append(builder.done(f"{NAME}-{n}" + (f"-{part_no}" if len(parts) > 1 else "")))
    return out
