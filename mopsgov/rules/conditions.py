"""Selector filters as plain Python tests where the fragment is simple enough.

Most `where` filters are small: a field is present, equals a value, is one of a few values, is
above a number, lists enough items, or the negation of such. For those, a direct test is an order of magnitude
faster than the general compiled JSON Schema check (which walks every field of the entity), and
a filter runs on every entity of its kind for every rule. Anything else falls back to the
compiler, so the verdict never differs (the tests cross-check both on the built-in filters).
"""
from __future__ import annotations

import math
from typing import Callable

from mopsgov.validate.schema_compiler import Check, Context, _is_type

Test = Callable[[object], bool]
_SCALARS = (str, bool)


def _number(value) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def fast_test(fragment) -> Test | None:
    """A direct test equivalent to the fragment, or None when it uses anything else."""
    if fragment is True or fragment == {}:
        return lambda value: True
    if not isinstance(fragment, dict) or not fragment:
        return None
    tests: list[Test] = []
    for word, arg in fragment.items():
        if word in ("description", "title", "$comment"):
            continue
        test = _word(word, arg)
        if test is None:
            return None
        tests.append(test)
    if len(tests) == 1:
        return tests[0]
    return lambda value: all(t(value) for t in tests)


def _type(names: list[str]) -> Test:
    def test(value) -> bool:
        if isinstance(value, float) and not math.isfinite(value):
            return False  # the compiler rejects infinities and NaN whatever the type
        return any(_is_type(value, name) for name in names)
    return test


def _word(word: str, arg) -> Test | None:
    if word == "type" and (isinstance(arg, str) or isinstance(arg, list) and arg and all(isinstance(a, str) for a in arg)):
        return _type([arg] if isinstance(arg, str) else arg)
    if word == "required" and isinstance(arg, list) and all(isinstance(a, str) for a in arg):
        return lambda value: not isinstance(value, dict) or all(name in value for name in arg)
    if word == "const" and isinstance(arg, _SCALARS):
        return lambda value: value == arg and type(value) is type(arg)
    if word == "enum" and isinstance(arg, list) and arg and all(isinstance(a, str) for a in arg):
        options = frozenset(arg)
        return lambda value: isinstance(value, str) and value in options
    if word in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum") and _number(arg):
        compare = {"minimum": lambda v: v >= arg, "exclusiveMinimum": lambda v: v > arg,
                   "maximum": lambda v: v <= arg, "exclusiveMaximum": lambda v: v < arg}[word]
        return lambda value: not _number(value) or compare(value)
    if word in ("minItems", "maxItems") and isinstance(arg, int) and not isinstance(arg, bool):
        fits = (lambda n: n >= arg) if word == "minItems" else (lambda n: n <= arg)
        return lambda value: not isinstance(value, list) or fits(len(value))
    if word == "not":
        inner = fast_test(arg)
        return None if inner is None else (lambda value: not inner(value))
    if word == "properties" and isinstance(arg, dict):
        fields = []
        for name, sub in arg.items():
            test = fast_test(sub)
            if test is None:
                return None
            fields.append((name, test))
        return lambda value: not isinstance(value, dict) or all(name not in value or test(value[name]) for name, test in fields)
    return None


def as_test(fragment, compiled: Check) -> Test:
    """The fastest faithful test for a compiled fragment."""
    fast = fast_test(fragment)
    if fast is not None:
        return fast

    def slow(value) -> bool:
        ctx = Context()
        compiled(value, (), ctx)
        return not ctx.problems
    return slow
