"""Stack map: every tool, clustered by platform group and then by martech category.

The map has no edges, so it is laid out by Graphviz's `osage` engine, which packs clusters in
a grid: the map stays roughly as wide as it is tall. Above `MAX_NODES` tools the map is split: an overview of groups and categories with
counts, then one map per platform group.
"""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Entity, Model
from mopsgov.fields import money, number, text
from mopsgov.render.diagrams.base import LIFECYCLE_STYLE, MAX_NODES, Builder, DiagramSource, chunks, entity_node
from mopsgov.figures import currency
from mopsgov.render.schema_text import term_label

NAME = "stack"
# Cluster packing instead of ranks: a stack map has no edges to rank by.
LAYOUT = {"layout": "osage", "pack": "16", "packmode": "array"}
NO_GROUP = "(no platform group)"


def _grouped(tools: list[Entity]) -> dict[str, dict[str, list[Entity]]]:
    groups: dict[str, dict[str, list[Entity]]] = defaultdict(lambda: defaultdict(list))
    for tool in tools:
        groups[text(tool.get("platform_group"))][text(tool.get("category"))].append(tool)
    return {g: {c: sorted(ts, key=lambda t: t.id) for c, ts in sorted(cats.items())} for g, cats in sorted(groups.items())}


def _group_title(group: str) -> str:
    return term_label("platform-group", group) if group else NO_GROUP


def _tool_lines(model: Model, tool: Entity) -> list[str]:
    lines = []
    lifecycle = text(tool.get("lifecycle"))
    if lifecycle and lifecycle != "active":
        lines.append(lifecycle)
    cost = number(tool.get("annual_cost"))
    if cost is not None:
        lines.append(money(cost, currency(model, tool)))
    return lines


def _draw(builder: Builder, model: Model, groups: dict) -> None:
    for group, categories in groups.items():
        with builder.cluster(_group_title(group)):
            for category, tools in categories.items():
                with builder.cluster(term_label("category", category) if category else "(no category)"):
                    for tool in tools:
                        style = LIFECYCLE_STYLE.get(text(tool.get("lifecycle")), "solid")
                        entity_node(builder, tool, *_tool_lines(model, tool), style=f"rounded,filled,{style}")


def _overview(model: Model, groups: dict) -> DiagramSource:
    builder = Builder(f"{model.name}: martech stack overview", **LAYOUT)
    for group, categories in groups.items():
        with builder.cluster(_group_title(group)):
            for category, tools in categories.items():
                builder.node(("category", group, category), term_label("category", category) or "(no category)",
                             f"{len(tools)} tool{'s' if len(tools) != 1 else ''}", fillcolor="#e3f1e0")
    return builder.done(NAME)


def build(model: Model) -> list[DiagramSource]:
    tools = model.of("tool")
    groups = _grouped(tools)
    if len(tools) <= MAX_NODES:
        builder = Builder(f"{model.name}: martech stack", **LAYOUT)
        _draw(builder, model, groups)
        return [builder.done(NAME)]
    out = [_overview(model, groups)]
    for n, group in enumerate(groups, start=1):
        members = [(c, t) for c, ts in groups[group].items() for t in ts]
        parts = chunks(members)
        for part_no, part in enumerate(parts, start=1):
            sub: dict[str, list[Entity]] = defaultdict(list)
            for category, tool in part:
                sub[category].append(tool)
            suffix = f" (part {part_no} of {len(parts)})" if len(parts) > 1 else ""
            builder = Builder(f"{_group_title(group)}{suffix}", **LAYOUT)
            _draw(builder, model, {group: dict(sub)})
            out.append(builder.done(f"{NAME}-{n}" + (f"-{part_no}" if len(parts) > 1 else "")))
    return out
