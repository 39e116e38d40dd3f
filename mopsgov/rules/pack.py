"""Load policy packs: YAML files of rules, read as plain data and checked before anything runs.

A pack file is read with mopsgov's own YAML reader (no tags, no constructors: a
`!!python/object` tag is a finding, never an object), validated against
`schemas/policy-pack.schema.json`, and each rule is then compiled: its JSON Schema conditions
with the same compiler as the model schemas, its predicate looked up by name in the registry,
its message split into literal text and `{name}` fields. A rule with any problem is left out and
reported with the position of the problem; the other rules of the pack still load.
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mopsgov.finding import Finding, Location, Severity
from mopsgov.load.model_loader import YAML_SUFFIXES
from mopsgov.load.source import DISK, FileSource
from mopsgov.load.yaml_reader import Limits, ParsedFile
from mopsgov.model import Entity
from mopsgov.resources import data_dir, schema_names
from mopsgov.rules.conditions import Test, as_test
from mopsgov.rules.option_values import option_problems
from mopsgov.rules.registry import PREDICATES, Predicate, lookup
from mopsgov.rules.schema_fields import shown_fields
from mopsgov.rules.templates import Template, TemplateError, compile_template
from mopsgov.validate import field_label, json_path
from mopsgov.validate.schema_compiler import Check, Compiler, Context, SchemaError, suggest

BUILTIN = "builtin"
PACK_SCHEMA = "policy-pack.schema.json"
TESTS_FOLDER = "tests"  # beside a pack's rules: the fixtures `mopsgov policy test` runs
BASE_VALUES = ("entity", "id", "name", "kind", "rule", "title")  # every message may use these
SCHEMA_VALUES = ("field", "problem", "value")  # what a schema assertion reports about each mismatch
# A `$ref` in a condition may only point into the shipped schemas' definitions.
_REF = re.compile(r"([a-z-]+\.schema\.json)#/\$defs/[a-z0-9-]+\Z")
# Nested quantifiers such as (a+)+ can take exponential time on a crafted value.
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)\s*[+*{]")
_MAX_PATTERN = 300
# Values a compiled condition is tried on once, so a broken fragment fails at load, not mid-check.
_PROBES = (None, True, 0, 1.5, "", "x", [], [1, "a"], {}, {"a": 1, "b": [None]})


@dataclass(frozen=True, slots=True)
class OptionSpec:
    name: str
    default: object
    description: str


@dataclass(eq=False)
class Rule:
    id: str
    title: str
    severity: Severity
    enabled: bool
    rationale: str
    remediation: Template
    message: Template
    pack: str
    source: ParsedFile
    path: tuple  # of the rule inside its pack file
    kind: str | None = None
    where: Test | None = None  # the selector filter: entity data -> selected?
    schema: Check | None = None
    predicate: Predicate | None = None
    options: dict[str, OptionSpec] = field(default_factory=dict)
    data: dict = field(default_factory=dict)  # the rule as written
    value_names: frozenset = frozenset()  # the {name} fields its message and remediation show

    def location(self, *relative, key: bool = False) -> Location:
        return self.source.location(self.path + relative, key=key)

    def defaults(self) -> dict:
        base = dict(self.predicate.options) if self.predicate else {}
        return {**base, **{name: spec.default for name, spec in self.options.items()}}

    @property
    def assertion(self) -> str:
        return f"predicate {self.predicate.name}" if self.predicate else "JSON Schema"


@lru_cache(maxsize=None)
def _pack_check():
    return Compiler().compile_file(PACK_SCHEMA)


def _finding(rule: str, message: str, location: Location | None, fix: str | None = None, severity=Severity.ERROR) -> Finding:
    return Finding(rule, severity, message, location, fix=fix)


def pack_files(entry: str, root: Path | None, root_display: str = "",
               source: FileSource = DISK) -> tuple[list[tuple[Path, str]], str]:
    """The files of one `policies.packs` entry and the pack's default name; empty when missing.

    Custom packs are read through `source` (the disk, or the commit a model was read from)."""
    if entry == BUILTIN:
        folder = data_dir("policies") / BUILTIN
        return [(p, f"{BUILTIN}/{p.name}") for p in sorted(folder.iterdir()) if p.suffix in YAML_SUFFIXES and p.is_file()], BUILTIN
    base = Path(entry) if root is None else root / entry
    display = os.path.normpath(entry if root is None or root_display in ("", ".") else os.path.join(root_display, entry))
    if source.is_dir(base):
        files = [p for p in source.files(base) if p.suffix in YAML_SUFFIXES and not p.name.startswith(".")]
        return [(p, os.path.join(display, p.name)) for p in files], source.folder_name(base)
    if source.is_file(base):
        return [(base, display)], base.stem
    return [], base.name


_CACHE: dict = {}


def load_pack_file(fs_path: Path, display: str, default_name: str,
                   source: FileSource = DISK) -> tuple[list[Rule], list[Finding]]:
    """The rules of one pack file and the findings about it (cached while the file is unchanged)."""
    version = source.version(fs_path)
    key = None if version is None else (*version, display, default_name)
    if key is not None and key in _CACHE:
        return _CACHE[key]
    result = _load_pack_file(source.read(fs_path, display, Limits()), display, default_name)
    if key is not None:
        _CACHE[key] = result
    return result


def _load_pack_file(source: ParsedFile, display: str, default_name: str) -> tuple[list[Rule], list[Finding]]:
    findings = list(source.findings)
    if any(f.severity == Severity.ERROR for f in findings) or not isinstance(source.data, dict):
        if not findings:
            findings.append(_finding("policy.invalid", "the policy pack is empty", Location(display, 1, 1)))
        findings.append(_finding("policy.rejected", "the policy pack is not loaded: fix the problems reported in it first",
                                 Location(display, 1, 1)))
        return [], findings
    ctx = Context(raw=source.raw)
    _pack_check()(source.data, (), ctx)
    broken_rules: set[int] = set()
    for problem in ctx.problems:
        path = problem.path
        if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
            broken_rules.add(path[1])
            subject = _rule_subject(source.data, path)
        else:
            subject = f'"{field_label(source.data, path)}"' if path else "the policy pack"
        findings.append(_finding("policy.invalid", f"{subject} {problem.message}",
                                 source.location(path, key=problem.at_key), fix=problem.fix))
    if any(not (len(p.path) >= 2 and p.path[0] == "rules") for p in ctx.problems):
        return [], findings
    pack = source.data.get("pack") if isinstance(source.data.get("pack"), str) else default_name
    rules = []
    for index, data in enumerate(source.data["rules"]):
        if index in broken_rules:
            continue
        rule, problems = _compile_rule(data, source, ("rules", index), pack)
        findings += problems
        if rule is not None:
            rules.append(rule)
    return rules, findings


def _rule_subject(data: dict, path: tuple) -> str:
    rule = data["rules"][path[1]]
    name = f'rule "{rule["id"]}"' if isinstance(rule, dict) and isinstance(rule.get("id"), str) else f"rule number {path[1] + 1}"
    rest = path[2:]
    return f'{name}: "{field_label(rule, rest)}"' if rest else name


def _compile_rule(data: dict, source: ParsedFile, path: tuple, pack: str) -> tuple[Rule | None, list[Finding]]:
    problems: list[Finding] = []

    def problem(rule_id: str, message: str, where: tuple, fix: str | None = None, key: bool = False):
        problems.append(_finding(rule_id, f'rule "{data["id"]}": {message}', source.location(path + where, key=key), fix))

    assertion = data["assert"]
    given = [k for k in ("schema", "predicate") if k in assertion]
    if len(given) != 1:
        problem("policy.invalid", "assert must give exactly one of schema or predicate" + (", not both" if given else ""),
                ("assert",), "Write assert: with schema: (a JSON Schema fragment) or predicate: (a registered name).")
    predicate = None
    if "predicate" in assertion:
        predicate = lookup(assertion["predicate"])
        if predicate is None:
            guess = suggest(assertion["predicate"], PREDICATES)
            problem("policy.unknown-predicate", f'predicate "{assertion["predicate"]}" is not registered in mopsgov',
                    ("assert", "predicate"),
                    f'Did you mean "{guess}"?' if guess else "Run mopsgov rules --predicates for the list; new predicates come from installed plugins only.")
    kind = data.get("select", {}).get("kind")
    if predicate is not None and predicate.scope == "entity" and kind is None:
        problem("policy.invalid", f'predicate "{predicate.name}" looks at one entity at a time: the rule needs select: with a kind',
                ("assert", "predicate"), "Add select: {kind: ...}.")
    if predicate is None and "schema" in assertion and kind is None:
        problem("policy.invalid", "a schema assertion needs select: with the kind of entity it checks", ("assert",),
                "Add select: {kind: ...}.")
    where = _condition(data.get("select", {}), "where", path + ("select",), problem)
    where = as_test(data["select"]["where"], where) if where is not None else None
    schema = _condition(assertion, "schema", path + ("assert",), problem)
    options = {name: OptionSpec(name, spec["default"], spec["description"]) for name, spec in data.get("options", {}).items()}
    if predicate is not None:
        values = dict(predicate.options)  # the option values the rule runs with, where their type is right
        for name, spec in options.items():
            if name not in predicate.options:
                guess = suggest(name, predicate.options)
                problem("policy.unknown-option", f'predicate "{predicate.name}" has no option "{name}"', ("options", name),
                        f'Did you mean "{guess}"?' if guess else f"Its options: {', '.join(predicate.options) or 'none'}.", key=True)
            elif not same_type(spec.default, predicate.options[name]):
                problem("policy.option-type", f'option "{name}" must be {type_word(predicate.options[name])}', ("options", name, "default"))
            else:
                values[name] = spec.default
        for name, wrong in option_problems(predicate.allowed, values, kind).items():
            if name in options:
                problem("policy.option-type", f'option "{name}" {wrong.message}', ("options", name, "default") + wrong.at, wrong.fix)
            else:  # the predicate's default does not suit this rule (a field the selected kind lacks)
                problem("policy.option-type", f'option "{name}" {wrong.message} (the default of predicate {predicate.name})',
                        ("assert", "predicate"), wrong.fix or f"Set it under options: {name}: {{default: ..., description: ...}}.")
    templates = {}
    for word in ("message", "remediation"):
        try:
            templates[word] = compile_template(data[word])
        except TemplateError as exc:
            problem("policy.template", f"{word}: {exc}", (word,), "Write {name} with a plain name, such as {entity}.")
            continue
        if "schema" in assertion and kind is not None:  # a predicate documents its own values
            shown, groups = shown_fields(kind)
            known = set(BASE_VALUES) | set(SCHEMA_VALUES) | set(options) | shown
            for name in templates[word].names:
                if name in groups:
                    problem("policy.template", f"{word}: {{{name}}} is a group of fields, which a message cannot show",
                            (word,), "Messages show text, numbers and lists of them; {field} and {value} show the field "
                            "the schema assertion points at.")
                elif name not in known:
                    guess = suggest(name, known)
                    problem("policy.template", f"{word}: {{{name}}} names no value this rule has",
                            (word,), f"Did you mean {{{guess}}}?" if guess else f"Values: {', '.join(sorted(known))}.")
    if problems:
        return None, problems
    rule = Rule(data["id"], data["title"], Severity.parse(data["severity"]), data.get("enabled", True), data["rationale"],
                templates["remediation"], templates["message"], pack, source, path, kind, where, schema, predicate, options, data,
                frozenset(templates["message"].names) | frozenset(templates["remediation"].names))
    return rule, problems


def _condition(holder: dict, word: str, path: tuple, problem) -> Check | None:
    if word not in holder:
        return None
    fragment = holder[word]
    relative = path[2:] + (word,)
    trouble = _unsafe(fragment)
    if trouble:
        problem("policy.condition", f"{word}: {trouble[1]}", relative + trouble[0])
        return None
    try:
        check = Compiler().compile(fragment)
        for probe in _PROBES:
            check(probe, (), Context())
    except SchemaError as exc:
        problem("policy.condition", f"{word}: {exc}", relative,
                "Conditions use the JSON Schema keywords listed in docs/policies.md; for more, use a predicate.")
        return None
    except Exception as exc:  # a fragment of the wrong shape, such as required: 5
        problem("policy.condition", f"{word}: the JSON Schema fragment is malformed ({type(exc).__name__}: {exc})", relative)
        return None
    return check


_NUMBER_WORDS = frozenset({"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"})
_COUNT_WORDS = frozenset({"minLength", "maxLength", "minItems", "maxItems", "minProperties", "maxProperties"})
_SCHEMA_WORDS = frozenset({"items", "not", "contains", "additionalProperties", "propertyNames"})
_SCHEMA_MAPS = frozenset({"properties", "patternProperties", "$defs"})
_SCHEMA_LISTS = frozenset({"anyOf", "oneOf", "allOf"})
_TYPE_NAMES = frozenset({"string", "number", "integer", "boolean", "array", "object", "null"})


def _is_number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _argument_problem(key: str, value) -> str | None:
    """What is wrong with a keyword's argument, for the keywords whose argument is not a schema."""
    if key in _NUMBER_WORDS and not _is_number(value):
        return "must be a number"
    if key in _COUNT_WORDS and not (isinstance(value, int) and not isinstance(value, bool) and value >= 0):
        return "must be a whole number, 0 or more"
    if key == "uniqueItems" and not isinstance(value, bool):
        return "must be true or false"
    if key == "required" and not (isinstance(value, list) and all(isinstance(v, str) for v in value)):
        return "must be a list of field names"
    if key == "enum" and not isinstance(value, list):
        return "must be a list of values"
    if key == "type" and not (isinstance(value, str) and value in _TYPE_NAMES or isinstance(value, list) and value and all(isinstance(v, str) and v in _TYPE_NAMES for v in value)):
        return f"must be one of {', '.join(sorted(_TYPE_NAMES))}, or a list of them"
    if key in ("pattern", "format") and not isinstance(value, str):
        return "must be text"
    if key == "pattern":
        risk = _risky(value)
        return f'"{value}" {risk}' if risk else None
    if key == "$ref":
        match = _REF.match(value) if isinstance(value, str) else None
        if not match or match.group(1) not in schema_names():
            return f'"{value}" may only point at a definition of a mopsgov schema, such as vocabulary.schema.json#/$defs/lifecycle'
    return None


def _unsafe(node, trail: tuple = ()) -> tuple[tuple, str] | None:
    """The first thing in a condition that is malformed, could read files, or could take unbounded time."""
    if isinstance(node, bool):
        return None
    if not isinstance(node, dict):
        return trail, "a condition must be a JSON Schema: a mapping of keywords, or true/false"
    for key, value in node.items():
        at = trail + (key,)
        problem = _argument_problem(key, value)
        if problem:
            return at, f"{key} {problem}"
        found = None
        if key in _SCHEMA_WORDS:
            found = _unsafe(value, at)
        elif key in _SCHEMA_MAPS:
            if not isinstance(value, dict):
                return at, f"{key} must be a mapping of names to schemas"
            for name, sub in value.items():
                risk = _risky(name) if key == "patternProperties" else None
                if risk:
                    return at + (name,), f'the pattern "{name}" {risk}'
                found = found or _unsafe(sub, at + (name,))
        elif key in _SCHEMA_LISTS:
            if not (isinstance(value, list) and value):
                return at, f"{key} must be a list of schemas"
            for index, sub in enumerate(value):
                found = found or _unsafe(sub, at + (index,))
        if found:
            return found
    return None


def _risky(pattern: str) -> str | None:
    if len(pattern) > _MAX_PATTERN:
        return f"is longer than {_MAX_PATTERN} characters"
    if _NESTED_QUANTIFIER.search(pattern):
        return "repeats a repeated group, which can take exponential time; simplify it"
    try:
        re.compile(pattern)
    except re.error as exc:
        return f"is not a valid regular expression ({exc})"
    return None


def same_type(value, default) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(value, bool) and isinstance(default, bool)
    if isinstance(default, (int, float)):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))


def type_word(default) -> str:
    if isinstance(default, bool):
        return "true or false"
    if isinstance(default, (int, float)):
        return "a number"
    return "a list" if isinstance(default, list) else "text"


def entity_values(entity: Entity | None) -> dict:
    if entity is None:
        return {}
    return {"entity": entity.label(), "id": entity.id, "name": entity.name, "kind": entity.kind}


def violation_path(entity: Entity, relative: tuple) -> str:
    return json_path(entity.path + tuple(relative))
