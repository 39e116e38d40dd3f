"""Pieces used by several pages: an entity's fields as facts, findings about an entity."""
from __future__ import annotations

from mopsgov.analysis.impact import GROUP_WORDS
from mopsgov.model import Entity
from mopsgov import figures
from mopsgov.fields import money, number, steps, text
from mopsgov.render.blocks import Cell, Code, Column, Facts, Link, Paragraph, Phrase, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.dot import INSTALL_HINT
from mopsgov.render.names import entity_page, rule_anchor, step_anchor
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
        return amount(value)
    if vocabulary:
        return ctx.term(vocabulary, value)
    return text(value)


# Amounts of money among the fields: shown with the entity's currency.
MONEY = {("tool", "annual_cost")}
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
        shown = value_cell(ctx, node, value)
        if (entity.kind, name) in MONEY and number(value) is not None:
            shown = money(number(value), figures.currency(ctx.model, entity))
        rows.append((field_label(name), shown, node.get("description", "")))
    for name, value in entity.data.items():
        if isinstance(name, str) and name.startswith("x-"):
            rows.append((name, text(value) or Code(repr(value)), "Your own extension field: mopsgov shows it as written."))
    return Facts(rows)


def finding_rows(ctx: SiteContext, findings: list, with_entity: bool = True, on_findings_page: bool = False) -> Table:
    """A table of findings. On the findings page each row has its anchor; elsewhere each finding
    links to its row there."""
    columns = [Column("Severity"), Column("Rule"), Column("Finding")]
    if with_entity:
        columns.append(Column("About"))
    columns += [Column("Where"), Column("Fix")]
    rows = []
    for finding in findings:
        severity = Tag(finding.severity.label, SEVERITY_TONE[finding.severity.label])
        if finding.suppressed_by:
            severity = Tag(f"{finding.severity.label}, waived", "muted")
        message = finding.message if on_findings_page else Link(finding.message, "findings",
                                                                 ctx.finding_anchors[id(finding)])
        row: list[Cell] = [severity, rule_cell(ctx, finding.rule), message]
        if with_entity:
            row.append(ctx.link(finding.kind, finding.entity) if finding.kind in ctx.model.entities and finding.entity else "")
        row += [Code(where(ctx, finding.location)) if finding.location else "", finding.fix or ""]
        rows.append(row)
    anchors = [ctx.finding_anchors[id(f)] for f in findings] if on_findings_page else []
    return Table(columns, rows, empty="No findings.", anchors=anchors)


def rule_cell(ctx: SiteContext, rule: str) -> Cell:
    """A rule id, linked to its entry in the policy catalogue when the catalogue has it."""
    return Link(rule, "policies", rule_anchor(rule), code=True) if rule in ctx.rule_ids else Code(rule)


def where(ctx: SiteContext, location) -> str:
    """file:line:column with the file relative to the model folder, as the reader's repository shows it."""
    root = ctx.model.root.rstrip("/") + "/"
    text_ = str(location)
    return text_[len(root):] if text_.startswith(root) and root != "./" else text_


def findings_about(ctx: SiteContext, entity: Entity, related: list[Entity] = ()) -> Section:
    """The check's findings about the entity, and about the related entities (a process's SLAs
    and KPIs), each linked to its row on the findings page."""
    mine = list(ctx.findings_by_entity.get((entity.kind, entity.id), ()))
    for other in related:
        mine += ctx.findings_by_entity.get((other.kind, other.id), ())
    return Section("Findings", [finding_rows(ctx, mine, with_entity=bool(related))], anchor="findings",
                   intro="What the check found about it" + (" and about its SLAs and KPIs" if related else "") + ".")


# What an analysis finding says about its entity, in a table cell; other rules show their id.
RESULT_WORDS = {"sla.feasible": "infeasible", "sla.judgeable": "cannot be judged", "kpi.computable": "not computable",
                "privacy.exposure-dpa": "personal data without a DPA",
                "privacy.exposure-residency": "personal data outside the allowed residency",
                "flow.write-back-cycle": "written back and forth", "flow.fragile-link": "fragile link",
                "flow.single-point-of-failure": "single point of failure"}
FINDINGS_HELP = "What the check found about it; each links to the finding on the findings page."


def finding_links(ctx: SiteContext, entity: Entity) -> tuple:
    """The findings about the entity, each a short link to its row on the findings page."""
    return tuple(Link(RESULT_WORDS.get(f.rule, f.rule) + (" (waived)" if f.suppressed_by else ""), "findings",
                      ctx.finding_anchors[id(f)], code=f.rule not in RESULT_WORDS)
                 for f in ctx.findings_by_entity.get((entity.kind, entity.id), ()))


def findings_of(ctx: SiteContext, kinds: tuple[str, ...], rules: tuple[str, ...] = ()) -> list:
    """The findings about entities of these kinds, and those of these rules, in the check's order."""
    return [f for f in ctx.result.findings if f.kind in kinds or f.rule in rules]


# A relation read backwards, from its target: "Advertise is a step of ABM programme".
_BACKWARDS = {"has_step": "is a step of", "accountable": "has as Accountable", "responsible": "has as Responsible",
              "owned_by": "owns", "used_by": "uses"}


def chain_phrase(ctx: SiteContext, dependent, graph_names: dict, entity: str) -> Phrase:
    """How a dependent depends on the entity, in words: `Campaign reporting has step Pull, which
    reads Campaign member, which has its system of record in Marketo Engage`, each name linked
    but the entity's own (the page it is shown on)."""
    parts: list[Cell] = [ctx.node_link(dependent.node, dependent.name)]
    current = dependent.node
    for index, link in enumerate(dependent.path):
        lead = " " if index == 0 else ", which "
        if link.source == current:
            words, current = link.text(), link.target
        else:
            words, current = _BACKWARDS.get(link.rel, f"is reached ({link.text()}) from"), link.source
        name = graph_names.get(current, current)
        parts += [f"{lead}{words} ", name if current == entity else ctx.node_link(current, name)]
    return Phrase(tuple(parts))


def kind_word(kind: str) -> str:
    """"Process step", "SLA", "Data object": a dependent's kind as a table shows it."""
    word = GROUP_WORDS.get(kind, (kind,))[0]
    return word[:1].upper() + word[1:]


def dependents_section(ctx: SiteContext, entity: Entity, result=None) -> Section:
    """Everything that depends on the entity, from the impact analysis, with the chain that makes it."""
    result = result if result is not None else ctx.impact(entity)
    if result is None:
        return Section("What depends on it", [missing("The impact analysis")], anchor="dependents")
    names = {d.node: d.name for d in result.dependents}
    names[result.entity] = result.name
    rows = [[kind_word(d.kind), ctx.node_link(d.node, d.name), Tag("breaks", "bad") if d.breaks else Tag("affected", "muted"),
             chain_phrase(ctx, d, names, result.entity)] for d in result.dependents]
    table = Table([Column("Kind"), Column("Entity"),
                   Column("Effect", "breaks: stops working without it; affected: should be told."),
                   Column("Because", "The chain of relations from that entity to this one.")], rows,
                  empty="Nothing in the model depends on it.")
    return Section("What depends on it", [table], anchor="dependents",
                   intro="What would break, or should be told, if this were retired.")


def diagram_note(ctx: SiteContext) -> list:
    return [] if ctx.diagrams_drawn else [Paragraph(
        f"{ctx.not_drawn_because}, so the diagrams are given as DOT sources. " + INSTALL_HINT, tone="note")]



def amount(value: float, unit: str = "") -> str:
    """A number with thousands separators and its unit: `11,200,000 EUR`, `3.2%`, `4.5 minutes`."""
    if isinstance(value, bool) or number(value) is None:
        return text(value)
    shown = f"{value:,}"
    shown = shown[:-2] if shown.endswith(".0") else shown
    unit = text(unit).strip()
    if not unit or unit.lower() == "count":
        return shown
    return shown + "%" if unit in ("%", "percent") else f"{shown} {unit}"


def step_link(ctx: SiteContext, process: Entity | None, step_id: object) -> Cell:
    """A step as `2. Route to an SDR`, linked to its row on the process page; the id when unknown."""
    if process is not None:
        for number_, step in enumerate(steps(process), start=1):
            if step.get("id") == step_id:
                name = text(step.get("name")) or text(step_id)
                return Link(f"{number_}. {name}", entity_page(process), step_anchor(step_id, number_))
    return f"{text(step_id)} (not a step of the process)" if step_id not in (None, "") else ""
