"""Connectivity of an undirected graph given as adjacency sets: its connected components, and in
one depth-first search its cut vertices, biconnected blocks and bridges (Hopcroft and Tarjan).

The flow-structure and redundancy analyses, which run inside `mopsgov check`, need only these on
small graphs of tools. Computing them here keeps networkx out of a check: importing it is about
a fifth of a cold check's time. The search is iterative (no recursion limit) and visits nodes and
neighbours in sorted order, so every result is deterministic. The test suite compares each
result with networkx's on random graphs.
"""
from __future__ import annotations

from dataclasses import dataclass, field

Adjacency = dict  # node -> set of neighbours; every edge is listed from both ends


def adjacency(edges) -> Adjacency:
    """The adjacency of the undirected graph with these (a, b) edges; loops are left out."""
    out: Adjacency = {}
    for a, b in edges:
        if a != b:
            out.setdefault(a, set()).add(b)
            out.setdefault(b, set()).add(a)
    return out


def components(graph: Adjacency) -> list[set]:
    """The connected components, each a set of nodes, in the order of their smallest node."""
    seen: set = set()
    out = []
    for start in sorted(graph):
        if start in seen:
            continue
        seen.add(start)
        part, stack = {start}, [start]
        while stack:
            for nxt in graph[stack.pop()]:
                if nxt not in seen:
                    seen.add(nxt)
                    part.add(nxt)
                    stack.append(nxt)
        out.append(part)
    return out


@dataclass
class Structure:
    """What one depth-first search over every component finds."""

    order: list = field(default_factory=list)  # nodes in preorder, component by component
    parent: dict = field(default_factory=dict)  # node -> its parent in the search tree (None at a root)
    cut_vertices: set = field(default_factory=set)  # nodes whose loss disconnects their component
    blocks: list = field(default_factory=list)  # biconnected components, each a set of nodes
    bridges: list = field(default_factory=list)  # (parent, child) tree edges whose loss disconnects


def structure(graph: Adjacency) -> Structure:
    found = Structure()
    depth: dict = {}  # discovery number
    low: dict = {}  # the lowest discovery number reachable through the node's subtree and one back edge
    for root in sorted(graph):
        if root in depth:
            continue
        depth[root] = low[root] = len(depth)
        found.parent[root] = None
        found.order.append(root)
        root_children = 0
        edges: list = []  # tree and back edges of the block being built
        stack = [(root, iter(sorted(graph[root])))]
        while stack:
            node, neighbours = stack[-1]
            for nxt in neighbours:
                if nxt not in depth:
                    found.parent[nxt] = node
                    depth[nxt] = low[nxt] = len(depth)
                    found.order.append(nxt)
                    edges.append((node, nxt))
                    stack.append((nxt, iter(sorted(graph[nxt]))))
                    break
                if nxt != found.parent[node] and depth[nxt] < depth[node]:
                    low[node] = min(low[node], depth[nxt])
                    edges.append((node, nxt))
            else:
                stack.pop()
                above = found.parent[node]
                if above is None:
                    continue
                low[above] = min(low[above], low[node])
                if low[node] > depth[above]:
                    found.bridges.append((above, node))
                if low[node] >= depth[above]:
                    block: set = set()
                    while True:
                        edge = edges.pop()
                        block.update(edge)
                        if edge == (above, node):
                            break
                    found.blocks.append(block)
                    if found.parent[above] is not None:
                        found.cut_vertices.add(above)
                    else:
                        root_children += 1
        if root_children >= 2:
            found.cut_vertices.add(root)
    return found


def subtree_sizes(found: Structure) -> dict:
    """node -> the number of nodes in its subtree of the search tree, itself included."""
    size = dict.fromkeys(found.order, 1)
    for node in reversed(found.order):
        above = found.parent[node]
        if above is not None:
            size[above] += size[node]
    return size
