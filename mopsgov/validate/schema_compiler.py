"""Compile a JSON Schema (the subset our schemas and policy conditions use) into checks.

Why not jsonschema at run time: `check` must stay close to the cost of a bare YAML load, and
jsonschema's per-value overhead and import time are several times that budget. The subset is
small and explicit; an unsupported keyword is an error at compile time, never silently
ignored, and the test suite cross-checks every verdict against jsonschema itself.

A compiled check is `check(value, path, ctx)`; it appends `Problem`s to `ctx.problems` and, for
fields marked `x-ref`, the references it sees to `ctx.refs`.
"""
from __future__ import annotations

import calendar
import datetime as dt
import difflib
import math
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Callable

from mopsgov.resources import load_schema

_OBJECT_WORDS = ("properties", "required", "additionalProperties", "patternProperties", "propertyNames",
                 "minProperties", "maxProperties")
_ARRAY_WORDS = ("items", "minItems", "maxItems", "uniqueItems", "contains")
ANNOTATIONS = frozenset({
    "$schema", "$id", "$comment", "$defs", "title", "description", "examples", "default",
    "deprecated", "readOnly", "writeOnly",
})
SUPPORTED = frozenset({
    "$ref", "type", "enum", "const", "pattern", "format", "minimum", "maximum", "exclusiveMinimum",
    "exclusiveMaximum", "minLength", "maxLength", "minItems", "maxItems", "uniqueItems", "minProperties",
    "maxProperties", "items", "contains", "properties", "patternProperties", "additionalProperties",
    "propertyNames", "required", "anyOf", "oneOf", "allOf", "not",
})

class SchemaError(Exception):
    """The schema uses something this compiler does not support."""


@dataclass(slots=True)
class Problem:
    path: tuple
    rule: str
    message: str  # about the value at path, without naming the field
    fix: str | None = None
    at_key: bool = False  # point at the key rather than the value


@dataclass(slots=True)
class Context:
    raw: dict = field(default_factory=dict)  # path -> source text of plain numbers/booleans
    open_terms: dict = field(default_factory=dict)  # open vocabulary name -> extra terms
    problems: list = field(default_factory=list)
    refs: list = field(default_factory=list)  # (path, id, kind, at_key)
    # kind -> ids already known (a model's entities): references to them are not collected, as
    # a large model names hundreds of thousands and only the unresolved ones are of interest.
    known: dict | None = None


Check = Callable[[object, tuple, Context], None]


def describe(value) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        shown = value if len(value) <= 60 else value[:57] + "..."
        return f'"{shown}"'
    if isinstance(value, (int, float)):
        return repr(value) if isinstance(value, float) and not math.isfinite(value) else f"{value:g}" if isinstance(value, float) else str(value)
    if isinstance(value, list):
        return "a list"
    return "a mapping"


_TYPE_WORDS = {
    "string": "text", "number": "a number", "integer": "a whole number", "boolean": "true or false",
    "array": "a list", "object": "a mapping of fields", "null": "empty",
}
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n"}
_EXACT_TYPES = {"string": (str,), "object": (dict,), "array": (list,), "boolean": (bool,), "null": (type(None),),
                "integer": (int,), "number": (int,)}


def _is_type(value, name: str) -> bool:
    if name == "string":
        return isinstance(value, str)
    if name == "object":
        return isinstance(value, dict)
    if name == "array":
        return isinstance(value, list)
    if name == "boolean":
        return isinstance(value, bool)
    if name == "null":
        return value is None
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    if name == "integer":
        return isinstance(value, int) or (math.isfinite(value) and value == int(value))
    return True  # number


_NUMBER_TEXT = re.compile(r"[-+]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][-+]?[0-9]+)?\Z")
_YAML11_TRUE = {"yes", "on", "y"}
_NULL_WORDS = {"null", "~"}


def _what_yaml_read(value) -> str:
    """How a message names the number or boolean YAML made of a plain value."""
    if isinstance(value, bool):
        return "a yes/no value, not as text"
    if isinstance(value, float) and math.isnan(value):
        return "the special value not-a-number (NaN), not as text"
    if isinstance(value, float) and math.isinf(value):
        return "an infinite number, not as text"
    return f"the number {describe(value)}"


def _date_from_digits(raw: str) -> str | None:
    """20270101 -> 2027-01-01, when the digits make a real date."""
    if not re.fullmatch(r"[0-9]{8}", raw):
        return None
    text = f"{raw[:4]}-{raw[4:6]}-{raw[6:]}"
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return None
    return text


def _type_fix(value, expected: list[str], raw: str | None, text: "TextRule | None" = None) -> tuple[str, str | None]:
    """The message tail and fix for a value of the wrong type, naming YAML's traps.

    raw is the source text of a plain value YAML turned into a number, boolean or null; text
    says what a string must look like here (its pattern, date format or values), when one is
    expected.
    """
    want = " or ".join(_TYPE_WORDS[t] for t in expected)
    if "string" in expected and text is not None and text.help:
        want = text.help if len(expected) == 1 else want
    if isinstance(value, float) and not math.isfinite(value) and {"number", "integer"} & set(expected):
        written = raw if raw is not None else describe(value)
        return (f"must be a finite number, but YAML reads {written} as {_what_yaml_read(value).removesuffix(', not as text')}",
                "Write a plain number, such as 1200.")
    if value is None:
        if raw is None or raw == "":
            return f"must be {want}, but it is empty", "Fill it in, or remove it."
        if "string" in expected and raw.lower() in _NULL_WORDS:
            return (f"must be {want}, but YAML reads {raw} as an empty value",
                    f'Fill it in, or remove it; to mean the word itself, quote it: "{raw}".')
        return f"must be {want}, but YAML reads {raw} as an empty value", "Fill it in, or remove it."
    if "string" in expected and raw is not None:
        if text is not None and text.is_date:
            date = _date_from_digits(raw)
            return (f"must be {want}, but YAML reads {raw} as {_what_yaml_read(value)}",
                    f"Write the date as {date}." if date else "Write the date as year-month-day, such as 2027-01-31.")
        if text is None or text.accepts(raw):
            return f"must be {want}, but YAML reads {raw} as {_what_yaml_read(value)}", f'Quote it: "{raw}".'
        return f"must be {want}, got {raw}", None
    if isinstance(value, str):
        if "boolean" in expected:
            lowered = value.lower()
            if lowered in ("true", "false"):
                return (f"must be {want}, but it is written in quotes, which makes it text",
                        f"Remove the quotes: {lowered}.")
            if lowered in _YAML11_BOOLS:
                word = "true" if lowered in _YAML11_TRUE else "false"
                return (f"must be {want}, got {describe(value)}, which YAML reads as text",
                        f"Write {word} instead of {value}.")
            return f"must be {want}, got {describe(value)}", "Write true or false."
        if {"number", "integer"} & set(expected):
            if _NUMBER_TEXT.match(value.strip()):
                return (f"must be {want}, but it is written in quotes, which makes it text",
                        f"Remove the quotes: {value.strip()}.")
            digits = re.sub(r"[\s,'_]", "", value)
            example = f" such as {digits}" if re.fullmatch(r"[0-9]+(\.[0-9]+)?", digits) and digits != value else ""
            return f"must be {want}, got {describe(value)}", f"Write a plain number{example}, without units, currency signs or separators."
        if "array" in expected and len(value) <= 60:
            return f"must be {want}, got {describe(value)}", f"Write it as a list, such as [{value}]."
        return f"must be {want}, got {describe(value)}", None
    if isinstance(value, list) and "string" in expected and len(value) == 1 and isinstance(value[0], str):
        return f"must be {want}, got a list", f"Write it without the brackets: {value[0]}."
    return f"must be {want}, got {describe(value)}", None


def suggest(word: str, choices) -> str | None:
    """The choice closest to word, ignoring case and `_`/`-`/space/camelCase differences; None if none is close."""
    if not isinstance(word, str):
        return None
    by_key: dict[str, str] = {}
    for choice in choices:
        if isinstance(choice, str):
            by_key.setdefault(choice.lower(), choice)
    lowered = word.lower()
    normal = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", word).lower()
    for candidate in (lowered, normal, normal.replace("_", "-").replace(" ", "-"), normal.replace("-", "_").replace(" ", "_")):
        if candidate in by_key:
            return by_key[candidate]
    close = difflib.get_close_matches(lowered, list(by_key), n=1, cutoff=0.6)
    return by_key[close[0]] if close else None


@dataclass(frozen=True, slots=True)
class TextRule:
    """What a string must look like where a schema expects one: for messages about other types."""
    help: str | None  # "a date written YYYY-MM-DD", "an id of lower-case letters ..."; None for any text
    checks: tuple  # the string checks of the schema (pattern, date, enum, length)
    is_date: bool = False

    def accepts(self, text: str) -> bool:
        trial = Context()
        for check in self.checks:
            check(text, (), trial)
        return not trial.problems


class Compiler:
    """Compiles schemas that may `$ref` each other by file name (`tool.schema.json#/...`)."""

    def __init__(self, loader: Callable[[str], dict] = load_schema):
        self.loader = loader
        self.cache: dict = {}

    def compile_file(self, name: str) -> Check:
        return self._compile_ref(name, "")

    def compile(self, schema, base: str = "") -> Check:
        if schema is True or schema == {}:
            return _accept
        if schema is False:
            return _reject
        if not isinstance(schema, dict):
            raise SchemaError(f"a schema must be a mapping, got {describe(schema)}")
        unknown = [k for k in schema if k not in SUPPORTED and k not in ANNOTATIONS and not k.startswith("x-")]
        if unknown:
            raise SchemaError(f"unsupported JSON Schema keyword '{unknown[0]}'")
        checks: list[Check] = []
        if "$ref" in schema:
            target, _, pointer = schema["$ref"].partition("#")
            checks.append(self._lazy_ref(target or base, pointer))
        scalars = self._scalars(schema)
        checks += scalars
        if "x-open-vocabulary" in schema:
            checks.append(_open_vocabulary(schema["x-open-vocabulary"], schema.get("x-terms", {})))
        if "x-ref" in schema:
            checks.append(_reference(schema["x-ref"]))
        if any(k in schema for k in _OBJECT_WORDS):
            checks.append(self._object(schema, base))
        if any(k in schema for k in _ARRAY_WORDS):
            checks.append(self._array(schema, base))
        for word in ("anyOf", "oneOf"):
            if word in schema:
                checks.append(self._any_of([self.compile(s, base) for s in schema[word]], schema[word], word == "oneOf"))
        checks += [self.compile(sub, base) for sub in schema.get("allOf", [])]
        if "not" in schema:
            checks.append(self._not(self.compile(schema["not"], base)))
        return _all(self._type(schema, _text_rule(schema, scalars)) if "type" in schema else None, checks)

    # -- building blocks -------------------------------------------------------------------
    def _lazy_ref(self, target: str, pointer: str) -> Check:
        box: list = []

        def check(value, path, ctx):
            if not box:
                box.append(self._compile_ref(target, pointer))
            box[0](value, path, ctx)
        return check

    def _compile_ref(self, target: str, pointer: str) -> Check:
        key = (target, pointer)
        if key not in self.cache:
            self.cache[key] = None  # recursion guard: filled below
            document = self.loader(target)
            node = document
            for part in [p for p in pointer.split("/") if p]:
                node = node[part.replace("~1", "/").replace("~0", "~")]
            self.cache[key] = self.compile(node, target)
        compiled = self.cache[key]
        if compiled is None:
            return lambda value, path, ctx: self.cache[key](value, path, ctx)
        return compiled

    def _type(self, schema, text: TextRule | None) -> Check:
        expected = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
        # Fast path: values of these exact classes pass without further thought (floats, which
        # may be non-finite or stand for an integer, and subclasses take the full path).
        exact = frozenset(t for name in expected for t in _EXACT_TYPES.get(name, ()))

        def check(value, path, ctx):
            if type(value) in exact:
                return
            for name in expected:
                if _is_type(value, name):
                    if isinstance(value, float) and not math.isfinite(value):
                        break
                    return
            message, fix = _type_fix(value, expected, ctx.raw.get(path), text)
            ctx.problems.append(Problem(path, "schema.type", message, fix))
            return False
        return check

    def _scalars(self, schema) -> list[Check]:
        checks: list[Check] = []
        if "enum" in schema:
            options = list(schema["enum"])
            shown = ", ".join(str(o) for o in options[:12]) + (", ..." if len(options) > 12 else "")

            def enum(value, path, ctx):
                if any(value == o and type(value) is type(o) or (value == o and not isinstance(value, bool) and not isinstance(o, bool) and isinstance(o, (int, float)) and isinstance(value, (int, float))) for o in options):
                    return
                guess = suggest(value, [o for o in options if isinstance(o, str)])
                hint = f' Did you mean "{guess}"?' if guess else ""
                ctx.problems.append(Problem(path, "schema.value", f"must be one of: {shown}; got {describe(value)}",
                                            f"Use one of the listed values.{hint}"))
            checks.append(enum)
        if "const" in schema:
            const = schema["const"]

            def const_check(value, path, ctx):
                if not (value == const and type(value) is type(const)):
                    ctx.problems.append(Problem(path, "schema.value", f"must be {describe(const)}, got {describe(value)}"))
            checks.append(const_check)
        if "pattern" in schema:
            checks.append(_pattern(schema))
        if schema.get("format") == "date":
            checks.append(_date)
        bounds = [(k, schema[k]) for k in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum") if k in schema]
        if bounds:
            checks.append(_bounds(bounds))
        if "minLength" in schema or "maxLength" in schema:
            checks.append(_length(schema.get("minLength", 0), schema.get("maxLength")))
        return checks

    def _object(self, schema, base: str) -> Check:
        properties = {k: self.compile(v, base) for k, v in schema.get("properties", {}).items()}
        patterns = [(re.compile(p), self.compile(v, base)) for p, v in schema.get("patternProperties", {}).items()]
        additional = schema.get("additionalProperties", True)
        extra = None if additional is False else self.compile(additional, base)
        required = [(name, _missing_fix(name, schema.get("properties", {}).get(name))) for name in schema.get("required", [])]
        names = self.compile(schema["propertyNames"], base) if "propertyNames" in schema else None
        min_props = schema.get("minProperties")
        known = list(properties)

        def check(value, path, ctx):
            if not isinstance(value, dict):
                return
            for name, fix in required:
                if name not in value:
                    ctx.problems.append(Problem(path, "schema.missing-field", f'is missing the required field "{name}"', fix))
            if min_props is not None and len(value) < min_props:
                ctx.problems.append(Problem(path, "schema.value", f"must have at least {min_props} entr{'y' if min_props == 1 else 'ies'}"))
            for key, item in value.items():
                sub = path + (key,)
                if names is not None:
                    before, before_refs = len(ctx.problems), len(ctx.refs)
                    names(key, sub, ctx)
                    for problem in ctx.problems[before:]:
                        problem.at_key = True
                    for i in range(len(ctx.refs) - 1, before_refs - 1, -1):
                        if ctx.refs[i][0] == sub and not ctx.refs[i][3]:
                            ctx.refs[i] = (sub, key, ctx.refs[i][2], True)
                            break
                validator = properties.get(key)
                if validator is not None:
                    validator(item, sub, ctx)
                    continue
                matched = False
                for regex, pattern_check in patterns:
                    if regex.search(key):
                        pattern_check(item, sub, ctx)
                        matched = True
                if matched:
                    continue
                if extra is None:
                    guess = suggest(key, known)
                    hint = f'Did you mean "{guess}"? ' if guess else ""
                    ctx.problems.append(Problem(sub, "schema.unknown-field", f'is not a field mopsgov knows',
                                                f"{hint}Fields of your own go under a name starting with x-, such as x-{key}.",
                                                at_key=True))
                else:
                    extra(item, sub, ctx)
        return check

    def _array(self, schema, base: str) -> Check:
        items = self.compile(schema["items"], base) if "items" in schema else None
        min_items, max_items = schema.get("minItems"), schema.get("maxItems")
        unique = schema.get("uniqueItems", False)
        contains = self.compile(schema["contains"], base) if "contains" in schema else None

        def check(value, path, ctx):
            if not isinstance(value, list):
                return
            if min_items is not None and len(value) < min_items:
                ctx.problems.append(Problem(path, "schema.value", f"must list at least {min_items} item{'s' if min_items != 1 else ''}"))
            if max_items is not None and len(value) > max_items:
                ctx.problems.append(Problem(path, "schema.value", f"must list at most {max_items} item{'s' if max_items != 1 else ''}"))
            before = len(ctx.problems)
            if items is not None:
                for index, item in enumerate(value):
                    items(item, path + (index,), ctx)
            if unique:
                # an item already reported (an empty or mistyped value) is not reported again as repeated
                reported = {p.path for p in ctx.problems[before:]}
                seen: dict = {}
                for index, item in enumerate(value):
                    marker = _hashable(item)
                    if marker in seen and path + (index,) not in reported:
                        ctx.problems.append(Problem(path + (index,), "schema.value",
                                                    f"lists {describe(item)} a second time", "Remove the repeated entry."))
                    else:
                        seen[marker] = index
            if contains is not None and not any(_passes(contains, item, path + (i,), ctx) for i, item in enumerate(value)):
                ctx.problems.append(Problem(path, "schema.value", "has no item of the required form"))
        return check

    def _any_of(self, compiled: list[Check], schemas: list, exactly_one: bool) -> Check:
        def check(value, path, ctx):
            outcomes = []
            for validator, schema in zip(compiled, schemas):
                trial = Context(ctx.raw, ctx.open_terms, known=ctx.known)
                validator(value, path, trial)
                outcomes.append((trial, schema))
            passing = [t for t, _ in outcomes if not t.problems]
            if passing and (not exactly_one or len(passing) == 1):
                ctx.refs.extend(passing[0].refs)
                return
            if exactly_one and len(passing) > 1:
                ctx.problems.append(Problem(path, "schema.value", "matches more than one of the allowed forms"))
                return
            # Lead with the branch whose type fits: its problems explain the value best.
            fitting = [t for t, s in outcomes if not any(p.rule == "schema.type" and p.path == path for p in t.problems)]
            if fitting:
                best = min(fitting, key=lambda t: len(t.problems))
                ctx.problems.extend(best.problems)
                return
            words = []
            for _, schema in outcomes:
                for name in _types_of(schema):
                    if _TYPE_WORDS.get(name) and _TYPE_WORDS[name] not in words:
                        words.append(_TYPE_WORDS[name])
            if words:
                ctx.problems.append(Problem(path, "schema.type", f"must be {' or '.join(words)}, got {describe(value)}"))
            else:
                ctx.problems.extend(outcomes[0][0].problems)
        return check

    def _not(self, inner: Check) -> Check:
        def check(value, path, ctx):
            if _passes(inner, value, path, ctx):
                ctx.problems.append(Problem(path, "schema.value", f"must not be {describe(value)}"))
        return check


def _missing_fix(name: str, spec) -> str:
    """`Add approver, the role that approved the waiver, such as approver: cmo.`, from the schema."""
    spec = spec if isinstance(spec, dict) else {}
    description = spec.get("description")
    examples = [e for e in spec.get("examples", []) if isinstance(e, (str, int, float)) and not isinstance(e, bool)]
    if not isinstance(description, str) or not description:
        return f"Add {name}: to it."
    what = (description[0].lower() if not description.split()[0].isupper() else description[0]) + description[1:].rstrip(".")
    return f"Add {name}, {what}" + (f", such as {name}: {examples[0]}." if examples else ".")


def _types_of(schema) -> list[str]:
    if not isinstance(schema, dict):
        return []
    if "type" in schema:
        return schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if "enum" in schema or "$ref" in schema:
        return ["string"]
    return []


def _passes(check: Check, value, path, ctx: Context) -> bool:
    trial = Context(ctx.raw, ctx.open_terms, known=ctx.known)
    check(value, path, trial)
    return not trial.problems


class _Close:
    """Marks where _hashable has read every child of a list (keys None) or mapping."""

    __slots__ = ("keys", "count")

    def __init__(self, keys, count: int):
        self.keys, self.count = keys, count


def _hashable(value):
    """A hashable stand-in, equal where the values are equal (true apart from 1). Iterative: the
    data may nest as deep as limits.max_depth allows, beyond Python's recursion limit."""
    done: list = []
    todo: list = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, _Close):
            parts = done[len(done) - item.count:]
            del done[len(done) - item.count:]
            done.append(("list", tuple(parts)) if item.keys is None else ("map", tuple(sorted(zip(item.keys, parts)))))
        elif isinstance(item, dict):
            todo.append(_Close(list(item), len(item)))
            todo.extend(reversed(list(item.values())))
        elif isinstance(item, list):
            todo.append(_Close(None, len(item)))
            todo.extend(reversed(item))
        else:
            done.append((type(item).__name__ if isinstance(item, bool) else "v", item))
    return done[0]


def _accept(value, path, ctx):
    return None


def _reject(value, path, ctx):
    ctx.problems.append(Problem(path, "schema.value", "is not allowed here"))


def _all(type_check: Check | None, checks: list[Check]) -> Check:
    if type_check is None:
        if not checks:
            return _accept
        if len(checks) == 1:
            return checks[0]

        def run_all(value, path, ctx):
            for check in checks:
                check(value, path, ctx)
        return run_all

    def run_typed(value, path, ctx):
        if type_check(value, path, ctx) is False:
            return  # a value of the wrong type gets one message, not a cascade
        for check in checks:
            check(value, path, ctx)
    return run_typed


def _pattern_help(schema: dict) -> str:
    """What a pattern asks for in plain words: the schema's `x-pattern-help` beside it."""
    return schema.get("x-pattern-help") or f"text matching {schema['pattern']}"


DATE_HELP = "a date written YYYY-MM-DD"


def _text_rule(schema: dict, scalars: list[Check]) -> TextRule | None:
    types = schema["type"] if isinstance(schema["type"], list) else [schema["type"]]
    if "string" not in types:
        return None
    if schema.get("format") == "date":
        return TextRule(DATE_HELP, tuple(scalars), is_date=True)
    return TextRule(_pattern_help(schema) if "pattern" in schema else None, tuple(scalars))


def _pattern(schema: dict) -> Check:
    pattern = schema["pattern"]
    regex = re.compile(pattern)
    help_text = _pattern_help(schema)

    def check(value, path, ctx):
        if isinstance(value, str) and not regex.search(value):
            fix = None
            if pattern == "^[a-z0-9]+(-[a-z0-9]+)*$":
                plain = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode()  # café -> cafe
                slug = re.sub(r"[^a-z0-9]+", "-", plain.lower()).strip("-")
                fix = f'Write it as "{slug}".' if slug else None
            else:  # eur -> EUR, EU -> eu
                fix = next((f'Write it as "{c}".' for c in (value.strip().upper(), value.strip().lower()) if regex.search(c)), None)
            ctx.problems.append(Problem(path, "schema.value", f"must be {help_text}, got {describe(value)}", fix))
    return check


def _date(value, path, ctx):
    if not isinstance(value, str):
        return
    try:
        if len(value) != 10:
            raise ValueError
        dt.date.fromisoformat(value)
    except ValueError:
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):  # the shape is right: no such day
            ctx.problems.append(Problem(path, "schema.value", f"must be a date in the calendar, but {value} does not exist",
                                        _no_such_day(value)))
            return
        ctx.problems.append(Problem(path, "schema.value", f"must be {DATE_HELP}, got {describe(value)}",
                                    "Write the date as year-month-day, such as 2027-01-31."))


def _no_such_day(value: str) -> str:
    year, month, _ = (int(part) for part in value.split("-"))
    if year == 0:
        return "There is no year 0: write the year in full, such as 2027."
    if not 1 <= month <= 12:
        return "Write the date as year-month-day, such as 2027-01-31: the month comes second."
    days = calendar.monthrange(year, month)[1]
    return f"{calendar.month_name[month]} {year} has {days} days; check the day."


def _bounds(bounds) -> Check:
    def check(value, path, ctx):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return
        for word, limit in bounds:
            if word == "minimum" and value < limit:
                ctx.problems.append(Problem(path, "schema.value", f"must be at least {limit}, got {describe(value)}"))
            elif word == "maximum" and value > limit:
                ctx.problems.append(Problem(path, "schema.value", f"must be at most {limit}, got {describe(value)}"))
            elif word == "exclusiveMinimum" and value <= limit:
                ctx.problems.append(Problem(path, "schema.value", f"must be more than {limit}, got {describe(value)}"))
            elif word == "exclusiveMaximum" and value >= limit:
                ctx.problems.append(Problem(path, "schema.value", f"must be less than {limit}, got {describe(value)}"))
    return check


def _length(minimum: int, maximum: int | None) -> Check:
    def check(value, path, ctx):
        if not isinstance(value, str):
            return
        if len(value) < minimum:
            ctx.problems.append(Problem(path, "schema.value", "must not be empty" if minimum == 1 else f"must be at least {minimum} characters long"))
        if maximum is not None and len(value) > maximum:
            ctx.problems.append(Problem(path, "schema.value", f"must be at most {maximum} characters long"))
    return check


def _open_vocabulary(name: str, terms: dict) -> Check:
    built_in = set(terms)

    def check(value, path, ctx):
        if not isinstance(value, str) or value in built_in or value in ctx.open_terms.get(name, ()):
            return
        guess = suggest(value, built_in | set(ctx.open_terms.get(name, ())))
        hint = f'Did you mean "{guess}"? If not, add' if guess else "Add"
        ctx.problems.append(Problem(path, "vocabulary.unknown-term", f'is "{value}", which is not among the known {name}',
                                    f"{hint} it under vocabulary.{name} in mopsgov.yaml."))
    return check


def _reference(kind: str) -> Check:
    def check(value, path, ctx):
        if isinstance(value, str) and (ctx.known is None or value not in ctx.known[kind]):
            ctx.refs.append((path, value, kind, False))
    return check
