"""Message templates: `{name}` replaced by a value, and nothing else.

A template is split once, when its pack is loaded. Only bare names are allowed: no attribute
access (`{entity.__class__}`), no indexing, no conversions or format specs, so a template from a
pull request can only ever show a value, never run or reach anything. `{{` and `}}` are literal
braces. A name with no value (a field the entity does not have, such as a tool without `vendor`)
is shown as `(no vendor)`, never as the raw `{vendor}`.
"""
from __future__ import annotations

import math
import re
import string
from dataclasses import dataclass

_NAME = re.compile(r"[a-z_][a-z0-9_]*\Z")


class TemplateError(ValueError):
    """The template uses something other than plain {name} fields."""


@dataclass(frozen=True, slots=True)
class Template:
    parts: tuple  # literal text and field names, alternating: (text, name, text, name, ..., text)

    @property
    def names(self) -> tuple[str, ...]:
        return self.parts[1::2]

    def render(self, values: dict) -> str:
        out = []
        for index, part in enumerate(self.parts):
            if index % 2 == 0:
                out.append(part)
            else:
                value = values.get(part)
                out.append(missing(part) if value is None else show(value))
        return "".join(out)

    def outline(self) -> str:
        """The template for a reader with no finding at hand: each field as <its name>."""
        return "".join(part if i % 2 == 0 else "<" + part.replace("_", " ") + ">" for i, part in enumerate(self.parts))


def compile_template(text: str) -> Template:
    parts: list[str] = []
    literal = ""
    try:
        pieces = list(string.Formatter().parse(text))
    except ValueError as exc:
        raise TemplateError(f"{exc}; write a literal brace as {{{{ or }}}}") from None
    for before, name, spec, conversion in pieces:
        literal += before
        if name is None:
            continue
        if spec or conversion or not _NAME.match(name):
            written = "{" + name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "") + "}"
            raise TemplateError(f"{written} is not a plain {{name}} field; templates only insert values by name")
        parts += [literal, name]
        literal = ""
    parts.append(literal)
    return Template(tuple(parts))


def missing(name: str) -> str:
    """What a message shows for a value that is not set: `(no vendor)`, `(no notice days)`."""
    return f"(no {name.replace('_', ' ')})"


def show(value) -> str:
    """A value as a message shows it: lists joined with commas, numbers without trailing .0."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return f"{value:g}" if not math.isfinite(value) or value != int(value) or abs(value) >= 1e15 else str(int(value))
    if isinstance(value, (list, tuple)):
        return ", ".join(show(v) for v in value)
    return str(value)
