"""Values a rule cannot work with, and predicates that break: findings at the entity, never a silenced rule."""
from __future__ import annotations

import textwrap
from pathlib import Path

from mopsgov.check import run_check
from mopsgov.rules.config import configure, load_rules
from mopsgov.rules.engine import evaluate
from mopsgov.rules.registry import PREDICATES, Predicate, Violation

from conftest import MOPS_TEAM


def _model(tmp_path: Path, body: str, config: str = "") -> Path:
    (tmp_path / "mopsgov.yaml").write_text('as_of: "2026-11-23"\n' + config)
    (tmp_path / "model.yaml").write_text(MOPS_TEAM + textwrap.dedent(body))
    return tmp_path


def _judged(path: Path, prefixes: tuple[str, ...]) -> list[tuple]:
    """What the rules say, before check holds back findings about entities with validation errors."""
    model = run_check(str(path)).model
    active, _ = configure(load_rules(model)[0], model)
    return [(f.rule, f.line, f.column, f.message) for f in evaluate(model, active) if f.rule.startswith(prefixes)]


def _checked(path: Path, prefixes: tuple[str, ...]) -> list[tuple]:
    return [(f.rule, f.line, f.column, f.message) for f in run_check(str(path)).findings if f.rule.startswith(prefixes)]


GOALS = """\
kpis:
  - {id: leads, name: Leads, form: outcome, formula: count of leads, unit: leads, direction: [], cadence: monthly,
     owner: mops, target: 10}
  - {id: cpl, name: Cost per lead, form: outcome, formula: cost / leads, unit: EUR, direction: lower-is-better,
     cadence: monthly, owner: mops, target: 10}
goals:
  - {id: more-leads, name: More leads, kpi: leads, baseline: 10, target: 5, deadline: "2027-06-30", owner: mops}
  - {id: cheaper, name: Cheaper leads, kpi: cpl, baseline: 10, target: 12, deadline: "2027-06-30", owner: mops}
"""


def test_a_kpi_direction_of_the_wrong_type_is_the_schemas_finding_and_goal_improves_still_judges_the_other_goals(tmp_path):
    path = _model(tmp_path, GOALS)
    improves = ("goal.improves", 12, 72, 'goal "cheaper" aims for 12 from a baseline of 10, but KPI "cpl" is lower is better')
    assert _judged(path, ("policy.", "goal.improves")) == [improves]
    assert _checked(path, ("policy.", "goal.improves", "schema.")) == [
        ("schema.value", 6, 94, 'KPI "leads": "direction" must be one of: higher-is-better, lower-is-better; got a list'),
        improves]


PACK = """\
rules:
  - id: x.fragile
    title: T
    severity: warning
    rationale: R
    remediation: F
    message: "{entity} is fragile"
    select: {kind: tool}
    assert: {predicate: test.fragile}
"""


def _fragile(tool, options, ctx):
    if tool.id == "b":
        raise TypeError("unhashable type: 'list'")
    yield Violation(tool, ("name",), subject=tool.id)


def test_a_predicate_that_breaks_on_one_entity_is_reported_there_and_still_judges_the_others(tmp_path, monkeypatch):
    monkeypatch.setitem(PREDICATES, "test.fragile", Predicate("test.fragile", "entity", _fragile, {}, "d"))
    (tmp_path / "policies").mkdir()
    (tmp_path / "policies" / "pack.yaml").write_text(PACK)
    path = _model(tmp_path, """\
        tools:
          - {id: a, name: A, category: crm, lifecycle: active, owner: mops}
          - {id: b, name: B, category: crm, lifecycle: active, owner: mops}
          - {id: c, name: C, category: crm, lifecycle: active, owner: mops}
        """, "policies:\n  packs: [policies]\n")
    result = run_check(str(path))
    assert [(f.rule, f.file, f.line, f.column, f.message, f.kind, f.entity) for f in result.findings
            if f.rule.startswith(("x.", "policy."))] == [
        ("x.fragile", str(path / "model.yaml"), 6, 19, 'tool "a" is fragile', "tool", "a"),
        ("policy.rule-failed", str(path / "model.yaml"), 7, 5,
         "rule \"x.fragile\" could not be evaluated on tool \"b\": TypeError: unhashable type: 'list'", "tool", "b"),
        ("x.fragile", str(path / "model.yaml"), 8, 19, 'tool "c" is fragile', "tool", "c"),
    ]
    assert result.exit_code == 1
