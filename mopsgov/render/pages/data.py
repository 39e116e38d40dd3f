"""Data: objects with their classification and system of record, the flows between tools, and
the flow diagram with personal data highlighted."""
from __future__ import annotations

from mopsgov.fields import mapping, strings, text
from mopsgov.render.blocks import Cell, Column, Link, Page, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.diagrams import dataflow
from mopsgov.render.names import anchor
from mopsgov.render.pages.results import part
from mopsgov.render.pages.common import FINDINGS_HELP, RESULT_WORDS, diagram_note, finding_links, finding_rows, findings_of

# Findings about tools that the data page shows: personal data stored without a DPA or outside
# the allowed residency.
EXPOSURE_RULES = ("privacy.exposure-dpa", "privacy.exposure-residency")
CLASSIFICATION_TONE = {"public": "ok", "internal": "muted", "confidential": "warn", "personal": "bad",
                       "sensitive-personal": "bad"}


def _personal(ctx: SiteContext) -> Table:
    model = ctx.model
    rows = []
    for data in model.of("data"):
        if data.get("classification") not in dataflow.PERSONAL:
            continue
        reached: dict[str, None] = {}
        for flow in model.of("flow"):
            if data.id in strings(flow.get("objects")):
                for end in ("via", "to"):
                    if isinstance(flow.get(end), str):
                        reached.setdefault(flow.get(end))
        cells = []
        for tool_id in sorted(reached):
            tool = model.get("tool", tool_id)
            cells.append(ctx.link("tool", tool_id))
            if tool is not None and mapping(tool.get("compliance")).get("dpa") is not True:
                cells.append(Tag("no DPA", "bad"))
        rows.append([ctx.entity_link(data), ctx.term("classification", data.get("classification")),
                     ctx.links("tool", strings(data.get("system_of_record"))), tuple(cells), _exposed(ctx, data)])
    return Table([Column("Object"), ctx.column("data", "classification"), ctx.column("data", "system_of_record"),
                  Column("Reaches", "Tools the object flows into (directly or through an integration platform)."),
                  Column("Exposed in", "Tools that hold the object without a DPA or outside the allowed residency, as "
                                       "the exposure analysis finds; each links to its finding.")],
                 rows, empty="No personal data objects in the model.")


def _exposed(ctx: SiteContext, data) -> tuple:
    """The exposure analysis's findings that name this object: its tool and why, linked to the finding."""
    exposure = part(ctx.analysis, "exposure")
    links: dict[str, Link] = {}
    for found in part(exposure, "exposures") or ():
        if found.object != data.id:
            continue
        for finding in ctx.findings_by_entity.get(("tool", found.tool.id), ()):
            if finding.rule == f"privacy.exposure-{found.reason}":
                anchor_ = ctx.finding_anchors[id(finding)]
                links.setdefault(anchor_, Link(f"{found.tool.name}: {RESULT_WORDS[finding.rule]}", "findings", anchor_))
    return tuple(links.values())


def _dpa(ctx: SiteContext, tool_id: object) -> Cell:
    tool = ctx.model.get("tool", tool_id)
    if tool is None:
        return ""
    signed = mapping(tool.get("compliance")).get("dpa")
    return Tag("DPA signed", "ok") if signed is True else Tag("no DPA", "bad")


def _personal_flows(ctx: SiteContext) -> Table:
    """Every flow that carries personal data, in one table: where it goes, on what lawful basis,
    and whether the receiving tools' vendors signed a DPA."""
    model = ctx.model
    rows = []
    for flow in model.of("flow"):
        personal = [o for o in strings(flow.get("objects")) if dataflow.is_personal(model, o)]
        if not personal:
            continue
        receivers = [t for t in (flow.get("via"), flow.get("to")) if isinstance(t, str) and t]
        basis = flow.get("lawful_basis")
        rows.append([ctx.entity_link(flow), ctx.link("tool", flow.get("from")),
                     ctx.links("tool", receivers), ctx.links("data", personal),
                     ctx.term("lawful-basis", basis) if basis else Tag("none", "bad"),
                     tuple(_dpa(ctx, t) for t in receivers),
                     tuple(text(mapping(model.get("tool", t).get("compliance")).get("residency"))
                           for t in receivers if model.get("tool", t) is not None)])
    return Table([Column("Flow"), ctx.column("flow", "from"),
                  Column("Into", "The receiving tool, and the integration platform it runs through."),
                  Column("Personal data", "The personal and sensitive personal objects the flow carries."),
                  ctx.column("flow", "lawful_basis"), Column("DPA", "Whether each receiving tool's vendor signed a data "
                                                                     "processing agreement."),
                  ctx.column("tool", "compliance", "residency", label="Data residency")],
                 rows, empty="No flow carries personal data.")


def build(ctx: SiteContext) -> list[Page]:
    model = ctx.model
    objects = model.of("data")
    held_by = {d.id: [t for t in model.of("tool") if d.id in strings(t.get("holds"))] for d in objects}
    object_rows = []
    for data in objects:
        classification = text(data.get("classification"))
        records = strings(data.get("system_of_record"))
        record_cell = ctx.links("tool", records) if records else Tag("none", "bad")
        if len(records) > 1:
            record_cell = (*record_cell, Tag("conflict", "bad"))
        object_rows.append([data.name, Tag(ctx.term("classification", classification),
                                           CLASSIFICATION_TONE.get(classification, "muted")) if classification else "",
                            record_cell, ctx.link("role", data.get("owner")) if data.get("owner") else "",
                            tuple(ctx.entity_link(t) for t in held_by[data.id]), text(data.get("description")),
                            finding_links(ctx, data)])
    flow_rows = []
    for flow in model.of("flow"):
        personal = dataflow.carries_personal(model, flow)
        flow_rows.append([flow.name, ctx.link("tool", flow.get("from")), ctx.link("tool", flow.get("to")),
                          (*ctx.links("data", strings(flow.get("objects"))), *((Tag("personal data", "bad"),) if personal else ())),
                          ctx.term("mechanism", flow.get("mechanism")),
                          ctx.link("tool", flow.get("via")) if flow.get("via") else "", text(flow.get("latency")),
                          ctx.term("lawful-basis", flow.get("lawful_basis")) if flow.get("lawful_basis") else "",
                          ctx.link("role", flow.get("owner")) if flow.get("owner") else "", finding_links(ctx, flow)])
    sections = [
        Section("Where personal data goes", [_personal(ctx)], anchor="personal",
                intro="Every tool a personal data object reaches through the modelled flows, and whether "
                      "that tool's vendor has signed a data processing agreement (DPA)."),
        Section("Personal data flows", [_personal_flows(ctx)], anchor="personal-flows",
                intro="Every flow that carries personal data, in one place: the flow diagrams below are split when "
                      "the stack is large."),
        Section("Data objects", [Table(
            [ctx.column("data", "name", label="Object"), ctx.column("data", "classification"),
             ctx.column("data", "system_of_record"), ctx.column("data", "owner"),
             Column("Held in", "Tools that list the object under holds."), ctx.column("data", "description"),
             Column("Findings", FINDINGS_HELP)],
            object_rows, anchors=[anchor(d) for d in objects], empty="No data objects in the model.")], anchor="objects"),
        Section("Flows", [Table(
            [ctx.column("flow", "name", label="Flow"), ctx.column("flow", "from"), ctx.column("flow", "to"),
             ctx.column("flow", "objects"), ctx.column("flow", "mechanism"), ctx.column("flow", "via"),
             ctx.column("flow", "latency"), ctx.column("flow", "lawful_basis"), ctx.column("flow", "owner"),
             Column("Findings", FINDINGS_HELP)],
            flow_rows, anchors=[anchor(f) for f in model.of("flow")], empty="No flows in the model.")], anchor="flows"),
        Section("Findings", [finding_rows(ctx, findings_of(ctx, ("data", "flow"), EXPOSURE_RULES))], anchor="findings",
                intro="What the check found about the data objects and flows, and where personal data is exposed: "
                      "tools without a data processing agreement, or storing it outside the allowed residency."),
        Section("Flow diagram", diagram_note(ctx) + ctx.draw(dataflow.build(model)), anchor="diagram",
                intro="Red, bold arrows carry personal data; tools with a red border receive it. When the flows are "
                      "split by the platform group they leave from, tools of other groups are dashed."),
    ]
    return [Page("data", "Data objects and flows", "data", sections)]
