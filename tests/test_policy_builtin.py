"""The built-in pack: every rule's exact findings (rule, severity, message, file:line:column) on its failing fixtures."""
from __future__ import annotations

import pytest

from mopsgov.rules.config import load_rules
from mopsgov.rules.fixtures import run_tests
from mopsgov.rules.rule_catalog import resolve_target, fixture_folders

from conftest import run_cli

# The packs of the policy engine; analysis.yaml (graph analyses) has tests of its own.
OWN_PACKS = ("builtin/data.yaml", "builtin/measurement.yaml", "builtin/ownership.yaml", "builtin/raci.yaml", "builtin/stack.yaml")

EXPECTED = {
    'contract.auto-renew-owner': [
        ('builtin/tests/contract.auto-renew-owner.yaml:12:11', 'error',
         'tool "seo" renews automatically but has no owner to decide on it'),
    ],
    'contract.notice-passed': [
        ('builtin/tests/contract.notice-passed.yaml:14:32', 'warning',
         'tool "crm": the notice deadline 2026-10-31 passed 23 days ago; the contract renews on 2026-12-31'),
    ],
    'contract.notice-window': [
        ('builtin/tests/contract.notice-window.yaml:14:32', 'warning',
         'tool "crm": the notice deadline for the 2027-01-30 renewal is 2026-12-31, in 38 days (30 days\' notice)'),
    ],
    'contract.renewal-date': [
        ('builtin/tests/contract.renewal-date.yaml:13:11', 'info',
         'tool "crm" has an annual cost but no contract'),
        ('builtin/tests/contract.renewal-date.yaml:15:22', 'info',
         'tool "map" has an annual cost but no contract.renewal'),
    ],
    'contract.renewal-past': [
        ('builtin/tests/contract.renewal-past.yaml:13:86', 'info',
         'tool "crm": the contract renewal date 2026-10-31 is 23 days in the past'),
    ],
    'data.lawful-basis': [
        ('builtin/tests/data.lawful-basis.yaml:18:87', 'error',
         'flow "web-to-cdp" carries personal data (contact) but states no lawful basis'),
    ],
    'data.processing-agreement': [
        ('builtin/tests/data.processing-agreement.yaml:23:71', 'error',
         'flow "crm-to-enrich" sends personal data (contact) to tool "enrich", which has no signed data processing agreement'),
        ('builtin/tests/data.processing-agreement.yaml:23:84', 'error',
         'flow "crm-to-enrich" sends personal data (contact) to tool "zap", which has no signed data processing agreement'),
    ],
    'data.system-of-record': [
        ('builtin/tests/data.system-of-record.yaml:12:11', 'error',
         'data object "lead" has no system of record; exactly one tool must own the truth'),
        ('builtin/tests/data.system-of-record.yaml:13:94', 'error',
         'data object "account" has 2 systems of record (crm, map); exactly one tool must own the truth'),
    ],
    'goal.deadline-future': [
        ('builtin/tests/goal.deadline-future.yaml:12:66', 'warning',
         'goal "more-clicks" had its deadline on 2026-06-30, 146 days ago'),
    ],
    'goal.improves': [
        ('builtin/tests/goal.improves.yaml:17:91', 'warning',
         'goal "more-clicks" aims for 3000 from a baseline of 4000, but KPI "email-clicks" is higher is better'),
    ],
    'goal.smart': [
        ('builtin/tests/goal.smart.yaml:11:11', 'warning',
         'goal "more-clicks" is not SMART: it has no baseline'),
        ('builtin/tests/goal.smart.yaml:11:11', 'warning',
         'goal "more-clicks" is not SMART: it has no deadline'),
        ('builtin/tests/goal.smart.yaml:11:11', 'warning',
         'goal "more-clicks" is not SMART: it has no target'),
    ],
    'kpi.cadence': [
        ('builtin/tests/kpi.cadence.yaml:11:11', 'warning',
         'KPI "mql-to-sql" has no cadence'),
    ],
    'kpi.direction': [
        ('builtin/tests/kpi.direction.yaml:11:11', 'warning',
         'KPI "mql-to-sql" has no direction'),
    ],
    'kpi.form': [
        ('builtin/tests/kpi.form.yaml:11:11', 'info',
         'KPI "mql-to-sql" has no form'),
    ],
    'kpi.formula': [
        ('builtin/tests/kpi.formula.yaml:11:11', 'warning',
         'KPI "mql-to-sql" has no formula'),
    ],
    'kpi.outcome-present': [
        # about the KPI set as a whole: at the model, like every model-wide finding
        ('mopsgov.yaml:1:1', 'warning',
         "none of the model's 3 KPIs has form outcome (forms used: activity, operational)"),
    ],
    'kpi.inputs': [
        ('builtin/tests/kpi.inputs.yaml:11:11', 'warning',
         'KPI "pipeline" names no input data objects'),
        ('builtin/tests/kpi.inputs.yaml:12:70', 'warning',
         'KPI "mql-volume" names no input data objects'),
    ],
    'kpi.sources': [
        ('builtin/tests/kpi.sources.yaml:11:11', 'warning',
         'KPI "pipeline" names no source tool it is computed in'),
        ('builtin/tests/kpi.sources.yaml:12:55', 'warning',
         'KPI "mql-volume" names no source tool it is computed in'),
    ],
    'kpi.target': [
        ('builtin/tests/kpi.target.yaml:11:11', 'warning',
         'KPI "mql-to-sql" has no target'),
    ],
    'kpi.unit': [
        ('builtin/tests/kpi.unit.yaml:11:11', 'warning',
         'KPI "mql-to-sql" has no unit'),
    ],
    'licence.over-assigned': [
        ('builtin/tests/licence.over-assigned.yaml:11:94', 'warning',
         'tool "crm" has 55 seats in use but only 50 bought'),
    ],
    'licence.utilisation': [
        ('builtin/tests/licence.utilisation.yaml:12:94', 'warning',
         'tool "crm" uses 12 of 40 seats (30%), below the 70% floor: 28 seats idle'),
    ],
    'lifecycle.phase-out-in-use': [
        ('builtin/tests/lifecycle.phase-out-in-use.yaml:11:74', 'warning',
         'tool "old-dam" is being phased out but is still used by flow "assets"'),
    ],
    'lifecycle.retired-in-use': [
        ('builtin/tests/lifecycle.retired-in-use.yaml:15:83', 'error',
         'tool "old-map" is retired but still used by step "send" of process "nurture", flow "old-sync"'),
    ],
    'ownership.data': [
        ('builtin/tests/ownership.data.yaml:11:11', 'warning',
         'data object "lead" has no owner'),
    ],
    'ownership.flow': [
        ('builtin/tests/ownership.flow.yaml:11:11', 'info',
         'flow "map-to-crm" has no owner'),
    ],
    'ownership.goal': [
        ('builtin/tests/ownership.goal.yaml:11:11', 'warning',
         'goal "more-clicks" has no owner'),
    ],
    'ownership.kpi': [
        ('builtin/tests/ownership.kpi.yaml:11:11', 'warning',
         'KPI "mql-to-sql" has no owner'),
    ],
    'ownership.sla': [
        ('builtin/tests/ownership.sla.yaml:11:11', 'warning',
         'SLA "lead-follow-up" has no owner'),
    ],
    'ownership.tool': [
        ('builtin/tests/ownership.tool.yaml:12:11', 'warning',
         'tool "crm" has no owner'),
    ],
    'raci.accountable-overload': [
        ('builtin/tests/raci.accountable-overload.yaml:21:16', 'warning',
         'role "mops-manager" is Accountable for 3 process steps, more than 2: a likely bottleneck'),
    ],
    'raci.responsible-present': [
        ('builtin/tests/raci.responsible-present.yaml:22:46', 'error',
         'step "brief" of process "campaign-build" has no Responsible role (R or A/R)'),
    ],
    'raci.role-participates': [
        ('builtin/tests/raci.role-participates.yaml:17:16', 'info',
         'role "web-producer" owns no process and has no part in any step\'s RACI'),
    ],
    'raci.single-accountable': [
        ('builtin/tests/raci.single-accountable.yaml:22:73', 'error',
         'step "score" of process "lead-routing" has 2 Accountable roles (mops-manager, sales-ops): exactly one role must be Accountable'),
        ('builtin/tests/raci.single-accountable.yaml:23:55', 'error',
         'step "route" of process "lead-routing" has no Accountable role: exactly one role must be Accountable'),
    ],
    'sla.escalation': [
        ('builtin/tests/sla.escalation.yaml:11:11', 'warning',
         'SLA "lead-routing" names no escalation role'),
    ],
    'sla.measured-by': [
        ('builtin/tests/sla.measured-by.yaml:11:11', 'warning',
         'SLA "lead-routing" names no KPI that measures it'),
    ],
    'sla.target': [
        ('builtin/tests/sla.target.yaml:11:11', 'warning',
         'SLA "lead-routing" has no target'),
    ],
    'sla.target-unit': [
        ('builtin/tests/sla.target-unit.yaml:16:58', 'warning',
         'SLA "lead-routing" has the target 5, which has no unit'),
        ('builtin/tests/sla.target-unit.yaml:17:56', 'warning',
         'SLA "follow-up" has the target "fast", which is neither a duration nor a percentage'),
        ('builtin/tests/sla.target-unit.yaml:18:53', 'warning',
         'SLA "build" has the target "5 Minutes", which is not written the way durations are: write "5 minutes"'),
    ],
}


# The other places a finding is about (Finding.related), per finding, where there are any: the
# steps and flows that still use a tool, the RACI entries that make a role Accountable.
RELATED = {
    'lifecycle.phase-out-in-use': [['builtin/tests/lifecycle.phase-out-in-use.yaml:13:60']],
    'lifecycle.retired-in-use': [['builtin/tests/lifecycle.retired-in-use.yaml:18:51',
                                  'builtin/tests/lifecycle.retired-in-use.yaml:20:48']],
    'raci.accountable-overload': [['builtin/tests/raci.accountable-overload.yaml:28:61',
                                   'builtin/tests/raci.accountable-overload.yaml:29:57',
                                   'builtin/tests/raci.accountable-overload.yaml:30:59']],
}
MODEL_WIDE = {'kpi.outcome-present'}  # findings of no entity: no kind, so no entity's waiver covers them


@pytest.fixture(scope="module")
def reports():
    model, entries = resolve_target(None)
    rules, problems = load_rules(model, entries)
    assert problems == []
    found, test_problems = run_tests(rules, fixture_folders(model, entries))
    assert test_problems == []
    return {r.rule.id: r for r in found}


def test_the_builtin_pack_has_at_least_25_rules_and_each_is_pinned_here(reports):
    own = {rule_id for rule_id, r in reports.items() if r.rule.source.file in OWN_PACKS}
    assert len(own) >= 25
    assert own == set(EXPECTED)


@pytest.mark.parametrize("rule_id", sorted(EXPECTED))
def test_rule_gives_the_exact_findings_on_its_fixtures(reports, rule_id):
    report = reports[rule_id]
    assert report.ok and report.complete
    got = [(str(f.location), f.severity.label, f.message) for r in report.results for f in r.findings]
    assert got == EXPECTED[rule_id]
    related = [[str(loc) for loc in f.related] for r in report.results for f in r.findings]
    assert related == RELATED.get(rule_id, [[]] * len(got))
    findings = [f for r in report.results for f in r.findings]
    assert all(f.rule == rule_id and f.fix for f in findings)
    if rule_id in MODEL_WIDE:
        assert [(f.kind, f.entity, f.path) for f in findings] == [(None, None, "$")]
    else:
        assert all(f.kind and f.entity for f in findings)


def test_policy_test_command_passes_on_the_builtin_pack():
    # --strict: every built-in rule also has a passing and a failing fixture
    done = run_cli("policy", "test", "--strict")
    assert done.returncode == 0, done.stdout + done.stderr
    lines = [line.split() for line in done.stdout.splitlines()]
    assert sorted(line[1] for line in lines if line[0] == "ok" and line[1] in EXPECTED) == sorted(EXPECTED)
    assert sorted(line[2] for line in lines if line[1] in EXPECTED) == ["2"] * 35 + ["3"] * 3
    assert " 0 failed" in done.stdout.splitlines()[-1]
