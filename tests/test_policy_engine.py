"""The policy engine on model repositories: custom packs, configuration, waivers, and what a pack may not do."""
from __future__ import annotations

import json
import os
import shutil
import textwrap
from pathlib import Path

import pytest

from mopsgov.check import run_check
from mopsgov.model import Model
from mopsgov.rules.config import configure, load_rules
from mopsgov.rules.engine import evaluate
from mopsgov.rules.templates import TemplateError, compile_template

from conftest import FIXTURES, MOPS_TEAM, ROOT, run_cli, run_json

ACME = FIXTURES / "policies" / "acme"


def _repo(tmp_path: Path) -> Path:
    target = tmp_path / "acme"
    shutil.copytree(ACME, target)
    return target


def _analysis_rules() -> set[str]:
    """Rules of the graph analyses' pack: they have tests of their own and are left out here."""
    rules, _ = load_rules(Model(root="."), ["builtin"])
    return {r.id for r in rules if r.source.file == "builtin/analysis.yaml"}


ANALYSIS = _analysis_rules()


def _ours(findings) -> list:
    return [f for f in findings if f.rule not in ANALYSIS]


def _lines(result) -> list[tuple]:
    return [(str(f.location), f.severity.label, f.rule, f.message, f.suppressed_by) for f in _ours(result.findings)]


def test_custom_pack_is_applied_configured_and_waived(monkeypatch):
    monkeypatch.chdir(ROOT)
    result = run_check("tests/fixtures/policies/acme")
    m = "tests/fixtures/policies/acme/model.yaml"
    assert _lines(result) == [
        # severity raised to error and the window shortened to 60 days in mopsgov.yaml
        (f"{m}:14:25", "error", "contract.notice-window",
         'tool "crm": the notice deadline for the 2027-01-30 renewal is 2026-12-31, in 38 days (30 days\' notice)', None),
        (f"{m}:15:5", "warning", "acme.tool-vendor", 'tool "webinar" names no vendor',
         "waived by waiver webinar-vendor until 2027-03-31"),
        (f"{m}:31:5", "info", "acme.flow-latency", 'flow "webinar-to-crm" into crm has no latency', None),
        (f"{m}:57:14", "error", "waiver.expired",
         'waiver "old-exception" for rule contract.notice-window on tool:crm expired on 2026-09-30; '
         "the findings it covered count again", None),
        (f"{m}:61:13", "warning", "waiver.unmatched",
         'waiver "survey-vendor" matches no finding: rule acme.tool-vendor reports nothing on tool:survey', None),
    ]
    assert result.exit_code == 1


def test_the_expired_waiver_fails_check_at_its_own_line_and_waived_findings_show_in_text_and_json():
    done = run_cli("check", "tests/fixtures/policies/acme")
    assert done.returncode == 1
    assert ("tests/fixtures/policies/acme/model.yaml:15:5: warning acme.tool-vendor tool \"webinar\" names no vendor "
            "[waived by waiver webinar-vendor until 2027-03-31]") in done.stdout.splitlines()
    assert "tests/fixtures/policies/acme/model.yaml:57:14: error waiver.expired" in done.stdout
    code, report = run_json("check", "tests/fixtures/policies/acme")
    assert code == 1
    report["findings"] = [f for f in report["findings"] if f["rule"] not in ANALYSIS]
    waived = [f for f in report["findings"] if f["suppressed_by"]]
    assert [(f["rule"], f["line"], f["column"], f["suppressed_by"]) for f in waived] == [
        ("acme.tool-vendor", 15, 5, "waived by waiver webinar-vendor until 2027-03-31")]
    expired = [f for f in report["findings"] if f["rule"] == "waiver.expired"]
    assert [(f["severity"], f["line"], f["column"], f["path"]) for f in expired] == [("error", 57, 14, "$.waivers[1].expires")]
    assert report["summary"]["error"] == 2 and report["summary"]["suppressed"] == 1


def test_a_waived_finding_does_not_fail_check(tmp_path):
    repo = _repo(tmp_path)
    model = repo / "model.yaml"
    model.write_text(model.read_text().replace('expires: "2026-09-30"', 'expires: "2027-09-30"'))
    result = run_check(str(repo))
    notice = [f for f in result.findings if f.rule == "contract.notice-window"]
    assert [f.suppressed_by for f in notice] == ["waived by waiver old-exception until 2027-09-30"]
    assert result.exit_code == 0
    assert result.counts()["error"] == 0 and result.counts()["suppressed"] == 2


def test_a_waiver_for_a_whole_kind_and_one_for_an_unknown_rule(tmp_path):
    repo = _repo(tmp_path)
    model = repo / "model.yaml"
    text = model.read_text().replace("entity: tool:webinar", "entity: tool:*").replace(
        "rule: acme.tool-vendor\n    entity: tool:survey", "rule: acme.tool-vender\n    entity: tool:survey")
    model.write_text(text)
    result = run_check(str(repo))
    vendor = [f for f in result.findings if f.rule == "acme.tool-vendor"]
    assert [f.suppressed_by for f in vendor] == ["waived by waiver webinar-vendor until 2027-03-31"]
    unmatched = [(f.line, f.column, f.message, f.fix) for f in result.findings if f.rule == "waiver.unmatched"]
    assert unmatched == [(60, 11, 'waiver "survey-vendor" waives rule "acme.tool-vender", which no enabled pack defines',
                          'Did you mean "acme.tool-vendor"?')]


def test_configuration_mistakes_are_findings_with_did_you_mean(tmp_path):
    repo = _repo(tmp_path)
    (repo / "mopsgov.yaml").write_text(textwrap.dedent("""\
        as_of: "2026-11-23"
        policies:
          packs: [builtin, policies, missing-pack]
          rules:
            contract.notice-windw: warning
            licence.utilisation: {options: {flor: 50}}
            raci.accountable-overload: {options: {max_steps: many}}
        """))
    result = run_check(str(repo))
    policy = [(str(f.location).split("/")[-1], f.rule, f.message, f.fix) for f in result.findings if f.rule.startswith("policy.")]
    assert policy == [
        ("mopsgov.yaml:3:30", "policy.pack-missing", 'the policy pack "missing-pack" does not exist, or holds no .yaml file',
         "Give a path relative to the model folder, or builtin."),
        ("mopsgov.yaml:5:5", "policy.unknown-rule",
         'policies.rules names the rule "contract.notice-windw", which no enabled pack defines', 'Did you mean "contract.notice-window"?'),
        ("mopsgov.yaml:6:37", "policy.unknown-option", 'rule "licence.utilisation" has no option "flor"', 'Did you mean "floor"?'),
        ("mopsgov.yaml:7:54", "policy.option-type", 'option "max_steps" of rule "raci.accountable-overload" must be a number',
         "The default is 8."),
    ]


def test_packs_can_be_switched_off_and_fail_severity_set(tmp_path):
    repo = _repo(tmp_path)
    (repo / "mopsgov.yaml").write_text('as_of: "2026-11-23"\nfail_severity: warning\npolicies:\n  packs: [policies]\n')
    result = run_check(str(repo))
    assert sorted({f.rule for f in _ours(result.findings)}) == ["acme.flow-latency", "acme.tool-vendor", "waiver.expired", "waiver.unmatched"]
    # contract.notice-window is not enabled now: its expired waiver still fails, the unmatched one warns
    assert result.fail_severity == "warning" and result.exit_code == 1


def test_policy_test_runs_custom_packs_and_fails_on_a_wrong_expectation(tmp_path):
    done = run_cli("policy", "test", "tests/fixtures/policies/acme")
    assert done.returncode == 0, done.stdout
    assert done.stdout.splitlines() == [
        "ok    acme.tool-vendor   2 cases",
        "ok    acme.flow-latency  2 cases",
        "2 rules, 2 passed, 0 failed, 0 without tests",
    ]
    repo = _repo(tmp_path)
    fixture = repo / "policies" / "tests" / "acme.tool-vendor.yaml"
    fixture.write_text(fixture.read_text().replace("expect: {acme.tool-vendor: 1}", "expect: {acme.tool-vendor: 2}"))
    (repo / "policies" / "tests" / "acme.flow-latency.yaml").unlink()
    done = run_cli("policy", "test", str(repo / "policies"))
    assert done.returncode == 1
    out = done.stdout.splitlines()
    assert out[0] == "FAIL  acme.tool-vendor   2 cases"
    assert out[1] == f'      FAIL case "a tool without vendor" ({repo}/policies/tests/acme.tool-vendor.yaml:7:11)'
    assert out[2] == "        expected 2 acme.tool-vendor, got 1"
    assert out[3].endswith('acme.tool-vendor.yaml:11:11: warning acme.tool-vendor tool "crm" names no vendor')
    assert out[4] == "none  acme.flow-latency  no tests"
    assert out[5] == "2 rules, 0 passed, 1 failed, 1 without tests"


def test_policy_test_lists_untested_rules_and_fails_on_them_when_strict(tmp_path):
    repo = _repo(tmp_path)
    (repo / "policies" / "tests" / "acme.flow-latency.yaml").unlink()
    assert run_cli("policy", "test", str(repo)).returncode == 0
    done = run_cli("policy", "test", "--strict", str(repo))
    assert done.returncode == 1 and "none  acme.flow-latency  no tests" in done.stdout


# -- what a pack may not do ------------------------------------------------------------------

RULE = """\
  - id: x.rule
    title: T
    severity: warning
    rationale: R
    remediation: F
    message: "{message}"
    select: {{kind: tool}}
    assert: {assertion}
"""


def _pack_repo(tmp_path: Path, rules: str) -> Path:
    repo = tmp_path / "repo"
    (repo / "policies").mkdir(parents=True)
    (repo / "mopsgov.yaml").write_text('as_of: "2026-11-23"\npolicies:\n  packs: [policies]\n')
    (repo / "model.yaml").write_text("tools:\n  - {id: crm, name: CRM, category: crm, lifecycle: active}\n")
    (repo / "policies" / "pack.yaml").write_text("rules:\n" + rules)
    return repo


def _policy_findings(repo: Path) -> list[tuple]:
    result = run_check(str(repo))
    return [(f"{f.line}:{f.column}", f.rule, f.message) for f in _ours(result.findings) if not f.rule.startswith("waiver.")]


def test_a_python_tag_is_rejected_and_never_runs(tmp_path):
    marker = tmp_path / "pwned"
    rules = RULE.format(message="{entity}", assertion=f"!!python/object/apply:os.system ['touch {marker}']")
    repo = _pack_repo(tmp_path, rules)
    assert _policy_findings(repo) == [
        ("1:1", "policy.rejected", "the policy pack is not loaded: fix the problems reported in it first"),
        ("9:13", "yaml.tag", "the tag '!!python/object/apply:os.system' is not allowed: a model holds plain data only"),
    ]
    assert not marker.exists()


def test_templates_insert_values_and_evaluate_nothing(tmp_path):
    rules = RULE.format(message="{{ 7*7 }} __import__('os') {entity}", assertion="{schema: {required: [owner]}}")
    repo = _pack_repo(tmp_path, rules)
    assert _policy_findings(repo) == [("2:5", "x.rule", "{ 7*7 } __import__('os') tool \"crm\"")]


def test_a_field_the_entity_does_not_have_reads_as_not_set_in_the_message(tmp_path):
    rules = RULE.format(message="{entity} from {vendor} has no owner", assertion="{schema: {required: [owner]}}")
    repo = _pack_repo(tmp_path, rules)
    assert _policy_findings(repo) == [("2:5", "x.rule", 'tool "crm" from (no vendor) has no owner')]


@pytest.mark.parametrize("message, problem", [
    ("{entity.__class__}", '{entity.__class__} is not a plain {name} field; templates only insert values by name'),
    ("{entity!r}", '{entity!r} is not a plain {name} field; templates only insert values by name'),
    ("{entity:>99999999}", '{entity:>99999999} is not a plain {name} field; templates only insert values by name'),
    ("{0}", '{0} is not a plain {name} field; templates only insert values by name'),
    ("{entiy}", '{entiy} names no value this rule has'),
])
def test_templates_with_anything_but_plain_names_are_rejected(tmp_path, message, problem):
    repo = _pack_repo(tmp_path, RULE.format(message=message, assertion="{schema: {required: [owner]}}"))
    assert _policy_findings(repo) == [("7:14", "policy.template", f'rule "x.rule": message: {problem}')]


@pytest.mark.parametrize("assertion, where, rule_id, problem", [
    ("{predicate: __import__}", "9:25", "policy.invalid",
     'rule "x.rule": "assert.predicate" must be the name of a built-in check, lower-case words joined by dots and '
     'hyphens, such as data.processing-agreement, got "__import__"'),
    ("{predicate: os.system}", "9:25", "policy.unknown-predicate", 'rule "x.rule": predicate "os.system" is not registered in mopsgov'),
    ("{schema: {if: {required: [a]}}}", "9:22", "policy.condition", "rule \"x.rule\": schema: unsupported JSON Schema keyword 'if'"),
    ("{schema: {$ref: ../../../etc/passwd}}", "9:29", "policy.condition",
     'rule "x.rule": schema: $ref "../../../etc/passwd" may only point at a definition of a mopsgov schema, such as vocabulary.schema.json#/$defs/lifecycle'),
    ("{schema: {properties: {name: {pattern: '(a+)+$'}}}}", "9:52", "policy.condition",
     'rule "x.rule": schema: pattern "(a+)+$" repeats a repeated group, which can take exponential time; simplify it'),
    ("{schema: {required: 5}}", "9:33", "policy.condition", 'rule "x.rule": schema: required must be a list of field names'),
    ("{schema: {properties: {name: {maxLength: ''}}}}", "9:54", "policy.condition",
     'rule "x.rule": schema: maxLength must be a whole number, 0 or more'),
    ("{schema: {required: [a]}, predicate: tool.in-use}", "9:13", "policy.invalid",
     'rule "x.rule": assert must give exactly one of schema or predicate, not both'),
])
def test_conditions_and_predicates_that_are_not_plain_data_are_rejected(tmp_path, assertion, where, rule_id, problem):
    repo = _pack_repo(tmp_path, RULE.format(message="{entity}", assertion=assertion))
    assert _policy_findings(repo) == [(where, rule_id, problem)]


def test_a_malformed_pack_gets_findings_with_positions(tmp_path):
    rules = "  - id: Not-A-Dotted-Id\n    title: T\n    severity: fatal\n    message: m\n    remediation: r\n    rationale: r\n    assert: {predicate: tool.in-use}\n    selct: {kind: tool}\n"
    repo = _pack_repo(tmp_path, rules)
    assert _policy_findings(repo) == [
        ("2:9", "policy.invalid", 'rule "Not-A-Dotted-Id": "id" must be a rule id of lower-case words joined by dots and '
         'hyphens, such as raci.single-accountable, got "Not-A-Dotted-Id"'),
        ("4:15", "policy.invalid", 'rule "Not-A-Dotted-Id": "severity" must be one of: error, warning, info; got "fatal"'),
        ("9:5", "policy.invalid", 'rule "Not-A-Dotted-Id": "selct" is not a field mopsgov knows'),
    ]


def test_a_predicate_plugin_from_an_installed_package_is_used(tmp_path):
    site = tmp_path / "site"
    (site / "acme_rules").mkdir(parents=True)
    (site / "acme_rules" / "__init__.py").write_text(textwrap.dedent("""\
        from mopsgov.rules.registry import Violation, predicate

        @predicate("acme.name-short", max_length=5)
        def name_short(tool, options, ctx):
            '''The tool's name has at most max_length characters.'''
            if len(tool.name) > options["max_length"]:
                yield Violation(tool, ("name",), {"length": len(tool.name)})
        """))
    info = site / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[mopsgov.predicates]\nacme = acme_rules\n")
    rules = RULE.format(message="{entity} has a name of {length} characters", assertion="{predicate: acme.name-short}")
    repo = _pack_repo(tmp_path, rules.replace("    select:", "    options: {max_length: {default: 2, description: d}}\n    select:"))
    env = {**os.environ, "PYTHONPATH": str(site)}
    code, report = run_json("check", str(repo), env=env)
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in report["findings"] if f["rule"] not in ANALYSIS] == [
        ("x.rule", 2, 21, 'tool "crm" has a name of 3 characters')]
    done = run_cli("rules", "--predicates", env=env)
    assert "acme.name-short  (entity; max_length=5)  The tool's name has at most max_length characters." in done.stdout


def test_template_rendering():
    template = compile_template("{entity} uses {active} of {bought} seats ({percent}%) {{literal}} {unknown}")
    assert template.render({"entity": 'tool "crm"', "active": 12, "bought": 40.0, "percent": 30}) == \
        'tool "crm" uses 12 of 40 seats (30%) {literal} (no unknown)'
    assert compile_template("{entity} from {vendor}, {notice_days} days").render({"entity": "x", "vendor": None}) == \
        "x from (no vendor), (no notice days) days"
    with pytest.raises(TemplateError):
        compile_template("{a[0]}")
    with pytest.raises(TemplateError):
        compile_template("unbalanced {")


def test_rules_and_explain_commands():
    done = run_cli("rules")
    assert done.returncode == 0
    lines = done.stdout.splitlines()
    assert [l.split() for l in lines if l.startswith("raci.single-accountable ")] == [
        "raci.single-accountable error builtin Each process step has exactly one Accountable role".split()]
    assert lines == sorted(lines)
    rules = json.loads(run_cli("rules", "--format", "json").stdout)
    overload = next(r for r in rules if r["id"] == "raci.accountable-overload")
    assert overload["options"] == {"max_steps": {"default": 8, "value": 8, "description": "The most process steps one role may be Accountable for."}}
    assert overload["severity"] == "warning" and overload["pack"] == "builtin" and overload["help"].startswith("**No role")
    custom = json.loads(run_cli("rules", "tests/fixtures/policies/acme", "--format", "json").stdout)
    by_id = {r["id"]: r for r in custom}
    assert by_id["acme.tool-vendor"]["pack"] == "acme"
    assert by_id["contract.notice-window"]["severity"] == "error"
    assert by_id["contract.notice-window"]["options"]["days"]["value"] == 60
    assert by_id["kpi.form"]["severity"] == "off"
    done = run_cli("explain", "contract.notice-window")
    assert done.returncode == 0
    text = done.stdout
    for part in ("contract.notice-window: Renewal decisions are made before the notice deadline", "Why:", "How to fix:",
                 "  days: default 90", "Passes: a notice deadline more than 90 days away", "Fails: a notice deadline in 38 days",
                 'contract: {renewal: "2027-01-30", notice_days: 30}'):
        assert part in text
    done = run_cli("explain", "acme.tool-vendor", "--model", "tests/fixtures/policies/acme")
    assert "Fails: a tool without vendor" in done.stdout
    done = run_cli("explain", "raci.single-acountable")
    assert done.returncode == 2 and 'Did you mean "raci.single-accountable"?' in done.stderr


def test_policy_test_on_a_model_folder_runs_its_own_packs():
    done = run_cli("policy", "test", ".", cwd=ACME, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert done.returncode == 0
    assert done.stdout.splitlines()[-1] == "2 rules, 2 passed, 0 failed, 0 without tests"


def test_the_documentation_lists_every_rule_of_the_policy_packs():
    text = (ROOT / "docs" / "policies.md").read_text(encoding="utf-8")
    rules, _ = load_rules(Model(root="."), ["builtin"])
    missing = [r.id for r in rules if r.id not in ANALYSIS and f"| `{r.id}` |" not in text]
    assert missing == []


def test_rules_wait_until_every_file_can_be_read(tmp_path):
    repo = _repo(tmp_path)
    (repo / "broken.yaml").write_text("tools: [\n")
    result = run_check(str(repo))
    assert [f.rule for f in result.findings] == ["yaml.syntax"]
    assert result.exit_code == 1


def test_a_rule_shipped_switched_off_is_switched_on_by_a_severity(tmp_path):
    repo = _repo(tmp_path)
    pack = repo / "policies" / "acme.yaml"
    pack.write_text(pack.read_text().replace("    severity: info\n", "    severity: info\n    enabled: false\n"))
    assert [f.rule for f in _ours(run_check(str(repo)).findings) if f.rule.startswith("acme.flow")] == []
    config = repo / "mopsgov.yaml"
    config.write_text(config.read_text() + "    acme.flow-latency: warning\n")
    found = [(f.rule, f.severity.label) for f in run_check(str(repo)).findings if f.rule.startswith("acme.flow")]
    assert found == [("acme.flow-latency", "warning")]


def test_values_of_the_wrong_type_never_break_a_rule(monkeypatch):
    """Schema validation reports the odd values; the rules skip what they cannot read."""
    monkeypatch.chdir(ROOT)
    result = run_check("tests/fixtures/policies/odd-values")
    assert [f.message for f in result.findings if f.rule in ("policy.rule-failed", "policy.cannot-judge")] == []
    # check holds back the findings about entities with schema errors: evaluate the rules directly
    active, _ = configure(load_rules(result.model)[0], result.model)
    ours = {(f.rule, f.line, f.column) for f in _ours(evaluate(result.model, active))}
    assert ("data.system-of-record", 14, 73) not in ours  # [a, a, 3]: one tool, written twice (the schema says so)
    assert not any(rule in ("licence.utilisation", "contract.auto-renew-owner") for rule, _, _ in ours)
    assert ("data.lawful-basis", 17, 57) in ours and ("raci.single-accountable", 11, 75) in ours


def test_a_custom_rule_cannot_take_a_builtin_id(tmp_path):
    rules = RULE.format(message="{entity}", assertion="{schema: {required: [owner]}}").replace("id: x.rule", "id: ownership.tool")
    repo = _pack_repo(tmp_path, rules)
    (repo / "mopsgov.yaml").write_text('as_of: "2026-11-23"\npolicies:\n  packs: [builtin, policies]\n')
    found = [(f.rule, f.line, f.column, f.message) for f in run_check(str(repo)).findings if f.rule.startswith("policy.")]
    assert found == [("policy.duplicate-rule", 2, 9,
                      'rule "ownership.tool" is defined twice; the first is at builtin/ownership.yaml:4:9')]


def test_policy_test_on_a_path_that_does_not_exist_is_a_usage_error():
    done = run_cli("policy", "test", "no/such/pack")
    assert (done.returncode, done.stderr) == (2, "mopsgov: no/such/pack: no such pack file or folder\n")


def test_counting_referrers_with_a_generic_predicate(tmp_path):
    rule = """\
  - id: x.team-has-roles
    title: Every team has a role
    severity: warning
    rationale: R
    remediation: F
    message: "{entity} has {count} {referrers}s, at least {min} needed"
    select: {kind: team}
    assert: {predicate: ref.count}
    options: {min: {default: 2, description: d}}
"""
    repo = _pack_repo(tmp_path, rule)
    (repo / "model.yaml").write_text(textwrap.dedent("""\
        teams:
          - {id: marketing, name: Marketing, type: internal}
          - {id: sales, name: Sales, type: internal}
        roles:
          - {id: a, name: A, team: marketing}
          - {id: b, name: B, team: marketing}
          - {id: c, name: C, team: sales}
        """))
    assert _policy_findings(repo) == [("3:10", "x.team-has-roles", 'team "sales" has 1 roles, at least 2 needed')]


def test_every_finding_id_of_the_engine_is_explained():
    import re

    from mopsgov.rules.meta import META_RULES

    source = "".join(p.read_text() for p in (ROOT / "mopsgov" / "rules").rglob("*.py") if p.name != "meta.py")
    used = set(re.findall(r'"((?:policy|waiver)\.[a-z-]+)"', source))
    assert used and used <= set(META_RULES)
    done = run_cli("explain", "waiver.unmatched")
    assert done.returncode == 0 and done.stdout.startswith("waiver.unmatched: A waiver covers no finding\n")


def test_a_predicate_plugin_that_fails_to_load_is_a_finding_at_mopsgov_yaml(tmp_path):
    site = tmp_path / "site"
    (site / "broken_rules").mkdir(parents=True)
    (site / "broken_rules" / "__init__.py").write_text("raise ImportError('needs acme-sdk')\n")
    info = site / "broken_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: broken-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[mopsgov.predicates]\nbroken = broken_rules\n")
    repo = _pack_repo(tmp_path, RULE.format(message="{entity}", assertion="{predicate: acme.name-short}"))
    code, report = run_json("check", ".", cwd=repo, env={**os.environ, "PYTHONPATH": f"{site}{os.pathsep}{ROOT}"})
    assert code == 1
    assert [(f["rule"], f["file"], f["line"], f["column"], f["message"]) for f in report["findings"]
            if f["rule"] in ("policy.plugin", "policy.unknown-predicate")] == [
        ("policy.plugin", "mopsgov.yaml", 3, 3,
         "the predicate plugin broken (broken_rules) failed to load: needs acme-sdk"),
        ("policy.unknown-predicate", "policies/pack.yaml", 9, 25, 'rule "x.rule": predicate "acme.name-short" is not registered in mopsgov'),
    ]


RETIRED = MOPS_TEAM + """\
tools:
  - {id: old-map, name: Old MAP, category: marketing-automation, lifecycle: retired, owner: mops}
  - {id: crm, name: CRM, category: crm, lifecycle: active, owner: mops}
data:
  - {id: lead, name: Lead, classification: internal, system_of_record: crm, owner: mops}
processes:
  - id: nurture
    name: Nurture
    owner: mops
    family: demand-generation
    steps:
      - {id: send, name: Send, tools: [crm, old-map], raci: {mops: A/R}}
flows:
  - {id: old-sync, name: Old sync, from: old-map, to: crm, objects: [lead], owner: mops}
"""


def test_a_finding_carries_the_steps_and_flows_it_is_about_in_json_and_sarif(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text('as_of: "2026-11-23"\n')
    (tmp_path / "model.yaml").write_text(RETIRED)
    code, report = run_json("check", ".", cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    retired = [f for f in report["findings"] if f["rule"] == "lifecycle.retired-in-use"]
    assert [(f["line"], f["column"], [(r["file"], r["line"], r["column"]) for r in f["related"]]) for f in retired] == [
        (6, 77, [("model.yaml", 16, 45), ("model.yaml", 18, 42)])]
    done = run_cli("check", ".", "--format", "sarif", cwd=tmp_path, env={**os.environ, "PYTHONPATH": str(ROOT)})
    results = [r for r in json.loads(done.stdout)["runs"][0]["results"] if r["ruleId"] == "lifecycle.retired-in-use"]
    assert [[(loc["physicalLocation"]["artifactLocation"]["uri"], loc["physicalLocation"]["region"]["startLine"],
              loc["physicalLocation"]["region"]["startColumn"]) for loc in r["relatedLocations"]] for r in results] == [
        [("model.yaml", 16, 45), ("model.yaml", 18, 42)]]


EXTRA_PACK = """\
pack: acme-extra
rules:
  - id: acme.tool-owner-named
    title: Every tool with a vendor names its owner
    severity: warning
    rationale: Someone must talk to the vendor.
    remediation: Add owner to {entity}.
    message: "{entity} from {vendor} has no owner"
    select:
      kind: tool
      where: {required: [vendor]}
    assert: {schema: {required: [owner]}}
"""

EXTRA_TEST = """\
rule: acme.tool-owner-named
cases:
  - name: a tool with vendor and owner
    model:
      tools:
        - {id: crm, name: Salesforce, category: crm, lifecycle: active, vendor: Salesforce, owner: mops}
  - name: a tool with a vendor and no owner, and one with neither
    expect: {acme.tool-owner-named: 1, acme.tool-vendor: 1}
    model:
      tools:
        - {id: crm, name: Salesforce, category: crm, lifecycle: active, vendor: Salesforce}
        - {id: map, name: MAP, category: marketing-automation, lifecycle: active, owner: mops}
"""


def test_policy_test_on_one_pack_file_runs_its_rules_tests_with_the_folders_rules_at_hand(tmp_path):
    repo = _repo(tmp_path)
    (repo / "policies" / "extra.yaml").write_text(EXTRA_PACK)
    test_file = repo / "policies" / "tests" / "acme.tool-owner-named.yaml"
    test_file.write_text(EXTRA_TEST)
    done = run_cli("policy", "test", "--strict", "policies/extra.yaml", cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stdout.splitlines()) == (0, [
        "ok    acme.tool-owner-named  2 cases",
        "1 rules, 1 passed, 0 failed, 0 without tests"])
    done = run_cli("policy", "test", "--strict", "policies/acme.yaml", cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "2 rules, 2 passed, 0 failed, 0 without tests")
    done = run_cli("policy", "test", "--strict", "policies", cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stdout.splitlines()[-1]) == (0, "3 rules, 3 passed, 0 failed, 0 without tests")
    test_file.write_text(EXTRA_TEST.replace("acme.tool-vendor: 1", "acme.tool-vender: 1"))
    done = run_cli("policy", "test", "policies/extra.yaml", cwd=repo, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert (done.returncode, done.stdout.splitlines()) == (1, [
        "none  acme.tool-owner-named  no tests",
        'policies/tests/acme.tool-owner-named.yaml:8:40: error policy.test-invalid the rule "acme.tool-vender" is in none '
        "of the packs of this folder",
        '    fix: Did you mean "acme.tool-vendor"?',
        "1 rules, 0 passed, 0 failed, 1 without tests, 1 problem in the packs or tests"])


def test_explain_shows_only_examples_that_give_the_findings_they_expect(tmp_path):
    repo = _repo(tmp_path)
    fixture = repo / "policies" / "tests" / "acme.tool-vendor.yaml"
    wrong = ("  - name: a tool without vendor, wrongly expected to pass\n    model:\n      tools:\n"
             "        - {id: map, name: MAP, category: marketing-automation, lifecycle: active}\n")
    fixture.write_text(fixture.read_text().replace("cases:\n", "cases:\n" + wrong, 1))
    done = run_cli("explain", "acme.tool-vendor", "--model", str(repo))
    assert done.returncode == 0
    examples = [line for line in done.stdout.splitlines() if line.startswith(("Passes:", "Fails:"))]
    assert examples == [f"Passes: a tool with its vendor ({repo}/policies/tests/acme.tool-vendor.yaml:7:11)",
                        f"Fails: a tool without vendor ({repo}/policies/tests/acme.tool-vendor.yaml:11:11)"]
    text = fixture.read_text()
    fixture.write_text(text[:text.index("  - name: a tool with its vendor")] + text[text.index("  - name: a tool without vendor\n"):])
    done = run_cli("explain", "acme.tool-vendor", "--model", str(repo))
    examples = [line for line in done.stdout.splitlines() if line.startswith(("Passes:", "Fails:"))]
    assert examples == [f"Fails: a tool without vendor ({repo}/policies/tests/acme.tool-vendor.yaml:7:11)"]


def test_a_pack_file_named_by_two_entries_is_read_once(tmp_path):
    repo = _repo(tmp_path)
    config = repo / "mopsgov.yaml"
    assert "packs: [builtin, policies]" in config.read_text()
    config.write_text(config.read_text().replace("packs: [builtin, policies]",
                                                 "packs: [builtin, policies, policies/acme.yaml, ./policies]"))
    once = run_check(str(_repo(tmp_path / "again")))
    twice = run_check(str(repo))
    assert [f.rule for f in twice.findings if f.rule.startswith("policy.")] == []
    assert [(f.rule, f.line, f.message) for f in twice.findings] == [(f.rule, f.line, f.message) for f in once.findings]
