"""The martech stack: spend by platform group and category, each tool's owner, lifecycle, cost,
renewal and licence use, redundancy clusters, and one page per tool with what depends on it."""
from __future__ import annotations

import re

from mopsgov.model import Entity
from mopsgov import figures
from mopsgov.fields import mapping, money, number, text
from mopsgov.render.blocks import Cell, Column, Page, Phrase, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.diagrams import impact
from mopsgov.render.diagrams import stack as stack_diagram
from mopsgov.render.names import entity_page, slug
from mopsgov.render.pages.common import dependents_section, diagram_note, entity_facts, findings_about
from mopsgov.render.pages.results import cell, missing, part

LIFECYCLE_TONE = {"active": "ok", "phase-in": "ok", "plan": "muted", "phase-out": "warn", "retired": "bad"}


def cost_cell(ctx: SiteContext, tool: Entity) -> str:
    cost = number(tool.get("annual_cost"))
    return money(cost, figures.currency(ctx.model, tool)) if cost is not None else ""


def seats_cell(tool: Entity) -> str:
    seats = mapping(tool.get("seats"))
    bought, active = number(seats.get("bought")), number(seats.get("active"))
    if not bought or active is None:
        return ""
    return f"{int(active)} of {int(bought)} ({active / bought:.0%})"


def tool_row(ctx: SiteContext, tool: Entity) -> list:
    lifecycle = text(tool.get("lifecycle"))
    return [ctx.entity_link(tool), ctx.term("category", tool.get("category")), ctx.link("role", tool.get("owner")),
            Tag(ctx.term("lifecycle", lifecycle), LIFECYCLE_TONE.get(lifecycle, "muted")) if lifecycle else "",
            cost_cell(ctx, tool), text(mapping(tool.get("contract")).get("renewal")), seats_cell(tool)]


def tool_columns(ctx: SiteContext) -> list[Column]:
    return [Column("Tool"), ctx.column("tool", "category"), ctx.column("tool", "owner"), ctx.column("tool", "lifecycle"),
            ctx.column("tool", "annual_cost", numeric=True), ctx.column("tool", "contract", "renewal"),
            Column("Seats in use", "Licences in use of licences bought.")]


def spend_table(ctx: SiteContext, field: str, vocabulary: str, label: str) -> Table:
    rows = [[ctx.term(vocabulary, key) if key else f"(no {label.lower()})", count, str(amounts)]
            for key, amounts, count in figures.spend_by(ctx.model, field)]
    return Table([Column(label), Column("Tools", numeric=True), Column("Annual spend", numeric=True)], rows,
                 empty="No tools in the model.")


def tool_page(ctx: SiteContext, tool: Entity) -> Page:
    result = ctx.impact(tool)
    sections = [Section("About", [entity_facts(ctx, tool)], anchor="about"), dependents_section(ctx, tool, result)]
    if result is not None and len(result.dependents) >= impact.WORTH_DRAWING:
        sections.append(Section("Impact diagram", diagram_note(ctx) + ctx.draw(impact.build(ctx.model, tool, result)),
                                anchor="impact"))
    sections.append(findings_about(ctx, tool))
    return Page(entity_page(tool), tool.name, "stack", sections,
                intro=" \u00b7 ".join(filter(None, ("Tool", ctx.term("category", tool.get("category"))))))


_OWNED_BY = re.compile(r"owned by (\S+)\Z")


def _reason(ctx: SiteContext, reason: object) -> Cell:
    """A reason to keep a tool, as the redundancy analysis gives it, with the owner's role named
    and linked instead of its id."""
    found = _OWNED_BY.match(text(reason))
    if found and ctx.model.get("role", found.group(1)) is not None:
        return Phrase(("owned by ", ctx.link("role", found.group(1))))
    return text(reason)


def _redundancy(ctx: SiteContext) -> list:
    redundancy = part(ctx.analysis, "redundancy")
    if redundancy is None:
        return [missing("The redundancy analysis")]
    rows = []
    for cluster in part(redundancy, "clusters") or []:
        renewal = part(cluster, "renewal")
        nearest = ""
        if isinstance(renewal, (tuple, list)) and len(renewal) == 2:
            nearest = (text(renewal[0]), ctx.link("tool", renewal[1]))
        score = part(cluster, "score")
        rows.append([cell(ctx, part(cluster, "tools")), cell(ctx, part(cluster, "keep")),
                     f"{score:.0%}" if isinstance(score, (int, float)) else "",  # as the finding shows it
                     tuple(ctx.term("capability", c) for c in part(cluster, "shared_capabilities") or ()),
                     tuple(ctx.link("team", t) for t in part(cluster, "teams") or ()),
                     cell(ctx, part(cluster, "at_stake")), nearest,
                     tuple(_reason(ctx, r) for r in part(cluster, "reasons") or ())])
    return [Table([Column("Tools"), Column("Keep"),
                   Column("Overlap", "The share of the other tools' capabilities that the rest of the cluster already "
                                     "offers (the finding's overlap score).", numeric=True),
                   Column("Shared capabilities"), Column("Teams served twice"),
                   Column("At stake", numeric=True), Column("Nearest renewal"), Column("Why keep that one")], rows,
                  empty="No redundant tools.")]


def _shelfware(ctx: SiteContext) -> list:
    shelfware = part(ctx.analysis, "shelfware")
    if shelfware is None:
        return [missing("The shelfware analysis")]
    rows = [[cell(ctx, part(u, "tool")), text(part(u, "annual_cost")) and f"{number(part(u, 'annual_cost')) or 0:,.0f} {text(part(u, 'currency'))}",
             text(part(u, "renewal")), cell(ctx, part(u, "kpis"))] for u in part(shelfware, "tools") or []]
    return [Table([Column("Tool"), Column("Annual cost", numeric=True), Column("Renewal"),
                   Column("KPIs still naming it")], rows, empty="No shelfware.")]


def build(ctx: SiteContext) -> list[Page]:
    model = ctx.model
    by_group: dict[str, list[Entity]] = {}
    for tool in sorted(model.of("tool"), key=lambda t: (text(t.get("platform_group")), text(t.get("category")), t.id)):
        by_group.setdefault(text(tool.get("platform_group")), []).append(tool)
    sections = [
        Section("Spend by platform group", [spend_table(ctx, "platform_group", "platform-group", "Platform group")],
                anchor="spend-groups"),
        Section("Spend by category", [spend_table(ctx, "category", "category", "Category")], anchor="spend-categories"),
    ]
    for group, tools in by_group.items():
        title = ctx.term("platform-group", group) if group else "No platform group"
        sections.append(Section(title, [Table(tool_columns(ctx), [tool_row(ctx, t) for t in tools])],
                                anchor=f"group-{slug(group) if group else 'none'}"))
    sections += [
        Section("Redundancy clusters", _redundancy(ctx), anchor="redundancy",
                intro="Active tools that offer the same capabilities to the same teams."),
        Section("Shelfware", _shelfware(ctx), anchor="shelfware",
                intro="Tools that no process step uses and no flow touches."),
        Section("Stack map", diagram_note(ctx) + ctx.draw(stack_diagram.build(model)), anchor="map"),
    ]
    pages = [Page("stack", "The martech stack", "stack", sections)]
    return pages + [tool_page(ctx, t) for t in model.of("tool")]
