"""Processes: a list of all, then one page per process with its steps, RACI matrix, tools, SLAs,
KPIs and swimlane diagram."""
from __future__ import annotations

from mopsgov.model import Entity
from mopsgov.fields import raci, steps, strings, text
from mopsgov.render.blocks import Cell, Code, Column, Page, Paragraph, Phrase, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.diagrams import swimlane
from mopsgov.render.names import entity_page, step_anchor
from mopsgov.render.pages.common import (amount, dependents_section, diagram_note, entity_facts, findings_about,
                                         step_link)

LETTER_TONE = {"A": "bad", "A/R": "bad", "R": "warn", "C": "ok", "I": "muted"}


def slas_of(ctx: SiteContext, process: Entity) -> list[Entity]:
    return [s for s in ctx.model.of("sla") if s.get("process") == process.id]


def kpis_of(ctx: SiteContext, process: Entity) -> list[tuple[Entity, tuple]]:
    """KPIs that measure the process: those that measure its SLAs and those whose inputs its
    steps read or write, each with why it is listed."""
    measuring: dict[str, list[Entity]] = {}
    for sla in slas_of(ctx, process):
        if isinstance(sla.get("measured_by"), str):
            measuring.setdefault(sla.get("measured_by"), []).append(sla)
    handled = {field: {d for step in steps(process) for d in strings(step.get(field))} for field in ("writes", "reads")}
    out = []
    for kpi in ctx.model.of("kpi"):
        why: list[Cell] = [Phrase(("measures ", ctx.entity_link(s))) for s in measuring.get(kpi.id, ())]
        written = [d for d in strings(kpi.get("inputs")) if d in handled["writes"]]
        read = [d for d in strings(kpi.get("inputs")) if d in handled["reads"] and d not in written]
        for verb, inputs in (("write", written), ("read", read)):
            if inputs:
                why.append(Phrase((f"its steps {verb} ", ctx.links("data", inputs))))
        if why:
            out.append((kpi, tuple(why)))
    return out


def kpis_in_tools(ctx: SiteContext, process: Entity, listed: set[str]) -> list[Entity]:
    """Other KPIs computed in the tools the process's steps use: they may not measure it."""
    tools = {t for step in steps(process) for t in strings(step.get("tools"))}
    return [k for k in ctx.model.of("kpi") if k.id not in listed and tools & set(strings(k.get("sources")))]


def _roles_in_order(process: Entity) -> list[str]:
    seen: dict[str, None] = {}
    for step in steps(process):
        for role in raci(step):
            seen.setdefault(role)
    return list(seen)


def _steps_table(ctx: SiteContext, process: Entity) -> Table:
    rows, anchors = [], []
    for number, step in enumerate(steps(process), start=1):
        letters = raci(step)
        anchors.append(step_anchor(step.get("id"), number))

        def who(*wanted: str) -> tuple:
            return tuple(ctx.link("role", r) for r, letter in letters.items() if letter in wanted)
        rows.append([number, text(step.get("name")) or text(step.get("id")), text(step.get("description")),
                     who("A", "A/R"), who("R", "A/R"), who("C"), who("I"),
                     ctx.links("tool", strings(step.get("tools"))),
                     ctx.links("data", strings(step.get("reads"))), ctx.links("data", strings(step.get("writes")))])
    path = ("steps", "[]")
    return Table([Column("#", numeric=True), ctx.column("process", *path, "name", label="Step"),
                  ctx.column("process", *path, "description"), Column("Accountable"), Column("Responsible"),
                  Column("Consulted"), Column("Informed"), ctx.column("process", *path, "tools"),
                  ctx.column("process", *path, "reads"), ctx.column("process", *path, "writes")], rows,
                 anchors=anchors, empty="The process has no steps.")


def _matrix(ctx: SiteContext, process: Entity) -> Table:
    roles = _roles_in_order(process)
    rows = []
    for number, step in enumerate(steps(process), start=1):
        letters = raci(step)
        rows.append([f"{number}. {text(step.get('name')) or text(step.get('id'))}",
                     *(Tag(letters[r], LETTER_TONE.get(letters[r], "muted")) if r in letters else "" for r in roles)])
    columns = [Column("Step")] + [Column(ctx.model.get("role", r).name if ctx.model.get("role", r) else r) for r in roles]
    return Table(columns, rows, caption="R Responsible, A Accountable, C Consulted, I Informed.")


def process_page(ctx: SiteContext, process: Entity) -> Page:
    model = ctx.model
    tools = sorted({t for step in steps(process) for t in strings(step.get("tools"))})
    tool_rows = [[ctx.link("tool", t), ctx.term("lifecycle", model.get("tool", t).get("lifecycle")) if model.get("tool", t) else "",
                  ctx.link("role", model.get("tool", t).get("owner")) if model.get("tool", t) else ""] for t in tools]
    sla_rows = [[ctx.entity_link(s), text(s.get("metric")), text(s.get("target")), ctx.link("team", s.get("provider")),
                 ctx.link("team", s.get("consumer")), step_link(ctx, process, s.get("step")),
                 ctx.link("kpi", s.get("measured_by"))] for s in slas_of(ctx, process)]
    measuring = kpis_of(ctx, process)
    kpi_rows = [[ctx.entity_link(k), why, Code(text(k.get("formula"))) if k.get("formula") else "",
                 amount(k.get("target"), k.get("unit")), ctx.link("role", k.get("owner"))] for k, why in measuring]
    in_tools = kpis_in_tools(ctx, process, {k.id for k, _ in measuring})
    sections = [
        Section("About", [entity_facts(ctx, process)], anchor="about"),
        Section("Steps", [_steps_table(ctx, process)], anchor="steps"),
        Section("RACI matrix", [_matrix(ctx, process)], anchor="raci"),
        Section("Swimlanes", diagram_note(ctx) + ctx.draw(swimlane.build(model, process)), anchor="swimlanes"),
        Section("Tools", [Table([Column("Tool"), ctx.column("tool", "lifecycle"), ctx.column("tool", "owner")], tool_rows,
                                empty="No step names a tool.")], anchor="tools"),
        Section("SLAs", [Table([Column("SLA"), ctx.column("sla", "metric"), ctx.column("sla", "target"),
                                ctx.column("sla", "provider"), ctx.column("sla", "consumer"), ctx.column("sla", "step"),
                                ctx.column("sla", "measured_by")], sla_rows, empty="No SLA covers this process.")],
                anchor="slas"),
        Section("KPIs", [Table([Column("KPI"), Column("Why listed", "It measures an SLA of the process, or its inputs "
                                                                  "are data objects the process's steps read or write."),
                                ctx.column("kpi", "formula"), ctx.column("kpi", "target", numeric=True),
                                ctx.column("kpi", "owner")], kpi_rows, empty="No KPI measures this process.")]
                + ([Paragraph(Phrase(("Also computed in the tools its steps use (they may not measure this process): ",
                                      tuple(ctx.entity_link(k) for k in in_tools))))] if in_tools else []),
                anchor="kpis"),
        dependents_section(ctx, process),
        findings_about(ctx, process, [*slas_of(ctx, process), *(k for k, _ in measuring)]),
    ]
    return Page(entity_page(process), process.name, "processes", sections,
                intro=" \u00b7 ".join(filter(None, ("Process", ctx.term("process-family", process.get("family"))))))


def build(ctx: SiteContext) -> list[Page]:
    model = ctx.model
    rows = [[ctx.entity_link(p), ctx.term("process-family", p.get("family")), ctx.link("role", p.get("owner")),
             text(p.get("trigger")), len(steps(p)), len(slas_of(ctx, p))] for p in model.of("process")]
    listing = Table([Column("Process"), ctx.column("process", "family"), ctx.column("process", "owner"),
                     ctx.column("process", "trigger"), Column("Steps", numeric=True),
                     Column("SLAs", "SLAs that cover the process.", numeric=True)], rows, empty="No processes in the model.")
    pages = [Page("processes", "Processes", "processes", [Section("All processes", [listing], anchor="all")])]
    return pages + [process_page(ctx, p) for p in model.of("process")]
