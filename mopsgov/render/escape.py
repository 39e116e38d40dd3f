"""Escaping of model text for DOT, the one place that knows Graphviz's quoting rules.

A DOT label is an "escString": backslashes start escapes (`\\N` node name, `\\G` graph name,
`\\l` left-justified line break, ...), a double quote ends the string, and a value written as
`<...>` is an HTML-like label that Graphviz parses as markup. `dot_text` makes any text literal:
backslashes are doubled, line breaks become centred breaks, control characters are dropped, and
the result is marked "not HTML" so the graphviz package quotes it instead of passing it raw.
"""
from __future__ import annotations

import re

import graphviz

# Longest label line before it is cut with an ellipsis; long names make unreadable diagrams.
MAX_LABEL = 48

_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
# A DOT ID that needs no quotes: a name or a number (and no keyword), as the graphviz package decides.
_BARE_ID = re.compile(r"([a-zA-Z_][a-zA-Z0-9_]*|-?(\.[0-9]+|[0-9]+(\.[0-9]*)?))\Z")
_KEYWORDS = frozenset({"node", "edge", "graph", "digraph", "subgraph", "strict"})


def plain(text: object) -> str:
    """Any value as one tidy line of text: control characters and stray surrogates removed."""
    text = str(text)
    if text.isprintable():  # nothing to remove: most text, and the fast way to know it
        return text
    return _CONTROL.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))


def dot_id(value: str) -> str:
    """A name or value in DOT, quoted unless it is a bare name or number. Every double quote is
    escaped: labels come from dot_text, whose backslashes are all doubled (or start a `\\n`), and
    other values hold none."""
    if _BARE_ID.match(value) and value.lower() not in _KEYWORDS:
        return value
    return '"' + value.replace('"', '\\"') + '"'


def shorten(text: str, limit: int = MAX_LABEL) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "\u2026"


def dot_text(*lines: object, limit: int = MAX_LABEL) -> str:
    """A DOT label showing `lines` literally, one per line, each cut to `limit` characters."""
    shown: list[str] = []
    for line in lines:
        if line is None or line == "":
            continue
        for part in plain(line).split("\n"):
            shown.append(shorten(part.replace("\t", " "), limit))
    escaped = "\\n".join(part.replace("\\", "\\\\") for part in shown)
    # The graphviz package escapes the double quotes; nohtml stops `<...>` becoming markup.
    return graphviz.nohtml(escaped)
