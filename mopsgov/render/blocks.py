"""The content of a page as plain data, rendered the same way to HTML and to Markdown.

Page builders produce `Page`s made of `Section`s of blocks; they never write markup. Text in
blocks is the model's text as is: each renderer escapes it for its own format.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Link:
    """A link to another page of the site (never to anything outside it)."""

    text: str
    page: str  # file name of the target page, without extension, e.g. "tool-marketo"
    anchor: str = ""
    code: bool = False  # shown in a fixed-width font, like `Code`


@dataclass(frozen=True)
class Tag:
    """A short status word shown as a badge: `tone` is ok, warn, bad or muted."""

    text: str
    tone: str = "muted"


@dataclass(frozen=True)
class Code:
    """Text shown in a fixed-width font: ids, formulas, file:line."""

    text: str


@dataclass(frozen=True)
class Phrase:
    """Cells read as one sentence, joined as they are: (Link, " uses ", Link)."""

    parts: tuple


# A table cell or fact value: text, a link, a tag, code, a phrase, or a sequence of those.
Cell = Union[str, int, float, None, Link, Tag, Code, Phrase, tuple]


@dataclass(frozen=True)
class Column:
    label: str
    help: str = ""  # the field description from the JSON Schema
    numeric: bool = False
    nowrap: bool = False  # dates and amounts read badly when broken over lines


@dataclass
class Table:
    columns: list[Column]
    rows: list[list[Cell]]
    caption: str = ""
    empty: str = "None."
    # per row, an anchor id so other pages can link to that row
    anchors: list[str] = field(default_factory=list)


def _blank(value: Cell) -> bool:
    return value is None or value == "" or (isinstance(value, tuple) and all(_blank(v) for v in value))


def drop_empty_columns(table: Table) -> Table:
    """The table without columns (other than the first) that are empty in every row."""
    if not table.rows:
        return table
    keep = [i for i in range(len(table.columns)) if i == 0 or not all(_blank(row[i]) for row in table.rows)]
    if len(keep) == len(table.columns):
        return table
    return Table([table.columns[i] for i in keep], [[row[i] for i in keep] for row in table.rows],
                 table.caption, table.empty, table.anchors)


@dataclass
class Facts:
    """Label / value pairs about one entity, each label with its schema description."""

    rows: list[tuple[str, Cell, str]]


@dataclass
class Paragraph:
    content: Cell
    tone: str = ""  # "note" for a visible notice


@dataclass
class Figures:
    """Headline numbers: (label, value, detail)."""

    items: list[tuple[str, str, str]]


@dataclass
class Diagram:
    name: str  # file stem under diagrams/
    title: str
    svg: bool = True  # False when Graphviz was not available: only the DOT source exists
    summary: str = ""


Block = Union[Table, Facts, Paragraph, Figures, Diagram]


@dataclass
class Section:
    title: str
    blocks: list[Block]
    anchor: str = ""
    intro: str = ""


@dataclass
class Page:
    name: str  # file name without extension
    title: str
    nav: str  # which top-level menu entry the page belongs to
    sections: list[Section]
    intro: str = ""
