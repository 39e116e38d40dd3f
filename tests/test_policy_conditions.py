"""Selector filters: the direct tests give the same verdict as the compiled JSON Schema, value for value."""
from __future__ import annotations

import itertools

import pytest

from mopsgov.model import Model
from mopsgov.rules.conditions import fast_test
from mopsgov.rules.config import load_rules
from mopsgov.validate.schema_compiler import Compiler, Context

VALUES = [None, True, False, 0, 1, 5.5, 2.0, -3, float("inf"), float("nan"), "", "retired", "active", "phase-out", [], ["retired"], {}]
FIELDS = ["lifecycle", "annual_cost", "stakeholder", "contract", "target", "auto_renew", "sources"]


def _entities():
    yield {}
    for field, value in itertools.product(FIELDS, VALUES):
        yield {field: value}
    yield {"contract": {"auto_renew": True}}
    yield {"contract": {"auto_renew": "yes"}}
    yield {"lifecycle": "active", "annual_cost": 100}
    yield {"lifecycle": "plan", "annual_cost": 100}
    yield {"stakeholder": True, "lifecycle": "retired"}
    yield {"contract": {"renewal": "2027-01-01"}, "annual_cost": 5}
    yield "not a mapping"


def _fragments():
    rules, _ = load_rules(Model(root="."), ["builtin"])
    for rule in rules:
        select = rule.data.get("select", {})
        if "where" in select:
            yield f"{rule.id} where", select["where"]
        schema = rule.data["assert"].get("schema")
        if schema is not None:
            yield f"{rule.id} assert", schema
    yield "extra", {"properties": {"x": {"enum": ["a", "b"]}, "n": {"minimum": 2, "maximum": 4}}, "not": {"required": ["y"]}}
    for name in ("object", "string", "array", "boolean", "number", "integer", "null"):
        yield f"type {name}", {"type": name}
    yield "type list", {"properties": {"target": {"type": ["string", "number"]}}}


FRAGMENTS = list(_fragments())


@pytest.mark.parametrize("name, fragment", FRAGMENTS, ids=[n for n, _ in FRAGMENTS])
def test_direct_test_agrees_with_the_compiled_schema(name, fragment):
    test = fast_test(fragment)
    compiled = Compiler().compile(fragment)
    if test is None:
        assert not name.startswith(("ownership.", "kpi.", "goal.", "contract.", "lifecycle.", "raci.")), name
        return  # e.g. a pattern: only the compiler reads it
    for value in list(_entities()) + VALUES:
        ctx = Context()
        compiled(value, (), ctx)
        assert test(value) == (not ctx.problems), (fragment, value)


def test_fragments_with_other_keywords_have_no_direct_test():
    assert fast_test({"pattern": "^a"}) is None
    assert fast_test({"properties": {"a": {"minLength": 1}}}) is None
    assert fast_test({"enum": [1, 2]}) is None
    assert fast_test({"anyOf": [{"required": ["a"]}]}) is None
