"""Semantic diff of two versions of a model: entities, fields, spend and findings, not YAML text.

Entities are matched by kind and id wherever they are written, so moving an entity to another
file, or renaming a file, is not a change: an entity that only moved is listed as moved, one that
moved and changed as changed, and a file whose entities all went to one new file as renamed.
Lists of items with ids (process steps) are matched by id too; any other list is compared as a whole.

Findings pair by fingerprint (as baselines do) and severity. When either side has a file that
cannot be read, the rules saw a model with parts missing: only findings about reading files are
paired, and the verdict is the head's own check.

Spend is the sum of `annual_cost` over tools that are not retired, per currency (a tool's
`currency`, else the model's `currency`) and per category.
"""
from __future__ import annotations

import json
from dataclasses import dataclass, field

from mopsgov.check import CheckResult
from mopsgov.finding import Finding, sort_findings
from mopsgov.model import KINDS, Entity, Model
from mopsgov.workflow.baseline import fingerprint, is_load_finding, load_errors, pair_off

_MISSING = object()


@dataclass(frozen=True)
class FieldChange:
    field: str  # `annual_cost`, `contract.renewal`, `steps[qualify].raci`
    old: object  # None when the field is new
    new: object  # None when the field was removed


@dataclass
class EntityChange:
    entity: Entity  # as it is in the head
    changes: list[FieldChange]


@dataclass
class Move:
    entity: Entity
    old_file: str


@dataclass(frozen=True)
class Rename:
    """A whole file moved: every entity of old_file is now in new_file, a file the base did not have."""
    old_file: str
    new_file: str
    entities: int


@dataclass
class Spend:
    currency: str | None
    base: float = 0
    head: float = 0
    # category -> (base, head)
    categories: dict[str, list] = field(default_factory=dict)

    @property
    def delta(self) -> float:
        return self.head - self.base


@dataclass
class ModelDiff:
    base_ref: str
    head_ref: str  # "working tree" when the head is the files on disk
    base: CheckResult
    head: CheckResult
    added: list[Entity]
    removed: list[Entity]
    changed: list[EntityChange]
    moved: list[Move]  # entities that only moved: same content, another file
    renamed: list[Rename]  # files renamed: all their entities, changed or not, are in one new file
    spend: list[Spend]
    introduced: list[Finding]
    fixed: list[Finding]
    unchanged: list[Finding]
    # "base"/"head" -> the errors of files that could not be read; when any, only the findings of
    # reading files are compared, since rules judge a model with parts missing differently
    unreadable: dict[str, list[Finding]] = field(default_factory=dict)

    @property
    def fail_severity(self) -> str:
        return self.head.fail_severity

    @property
    def compared(self) -> bool:
        """Were all findings compared? Not when a side has files that cannot be read."""
        return not any(self.unreadable.values())

    def failing(self) -> list[Finding]:
        """Introduced findings at or above the fail severity that no waiver covers; when findings
        could not be compared, the head's own failing findings, as `check` would report them."""
        if not self.compared:
            return self.head.failing()
        return CheckResult(self.head.model, self.introduced, self.fail_severity).failing()

    @property
    def exit_code(self) -> int:
        if self.head.unreadable:
            return 2
        return 1 if self.failing() else 0


def _same(a, b) -> bool:
    """Equal data, with types: 1, 1.0 and true are three different values in a model."""
    return json.dumps(a, sort_keys=True, default=str) == json.dumps(b, sort_keys=True, default=str)


def _ids(items) -> list[str] | None:
    """The ids of a list of mappings when every item has its own, else None."""
    if not isinstance(items, list):
        return None
    ids = [item.get("id") if isinstance(item, dict) else None for item in items]
    if not ids or not all(isinstance(i, str) for i in ids) or len(set(ids)) != len(ids):
        return None
    return ids


def field_changes(old, new, label: str = "") -> list[FieldChange]:
    """Every changed field between two values, with its old and new value."""
    if isinstance(old, dict) and isinstance(new, dict):
        out: list[FieldChange] = []
        for key in list(old) + [k for k in new if k not in old]:
            sub = f"{label}.{key}" if label else str(key)
            before, after = old.get(key, _MISSING), new.get(key, _MISSING)
            if before is _MISSING:
                out.append(FieldChange(sub, None, after))
            elif after is _MISSING:
                out.append(FieldChange(sub, before, None))
            else:
                out += field_changes(before, after, sub)
        return out
    old_ids, new_ids = _ids(old), _ids(new)
    if old_ids is not None and new_ids is not None:
        out = []
        by_id = {item["id"]: item for item in new}
        for item in old:
            sub = f"{label}[{item['id']}]"
            if item["id"] in by_id:
                out += field_changes(item, by_id[item["id"]], sub)
            else:
                out.append(FieldChange(sub, item, None))
        out += [FieldChange(f"{label}[{item['id']}]", None, item) for item in new if item["id"] not in old_ids]
        common_old = [i for i in old_ids if i in by_id]
        common_new = [i for i in new_ids if i in set(old_ids)]
        if common_old != common_new:
            out.append(FieldChange(f"{label} (order)", common_old, common_new))
        return out
    return [] if _same(old, new) else [FieldChange(label, old, new)]


def _number(value) -> float | None:
    return value if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def spend_of(model: Model) -> dict[tuple[str | None, str], float]:
    """(currency, category) -> annual cost of the tools that are not retired."""
    default = model.config.get("currency") if isinstance(model.config.get("currency"), str) else None
    totals: dict[tuple[str | None, str], float] = {}
    for tool in model.of("tool"):
        cost = _number(tool.get("annual_cost"))
        if cost is None or tool.get("lifecycle") == "retired":
            continue
        currency = tool.get("currency") if isinstance(tool.get("currency"), str) else default
        category = tool.get("category") if isinstance(tool.get("category"), str) else "uncategorised"
        totals[(currency, category)] = totals.get((currency, category), 0) + cost
    return totals


def spend_delta(base: Model, head: Model) -> list[Spend]:
    before, after = spend_of(base), spend_of(head)
    by_currency: dict = {}
    for key in sorted(set(before) | set(after), key=lambda k: (k[0] or "", k[1])):
        currency, category = key
        line = by_currency.setdefault(currency, Spend(currency))
        old, new = before.get(key, 0), after.get(key, 0)
        line.base += old
        line.head += new
        line.categories[category] = [old, new]
    return list(by_currency.values())


def _ordered(entities) -> list[Entity]:
    return sorted(entities, key=lambda e: (KINDS.index(e.kind), e.id))


def _key(root: str):
    """Findings pair when they have the same fingerprint and severity: a raised severity is a new finding."""
    return lambda finding: f"{fingerprint(finding, root)}:{finding.severity.label}"


def _renamed(base: Model, head: Model) -> list[Rename]:
    """Files of the base that are gone, whose entities are now all in one file that is new."""
    base_files = {source.file for source in base.files}
    head_files = {source.file for source in head.files}
    new_places: dict[str, list] = {}
    for kind in KINDS:
        for entity_id, entity in base.entities[kind].items():
            now = head.entities[kind].get(entity_id)
            new_places.setdefault(entity.file, []).append(now.file if now is not None else None)
    return [Rename(old_file, places[0], len(places)) for old_file, places in sorted(new_places.items())
            if old_file not in head_files and None not in places and len(set(places)) == 1 and places[0] not in base_files]


def diff_models(base: CheckResult, head: CheckResult, base_ref: str, head_ref: str) -> ModelDiff:
    added, removed, changed, moved = [], [], [], []
    for kind in KINDS:
        old_table, new_table = base.model.entities[kind], head.model.entities[kind]
        removed += [e for i, e in old_table.items() if i not in new_table]
        for entity_id, entity in new_table.items():
            old = old_table.get(entity_id)
            if old is None:
                added.append(entity)
                continue
            changes = field_changes(old.data, entity.data)
            if changes:
                changed.append(EntityChange(entity, changes))
            elif old.file != entity.file:
                moved.append(Move(entity, old.file))
    unreadable = {"base": load_errors(base), "head": load_errors(head)}
    comparable = (lambda f: True) if not any(unreadable.values()) else is_load_finding
    key = _key(head.model.root)
    unchanged, introduced, fixed = pair_off([f for f in head.findings if comparable(f)],
                                            [f for f in base.findings if comparable(f)], key, key)
    # a finding held back on one side (a validation error may be its cause) is neither fixed nor new
    _, _, fixed = pair_off([f for f in head.held_back if comparable(f)], fixed, key, key)
    _, _, introduced = pair_off([f for f in base.held_back if comparable(f)], introduced, key, key)
    moved.sort(key=lambda m: (KINDS.index(m.entity.kind), m.entity.id))
    return ModelDiff(
        base_ref, head_ref, base, head, _ordered(added), _ordered(removed),
        sorted(changed, key=lambda c: (KINDS.index(c.entity.kind), c.entity.id)),
        moved, _renamed(base.model, head.model),
        spend_delta(base.model, head.model), sort_findings(introduced), sort_findings(fixed), sort_findings(unchanged),
        unreadable)
