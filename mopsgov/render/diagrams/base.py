"""Building blocks shared by every diagram: generated node ids, escaped labels, clusters, limits.

Node and cluster names are generated (n1, n2, ..., cluster_1, ...): model ids never appear as
DOT identifiers, so a colon, quote or keyword in an id cannot change the graph. Every label goes
through `escape.dot_text`.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass

from mopsgov.render.diagrams.source import DotGraph
from mopsgov.render.escape import dot_text

# Above this many nodes a diagram is split or summarised: dot's layouts stop being readable.
MAX_NODES = 150
# dot's core text sizing measures a font named "Helvetica..." with Helvetica's (Arial's) widths;
# the SVG keeps the whole list as its font-family, so a browser draws the labels in the first of
# them it has, all with those widths: Liberation Sans (Debian's fonts-liberation) on Linux. The
# node and cluster margins leave room for rounding and for a wider fallback in short labels.
FONT = "Helvetica,Arial,Liberation Sans,Arimo,Nimbus Sans,sans-serif"
NODE_MARGIN = "0.22,0.08"  # inches, each side
CLUSTER_MARGIN = "10"  # points
MAX_TITLE = 100  # characters of a diagram's title; builders keep theirs shorter on purpose

# Fill colours per entity kind, also used for legends.
KIND_COLOURS = {
    "team": "#e8eef7", "role": "#dbe7f5", "process": "#fde9c8", "tool": "#e3f1e0", "data": "#f3e1f5",
    "flow": "#eeeeee", "step": "#fef4e2", "sla": "#fbe0dc", "kpi": "#fff6c2", "goal": "#e0f3f1", "waiver": "#eeeeee",
}
LIFECYCLE_STYLE = {"retired": "dashed", "phase-out": "dashed", "plan": "dotted", "phase-in": "solid", "active": "solid"}
PERSONAL_COLOUR = "#c0392b"


@dataclass(frozen=True)
class DiagramSource:
    """One diagram: its file stem, its title on the site, and its DOT text."""

    name: str
    title: str
    source: str
    nodes: int


class Builder:
    """A digraph whose nodes are keyed by anything hashable and named n1, n2, ... in order."""

    def __init__(self, title: str, rankdir: str = "LR", **graph_attr: str) -> None:
        self.title = title
        self.graph = DotGraph(
            "G",
            graph_attr={"rankdir": rankdir, "fontname": FONT, "fontsize": "12", "labelloc": "t", "labeljust": "l",
                        "label": dot_text(title, limit=MAX_TITLE), "nodesep": "0.25", "ranksep": "0.5",
                        "newrank": "true", **graph_attr},
            node_attr={"fontname": FONT, "fontsize": "10", "shape": "box", "style": "rounded,filled",
                       "fillcolor": "#ffffff", "margin": NODE_MARGIN},
            edge_attr={"fontname": FONT, "fontsize": "9", "color": "#555555", "arrowsize": "0.7"},
        )
        self._ids: dict[object, str] = {}
        self._clusters = 0
        self._stack: list[DotGraph] = [self.graph]

    @property
    def nodes(self) -> int:
        return len(self._ids)

    def has(self, key: object) -> bool:
        return key in self._ids

    def node_id(self, key: object) -> str:
        if key not in self._ids:
            self._ids[key] = f"n{len(self._ids) + 1}"
        return self._ids[key]

    def node(self, key: object, *lines: object, **attrs: str) -> str:
        """Add a node once (in the innermost open cluster); later calls return its id."""
        if key in self._ids:
            return self._ids[key]
        name = self.node_id(key)
        self._stack[-1].node(name, dot_text(*lines), **attrs)
        return name

    def edge(self, tail: object, head: object, *lines: object, **attrs: str) -> None:
        label = dot_text(*lines, limit=40) if any(lines) else None
        if label is not None:
            attrs["label"] = label
        self.graph.edge(self.node_id(tail), self.node_id(head), **attrs)

    @contextmanager
    def cluster(self, *lines: object, **attrs: str):
        self._clusters += 1
        with self._stack[-1].subgraph(f"cluster_{self._clusters}") as sub:
            sub.attr(label=dot_text(*lines), style="rounded", color="#9aa5b1", fontname=FONT,
                     fontsize="11", labeljust="l", margin=CLUSTER_MARGIN, **attrs)
            self._stack.append(sub)
            try:
                yield sub
            finally:
                self._stack.pop()

    def done(self, name: str) -> DiagramSource:
        return DiagramSource(name, self.title, self.graph.source, self.nodes)


def entity_node(builder: Builder, entity, *extra: object, **attrs: str) -> str:
    """A node for a model entity, filled with its kind's colour."""
    attrs.setdefault("fillcolor", KIND_COLOURS.get(entity.kind, "#ffffff"))
    return builder.node(entity.ref, entity.name, *extra, **attrs)


def chunks(items: list, size: int = MAX_NODES) -> list[list]:
    return [items[i:i + size] for i in range(0, len(items), size)] or [[]]
