"""The operating model as one typed networkx graph, and its export to JSON, GraphML and DOT."""
from __future__ import annotations

from mopsgov.graph.build import RELATIONS, build_graph, step_node
from mopsgov.graph.export import FORMATS, to_dot, to_graphml, to_json

__all__ = ["RELATIONS", "FORMATS", "build_graph", "step_node", "to_dot", "to_graphml", "to_json"]
