"""Shelfware: tools that are paid for but that no process step uses and no data flow touches.

A tool counts as used when a step lists it under `tools`, or when a flow names it as `from`, `to`
or `via`. Only tools in the lifecycles of option `lifecycles` are judged (by default `active` and
`phase-out`: a planned or phasing-in tool is not expected to be used yet, a retired one costs
nothing). The annual cost of each unused tool is the money a MOps lead can recover.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.common import annual_cost, merged
from mopsgov.model import Entity, Model
from mopsgov.fields import date, mapping
from mopsgov.figures import Amounts, currency

NAME = "shelfware"
DEFAULTS = {"lifecycles": ["active", "phase-out"]}


@dataclass(frozen=True)
class UnusedTool:
    tool: Entity
    annual_cost: float | None
    currency: str
    renewal: str | None  # ISO date of the contract renewal, when written
    kpis: tuple[str, ...]  # KPIs that still name it as a source


@dataclass
class ShelfwareResult:
    tools: list[UnusedTool] = field(default_factory=list)
    total: Amounts = field(default_factory=Amounts)
    judged: int = 0  # tools in the judged lifecycles


def analyze_shelfware(model: Model, graph=None, options: dict | None = None) -> ShelfwareResult:
    opts = merged(DEFAULTS, options)
    index = cache.indexes(model)
    result = ShelfwareResult()
    for tool in model.of("tool"):
        if tool.get("lifecycle") not in opts["lifecycles"]:
            continue
        result.judged += 1
        use = index.use(tool.id)
        if use.steps or use.flows:
            continue
        cost = annual_cost(tool)
        money = currency(model, tool)
        renewal = date(mapping(tool.get("contract")).get("renewal"))
        result.tools.append(UnusedTool(tool, cost, money, renewal.isoformat() if renewal else None,
                                       tuple(k.id for k in use.kpis)))
        if cost is not None:
            result.total.add(money, cost)
    return result
