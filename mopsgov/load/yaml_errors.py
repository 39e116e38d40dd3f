"""YAML syntax errors in plain words, the same from LibYAML's parser and from the pure-Python one.

The two parsers word their errors differently ("mapping values are not allowed in this context"
or "... here") and sometimes report the same mistake from different states. The common mistakes
of hand-written YAML are recognised from the text at the error's position instead of from the
wording, so both paths give one message, one fix and one position: the character to change
(the opening quote or bracket that is never closed, not the end of the file). Anything else
keeps the parser's own reason.
"""
from __future__ import annotations

import re

from mopsgov.finding import Finding, Location, Severity

_BREAK = re.compile("\r\n|[\r\n\x85\u2028\u2029]")  # what both parsers count as a line break
_FIELD = re.compile(r"(?:- +)*[^\s#'\"][^#]*?:(?:\s|$)")  # `name: ` (or `- name: `) at the start of a line
_COMMENT = re.compile(r"\s+#.*\Z")
_ESCAPE = re.compile(r"\\(?:u([0-9a-fA-F]{4})|U([0-9a-fA-F]{8})|.)", re.S)
_BLOCKS = ("while parsing a block mapping", "while parsing a block collection")
GENERAL_FIX = "Check indentation, colons and quotes at this line."


class _Text:
    """The lines of the text, as the parsers number them."""

    def __init__(self, text: str):
        self.lines = _BREAK.split(text)

    def line(self, index: int) -> str:
        return self.lines[index] if 0 <= index < len(self.lines) else ""

    def char(self, line: int, column: int) -> str:
        text = self.line(line)
        return text[column] if 0 <= column < len(text) else ""


def span(file: str, line: int, column: int, end_column: int | None = None, end_line: int | None = None) -> Location:
    """A 1-based Location from 0-based numbers; the end defaults to one character."""
    end = column + 1 if end_column is None else max(end_column, column + 1)
    return Location(file, line + 1, column + 1, (line if end_line is None else end_line) + 1, end + 1)


def _to_line_end(file: str, lines: _Text, line: int, column: int) -> Location:
    return span(file, line, column, len(_COMMENT.sub("", lines.line(line)).rstrip()))


def _line_content(file: str, lines: _Text, line: int) -> Location:
    text = lines.line(line)
    return _to_line_end(file, lines, line, len(text) - len(text.lstrip()))


def _quoted(value: str) -> str:
    if '"' not in value and "\\" not in value:
        return f'"{value}"'
    return "'" + value.replace("'", "''") + "'"


def _quote_fix(line: str, value_start: int) -> str:
    """`Put the value in quotes: name: "CRM: the best"` for the value starting at value_start."""
    lead = line[:value_start].strip()
    while lead.startswith("- "):
        lead = lead[2:].lstrip()
    value = _COMMENT.sub("", line[value_start:]).strip()
    return "Put the value in quotes: " + " ".join(part for part in (lead, _quoted(value)) if part) + "."


def _closed(lines: _Text, line: int, column: int) -> bool:
    """Whether the bracket at (line, column) has its closing bracket further on (quoted text and
    comments skipped): when it has, the parser stumbled on something else inside."""
    depth, quote, previous = 0, "", "["
    for number in range(line, len(lines.lines)):
        text = lines.line(number)
        index = column if number == line else 0
        while index < len(text):
            char = text[index]
            if quote:
                if char == "\\" and quote == '"':
                    index += 1
                elif char == quote:
                    quote = ""
            elif char in "'\"" and previous in "[{,:":
                quote = char
            elif char == "#" and (index == 0 or text[index - 1] in " \t"):
                break
            elif char in "[{":
                depth += 1
            elif char in "]}":
                depth -= 1
                if depth == 0:
                    return True
            if not char.isspace():
                previous = char
            index += 1
    return False


def _finding(message: str, location: Location, fix: str) -> Finding:
    return Finding("yaml.syntax", Severity.ERROR, message, location, fix=fix)


def whole_text(file: str, text: str) -> Location:
    """From the start of the text to the end of its last line that is not empty."""
    lines = _BREAK.split(text.rstrip("\r\n\x85\u2028\u2029"))
    return Location(file, 1, 1, len(lines), len(lines[-1]) + 1)


def bad_escape(file: str, text: str, line: int, column: int) -> Finding:
    """`\\ud800` and the like in a double-quoted value: an escape that stands for no character.

    line and column (0-based) are where the escape's hex digits start, as LibYAML reports it.
    """
    lines = _Text(text)
    start = max(column - 2, 0)
    found = _ESCAPE.match(lines.line(line), start)
    length = found.end() - start if found else 2
    shown = lines.line(line)[start:start + length]
    return _finding(f"the escape {shown} in this quoted value stands for no character (it is half of an "
                    "emoji's code or beyond Unicode)", span(file, line, start, start + length),
                    "Type the character itself instead of the \\u escape, or remove it.")


def first_bad_escape(text: str, offset: int) -> tuple[int, int] | None:
    """(line, column) of the first surrogate escape in the double-quoted value at offset (0-based)."""
    end = offset + 1
    while end < len(text) and text[end] != '"':
        found = _ESCAPE.match(text, end) if text[end] == "\\" else None
        if found is None:
            end += 1
            continue
        code = int(found.group(1) or found.group(2) or "0", 16)
        if 0xD800 <= code <= 0xDFFF or code > 0x10FFFF:
            before = text[:end]
            breaks = list(_BREAK.finditer(before))
            line_start = breaks[-1].end() if breaks else 0
            return len(breaks), end - line_start + 2
        end = found.end()
    return None


def control_character(file: str, text: str, code: int | None, reason: str) -> Finding:
    """A character YAML does not allow (a control character pasted in from elsewhere), with its place."""
    # The first occurrence is the culprit: such a character is refused wherever it stands.
    offset = text.find(chr(code)) if code is not None else -1
    if offset < 0:
        return _finding(f"YAML syntax error: {reason}", whole_line(file, text, 0), GENERAL_FIX)
    before = text[:offset]
    breaks = list(_BREAK.finditer(before))
    line_start = breaks[-1].end() if breaks else 0
    return _finding(f"the file contains the control character U+{code:04X}, which YAML does not allow",
                    span(file, len(breaks), offset - line_start),
                    "Delete the invisible character at this position; it often comes in with pasted text.")


def whole_line(file: str, text: str, line: int) -> Location:
    return _line_content(file, _Text(text), line)


def syntax_error(file: str, text: str, exc) -> Finding:
    """The finding for a parser's MarkedYAMLError, in plain words where the mistake is a common one."""
    problem, context = str(exc.problem or ""), str(exc.context or "")
    mark, opener = exc.problem_mark, exc.context_mark
    if mark is None:
        mark, opener = opener, None
    lines = _Text(text)
    if mark is None:
        return _finding(f"YAML syntax error: {problem or context or 'invalid YAML'}", Location(file, 1, 1, 1, 2),
                        GENERAL_FIX)
    line, column = mark.line, mark.column
    here, source = lines.char(line, column), lines.line(line)

    if here == "\t":
        return _finding("a tab is used here; use spaces to indent and separate in YAML",
                        span(file, line, column), "Replace the tab with spaces.")
    if "cannot start any token" in problem:
        return _finding(f"a value cannot start with {here!r} unless it is in quotes",
                        _to_line_end(file, lines, line, column), _quote_fix(source, column))
    if problem.startswith("mapping values are not allowed"):
        field = _FIELD.match(source.lstrip())
        indent = len(source) - len(source.lstrip())
        if field and indent + field.end() <= column:
            return _finding("the value contains ': ' (a colon and a space), which YAML reads as the start of "
                            "another field", span(file, line, column), _quote_fix(source, indent + field.end()))
        return _finding("this line is indented further than the line above it, so YAML reads it as part of "
                        "that line's value", _line_content(file, lines, line),
                        "Indent it exactly like the field above it: fields of one entry start in the same column.")
    if "sequence entries are not allowed" in problem:
        return _finding("a list item ('- ') cannot start on the same line as its field", span(file, line, column),
                        "Move the item to its own line below the field, indented; if the dash is text, "
                        "put the value in quotes.")
    if opener is not None and "quoted scalar" in context and ("end of stream" in problem or "document" in problem):
        quote = lines.char(opener.line, opener.column)
        return _finding(f"the quote {quote} opened here is never closed", span(file, opener.line, opener.column),
                        f"Add the closing {quote} at the end of the value.")
    if "unknown escape character" in problem:
        start = column if here == "\\" else column - 1
        shown = source[start:start + 2]
        return _finding(f"{shown} is not an escape YAML knows: in a double-quoted value a backslash starts an escape",
                        span(file, line, start, start + 2),
                        "Write \\\\ for a backslash, or put the value in single quotes instead of double quotes.")
    if "invalid Unicode character escape" in problem:
        return bad_escape(file, text, line, column)
    if opener is not None and context in ("while parsing a flow sequence", "while parsing a flow mapping") \
            and line > opener.line and not _closed(lines, opener.line, opener.column):
        bracket = lines.char(opener.line, opener.column)
        what, closer = ("list", "]") if bracket == "[" else ("mapping", "}")
        return _finding(f"the {what} opened with {bracket!r} here is never closed",
                        span(file, opener.line, opener.column),
                        f"Add the closing {closer!r} after the last item; if the brackets are part of the text, "
                        "put the whole value in quotes.")
    if here in ("]", "}") and "block" in context:
        bracket = "[" if here == "]" else "{"
        return _finding(f"this {here!r} closes no {bracket!r}", span(file, line, column),
                        f"Remove it; if it is part of the text, put the whole value in quotes.")
    if context in _BLOCKS:
        before = source[:column].rstrip()
        quote = before[-1:]
        if quote in ("'", '"') and before.count(quote) >= 2:
            fix = ("Inside '...' write a quote twice (it''s), or put the value in double quotes."
                   if quote == "'" else 'Inside "..." write \\" for a quote, or put the value in single quotes.')
            return _finding("the quoted value ends at the quote before this text, so the rest of the line "
                            "cannot be read", _to_line_end(file, lines, line, column), fix)
        if here == "-" and context == _BLOCKS[0]:
            return _finding("a list item ('-') stands where this mapping expects a field", span(file, line, column),
                            "Line the '-' up with the other items of its list, or remove it if the line is a "
                            "field of the entry above.")
        if not before.strip():
            return _finding("this line's indentation does not line up with the lines above it",
                            _line_content(file, lines, line),
                            "Indent it exactly like the field it belongs with: YAML counts the spaces, and fields "
                            "of one entry start in the same column.")
    if opener is not None and "could not find expected ':'" in problem:
        return _finding("this line has no ':'; YAML expects a field and its value ('name: value') here",
                        _line_content(file, lines, opener.line),
                        "Add ': ' after the field name; if the line continues the value above, put that value "
                        "in quotes on one line.")
    indicator = _indicator_value(source, column)
    if indicator:
        start, meaning = indicator
        return _finding(f"a value starting with {source[start]!r} is read as {meaning}, unless it is in quotes",
                        _to_line_end(file, lines, line, start), _quote_fix(source, start))
    reason = f"{problem} {context}".strip() if problem and context else problem or context or "invalid YAML"
    return _finding(f"YAML syntax error: {reason}", _to_line_end(file, lines, line, column), GENERAL_FIX)


# What a character at the start of a value makes of it, in YAML.
_INDICATORS = {
    "*": "a reference to an anchor (an alias)", "&": "an anchor name for later references",
    "|": "the start of a block of text on the lines below", ">": "the start of a block of text on the lines below",
    "?": "a complex key", "[": "a list, and the text after its ']' cannot be read",
    "{": "a mapping, and the text after its '}' cannot be read",
}


def _indicator_value(source: str, column: int) -> tuple[int, str] | None:
    """(where the value starts, what YAML reads it as) when the line's value starts with an
    indicator character at or before the error's column."""
    field = _FIELD.match(source.lstrip())
    start = len(source) - len(source.lstrip()) + (field.end() if field else 0)
    if not field and source[start:start + 2] != "- ":
        return None  # not a block value (`name: value` or `- value`): a flow collection or a key
    while source[start:start + 2] == "- ":
        start += 2
    start += len(source[start:]) - len(source[start:].lstrip())
    char = source[start:start + 1]
    return (start, _INDICATORS[char]) if char in _INDICATORS and start <= column else None
