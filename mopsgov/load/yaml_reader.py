"""Read one YAML file into plain data, with the position of every key and value.

The file is read from PyYAML's event stream (LibYAML's parser when present, the pure-Python one
otherwise) by an iterative builder: no recursion, so no nesting depth can crash it, and no YAML
constructor runs, so no tag can build an object. Plain scalars are typed with the YAML 1.2 core
rules (true/false, null, numbers); every other scalar stays text. YAML 1.1 surprises such as
`no`, `on`, `1:20` or `2024-01-02` therefore stay text, and the raw text of every number or
boolean is kept so later messages can name the trap.
"""
from __future__ import annotations

import dataclasses
import math
import re
import sys
from dataclasses import dataclass, field

import yaml

from mopsgov.finding import Finding, Location, Severity, json_path
from mopsgov.gc_pause import paused_gc
from mopsgov.load import yaml_errors

try:
    from yaml._yaml import CParser as _FastParser  # not re-exported by the yaml package
except ImportError:  # PyYAML built without LibYAML
    _FastParser = None

Path = tuple  # a JSON path: keys and list indexes from the file's root


@dataclass(frozen=True, slots=True)
class Limits:
    max_file_bytes: int = 10 * 1024 * 1024
    max_aliases: int = 100
    max_depth: int = 64
    # Nodes an alias may make the data grow by, in total; stops "billion laughs" documents.
    max_alias_expansion: int = 10_000


class Mark:
    """A 0-based position, as a parser mark gives it: what ParsedFile.location reads."""

    __slots__ = ("line", "column")

    def __init__(self, line: int, column: int):
        self.line = line
        self.column = column


def field_width(text_length: int) -> int:
    """Bits for each number of a packed span: enough for any line or column of a text this long."""
    return max(8, (text_length + 2).bit_length())


def pack_span(start, end, width: int = 32) -> int:
    """Start and end marks as one int: a model holds a span per value and per key, and two parser
    marks in a tuple take five times the memory (and give the garbage collector four objects)."""
    return (start.line << 3 * width) | (start.column << 2 * width) | (end.line << width) | end.column


def _marks(packed: int, width: int) -> tuple[Mark, Mark]:
    mask = (1 << width) - 1
    return (Mark((packed >> 3 * width) & mask, (packed >> 2 * width) & mask),
            Mark((packed >> width) & mask, packed & mask))


class Spans(dict):
    """path -> (start mark, end mark) of the value written there.

    Held packed: one int per path carries the value's span (see pack_span, `width` bits a
    number) and, for a mapping entry, its key's span above it and a flag bit above both, read
    through KeySpans. Reading an entry gives marks.
    """

    __slots__ = ("width",)

    def __init__(self, *args, width: int = 32):
        super().__init__(*args)
        self.width = width

    def __getitem__(self, path):
        return _marks(dict.__getitem__(self, path), self.width)

    def get(self, path, default=None):
        packed = dict.get(self, path)
        return default if packed is None else _marks(packed, self.width)

    def values(self):
        return [_marks(v, self.width) for v in dict.values(self)]

    def items(self):
        return [(k, _marks(v, self.width)) for k, v in dict.items(self)]

    def packed(self) -> dict:
        """A plain dict of the packed ints (for the parse cache)."""
        return dict(dict.items(self))

    def under(self, prefix: tuple) -> "Spans":
        """The spans below prefix, with paths relative to it (same packing, same positions)."""
        n = len(prefix)
        return Spans({p[n:]: v for p, v in dict.items(self) if p[:n] == prefix}, width=self.width)


class KeySpans:
    """path -> (start mark, end mark) of the key of a mapping entry: a read-only view of Spans."""

    __slots__ = ("spans",)

    def __init__(self, spans: Spans):
        self.spans = spans

    def _key(self, packed):
        width = self.spans.width
        return _marks(packed >> 4 * width, width) if packed is not None and packed >> 8 * width else None

    def __contains__(self, path) -> bool:
        return self._key(dict.get(self.spans, path)) is not None

    def get(self, path, default=None):
        found = self._key(dict.get(self.spans, path))
        return default if found is None else found

    def __getitem__(self, path):
        found = self.get(path)
        if found is None:
            raise KeyError(path)
        return found

    def items(self):
        return [(k, marks) for k, v in dict.items(self.spans) if (marks := self._key(v)) is not None]

    def __iter__(self):
        return (k for k, _ in self.items())

    def __len__(self) -> int:
        return len(self.items())

    def values(self):
        return [marks for _, marks in self.items()]


@dataclass(slots=True)
class ParsedFile:
    file: str
    data: object = None
    # path -> (start mark, end mark) of the value; key_spans: of the key (a view of spans).
    spans: Spans = field(default_factory=Spans)
    key_spans: KeySpans | None = None
    raw: dict = field(default_factory=dict)  # path -> source text of a non-string plain scalar
    findings: list = field(default_factory=list)
    # Paths whose value was rejected while reading (a forbidden tag): later stages stay quiet there.
    rejected: set = field(default_factory=set)

    def __post_init__(self) -> None:
        if self.key_spans is None:
            self.key_spans = KeySpans(self.spans)

    def location(self, path: Path, key: bool = False) -> Location:
        """The location of the value (or key) at path, or of its nearest ancestor."""
        table = self.key_spans if key else self.spans
        probe = tuple(path)
        while probe not in table and probe:
            if key and probe in self.spans:
                table = self.spans
                break
            probe = probe[:-1]
        marks = table.get(probe) or self.spans.get(probe)
        if not marks:
            return Location(self.file, 1, 1)
        return _span_loc(self.file, marks)


_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_NULL = {"", "~", "null", "Null", "NULL"}
_INT = re.compile(r"[-+]?[0-9]+\Z")
_OCT = re.compile(r"0o[0-7]+\Z")
_HEX = re.compile(r"0x[0-9a-fA-F]+\Z")
_FLOAT = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?\Z")
_INF = re.compile(r"[-+]?\.(inf|Inf|INF)\Z")
_NAN = re.compile(r"\.(nan|NaN|NAN)\Z")
_NO_CHARACTER = re.compile("[\ud800-\udfff]")  # surrogates: halves of a UTF-16 pair, no character alone
_STR_TAG = "tag:yaml.org,2002:str"
_ALLOWED_TAGS = {None, "!", _STR_TAG}
_DEFAULT_TAGS = {None, "!", "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"}


_LIBYAML_DEPTH = "exceeded maximum nesting depth"


# The largest number read: 400 decimal digits. Python refuses to print an int of more than 4,300
# digits (and a hexadecimal one of any length is read in no time), so a longer one in a model
# would crash whatever message names it.
MAX_NUMBER_DIGITS = 400
_MAX_INT = 10 ** MAX_NUMBER_DIGITS


class _TooLong(ValueError):
    pass


def _based_int(digits: str, base: int) -> int:
    """A hexadecimal or octal int, refused like a decimal one once it passes 400 decimal digits."""
    if len(digits.lstrip("0")) > MAX_NUMBER_DIGITS:  # more digits than any int below the limit
        raise _TooLong(digits)
    value = int(digits, base)
    if value >= _MAX_INT:
        raise _TooLong(digits)
    return value


def resolve_plain(text: str):
    """Type a plain scalar with the YAML 1.2 core schema; anything else stays text."""
    if text in _NULL:
        return None
    first = text[0]
    if first in "tTfF" and text in _BOOL:
        return _BOOL[text]
    if first in "0123456789+-.":
        if _INT.match(text):
            if len(text) > MAX_NUMBER_DIGITS and len(text.lstrip("+-")) > MAX_NUMBER_DIGITS:
                raise _TooLong(text)
            return int(text)
        if _FLOAT.match(text):
            return float(text)
        if _OCT.match(text):
            return _based_int(text[2:], 8)
        if _HEX.match(text):
            return _based_int(text[2:], 16)
        if _INF.match(text):
            return -math.inf if first == "-" else math.inf
        if _NAN.match(text):
            return math.nan
    return text


def _loc(file: str, mark, end=None) -> Location:
    if end is None:
        return Location(file, mark.line + 1, mark.column + 1)
    return Location(file, mark.line + 1, mark.column + 1, end.line + 1, end.column + 1)


def _span_loc(file: str, span: tuple) -> Location:
    start, end = span
    return Location(file, start.line + 1, start.column + 1, end.line + 1, end.column + 1)


class _Frame:
    __slots__ = ("container", "path", "is_map", "key", "key_marks", "anchor", "start", "size")

    def __init__(self, container, path, is_map, anchor, start):
        self.container = container
        self.path = path
        self.is_map = is_map
        self.key = _NO_KEY
        self.key_marks = None
        self.anchor = anchor
        self.start = start
        self.size = 1


_intern = sys.intern
_NO_KEY = object()
_SKIP = object()  # the value of a rejected key: read, then dropped
_REFUSED = object()  # a key already refused with a finding (a number too long to read)
# The path part for the value of a refused key, read and then dropped: an int, which no mapping
# key is, so it names nothing else and the paths stay plain data (for the parse cache).
_DROPPED = -1


class _Stop(Exception):
    """Reading ends early: the finding has been recorded."""


class _BadEscape(Exception):
    """A double-quoted value holds an escape of no character (\\ud800); LibYAML stops there too."""

    def __init__(self, mark):
        super().__init__()
        self.mark = mark


def _parser(text: str, fast: bool):
    return _FastParser(text) if fast and _FastParser is not None else yaml.SafeLoader(text)


# YAML 1.1 parsers (LibYAML and PyYAML) also end a line at NEL, LS and PS; editors, git and
# GitHub do not, so positions after one are counted again from the text's own line breaks.
_PARSER_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")
_UNUSUAL_BREAK = re.compile("[\x85\u2028\u2029]")
_EDITOR_BREAK = re.compile("\r\n|[\r\n]")


def parse_text(text: str, file: str, limits: Limits = Limits(), fast: bool = True) -> ParsedFile:
    """Build the data and positions of one YAML text; problems become findings."""
    result = _parse_text(text, file, limits, fast)
    if _UNUSUAL_BREAK.search(text):
        _renumber(result, text)
        result.findings[:0] = _unusual_breaks(file, text)
    return result


_BREAK_NAMES = {"\x85": "NEXT LINE (U+0085)", "\u2028": "LINE SEPARATOR (U+2028)", "\u2029": "PARAGRAPH SEPARATOR (U+2029)"}
_MAX_BREAK_FINDINGS = 20


def _unusual_breaks(file: str, text: str) -> list[Finding]:
    """A warning at each invisible line break (the first few): pasted from a word processor or a
    web page, it splits a value or a line where the editor shows none."""
    out = []
    for found in _UNUSUAL_BREAK.finditer(text):
        if len(out) == _MAX_BREAK_FINDINGS:
            break
        before = text[:found.start()]
        line = len(_EDITOR_BREAK.findall(before)) + 1
        column = found.start() - max(before.rfind("\n"), before.rfind("\r"))
        out.append(Finding(
            "yaml.invisible-line-break", Severity.WARNING,
            f"an invisible {_BREAK_NAMES[found.group()]} character here: YAML reads it as a line break, "
            "though editors show none", Location(file, line, column, line, column + 1),
            fix="Delete the character, or replace it with a space."))
    return out


def _renumber(result: ParsedFile, text: str) -> None:
    """Positions in lines and columns as an editor shows them, from the parser's."""
    starts = [(0, 0)]  # per parser line: (the editor's line, the editor's column of its first character)
    line = line_start = 0
    for found in _PARSER_BREAK.finditer(text):
        if found.group() in ("\r\n", "\r", "\n"):
            line, line_start = line + 1, found.end()
        starts.append((line, found.end() - line_start))

    def moved(parser_line: int, column: int) -> tuple[int, int]:
        editor_line, offset = starts[min(parser_line, len(starts) - 1)]
        return editor_line, offset + column

    width = result.spans.width
    mask = (1 << width) - 1
    for path, packed in list(dict.items(result.spans)):
        numbers = [(packed >> (i * width)) & mask for i in range(8)]  # end column, end line, start column, ...
        has_key = packed >> 8 * width
        out = has_key << 8 * width
        for base in (0, 4) if has_key else (0,):
            for pair in (base, base + 2):
                numbers[pair + 1], numbers[pair] = moved(numbers[pair + 1], numbers[pair])
            out |= sum(numbers[base + i] << (i * width) for i in range(4)) << (base * width)
        dict.__setitem__(result.spans, path, out)

    def location(where: Location | None) -> Location | None:
        if where is None or where.file != result.file:
            return where
        line_, column = moved(where.line - 1, where.column - 1)
        changes = {"line": line_ + 1, "column": column + 1}
        if where.end_line is not None and where.end_column is not None:
            end_line, end_column = moved(where.end_line - 1, where.end_column - 1)
            changes.update(end_line=end_line + 1, end_column=end_column + 1)
        return dataclasses.replace(where, **changes)

    result.findings = [f.replace(location=location(f.location), related=tuple(map(location, f.related)))
                       for f in result.findings]


def _parse_text(text: str, file: str, limits: Limits, fast: bool) -> ParsedFile:
    result = ParsedFile(file, spans=Spans(width=field_width(len(text))))
    builder = _Builder(result, limits)
    parser = None
    try:
        parser = _parser(text, fast)  # the pure-Python reader checks the characters here
        builder.run(parser)
    except _Stop:
        result.data = None
    except _BadEscape as exc:  # the pure-Python parser builds such a value; LibYAML refuses it
        line, column = yaml_errors.first_bad_escape(text, exc.mark.index) or (exc.mark.line, exc.mark.column + 2)
        result.findings.append(yaml_errors.bad_escape(file, text, line, column))
        result.data = None
    except yaml.MarkedYAMLError as exc:
        if fast and _FastParser is not None and _LIBYAML_DEPTH in str(exc.problem or exc.context):
            # LibYAML 0.2.6 refuses nesting beyond 1000 levels while scanning ahead, before the
            # builder sees the event that breaks our own limit; the Python parser reads lazily
            # and gives the same finding (yaml.depth-limit at that event) as on every other path.
            if parser is not None:
                parser.dispose()
                parser = None
            return _parse_text(text, file, limits, fast=False)
        result.findings.append(yaml_errors.syntax_error(file, text, exc))
        result.data = None
    except yaml.reader.ReaderError as exc:
        code = exc.character if isinstance(exc.character, int) else None
        result.findings.append(yaml_errors.control_character(file, text, code, exc.reason))
        result.data = None
    except ValueError:
        if not isinstance(parser, yaml.SafeLoader):
            raise
        # The pure-Python parser's chr() refuses an escape beyond Unicode (\U00110000) where
        # LibYAML reports an invalid escape: the parser stands at its hex digits.
        mark = parser.get_mark()
        result.findings.append(yaml_errors.bad_escape(file, text, mark.line, mark.column))
        result.data = None
    except yaml.YAMLError as exc:
        result.findings.append(Finding("yaml.syntax", Severity.ERROR, f"YAML syntax error: {exc}",
                                       yaml_errors.whole_line(file, text, 0), fix=yaml_errors.GENERAL_FIX))
        result.data = None
    else:
        result.data = builder.root
        if builder.documents == 0 or builder.root is None:
            result.findings.append(Finding(
                "file.empty", Severity.WARNING, "the file is empty: it adds nothing to the model",
                yaml_errors.whole_text(file, text), fix="Add content or delete the file."))
            result.data = None
        elif not isinstance(builder.root, dict):
            what = "a list" if isinstance(builder.root, list) else "a single value"
            result.findings.append(Finding(
                "yaml.root-not-mapping", Severity.ERROR,
                f"the file holds {what}; a model file must be a mapping of collections such as 'tools:' or 'processes:'",
                _span_loc(file, result.spans[()]), fix="Start the file with a key such as 'tools:' and put the entries under it."))
            result.data = None
    finally:
        if parser is not None:
            parser.dispose()
    return result


class _Builder:
    def __init__(self, result: ParsedFile, limits: Limits):
        self.result = result
        self.file = result.file
        self.limits = limits
        self.stack: list[_Frame] = []
        self.spans = result.spans
        # shifts of a packed span (see pack_span) and the flag of an entry with a key
        width = result.spans.width
        self.shifts = (width, 2 * width, 3 * width, 4 * width)
        self.has_key = 1 << 8 * width
        self.anchors: dict = {}
        self.open_anchors: set = set()
        self.aliases = 0
        self.expansion = 0
        self.documents = 0
        self.root = None
        self.last_raw = ""
        self.dispatch = {
            yaml.ScalarEvent: self.scalar, yaml.AliasEvent: self.alias,
            yaml.MappingStartEvent: self.start_map, yaml.SequenceStartEvent: self.start_seq,
            yaml.MappingEndEvent: self.end, yaml.SequenceEndEvent: self.end,
            yaml.DocumentStartEvent: self.document,
        }

    def run(self, parser) -> None:
        """Feed every event of the parser's stream; the hot loop, so dispatch is a dict lookup.

        The cyclic garbage collector is paused meanwhile: the builder makes a container or tuple
        per node and none of them forms a cycle, yet each batch of allocations would trigger a
        collection that walks everything built so far (about half the reading time).
        """
        with paused_gc():
            self._run(parser)

    def _run(self, parser) -> None:
        get_event, dispatch, scalar = parser.get_event, self.dispatch, self.scalar
        if _FastParser is None or not isinstance(parser, _FastParser):
            scalar = self.escaped_scalar
        stream_end, scalar_event = yaml.StreamEndEvent, yaml.ScalarEvent
        while True:
            event = get_event()
            kind = type(event)
            if kind is scalar_event:
                scalar(event)
                continue
            if kind is stream_end or event is None:
                return
            handler = dispatch.get(kind)
            if handler is not None:
                handler(event)

    def fail(self, rule: str, message: str, mark, end=None, fix: str | None = None):
        path = self._child_path()
        if path is None:  # at a key: the mapping it is in
            path = self.stack[-1].path
        self.result.findings.append(Finding(rule, Severity.ERROR, message, _loc(self.file, mark, end), fix=fix,
                                            path=json_path(path)))

    def stop(self, rule: str, message: str, mark, end=None, fix: str | None = None):
        self.fail(rule, message, mark, end, fix)
        raise _Stop

    def _child_path(self):
        if not self.stack:
            return ()
        frame = self.stack[-1]
        if frame.is_map:
            if frame.key is _NO_KEY:
                return None  # this node is a key
            return frame.path + (_DROPPED if frame.key is _SKIP else frame.key,)
        return frame.path + (len(frame.container),)

    def start_map(self, event) -> None:
        self.start(event, True)

    def start_seq(self, event) -> None:
        self.start(event, False)

    def document(self, event) -> None:
        self.documents += 1
        if self.documents > 1:
            self.stop("yaml.multiple-documents",
                      "the file holds several YAML documents ('---'); mopsgov reads one document per file",
                      event.start_mark, event.end_mark,
                      fix="Split the documents into separate files, or merge them into one.")

    def check_tag(self, event, allowed) -> None:
        tag = event.tag
        if tag not in allowed:
            shown = "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag
            self.fail("yaml.tag", f"the tag '{shown}' is not allowed: a model holds plain data only",
                      event.start_mark, event.end_mark, fix="Remove the tag and write the value as plain text, a number or a list.")
            self.reject()

    def reject(self) -> None:
        """The node about to be added was refused with a finding: later stages stay quiet there."""
        path = self._child_path()
        self.result.rejected.add(path if path is not None else ("?",))

    def start(self, event, is_map: bool) -> None:
        self.check_tag(event, _DEFAULT_TAGS)
        if len(self.stack) >= self.limits.max_depth:
            self.stop("yaml.depth-limit",
                      f"the file nests deeper than {self.limits.max_depth} levels",
                      event.start_mark, event.end_mark,
                      fix="Flatten the structure; raise limits.max_depth in mopsgov.yaml only if you must.")
        path = self._child_path()
        if path is None:  # a list or mapping used as a key: read it, then reject it
            path = self.stack[-1].path + ("?",)
        frame = _Frame({} if is_map else [], path, is_map, event.anchor, event.start_mark)
        if event.anchor is not None:
            self.open_anchors.add(event.anchor)
        self.stack.append(frame)

    def end(self, event) -> None:
        frame = self.stack.pop()
        if frame.anchor is not None:
            self.open_anchors.discard(frame.anchor)
            self.anchors[frame.anchor] = (frame.container, frame.size)
        self.add(frame.container, frame.start, event.end_mark, frame.size)

    def escaped_scalar(self, event) -> None:
        """A scalar from the pure-Python parser, which builds escapes of no character (\\ud800)
        into a double-quoted value where LibYAML refuses them: refused here the same way."""
        if event.style == '"' and _NO_CHARACTER.search(event.value):
            raise _BadEscape(event.start_mark)
        self.scalar(event)

    def scalar(self, event) -> None:
        """Most events are scalars: `add` is written out here for them (the same steps)."""
        value = text = event.value
        tag = event.tag
        if tag is not None and tag not in _ALLOWED_TAGS:
            self.check_tag(event, _ALLOWED_TAGS)
        # `! 12`: the non-specific tag `!` makes a plain scalar text (YAML 1.2, 6.9.1)
        plain = event.implicit[0] and not event.style and tag != "!"
        typed = False
        if plain:
            try:
                value = resolve_plain(value)
            except _TooLong:
                self.fail("yaml.number-too-long",
                          f"this number is {len(text):,} characters long; mopsgov reads numbers of up to "
                          f"{MAX_NUMBER_DIGITS} digits", event.start_mark, event.end_mark,
                          fix="Quote it if it is an identifier, or shorten it.")
                self.reject()
                value, text = _REFUSED if self._child_path() is None else None, ""
            typed = not isinstance(value, str)
        if not typed and len(value) <= 64:
            # Field names, ids named in references and vocabulary terms repeat thousands of
            # times in a model: one copy of each.
            value = _intern(value)
        self.last_raw = text
        if event.anchor is not None:
            self.anchors[event.anchor] = (None if value is _REFUSED else value, 1)
        stack = self.stack
        if not stack:
            if typed:
                self.result.raw[()] = text
            self.add(value, event.start_mark, event.end_mark, 1, plain_key=plain)
            return
        start, end = event.start_mark, event.end_mark
        w1, w2, w3, w4 = self.shifts
        span = (start.line << w3) | (start.column << w2) | (end.line << w1) | end.column  # pack_span, inlined
        frame = stack[-1]
        frame.size += 1
        if not frame.is_map:
            container = frame.container
            path = frame.path + (len(container),)
            if typed:
                self.result.raw[path] = text
            self.spans[path] = span
            container.append(value)
        elif frame.key is _NO_KEY:
            if type(value) is str and value and value not in frame.container and not (plain and value == "<<"):
                frame.key = value  # a field name: the usual case of `key`, without the call
            else:
                frame.key = self.key(frame, value, start, end, plain)
            frame.key_marks = span
        else:
            key = frame.key
            frame.key = _NO_KEY
            if key is not _SKIP:
                path = frame.path + (key,)
                if typed:
                    self.result.raw[path] = text
                frame.container[key] = value
                self.spans[path] = span | (frame.key_marks << w4) | self.has_key

    def alias(self, event) -> None:
        name = event.anchor
        if name in self.open_anchors:
            self.stop("yaml.recursive-alias", f"the alias *{name} refers to a structure that contains itself",
                      event.start_mark, event.end_mark, fix="Write the data out instead of referring back to it.")
        if name not in self.anchors:
            self.stop("yaml.syntax", f"a value starting with '*' is read as a reference to an anchor (an alias), and "
                      f"no anchor &{name} comes before it", event.start_mark, event.end_mark,
                      fix=f'If the value is text, put it in quotes: "*{name}"; otherwise add &{name} before the value it refers to.')
        self.aliases += 1
        value, size = self.anchors[name]
        self.expansion += size
        if self.aliases > self.limits.max_aliases or self.expansion > self.limits.max_alias_expansion:
            self.stop("yaml.alias-limit",
                      f"too many aliases: the file's aliases (*name) expand beyond the limit of "
                      f"{self.limits.max_aliases} aliases or {self.limits.max_alias_expansion} values",
                      event.start_mark, event.end_mark,
                      fix="Write the repeated data out; aliases are meant for a few shared values.")
        self.add(value, event.start_mark, event.end_mark, size)

    def add(self, value, start, end, size: int, plain_key: bool = True) -> None:
        w1, w2, w3, w4 = self.shifts
        span = (start.line << w3) | (start.column << w2) | (end.line << w1) | end.column  # pack_span, inlined
        if not self.stack:
            self.root = value
            self.result.spans[()] = span
            return
        frame = self.stack[-1]
        frame.size += size
        if not frame.is_map:
            container = frame.container
            self.result.spans[frame.path + (len(container),)] = span
            container.append(value)
            return
        if frame.key is _NO_KEY:
            frame.key = self.key(frame, value, start, end, plain_key)
            frame.key_marks = span
            return
        key = frame.key
        frame.key = _NO_KEY
        if key is _SKIP:
            return
        frame.container[key] = value
        path = frame.path + (key,)
        self.result.spans[path] = span | (frame.key_marks << w4) | self.has_key

    def key(self, frame: _Frame, value, start, end, plain: bool):
        if value is _REFUSED:
            return _SKIP
        if not isinstance(value, str):
            if isinstance(value, (dict, list)) or value is None:
                what = "empty" if value is None else "a list or mapping"
                self.fail("yaml.key-type", f"a key is {what}; keys must be field names",
                          start, end, fix="Use a plain field name as the key.")
            else:
                raw = self.last_raw
                what = "true or false" if isinstance(value, bool) else "a number"
                self.fail("yaml.key-type", f"the key {raw} is read as {what}, not as a field name",
                          start, end, fix=f'Quote it: "{raw}".')
            return _SKIP
        if value == "":
            self.fail("yaml.key-type", "a key is empty text; keys must be field names",
                      start, end, fix="Use a plain field name as the key.")
            return _SKIP
        if value == "<<" and plain:
            self.fail("yaml.merge-key", "merge keys (<<) are not supported: the merged fields would be invisible to reviewers",
                      start, end, fix="Write the fields out in this mapping.")
            return _SKIP
        if value in frame.container:
            first = self.result.key_spans[frame.path + (value,)][0]
            self.result.findings.append(Finding(
                "yaml.duplicate-key", Severity.ERROR,
                f"the key '{value}' appears twice in this mapping (first at line {first.line + 1}); the second would silently win",
                _loc(self.file, start, end), fix="Remove one of the two, or merge them.",
                related=(_loc(self.file, first),), path=json_path(frame.path + (value,))))
            return _SKIP
        return value
