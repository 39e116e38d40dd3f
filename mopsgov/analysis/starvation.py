"""Data that stops arriving: what the loss of some flows starves downstream.

A flow can only pass on an object that reaches its source tool, so the graph links a step, KPI
or flow to the flows that bring what it needs into its tools (`fed_by`, see mopsgov.graph.build).
Once some flows are gone, an object still travels along a flow that leaves its system of record,
or a tool no modelled flow brings it to (where it starts, as far as the model says), or a tool a
remaining flow still brings it to. That is computed per object from the sources outwards, so a
loop of flows feeding each other does not keep itself alive. A flow that got no object before the
loss (the model never fed it) is not counted as lost through it.
"""
from __future__ import annotations

import weakref
from collections import deque
from dataclasses import dataclass, field

import networkx as nx


@dataclass
class Feeds:
    feeders: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (node, object) -> flows bringing it
    consumers: dict[tuple[str, str], list[str]] = field(default_factory=dict)  # (flow, object) -> nodes it feeds
    feeding: dict[str, list[str]] = field(default_factory=dict)  # flow -> the objects it feeds someone with
    carriers: dict[str, list[str]] = field(default_factory=dict)  # object -> the flows feeding or fed with it


_FEEDS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def feeds(graph: nx.MultiDiGraph) -> Feeds:
    """The `fed_by` edges of the graph, indexed both ways (once per graph)."""
    found = _FEEDS.get(graph)
    if found is None:
        found = _FEEDS[graph] = Feeds()
        for node, flow, attrs in graph.edges(data=True):
            if attrs.get("rel") != "fed_by":
                continue
            for obj in attrs["objects"].split(","):
                found.feeders.setdefault((node, obj), []).append(flow)
                found.consumers.setdefault((flow, obj), []).append(node)
                found.feeding.setdefault(flow, [])
                if obj not in found.feeding[flow]:
                    found.feeding[flow].append(obj)
                carriers = found.carriers.setdefault(obj, [])
                for member in (flow, node) if node.startswith("flow:") else (flow,):
                    if member not in carriers:
                        carriers.append(member)
    return found


@dataclass
class Starved:
    # node (step, KPI or flow) -> object -> the lost flow through which the loss first reached it
    hit: dict[str, dict[str, str]] = field(default_factory=dict)
    # node -> object -> the flows still bringing it, for objects it still gets
    kept: dict[str, dict[str, list[str]]] = field(default_factory=dict)

    def lost(self, node: str) -> dict[str, str]:
        """object -> lost flow, for the objects `node` no longer gets."""
        kept = self.kept.get(node, {})
        return {obj: flow for obj, flow in self.hit.get(node, {}).items() if obj not in kept}


def _delivering(found: Feeds, obj: str, gone: set[str], assumed: set[str]) -> set[str]:
    """The flows that still bring `obj`: from those nothing feeds with it (or `assumed`) onwards."""
    carriers = found.carriers.get(obj, [])
    out = {f for f in carriers if f not in gone and (f in assumed or (f, obj) not in found.feeders)}
    queue = deque(f for f in carriers if f in out)
    while queue:
        for node in found.consumers.get((queue.popleft(), obj), ()):
            if node not in out and node not in gone and node.startswith("flow:"):
                out.add(node)
                queue.append(node)
    return out


def starve(graph: nx.MultiDiGraph, gone: list[str]) -> Starved:
    """What the loss of the flows `gone` (in the order they were lost) starves, nearest first."""
    found = feeds(graph)
    lost_flows = set(gone)
    down: set[tuple[str, str]] = set()  # (flow, object): the flow no longer brings the object
    for obj in dict.fromkeys(obj for flow in gone for obj in found.feeding.get(flow, ())):
        before = _delivering(found, obj, set(), set())
        after = _delivering(found, obj, lost_flows, set(found.carriers[obj]) - before)
        down.update((f, obj) for f in found.carriers[obj] if f not in after)
    result = Starved()
    queue = deque((flow, obj) for flow in gone for obj in found.feeding.get(flow, ()))
    while queue:
        flow, obj = queue.popleft()
        for node in found.consumers.get((flow, obj), ()):
            if obj in result.hit.get(node, {}) or node in lost_flows:
                continue
            if node.startswith("flow:"):
                if (node, obj) in down:
                    result.hit.setdefault(node, {})[obj] = flow
                    queue.append((node, obj))
                continue
            result.hit.setdefault(node, {})[obj] = flow
            still = [f for f in found.feeders[(node, obj)] if (f, obj) not in down]
            if still:
                result.kept.setdefault(node, {})[obj] = still
    return result
