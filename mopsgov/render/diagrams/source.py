"""DOT text for the site's diagrams, written directly.

It is the text the graphviz package writes for the few statements the diagrams use (the tests
compare the two on random graphs), without the package's per-call argument checks, which were
a fifth of the time spent building the site's pages. Labels come from `escape.dot_text`, never
HTML-like; `escape.dot_id` quotes every name and value.
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from mopsgov.render.escape import dot_id


def _a_list(label: str | None, attrs: dict) -> str:
    """`label=... name=value ...`: the label first, then the attributes by name, as graphviz orders them."""
    parts = [f"label={dot_id(label)}"] if label is not None else []
    parts += [f"{dot_id(name)}={dot_id(value)}" for name, value in sorted(attrs.items()) if value is not None]
    return " ".join(parts)


def _attr_list(label: str | None, attrs: dict) -> str:
    content = _a_list(label, attrs)
    return f" [{content}]" if content else ""


class DotGraph:
    """A digraph (or a subgraph of one) as DOT lines, in the order the statements are made."""

    def __init__(self, name: str, graph_attr: dict | None = None, node_attr: dict | None = None,
                 edge_attr: dict | None = None, *, keyword: str = "digraph") -> None:
        self.head = f"{keyword} {dot_id(name)} {{\n"
        self.body: list[str] = [f"\t{kind} [{_a_list(None, attrs)}]\n"
                                for kind, attrs in (("graph", graph_attr), ("node", node_attr), ("edge", edge_attr))
                                if attrs]

    def node(self, name: str, label: str | None = None, **attrs: str) -> None:
        self.body.append(f"\t{dot_id(name)}{_attr_list(label, attrs)}\n")

    def edge(self, tail: str, head: str, label: str | None = None, **attrs: str) -> None:
        self.body.append(f"\t{dot_id(tail)} -> {dot_id(head)}{_attr_list(label, attrs)}\n")

    def attr(self, **attrs: str) -> None:
        """Attributes of this (sub)graph itself: `name=value ...` on a line of their own."""
        if attrs:
            self.body.append(f"\t{_a_list(None, attrs)}\n")

    @contextmanager
    def subgraph(self, name: str) -> Iterator["DotGraph"]:
        """A subgraph, added here (indented) when the block ends, as graphviz adds it."""
        sub = DotGraph(name, keyword="subgraph")
        yield sub
        self.body += [f"\t{line}" for line in sub.lines()]

    def lines(self) -> list[str]:
        return [self.head, *self.body, "}\n"]

    @property
    def source(self) -> str:
        return "".join(self.lines())
