"""Redundancy: active tools that offer the same capabilities to the same teams.

Two tools overlap when they share at least one team in `user_teams` and their capabilities
overlap enough: the shared capabilities divided by the capabilities of the smaller tool (an email
tool whose one capability, email-send, the marketing automation platform also offers, overlaps
fully) must reach `min_score`, with at least `min_shared` capabilities shared. Categories play no
part: one category hides both real and false overlaps. Overlapping tools form clusters (a tool
overlapping two others brings all three together).

For each cluster the analysis proposes a tool to keep, the one that scores best on evidence:
integrations (flows touching it), use in process steps, seat utilisation, a named owner and the
breadth of its capabilities. The cost at stake is the annual cost of the other tools; the
cluster's overlap score is the share of those tools' capabilities the rest of the cluster
already offers. The nearest renewal among them is the next chance to act.

Pairs are found through an inverted index from (team, capability) to tools, so the work grows
with the tools that share a team and a capability, not with all pairs of tools. Tools without
user teams or capabilities are not compared.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

import networkx as nx

from mopsgov.analysis import cache
from mopsgov.analysis.common import annual_cost, count, merged, percent, utilisation_share
from mopsgov.model import Entity, Model
from mopsgov.fields import date, mapping, strings
from mopsgov.figures import Amounts, currency

NAME = "redundancy"
DEFAULTS = {"min_score": 0.75, "min_shared": 1, "lifecycles": ["active"]}


@dataclass(frozen=True)
class Cluster:
    tools: tuple[Entity, ...]  # the keep candidate first, then the others by id
    keep: Entity
    reasons: tuple[str, ...]  # why keep that one
    score: float
    shared_capabilities: tuple[str, ...]  # offered by two or more tools of the cluster
    teams: tuple[str, ...]  # teams served by two or more tools of the cluster
    at_stake: Amounts
    renewal: tuple[str, str] | None  # (ISO date, tool id) of the nearest renewal among the others

    @property
    def others(self) -> tuple[Entity, ...]:
        return self.tools[1:]


@dataclass
class RedundancyResult:
    clusters: list[Cluster] = field(default_factory=list)
    at_stake: Amounts = field(default_factory=Amounts)
    not_compared: list[Entity] = field(default_factory=list)  # active tools without teams or capabilities


def _pairs(tools: list[Entity]) -> dict[tuple[str, str], set[str]]:
    """(tool id, tool id) -> shared capabilities, for tools that share a team."""
    index: dict[tuple[str, str], list[str]] = defaultdict(list)
    for tool in tools:
        for team in dict.fromkeys(strings(tool.get("user_teams"))):
            for capability in dict.fromkeys(strings(tool.get("capabilities"))):
                index[(team, capability)].append(tool.id)
    shared: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (_, capability), ids in index.items():
        for i, first in enumerate(ids):
            for second in ids[i + 1:]:
                shared[(first, second) if first < second else (second, first)].add(capability)
    return shared


def _evidence(model: Model, tool: Entity) -> dict:
    use = cache.indexes(model).use(tool.id)
    share = utilisation_share(tool)
    return {"integrations": len(use.flows), "steps": len(use.steps), "utilisation": share if share is not None else -1.0,
            "owned": 1 if model.get("role", tool.get("owner")) is not None else 0,
            "capabilities": len(set(strings(tool.get("capabilities"))))}


def _keep(model: Model, members: list[Entity]) -> tuple[Entity, tuple[str, ...]]:
    evidence = {t.id: _evidence(model, t) for t in members}
    points = {t.id: 0 for t in members}
    best = {name: max(e[name] for e in evidence.values()) for name in next(iter(evidence.values()))}
    for tool in members:
        points[tool.id] = sum(1 for name, value in evidence[tool.id].items() if value == best[name] and value > 0)
    keep = max(members, key=lambda t: (points[t.id], evidence[t.id]["integrations"], evidence[t.id]["steps"],
                                       -(annual_cost(t) or 0), [-ord(c) for c in t.id]))
    mine = evidence[keep.id]
    reasons = []
    if mine["integrations"] == best["integrations"] and mine["integrations"]:
        reasons.append(f"most integrations ({count(mine['integrations'], 'flow')})")
    if mine["steps"] == best["steps"] and mine["steps"]:
        reasons.append(f"most used in processes ({count(mine['steps'], 'step')})")
    if mine["utilisation"] == best["utilisation"] and mine["utilisation"] >= 0:
        reasons.append(f"highest seat utilisation ({percent(mine['utilisation'])})")
    if mine["owned"]:
        reasons.append(f"owned by {keep.get('owner')}")
    if mine["capabilities"] == best["capabilities"]:
        reasons.append(f"broadest capabilities ({mine['capabilities']})")
    return keep, tuple(reasons)


def _cluster(model: Model, members: list[Entity]) -> Cluster:
    keep, reasons = _keep(model, members)
    others = sorted((t for t in members if t is not keep), key=lambda t: t.id)
    caps = {t.id: set(strings(t.get("capabilities"))) for t in members}
    offered: dict[str, int] = defaultdict(int)
    served: dict[str, int] = defaultdict(int)
    for tool in members:
        for capability in caps[tool.id]:
            offered[capability] += 1
        for team in set(strings(tool.get("user_teams"))):
            served[team] += 1
    covered = total = 0
    for tool in others:
        rest = set().union(*(caps[t.id] for t in members if t is not tool))
        covered += len(caps[tool.id] & rest)
        total += len(caps[tool.id])
    at_stake = Amounts()
    renewal = None
    for tool in others:
        cost = annual_cost(tool)
        if cost is not None:
            at_stake.add(currency(model, tool), cost)
        when = date(mapping(tool.get("contract")).get("renewal"))
        if when is not None and when >= model.as_of and (renewal is None or (when.isoformat(), tool.id) < renewal):
            renewal = (when.isoformat(), tool.id)
    return Cluster((keep, *others), keep, reasons, round(covered / total, 2) if total else 0.0,
                   tuple(sorted(c for c, n in offered.items() if n > 1)),
                   tuple(sorted(t for t, n in served.items() if n > 1)), at_stake, renewal)


def analyze_redundancy(model: Model, graph=None, options: dict | None = None) -> RedundancyResult:
    opts = merged(DEFAULTS, options)
    result = RedundancyResult()
    tools = []
    for tool in model.of("tool"):
        if tool.get("lifecycle") not in opts["lifecycles"]:
            continue
        if strings(tool.get("user_teams")) and strings(tool.get("capabilities")):
            tools.append(tool)
        else:
            result.not_compared.append(tool)
    caps = {t.id: set(strings(t.get("capabilities"))) for t in tools}
    overlap = nx.Graph()
    for (first, second), shared in _pairs(tools).items():
        score = len(shared) / min(len(caps[first]), len(caps[second]))
        if len(shared) >= opts["min_shared"] and score >= opts["min_score"]:
            overlap.add_edge(first, second)
    order = {t.id: i for i, t in enumerate(tools)}
    for component in sorted(nx.connected_components(overlap), key=lambda c: min(order[t] for t in c)):
        cluster = _cluster(model, sorted((model.get("tool", t) for t in component), key=lambda t: order[t.id]))
        result.clusters.append(cluster)
        for money, amount in cluster.at_stake.items():
            result.at_stake.add(money, amount)
    result.clusters.sort(key=lambda c: (-sum(c.at_stake.values()), c.keep.id))
    return result
