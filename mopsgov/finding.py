"""The one Finding type that flows from every stage to every output."""
from __future__ import annotations

import ast
import dataclasses
import enum
import re
from dataclasses import dataclass, field


class Severity(enum.IntEnum):
    INFO = 1
    WARNING = 2
    ERROR = 3

    @property
    def label(self) -> str:
        return self.name.lower()

    @classmethod
    def parse(cls, text: str) -> "Severity":
        return cls[text.upper()]


@dataclass(frozen=True, slots=True)
class Location:
    """A span in a file; lines and columns are 1-based, the end is exclusive."""

    file: str
    line: int
    column: int
    end_line: int | None = None
    end_column: int | None = None

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    severity: Severity
    message: str
    location: Location | None = None
    kind: str | None = None
    entity: str | None = None
    path: str = "$"
    fix: str | None = None
    related: tuple[Location, ...] = ()
    # Set when a waiver or a baseline covers the finding: it is then reported but does not fail.
    suppressed_by: str | None = None
    # Stable content hash for baselines (rule + entity + what the finding is about).
    fingerprint_data: str | None = field(default=None, compare=False)

    @property
    def file(self) -> str | None:
        return self.location.file if self.location else None

    @property
    def line(self) -> int | None:
        return self.location.line if self.location else None

    @property
    def column(self) -> int | None:
        return self.location.column if self.location else None

    def sort_key(self) -> tuple:
        loc = self.location
        return (
            loc is None,
            loc.file if loc else "",
            loc.line if loc else 0,
            loc.column if loc else 0,
            self.rule,
            self.message,
        )

    def replace(self, **changes) -> "Finding":
        return dataclasses.replace(self, **changes)


def _plain_location(loc: Location | None):
    return None if loc is None else (loc.file, loc.line, loc.column, loc.end_line, loc.end_column)


def _location(value) -> Location | None:
    return None if value is None else Location(*value)


def as_plain(f: Finding) -> tuple:
    """A finding as a tuple of text, numbers and tuples (for marshal: the parse cache, forked work)."""
    return (f.rule, int(f.severity), f.message, _plain_location(f.location), f.kind, f.entity, f.path, f.fix,
            tuple(_plain_location(r) for r in f.related), f.suppressed_by, f.fingerprint_data)


def from_plain(t: tuple) -> Finding:
    """The finding that as_plain made `t` from."""
    rule, severity, message, location, kind, entity, path, fix, related, suppressed_by, fingerprint = t
    return Finding(rule, Severity(severity), message, _location(location), kind, entity, path, fix,
                   tuple(_location(r) for r in related), suppressed_by, fingerprint)


def sort_findings(findings) -> list[Finding]:
    return sorted(findings, key=Finding.sort_key)


_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


def json_path(path: tuple) -> str:
    """A finding's path: `$.tools[0].owner`, with keys that are not identifiers in brackets."""
    out = "$"
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        elif isinstance(part, str) and _IDENTIFIER.match(part):
            out += f".{part}"
        else:
            out += "[" + repr(str(part)) + "]"
    return out


_PART = re.compile(r"""\.([A-Za-z_][A-Za-z0-9_]*)|\[(-?[0-9]+)\]|\[('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")\]""")


def path_parts(path: str) -> tuple:
    """The keys and indexes that json_path wrote `path` from: `$.policies.rules['a.b']` is
    ("policies", "rules", "a.b"). Raises ValueError for any other text."""
    if not path.startswith("$"):
        raise ValueError(f"not a finding's path: {path!r}")
    parts, at = [], 1
    while at < len(path):
        found = _PART.match(path, at)
        if found is None:
            raise ValueError(f"not a finding's path: {path!r}")
        name, index, quoted = found.groups()
        parts.append(name if name is not None else int(index) if index is not None else ast.literal_eval(quoted))
        at = found.end()
    return tuple(parts)
