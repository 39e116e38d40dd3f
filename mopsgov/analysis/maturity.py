"""Maturity scorecard: a level from 1 (ad hoc) to 5 (optimised) for each pillar of MOps.

The pillars are people, process, technology, data and measurement. Each pillar climbs a ladder
of four criteria, one per level from 2 to 5, judged only on evidence in the model (and on the
other analyses). A pillar's level is 1 plus the number of criteria met in a row from the bottom:
a criterion above an unmet one does not count, because maturity is built in that order. Each
level earned comes with the evidence that earned it, and each pillar below 5 says what would
lift it: the first unmet criterion, with the entities that hold it back.

| level | people | process | technology | data | measurement |
|---|---|---|---|---|---|
| 2 | every role sits in a team | processes with steps and owners | every tool in use has an owner | one system of record per object | KPIs with formulas |
| 3 | half the responsibility areas | one A and at least one R per step | no shelfware | every object has an owner | every KPI has formula, unit, target, cadence |
| 4 | 7 of 10 value archetypes | the three core process families | no redundant tools | flows state latency, mechanism, lawful basis | outcome KPIs, all KPIs checked and computable |
| 5 | all archetypes and areas | half the processes under a measured SLA | 80% seat use, renewals recorded | no personal-data exposure, no write-back cycles | SMART goals, measured and feasible SLAs |
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from mopsgov.analysis.common import count, is_personal, names, percent, systems_of_record
from mopsgov.durations import parse_minutes
from mopsgov.model import Entity, Model
from mopsgov.fields import mapping, number, raci, steps, strings, text

NAME = "maturity"
DEFAULTS: dict = {}
LEVELS = {1: "ad hoc", 2: "repeatable", 3: "defined", 4: "managed", 5: "optimised"}
PILLARS = ("people", "process", "technology", "data", "measurement")
IN_USE = ("phase-in", "active", "phase-out")
CORE_FAMILIES = ("content-creation", "demand-generation", "performance-measurement")
SHOWN = 3  # entities named in a criterion's evidence before "and N more"


@dataclass(frozen=True)
class Criterion:
    level: int
    title: str
    met: bool
    evidence: str
    holding_back: tuple[Entity, ...] = ()


@dataclass(frozen=True)
class Pillar:
    name: str
    level: int
    criteria: tuple[Criterion, ...]

    @property
    def label(self) -> str:
        return LEVELS[self.level]

    @property
    def reasons(self) -> tuple[str, ...]:
        """The evidence for each level earned above 1."""
        return tuple(f"level {c.level}: {c.evidence}" for c in self.criteria if c.level <= self.level)

    @property
    def lift(self) -> Criterion | None:
        """The criterion that would lift the pillar one level."""
        return next((c for c in self.criteria if c.level == self.level + 1), None)


@dataclass
class MaturityResult:
    pillars: dict[str, Pillar] = field(default_factory=dict)

    @property
    def overall(self) -> float:
        return round(sum(p.level for p in self.pillars.values()) / len(self.pillars), 1) if self.pillars else 1.0


def _names(entities: list[Entity]) -> str:
    return names([e.id for e in entities], SHOWN)


def _all(level: int, title: str, total: list, failing: list[Entity], good: str, bad: str,
         noun: tuple[str, str] = ("", "")) -> Criterion:
    """A criterion every entity of a list must meet; `bad` may use {names} and {n}, the number
    of failing entities with `noun` (one, many): "2 tools in use without an owner (a, b)"."""
    if not total:
        return Criterion(level, title, False, "nothing in the model to judge yet")
    if failing:
        return Criterion(level, title, False, bad.format(names=_names(failing), n=count(len(failing), *noun)),
                         tuple(failing))
    return Criterion(level, title, True, good.format(n=len(total)))


def _share(level: int, title: str, covered: int, total: int, needed: int, what: str, missing: tuple[str, ...]) -> Criterion:
    evidence = f"{covered} of {total} {what} covered"
    if covered >= needed:
        return Criterion(level, title, True, evidence)
    return Criterion(level, title, False, f"{evidence}; {needed} needed (missing: {', '.join(missing[:5])}{'...' if len(missing) > 5 else ''})")


def _people(model: Model, results) -> list[Criterion]:
    roles = model.of("role")
    coverage = results("coverage")
    areas, types = coverage.dimensions["responsibilities"], coverage.dimensions["archetypes"]
    total_areas, total_types = len(areas.terms), len(types.terms)
    full = len(areas.covered) == total_areas and len(types.covered) == total_types
    return [
        _all(2, "every role sits in a team", roles, [r for r in roles if model.get("team", r.get("team")) is None],
             "{n} roles, each in a team", "{n} without an existing team ({names})", ("role", "roles")),
        _share(3, "half the responsibility areas covered", len(areas.covered), total_areas, (total_areas + 1) // 2,
               "responsibility areas", areas.missing),
        _share(4, "7 of 10 value archetypes covered", len(types.covered), total_types, min(7, total_types),
               "value archetypes", types.missing),
        Criterion(5, "every value archetype and responsibility area covered", full,
                  "all value archetypes and responsibility areas are covered (super ops)" if full else
                  f"missing {count(len(types.missing), 'value archetype')} ({', '.join(types.missing)}) and "
                  f"{count(len(areas.missing), 'responsibility area')} ({', '.join(areas.missing)})"),
    ]


def _process(model: Model, results) -> list[Criterion]:
    processes = model.of("process")
    unowned = [p for p in processes if not steps(p) or model.get("role", p.get("owner")) is None]
    bad_raci = []
    for process in processes:
        for step in steps(process):
            letters = list(raci(step).values())
            accountable = sum(1 for x in letters if x in ("A", "A/R"))
            responsible = sum(1 for x in letters if x in ("R", "A/R"))
            if accountable != 1 or responsible < 1:
                bad_raci.append(process)
                break
    families = {text(p.get("family")) for p in processes}
    missing = [f for f in CORE_FAMILIES if f not in families]
    measured = {text(s.get("process")) for s in model.of("sla") if model.get("kpi", s.get("measured_by")) is not None}
    with_sla = [p for p in processes if p.id in measured]
    return [
        _all(2, "processes with steps and an owner", processes, unowned,
             "{n} processes, each with steps and an owner", "{n} without steps or an existing owner ({names})",
             ("process", "processes")),
        _all(3, "one Accountable and at least one Responsible per step", processes, bad_raci,
             "every step of {n} processes has one A and at least one R",
             "{n} with a step lacking exactly one A or any R ({names})", ("process", "processes")),
        Criterion(4, "the three core process families modelled", not missing,
                  "content creation, demand generation and performance measurement are modelled" if not missing
                  else f"no process in {', '.join(missing)}"),
        Criterion(5, "half the processes under an SLA measured by a KPI", bool(processes) and 2 * len(with_sla) >= len(processes),
                  f"{len(with_sla)} of {len(processes)} processes have an SLA measured by a KPI",
                  tuple(p for p in processes if p.id not in measured)),
    ]


def _technology(model: Model, results) -> list[Criterion]:
    tools = [t for t in model.of("tool") if t.get("lifecycle") in IN_USE]
    shelf, redundant = results("shelfware"), results("redundancy")
    bought = active = 0
    for tool in tools:
        seats = mapping(tool.get("seats"))
        if number(seats.get("bought")) and number(seats.get("active")) is not None:
            bought += number(seats["bought"])
            active += number(seats["active"])
    paid = [t for t in tools if number(t.get("annual_cost"))]
    no_renewal = [t for t in paid if not mapping(t.get("contract")).get("renewal")]
    share = active / bought if bought else None
    utilised = share is not None and share >= 0.8 and not no_renewal
    return [
        _all(2, "every tool in use has an owner", tools, [t for t in tools if model.get("role", t.get("owner")) is None],
             "{n} tools in use, each with an owner", "{n} without an existing owner ({names})", ("tool in use", "tools in use")),
        Criterion(3, "no shelfware", not shelf.tools,
                  "every tool in use is used by a process step or a flow" if not shelf.tools else
                  f"{count(len(shelf.tools), 'tool')} unused ({_names([u.tool for u in shelf.tools])}), {shelf.total} a year",
                  tuple(u.tool for u in shelf.tools)),
        Criterion(4, "no redundant tools", not redundant.clusters,
                  "no two active tools offer the same capabilities to the same teams" if not redundant.clusters else
                  f"{count(len(redundant.clusters), 'redundancy cluster')}, {redundant.at_stake} a year at stake",
                  tuple(t for c in redundant.clusters for t in c.others)),
        Criterion(5, "80% seat utilisation and renewals recorded", utilised,
                  (f"seat utilisation {percent(share)}" if share is not None else "no seat counts recorded")
                  + (f"; {count(len(no_renewal), 'paid tool')} without a renewal date ({_names(no_renewal)})" if no_renewal else
                     "; every paid tool records its renewal"), tuple(no_renewal)),
    ]


def _data(model: Model, results) -> list[Criterion]:
    objects = model.of("data")
    flows = model.of("flow")
    personal = {d.id for d in objects if is_personal(d)}
    loose = [f for f in flows if parse_minutes(f.get("latency")) is None or not f.get("mechanism")
             or (personal.intersection(strings(f.get("objects"))) and not f.get("lawful_basis"))]
    exposure, structure = results("exposure"), results("flow_structure")
    exposed = list(dict.fromkeys(e.tool for e in exposure.exposures))
    clean = not exposed and not structure.cycles
    return [
        _all(2, "one system of record per data object", objects,
             [d for d in objects if len(systems_of_record(model, d)) != 1],
             "{n} data objects, each with one system of record", "{n} without exactly one system of record ({names})",
             ("data object", "data objects")),
        _all(3, "every data object has an owner", objects, [d for d in objects if model.get("role", d.get("owner")) is None],
             "{n} data objects, each with an owner", "{n} without an existing owner ({names})", ("data object", "data objects")),
        _all(4, "flows state latency, mechanism and lawful basis", flows, loose,
             "{n} flows state latency and mechanism, and a lawful basis for personal data",
             "{n} lacking a latency, a mechanism or a lawful basis for personal data ({names})",
             ("flow", "flows")),
        Criterion(5, "no personal-data exposure and no write-back cycles", clean,
                  "personal data reaches only covered tools and no object is written back and forth" if clean else
                  f"{count(len(exposed), 'exposed tool')}, {count(len(structure.cycles), 'write-back cycle')}",
                  tuple(exposed)),
    ]


def _measurement(model: Model, results) -> list[Criterion]:
    kpis = model.of("kpi")
    with_formula = [k for k in kpis if k.get("formula")]
    incomplete = [k for k in kpis if not all(k.get(f) not in (None, "") for f in ("formula", "unit", "target", "cadence"))]
    coverage, computability, slas = results("coverage"), results("kpi_computability"), results("sla_feasibility")
    broken = [k.kpi for k in computability.not_computable]
    unjudged = list(computability.not_judged)  # "every KPI computable" holds only for KPIs actually checked
    computable = bool(computability.kpis) and not broken and not unjudged
    outcome = bool(coverage.kpi_forms.get("outcome"))
    goals = model.of("goal")
    not_smart = [g for g in goals if model.get("kpi", g.get("kpi")) is None
                 or not all(g.get(f) is not None for f in ("baseline", "target", "deadline"))]
    timed = [s for s in model.of("sla") if parse_minutes(s.get("target")) is not None]
    unmeasured = [s for s in timed if model.get("kpi", s.get("measured_by")) is None]
    infeasible = [c.sla for c in slas.infeasible]
    smart = bool(goals) and not not_smart and not unmeasured and not infeasible
    return [
        Criterion(2, "KPIs with formulas", bool(with_formula), f"{len(with_formula)} of {len(kpis)} KPIs have a formula"),
        _all(3, "every KPI has formula, unit, target and cadence", kpis, incomplete,
             "{n} KPIs, each with formula, unit, target and cadence",
             "{n} lacking a formula, unit, target or cadence ({names})", ("KPI", "KPIs")),
        Criterion(4, "outcome KPIs, and every KPI computable from the flows", outcome and computable,
                  ("outcome KPIs are measured" if outcome else "no outcome KPI: the KPI set measures activity, not value")
                  + (f"; {count(len(broken), 'KPI')} cannot be computed from the modelled flows ({_names(broken)})" if broken
                     else "") + (f"; {count(len(unjudged), 'KPI')} {'names' if len(unjudged) == 1 else 'name'} no "
                                 f"sources or inputs, so cannot be checked ({_names(unjudged)})" if unjudged else "")
                  + (f"; each of the {count(len(computability.kpis), 'KPI')} can be computed" if computable else ""),
                  tuple(broken + unjudged)),
        Criterion(5, "SMART goals, measured and feasible SLAs", smart,
                  f"{len(goals) - len(not_smart)} of {len(goals)} goals are SMART; "
                  f"{len(timed) - len(unmeasured)} of {len(timed)} timed SLAs are measured, {len(infeasible)} infeasible",
                  tuple(not_smart + unmeasured + infeasible)),
    ]


LADDERS: dict[str, Callable] = {"people": _people, "process": _process, "technology": _technology,
                                "data": _data, "measurement": _measurement}


def analyze_maturity(model: Model, graph=None, options: dict | None = None) -> MaturityResult:
    from mopsgov.analysis.runner import result as analysis

    result = MaturityResult()
    for name in PILLARS:
        criteria = tuple(LADDERS[name](model, lambda other: analysis(model, other)))
        level = 1
        for criterion in criteria:
            if not criterion.met:
                break
            level = criterion.level
        result.pillars[name] = Pillar(name, level, criteria)
    return result
