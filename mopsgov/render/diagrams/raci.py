"""Team, role and RACI graph: roles inside their team's cluster (teams nest by parent), and an
edge from each role to each process it is Accountable or Responsible in, labelled with how many
steps (bold when Accountable). Consulted and Informed are left to the RACI matrix on each
process page: drawn here they would turn the graph into a hairball.

Above `MAX_NODES` roles and processes the graph is drawn once per top-level team.
"""
from __future__ import annotations

from collections import defaultdict

from mopsgov.model import Entity, Model
from mopsgov.render.access import raci, steps, text
from mopsgov.render.diagrams.base import MAX_NODES, Builder, DiagramSource, entity_node
from mopsgov.render.figures import RACI_LETTERS

NAME = "raci"


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


def build(model: Model) -> list[DiagramSource]:
    kids = _children(model)
    tops = kids.get("", [])
    if len(model.of("role")) + len(model.of("process")) <= MAX_NODES:
        builder = Builder(f"{model.name}: who is Accountable (bold) or Responsible in each process", ranksep="1.2")
        _draw(builder, model, tops, with_unteamed=True)
        return [builder.done(NAME)]
    out = []
    for n, team in enumerate(tops, start=1):
        builder = Builder(f"{team.name}: roles and RACI", ranksep="1.2")
        _draw(builder, model, [team], with_unteamed=False)
        out.append(builder.done(f"{NAME}-{n}"))
    if _roles_by_team(model).get(""):
        builder = Builder("Roles without a team: RACI", ranksep="1.2")
        _draw(builder, model, [], with_unteamed=True)
        out.append(builder.done(f"{NAME}-{len(tops) + 1}"))
    return out
