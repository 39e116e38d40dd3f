"""Graphviz diagrams of the model. Each builder returns one or more `DiagramSource`s (split when
the graph would be too big to read); `render.dot` turns their DOT text into SVG or PNG.

Whole-model diagrams are listed in `MODEL_DIAGRAMS`; per-entity ones in `ENTITY_DIAGRAMS` with the
entity kinds they accept.
"""
from __future__ import annotations

from mopsgov.render.diagrams import dataflow, impact, raci, stack, swimlane
from mopsgov.render.diagrams.base import MAX_NODES, DiagramSource

MODEL_DIAGRAMS = {
    "stack": stack.build,
    "dataflow": dataflow.build,
    "raci": raci.build,
}
# diagram kind -> (builder(model, entity), kinds of entity it draws)
ENTITY_DIAGRAMS = {
    "process": (swimlane.build, ("process",)),
    "impact": (impact.build, None),  # any kind
}
KINDS = tuple(MODEL_DIAGRAMS) + tuple(ENTITY_DIAGRAMS)

__all__ = ["DiagramSource", "ENTITY_DIAGRAMS", "KINDS", "MAX_NODES", "MODEL_DIAGRAMS"]
