"""The overview for the CMO: spend, money at stake, renewals, licence use, maturity, coverage,
and the open findings and waivers, on one page."""
from __future__ import annotations

from mopsgov import figures
from mopsgov.fields import date, text
from mopsgov.render.blocks import Column, Figures, Link, Page, Paragraph, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.pages.common import SEVERITY_TONE, rule_cell
from mopsgov.render.pages.people import coverage_summary
from mopsgov.render.pages.results import cell, missing, part
from mopsgov.render.pages.stack import cost_cell, spend_table


TOP_CATEGORIES = 8  # categories by name in the overview's spend; the rest are summed
TOP_RISKS = 10  # rules listed among the risks
SHOWN_HOLDING_BACK = 5  # entities named as holding a maturity level back before "and N more"


def _renewals(ctx: SiteContext) -> Table:
    rows = []
    for renewal in figures.renewals(ctx.model):
        deadline = renewal.notice_deadline
        if deadline is None:
            notice = ""
        elif deadline < ctx.model.as_of:
            notice = Tag(f"{deadline.isoformat()} (passed)", "bad")
        else:
            notice = Tag(deadline.isoformat(), "warn" if (deadline - ctx.model.as_of).days <= 30 else "ok")
        auto = {True: "yes", False: "no", None: ""}[renewal.auto_renew]
        rows.append([ctx.entity_link(renewal.tool), renewal.renewal.isoformat(), renewal.days_left, notice, auto,
                     cost_cell(ctx, renewal.tool), ctx.link("role", renewal.tool.get("owner")) if renewal.tool.get("owner") else ""])
    return Table([Column("Tool"), ctx.column("tool", "contract", "renewal"), Column("Days left", numeric=True),
                  Column("Notice deadline", "Renewal date minus the notice period: the last day to cancel or renegotiate."),
                  ctx.column("tool", "contract", "auto_renew"), ctx.column("tool", "annual_cost", numeric=True),
                  ctx.column("tool", "owner")], rows,
                 empty=f"No contract renews in the next {figures.RENEWAL_WINDOW_DAYS} days.")


def _utilisation(ctx: SiteContext) -> list:
    rows = figures.utilisation(ctx.model)
    if not rows:
        return [Paragraph("No tool records seats bought.")]
    bought, active = figures.seats_total(rows)
    low = [u for u in rows if u.low]
    lead = Paragraph((f"{active} of {bought} seats in use ({active / bought:.0%}) across {len(rows)} tools; "
                      f"{len(low)} below {figures.LOW_UTILISATION:.0%} in use:"), tone="")
    table = Table([Column("Tool"), ctx.column("tool", "seats", "bought", numeric=True),
                   ctx.column("tool", "seats", "active", numeric=True), Column("In use", numeric=True)],
                  [[ctx.entity_link(u.tool), u.bought, u.active, Tag(f"{u.share:.0%}", "bad")] for u in low],
                  empty=f"No tool is below {figures.LOW_UTILISATION:.0%} of its seats in use.")
    return [lead, table, Paragraph(Link("Seats in use for every tool on the stack page", "stack"))]


def _coverage(ctx: SiteContext) -> Table:
    model = ctx.model
    checks = (
        ("Value archetypes (roles)", "value-archetype", model.of("role"), "archetypes", Link("teams", "teams", "archetypes")),
        ("Responsibility areas (roles)", "responsibility-area", model.of("role"), "responsibilities",
         Link("teams", "teams", "responsibilities")),
        ("Platform groups (tools)", "platform-group", figures.spending(model), "platform_group", Link("stack", "stack")),
        ("Process families (processes)", "process-family", model.of("process"), "family", Link("processes", "processes")),
    )
    rows = []
    for label, vocabulary, entities, field, link in checks:
        covered, total = coverage_summary(ctx, vocabulary, entities, field)
        rows.append([label, f"{covered} of {total}", Tag("full" if covered == total else "gaps", "ok" if covered == total else "warn"),
                     Link("details", link.page, link.anchor)])
    return Table([Column("What"), Column("Covered", numeric=True), Column("Status"), Column("Details")], rows)


def _at_stake(ctx: SiteContext) -> list:
    redundancy, shelfware = part(ctx.analysis, "redundancy"), part(ctx.analysis, "shelfware")
    if redundancy is None or shelfware is None:
        return [missing("The redundancy and shelfware analysis")]
    clusters, unused = part(redundancy, "clusters") or [], part(shelfware, "tools") or []
    return [Figures([
        ("Redundant tools", cell(ctx, part(redundancy, "at_stake")) or "0",
         f"in {len(clusters)} cluster{'s' if len(clusters) != 1 else ''} of overlapping tools"),
        ("Shelfware", cell(ctx, part(shelfware, "total")) or "0",
         f"{len(unused)} tool{'s' if len(unused) != 1 else ''} no process or flow uses"),
    ]), Paragraph(Link("Redundancy clusters and shelfware on the stack page", "stack", "redundancy"))]


def _maturity(ctx: SiteContext) -> list:
    pillars = part(part(ctx.analysis, "maturity"), "pillars")
    if not isinstance(pillars, dict):
        return [missing("The maturity scorecard")]
    rows = []
    for pillar in pillars.values():
        level = part(pillar, "level")
        criteria = part(pillar, "criteria") or ()
        unmet = [c for c in criteria if not part(c, "met")]
        next_step = f"{text(part(unmet[0], 'title'))}: {text(part(unmet[0], 'evidence'))}" if unmet else "All criteria met."
        rows.append([text(part(pillar, "name")).capitalize(),
                     Tag(f"{level} of 5", "ok" if isinstance(level, int) and level >= 4 else "warn" if level == 3 else "bad"),
                     next_step])
    return [Table([Column("Pillar"), Column("Level"), Column("Next level needs")], rows),
            _maturity_reasons(ctx, pillars)]


def _criterion_result(criterion, level: object) -> Tag:
    """Earned, missed, or met but not counted: a level counts only above the levels earned below it."""
    if not part(criterion, "met"):
        return Tag("missed", "bad")
    reached = isinstance(level, int) and isinstance(part(criterion, "level"), int) and part(criterion, "level") <= level
    return Tag("earned", "ok") if reached else Tag("met, not counted yet", "muted")


def _maturity_reasons(ctx: SiteContext, pillars: dict) -> Table:
    """Each level of each pillar with the evidence the scorecard judged it on, as the maturity
    analysis gives it, and the entities holding a missed level back."""
    rows = []
    for pillar in pillars.values():
        for criterion in part(pillar, "criteria") or ():
            back = [] if part(criterion, "met") else list(part(criterion, "holding_back") or ())
            held = tuple(ctx.entity_link(e) for e in back[:SHOWN_HOLDING_BACK])
            if len(back) > SHOWN_HOLDING_BACK:
                held += (f"and {len(back) - SHOWN_HOLDING_BACK} more",)
            rows.append([text(part(pillar, "name")).capitalize(), f"level {text(part(criterion, 'level'))}",
                         text(part(criterion, "title")), _criterion_result(criterion, part(pillar, "level")),
                         text(part(criterion, "evidence")), held])
    return Table([Column("Pillar"), Column("Level"), Column("Criterion"),
                  Column("Result", "earned: the level counts; missed: the criterion is not met; met, not counted yet: "
                                   "met, but a level below it is missed."),
                  Column("Why", "The evidence in the model the scorecard judged the criterion on."),
                  Column("Holding it back")], rows,
                 caption="How each level of the maturity scorecard was earned or missed.")


def spend_by_category(ctx: SiteContext) -> Table:
    """The categories with the biggest annual spend, then the rest summed in one row."""
    rows = figures.spend_by(ctx.model, "category")
    top, rest = rows[:TOP_CATEGORIES], rows[TOP_CATEGORIES:]
    shown = [[ctx.term("category", key) if key else "(no category)", count, str(amounts)] for key, amounts, count in top]
    if rest:
        others = figures.Amounts()
        for _key, amounts, _count in rest:
            for currency, amount in amounts.items():
                others.add(currency, amount)
        shown.append([Link(f"{len(rest)} other categories", "stack", "spend-categories"),
                      sum(count for _key, _amounts, count in rest), str(others)])
    return Table([Column("Category"), Column("Tools", numeric=True), Column("Annual spend", numeric=True)], shown,
                 empty="No tools in the model.")


def _risks(ctx: SiteContext) -> list:
    """The open findings grouped by rule, most severe and most frequent first."""
    groups: dict[str, list] = {}
    for finding in ctx.result.findings:
        if finding.suppressed_by is None:
            groups.setdefault(finding.rule, []).append(finding)
    titles = {text(part(r, "id")): text(part(r, "title")) for r in ctx.catalogue or ()}
    ranked = sorted(groups.items(), key=lambda item: (-max(f.severity for f in item[1]), -len(item[1]), item[0]))
    rows = []
    for rule, found in ranked[:TOP_RISKS]:
        severity = max(f.severity for f in found)
        rows.append([Tag(severity.label, SEVERITY_TONE[severity.label]), rule_cell(ctx, rule), titles.get(rule, ""),
                     len(found)])
    table = Table([Column("Severity"), Column("Rule"), Column("What it checks"), Column("Open", numeric=True)], rows,
                  empty="No open findings.")
    more = len(ranked) - TOP_RISKS
    return [table] + ([Paragraph(Link(f"{more} more rules with findings on the findings page", "findings"))] if more > 0 else [])


def _expiring(ctx: SiteContext) -> Table:
    """Waivers that lapse within the renewal window (or already have): their findings come back."""
    today, window = ctx.model.as_of, figures.RENEWAL_WINDOW_DAYS
    rows = []
    for waiver in ctx.model.of("waiver"):
        expires = date(waiver.get("expires"))
        if expires is None or (expires - today).days > window:
            continue
        left = (expires - today).days
        rows.append([ctx.entity_link(waiver), rule_cell(ctx, text(waiver.get("rule"))), expires.isoformat(),
                     Tag(f"expired {-left} days ago", "bad") if left < 0 else Tag(f"in {left} days", "warn")])
    return Table([Column("Waiver"), ctx.column("waiver", "rule"), ctx.column("waiver", "expires"), Column("Status")],
                 sorted(rows, key=lambda r: r[2]), empty=f"No waiver expires in the next {window} days.")


def _count(items: list, noun: str) -> str:
    return f"{len(items)} {noun}{'' if len(items) == 1 else 's'}"


def build(ctx: SiteContext) -> list[Page]:
    model = ctx.model
    counts = ctx.result.counts()
    tools = figures.spending(model)
    fte = sum(r.get("fte") for r in model.of("role") if isinstance(r.get("fte"), (int, float)) and not isinstance(r.get("fte"), bool))
    headline = Figures([
        ("Annual martech spend", str(figures.total_spend(model)), f"{len(tools)} tools not retired"),
        ("Renewals in 90 days", str(len(figures.renewals(model))), f"from {model.as_of.isoformat()}"),
        ("Processes", str(len(model.of("process"))), f"{_count(model.of('sla'), 'SLA')}, {_count(model.of('kpi'), 'KPI')}"),
        ("Roles", str(len(model.of("role"))), f"{fte:g} FTE in {len(model.of('team'))} teams"),
        ("Open findings", str(counts["error"] + counts["warning"] + counts["info"]),
         f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info"),
        ("Waivers", str(len(model.of("waiver"))), f"{counts['suppressed']} findings waived"),
    ])
    description = text(model.config.get("description"))
    sections = [
        Section("At a glance", [headline], anchor="glance"),
        Section("Spend by platform group", [spend_table(ctx, "platform_group", "platform-group", "Platform group")],
                anchor="spend"),
        Section("Spend by category", [spend_by_category(ctx)], anchor="spend-categories",
                intro=f"The {TOP_CATEGORIES} martech categories with the biggest annual spend."),
        Section("Money at stake", _at_stake(ctx), anchor="at-stake"),
        Section(f"Renewals in the next {figures.RENEWAL_WINDOW_DAYS} days", [_renewals(ctx)], anchor="renewals"),
        Section("Licence utilisation", _utilisation(ctx), anchor="licences"),
        Section("Maturity scorecard", _maturity(ctx), anchor="maturity",
                intro="Level per pillar, 1 = ad hoc to 5 = optimised, from the evidence in the model."),
        Section("Coverage", [_coverage(ctx)], anchor="coverage"),
        Section("Risks", _risks(ctx), anchor="risks",
                intro="What the check finds most, by rule: each rule links to why it matters and how to fix it."),
        Section(f"Waivers expiring in the next {figures.RENEWAL_WINDOW_DAYS} days", [_expiring(ctx)], anchor="waivers",
                intro="When a waiver expires, the findings it covers count again."),
        Section("Findings and waivers", [Paragraph(Link(
            f"{counts['error']} errors, {counts['warning']} warnings, {counts['info']} info, "
            f"{counts['suppressed']} waived: see all findings", "findings"))], anchor="findings"),
    ]
    return [Page("index", model.name if isinstance(model.name, str) else "Operating model", "index", sections,
                 intro=description or "Marketing operating model overview.")]
