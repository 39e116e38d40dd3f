"""`mopsgov check` on broken input: every load and validation error class at its exact line and
column, the same in the text and the JSON report, through the real CLI."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from mopsgov.validate import VALIDATION_FAMILIES

from conftest import ROOT, run_cli, run_json

BROKEN = "tests/fixtures/broken/files"
REFERENCES = "tests/fixtures/broken/references"
VALIDATION = "tests/fixtures/broken/validation"
CONSEQUENCES = ROOT / "tests" / "fixtures" / "broken" / "consequences"


def _text_findings(stdout: str) -> list[dict]:
    """The findings of a text report, in the JSON report's terms (the summary line is left out)."""
    found: list[dict] = []
    for line in stdout.splitlines()[:-1]:
        if line.startswith("    fix: "):
            found[-1]["fix"] = line[len("    fix: "):]
            continue
        where, severity, rule, message = (line.split(": ", 1)[0], *line.split(": ", 1)[1].split(" ", 2))
        file, row, column = where.rsplit(":", 2)
        found.append({"rule": rule, "severity": severity, "file": file, "line": int(row), "column": int(column),
                      "message": message, "fix": None})
    return found


def check_both(*args: str, cwd: Path | str = ROOT) -> tuple[int, list[dict], str]:
    """Run check with the text and with the JSON format; assert both report the same findings, in
    the same order, at the same positions, with the same messages and fixes. Returns the exit
    code, the JSON findings and the text report."""
    text = run_cli("check", *args, cwd=cwd)
    as_json = run_cli("check", *args, "--format", "json", cwd=cwd)
    assert "Traceback" not in text.stdout + text.stderr + as_json.stderr, text.stderr + as_json.stderr
    assert text.returncode == as_json.returncode
    findings = json.loads(as_json.stdout)["findings"]
    expected_text = [{"rule": f["rule"], "severity": f["severity"], "file": f["file"], "line": f["line"],
                      "column": f["column"], "fix": f["fix"],
                      "message": f["message"] + (f" [{f['suppressed_by']}]" if f["suppressed_by"] else "")}
                     for f in findings]
    assert _text_findings(text.stdout) == expected_text
    return as_json.returncode, findings, text.stdout


def foundation(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["rule"].startswith(VALIDATION_FAMILIES)]


def positions(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["line"], f["column"]) for f in findings]


def described(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"].rsplit("/", 1)[1], f["line"], f["column"], f["message"], f["fix"]) for f in findings]


# -- loading: the reader's error classes -------------------------------------------------------
# Pinned by rule, file, line and column (the wording of the reader's messages is its own).

# file -> [(rule, line, column)] in output order, and the exit code
LOADER_CASES = {
    "syntax-error.yaml": ([("yaml.syntax", 3, 11)], 1),
    "duplicate-key.yaml": ([("yaml.duplicate-key", 6, 5)], 1),
    "multiple-documents.yaml": ([("yaml.multiple-documents", 5, 1)], 1),
    "root-list.yaml": ([("yaml.root-not-mapping", 1, 1)], 1),
    "root-scalar.yaml": ([("yaml.root-not-mapping", 1, 1)], 1),
    "tag-python.yaml": ([("yaml.tag", 3, 11)], 1),
    "tag-other.yaml": ([("yaml.tag", 3, 11), ("yaml.tag", 4, 15), ("yaml.tag", 6, 19)], 1),
    "alias-bomb.yaml": ([("yaml.alias-limit", 5, 8)], 1),
    "recursive-alias.yaml": ([("yaml.recursive-alias", 5, 13)], 1),
    "too-deep.yaml": ([("yaml.depth-limit", 6, 75)], 1),
    "invalid-utf8.yaml": ([("file.encoding", 3, 14)], 2),
    "nul-byte.yaml": ([("file.encoding", 2, 13)], 2),
    "utf16.yaml": ([("file.encoding", 1, 1)], 2),
    "empty.yaml": ([("file.empty", 1, 1)], 0),
    "comments-only.yaml": ([("file.empty", 1, 1)], 0),
}


@pytest.mark.parametrize("name", sorted(LOADER_CASES))
def test_loader_error_classes(name):
    expected, code = LOADER_CASES[name]
    returncode, findings, _ = check_both(f"{BROKEN}/{name}")
    assert returncode == code
    # The reader's error is the only finding: rules do not judge what follows from it.
    assert positions(findings) == expected
    assert {f["file"] for f in findings} == {f"{BROKEN}/{name}"}
    assert all(f["message"] for f in findings)


def test_file_over_the_size_limit(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text("limits: {max_file_bytes: 1024}\n")
    (tmp_path / "teams.yaml").write_text("teams:\n" + "".join(f"  - {{id: t{i}, name: T, type: internal}}\n" for i in range(60)))
    returncode, findings, _ = check_both(".", cwd=tmp_path)
    assert returncode == 2
    assert [(f["rule"], f["file"], f["line"], f["column"]) for f in findings] == [("file.too-large", "teams.yaml", 1, 1)]


def test_unreadable_file(tmp_path):
    (tmp_path / "teams.yaml").write_text("teams:\n  - {id: marketing, name: Marketing, type: internal}\n")
    os.symlink(tmp_path / "gone.yaml", tmp_path / "stack.yaml")
    returncode, findings, _ = check_both(".", cwd=tmp_path)
    assert returncode == 2
    assert [(f["rule"], f["file"], f["line"], f["column"]) for f in findings] == [("file.unreadable", "stack.yaml", 1, 1)]


def test_duplicate_key_reports_both_positions():
    _, findings, _ = check_both(f"{BROKEN}/duplicate-key.yaml")
    (finding,) = findings
    assert "line 3" in finding["message"]
    assert [(r["line"], r["column"]) for r in finding["related"]] == [(3, 5)]


# -- validation: the schema's error classes ----------------------------------------------------

def test_every_schema_error_class_with_its_position_message_and_fix():
    """Type, missing field, unknown field and enum with "did you mean", id pattern, date format,
    YAML traps, and a vocabulary in mopsgov.yaml that cannot be extended: all of them, not only the first."""
    returncode, findings, _ = check_both(VALIDATION)
    assert returncode == 1
    assert described(findings) == [
        ("schema.unknown-field", "mopsgov.yaml", 6, 3, 'setting "vocabulary.lifecycle" is not a vocabulary you can extend',
         "Only capabilities and categories take terms of your own; the lifecycle stage vocabulary is fixed."),
        ("schema.value", "stack.yaml", 5, 16,
         'tool "marketo": "lifecycle" must be one of: plan, phase-in, active, phase-out, retired; got "activ"',
         'Use one of the listed values. Did you mean "active"?'),
        ("schema.unknown-field", "stack.yaml", 7, 5, 'tool "marketo": "anual_cost" is not a field mopsgov knows',
         'Did you mean "annual_cost"? Fields of your own go under a name starting with x-, such as x-anual_cost.'),
        ("schema.value", "stack.yaml", 8, 15,
         'tool "marketo": "currency" must be a three-letter currency code such as EUR or USD, got "eur"', 'Write it as "EUR".'),
        ("schema.value", "stack.yaml", 9, 25, 'tool "marketo": "contract.renewal" must be a date written YYYY-MM-DD, got "31/01/2027"',
         "Write the date as year-month-day, such as 2027-01-31."),
        ("schema.type", "stack.yaml", 9, 50,
         'tool "marketo": "contract.notice_days" must be a whole number, but it is written in quotes, which makes it text',
         "Remove the quotes: 90."),
        ("schema.type", "stack.yaml", 9, 68,
         'tool "marketo": "contract.auto_renew" must be true or false, got "yes", which YAML reads as text',
         "Write true instead of yes."),
        ("schema.value", "stack.yaml", 10, 9,
         'tool "Salesforce CRM": "id" must be an id of lower-case letters, digits and hyphens, such as lead-routing, '
         'got "Salesforce CRM"', 'Write it as "salesforce-crm".'),
        ("schema.type", "stack.yaml", 14, 18, 'tool "Salesforce CRM": "annual_cost" must be a number, got "12k"',
         "Write a plain number, without units, currency signs or separators."),
        ("schema.type", "stack.yaml", 15, 14, 'tool "Salesforce CRM": "product" must be text, but YAML reads 010 as the number 10',
         'Quote it: "010".'),
        ("schema.unknown-field", "stack.yaml", 16, 37, 'tool "Salesforce CRM": "seats.spare" is not a field mopsgov knows',
         "Fields of your own go under a name starting with x-, such as x-spare."),
        ("schema.missing-field", "stack.yaml", 17, 5, 'tool number 3 in tools is missing the required field "id"',
         "Add id, unique id of this tool across the whole model: lower-case letters, digits and hyphens, such as id: marketo."),
        ("schema.type", "stack.yaml", 24, 19,
         'role "mops-manager": "skills, item 2" must be text, but YAML reads null as an empty value',
         'Fill it in, or remove it; to mean the word itself, quote it: "null".'),
        ("schema.missing-field", "stack.yaml", 30, 5, 'waiver "marketo-renewal" is missing the required field "approver"',
         "Add approver, the role that approved the waiver, such as approver: cmo."),
        ("schema.type", "stack.yaml", 35, 14,
         'waiver "marketo-renewal": "expires" must be a date written YYYY-MM-DD, but YAML reads 20270131 as the number 20270131',
         "Write the date as 2027-01-31."),
    ]
    # The JSON path counts list items from 0; the message counts them as people do ("item 2").
    assert [f["path"] for f in findings if f["line"] in (17, 24)] == ["$.tools[2]", "$.roles[0].skills[1]"]
    assert [(f["kind"], f["entity"]) for f in findings[1:3]] == [("tool", "marketo")] * 2


def test_yaml_11_traps_stay_text_or_name_the_trap():
    # name: 1:20, vendor: NO and x-note: 2024-01-02 stay text and are fine; the rest name the trap.
    returncode, findings, text = check_both(f"{BROKEN}/yaml11-traps.yaml")
    assert returncode == 1
    assert text.splitlines() == [
        f'{BROKEN}/yaml11-traps.yaml:9:14: error schema.type tool "crm": "product" must be text, but YAML reads 010 as the number 10',
        '    fix: Quote it: "010".',
        f'{BROKEN}/yaml11-traps.yaml:12:15: error schema.value tool "crm": "currency" must be a three-letter currency code such as EUR or USD, got "on"',
        f'{BROKEN}/yaml11-traps.yaml:16:19: error schema.type tool "crm": "contract.auto_renew" must be true or false, got "yes", which YAML reads as text',
        "    fix: Write true instead of yes.",
        "3 errors in 1 file: check failed (fail severity: error); 3 policy findings held back until the errors are fixed",
    ]


TYPE_CASES = (
    "roles:\n"
    "  - id: mops-manager\n"
    "    name: Marketing Operations Manager\n"
    "    team: marketing\n"
    "    fte: \"1\"\n"
    "    stakeholder: \"true\"\n"
    "    skills: [SQL, null, true, 12]\n"
    "    archetypes: automator\n"
    "    description:\n"
    "teams:\n"
    "  - id: marketing\n"
    "    name: [Marketing]\n"
    "    type: internal\n"
    "processes:\n"
    "  - id: lead-routing\n"
    "    name: Lead routing\n"
    "    owner: mops-manager\n"
    "    family: demand-generation\n"
    "    steps:\n"
    "      - {id: route, name: Route, raci: {mops-manager: a}}\n"
    "      - {name: Follow up, raci: {mops-manager: A/R}}\n"
)


def test_each_wrong_type_gets_its_own_plain_message(tmp_path):
    (tmp_path / "model.yaml").write_text(TYPE_CASES)
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["rule"], f["line"], f["column"], f["message"], f["fix"]) for f in findings] == [
        ("schema.type", 5, 10, 'role "mops-manager": "fte" must be a number, but it is written in quotes, which makes it text',
         "Remove the quotes: 1."),
        ("schema.type", 6, 18,
         'role "mops-manager": "stakeholder" must be true or false, but it is written in quotes, which makes it text',
         "Remove the quotes: true."),
        ("schema.type", 7, 19, 'role "mops-manager": "skills, item 2" must be text, but YAML reads null as an empty value',
         'Fill it in, or remove it; to mean the word itself, quote it: "null".'),
        ("schema.type", 7, 25, 'role "mops-manager": "skills, item 3" must be text, but YAML reads true as a yes/no value, not as text',
         'Quote it: "true".'),
        ("schema.type", 7, 31, 'role "mops-manager": "skills, item 4" must be text, but YAML reads 12 as the number 12',
         'Quote it: "12".'),
        ("schema.type", 8, 17, 'role "mops-manager": "archetypes" must be a list, got "automator"',
         "Write it as a list, such as [automator]."),
        ("schema.type", 9, 17, 'role "mops-manager": "description" must be text, but it is empty', "Fill it in, or remove it."),
        ("schema.type", 12, 11, 'team "marketing": "name" must be text, got a list', "Write it without the brackets: Marketing."),
        ("schema.value", 20, 55, 'process "lead-routing": "steps[route].raci.mops-manager" must be one of: R, A, A/R, C, I; got "a"',
         'Use one of the listed values. Did you mean "A"?'),
        ("schema.missing-field", 21, 9, 'process "lead-routing": "steps, item 2" is missing the required field "id"',
         "Add id, id of the step, unique within its process, such as id: qualify."),
    ]


def test_an_sla_on_a_process_whose_steps_are_not_a_list_is_reported_once(tmp_path):
    """The schema reports steps that are not a list; the SLA's step is then not checked again."""
    (tmp_path / "model.yaml").write_text(
        "processes:\n"
        "  - {id: empty, name: Empty, family: demand-generation, steps: []}\n"
        "  - {id: number, name: Number, family: demand-generation, steps: 5}\n"
        "  - {id: text, name: Text, family: demand-generation, steps: abc}\n"
        "slas:\n"
        "  - {id: first, name: First, process: empty, step: route}\n"
        "  - {id: second, name: Second, process: number, step: route}\n"
        "  - {id: third, name: Third, process: text, step: route}\n")
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["rule"], f["line"], f["column"], f["message"], f["fix"]) for f in findings
            if f["severity"] == "error" and f["rule"] != "schema.missing-field"] == [
        ("schema.value", 2, 64, 'process "empty": "steps" must list at least 1 item', None),
        ("schema.type", 3, 66, 'process "number": "steps" must be a list, got 5', None),
        ("schema.type", 4, 62, 'process "text": "steps" must be a list, got "abc"', "Write it as a list, such as [abc]."),
        ("ref.unresolved", 6, 52, 'SLA "first": "step" names step "route", which is not a step of process "empty"',
         'Add the step to process "empty" first: it has no steps yet.'),
    ]


def test_all_schema_errors_not_only_the_first(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text(
        "tools:\n"
        "  - id: crm\n"
        "    name: CRM\n"
        "    category: crm\n"
        "    lifecycle: live\n"
        "    annual_cost: 12k\n"
        "    seats: {bought: many, active: -1}\n"
        "    contract: {renewal: 31/01/2026}\n"
        "  - name: No id\n"
        "    category: crm\n"
        "    lifecycle: active\n")
    returncode, findings, _ = check_both(str(model))
    assert returncode == 1
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in findings] == [
        ("schema.value", 5, 16, 'tool "crm": "lifecycle" must be one of: plan, phase-in, active, phase-out, retired; got "live"'),
        ("schema.type", 6, 18, 'tool "crm": "annual_cost" must be a number, got "12k"'),
        ("schema.type", 7, 21, 'tool "crm": "seats.bought" must be a whole number, got "many"'),
        ("schema.value", 7, 35, 'tool "crm": "seats.active" must be at least 0, got -1'),
        ("schema.value", 8, 25, 'tool "crm": "contract.renewal" must be a date written YYYY-MM-DD, got "31/01/2026"'),
        ("schema.missing-field", 9, 5, 'tool number 2 in tools is missing the required field "id"'),
    ]


def test_unknown_collection_did_you_mean():
    returncode, findings, _ = check_both(f"{BROKEN}/unknown-collection.yaml")
    assert returncode == 1
    assert described(findings) == [
        ("schema.unknown-field", "unknown-collection.yaml", 1, 1,
         'collection "toolz" is not a collection mopsgov knows (teams, roles, processes, tools, data, flows, slas, kpis, goals, waivers)',
         'Did you mean "tools"?')]


def test_unknown_field_did_you_mean():
    returncode, findings, _ = check_both(f"{BROKEN}/unknown-field.yaml")
    assert returncode == 1
    (finding,) = foundation(findings)
    assert described([finding]) == [
        ("schema.unknown-field", "unknown-field.yaml", 6, 5, 'tool "crm": "anual_cost" is not a field mopsgov knows',
         'Did you mean "annual_cost"? Fields of your own go under a name starting with x-, such as x-anual_cost.')]
    assert (finding["path"], finding["kind"], finding["entity"]) == ("$.tools[0].anual_cost", "tool", "crm")


def test_references_wrong_kind_and_duplicate_ids_across_files():
    returncode, findings, _ = check_both(REFERENCES)
    assert returncode == 1
    assert described(findings) == [
        ("ref.unresolved", "stack.yaml", 6, 12, 'tool "marketo": "owner" names role "mops-manger", which is not in the model',
         'Did you mean "mops-manager"?'),
        ("ref.unresolved", "stack.yaml", 7, 18,
         'tool "marketo": "user_teams, item 1" names team "mops-manager", which is not in the model',
         '"mops-manager" is a role; this field needs a team.'),
        ("ref.duplicate-id", "stack.yaml", 8, 9,
         f'tool id "salesforce" is defined twice; the first is at {REFERENCES}/more-stack.yaml:2:9',
         "Give one of them another id, or merge the two."),
        ("ref.unresolved", "stack.yaml", 25, 33,
         'process "lead-routing": "steps[route].raci.sales-rep" names role "sales-rep", which is not in the model',
         "Add a role with id sales-rep, or correct the id."),
        ("ref.duplicate-id", "stack.yaml", 27, 13,
         f'process "lead-routing": step id "route" is used twice; the first is at {REFERENCES}/stack.yaml:23:13',
         "Give each step of a process its own id."),
        ("ref.unresolved", "stack.yaml", 34, 11,
         'SLA "routing-sla": "step" names step "rout", which is not a step of process "lead-routing"', 'Did you mean "route"?'),
        ("waiver.unmatched", "stack.yaml", 39, 11,
         'waiver "crm-waiver" waives rule "contract.notice-window", which no enabled pack defines',
         "Correct the rule id, or delete the waiver."),
        ("ref.unresolved", "stack.yaml", 40, 13,
         'waiver "crm-waiver": "entity" names the kind "tools", which mopsgov does not know', 'Did you mean "tool:salesforce"?'),
    ]
    # both positions of a duplicate: the second in the finding, the first in the message and related
    assert [(r["file"], r["line"], r["column"]) for r in findings[2]["related"]] == [(f"{REFERENCES}/more-stack.yaml", 2, 9)]
    assert findings[0]["path"] == "$.tools[0].owner" and findings[1]["path"] == "$.tools[0].user_teams[0]"


def test_wrong_type_gives_one_finding_not_a_cascade(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text("tools:\n  id: crm\n  name: CRM\n")
    _, findings, _ = check_both(str(model))
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in foundation(findings)] == [
        ("schema.type", 2, 3, 'collection "tools" must be a list, got a mapping')]


def test_dates_are_accepted_as_iso_dates(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text(
        "tools:\n  - id: crm\n    name: CRM\n    category: crm\n    lifecycle: active\n"
        "    contract: {start: 2024-02-01, renewal: '2026-01-31'}\n")
    returncode, findings, _ = check_both(str(model))
    assert (returncode, foundation(findings)) == (0, [])


def test_missing_path_is_a_usage_error():
    done = run_cli("check", "no/such/model")
    assert done.returncode == 2
    assert done.stderr == "mopsgov: no/such/model: no such file or folder\n"


# -- the cause first: policy findings that follow from a validation error are held back ---------
# A small valid model (its own findings below); each case plants one mistake in a copy of it.

CLEAN = [
    ("flow.single-point-of-failure", "model.yaml", 12, 5, False),
    ("contract.notice-passed", "model.yaml", 18, 25, True),  # waived by crm-renewal
    ("contract.renewal-date", "model.yaml", 24, 5, False),
    ("coverage.gap", "mopsgov.yaml", 2, 1, False),
]

# name -> (line, text there, replacement, findings); the comment says what the rules reported before.
MISTAKES = {
    # ownership.tool and contract.auto-renew-owner: "has no owner"
    "misspelt owner": (16, "owner: mops-manager", "Owner: mops-manager", [
        ("schema.unknown-field", "model.yaml", 16, 5, False),
        ("contract.renewal-date", "model.yaml", 24, 5, False)]),
    # data.system-of-record: "has no system of record"
    "misspelt system of record": (34, "system_of_record: crm", "systemOfRecord: crm", [
        ("flow.single-point-of-failure", "model.yaml", 12, 5, False),
        ("contract.notice-passed", "model.yaml", 18, 25, True),
        ("contract.renewal-date", "model.yaml", 24, 5, False),
        ("schema.unknown-field", "model.yaml", 34, 5, False)]),
    # stack.shelfware: "its annual cost is not recorded"
    "cost with a unit": (29, "annual_cost: 9600", "annual_cost: 9.6k", [
        ("contract.notice-passed", "model.yaml", 18, 25, True),
        ("schema.type", "model.yaml", 29, 18, False)]),
    # contract.notice-window "(0 days' notice)", and the waiver of notice-passed "matches no finding"
    "quoted notice days": (18, "notice_days: 90", 'notice_days: "90"', [
        ("schema.type", "model.yaml", 18, 50, False),
        ("contract.renewal-date", "model.yaml", 24, 5, False)]),
    # raci.single-accountable and raci.responsible-present
    "lower-case RACI letter": (57, "{mops-manager: A/R}", "{mops-manager: a}", [
        ("contract.renewal-date", "model.yaml", 24, 5, False),
        ("schema.value", "model.yaml", 57, 30, False)]),
    # kpi.outcome-present: "none of the model's 1 KPIs has form outcome"
    "KPI form outside the vocabulary": (62, "form: outcome", "form: outcomes", [
        ("flow.single-point-of-failure", "model.yaml", 12, 5, False),
        ("contract.notice-passed", "model.yaml", 18, 25, True),
        ("contract.renewal-date", "model.yaml", 24, 5, False),
        ("schema.value", "model.yaml", 62, 11, False)]),
    # coverage.gap: "0 of 7 process families are covered"
    "process family outside the vocabulary": (53, "family: demand-generation", "family: demand-gen", [
        ("flow.single-point-of-failure", "model.yaml", 12, 5, False),
        ("contract.notice-passed", "model.yaml", 18, 25, True),
        ("contract.renewal-date", "model.yaml", 24, 5, False),
        ("schema.value", "model.yaml", 53, 13, False)]),
    # stack.shelfware on the flow's other tool: "enrichment is used by no process step and no data flow"
    "flow to a tool that does not exist": (46, "to: crm", "to: crn", [
        ("contract.notice-passed", "model.yaml", 18, 25, True),
        ("ref.unresolved", "model.yaml", 46, 9, False)]),
}


def _planted(tmp_path: Path, line: int, old: str, new: str) -> Path:
    target = tmp_path / "model"
    shutil.copytree(CONSEQUENCES, target)
    lines = (target / "model.yaml").read_text().split("\n")
    assert old in lines[line - 1]
    lines[line - 1] = lines[line - 1].replace(old, new)
    (target / "model.yaml").write_text("\n".join(lines))
    return target


def _summary(findings: list[dict]) -> list[tuple]:
    return [(f["rule"], f["file"], f["line"], f["column"], f["suppressed_by"] is not None) for f in findings]


def test_the_clean_model_and_its_own_findings():
    returncode, findings, _ = check_both(".", cwd=CONSEQUENCES)
    assert (returncode, _summary(findings)) == (0, CLEAN)


@pytest.mark.parametrize("name", sorted(MISTAKES))
def test_a_mistake_is_reported_once_at_its_cause(name, tmp_path):
    line, old, new, expected = MISTAKES[name]
    model = _planted(tmp_path, line, old, new)
    returncode, findings, _ = check_both(".", cwd=model)
    assert returncode == 1
    assert _summary(findings) == expected


def test_only_the_entities_that_write_an_invalid_entitys_id_are_read_for_what_they_name(tmp_path, monkeypatch):
    """Finding what names an entity with an error reads each entity's text once; the schema walk
    that collects references runs only where that id is written (it used to run on every entity)."""
    import mopsgov.rules.consequences as consequences
    from mopsgov.check import run_check

    read = []
    named = consequences.named_entities
    monkeypatch.setattr(consequences, "named_entities", lambda model, entity: read.append(entity.ref) or named(model, entity))
    # the tool map has an error in a plain field: only the flow and the step that name it are read
    model = _planted(tmp_path, 22, "lifecycle: active", "lifecycle: live")
    result = run_check(str(model))
    assert sorted(read) == ["flow:crm-to-map", "process:lead-routing"]
    assert [f.rule for f in result.findings] == ["contract.notice-passed", "schema.value", "contract.renewal-date"]
    assert sorted(f.rule for f in result.held_back) == ["coverage.gap", "flow.single-point-of-failure"]


# An error in mopsgov.yaml holds back only the findings that depend on the setting it is in.
WAIVE_KIND = """\
  - id: all-tools-window
    name: Notice windows of every tool
    rule: contract.notice-window
    entity: "tool:*"
    reason: Procurement reviews every notice window in its own calendar
    approver: mops-manager
    expires: "2027-01-31"
"""
CLEAN_UNMATCHED = ("waiver.unmatched", "model.yaml", 82, 13, False)
CONFIG_MISTAKES = {
    # coverage.gap alone: its severity is unknown
    "severity of one rule": ("coverage.gap: {options", "coverage.gap: {severity: fatal, options", 1, CLEAN[:3] + [
        CLEAN_UNMATCHED,
        ("schema.value", "mopsgov.yaml", 6, 30, False)]),
    # the thresholds of coverage.gap are not a mapping: it runs on its defaults, a gap in each of its 4 dimensions
    "thresholds of one rule": ("{options: {dimensions: [process_families]}}", "{options: [process_families]}", 4, CLEAN[:3] + [
        CLEAN_UNMATCHED,
        ("schema.type", "mopsgov.yaml", 6, 29, False)]),
    # the waiver of the whole kind waives a rule whose setting is wrong: the finding it waived may be the one held back
    "setting of the rule a kind waiver waives": (
        "    coverage.gap:", "    contract.notice-window: fatal\n    coverage.gap:", 1,
        CLEAN[:3] + [("coverage.gap", "mopsgov.yaml", 2, 1, False), ("schema.value", "mopsgov.yaml", 6, 29, False)]),
    # no rule reads the model's name
    "empty name": ("name: Consequences", 'name: ""', 0, CLEAN[:3] + [CLEAN_UNMATCHED, (
        "coverage.gap", "mopsgov.yaml", 2, 1, False), ("schema.value", "mopsgov.yaml", 2, 7, False)]),
    # a setting mopsgov does not know may be any of them, misspelt: the whole model is in doubt
    "unknown setting": ("name: Consequences", "nmae: Consequences", 3, [
        ("contract.notice-passed", "model.yaml", 18, 25, True),
        ("contract.renewal-date", "model.yaml", 24, 5, False),
        ("schema.unknown-field", "mopsgov.yaml", 2, 1, False)]),
}


@pytest.mark.parametrize("name", sorted(CONFIG_MISTAKES))
def test_a_mistake_in_mopsgov_yaml_holds_back_only_what_depends_on_it(name, tmp_path):
    old, new, held, expected = CONFIG_MISTAKES[name]
    model = tmp_path / "model"
    shutil.copytree(CONSEQUENCES, model)
    config = model / "mopsgov.yaml"
    assert old in config.read_text()
    config.write_text(config.read_text().replace(old, new))
    (model / "model.yaml").write_text((model / "model.yaml").read_text() + WAIVE_KIND)
    returncode, findings, _ = check_both(".", cwd=model)
    assert (returncode, _summary(findings)) == (1, expected)
    _, report = run_json("check", ".", cwd=model)
    assert report["summary"]["held_back"] == held


def test_the_ownership_fix_writes_the_field_as_yaml(tmp_path):
    (tmp_path / "model.yaml").write_text("tools:\n  - {id: crm, name: CRM, category: crm, lifecycle: active}\n")
    _, findings, _ = check_both("model.yaml", cwd=tmp_path)
    [owner] = [f for f in findings if f["rule"] == "ownership.tool"]
    assert (owner["line"], owner["column"], owner["fix"]) == (
        2, 5, "Add owner with the id of the role that runs the tool, such as owner: mops-manager.")


INDICATOR_VALUES = [
    ("*New* launch", "'*' is read as a reference to an anchor (an alias)"),
    ("&amp; partners", "'&' is read as an anchor name for later references"),
    ("| pipe", "'|' is read as the start of a block of text on the lines below"),
    (">> big", "'>' is read as the start of a block of text on the lines below"),
    ("? what", "'?' is read as a complex key"),
    ("[Beta] product", "'[' is read as a list, and the text after its ']' cannot be read"),
    ("{Beta} product", "'{' is read as a mapping, and the text after its '}' cannot be read"),
]


@pytest.mark.parametrize("value, meaning", INDICATOR_VALUES)
def test_a_value_starting_with_a_yaml_indicator_is_explained_in_plain_words(tmp_path, value, meaning):
    (tmp_path / "model.yaml").write_text(f"tools:\n  - id: crm\n    name: {value}\n    vendor: Acme\n")
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["rule"], f["line"], f["column"], f["message"], f["fix"]) for f in findings] == [
        ("yaml.syntax", 3, 11, f"a value starting with {meaning}, unless it is in quotes",
         f'Put the value in quotes: name: "{value}".')]


def test_an_alias_without_its_anchor_says_how_to_keep_the_text(tmp_path):
    (tmp_path / "model.yaml").write_text("tools:\n  - id: crm\n    name: *crm\n")
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["rule"], f["line"], f["column"], f["message"], f["fix"]) for f in findings] == [
        ("yaml.syntax", 3, 11, "a value starting with '*' is read as a reference to an anchor (an alias), and no "
                               "anchor &crm comes before it",
         'If the value is text, put it in quotes: "*crm"; otherwise add &crm before the value it refers to.')]


def test_infinity_and_nan_are_named_for_text_and_for_number_fields(tmp_path):
    (tmp_path / "model.yaml").write_text("tools:\n  - id: crm\n    name: .inf\n    category: crm\n"
                                         "    lifecycle: active\n    annual_cost: .nan\n")
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["rule"], f["line"], f["column"], f["message"], f["fix"]) for f in findings if f["severity"] == "error"] == [
        ("schema.type", 3, 11, 'tool "crm": "name" must be text, but YAML reads .inf as an infinite number, not as text',
         'Quote it: ".inf".'),
        ("schema.type", 6, 18, 'tool "crm": "annual_cost" must be a finite number, but YAML reads .nan as the special '
                               "value not-a-number (NaN)", "Write a plain number, such as 1200."),
    ]


def test_a_date_that_does_not_exist_and_an_id_with_accents_get_fixes_that_say_why(tmp_path):
    (tmp_path / "model.yaml").write_text(
        "tools:\n"
        "  - {id: café-crm, name: C, category: crm, lifecycle: active, contract: {renewal: 2027-02-29}}\n"
        "  - {id: dam, name: D, category: dam-mrm-pim, lifecycle: active, contract: {renewal: '2027-13-01'}}\n"
        "  - {id: cms, name: E, category: cms-web, lifecycle: active, contract: {renewal: 2028-04-31}}\n")
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["line"], f["column"], f["message"], f["fix"]) for f in findings if f["rule"] == "schema.value"] == [
        (2, 10, 'tool "café-crm": "id" must be an id of lower-case letters, digits and hyphens, such as lead-routing, '
               'got "café-crm"', 'Write it as "cafe-crm".'),
        (2, 83, 'tool "café-crm": "contract.renewal" must be a date in the calendar, but 2027-02-29 does not exist',
         "February 2027 has 28 days; check the day."),
        (3, 86, 'tool "dam": "contract.renewal" must be a date in the calendar, but 2027-13-01 does not exist',
         "Write the date as year-month-day, such as 2027-01-31: the month comes second."),
        (4, 82, 'tool "cms": "contract.renewal" must be a date in the calendar, but 2028-04-31 does not exist',
         "April 2028 has 30 days; check the day."),
    ]


def test_a_reference_written_as_no_id_could_be_is_one_finding_with_the_closest_id(tmp_path):
    (tmp_path / "model.yaml").write_text(
        "teams:\n  - {id: mops, name: MOps, type: internal}\n"
        "roles:\n  - {id: mops-lead, name: MOps lead, team: mops}\n"
        "tools:\n"
        "  - {id: crm, name: CRM, category: crm, lifecycle: active, owner: MOps-Lead}\n"
        "  - {id: map, name: MAP, category: marketing-automation, lifecycle: active, owner: RevOps-Manager}\n")
    returncode, findings, _ = check_both("model.yaml", cwd=tmp_path)
    assert returncode == 1
    assert [(f["rule"], f["line"], f["fix"]) for f in findings if f["severity"] == "error"] == [
        ("schema.value", 6, 'Write it as "mops-lead", the id of the role MOps lead.'),
        ("schema.value", 7, 'Write it as "revops-manager". No role has that id yet: add one.'),
    ]
