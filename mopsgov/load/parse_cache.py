"""Parse cache: a warm run (pre-commit, an editor, a second `check`) skips re-reading unchanged YAML.

Each parsed file is stored under a key made of the SHA-256 of its bytes, the name it is shown
under, the reading limits, the PyYAML/LibYAML build and a digest of the reader's own source
code. A file whose bytes change gets a new key, so it is read again; an upgrade or any change
to the reader invalidates every entry. Entries are written atomically and a damaged or foreign
entry is ignored (the file is simply read again), so the cache can never change a result.

Where: the folder named by the environment variable MOPSGOV_CACHE (a relative one is taken from
the folder the run started in), else $XDG_CACHE_HOME/mopsgov, else ~/.cache/mopsgov.
MOPSGOV_CACHE=off (or 0, no, false) turns the cache off. Delete the folder at any time to empty it. Entries unused for 30 days are deleted (at
most one sweep a day, when a new entry is written).

Format: `marshal` of plain data (dicts, lists, text, numbers, tuples). marshal, unlike pickle,
never runs code while loading, and every part of the loaded value is checked for the shape
to_bytes writes before use (an entry of any other shape is read again, like a missing one); the
folder is the user's own, like any tool cache.
"""
from __future__ import annotations

import hashlib
import marshal
import os
import time
from functools import lru_cache
from pathlib import Path

import yaml

from mopsgov import __version__
from mopsgov.atomic import write_bytes
from mopsgov.finding import Severity, as_plain, from_plain
from mopsgov.load.yaml_reader import Limits, ParsedFile, Spans, pack_span

ENV = "MOPSGOV_CACHE"
MAX_AGE_S = 30 * 24 * 3600  # an entry unused this long is deleted
SWEEP_EVERY_S = 24 * 3600
STAMP = "last-sweep"
OFF = frozenset({"off", "0", "no", "false", "none"})
FORMAT = 4
# The modules whose code decides what a parsed file holds: their source is part of every key.
_SOURCES = ("load/yaml_reader.py", "load/yaml_errors.py", "load/model_loader.py", "load/parse_cache.py", "finding.py")
_PACKAGE = Path(__file__).resolve().parent.parent


try:
    _STARTED_IN: str | None = os.getcwd()  # a relative MOPSGOV_CACHE is taken from here
except OSError:  # the folder the run started in is gone
    _STARTED_IN = None


def folder() -> Path | None:
    """The cache folder (absolute), or None when the cache is off."""
    setting = os.environ.get(ENV)
    if setting is not None:
        if setting.strip().lower() in OFF or not setting.strip():
            return None
        chosen = Path(os.path.expanduser(setting))
        if chosen.is_absolute():
            return chosen
        # Resolved once, against the folder the run started in, whatever the process does later.
        return None if _STARTED_IN is None else Path(_STARTED_IN) / chosen
    base = os.environ.get("XDG_CACHE_HOME", "")
    if not os.path.isabs(base):  # the XDG rule: a relative path there is ignored
        base = os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "mopsgov"


@lru_cache(maxsize=1)
def _code_digest() -> str:
    digest = hashlib.sha256(f"{FORMAT}|{__version__}|{yaml.__version__}|{yaml.__with_libyaml__}".encode())
    for name in _SOURCES:
        try:
            digest.update((_PACKAGE / name).read_bytes())
        except OSError:
            digest.update(name.encode())
    return digest.hexdigest()


def key(raw: bytes, display: str, limits: Limits) -> str:
    digest = hashlib.sha256(raw)
    digest.update(f"\0{display}\0{limits!r}\0{_code_digest()}".encode())
    return digest.hexdigest()


def _entry_path(base: Path, entry_key: str) -> Path:
    return base / entry_key[:2] / f"{entry_key[2:]}.marshal"


def _spans_out(spans) -> dict:
    return spans.packed() if isinstance(spans, Spans) else {p: pack_span(s, e) for p, (s, e) in spans.items()}


def _width(spans) -> int:
    return spans.width if isinstance(spans, Spans) else 32


def to_bytes(parsed: ParsedFile) -> bytes:
    """A parsed file as plain data in marshal's format (what an entry holds)."""
    return marshal.dumps((FORMAT, parsed.file, parsed.data, _spans_out(parsed.spans), _width(parsed.spans),
                          parsed.raw, [as_plain(f) for f in parsed.findings], sorted(parsed.rejected, key=repr)))


_VALUE_TYPES = frozenset({dict, list, str, int, float, bool, type(None)})
_TEXT_OR_NONE = (str, type(None))
_SEVERITIES = frozenset(int(s) for s in Severity)


def _is_data(data, max_depth: int) -> bool:
    """Plain data as the reader builds it: mappings with text keys, lists, text, numbers, true/false,
    null, nested no deeper than the reader allows. Types are compared a container at a time
    (set(map(type, ...)) runs in C): a warm run reads every entry."""
    if data is None:
        return True
    if type(data) is not dict:
        return False
    todo = [(data, 1)]
    while todo:
        item, depth = todo.pop()
        if depth > max_depth:
            return False
        if type(item) is dict:
            if not set(map(type, item)) <= {str}:
                return False
            item = item.values()
        kinds = set(map(type, item))
        if not kinds <= _VALUE_TYPES:
            return False
        if dict in kinds or list in kinds:
            todo.extend((v, depth + 1) for v in item if type(v) is dict or type(v) is list)
    return True


def _are_paths(paths) -> bool:
    """Paths as tuples of keys and list indexes (each part checked once, however often it repeats)."""
    paths = list(paths)
    return set(map(type, paths)) <= {tuple} and set(map(type, set().union(*paths))) <= {str, int}


def _is_location(value) -> bool:
    if value is None:
        return True
    return (type(value) is tuple and len(value) == 5 and type(value[0]) is str
            and all(type(n) is int and n > 0 for n in value[1:3])
            and all(n is None or (type(n) is int and n > 0) for n in value[3:]))


def _is_finding(value) -> bool:
    if type(value) is not tuple or len(value) != 11:
        return False
    rule, severity, message, location, kind, entity, path, fix, related, suppressed_by, fingerprint = value
    return (type(rule) is str and type(severity) is int and severity in _SEVERITIES
            and type(message) is str and type(path) is str and _is_location(location)
            and all(isinstance(v, _TEXT_OR_NONE) for v in (kind, entity, fix, suppressed_by, fingerprint))
            and type(related) is tuple and all(r is not None and _is_location(r) for r in related))


def _valid(value, display: str, limits: Limits) -> bool:
    """Whether a loaded entry has exactly the shape to_bytes writes: anything else is read again."""
    if type(value) is not tuple or len(value) != 8:
        return False
    fmt, file, data, spans, width, raw, findings, rejected = value
    return (fmt == FORMAT and file == display and type(width) is int and 8 <= width <= 64
            and type(spans) is dict and set(map(type, spans.values())) <= {int} and min(spans.values(), default=0) >= 0
            and _are_paths(spans)
            and type(raw) is dict and set(map(type, raw.values())) <= {str} and _are_paths(raw)
            and type(findings) is list and all(_is_finding(f) for f in findings)
            and type(rejected) is list and _are_paths(rejected)
            and _is_data(data, limits.max_depth))


def from_bytes(blob: bytes, display: str, limits: Limits) -> ParsedFile | None:
    """The parsed file of `display` that to_bytes wrote, or None for anything of another shape."""
    try:
        value = marshal.loads(blob)
    except (ValueError, TypeError, EOFError):
        return None
    return _parsed(value) if _valid(value, display, limits) else None


def from_own_bytes(blob: bytes) -> ParsedFile:
    """A parsed file that a forked copy of this process just packed with to_bytes: no shape check,
    the data is this program's own. Raises ValueError, TypeError or EOFError when it is damaged."""
    return _parsed(marshal.loads(blob))


def _parsed(value: tuple) -> ParsedFile:
    _, file, data, spans, width, raw, findings, rejected = value
    return ParsedFile(file, data=data, spans=Spans(spans, width=width), raw=raw,
                      findings=[from_plain(f) for f in findings], rejected=set(rejected))


def get(raw: bytes, display: str, limits: Limits) -> tuple[ParsedFile | None, str | None]:
    """(the cached parse of these bytes or None, the key to store it under or None when off)."""
    base = folder()
    if base is None:
        return None, None
    entry_key = key(raw, display, limits)
    entry = _entry_path(base, entry_key)
    try:
        blob = entry.read_bytes()
        os.utime(entry)  # in use: keep it past the next sweep
    except OSError:
        return None, entry_key
    return from_bytes(blob, display, limits), entry_key


def put(entry_key: str | None, parsed: ParsedFile) -> None:
    """Store a parse; a cache that cannot be written (read-only home, full disk) is skipped."""
    base = folder()
    if entry_key is None or base is None:
        return
    try:
        write_bytes(_entry_path(base, entry_key), to_bytes(parsed))
        sweep(base)
    except (OSError, ValueError):
        pass


def sweep(base: Path, now: float | None = None, pattern: str = "??/*.marshal") -> int:
    """Delete entries (files matching `pattern`) unused for MAX_AGE_S, at most once every
    SWEEP_EVERY_S; returns how many. Other caches in the folder (drawn diagrams) use it too."""
    now = time.time() if now is None else now
    stamp = base / STAMP
    try:
        if now - stamp.stat().st_mtime < SWEEP_EVERY_S:
            return 0
    except FileNotFoundError:
        pass
    write_bytes(stamp, b"")
    os.utime(stamp, (now, now))
    removed = 0
    for entry in base.glob(pattern):
        try:
            if now - entry.stat().st_mtime > MAX_AGE_S:
                entry.unlink()
                removed += 1
        except OSError:
            pass
    return removed
