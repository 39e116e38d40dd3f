"""Values a rule cannot work with, and predicates that break: findings at the entity, never a silenced rule."""
from __future__ import annotations

import textwrap
from pathlib import Path

from mopsgov.check import run_check
from mopsgov.resources import load_schema
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


CONTRACTS = """\
tools:
  - {id: map, name: MAP, category: marketing-automation, lifecycle: active, owner: mops,
     contract: {renewal: "0001-01-01", notice_days: 30}}
  - {id: crm, name: CRM, category: crm, lifecycle: active, owner: mops,
     contract: {renewal: "2027-01-30", notice_days: 3000000}}
  - {id: cms, name: CMS, category: cms-web-experience, lifecycle: active, owner: mops,
     contract: {renewal: "2027-01-30", notice_days: 30}}
"""


def test_a_notice_period_reaching_before_year_1_is_one_finding_at_the_renewal_and_the_rules_judge_the_other_tools(tmp_path):
    path = _model(tmp_path, CONTRACTS)
    cannot = ("policy.cannot-judge", 7, 26, 'tool "map": 30 days\' notice before the renewal on 0001-01-01 would reach '
              "back before the year 1, so the notice deadline cannot be checked")
    window = ("contract.notice-window", 11, 26, 'tool "cms": the notice deadline for the 2027-01-30 renewal is 2026-12-31, '
              "in 38 days (30 days' notice)")
    # crm's 3000000 days are above the schema's maximum: the schema says so, the rules skip the tool
    assert _judged(path, ("policy.", "contract.notice")) == [cannot, window]
    assert _checked(path, ("policy.", "contract.notice", "schema.")) == [
        cannot, ("schema.value", 9, 53, 'tool "crm": "contract.notice_days" must be at most 3650, got 3000000'), window]


def test_the_schema_bounds_notice_days_and_seats():
    properties = load_schema("tool.schema.json")["properties"]
    assert properties["contract"]["properties"]["notice_days"]["maximum"] == 3650
    assert properties["seats"]["properties"]["bought"]["maximum"] == 10_000_000
    assert properties["seats"]["properties"]["active"]["maximum"] == 10_000_000


SEATS = """\
tools:
  - {id: bi, name: BI, category: business-intelligence, lifecycle: active, owner: mops, seats: {bought: .nan, active: 3}}
  - {id: bi2, name: BI2, category: business-intelligence, lifecycle: active, owner: mops, seats: {bought: 10, active: .inf}}
  - {id: bi3, name: BI3, category: business-intelligence, lifecycle: active, owner: mops, seats: {bought: .inf, active: -.inf}}
  - {id: bi4, name: BI4, category: business-intelligence, lifecycle: active, owner: mops, seats: {bought: 20000000, active: 1}}
  - {id: bi5, name: BI5, category: business-intelligence, lifecycle: active, owner: mops, seats: {bought: 40, active: 10}}
"""


def test_seats_that_are_not_finite_numbers_are_schema_findings_and_the_licence_rules_judge_the_rest(tmp_path):
    path = _model(tmp_path, SEATS)
    assert _judged(path, ("policy.", "licence.")) == [
        ("licence.utilisation", 9, 125, 'tool "bi4" uses 1 of 20000000 seats (0%), below the 70% floor: 19999999 seats idle'),
        ("licence.utilisation", 10, 119, 'tool "bi5" uses 10 of 40 seats (25%), below the 70% floor: 30 seats idle'),
    ]
    assert _checked(path, ("policy.", "licence.", "schema.")) == [
        ("schema.type", 6, 105, 'tool "bi": "seats.bought" must be a finite number, but YAML reads .nan as the special value not-a-number (NaN)'),
        ("schema.type", 7, 119, 'tool "bi2": "seats.active" must be a finite number, but YAML reads .inf as an infinite number'),
        ("schema.type", 8, 107, 'tool "bi3": "seats.bought" must be a finite number, but YAML reads .inf as an infinite number'),
        ("schema.type", 8, 121, 'tool "bi3": "seats.active" must be a finite number, but YAML reads -.inf as an infinite number'),
        ("schema.value", 9, 107, 'tool "bi4": "seats.bought" must be at most 10000000, got 20000000'),
        ("licence.utilisation", 10, 119, 'tool "bi5" uses 10 of 40 seats (25%), below the 70% floor: 30 seats idle'),
    ]


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
