"""Whatever a pack contains, loading and applying it gives findings, never an exception."""
from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mopsgov.load.model_loader import load_model
from mopsgov.rules.config import configure
from mopsgov.rules.engine import evaluate
from mopsgov.rules.pack import load_pack_file
from mopsgov.rules.templates import TemplateError, compile_template
from mopsgov.validate.schema_compiler import SUPPORTED

from conftest import ROOT

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(-5, 5), st.floats(allow_nan=False, allow_infinity=False),
                    st.sampled_from(["", "a", "tool", "crm", "^a+$", "(a+)+$", "#/x", "vocabulary.schema.json#/$defs/lifecycle"]))
KEYWORDS = sorted(SUPPORTED - {"$ref"}) + ["if", "$ref", "description"]
FRAGMENTS = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=3),
                            st.dictionaries(st.sampled_from(KEYWORDS + ["owner", "lifecycle", "id"]), inner, max_size=3)),
    max_leaves=8)
CONDITIONS = st.dictionaries(st.sampled_from(KEYWORDS + ["owner"]), FRAGMENTS, max_size=3)
TEXT = st.one_of(st.sampled_from(["{entity}", "{entity} has {count}", "plain", "{field} {problem}"]),
                 st.text(alphabet="{}ab.!:_ 0[]", min_size=1, max_size=12))


@st.composite
def rules(draw):
    rule = {"id": "x.rule", "title": "T", "severity": draw(st.sampled_from(["error", "warning", "info"])),
            "rationale": "R", "remediation": draw(TEXT), "message": draw(TEXT)}
    if draw(st.integers(0, 9)):
        rule["select"] = {"kind": draw(st.sampled_from(["tool", "process", "flow", "role"]))}
        if draw(st.integers(0, 2)) == 0:
            rule["select"]["where"] = draw(CONDITIONS)
    if draw(st.booleans()):
        rule["assert"] = {"schema": draw(st.one_of(CONDITIONS, st.fixed_dictionaries({}, optional={
            "required": st.lists(st.sampled_from(["owner", "vendor", "lifecycle"]), max_size=2),
            "properties": st.dictionaries(st.sampled_from(["lifecycle", "seats", "owner"]), FRAGMENTS, max_size=2)})))}
    else:
        rule["assert"] = {"predicate": draw(st.sampled_from(["tool.in-use", "raci.accountable-count", "ref.count",
                                                             "date.not-past", "no.such"]))}
    if draw(st.booleans()):
        rule["options"] = {draw(st.sampled_from(["days", "field", "min", "kind"])): {"default": draw(st.one_of(st.integers(0, 9), st.sampled_from(["deadline", "team", "role"]))),
                                                                                        "description": "d"}}
    return rule


MODEL = ROOT / "tests" / "fixtures" / "policies" / "odd-values"


@pytest.mark.slow
@settings(suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(rule=rules())
def test_any_pack_loads_and_runs_without_an_exception(tmp_path_factory, rule):
    path = tmp_path_factory.mktemp("pack") / "pack.yaml"
    path.write_text(json.dumps({"rules": [rule]}))  # JSON is YAML
    loaded, findings = load_pack_file(path, "pack.yaml", "pack")
    assert all(f.location is not None for f in findings)
    if loaded:
        model, _ = load_model(str(MODEL))
        active, _ = configure(loaded, model)
        for finding in evaluate(model, active):
            assert finding.rule == "x.rule", finding.message


@pytest.mark.slow
@given(text=st.text(max_size=40))
def test_templates_either_compile_or_say_why(text):
    try:
        template = compile_template(text)
    except TemplateError:
        return
    assert isinstance(template.render({"entity": "tool \"crm\""}), str)
