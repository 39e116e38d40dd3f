"""Findings of the check, by severity, each linking to its entity and naming file:line; waivers."""
from __future__ import annotations

from mopsgov.finding import Severity
from mopsgov.fields import date, text
from mopsgov.render.blocks import Code, Column, Figures, Page, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.names import anchor
from mopsgov.render.pages.common import finding_rows


def waiver_table(ctx: SiteContext) -> Table:
    waivers = ctx.model.of("waiver")
    rows = []
    for waiver in waivers:
        expires = date(waiver.get("expires"))
        status = Tag("expired", "bad") if expires and expires < ctx.model.as_of else Tag("in force", "ok")
        target = text(waiver.get("entity"))
        entity = ctx.model.resolve(target) if target else None
        rows.append([waiver.name, Code(text(waiver.get("rule"))), ctx.entity_link(entity) if entity else Code(target),
                     text(waiver.get("reason")), ctx.link("role", waiver.get("approver")) if waiver.get("approver") else "",
                     text(waiver.get("expires")), status])
    return Table([ctx.column("waiver", "name", label="Waiver"), *(ctx.column("waiver", f) for f in (
        "rule", "entity", "reason", "approver", "expires")), Column("Status", "Whether the waiver still holds on the as-of date.")],
        rows, anchors=[anchor(w) for w in waivers], empty="No waivers in the model.")


def build(ctx: SiteContext) -> list[Page]:
    findings = ctx.result.findings
    counts = ctx.result.counts()
    sections = [Section("Summary", [Figures([
        ("Errors", str(counts["error"]), "must be fixed"), ("Warnings", str(counts["warning"]), "should be fixed"),
        ("Info", str(counts["info"]), "worth knowing"), ("Waived", str(counts["suppressed"]), "covered by a waiver"),
    ])], anchor="summary")]
    for severity in sorted(Severity, reverse=True):
        open_ones = [f for f in findings if f.severity == severity and f.suppressed_by is None]
        sections.append(Section(f"{severity.label.capitalize()}s" if severity != Severity.INFO else "Info",
                                [finding_rows(ctx, open_ones, on_findings_page=True)], anchor=severity.label))
    waived = [f for f in findings if f.suppressed_by is not None]
    sections.append(Section("Waived", [finding_rows(ctx, waived, on_findings_page=True)], anchor="waived"))
    sections.append(Section("Waivers", [waiver_table(ctx)], anchor="waivers"))
    return [Page("findings", "Findings", "findings", sections,
                 intro=f"Checked as of {ctx.model.as_of.isoformat()}; fail severity: {ctx.result.fail_severity}.")]
