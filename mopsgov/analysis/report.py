"""The `mopsgov analyze` report: scorecard, top risks, money at stake and every analysis, as text,
Markdown or JSON. Every format is built from the same sections, so they always agree.

Model text is escaped for Markdown (names cannot inject markup); JSON carries ids, numbers and
paths for tools that post-process the report.
"""
from __future__ import annotations

import json
import textwrap
from dataclasses import dataclass, field

from mopsgov.analysis.impact import impact_of
from mopsgov.analysis.common import (annual_cost, count, cut_off_groups, latency_text, listed, names, percent, route,
                                     tool_label)
from mopsgov.analysis.maturity import LEVELS
from mopsgov.analysis.redundancy import keep_note
from mopsgov.analysis.runner import AnalysisReport
from mopsgov.durations import format_minutes
from mopsgov.fields import mapping
from mopsgov.figures import Amounts, currency
from mopsgov.report.markdown import md

TOP_RISKS = 10
MAX_COLUMN = 70  # widest text column before it wraps onto the next line


@dataclass
class Section:
    title: str
    summary: str
    headers: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = field(default_factory=list)


def _flows(path) -> str:
    return " + ".join(f"{f.id} ({latency_text(f)})" for f in path) or "none"


def money_at_stake(report: AnalysisReport) -> tuple[Amounts, tuple[str, ...]]:
    """The annual cost of the tools that could go, redundant or unused, each tool counted once."""
    tools = {t.id: t for c in report.redundancy.clusters for t in c.others}
    for unused in report.shelfware.tools:
        tools.setdefault(unused.tool.id, unused.tool)
    money = Amounts()
    for tool in tools.values():
        cost = annual_cost(tool)
        if cost is not None:
            money.add(currency(report.model, tool), cost)
    return money, tuple(tools)


def top_risks(report: AnalysisReport) -> list[str]:
    """The few findings a MOps lead should read first: privacy, SLAs, KPIs, fragility, money."""
    risks = []
    for tool_id, items in report.exposure.by_tool().items():
        first = items[0]
        objects = ", ".join(dict.fromkeys(e.object for e in items))
        if len(first.path) == 1:
            risks.append(f"{tool_id} holds personal data ({objects}) itself and {first.detail}")
        else:
            risks.append(f"Personal data ({objects}) reaches {tool_id} by {route(list(first.path))}; {tool_id} {first.detail}")
    for edge, objects in report.exposure.without_basis:
        risks.append(f"Flow {edge.id} ({edge.source} -> {edge.target}) moves personal data ({', '.join(objects)}) "
                     f"without a lawful basis")
    for check in report.sla_feasibility.infeasible:
        risks.append(f"SLA {check.sla.id} cannot be met: {check.numbers()}"
                     + (f", waiting on {_flows(check.flows())}" if check.path else ""))
    for check in report.kpi_computability.not_computable:
        missing = [i for i in check.inputs if not i.ok]
        risks.append(f"KPI {check.kpi.id} cannot be computed: {missing[0].missing.text}")
    for point in report.flow_structure.cut_points[:3]:
        risks.append(f"{point.tool.id} is a single point of failure: losing it cuts {count(point.cut_off, 'tool')} off")
    money, tools = money_at_stake(report)
    if money:
        risks.append(f"{money} a year is spent on redundant or unused tools ({names(list(tools))}; each tool counted once)")
    for cycle in report.flow_structure.cycles:
        risks.append(f"{cycle.object} is written back and forth between {listed(cycle.tools)}")
    return risks[:TOP_RISKS]


def sections(report: AnalysisReport) -> list[Section]:
    out = [Section("Maturity scorecard", f"Overall {report.maturity.overall} of 5; 1 = ad hoc, 5 = optimised.",
                   ("pillar", "level", "earned by", "to reach the next level"),
                   [(p.name, f"{p.level} {p.label}", p.reasons[-1].split(": ", 1)[1] if p.reasons else "-",
                     f"{p.lift.title}: {p.lift.evidence}" if p.lift else "-") for p in report.maturity.pillars.values()])]
    risks = top_risks(report)
    out.append(Section("Top risks", "Nothing urgent found." if not risks else f"The {count(len(risks), 'risk')} to read first.",
                       ("#", "risk"), [(str(i), r) for i, r in enumerate(risks, 1)]))
    red = report.redundancy
    out.append(Section("Redundant tools", f"{count(len(red.clusters), 'cluster')}; {red.at_stake or 0} a year at stake."
                       if red.clusters else "No two active tools offer the same capabilities to the same teams.",
                       ("keep", "could go", "overlap", "shared capabilities", "at stake", "nearest renewal", "why keep"),
                       [(c.keep.id, ", ".join(t.id for t in c.others), percent(c.score), ", ".join(c.shared_capabilities),
                         str(c.at_stake), " ".join(c.renewal) if c.renewal else "-",
                         f"{tool_label(c.keep)}: " + ("; ".join(c.reasons) or "no stronger evidence") + keep_note(c))
                        for c in red.clusters]))
    if red.not_compared:
        out.append(Section("Tools not compared for redundancy",
                           f"{count(len(red.not_compared), 'tool')} could not be compared with the others.",
                           ("tool", "why"), [(t.id, why) for t, why in red.not_compared]))
    shelf = report.shelfware
    out.append(Section("Shelfware", f"{count(len(shelf.tools), 'unused tool')}, {shelf.total} a year." if shelf.tools
                       else f"All {count(shelf.judged, 'tool')} judged are used by a process step or a flow.",
                       ("tool", "annual cost", "renewal"),
                       [(u.tool.id, str(Amounts({u.currency: u.annual_cost})) if u.annual_cost is not None else "-",
                         u.renewal or "-") for u in shelf.tools]))
    kpis = report.kpi_computability
    rows = [(k.kpi.id, i.object, " ".join(i.systems_of_record) or "-", ", ".join(k.sources), i.missing.text)
            for k in kpis.not_computable for i in k.inputs if not i.ok]
    out.append(Section("KPIs that cannot be computed",
                       f"{len(kpis.not_computable)} of {count(len(kpis.kpis), 'KPI')} judged cannot be computed from the modelled flows."
                       + (f" Not judged (no sources or inputs): {', '.join(k.id for k in kpis.not_judged)}." if kpis.not_judged else ""),
                       ("KPI", "input", "system of record", "sources", "missing hop"), rows))
    slas = report.sla_feasibility
    out.append(Section("SLAs the integrations cannot meet",
                       f"{len(slas.infeasible)} of {count(len(slas.slas), 'timed SLA')} judged cannot be met.",
                       ("SLA", "required", "modelled", "step", "critical path"),
                       [(c.sla.id, format_minutes(c.target_minutes), "never" if c.never else format_minutes(c.modelled_minutes),
                         c.step, c.route()) for c in slas.infeasible]))
    if slas.not_judged:
        out.append(Section("SLAs not judged", f"{count(len(slas.not_judged), 'SLA')} could not be checked against the flows.",
                           ("SLA", "why"), [(sla.id, why) for sla, why in slas.not_judged]))
    exp = report.exposure
    allowed = ", ".join(exp.allowed_residency) or "not set"
    out.append(Section("Personal-data exposure",
                       f"{count(len(exp.by_tool()), 'exposed tool')}; {count(len(exp.personal_objects), 'personal data object')}"
                       + (f" ({names(exp.personal_objects, 5)})" if exp.personal_objects else "")
                       + f"; allowed residency: {allowed}.",
                       ("tool", "object", "problem", "path", "flows without lawful basis"),
                       [(e.tool.id, e.object, e.detail, route(list(e.path)), ", ".join(e.without_basis) or "-")
                        for e in exp.exposures]))
    if exp.without_basis:
        out.append(Section("Personal data without a lawful basis",
                           f"{count(len(exp.without_basis), 'flow')} of personal data "
                           f"{'states' if len(exp.without_basis) == 1 else 'state'} no lawful basis "
                           "(consent, contract, legitimate interest...).", ("flow", "from", "to", "personal data"),
                           [(e.id, e.source, e.target, ", ".join(objects)) for e, objects in exp.without_basis]))
    flows = report.flow_structure
    rows = [("single point of failure", p.tool.id, f"losing it cuts {count(p.cut_off, 'tool')} off: {cut_off_groups(p.parts[1:])}")
            for p in flows.cut_points]
    rows += [("fragile link", " - ".join(b.ends), f"the only link between {listed(b.ends)}; losing it splits off "
              f"{count(b.smaller_side, 'tool')}; it is made of {'flow' if len(b.flows) == 1 else 'flows'} "
              f"{', '.join(f.id for f in b.flows)}") for b in flows.bridges if b.risky]
    rows += [("write-back cycle", c.object, f"written back and forth between {listed(c.tools)} by flows "
              f"{', '.join(f.id for f in c.flows)}") for c in flows.cycles]
    rows += [("central tool", c.tool.id, f"exchanges data with {count(c.integrations, 'tool')}; losing it breaks "
              f"{impact_of(report.model, c.tool.ref).breaks_text() or 'nothing'}") for c in flows.central]
    out.append(Section("Flow structure", f"{count(len(flows.cut_points), 'single point of failure', 'single points of failure')}, "
                       f"{count(len(flows.cycles), 'write-back cycle')}.", ("finding", "subject", "detail"), rows))
    cov = report.coverage
    rows = [(d.title, f"{len(d.covered)} of {len(d.covered) + len(d.missing)}", ", ".join(d.missing) or "-")
            for d in cov.dimensions.values()]
    rows.append(("KPI forms", ", ".join(f"{form} {len(ids)}" for form, ids in cov.kpi_forms.items()),
                 "no outcome KPI" if cov.outcome_missing else "-"))
    out.append(Section("Coverage", "What the roles, tools, processes and KPIs cover.", ("dimension", "covered", "missing"), rows))
    return out


def _wrap(text: str) -> list[str]:
    """A cell on as many lines as it needs, broken between words: never cut mid-sentence."""
    return textwrap.wrap(text, MAX_COLUMN, break_long_words=False, break_on_hyphens=False) or [""]


def to_text(report: AnalysisReport) -> str:
    model = report.model
    lines = [f"{model.name}: analysis as of {model.as_of.isoformat()}", ""]
    for section in sections(report):
        lines += [section.title, "-" * len(section.title), section.summary]
        if section.rows:
            # narrow columns wrap between words; the last, the free text, is left whole for the terminal
            rows = [[[c] for c in section.headers]] + [[_wrap(c) for c in row[:-1]] + [[row[-1]]] for row in section.rows]
            widths = [max(len(line) for r in rows for line in r[i]) for i in range(len(section.headers))]
            for row in rows:
                for at in range(max(len(cell) for cell in row)):
                    cells = [cell[at] if at < len(cell) else "" for cell in row]
                    lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip())
        lines.append("")
    return "\n".join(lines)


def to_markdown(report: AnalysisReport) -> str:
    model = report.model
    lines = [f"# {md(model.name)}: analysis", "", f"As of {model.as_of.isoformat()}.", ""]
    for section in sections(report):
        lines += [f"## {section.title}", "", md(section.summary), ""]
        if section.rows:
            lines.append("| " + " | ".join(section.headers) + " |")
            lines.append("|" + "---|" * len(section.headers))
            lines += ["| " + " | ".join(md(c) for c in row) + " |" for row in section.rows]
            lines.append("")
    return "\n".join(lines)


def _amounts(amounts: Amounts) -> dict:
    return {currency: amounts[currency] for currency in sorted(amounts)}


def _path(flows) -> list[dict]:
    return [{"flow": f.id, "from": f.source, "to": f.target, "via": f.via, "latency": f.flow.get("latency"),
             "minutes": f.latency} for f in flows]


def to_dict(report: AnalysisReport) -> dict:
    r = report
    sla_order = {s.id: i for i, s in enumerate(r.model.of("sla"))}
    money, tools = money_at_stake(r)
    return {
        "model": r.model.name,
        "as_of": r.model.as_of.isoformat(),
        "maturity": {"overall": r.maturity.overall, "pillars": {
            p.name: {"level": p.level, "label": LEVELS[p.level],
                     "criteria": [{"level": c.level, "title": c.title, "met": c.met, "evidence": c.evidence,
                                   "holding_back": [e.ref for e in c.holding_back]} for c in p.criteria]}
            for p in r.maturity.pillars.values()}},
        "top_risks": top_risks(r),
        "money_at_stake": {"total": _amounts(money), "tools": list(tools)},
        "redundancy": {"at_stake": _amounts(r.redundancy.at_stake), "clusters": [
            {"keep": c.keep.id, "tools": [t.id for t in c.tools], "reasons": list(c.reasons), "score": c.score,
             "teams_keep_does_not_serve": list(c.uncovered),
             "shared_capabilities": list(c.shared_capabilities), "teams": list(c.teams), "at_stake": _amounts(c.at_stake),
             "nearest_renewal": {"date": c.renewal[0], "tool": c.renewal[1]} if c.renewal else None}
            for c in r.redundancy.clusters],
            "not_compared": [{"tool": t.id, "why": why} for t, why in r.redundancy.not_compared]},
        "shelfware": {"total": _amounts(r.shelfware.total), "tools": [
            {"tool": u.tool.id, "annual_cost": u.annual_cost, "currency": u.currency, "renewal": u.renewal,
             "kpis": list(u.kpis)} for u in r.shelfware.tools]},
        "kpi_computability": {"not_judged": [k.id for k in r.kpi_computability.not_judged], "kpis": [
            {"kpi": k.kpi.id, "computable": k.computable, "sources": list(k.sources), "inputs": [
                {"object": i.object, "systems_of_record": list(i.systems_of_record), "reached": i.reached,
                 "path": _path(i.path), "missing": None if i.ok else {
                     "from": i.missing.source, "to": i.missing.target, "flow": i.missing.flow.id if i.missing.flow else None,
                     "text": i.missing.text, "fix": i.missing.fix}} for i in k.inputs]}
            for k in r.kpi_computability.kpis]},
        "sla_feasibility": {"not_judged": [{"sla": s.id, "why": why} for s, why in r.sla_feasibility.not_judged], "slas": [
            {"sla": c.sla.id, "verdict": c.verdict, "feasible": c.feasible, "target": c.target,
             "target_minutes": c.target_minutes, "modelled_minutes": None if c.never else c.modelled_minutes,
             "step": c.step, "path": [{"step": h.step, "object": h.object, "origin": h.origin, "to": h.into,
                                       "minutes": h.minutes, "flows": _path(h.flows)} for h in c.path],
             "never": {"step": c.never.step, "object": c.never.object, "origin": c.never.origin,
                       "missing": c.never.missing.text, "fix": c.never.missing.fix} if c.never else None,
             "unmodelled_flows": list(c.unmodelled)}
            for c in sorted(r.sla_feasibility.slas + r.sla_feasibility.unknown, key=lambda c: sla_order[c.sla.id])]},
        "exposure": {"allowed_residency": list(r.exposure.allowed_residency), "reach": r.exposure.reach, "exposures": [
            {"tool": e.tool.id, "reason": e.reason, "object": e.object, "path": list(e.path), "flows": [f.id for f in e.flows],
             "flows_without_lawful_basis": list(e.without_basis),
             "residency": mapping(e.tool.get("compliance")).get("residency")} for e in r.exposure.exposures],
            "personal_flows_without_lawful_basis": [{"flow": e.id, "from": e.source, "to": e.target, "objects": list(objects)}
                                                    for e, objects in r.exposure.without_basis]},
        "flow_structure": {
            "cycles": [{"object": c.object, "tools": list(c.tools), "flows": [f.id for f in c.flows],
                        "write_back": c.write_back.id if c.write_back else None} for c in r.flow_structure.cycles],
            "single_points_of_failure": [{"tool": p.tool.id, "cut_off": p.cut_off, "groups": [list(g) for g in p.parts]}
                                         for p in r.flow_structure.cut_points],
            "bridges": [{"ends": list(b.ends), "flows": [f.id for f in b.flows], "smaller_side": b.smaller_side,
                         "risky": b.risky} for b in r.flow_structure.bridges],
            "central": [{"tool": c.tool.id, "integrations": c.integrations,
                         "breaks": impact_of(r.model, c.tool.ref).breaking()} for c in r.flow_structure.central]},
        "coverage": {"dimensions": {name: {"covered": {t: list(ids) for t, ids in d.covered.items()},
                                           "missing": list(d.missing)} for name, d in r.coverage.dimensions.items()},
                     "kpi_forms": {f: list(ids) for f, ids in r.coverage.kpi_forms.items()},
                     "kpis_without_form": list(r.coverage.kpis_without_form)},
    }


def to_json(report: AnalysisReport) -> str:
    return json.dumps(to_dict(report), indent=2, ensure_ascii=False) + "\n"


FORMATS = {"text": to_text, "markdown": to_markdown, "json": to_json}
