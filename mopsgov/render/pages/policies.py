"""The policy catalogue (from the rules package, when present) and the model's own policy settings."""
from __future__ import annotations

from mopsgov.render.access import mapping, strings, text
from mopsgov.render.blocks import Code, Column, Page, Paragraph, Section, Table
from mopsgov.render.context import SiteContext
from mopsgov.render.pages.results import blocks, missing
from mopsgov.render.schema_text import describe


def build(ctx: SiteContext) -> list[Page]:
    policies = mapping(ctx.model.config.get("policies"))
    packs = strings(policies.get("packs"))
    settings = [[Code(str(rule)), text(value) if not isinstance(value, dict) else
                 ", ".join(f"{k}: {text(v) or v}" for k, v in value.items())] for rule, value in mapping(policies.get("rules")).items()]
    sections = [
        Section("Catalogue", blocks(ctx, ctx.catalogue) if ctx.catalogue is not None else [missing("The policy catalogue")],
                anchor="catalogue"),
        Section("This model's settings", [
            Paragraph(("Packs: ", *(Code(p) for p in packs)) if packs else "Packs: the defaults."),
            Table([Column("Rule"), Column("Setting", describe("config", "policies", "rules"))], settings,
                  empty="No rule settings in mopsgov.yaml."),
        ], anchor="settings"),
    ]
    return [Page("policies", "Policies", "policies", sections)]
