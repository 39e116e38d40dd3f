"""File names for pages and diagrams, derived from ids but always safe as file and URL names."""
from __future__ import annotations

import hashlib
import re

from mopsgov.model import Entity

_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*\Z")
MAX_SLUG = 60


def slug(entity_id: str) -> str:
    """The id itself when it is a clean slug; otherwise a stable hash of it."""
    if _SLUG.match(entity_id) and len(entity_id) <= MAX_SLUG:
        return entity_id
    return "id-" + hashlib.sha256(entity_id.encode("utf-8", "surrogatepass")).hexdigest()[:12]


def entity_page(entity: Entity) -> str:
    """The page stem of an entity with a page of its own (processes and tools)."""
    return f"{entity.kind}-{slug(entity.id)}"


def anchor(entity: Entity) -> str:
    return f"{entity.kind}-{slug(entity.id)}"


def rule_anchor(rule_id: str) -> str:
    """The anchor of a rule's row in the policy catalogue: `goal.smart` -> `rule-goal-smart`."""
    return "rule-" + slug(rule_id.replace(".", "-").replace("_", "-").lower())


def step_anchor(step_id: object, number: int) -> str:
    """The anchor of a step's row on its process page; `number` (from 1) when it has no id."""
    return f"step-{slug(step_id)}" if isinstance(step_id, str) and step_id else f"step-{number}"
