"""Team, role and RACI graph: roles inside their team's cluster (teams nest by parent), and an
edge from each role to each process it is Accountable or Responsible in, labelled with how many
steps (bold when Accountable). Consulted and Informed are left to the RACI matrix on each
process page: drawn here they would turn the graph into a hairball.

Above `SPLIT_ABOVE` roles and processes the graph is split: top-level teams (with the teams
inside them) are packed, in model order, into diagrams of about `ROLES_PER_DIAGRAM` roles.
"""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Entity, Model
from mopsgov.fields import raci, steps, text
from mopsgov.render.diagrams.base import Builder, DiagramSource, entity_node
from mopsgov.figures import RACI_LETTERS

NAME = "raci"
# Roles and processes in one diagram before it is split by team: past this the two columns grow
# so tall that the graph no longer fits a page.
SPLIT_ABOVE = 60
ROLES_PER_DIAGRAM = 20


def involvement(model: Model) -> dict[str, dict[str, dict[str, int]]]:
    """role id -> process id -> letter -> steps, in model order."""
    out: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(lambda: dict.fromkeys(RACI_LETTERS, 0)))
    for process in model.of("process"):
        for step in steps(process):
            for role, letter in raci(step).items():
                for part in letter.split("/"):
                    if part in RACI_LETTERS:
                        out[role][process.id][part] += 1
    return out


def _children(model: Model) -> dict[str, list[Entity]]:
    kids: dict[str, list[Entity]] = defaultdict(list)
    for team in model.of("team"):
        parent = team.get("parent")
        kids[parent if isinstance(parent, str) and model.get("team", parent) and parent != team.id else ""].append(team)
    return kids


def _roles_by_team(model: Model) -> dict[str, list[Entity]]:
    by_team: dict[str, list[Entity]] = defaultdict(list)
    for role in model.of("role"):
        team = role.get("team")
        by_team[team if isinstance(team, str) and model.get("team", team) else ""].append(role)
    return by_team


def _draw_team(builder: Builder, team: Entity, kids, roles, seen: set) -> None:
    if team.id in seen:  # a parent cycle is a validation finding; draw each team once
        return
    seen.add(team.id)
    with builder.cluster(team.name, text(team.get("type")), bgcolor="#f7f9fc"):
        for role in roles.get(team.id, []):
            entity_node(builder, role, f"{role.get('fte')} FTE" if text(role.get("fte")) else "")
        for child in kids.get(team.id, []):
            _draw_team(builder, child, kids, roles, seen)


DRAWN = ("A", "R")


def _label(letters: dict[str, int]) -> str:
    return " ".join(f"{k}\u00d7{v}" if v > 1 else k for k, v in letters.items() if v and k in DRAWN)


def _draw(builder: Builder, model: Model, tops: list[Entity], with_unteamed: bool) -> None:
    kids, roles = _children(model), _roles_by_team(model)
    seen: set = set()
    for team in tops:
        _draw_team(builder, team, kids, roles, seen)
    if with_unteamed:
        for team in model.of("team"):  # teams caught in a parent cycle
            _draw_team(builder, team, kids, roles, seen)
        for role in roles.get("", []):
            entity_node(builder, role)
    involved = involvement(model)
    for role in model.of("role"):
        if not builder.has(role.ref):
            continue
        for process_id, letters in involved.get(role.id, {}).items():
            if not any(letters[k] for k in DRAWN):
                continue
            process = model.get("process", process_id)
            owner = model.get("role", process.get("owner"))
            entity_node(builder, process, f"owner: {owner.name if owner else text(process.get('owner'))}")
            builder.edge(role.ref, process.ref, _label(letters), penwidth="2" if letters["A"] else "1")


def _role_count(team: Entity, kids, roles, seen: set | None = None) -> int:
    seen = set() if seen is None else seen
    if team.id in seen:
        return 0
    seen.add(team.id)
    return len(roles.get(team.id, [])) + sum(_role_count(c, kids, roles, seen) for c in kids.get(team.id, []))


def _bins(tops: list[Entity], kids, roles) -> list[list[Entity]]:
    """Top-level teams in model order, packed into groups of at most ROLES_PER_DIAGRAM roles."""
    bins: list[list[Entity]] = []
    filled = ROLES_PER_DIAGRAM
    for team in tops:
        count = _role_count(team, kids, roles)
        if filled + count > ROLES_PER_DIAGRAM:
            bins.append([])
            filled = 0
        bins[-1].append(team)
        filled += count
    return bins


def build(model: Model) -> list[DiagramSource]:
    kids, roles = _children(model), _roles_by_team(model)
    tops = kids.get("", [])
    if len(model.of("role")) + len(model.of("process")) <= SPLIT_ABOVE:
        builder = Builder(f"{model.name}: who is Accountable (bold) or Responsible in each process", ranksep="1.2")
        _draw(builder, model, tops, with_unteamed=True)
        return [builder.done(NAME)]
    out = []
    for n, group in enumerate(_bins(tops, kids, roles), start=1):
        names = ", ".join(team.name for team in group)
        builder = Builder(f"{names}: who is Accountable (bold) or Responsible", ranksep="1.2")
        _draw(builder, model, group, with_unteamed=False)
        out.append(builder.done(f"{NAME}-{n}"))
    if roles.get(""):
        builder = Builder("Roles without a team: who is Accountable (bold) or Responsible", ranksep="1.2")
        _draw(builder, model, [], with_unteamed=True)
        out.append(builder.done(f"{NAME}-{len(out) + 1}"))
    return out
