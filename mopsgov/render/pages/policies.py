"""The policy catalogue (from the rules package, when present) and the model's own policy settings."""
from __future__ import annotations

from mopsgov.fields import mapping, strings, text
from mopsgov.render.blocks import Code, Column, Page, Paragraph, Section, Table
from mopsgov.render.context import SiteContext
from mopsgov.render.names import rule_anchor
from mopsgov.render.pages.results import missing, part
from mopsgov.render.schema_text import describe


def _catalogue(ctx: SiteContext) -> list:
    if not isinstance(ctx.catalogue, list):
        return [missing("The policy catalogue")]
    rows = [[Code(text(part(r, "id"))), text(part(r, "title")), text(part(r, "severity")), text(part(r, "pack")),
             text(part(r, "rationale")), text(part(r, "remediation_outline", "remediation"))] for r in ctx.catalogue]
    return [Table([Column("Rule"), Column("Title"), Column("Severity", "As configured for this model; off when disabled."),
                   Column("Pack"), Column("Why it matters"), Column("How to fix")], rows, empty="No rules enabled.",
                  anchors=[rule_anchor(text(part(r, "id"))) for r in ctx.catalogue])]


def build(ctx: SiteContext) -> list[Page]:
    policies = mapping(ctx.model.config.get("policies"))
    packs = strings(policies.get("packs"))
    settings = [[Code(str(rule)), text(value) if not isinstance(value, dict) else
                 ", ".join(f"{k}: {text(v) or v}" for k, v in value.items())] for rule, value in mapping(policies.get("rules")).items()]
    sections = [
        Section("Catalogue", _catalogue(ctx), anchor="catalogue",
                intro="Every rule this model's packs enable, with its severity here and how to fix what it finds."),
        Section("This model's settings", [
            Paragraph(("Packs: ", *(Code(p) for p in packs)) if packs else "Packs: the defaults."),
            Table([Column("Rule"), Column("Setting", describe("config", "policies", "rules"))], settings,
                  empty="No rule settings in mopsgov.yaml."),
        ], anchor="settings"),
    ]
    return [Page("policies", "Policies", "policies", sections)]
