"""The operating model in memory: entities by kind, each pointing back at its file and path."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from mopsgov.finding import Location
from mopsgov.load.yaml_reader import ParsedFile
from mopsgov.resources import load_schema

if TYPE_CHECKING:
    from mopsgov.load.source import FileSource


def _collections() -> tuple[tuple[str, str], ...]:
    props = load_schema("model.schema.json")["properties"]
    return tuple((name, spec["x-kind"]) for name, spec in props.items())


# (collection key in a file, kind name), in the order the model schema lists them.
COLLECTIONS: tuple[tuple[str, str], ...] = _collections()
KIND_OF_COLLECTION = dict(COLLECTIONS)
COLLECTION_OF_KIND = {kind: coll for coll, kind in COLLECTIONS}
KINDS = tuple(kind for _, kind in COLLECTIONS)
KIND_TITLES = {kind: load_schema(f"{kind}.schema.json")["title"] for kind in KINDS}
CONFIG_FILE = "mopsgov.yaml"


def kind_label(kind: str) -> str:
    """How messages name a kind: "tool", "data object", but "SLA" and "KPI"."""
    title = KIND_TITLES[kind]
    return title if title.isupper() else title.lower()


@dataclass(slots=True, eq=False)
class Entity:
    kind: str
    id: str
    data: dict
    source: ParsedFile
    path: tuple  # from the file's root to this entity, e.g. ("tools", 3)

    @property
    def ref(self) -> str:
        return f"{self.kind}:{self.id}"

    @property
    def name(self) -> str:
        name = self.data.get("name")
        return name if isinstance(name, str) else self.id

    @property
    def file(self) -> str:
        return self.source.file

    def get(self, key: str, default=None):
        return self.data.get(key, default)

    def location(self, *relative, key: bool = False) -> Location:
        """Where a field of this entity is written (its value, or its key); the entity if absent."""
        return self.source.location(self.path + tuple(relative), key=key)

    def label(self) -> str:
        return f'{kind_label(self.kind)} "{self.id}"'


@dataclass(slots=True)
class Model:
    root: str
    files: list[ParsedFile] = field(default_factory=list)
    config: dict = field(default_factory=dict)
    config_source: ParsedFile | None = None
    # kind -> id -> entity; the first definition wins when an id is written twice
    entities: dict[str, dict[str, Entity]] = field(default_factory=lambda: {k: {} for k in KINDS})
    duplicates: list[tuple[Entity, Entity]] = field(default_factory=list)
    source: FileSource | None = None  # where policy packs are read from; None: the disk
    # policy findings the check held back because they may follow from a validation error
    # (rules.consequences): not reported, but still counted and matched by baselines and diff
    held_back: list = field(default_factory=list)
    size: int = 0  # bytes of YAML read for the model's files: what decides whether work is forked

    def of(self, kind: str) -> list[Entity]:
        return list(self.entities[kind].values())

    def get(self, kind: str, entity_id) -> Entity | None:
        return self.entities[kind].get(entity_id) if isinstance(entity_id, str) else None

    def resolve(self, ref: str) -> Entity | None:
        """`kind:id`, as written in waivers and on the command line."""
        kind, _, entity_id = ref.partition(":")
        return self.get(kind, entity_id) if kind in self.entities else None

    @property
    def name(self) -> str:
        return self.config.get("name") or self.root

    @property
    def as_of(self) -> dt.date:
        value = self.config.get("as_of")
        try:
            return dt.date.fromisoformat(value) if isinstance(value, str) else dt.date.today()
        except ValueError:
            return dt.date.today()

    def add(self, entity: Entity) -> None:
        table = self.entities[entity.kind]
        first = table.get(entity.id)
        if first is None:
            table[entity.id] = entity
        else:
            self.duplicates.append((first, entity))
