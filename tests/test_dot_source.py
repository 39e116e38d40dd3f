"""The diagrams' DOT writer gives the very text the graphviz package gives for the same statements."""
from __future__ import annotations

import graphviz
from hypothesis import given
from hypothesis import strategies as st

from mopsgov.render.diagrams.source import DotGraph
from mopsgov.render.escape import dot_id, dot_text

NAMES = st.sampled_from(["n1", "n2", "n10", "cluster_1", "lanes", "graph", "Node", "2", "-1.5", ".5", "a b", "x-y"])
VALUES = st.one_of(st.sampled_from(["#e3f1e0", "rounded,filled", "2", "LR", "invis", "same", "", "edge", "0.22,0.08",
                                    "Helvetica,Arial,sans-serif", "true"]),
                   st.builds(dot_text, st.text(max_size=30)), st.builds(dot_text, st.text(max_size=30), st.text(max_size=30)))
ATTRS = st.dictionaries(st.sampled_from(["label", "fillcolor", "style", "shape", "penwidth", "weight", "rank", "color"]),
                        VALUES, max_size=4)
STATEMENT = st.recursive(
    st.one_of(st.tuples(st.just("node"), NAMES, st.none() | VALUES, ATTRS),
              st.tuples(st.just("edge"), NAMES, NAMES, ATTRS),
              st.tuples(st.just("attr"), ATTRS)),
    lambda inner: st.tuples(st.just("subgraph"), NAMES, st.lists(inner, max_size=4)), max_leaves=12)


def apply(graph, statements) -> None:
    for statement in statements:
        kind = statement[0]
        if kind == "node":
            _, name, label, attrs = statement
            graph.node(name, label, **{k: v for k, v in attrs.items() if k != "label"})
        elif kind == "edge":
            _, tail, head, attrs = statement
            graph.edge(tail, head, **attrs)
        elif kind == "attr":
            graph.attr(**statement[1])
        else:
            _, name, inner = statement
            with graph.subgraph(name=name) as sub:
                apply(sub, inner)


@given(st.lists(STATEMENT, max_size=8), ATTRS, ATTRS)
def test_the_dot_text_is_the_graphviz_packages(statements, graph_attr, node_attr):
    ours = DotGraph("G", graph_attr=graph_attr, node_attr=node_attr, edge_attr={"arrowsize": "0.7"})
    theirs = graphviz.Digraph(name="G", graph_attr=graph_attr, node_attr=node_attr, edge_attr={"arrowsize": "0.7"})
    apply(ours, statements)
    apply(theirs, statements)
    assert ours.source == theirs.source


def test_names_and_values_are_quoted_only_when_they_must_be():
    assert [dot_id(v) for v in ["n1", "2", "-1.5", ".5", "LR"]] == ["n1", "2", "-1.5", ".5", "LR"]
    assert dot_id("graph") == '"graph"' and dot_id("Node") == '"Node"'  # keywords, in any case
    assert dot_id("") == '""' and dot_id("#fff") == '"#fff"' and dot_id("1.2.3") == '"1.2.3"'
    assert dot_id(dot_text('say "hi"\\')) == '"say \\"hi\\"\\\\"'
    assert dot_id(dot_text("<b>bold</b>")) == '"<b>bold</b>"'  # never an HTML-like label
