"""Pieces used by several pages: an entity's fields as facts, findings about an entity."""
from __future__ import annotations

from mopsgov.model import Entity
from mopsgov.fields import text
from mopsgov.render.blocks import Cell, Code, Column, Facts, Paragraph, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.dot import INSTALL_HINT
from mopsgov.render.pages.results import missing
from mopsgov.render.schema_text import field_label, field_schema, vocabulary_of

SEVERITY_TONE = {"error": "bad", "warning": "warn", "info": "muted"}


def _ref_kind(node: dict) -> str | None:
    for candidate in (node, node.get("items") if isinstance(node.get("items"), dict) else {}):
        if "x-ref" in candidate:
            return candidate["x-ref"]
    for branch in node.get("anyOf", []):
        found = _ref_kind(branch)
        if found:
            return found
    return None


def value_cell(ctx: SiteContext, node: dict, value: object) -> Cell:
    """A field value for display, guided by its schema: references link, vocabulary terms get labels."""
    if value is None:
        return ""
    ref_kind = _ref_kind(node)
    vocabulary = vocabulary_of(node)
    if isinstance(value, list):
        items = node.get("items") if isinstance(node.get("items"), dict) else {}
        if ref_kind is None and any(isinstance(v, dict) for v in value):
            return tuple(value_cell(ctx, items, v) for v in value)
        return tuple(value_cell(ctx, {**node, **items}, v) for v in value)
    if isinstance(value, dict):
        props = node.get("properties", {})
        parts = [value_cell(ctx, props.get(k, {}), v) for k, v in value.items() if not str(k).startswith("x-")]
        return " \u2014 ".join(p if isinstance(p, str) else text(getattr(p, "text", p)) for p in parts)
    if ref_kind and isinstance(value, str):
        return ctx.link(ref_kind, value)
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:,}"
    if vocabulary:
        return ctx.term(vocabulary, value)
    return text(value)


# Fields shown elsewhere on an entity's page rather than as facts.
SKIP = {"process": ("steps",)}


def entity_facts(ctx: SiteContext, entity: Entity) -> Facts:
    """Every field the entity's schema defines, in schema order, with the schema's description."""
    rows: list[tuple[str, Cell, str]] = []
    schema = field_schema(entity.kind)
    for name, node in schema.get("properties", {}).items():
        if name in SKIP.get(entity.kind, ()) or name not in entity.data:
            continue
        value = entity.data[name]
        if isinstance(value, dict) and node.get("properties"):
            for sub, sub_node in node["properties"].items():
                if sub in value:
                    rows.append((f"{field_label(name)}: {field_label(sub).lower()}",
                                 value_cell(ctx, sub_node, value[sub]), sub_node.get("description", "")))
            continue
        rows.append((field_label(name), value_cell(ctx, node, value), node.get("description", "")))
    for name, value in entity.data.items():
        if isinstance(name, str) and name.startswith("x-"):
            rows.append((name, text(value) or Code(repr(value)), "Your own extension field: mopsgov shows it as written."))
    return Facts(rows)


def finding_rows(ctx: SiteContext, findings: list, with_entity: bool = True) -> Table:
    columns = [Column("Severity"), Column("Rule"), Column("Finding")]
    if with_entity:
        columns.append(Column("About"))
    columns += [Column("Where"), Column("Fix")]
    rows = []
    for finding in findings:
        severity = Tag(finding.severity.label, SEVERITY_TONE[finding.severity.label])
        if finding.suppressed_by:
            severity = Tag(f"{finding.severity.label}, waived", "muted")
        row: list[Cell] = [severity, Code(finding.rule), finding.message]
        if with_entity:
            row.append(ctx.link(finding.kind, finding.entity) if finding.kind in ctx.model.entities and finding.entity else "")
        row += [Code(where(ctx, finding.location)) if finding.location else "", finding.fix or ""]
        rows.append(row)
    return Table(columns, rows, empty="No findings.")


def where(ctx: SiteContext, location) -> str:
    """file:line:column with the file relative to the model folder, as the reader's repository shows it."""
    root = ctx.model.root.rstrip("/") + "/"
    text_ = str(location)
    return text_[len(root):] if text_.startswith(root) and root != "./" else text_


def findings_about(ctx: SiteContext, entity: Entity) -> Section:
    mine = [f for f in ctx.result.findings if f.kind == entity.kind and f.entity == entity.id]
    return Section("Findings", [finding_rows(ctx, mine, with_entity=False)], anchor="findings")


def dependents_section(ctx: SiteContext, entity: Entity, result=None) -> Section:
    """Everything that depends on the entity, from the impact analysis, with the chain that makes it."""
    result = result if result is not None else ctx.impact(entity)
    if result is None:
        return Section("What depends on it", [missing("The impact analysis")], anchor="dependents")
    rows = [[ctx.kind_title(d.kind) if d.kind in ctx.model.entities else d.kind.capitalize(),
             ctx.node_link(d.node, d.name), Tag("breaks", "bad") if d.breaks else Tag("affected", "muted"),
             Code(d.chain())] for d in result.dependents]
    table = Table([Column("Kind"), Column("Entity"),
                   Column("Effect", "breaks: stops working without it; affected: should be told."),
                   Column("Because", "The chain of relations from that entity to this one.")], rows,
                  empty="Nothing in the model depends on it.")
    return Section("What depends on it", [table], anchor="dependents",
                   intro="What would break, or should be told, if this were retired.")


def diagram_note(ctx: SiteContext) -> list:
    return [] if ctx.diagrams_drawn else [Paragraph(
        "Graphviz is not installed, so the diagrams are given as DOT sources. " + INSTALL_HINT, tone="note")]

