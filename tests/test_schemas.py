"""The JSON Schemas: valid against their metaschema, documented, and read the same by our compiler."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import jsonschema
import pytest
from referencing import Registry, Resource

from mopsgov.resources import data_dir, load_schema, schema_names
from mopsgov.validate.schema_compiler import ANNOTATIONS, SUPPORTED, Compiler, Context

from conftest import ROOT, run_cli

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
def test_examples_are_real_values_not_placeholders(name):
    def examples(node):
        if isinstance(node, dict):
            yield from node.get("examples", []) if isinstance(node.get("examples"), list) else []
            for key, value in node.items():
                if key != "examples":
                    yield from examples(value)
        elif isinstance(node, list):
            for value in node:
                yield from examples(value)

    def strings(value):
        if isinstance(value, str):
            yield value
        elif isinstance(value, dict):
            for item in value.values():
                yield from strings(item)
        elif isinstance(value, list):
            for item in value:
                yield from strings(item)
    assert [text for example in examples(load_schema(name)) for text in strings(example) if text.strip() in ("", "...", "\u2026")] == []


VOCABULARIES = load_schema("vocabulary.schema.json")["$defs"]


@pytest.mark.parametrize("name", sorted(VOCABULARIES))
def test_every_vocabulary_labels_its_terms(name):
    spec = VOCABULARIES[name]
    labels = spec["x-labels"]
    assert list(labels) == list(spec.get("enum") or spec["x-terms"])  # every term, in the schema's order
    assert all(isinstance(label, str) and label.strip() == label and label for label in labels.values())
    if name == "category":  # the landscape's categories also carry their label beside their group
        assert labels == {term: entry["label"] for term, entry in spec["x-terms"].items()}


def test_labels_are_what_stakeholders_read():
    from mopsgov.render.schema_text import term_label

    assert [term_label(v, t) for v, t in [("mechanism", "api"), ("mechanism", "ipaas"), ("capability", "seo-audit"),
                                           ("capability", "abm-targeting"), ("platform-group", "interaction-engagement"),
                                           ("responsibility-area", "budgeting-financial-governance"), ("raci", "A/R")]] == [
        "API", "iPaaS", "SEO audit", "ABM targeting", "Interaction and engagement", "Budgeting and financial governance", "A/R"]


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


@pytest.mark.parametrize("name", NAMES)
def test_every_pattern_says_in_plain_words_what_it_asks_for(name):
    """A marketer reads "must be an id of lower-case letters ...", never the regular expression."""
    def walk(node):
        if isinstance(node, dict):
            if isinstance(node.get("pattern"), str):
                help_text = node.get("x-pattern-help")
                assert isinstance(help_text, str) and help_text and "^" not in help_text, node["pattern"]
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for item in node:
                walk(item)
    walk(load_schema(name))


def test_a_pattern_message_comes_from_the_schema():
    from mopsgov.validate.schema_compiler import Compiler, Context
    schemas = {"s.json": {"type": "object", "properties": {
        "code": {"type": "string", "pattern": "^[A-Z]{2}$", "x-pattern-help": "a two-letter country code such as DE"},
        "bare": {"type": "string", "pattern": "^x+$"}}}}
    check = Compiler(schemas.__getitem__).compile_file("s.json")
    ctx = Context(raw={})
    check({"code": "germany", "bare": "y"}, (), ctx)
    assert [(p.path, p.message) for p in ctx.problems] == [
        (("code",), 'must be a two-letter country code such as DE, got "germany"'),
        (("bare",), 'must be text matching ^x+$, got "y"')]


def _registry() -> Registry:
    return Registry().with_resources((name, Resource.from_contents(load_schema(name))) for name in NAMES)


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
    {"waivers": [{"id": "w", "name": "W", "rule": "a.b", "entity": "tool:*", "reason": "r", "approver": "cmo", "expires": "2027-01-01"}]},
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


# -- the schemas work from a folder: no $id, so relative $refs resolve next to the file read --------

@pytest.mark.parametrize("name", NAMES)
def test_schemas_have_no_id_and_refer_to_each_other_by_file_name(name):
    schema = load_schema(name)
    assert "$id" not in schema  # an $id would make editors and validators fetch the refs from its host

    def refs(node):
        if isinstance(node, dict):
            if isinstance(node.get("$ref"), str):
                yield node["$ref"]
            for value in node.values():
                yield from refs(value)
        elif isinstance(node, list):
            for value in node:
                yield from refs(value)
    for ref in refs(schema):
        target = ref.partition("#")[0]
        assert target == "" or target in NAMES, ref


EXAMPLE_FILES = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "examples").rglob("*.yaml"))
MODELINE = "# yaml-language-server: $schema="


def _modeline_schema(path: Path) -> Path:
    first = path.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(MODELINE), path
    return (path.parent / first[len(MODELINE):]).resolve()


@pytest.mark.parametrize("name", EXAMPLE_FILES)
def test_every_example_file_starts_with_a_modeline_to_the_schemas(name):
    wanted = "config.schema.json" if name.endswith("/mopsgov.yaml") and name.count("/") == 2 else "model.schema.json"
    assert _modeline_schema(ROOT / name) == (ROOT / "schemas" / wanted).resolve()


def _check_jsonschema(*args: str, cwd: Path):
    import subprocess

    checker = Path(sys.executable).with_name("check-jsonschema")
    # No network: a schema that pointed anywhere but the local folder could not be read.
    env = {**os.environ, "HTTP_PROXY": "http://127.0.0.1:9", "HTTPS_PROXY": "http://127.0.0.1:9", "NO_PROXY": ""}
    return subprocess.run([str(checker), *args], cwd=cwd, capture_output=True, text=True, timeout=120, env=env)


def test_check_jsonschema_validates_an_example_with_only_the_schemafile(tmp_path):
    example = ROOT / "examples" / "enterprise" / "stack" / "interaction-engagement.yaml"
    done = _check_jsonschema("--schemafile", str(_modeline_schema(example)), str(example), cwd=tmp_path)
    assert (done.returncode, done.stdout.strip()) == (0, "ok -- validation done"), done.stdout + done.stderr
    # the refs really were followed: a mistake inside a tool (tool.schema.json) is caught
    broken = tmp_path / "broken.yaml"
    broken.write_text(example.read_text(encoding="utf-8").replace("lifecycle: active", "lifecycle: live", 1), encoding="utf-8")
    done = _check_jsonschema("--schemafile", str(_modeline_schema(example)), str(broken), cwd=tmp_path)
    assert done.returncode == 1
    assert f"{broken}::$.tools[0].lifecycle: 'live' is not one of" in done.stdout, done.stdout + done.stderr


def test_written_schemas_resolve_their_refs_from_the_folder(tmp_path):
    out = tmp_path / "schemas"
    assert run_cli("schema", "--out", str(out)).returncode == 0

    def from_folder(uri: str) -> Resource:
        assert uri.startswith(out.as_uri() + "/"), uri  # nothing is fetched from anywhere else
        return Resource.from_contents(json.loads((out / uri.rsplit("/", 1)[1]).read_text(encoding="utf-8")))
    # Start from the file's own address, as an editor does: the relative $refs resolve beside it.
    validator = jsonschema.Draft202012Validator({"$ref": (out / "model.schema.json").as_uri()},
                                                registry=Registry(retrieve=from_folder))
    good = {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "active", "owner": "mops-manager"}]}
    assert list(validator.iter_errors(good)) == []
    bad = {"tools": [{"id": "crm", "name": "CRM", "category": "crm", "lifecycle": "live"}],
           "waivers": [{"id": "w", "name": "W", "rule": "a.b", "entity": "tool:crm", "reason": "r", "expires": "2027-01-01"}]}
    assert sorted((list(e.absolute_path), e.validator) for e in validator.iter_errors(bad)) == [
        (["tools", 0, "lifecycle"], "enum"), (["waivers", 0], "required")]
