"""Teams and roles: who is in the operating model, which archetypes and responsibility areas
they cover, and how much RACI load each role carries."""
from __future__ import annotations

from mopsgov import figures
from mopsgov.fields import strings, text
from mopsgov.render.blocks import Column, Page, Paragraph, Section, Table, Tag
from mopsgov.render.context import SiteContext
from mopsgov.render.diagrams import raci
from mopsgov.render.names import anchor
from mopsgov.render.pages.common import diagram_note
from mopsgov.render.schema_text import term, vocabulary_title, vocabulary_values


def coverage_table(ctx: SiteContext, vocabulary: str, entities, field: str, who: str) -> Table:
    rows = []
    for value, holders in figures.coverage(entities, field, vocabulary_values(vocabulary)):
        label, description = term(vocabulary, value, ctx.model)
        status = Tag("covered", "ok") if holders else Tag("gap", "bad")
        rows.append([label, description, status, tuple(ctx.entity_link(h) for h in holders)])
    return Table([Column(vocabulary_title(vocabulary)), Column("Meaning"), Column("Status"), Column(who)], rows)


def family_load(ctx: SiteContext) -> Table:
    """Roles by process family: the steps each role is Accountable or Responsible for, the whole
    RACI picture in one table when the diagram has to be split."""
    model = ctx.model
    involved = raci.involvement(model)
    used = dict.fromkeys(text(p.get("family")) for p in model.of("process"))
    families = [f for f in vocabulary_values("process-family") if f in used] + [
        f for f in used if f not in vocabulary_values("process-family")]
    family_of = {p.id: text(p.get("family")) for p in model.of("process")}
    rows = []
    for role in model.of("role"):
        counts = {f: {"A": 0, "R": 0} for f in families}
        for process_id, letters in involved.get(role.id, {}).items():
            if process_id in family_of:
                for letter in raci.DRAWN:
                    counts[family_of[process_id]][letter] += letters[letter]
        if any(c["A"] or c["R"] for c in counts.values()):
            rows.append([ctx.entity_link(role), ctx.link("team", role.get("team")) if role.get("team") else "",
                         *(" ".join(f"{k}\u00a0{v}" for k, v in counts[f].items() if v) for f in families)])
    return Table([Column("Role"), Column("Team"),
                  *(Column(ctx.term("process-family", f) if f else "(no family)", numeric=True) for f in families)],
                 rows, caption="A: steps the role is Accountable for, R: steps it is Responsible for, per process family.",
                 empty="No role is Accountable or Responsible for a step.")


def coverage_summary(ctx: SiteContext, vocabulary: str, entities, field: str) -> tuple[int, int]:
    """(values covered, values in the vocabulary)."""
    values = vocabulary_values(vocabulary)
    covered = {v for v, holders in figures.coverage(entities, field, values) if holders}
    return len(covered & set(values)), len(values)


def build(ctx: SiteContext) -> list[Page]:
    model = ctx.model
    teams = Table(
        [ctx.column("team", "name", label="Team"), ctx.column("team", "type"), ctx.column("team", "parent"),
         Column("Roles", "Roles that belong to the team.")],
        [[t.name, ctx.term("team-type", t.get("type")), ctx.link("team", t.get("parent")) if t.get("parent") else "",
          tuple(ctx.entity_link(r) for r in model.of("role") if r.get("team") == t.id)] for t in model.of("team")],
        anchors=[anchor(t) for t in model.of("team")], empty="No teams in the model.")
    load = figures.raci_load(model)
    role_rows, role_anchors = [], []
    for role in model.of("role"):
        letters = load.get(role.id, dict.fromkeys(figures.RACI_LETTERS, 0))
        role_rows.append([role.name, ctx.link("team", role.get("team")), text(role.get("fte")),
                          tuple(ctx.term("value-archetype", a) for a in strings(role.get("archetypes"))),
                          tuple(ctx.term("responsibility-area", a) for a in strings(role.get("responsibilities"))),
                          *(letters[k] for k in figures.RACI_LETTERS),
                          ctx.link("role", role.get("reports_to")) if role.get("reports_to") else "",
                          text(role.get("description"))])
        role_anchors.append(anchor(role))
    letter_help = {"A": "Steps the role is Accountable for.", "R": "Steps the role is Responsible for.",
                   "C": "Steps where the role is Consulted.", "I": "Steps where the role is Informed."}
    roles = Table(
        [ctx.column("role", "name", label="Role"), ctx.column("role", "team"), ctx.column("role", "fte"),
         ctx.column("role", "archetypes"), ctx.column("role", "responsibilities"),
         *(Column(k, letter_help[k], numeric=True) for k in figures.RACI_LETTERS),
         ctx.column("role", "reports_to"), ctx.column("role", "description")],
        role_rows, anchors=role_anchors, empty="No roles in the model.")
    idle = [r for r in model.of("role") if not any(load.get(r.id, {}).values())]
    sections = [
        Section("Teams", [teams], anchor="teams"),
        Section("Roles and their RACI load", [roles], anchor="roles",
                intro="How many process steps each role is Accountable, Responsible, Consulted or Informed on."),
    ]
    if idle:
        sections.append(Section("Roles with no part in any process",
                                [Paragraph(tuple(ctx.entity_link(r) for r in idle))], anchor="idle"))
    sections += [
        Section("Value archetype coverage", [coverage_table(ctx, "value-archetype", model.of("role"), "archetypes", "Roles")],
                anchor="archetypes"),
        Section("Responsibility area coverage",
                [coverage_table(ctx, "responsibility-area", model.of("role"), "responsibilities", "Roles")],
                anchor="responsibilities"),
        Section("Who carries each process family", [family_load(ctx)], anchor="families",
                intro="Steps each role is Accountable (A) or Responsible (R) for, by process family."),
        Section("Teams, roles and RACI diagram", diagram_note(ctx) + ctx.draw(raci.build(model)), anchor="diagram",
                intro="Roles in their teams, with an arrow to each process they are Accountable (bold) or Responsible "
                      "in; a large organisation is drawn a few teams at a time."),
    ]
    return [Page("teams", "Teams and roles", "teams", sections)]
