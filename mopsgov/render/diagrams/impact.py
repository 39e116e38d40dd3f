"""Impact subgraph: an entity and everything that depends on it, as far as the dependence goes.

Arrows point from the entity to what depends on it, labelled with the field that makes the
dependence (for example `steps[route].tools`). It spreads through processes, flows, KPIs and SLAs
(`references.SPREADS_THROUGH`). Past `MAX_NODES` entities the rest is summarised per kind.
"""
from __future__ import annotations

from collections import Counter

from mopsgov.model import KIND_TITLES, Entity, Model
from mopsgov.render.diagrams.base import MAX_NODES, Builder, DiagramSource, entity_node
from mopsgov.render.names import slug
from mopsgov.render.references import ReferenceIndex


def diagram_name(entity: Entity) -> str:
    return f"impact-{entity.kind}-{slug(entity.id)}"


def build(model: Model, entity: Entity, index: ReferenceIndex | None = None) -> list[DiagramSource]:
    index = index or ReferenceIndex(model)
    builder = Builder(f"What depends on {entity.label()}")
    entity_node(builder, entity, KIND_TITLES[entity.kind], penwidth="2")
    left_out: Counter = Counter()
    for dependent, dependency, field in index.impact(entity):
        if not builder.has(dependent.ref):
            if builder.nodes >= MAX_NODES:
                left_out[dependent.kind] += 1
                continue
            entity_node(builder, dependent, KIND_TITLES[dependent.kind])
        builder.edge(dependency.ref, dependent.ref, field)
    for kind, count in sorted(left_out.items()):
        builder.node(("more", kind), f"... and {count} more: {KIND_TITLES[kind]}", shape="plaintext", style="")
        builder.edge(entity.ref, ("more", kind), style="dashed")
    return [builder.done(diagram_name(entity))]
