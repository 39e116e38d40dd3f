"""Impact subgraph: an entity and everything that depends on it, with the relation on each arrow.

What depends on what is decided by the impact analysis (`mopsgov.analysis.impact`): this module
only draws its answer. Entities that break are filled; roles and teams that are only affected
(told, nothing breaks through them) are dashed. Closest dependents come first; past `MAX_NODES`
the rest is summarised per kind.
"""
from __future__ import annotations

from collections import Counter

from mopsgov.analysis import cache
from mopsgov.analysis.impact import GROUP_TITLES, ImpactResult, analyze_impact
from mopsgov.graph import RELATIONS
from mopsgov.model import KIND_TITLES, Entity, Model
from mopsgov.render.diagrams.base import KIND_COLOURS, MAX_NODES, Builder, DiagramSource
from mopsgov.render.names import slug


def diagram_name(entity: Entity) -> str:
    return f"impact-{entity.kind}-{slug(entity.id)}"


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.capitalize())


def build(model: Model, entity: Entity, result: ImpactResult | None = None) -> list[DiagramSource]:
    graph = cache.graph(model)
    result = result or analyze_impact(model, entity.ref, graph)
    builder = Builder(f"What depends on {entity.label()}")
    breaks = {d.node: d.breaks for d in result.dependents}

    def node(name: str) -> None:
        attrs = graph.nodes[name]
        kind = attrs.get("kind", "")
        look = {"fillcolor": KIND_COLOURS.get(kind, "#ffffff")}
        if not breaks.get(name, True):
            look = {"style": "rounded,dashed", "fillcolor": "#ffffff"}
        if name == result.entity:
            look["penwidth"] = "2"
        builder.node(name, attrs.get("name", name), kind_title(kind), **look)

    node(result.entity)
    left_out: Counter = Counter()
    edges: dict[tuple, str] = {}
    for dependent in sorted(result.dependents, key=lambda d: len(d.path)):
        new = {n for link in dependent.path for n in (link.source, link.target) if not builder.has(n)}
        if builder.nodes + len(new) > MAX_NODES - len(GROUP_TITLES):  # room for the "and N more" notes
            left_out[dependent.kind] += 1
            continue
        for link in dependent.path:
            for name in (link.source, link.target):
                if not builder.has(name):
                    node(name)
            edges.setdefault((link.source, link.target), RELATIONS[link.rel].text)
    for (source, target), text in edges.items():
        builder.edge(source, target, text)
    for kind, count in sorted(left_out.items()):
        builder.node(("more", kind), f"... and {count} more {GROUP_TITLES.get(kind, kind).lower()}",
                     shape="plaintext", style="")
        builder.edge(("more", kind), result.entity, style="dashed")
    return [builder.done(diagram_name(entity))]
