"""The JSON Schemas: valid against their metaschema, documented, and read the same by our compiler."""
from __future__ import annotations

import json

import jsonschema
import pytest
from referencing import Registry, Resource

from mopsgov.resources import data_dir, load_schema, schema_names
from mopsgov.validate.schema_compiler import ANNOTATIONS, SUPPORTED, Compiler, Context

from conftest import run_cli

NAMES = schema_names()
KIND_SCHEMAS = ["team", "role", "process", "tool", "data", "flow", "sla", "kpi", "goal", "waiver"]


def test_every_kind_has_a_schema():
    for kind in KIND_SCHEMAS + ["model", "config", "vocabulary"]:
        assert f"{kind}.schema.json" in NAMES


@pytest.mark.parametrize("name", NAMES)
def test_schema_is_valid_against_its_metaschema(name):
    schema = load_schema(name)
    validator = jsonschema.validators.validator_for(schema)
    validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema" or name == "sarif"


def _properties(node, trail=()):
    if isinstance(node, dict):
        for key, value in node.get("properties", {}).items():
            yield trail + (key,), value
        for key, value in node.items():
            if isinstance(value, (dict, list)) and key not in ("examples", "x-terms", "default", "enum"):
                yield from _properties(value, trail + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _properties(value, trail + (index,))


@pytest.mark.parametrize("name", [f"{k}.schema.json" for k in KIND_SCHEMAS] + ["config.schema.json", "model.schema.json"])
def test_every_property_has_a_description_and_examples(name):
    missing = [trail for trail, spec in _properties(load_schema(name))
               if "description" not in spec or ("examples" not in spec and "$ref" not in spec)]
    assert missing == []


@pytest.mark.parametrize("name", NAMES)
def test_schema_uses_only_keywords_the_compiler_supports(name):
    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key.startswith("x-"):
                    continue  # annotations such as x-terms hold data, not schemas
                if key in ("properties", "patternProperties", "$defs"):
                    for sub in value.values():
                        walk(sub)
                    continue
                if key in ("examples", "enum", "const", "default", "required"):
                    continue
                assert key in SUPPORTED or key in ANNOTATIONS or key.startswith("x-"), key
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(load_schema(name))


def _registry() -> Registry:
    resources = []
    for name in NAMES:
        schema = load_schema(name)
        resource = Resource.from_contents(schema)
        resources.append((name, resource))
        resources.append((schema["$id"], resource))
    return Registry().with_resources(resources)


SAMPLES = [
    {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "active"}]},
    {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "live"}]},
    {"tools": [{"id": "Crm", "name": "CRM", "category": "crm", "lifecycle": "active"}]},
    {"tools": [{"id": "crm", "name": "", "category": "crm", "lifecycle": "active", "annual_cost": "12k"}]},
    {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "active", "seats": {"bought": 1.5}}]},
    {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "active", "x-notes": [1, 2]}]},
    {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "active", "capabilities": ["sms", "sms"]}]},
    {"data": [{"id": "contact", "name": "Contact", "classification": "personal", "system_of_record": ["a", "b"]}]},
    {"data": [{"id": "contact", "name": "Contact", "classification": "personal", "system_of_record": 5}]},
    {"flows": [{"id": "f", "name": "F", "from": "a", "to": "b", "objects": [], "latency": "fortnightly"}]},
    {"flows": [{"id": "f", "name": "F", "from": "a", "to": "b", "objects": ["x"], "latency": "15 minutes"}]},
    {"processes": [{"id": "p", "name": "P", "owner": "r", "family": "enablement",
                    "steps": [{"id": "s", "name": "S", "raci": {"r": "A", "q": "X"}}]}]},
    {"processes": [{"id": "p", "name": "P", "owner": "r", "family": "enablement", "steps": []}]},
    {"slas": [{"id": "s", "name": "S", "target": True}]},
    {"goals": [{"id": "g", "name": "G", "deadline": "2027-02-30"}]},
    {"waivers": [{"id": "w", "name": "W", "rule": "a.b", "entity": "tool:*", "reason": "r", "expires": "2027-01-01"}]},
    {"teams": "none"},
    {"toolz": []},
]


@pytest.mark.parametrize("index", range(len(SAMPLES)))
def test_compiler_agrees_with_jsonschema(index):
    sample = SAMPLES[index]
    reference = jsonschema.Draft202012Validator(
        load_schema("model.schema.json"), registry=_registry(), format_checker=jsonschema.FormatChecker())
    ctx = Context()
    Compiler().compile_file("model.schema.json")(sample, (), ctx)
    # Open vocabularies are checked by the compiler only (jsonschema sees a slug pattern).
    ours = not [p for p in ctx.problems if p.rule != "vocabulary.unknown-term"]
    assert ours == reference.is_valid(sample), [p.message for p in ctx.problems]


def test_schema_command_prints_and_writes(tmp_path):
    done = run_cli("schema", "tool")
    assert json.loads(done.stdout)["title"] == "Tool"
    done = run_cli("schema", "--out", str(tmp_path / "out"))
    assert done.returncode == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == NAMES
    for name in NAMES:
        assert (tmp_path / "out" / name).read_bytes() == (data_dir("schemas") / name).read_bytes()
    done = run_cli("schema", "nope")
    assert done.returncode == 2 and "choose one of" in done.stderr
