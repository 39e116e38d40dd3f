"""Option values, severities and message fields a rule cannot use: findings at their line, never a silent rule."""
from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mopsgov.check import run_check

from conftest import MOPS_TEAM

MODEL = MOPS_TEAM + """\
tools:
  - {id: crm, name: CRM, category: crm, lifecycle: active, owner: mops, capabilities: [email-send, lead-scoring],
     x-backup-owner: nobody}
"""

RULE = """\
  - id: {rule_id}
    title: T
    severity: warning
    rationale: R
    remediation: F
    message: "{message}"
    select: {{kind: {kind}}}
    assert: {assertion}
"""


def _repo(tmp_path: Path, rules: str, config: str = "") -> list[tuple]:
    (tmp_path / "policies").mkdir(exist_ok=True)
    (tmp_path / "mopsgov.yaml").write_text('as_of: "2026-11-23"\npolicies:\n  packs: [policies]\n' + config)
    (tmp_path / "model.yaml").write_text(MODEL)
    (tmp_path / "policies" / "pack.yaml").write_text("rules:\n" + rules)
    result = run_check(".")
    return [(f"{f.file}:{f.line}:{f.column}", f.rule, f.message, f.fix) for f in result.findings]


def _rule(rule_id: str, predicate: str, options: str = "", kind: str = "tool", message: str = "{entity}") -> str:
    text = RULE.format(rule_id=rule_id, message=message, kind=kind, assertion=f"{{predicate: {predicate}}}")
    return text + (f"    options: {options}\n" if options else "")


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)


def test_a_misspelt_kind_of_a_custom_rule_is_a_finding_not_a_rule_that_reports_nothing(tmp_path):
    rules = (_rule("x.backup", "ref.resolves", "{field: {default: x-backup-owner, description: d}}", message="{entity} {value}")
             + _rule("x.backup-typo", "ref.resolves", "{field: {default: x-backup-owner, description: d}, kind: {default: rol, description: d}}"))
    assert _repo(tmp_path, rules) == [
        ("model.yaml:7:22", "x.backup", 'tool "crm" nobody', "F"),
        ("policies/pack.yaml:19:81", "policy.option-type", 'rule "x.backup-typo": option "kind" must be a kind of entity, got "rol"',
         'Did you mean "role"?'),
    ]


def test_field_paths_are_checked_against_the_schema_of_the_selected_kind(tmp_path):
    rules = (_rule("x.renewal", "date.not-past", "{field: {default: contract.renewl, description: d}}")
             + _rule("x.deadline", "date.not-past")  # the predicate's default field, deadline, is no field of a tool
             + _rule("x.inside", "date.not-past", "{field: {default: owner.name, description: d}}")
             + _rule("x.team-roles", "ref.count", "{field: {default: teem, description: d}}", kind="team"))
    assert _repo(tmp_path, rules) == [
        ("policies/pack.yaml:10:32", "policy.option-type",
         'rule "x.renewal": option "field" must name a field of the tool schema, got "contract.renewl"', 'Did you mean "contract.renewal"?'),
        ("policies/pack.yaml:18:25", "policy.option-type",
         'rule "x.deadline": option "field" must name a field of the tool schema, got "deadline" (the default of predicate date.not-past)',
         "Fields of the tool schema: id, name, description, vendor, product, category, platform_group, capabilities, owner, "
         "user_teams, lifecycle, annual_cost, currency, contract, seats, compliance, holds; or a field of your own starting with x-."),
        ("policies/pack.yaml:27:32", "policy.option-type",
         'rule "x.inside": option "field" must name a field of the tool schema, got "owner.name": owner has no fields inside it', None),
        ("policies/pack.yaml:36:32", "policy.option-type",
         'rule "x.team-roles": option "field" must name a field of the role schema, got "teem"', 'Did you mean "team"?'),
    ]


def test_numbers_out_of_range_and_unknown_terms_are_findings_at_the_value(tmp_path):
    rules = (_rule("x.overload", "raci.accountable-overload", "{max_steps: {default: -1, description: d}}")
             + _rule("x.listed", "tool.in-use", "{max_listed: {default: 2.5, description: d}}")
             + _rule("x.basis", "data.lawful-basis", "{classifications: {default: [personal, persnal], description: d}}", kind="flow"))
    assert _repo(tmp_path, rules) == [
        ("policies/pack.yaml:10:36", "policy.option-type", 'rule "x.overload": option "max_steps" must be 0 or more, got -1', None),
        ("policies/pack.yaml:19:37", "policy.option-type",
         'rule "x.listed": option "max_listed" must be a whole number, 0 or more, got 2.5', None),
        ("policies/pack.yaml:28:53", "policy.option-type",
         'rule "x.basis": option "classifications" must be a data classification '
         '(public, internal, confidential, personal, sensitive-personal), got "persnal"', 'Did you mean "personal"?'),
    ]


def test_option_values_set_in_mopsgov_yaml_are_checked_the_same_way(tmp_path):
    rules = _rule("x.backup", "ref.resolves", "{field: {default: x-backup-owner, description: d}}") + _rule("x.roles", "ref.count", kind="team")
    config = "  rules:\n    x.backup: {options: {kind: tol}}\n    x.roles: {options: {kind: tool, min: -2}}\n"
    found = _repo(tmp_path, rules, config)
    policy = [f for f in found if f[1].startswith("policy.")]
    assert policy == [
        ("mopsgov.yaml:5:32", "policy.option-type", 'option "kind" of rule "x.backup" must be a kind of entity, got "tol"',
         'Did you mean "tool"?'),
        # the field the pack gives is not one of the kind mopsgov.yaml sets: at the rule's options
        ("mopsgov.yaml:6:24", "policy.option-type",
         'option "field" of rule "x.roles" must name a field of the tool schema, got "team"',
         "Fields of the tool schema: id, name, description, vendor, product, category, platform_group, capabilities, owner, "
         "user_teams, lifecycle, annual_cost, currency, contract, seats, compliance, holds; or a field of your own starting with x-."),
        ("mopsgov.yaml:6:42", "policy.option-type", 'option "min" of rule "x.roles" must be 0 or more, got -2', "The default is 1."),
    ]


def test_a_builtin_option_set_to_an_unknown_term_in_mopsgov_yaml(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text(textwrap.dedent("""\
        as_of: "2026-11-23"
        policies:
          rules:
            kpi.outcome-present: {options: {form: outcom}}
            data.lawful-basis: {options: {classifications: [personal, sensitive]}}
        """))
    (tmp_path / "model.yaml").write_text(MODEL)
    found = [(f"{f.file}:{f.line}:{f.column}", f.message, f.fix) for f in run_check(".").findings if f.rule == "policy.option-type"]
    assert found == [
        ("mopsgov.yaml:4:43", 'option "form" of rule "kpi.outcome-present" must be a KPI form (activity, outcome, operational), '
         'got "outcom"', 'Did you mean "outcome"?'),
        ("mopsgov.yaml:5:63", 'option "classifications" of rule "data.lawful-basis" must be a data classification '
         '(public, internal, confidential, personal, sensitive-personal), got "sensitive"', 'Did you mean "sensitive-personal"?'),
    ]


@pytest.mark.parametrize("setting, where, problem, fix", [
    ("{severity: critical}", "4:29", '"policies.rules.kpi.formula.severity" must be one of: error, warning, info, off; got "critical"',
     "Use one of the listed values."),
    ("{severty: error}", "4:19", '"policies.rules.kpi.formula.severty" is not a field mopsgov knows',
     'Did you mean "severity"? Fields of your own go under a name starting with x-, such as x-severty.'),
    ("critical", "4:18", '"policies.rules.kpi.formula" must be one of: error, warning, info, off; got "critical"',
     "Use one of the listed values."),
])
def test_a_wrong_severity_setting_is_reported_at_what_is_wrong(tmp_path, setting, where, problem, fix):
    (tmp_path / "mopsgov.yaml").write_text(f'as_of: "2026-11-23"\npolicies:\n  rules:\n    kpi.formula: {setting}\n')
    (tmp_path / "model.yaml").write_text(MODEL)
    found = [(f"{f.file}:{f.line}:{f.column}", f.message, f.fix) for f in run_check(".").findings if f.file == "mopsgov.yaml"
             and f.rule.startswith("schema.")]
    assert found == [(f"mopsgov.yaml:{where}", f"setting {problem}", fix)]


def test_message_fields_are_the_ones_a_message_can_show(tmp_path):
    schema = "{schema: {required: [vendor]}}"
    shown = RULE.format(rule_id="x.caps", message="{entity} caps={capabilities} owner={owner}", kind="tool", assertion=schema)
    groups = RULE.format(rule_id="x.groups", message="{contract}", kind="tool", assertion=schema)
    assert _repo(tmp_path, shown + groups) == [
        ("model.yaml:6:5", "x.caps", 'tool "crm" caps=email-send, lead-scoring owner=mops', "F"),
        ("policies/pack.yaml:15:14", "policy.template", 'rule "x.groups": message: {contract} is a group of fields, '
         "which a message cannot show",
         "Messages show text, numbers and lists of them; {field} and {value} show the field the schema assertion points at."),
    ]
