"""Team, role and RACI graph: roles inside their team's cluster (teams nest by parent), and an
edge from each role to each process it is Accountable or Responsible in, labelled with how many
steps (bold when Accountable). Consulted and Informed are left to the RACI matrix on each
process page: drawn here they would turn the graph into a hairball.

Above `SPLIT_ABOVE` roles and processes (or `EDGES_PER_DIAGRAM` arrows) the graph is split:
top-level teams (with the teams inside them) are packed, in model order, into diagrams of at
most `ROLES_PER_DIAGRAM` roles and `EDGES_PER_DIAGRAM` arrows; a team too big for one diagram
is split into the teams inside it. The teams page also has the whole picture as a table of
roles by process family.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from mopsgov.model import Entity, Model
from mopsgov.fields import raci, steps, text
from mopsgov.render.diagrams.base import MAX_TITLE, Builder, DiagramSource, entity_node
from mopsgov.figures import RACI_LETTERS

NAME = "raci"
# Roles and processes in one diagram before it is split by team: past this the two columns grow
# so tall that the graph no longer fits a page.
SPLIT_ABOVE = 60
ROLES_PER_DIAGRAM = 15
# Arrows in one diagram: past this they cross too often to follow.
EDGES_PER_DIAGRAM = 45


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
    _draw_arrows(builder, model)


def _draw_arrows(builder: Builder, model: Model) -> None:
    """An arrow from each drawn role to each process it is Accountable or Responsible in."""
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


def _edges(model: Model, roles: list[Entity]) -> int:
    """How many role -> process arrows the roles bring to a diagram."""
    involved = involvement(model)
    return sum(1 for r in roles for letters in involved.get(r.id, {}).values() if any(letters[k] for k in DRAWN))


@dataclass(frozen=True)
class _Part:
    """What one diagram draws of a team: all of it (with the teams inside), or only some of its own roles."""

    team: Entity
    roles: tuple[Entity, ...] | None = None  # None: the whole team


def _subtree_roles(team: Entity, kids, roles, seen: set | None = None) -> list[Entity]:
    seen = set() if seen is None else seen
    if team.id in seen:
        return []
    seen.add(team.id)
    return roles.get(team.id, []) + [r for c in kids.get(team.id, []) for r in _subtree_roles(c, kids, roles, seen)]


def _parts(model: Model, team: Entity, kids, roles, seen: set) -> list[tuple[_Part, int, int]]:
    """(part, roles, arrows) for a team: whole when it fits one diagram, else its own roles (in
    chunks) and then each team inside it, split the same way."""
    if team.id in seen:
        return []
    members = _subtree_roles(team, kids, roles, set(seen))
    if len(members) <= ROLES_PER_DIAGRAM and _edges(model, members) <= EDGES_PER_DIAGRAM or not members:
        seen.update(t for t in _team_ids(team, kids))
        return [(_Part(team), len(members), _edges(model, members))]
    seen.add(team.id)
    out = []
    own = roles.get(team.id, [])
    for start in range(0, len(own), ROLES_PER_DIAGRAM):
        chunk = tuple(own[start:start + ROLES_PER_DIAGRAM])
        out.append((_Part(team, chunk), len(chunk), _edges(model, list(chunk))))
    for child in kids.get(team.id, []):
        out += _parts(model, child, kids, roles, seen)
    return out


def _team_ids(team: Entity, kids, seen: set | None = None) -> list[str]:
    seen = set() if seen is None else seen
    if team.id in seen:
        return []
    seen.add(team.id)
    return [team.id] + [t for c in kids.get(team.id, []) for t in _team_ids(c, kids, seen)]


def _bins(model: Model, tops: list[Entity], kids, roles) -> list[list[_Part]]:
    """Teams in model order, packed into diagrams of at most ROLES_PER_DIAGRAM roles and
    EDGES_PER_DIAGRAM arrows; a team too big for one is split into the teams inside it."""
    bins: list[list[_Part]] = []
    filled = arrows = None
    seen: set = set()
    for team in tops:
        for part, count, edges in _parts(model, team, kids, roles, seen):
            if filled is None or filled + count > ROLES_PER_DIAGRAM or arrows + edges > EDGES_PER_DIAGRAM:
                bins.append([])
                filled = arrows = 0
            bins[-1].append(part)
            filled += count
            arrows += edges
    return bins


def _title(model: Model, parts: list[_Part]) -> str:
    """Who is A or R for which teams: as many team names as fit a title, then how many
    more; after their parent team when they all share one."""
    parents = {text(part.team.get("parent")) for part in parts}
    parent = model.get("team", parents.pop()) if len(parents) == 1 else None
    title = "Accountable (bold) and Responsible \u2014 " + (f"{parent.name}: " if parent is not None else "")
    names = [part.team.name if part.roles is None else f"{part.team.name} (its own roles)" for part in parts]
    for count in range(len(names), 0, -1):
        rest = f" and {len(names) - count} more teams" if count < len(names) else ""
        candidate = title + ", ".join(names[:count]) + rest
        if len(candidate) <= MAX_TITLE or count == 1:
            return candidate
    return title.rstrip(" \u2014:")


def _draw_parts(builder: Builder, model: Model, parts: list[_Part]) -> None:
    kids, roles = _children(model), _roles_by_team(model)
    seen: set = set()
    for part in parts:
        if part.roles is None:
            _draw_team(builder, part.team, kids, roles, seen)
        else:
            with builder.cluster(part.team.name, text(part.team.get("type")), bgcolor="#f7f9fc"):
                for role in part.roles:
                    entity_node(builder, role, f"{role.get('fte')} FTE" if text(role.get("fte")) else "")
    _draw_arrows(builder, model)


def build(model: Model) -> list[DiagramSource]:
    kids, roles = _children(model), _roles_by_team(model)
    tops = kids.get("", [])
    everyone = model.of("role")
    if len(everyone) + len(model.of("process")) <= SPLIT_ABOVE and _edges(model, everyone) <= EDGES_PER_DIAGRAM:
        builder = Builder(f"{model.name}: who is Accountable (bold) or Responsible in each process", ranksep="1.2")
        _draw(builder, model, tops, with_unteamed=True)
        return [builder.done(NAME)]
    out = []
    for n, group in enumerate(_bins(model, tops, kids, roles), start=1):
        builder = Builder(_title(model, group), ranksep="1.2")
        _draw_parts(builder, model, group)
        out.append(builder.done(f"{NAME}-{n}"))
    if roles.get(""):
        builder = Builder("Roles without a team: who is Accountable (bold) or Responsible", ranksep="1.2")
        _draw(builder, model, [], with_unteamed=True)
        out.append(builder.done(f"{NAME}-{len(out) + 1}"))
    return out
