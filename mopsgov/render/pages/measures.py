"""KPIs and goals (formula, owner, sources, target, SMART status) and SLAs."""
from __future__ import annotations

from mopsgov.model import Entity
from mopsgov.fields import mapping, number, strings, text
from mopsgov.render.blocks import Code, Column, Page, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.names import anchor

# What a goal needs to be SMART, with the field that provides it.
SMART_PARTS = (("measured by a KPI", "kpi"), ("a baseline", "baseline"), ("a target", "target"),
               ("a deadline", "deadline"), ("an owner", "owner"))


def smart_gaps(ctx: SiteContext, goal: Entity) -> list[str]:
    gaps = []
    for what, key in SMART_PARTS:
        value = goal.get(key)
        present = number(value) is not None if key in ("baseline", "target") else bool(text(value))
        if key in ("kpi", "owner") and present:
            present = ctx.model.get("kpi" if key == "kpi" else "role", value) is not None
        if not present:
            gaps.append(what)
    return gaps


def smart_cell(ctx: SiteContext, goal: Entity) -> Tag:
    gaps = smart_gaps(ctx, goal)
    return Tag("SMART", "ok") if not gaps else Tag("missing " + ", ".join(gaps), "bad")


def _kpis(ctx: SiteContext) -> Table:
    kpis = ctx.model.of("kpi")
    rows = [[k.name, ctx.term("kpi-form", k.get("form")), text(k.get("definition")),
             Code(text(k.get("formula"))) if k.get("formula") else "", text(k.get("unit")),
             ctx.term("direction", k.get("direction")), ctx.term("cadence", k.get("cadence")),
             ctx.link("role", k.get("owner")) if k.get("owner") else "", ctx.links("tool", strings(k.get("sources"))),
             ctx.links("data", strings(k.get("inputs"))), text(k.get("target"))] for k in kpis]
    return Table([ctx.column("kpi", "name", label="KPI"), *(ctx.column("kpi", f) for f in (
        "form", "definition", "formula", "unit", "direction", "cadence", "owner", "sources", "inputs")),
        ctx.column("kpi", "target", numeric=True)], rows, anchors=[anchor(k) for k in kpis], empty="No KPIs in the model.")


def _goals(ctx: SiteContext) -> Table:
    goals = ctx.model.of("goal")
    rows = []
    for goal in goals:
        initiatives = tuple(f"{text(mapping(i).get('name'))}" for i in goal.get("initiatives") or [] if isinstance(i, dict)) \
            if isinstance(goal.get("initiatives"), list) else ()
        rows.append([goal.name, ctx.link("kpi", goal.get("kpi")) if goal.get("kpi") else "", text(goal.get("baseline")),
                     text(goal.get("target")), text(goal.get("deadline")),
                     ctx.link("role", goal.get("owner")) if goal.get("owner") else "", initiatives, smart_cell(ctx, goal)])
    return Table([ctx.column("goal", "name", label="Goal"), ctx.column("goal", "kpi"),
                   ctx.column("goal", "baseline", numeric=True), ctx.column("goal", "target", numeric=True),
                   ctx.column("goal", "deadline"), ctx.column("goal", "owner"), ctx.column("goal", "initiatives"),
                   Column("SMART", "Specific, measured by a KPI, with a baseline, a target, a deadline and an owner.")],
                  rows, anchors=[anchor(g) for g in goals], empty="No goals in the model.")


def _slas(ctx: SiteContext) -> Table:
    slas = ctx.model.of("sla")
    rows = [[s.name, ctx.link("team", s.get("provider")) if s.get("provider") else "",
             ctx.link("team", s.get("consumer")) if s.get("consumer") else "",
             ctx.link("process", s.get("process")) if s.get("process") else "", text(s.get("step")),
             text(s.get("metric")), text(s.get("target")),
             ctx.link("kpi", s.get("measured_by")) if s.get("measured_by") else Tag("not measured", "warn"),
             ctx.link("role", s.get("escalation")) if s.get("escalation") else "", ctx.term("cadence", s.get("review")),
             ctx.link("role", s.get("owner")) if s.get("owner") else ""] for s in slas]
    return Table([ctx.column("sla", "name", label="SLA"), *(ctx.column("sla", f) for f in (
        "provider", "consumer", "process", "step", "metric", "target", "measured_by", "escalation", "review", "owner"))],
        rows, anchors=[anchor(s) for s in slas], empty="No SLAs in the model.")


def build(ctx: SiteContext) -> list[Page]:
    return [
        Page("kpis", "KPIs and goals", "kpis", [Section("KPIs", [_kpis(ctx)], anchor="kpis"),
                                                Section("Goals", [_goals(ctx)], anchor="goals")]),
        Page("slas", "Service level agreements", "slas", [Section("SLAs", [_slas(ctx)], anchor="slas",
                                                                  intro="What each team owes another, and how it is measured.")]),
    ]
