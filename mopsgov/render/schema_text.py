"""Words shown to people that come from the JSON Schemas: field descriptions and vocabulary terms.

The schemas are the single source of these texts; the site never keeps a second copy.
"""
from __future__ import annotations

from functools import lru_cache

from mopsgov.model import Model
from mopsgov.resources import load_schema

VOCABULARY_FILE = "vocabulary.schema.json"
_REF_PREFIX = VOCABULARY_FILE + "#/$defs/"
# Vocabularies whose values read as written (letters, severities).
_AS_WRITTEN = ("raci", "severity")


def field_label(name: str) -> str:
    """annual_cost -> Annual cost, dpa -> DPA."""
    return humanise(name)


def _child(node: dict, step: str) -> dict:
    if step == "[]":
        items = node.get("items")
        return items if isinstance(items, dict) else {}
    props = node.get("properties", {})
    if step in props:
        return props[step]
    extra = node.get("additionalProperties")
    return extra if isinstance(extra, dict) else {}


@lru_cache(maxsize=None)
def field_schema(kind: str, *path: str) -> dict:
    """The schema of a field of an entity kind; `[]` steps into array items."""
    node = load_schema(f"{kind}.schema.json")
    for step in path:
        node = _child(node, step)
    return node


def describe(kind: str, *path: str) -> str:
    """The field's description as written in the schema, or "" when it has none."""
    return field_schema(kind, *path).get("description", "")


def vocabulary_of(node: dict) -> str | None:
    """The vocabulary a schema node draws its values from (directly or through its items)."""
    for candidate in (node, node.get("items") if isinstance(node.get("items"), dict) else {},
                      node.get("additionalProperties") if isinstance(node.get("additionalProperties"), dict) else {}):
        ref = candidate.get("$ref", "")
        if ref.startswith(_REF_PREFIX):
            return ref[len(_REF_PREFIX):]
    return None


def vocabularies() -> dict:
    return load_schema(VOCABULARY_FILE)["$defs"]


def model_terms(model: Model, vocabulary: str) -> dict[str, str]:
    """Terms a model adds to an open vocabulary in mopsgov.yaml, slug -> description."""
    key = vocabularies().get(vocabulary, {}).get("x-open-vocabulary")
    extra = model.config.get("vocabulary") if isinstance(model.config.get("vocabulary"), dict) else {}
    added = extra.get(key) if key else None
    return {k: v for k, v in added.items() if isinstance(k, str) and isinstance(v, str)} if isinstance(added, dict) else {}


def term(vocabulary: str, value: object, model: Model | None = None) -> tuple[str, str]:
    """(label, description) of a vocabulary value; the value itself when the term is unknown."""
    text = str(value)
    terms = vocabularies().get(vocabulary, {}).get("x-terms", {})
    entry = terms.get(text) if isinstance(value, str) else None
    if isinstance(entry, dict):  # categories: {label, group}
        group = vocabularies()["martech-group"]["x-terms"].get(entry.get("group"), "")
        return entry.get("label", text), (f"Martech landscape group: {group}." if group else "")
    if isinstance(entry, str):
        return (vocabularies()[vocabulary].get("x-labels", {}).get(text) or humanise(text) if vocabulary not in _AS_WRITTEN else text), entry
    if model is not None and isinstance(value, str):
        added = model_terms(model, vocabulary)
        if value in added:
            return humanise(text), added[value]
    return text, ""


# Words of slugs that marketing operations writes in capitals (or its own way).
SLUG_WORDS = {w.lower(): w for w in (
    "ABM", "API", "CAC", "CCPA", "CDP", "CMS", "CRM", "CSV", "DAM", "DMP", "DPA", "ETL", "FTE", "GDPR", "IoT", "iPaaS",
    "KPI", "MAM", "MAP", "MOM", "MQL", "MRM", "PIM", "PR", "RACI", "ROI", "ROMI", "SaaS", "SDR", "SEO", "SFTP", "SLA",
    "SMS", "SQL", "SSO", "UTM")} | {"ab": "A/B"}


def humanise(slug: str) -> str:
    """demand-generation -> Demand generation; api -> API, ipaas -> iPaaS, ab-testing -> A/B testing."""
    words = [SLUG_WORDS.get(word.lower(), word) for word in slug.replace("_", "-").split("-")]
    text = " ".join(words)
    return text if words and words[0] in SLUG_WORDS.values() else text[:1].upper() + text[1:]


def term_label(vocabulary: str, value: object) -> str:
    return term(vocabulary, value)[0]


def vocabulary_title(vocabulary: str) -> str:
    return vocabularies().get(vocabulary, {}).get("title", vocabulary)


def vocabulary_values(vocabulary: str) -> list[str]:
    """The built-in values of a vocabulary, in the schema's order."""
    node = vocabularies().get(vocabulary, {})
    return list(node.get("enum") or node.get("x-terms", {}))
