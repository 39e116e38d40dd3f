"""Who refers to whom: the reverse of every `x-ref` field, for "what depends on this" views.

The references are the ones the validator collects from the schemas' `x-ref` marks, so a new
reference field in a schema shows up here without a change.
"""
from __future__ import annotations

import re
from collections import defaultdict, deque
from dataclasses import dataclass

from mopsgov.model import KIND_OF_COLLECTION, KINDS, Entity, Model
from mopsgov.validate import compiled, field_label
from mopsgov.validate.schema_compiler import Context

# Kinds through which impact keeps spreading: what depends on a process, flow, KPI or SLA
# depends on the tool too. Roles, teams and data objects are hubs that would pull in everything.
SPREADS_THROUGH = ("process", "flow", "kpi", "sla")
IMPACT_DEPTH = 3
_INDEX = re.compile(r"\[\d+\]")  # list positions: `sources[2]` reads as `sources`
_KIND_ORDER = {kind: n for n, kind in enumerate(KINDS)}


@dataclass(frozen=True)
class Reference:
    source: Entity
    field: str  # where in the source the reference is written, e.g. steps[route].tools


class ReferenceIndex:
    def __init__(self, model: Model) -> None:
        self.model = model
        self._to: dict[tuple[str, str], list[Reference]] = defaultdict(list)
        check = compiled("model.schema.json")
        for source in model.files:
            if not isinstance(source.data, dict):
                continue
            ctx = Context()
            check(source.data, (), ctx)
            for path, value, kind, _ in ctx.refs:
                entity = self._entity(source, path)
                if entity is not None and isinstance(value, str) and value in model.entities[kind]:
                    item = source.data[path[0]][path[1]]
                    where = _INDEX.sub("", field_label(item, path[2:]))
                    self._to[(kind, value)].append(Reference(entity, where))

    def _entity(self, source, path: tuple) -> Entity | None:
        if len(path) < 3 or path[0] not in KIND_OF_COLLECTION or not isinstance(path[1], int):
            return None
        kind = KIND_OF_COLLECTION[path[0]]
        item = source.data[path[0]][path[1]]
        entity = self.model.get(kind, item.get("id") if isinstance(item, dict) else None)
        return entity if entity is not None and entity.data is item else None

    def to(self, entity: Entity) -> list[Reference]:
        """References to `entity`, by kind order of the model then id, one per source and field."""
        seen, out = set(), []
        for ref in self._to.get((entity.kind, entity.id), []):
            key = (ref.source.kind, ref.source.id, ref.field)
            if key not in seen and ref.source is not entity:
                seen.add(key)
                out.append(ref)
        return sorted(out, key=lambda r: (_KIND_ORDER[r.source.kind], r.source.id, r.field))

    def impact(self, entity: Entity, depth: int = IMPACT_DEPTH) -> list[tuple[Entity, Entity, str]]:
        """Edges (dependent, what it depends on, field) reachable from `entity`, breadth first."""
        edges: list[tuple[Entity, Entity, str]] = []
        seen = {id(entity)}
        queue = deque([(entity, 0)])
        while queue:
            current, level = queue.popleft()
            if level >= depth or (level and current.kind not in SPREADS_THROUGH):
                continue
            for ref in self.to(current):
                edges.append((ref.source, current, ref.field))
                if id(ref.source) not in seen:
                    seen.add(id(ref.source))
                    queue.append((ref.source, level + 1))
        return edges
