"""Glossary: the marketing operations terms the site uses (from `glossary.json`, the one list
of them), then the vocabulary terms the model uses, with their meaning from the vocabulary schema."""
from __future__ import annotations

import json
from collections import defaultdict
from functools import lru_cache
from importlib import resources

from mopsgov.model import Model
from mopsgov.render.blocks import Column, Page, Section, Table
from mopsgov.render.context import SiteContext
from mopsgov.render.names import slug
from mopsgov.render.schema_text import VOCABULARY_FILE, field_schema, term, vocabulary_title, vocabularies

GLOSSARY = "glossary.json"
# Terms every site shows, used on its own pages whatever the model says.
ALWAYS = ("raci", "severity")
_PREFIX = VOCABULARY_FILE + "#/$defs/"


def _walk(node: dict, value: object, found: dict[str, set]) -> None:
    ref = node.get("$ref", "")
    if ref.startswith(_PREFIX) and isinstance(value, str):
        found[ref[len(_PREFIX):]].add(value)
    if isinstance(value, list) and isinstance(node.get("items"), dict):
        for item in value:
            _walk(node["items"], item, found)
    elif isinstance(value, dict):
        extra = node.get("additionalProperties")
        for key, item in value.items():
            sub = node.get("properties", {}).get(key, extra if isinstance(extra, dict) else {})
            _walk(sub, item, found)


def used_terms(model: Model) -> dict[str, set]:
    found: dict[str, set] = defaultdict(set)
    for kind, table in model.entities.items():
        schema = field_schema(kind)
        for entity in table.values():
            _walk(schema, entity.data, found)
    return found


@lru_cache(maxsize=1)
def mops_terms() -> tuple[dict, ...]:
    """The site's own terms: {term, name, meaning}, in glossary order."""
    data = json.loads(resources.files("mopsgov.render").joinpath(GLOSSARY).read_text(encoding="utf-8"))
    return tuple(data["terms"])


def build(ctx: SiteContext) -> list[Page]:
    used = used_terms(ctx.model)
    terms = mops_terms()
    sections = [Section("Marketing operations terms", [Table(
        [Column("Term"), Column("Name"), Column("Meaning")],
        [[t["term"], t["name"] if t["name"] != t["term"] else "", t["meaning"]] for t in terms],
        anchors=[f"term-{slug(t['term'].lower().replace(' ', '-'))}" for t in terms])],
        anchor="mops", intro="Words and abbreviations the pages of this site use.")]
    for name, vocabulary in vocabularies().items():
        values = list(vocabulary.get("x-terms", {})) if name in ALWAYS else sorted(used.get(name, ()))
        if not values:
            continue
        rows = [[value, *term(name, value, ctx.model)] for value in values]
        sections.append(Section(vocabulary_title(name), [Table([Column("Term"), Column("Name"), Column("Meaning")], rows)],
                                anchor=name, intro=vocabulary.get("description", "")))
    return [Page("glossary", "Glossary", "glossary", sections,
                 intro="The marketing operations terms this site uses, then the terms of the vocabularies this model "
                       "uses, as mopsgov defines them.")]
