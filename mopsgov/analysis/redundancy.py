"""Redundancy: active tools that offer the same capabilities to the same teams.

Two tools overlap when they share at least one team in `user_teams` and their capabilities
overlap enough: the shared capabilities divided by the capabilities of the smaller tool (an email
tool whose one capability, email-send, the marketing automation platform also offers, overlaps
fully) must reach `min_score`, with at least `min_shared` capabilities shared. Categories play no
part: one category hides both real and false overlaps. Overlapping tools form clusters (a tool
overlapping two others brings all three together).

For each cluster the analysis proposes a tool to keep. It must serve every team that uses any
tool of the cluster, or consolidating would take a tool away from a team; among those that do,
it is the one that scores best on evidence. When none serves them all, the best on evidence is
proposed with the teams it would still have to take on (`uncovered`). The evidence is:
being the system of record of data objects (counted twice: moving the truth elsewhere is a
migration), integrations (flows touching it), use in process steps, seat utilisation, a named
owner and the breadth of its capabilities. Each criterion gives a point to the tools that lead
it; on equal points the cheaper tool is kept. The reasons shown are the criteria the keep
candidate leads outright, and "cheapest" when the cost decided. The cost at stake is the annual
cost of the other tools; the cluster's overlap score is the share of those tools' capabilities
the rest of the cluster already offers. The nearest renewal among them is the next chance to act.

Pairs are found by prefix filtering, so the work grows with the tools that could overlap, not
with all pairs of tools, nor with all tools sharing one common capability: with the capabilities
ranked rarest first, a tool is only indexed under its rarest ones, as many as a partner of its
size or larger must share at least one of (a tool of n capabilities needs k = ceil(min_score x n)
shared with a larger partner, and the n - k + 1 rarest always hold one of them). Each tool then
looks up the smaller tools indexed under its capabilities, per team, and the candidates are
checked exactly. Tools without user teams or capabilities are not compared.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.connectivity import adjacency, components
from mopsgov.analysis.common import annual_cost, count, listed, merged, percent, tool_label, utilisation_share
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
    uncovered: tuple[str, ...] = ()  # teams of the cluster the keep candidate does not serve (when none serves all)

    @property
    def others(self) -> tuple[Entity, ...]:
        return self.tools[1:]


@dataclass
class RedundancyResult:
    clusters: list[Cluster] = field(default_factory=list)
    at_stake: Amounts = field(default_factory=Amounts)
    not_compared: list[tuple[Entity, str]] = field(default_factory=list)  # (active tool, why): no teams or capabilities
    checked: int = 0  # candidate pairs compared: the work done, which grows with the overlaps, not with all pairs


def _needed(size: int, opts: dict) -> int:
    """The fewest shared capabilities with which a tool of `size` capabilities overlaps a partner at least as large."""
    least = max(1, int(opts["min_shared"]))
    for shared in range(least, size + 1):
        if shared / size >= opts["min_score"]:  # the very test the pairs must pass
            return shared
    return size + 1  # it can overlap no larger tool


def _pairs(tools: list[Entity], caps: dict[str, set[str]], opts: dict) -> tuple[list[tuple[str, str]], int]:
    """(tool id, tool id), in a stable order, for the tools that share a team and overlap enough; and
    how many candidate pairs were checked to find them (the work done)."""
    frequency: dict[str, int] = defaultdict(int)
    for tool in tools:
        for capability in caps[tool.id]:
            frequency[capability] += 1
    rank = {t.id: (len(caps[t.id]), i) for i, t in enumerate(tools)}  # smaller tools first
    index: dict[tuple[str, str], list[str]] = defaultdict(list)  # (team, capability) -> tools indexed there
    found: list[tuple[str, str]] = []
    checked = 0
    for tool in sorted(tools, key=lambda t: rank[t.id]):
        mine = caps[tool.id]
        teams = list(dict.fromkeys(strings(tool.get("user_teams"))))
        candidates: dict[str, None] = {}
        for team in teams:
            for capability in mine:
                for other in index.get((team, capability), ()):
                    candidates[other] = None
        checked += len(candidates)
        for other in candidates:  # each is no larger than this tool: the smaller decides the score
            shared = len(mine & caps[other])
            if shared >= opts["min_shared"] and shared / min(len(mine), len(caps[other])) >= opts["min_score"]:
                found.append((other, tool.id))
        ordered = sorted(mine, key=lambda c: (frequency[c], c))
        for capability in ordered[: len(mine) - _needed(len(mine), opts) + 1]:
            for team in teams:
                index[(team, capability)].append(tool.id)
    return found, checked


# The evidence for keeping a tool, in the order reasons are shown: (name, weight).
CRITERIA = (("records", 2), ("integrations", 1), ("steps", 1), ("utilisation", 1), ("owned", 1), ("capabilities", 1))


def _evidence(model: Model, tool: Entity) -> dict:
    use = cache.indexes(model).use(tool.id)
    share = utilisation_share(tool)
    return {"records": len(use.records), "integrations": len(use.flows), "steps": len(use.steps),
            "utilisation": share if share is not None else -1.0,
            "owned": 1 if model.get("role", tool.get("owner")) is not None else 0,
            "capabilities": len(set(strings(tool.get("capabilities"))))}


def _reason(model: Model, tool: Entity, name: str, value) -> str:
    use = cache.indexes(model).use(tool.id)
    if name == "records":
        held = [d.name for d in use.records]
        return f"system of record of {' and '.join(filter(None, (', '.join(held[:-1]), held[-1])))}"
    if name == "integrations":
        return f"most integrations ({count(value, 'flow')})"
    if name == "steps":
        return f"most used in processes ({count(value, 'step')})"
    if name == "utilisation":
        return f"highest seat utilisation ({percent(value)})"
    if name == "owned":
        owner = model.get("role", tool.get("owner"))
        return f"the only one with an owner ({owner.name})"
    return f"broadest capabilities ({value})"


def _keep(model: Model, members: list[Entity], pool: list[Entity]) -> tuple[Entity, tuple[str, ...]]:
    """The tool of `pool` to keep, and why: evidence is weighed against every member of the cluster."""
    evidence = {t.id: _evidence(model, t) for t in members}
    best = {name: max(e[name] for e in evidence.values()) for name, _ in CRITERIA}
    points = {t.id: sum(weight for name, weight in CRITERIA
                        if evidence[t.id][name] == best[name] and evidence[t.id][name] > 0) for t in pool}
    money = {t.id: (currency(model, t), annual_cost(t)) for t in pool}
    top = max(points.values())
    leaders = [t for t in pool if points[t.id] == top]
    keep, cheapest = leaders[0], ""
    if len(leaders) > 1:
        costs = {money[t.id] for t in leaders}
        comparable = len({c for c, _ in costs}) == 1 and all(a is not None for _, a in costs)
        if comparable:
            keep = min(leaders, key=lambda t: (money[t.id][1], leaders.index(t)))
            if sum(1 for t in leaders if money[t.id][1] == money[keep.id][1]) == 1:
                rivals = ", ".join(f"{t.name} {Amounts({money[t.id][0]: money[t.id][1]})}" for t in leaders if t is not keep)
                cheapest = f"cheapest ({Amounts({money[keep.id][0]: money[keep.id][1]})} a year, against {rivals})"
    mine = evidence[keep.id]
    reasons = [_reason(model, keep, name, mine[name]) for name, _ in CRITERIA
               if mine[name] > 0 and all(mine[name] > evidence[t.id][name] for t in members if t is not keep)]
    if cheapest:
        reasons.append(cheapest)
    return keep, tuple(reasons)


def _cluster(model: Model, members: list[Entity]) -> Cluster:
    teams = {t.id: set(strings(t.get("user_teams"))) for t in members}
    everyone = list(dict.fromkeys(team for t in members for team in strings(t.get("user_teams"))))
    serving = [t for t in members if teams[t.id] >= set(everyone)]
    keep, reasons = _keep(model, members, serving or members)
    if serving and len(serving) < len(members):
        reasons = (("the only one serving" if len(serving) == 1 else "serves") + f" every team that uses them "
                   f"({listed(everyone)})", *reasons)
    uncovered = tuple(team for team in everyone if team not in teams[keep.id])
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
                   tuple(sorted(t for t, n in served.items() if n > 1)), at_stake, renewal, uncovered)


def keep_note(cluster: Cluster) -> str:
    """`, but no tool ... serves every team: ...`, when the tool to keep leaves a team out; else ""."""
    if not cluster.uncovered:
        return ""
    return (f", but no tool of the cluster serves every team: {tool_label(cluster.keep)} would also have to serve "
            f"{listed(cluster.uncovered)}")


def analyze_redundancy(model: Model, graph=None, options: dict | None = None) -> RedundancyResult:
    opts = merged(DEFAULTS, options)
    result = RedundancyResult()
    tools = []
    for tool in model.of("tool"):
        if tool.get("lifecycle") not in opts["lifecycles"]:
            continue
        missing = [f for f in ("user_teams", "capabilities") if not strings(tool.get(f))]
        if not missing:
            tools.append(tool)
        else:
            result.not_compared.append((tool, f"it lists no {' and no '.join(m.replace('_', ' ') for m in missing)}"))
    caps = {t.id: set(strings(t.get("capabilities"))) for t in tools}
    pairs, result.checked = _pairs(tools, caps, opts)
    order = {t.id: i for i, t in enumerate(tools)}
    for component in sorted(components(adjacency(pairs)), key=lambda c: min(order[t] for t in c)):
        cluster = _cluster(model, sorted((model.get("tool", t) for t in component), key=lambda t: order[t.id]))
        result.clusters.append(cluster)
        for money, amount in cluster.at_stake.items():
            result.at_stake.add(money, amount)
    result.clusters.sort(key=lambda c: (-sum(c.at_stake.values()), c.keep.id))
    return result
