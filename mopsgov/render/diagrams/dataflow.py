"""Data-flow diagram: tools as nodes, flows as edges labelled with their objects and latency.

Flows that carry personal data (classification personal or sensitive-personal) are drawn red
and bold, and tools holding personal data get a red border, so privacy reviewers see at a glance
where personal data goes. Above `MAX_NODES` tools the diagram is summarised by platform group
(one edge per pair of groups, with the number of flows), then drawn once per platform group.
"""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Entity, Model
from mopsgov.render.access import strings, text
from mopsgov.render.diagrams.base import KIND_COLOURS, MAX_NODES, PERSONAL_COLOUR, Builder, DiagramSource, entity_node
from mopsgov.render.schema_text import term_label

NAME = "dataflow"
PERSONAL = ("personal", "sensitive-personal")
# A flow adds at most two tools: this many flows keep a per-group diagram under MAX_NODES.
MAX_FLOWS = MAX_NODES // 2


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
    if len(tools) <= MAX_NODES:
        builder = Builder(f"{model.name}: data flows (red: personal data)")
        _draw(builder, model, flows)
        return [builder.done(NAME)]
    out = [_summary(model, flows)]
    groups = sorted({_group(t) for f in flows for t in _ends(model, f)})
    for n, group in enumerate(groups, start=1):
        members = {t.ref for f in flows for t in _ends(model, f) if _group(t) == group}
        touching = [f for f in flows if any(t.ref in members for t in _ends(model, f))]
        title = term_label("platform-group", group) if group else "(no platform group)"
        shown = touching[:MAX_FLOWS]
        cut = f", first {len(shown)} of {len(touching)} flows" if len(shown) < len(touching) else ""
        builder = Builder(f"Data flows of {title} (red: personal data; dashed: tools of other groups{cut})")
        _draw(builder, model, shown, focus=members)
        out.append(builder.done(f"{NAME}-{n}"))
    return out
