"""What a predicate's options accept beyond their type: a kind, a field of a schema, a range, a term.

A predicate declares them when it registers (`@predicate(..., allowed={"kind": Kind()})`). They
are checked when a pack is compiled (the rule's defaults) and when mopsgov.yaml sets an option,
so a misspelt value (`kind: rol`, `field: deadlin`, `max_steps: -1`) is a `policy.option-type`
finding at its line, with "did you mean", never a rule that silently reports nothing.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from mopsgov.model import KINDS
from mopsgov.resources import load_schema
from mopsgov.rules.schema_fields import OWN_FIELD, resolve
from mopsgov.rules.templates import show
from mopsgov.validate.schema_compiler import suggest

@dataclass(frozen=True, slots=True)
class OptionProblem:
    message: str  # completes 'option "name" ...', such as 'must be a kind of entity, got "rol"'
    fix: str | None = None
    at: tuple = ()  # inside the value: the index of a list item that is wrong


class Allowed(Protocol):
    def problem(self, value, options: dict, kind: str | None) -> OptionProblem | None:
        """What is wrong with value, given the rule's other options and the kind it selects."""


def _did_you_mean(word: str, choices, otherwise: str | None) -> str | None:
    guess = suggest(word, choices)
    return f'Did you mean "{guess}"?' if guess else otherwise


@dataclass(frozen=True, slots=True)
class Kind:
    """A kind of entity: team, role, process, tool, ..."""

    def problem(self, value, options, kind):
        if not isinstance(value, str) or value in KINDS:
            return None
        return OptionProblem(f'must be a kind of entity, got "{value}"', _did_you_mean(value, KINDS, f"Kinds: {', '.join(KINDS)}."))


@dataclass(frozen=True, slots=True)
class Field:
    """A dotted field path (contract.renewal) of the schema of a kind: the kind the rule selects,
    or the kind another option names."""

    kind_option: str | None = None

    def problem(self, value, options, kind):
        kind = options.get(self.kind_option) if self.kind_option else kind
        if not isinstance(value, str) or kind not in KINDS:
            return None  # the kind is reported on its own
        return field_problem(kind, value)


def field_problem(kind: str, dotted: str) -> OptionProblem | None:
    """None when the dotted path names a field of the kind's schema (or one of the model's own x- fields)."""
    base = f"{kind}.schema.json"
    node = load_schema(base)
    parts = dotted.split(".")
    for depth, part in enumerate(parts):
        node, base = resolve(node, base)
        fields = node.get("properties", {})
        if part in fields:
            node = fields[part]
            continue
        if part.startswith(OWN_FIELD) and f"^{OWN_FIELD}" in node.get("patternProperties", {}):
            return None  # the model's own field: whatever it holds is the model's business
        got = f'must name a field of the {kind} schema, got "{dotted}"'
        above = ".".join(parts[:depth])
        if not fields:
            return OptionProblem(f"{got}: {above} has no fields inside it")
        guess = suggest(part, fields)
        if guess:
            return OptionProblem(got, f'Did you mean "{".".join(parts[:depth] + [guess])}"?')
        where = f"inside {above}" if above else f"of the {kind} schema"
        own = f"; or a field of your own starting with {OWN_FIELD}" if f"^{OWN_FIELD}" in node.get("patternProperties", {}) else ""
        return OptionProblem(got, f"Fields {where}: {', '.join(fields)}{own}.")
    return None


@dataclass(frozen=True, slots=True)
class Range:
    """A number from minimum (up to maximum when given); whole numbers only when whole."""

    minimum: float
    maximum: float | None = None
    whole: bool = False
    fix: str | None = None  # what a special value means, such as "-1 means no limit."

    def problem(self, value, options, kind):
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return None
        bounds = f"{show(self.minimum)} or more" if self.maximum is None else f"from {show(self.minimum)} to {show(self.maximum)}"
        fits = value >= self.minimum and (self.maximum is None or value <= self.maximum)
        if fits and not (self.whole and value != int(value)):
            return None
        words = f"a whole number, {bounds}" if self.whole else bounds
        return OptionProblem(f"must be {words}, got {show(value)}", self.fix)


@dataclass(frozen=True, slots=True)
class Term:
    """A term of a closed vocabulary of vocabulary.schema.json (kpi-form, classification), or a list of them."""

    vocabulary: str

    def problem(self, value, options, kind):
        definition = load_schema("vocabulary.schema.json")["$defs"][self.vocabulary]
        terms, title = definition["enum"], definition["title"]
        title = title if title.split()[0].isupper() else title[0].lower() + title[1:]
        items = value if isinstance(value, list) else [value]
        for index, item in enumerate(items):
            if isinstance(item, str) and item not in terms:
                at = (index,) if isinstance(value, list) else ()
                return OptionProblem(f'must be a {title} ({", ".join(terms)}), got "{item}"',
                                     _did_you_mean(item, terms, None), at)
        return None


def option_problems(allowed: dict[str, Allowed], options: dict, kind: str | None) -> dict[str, OptionProblem]:
    """name -> what is wrong with its value, for each option whose value is not accepted."""
    out = {}
    for name, check in allowed.items():
        if name in options:
            problem = check.problem(options[name], options, kind)
            if problem is not None:
                out[name] = problem
    return out
