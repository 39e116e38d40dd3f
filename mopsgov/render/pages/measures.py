"""KPIs and goals (formula, owner, sources, target, SMART status) and SLAs."""
from __future__ import annotations

import re

from mopsgov.model import Entity
from mopsgov.fields import mapping, strings, text
from mopsgov.render.blocks import Cell, Code, Column, Page, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.names import anchor
from mopsgov.render.pages.common import FINDINGS_HELP, amount, finding_links, finding_rows, findings_of, step_link
from mopsgov.render.pages.results import part
from mopsgov.render.schema_text import field_label

# The check's rules that decide whether a goal is SMART, with how the status names a failure.
SMART_RULES = {"goal.smart": "not SMART", "goal.deadline-future": "deadline passed",
               "goal.improves": "target does not improve on the baseline"}
_MISSING = re.compile(r"it has no (\w+)")


def smart_cell(ctx: SiteContext, goal: Entity) -> Cell:
    """The goal's SMART status as the check found it (its findings of `SMART_RULES`), so the
    site and `mopsgov check` never disagree."""
    enabled = _enabled(ctx)
    if not enabled:
        return Tag("not checked", "muted")
    mine = [f for f in ctx.result.findings if f.kind == "goal" and f.entity == goal.id and f.rule in SMART_RULES]
    tags = []
    for rule in SMART_RULES:
        found = [f for f in mine if f.rule == rule]
        if not found:
            continue
        missing = [m.group(1) for f in found for m in [_MISSING.search(f.message)] if m] if rule == "goal.smart" else []
        words = "missing " + ", ".join(field_label(m).lower() for m in missing) if missing else SMART_RULES[rule]
        waived = all(f.suppressed_by for f in found)
        tags.append(Tag(f"{words} (waived)" if waived else words, "muted" if waived else "bad"))
    if tags:
        return tuple(tags)
    return Tag("SMART", "ok") if len(enabled) == len(SMART_RULES) else Tag("SMART as far as checked", "muted")


def _enabled(ctx: SiteContext) -> list[str]:
    """The SMART rules this model's policy packs enable (all of them when the catalogue is missing)."""
    if not isinstance(ctx.catalogue, list):
        return list(SMART_RULES)
    on = {text(part(r, "id")) for r in ctx.catalogue if text(part(r, "severity")) != "off"}
    return [rule for rule in SMART_RULES if rule in on]


def _kpis(ctx: SiteContext) -> Table:
    kpis = ctx.model.of("kpi")
    rows = [[k.name, ctx.term("kpi-form", k.get("form")), text(k.get("definition")),
             Code(text(k.get("formula"))) if k.get("formula") else "", text(k.get("unit")),
             ctx.term("direction", k.get("direction")), ctx.term("cadence", k.get("cadence")),
             ctx.link("role", k.get("owner")) if k.get("owner") else "", ctx.links("tool", strings(k.get("sources"))),
             ctx.links("data", strings(k.get("inputs"))), amount(k.get("target"), k.get("unit")),
             finding_links(ctx, k)] for k in kpis]
    return Table([ctx.column("kpi", "name", label="KPI"), *(ctx.column("kpi", f) for f in (
        "form", "definition", "formula", "unit", "direction", "cadence", "owner", "sources", "inputs")),
        ctx.column("kpi", "target", numeric=True), Column("Findings", FINDINGS_HELP)], rows,
        anchors=[anchor(k) for k in kpis], empty="No KPIs in the model.")


def _goals(ctx: SiteContext) -> Table:
    goals = ctx.model.of("goal")
    rows = []
    for goal in goals:
        initiatives = tuple(f"{text(mapping(i).get('name'))}" for i in goal.get("initiatives") or [] if isinstance(i, dict)) \
            if isinstance(goal.get("initiatives"), list) else ()
        kpi = ctx.model.get("kpi", goal.get("kpi"))
        unit = kpi.get("unit") if kpi is not None else ""
        rows.append([goal.name, ctx.link("kpi", goal.get("kpi")) if goal.get("kpi") else "", amount(goal.get("baseline"), unit),
                     amount(goal.get("target"), unit), text(goal.get("deadline")),
                     ctx.link("role", goal.get("owner")) if goal.get("owner") else "", initiatives, smart_cell(ctx, goal)])
    return Table([ctx.column("goal", "name", label="Goal"), ctx.column("goal", "kpi"),
                   ctx.column("goal", "baseline", numeric=True), ctx.column("goal", "target", numeric=True),
                   ctx.column("goal", "deadline"), ctx.column("goal", "owner"), ctx.column("goal", "initiatives"),
                   Column("SMART", "As the check finds it: measured by a KPI, with a baseline, a target that improves on "
                                   "it and a deadline still ahead (rules goal.smart, goal.deadline-future, goal.improves).")],
                  rows, anchors=[anchor(g) for g in goals], empty="No goals in the model.")


def _slas(ctx: SiteContext) -> Table:
    slas = ctx.model.of("sla")
    rows = [[s.name, ctx.link("team", s.get("provider")) if s.get("provider") else "",
             ctx.link("team", s.get("consumer")) if s.get("consumer") else "",
             ctx.link("process", s.get("process")) if s.get("process") else "",
             step_link(ctx, ctx.model.get("process", s.get("process")), s.get("step")),
             text(s.get("metric")), text(s.get("target")),
             ctx.link("kpi", s.get("measured_by")) if s.get("measured_by") else Tag("not measured", "warn"),
             ctx.link("role", s.get("escalation")) if s.get("escalation") else "", ctx.term("cadence", s.get("review")),
             ctx.link("role", s.get("owner")) if s.get("owner") else "", finding_links(ctx, s)] for s in slas]
    return Table([ctx.column("sla", "name", label="SLA"), *(ctx.column("sla", f) for f in (
        "provider", "consumer", "process", "step", "metric", "target", "measured_by", "escalation", "review", "owner")),
        Column("Findings", FINDINGS_HELP)], rows, anchors=[anchor(s) for s in slas], empty="No SLAs in the model.")


def build(ctx: SiteContext) -> list[Page]:
    return [
        Page("kpis", "KPIs and goals", "kpis", [
            Section("KPIs", [_kpis(ctx)], anchor="kpis"), Section("Goals", [_goals(ctx)], anchor="goals"),
            Section("Findings", [finding_rows(ctx, findings_of(ctx, ("kpi", "goal")))], anchor="findings",
                    intro="What the check found about the KPIs and goals, such as KPIs that cannot be computed from "
                          "the modelled flows.")]),
        Page("slas", "Service level agreements", "slas", [
            Section("SLAs", [_slas(ctx)], anchor="slas", intro="What each team owes another, and how it is measured."),
            Section("Findings", [finding_rows(ctx, findings_of(ctx, ("sla",)))], anchor="findings",
                    intro="What the check found about the SLAs, such as targets the modelled flows cannot meet.")]),
    ]
