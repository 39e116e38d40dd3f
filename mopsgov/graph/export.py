"""Write the model graph as JSON, GraphML or DOT; every format lists nodes and edges in model order."""
from __future__ import annotations

import json

import graphviz
import networkx as nx

from mopsgov.graph.build import RELATIONS
from mopsgov.render.escape import dot_text

# Node style per kind in DOT output: (shape, fill colour).
KIND_STYLE = {
    "team": ("folder", "#e8eaf6"), "role": ("ellipse", "#e3f2fd"), "process": ("box", "#e8f5e9"),
    "step": ("box", "#f1f8e9"), "tool": ("component", "#fff3e0"), "data": ("cylinder", "#fce4ec"),
    "flow": ("cds", "#ede7f6"), "sla": ("note", "#e0f7fa"), "kpi": ("hexagon", "#fffde7"),
    "goal": ("octagon", "#f9fbe7"), "waiver": ("tab", "#eceff1"),
}


def to_json(graph: nx.MultiDiGraph) -> str:
    # `id` is the node's name (kind:id); the entity's own id is the part after the colon
    nodes = [{"id": node, **{k: v for k, v in attrs.items() if k != "id"}} for node, attrs in graph.nodes(data=True)]
    edges = [{"source": u, "target": v, **attrs} for u, v, attrs in graph.edges(data=True)]
    return json.dumps({"name": graph.graph.get("name", ""), "relations": {k: r.text for k, r in RELATIONS.items()},
                       "nodes": nodes, "edges": edges}, indent=2, ensure_ascii=False) + "\n"


def to_graphml(graph: nx.MultiDiGraph) -> str:
    return "\n".join(nx.generate_graphml(graph, named_key_ids=True)) + "\n"


def to_dot(graph: nx.MultiDiGraph, title: str | None = None) -> str:
    """DOT source of the whole graph (an impact is drawn by mopsgov.render.diagrams.impact)."""
    dot = graphviz.Digraph("model", graph_attr={"rankdir": "LR", "fontname": "Helvetica"},
                           node_attr={"style": "filled", "fontname": "Helvetica", "fontsize": "10"},
                           edge_attr={"fontname": "Helvetica", "fontsize": "8", "color": "#607d8b"})
    if title:
        dot.attr(label=dot_text(title), labelloc="t")
    names = {node: f"n{index}" for index, node in enumerate(graph.nodes)}
    for node, attrs in graph.nodes(data=True):
        shape, fill = KIND_STYLE.get(attrs.get("kind"), ("box", "#ffffff"))
        dot.node(names[node], dot_text(f"{attrs.get('kind', '')}: {attrs.get('name', node)}", node),
                 shape=shape, fillcolor=fill)
    for u, v, attrs in graph.edges(data=True):
        rel = attrs.get("rel", "")
        label = attrs.get("objects") or "" if rel == "flow" else RELATIONS[rel].text if rel in RELATIONS else rel
        dot.edge(names[u], names[v], dot_text(label) if label else None)
    return dot.source


FORMATS = {"json": to_json, "graphml": to_graphml, "dot": to_dot}
