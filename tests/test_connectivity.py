"""The connectivity the flow-structure and redundancy analyses use, against networkx on random graphs."""
from __future__ import annotations

import networkx as nx
from hypothesis import given, strategies as st

from mopsgov.analysis.connectivity import adjacency, components, structure, subtree_sizes

NODES = st.sampled_from([f"t{i:02d}" for i in range(14)])
EDGES = st.lists(st.tuples(NODES, NODES), max_size=40)


def _reference(edges) -> nx.Graph:
    graph = nx.Graph()
    graph.add_edges_from((a, b) for a, b in edges if a != b)
    return graph


@given(EDGES)
def test_components_cut_vertices_blocks_and_bridges_are_networkx_s(edges):
    graph, reference = adjacency(edges), _reference(edges)
    found = structure(graph)
    assert sorted(map(sorted, components(graph))) == sorted(map(sorted, nx.connected_components(reference)))
    assert found.cut_vertices == set(nx.articulation_points(reference))
    assert sorted(map(sorted, found.blocks)) == sorted(map(sorted, nx.biconnected_components(reference)))
    assert {frozenset(b) for b in found.bridges} == {frozenset(b) for b in nx.bridges(reference)}
    assert len(found.bridges) == len(set(nx.bridges(reference)))


@given(EDGES)
def test_the_search_tree_spans_each_component_and_sizes_add_up(edges):
    graph = adjacency(edges)
    found = structure(graph)
    assert sorted(found.order) == sorted(graph)
    size = subtree_sizes(found)
    for part in components(graph):
        [root] = [node for node in part if found.parent[node] is None]
        assert size[root] == len(part)
    for above, child in found.bridges:
        assert found.parent[child] == above


def test_a_path_through_a_hub():
    # a - hub - b, and a triangle hub - c - d: the hub cuts a and b off; a-hub and hub-b are bridges
    graph = adjacency([("a", "hub"), ("hub", "b"), ("hub", "c"), ("c", "d"), ("d", "hub")])
    found = structure(graph)
    assert found.cut_vertices == {"hub"}
    assert sorted(map(sorted, found.blocks)) == [["a", "hub"], ["b", "hub"], ["c", "d", "hub"]]
    assert sorted(map(sorted, found.bridges)) == [["a", "hub"], ["b", "hub"]]
    assert found.order == ["a", "hub", "b", "c", "d"]
