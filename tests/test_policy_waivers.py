"""Waivers on a valid model: which findings they cover, and what is said about the ones that cover none."""
from __future__ import annotations

from pathlib import Path

from mopsgov.check import run_check

from conftest import MOPS_TEAM

MODEL = MOPS_TEAM + """\
  - {id: cmo, name: CMO, team: marketing, stakeholder: true}
slas:
  - {id: lead-sla, name: Lead follow-up, target: 2 hours, owner: mops}
kpis:
  - {id: clicks, name: Clicks, form: activity, owner: mops}
waivers:
"""


def _waiver(waiver_id: str, rule: str, entity: str) -> str:
    return (f'  - {{id: {waiver_id}, name: Waiver {waiver_id}, rule: {rule}, entity: "{entity}", reason: Agreed in review,'
            f' approver: cmo, expires: "2027-01-31"}}\n')


def _check(tmp_path: Path, waivers: str, rules: tuple[str, ...]) -> list[tuple]:
    (tmp_path / "mopsgov.yaml").write_text('as_of: "2026-11-23"\n')
    (tmp_path / "model.yaml").write_text(MODEL + waivers)
    result = run_check(".")
    assert [f for f in result.findings if f.rule.startswith(("schema.", "ref.", "yaml."))] == []
    return [(f"{f.file}:{f.line}:{f.column}", f.rule, f.message, f.suppressed_by, f.kind, f.entity)
            for f in result.findings if f.rule in rules]


def test_every_live_waiver_that_covers_a_finding_is_in_use_and_the_first_is_named(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    rules = ("sla.escalation", "waiver.unmatched")
    one, every = _waiver("w1", "sla.escalation", "sla:lead-sla"), _waiver("w2", "sla.escalation", "sla:*")
    assert _check(tmp_path, one + every, rules) == [
        ("model.yaml:7:5", "sla.escalation", 'SLA "lead-sla" names no escalation role',
         "waived by waiver w1 until 2027-01-31", "sla", "lead-sla")]
    assert _check(tmp_path, every + one, rules) == [
        ("model.yaml:7:5", "sla.escalation", 'SLA "lead-sla" names no escalation role',
         "waived by waiver w2 until 2027-01-31", "sla", "lead-sla")]


def test_a_finding_about_the_whole_model_points_at_it_and_no_entity_waiver_covers_it(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = _check(tmp_path, _waiver("w3", "kpi.outcome-present", "kpi:*"), ("kpi.outcome-present", "waiver.unmatched"))
    assert found == [
        ("model.yaml:11:37", "waiver.unmatched",
         'waiver "w3" matches no finding: rule kpi.outcome-present reports on the model as a whole, which no waiver covers',
         None, "waiver", "w3"),
        ("mopsgov.yaml:1:1", "kpi.outcome-present", "none of the model's 1 KPIs has form outcome (forms used: activity)",
         None, None, None),
    ]


def test_a_waiver_for_a_validation_finding_says_it_cannot_be_waived(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    waivers = _waiver("w4", "ref.unresolved", "sla:lead-sla") + _waiver("w5", "schema.missing-field", "sla:*")
    result = _check(tmp_path, waivers, ("waiver.unmatched",))
    assert result == [
        ("model.yaml:11:37", "waiver.unmatched", 'waiver "w4" waives "ref.unresolved", a finding of validation: '
         "schema and reference findings cannot be waived, they must be fixed", None, "waiver", "w4"),
        ("model.yaml:12:37", "waiver.unmatched", 'waiver "w5" waives "schema.missing-field", a finding of validation: '
         "schema and reference findings cannot be waived, they must be fixed", None, "waiver", "w5"),
    ]
    fixes = {f.fix for f in run_check(".").findings if f.rule == "waiver.unmatched"}
    assert fixes == {"Fix what ref.unresolved reports in the model, then delete the waiver.",
                     "Fix what schema.missing-field reports in the model, then delete the waiver."}


def test_an_unknown_policy_rule_still_gets_did_you_mean(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    found = _check(tmp_path, _waiver("w6", "sla.escalaton", "sla:lead-sla"), ("waiver.unmatched",))
    assert found == [("model.yaml:11:37", "waiver.unmatched",
                      'waiver "w6" waives rule "sla.escalaton", which no enabled pack defines',
                      None, "waiver", "w6")]


def test_a_waiver_approved_by_nobody_the_model_knows_waives_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mopsgov.yaml").write_text('as_of: "2026-11-23"\n')
    waiver = _waiver("w1", "sla.escalation", "sla:lead-sla").replace("approver: cmo", "approver: nobody")
    (tmp_path / "model.yaml").write_text(MODEL + waiver)
    result = run_check(".")
    assert [(f.rule, f.line, f.column, f.suppressed_by) for f in result.findings
            if f.rule in ("ref.unresolved", "sla.escalation", "waiver.unmatched")] == [
        ("sla.escalation", 7, 5, None),
        ("ref.unresolved", 11, 113, None)]
