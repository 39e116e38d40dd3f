"""`mopsgov check` on the broken fixture tree: every load and validation error class, exact positions."""
from __future__ import annotations

import pytest

from conftest import run_cli, run_json

BROKEN = "tests/fixtures/broken/files"
# The broken files are single files with no mopsgov.yaml, so the built-in policies run on them too;
# these tests pin the load and validation findings.
FOUNDATION = ("yaml.", "file.", "schema.", "ref.", "vocabulary.")


def foundation(findings: list[dict]) -> list[dict]:
    return [f for f in findings if f["rule"].startswith(FOUNDATION)]

# file -> [(rule, line, column)] in output order, and the exit code
CASES = {
    "syntax-error.yaml": ([("yaml.syntax", 3, 11)], 1),
    "duplicate-key.yaml": ([("yaml.duplicate-key", 6, 5)], 1),
    "multiple-documents.yaml": ([("yaml.multiple-documents", 5, 1)], 1),
    "root-list.yaml": ([("yaml.root-not-mapping", 1, 1)], 1),
    "root-scalar.yaml": ([("yaml.root-not-mapping", 1, 1)], 1),
    "unknown-collection.yaml": ([("schema.unknown-field", 1, 1)], 1),
    "unknown-field.yaml": ([("schema.unknown-field", 6, 5)], 1),
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
    "yaml11-traps.yaml": ([("schema.type", 9, 14), ("schema.value", 12, 15), ("schema.type", 16, 19)], 1),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_json(name):
    expected, code = CASES[name]
    returncode, report = run_json("check", f"{BROKEN}/{name}")
    assert returncode == code
    got = [(f["rule"], f["line"], f["column"]) for f in foundation(report["findings"])]
    assert got == expected
    for finding in report["findings"]:
        assert finding["file"] == f"{BROKEN}/{name}"
        assert finding["message"]


@pytest.mark.parametrize("name", sorted(CASES))
def test_broken_file_text(name):
    expected, code = CASES[name]
    done = run_cli("check", f"{BROKEN}/{name}")
    assert done.returncode == code
    assert "Traceback" not in done.stdout + done.stderr
    lines = [line for line in done.stdout.splitlines() if line.split(" ")[2:3] and line.split(" ")[2].startswith(FOUNDATION)]
    assert len(lines) == len(expected)
    for line, (rule, row, column) in zip(lines, expected):
        assert line.startswith(f"{BROKEN}/{name}:{row}:{column}: ")
        assert f" {rule} " in line


def test_messages_name_the_trap_and_the_fix():
    done = run_cli("check", f"{BROKEN}/yaml11-traps.yaml")
    lines = done.stdout.splitlines()
    kept = [line for i, line in enumerate(lines)
            if " schema." in line or (line.startswith("    fix:") and " schema." in lines[i - 1]) or line == lines[-1]]
    assert kept == [
        f'{BROKEN}/yaml11-traps.yaml:9:14: error schema.type tool "crm": "product" must be text, but YAML reads 010 as the number 10',
        '    fix: Quote it: "010".',
        f'{BROKEN}/yaml11-traps.yaml:12:15: error schema.value tool "crm": "currency" must be a three-letter currency code such as EUR or USD, got "on"',
        f'{BROKEN}/yaml11-traps.yaml:16:19: error schema.type tool "crm": "contract.auto_renew" must be true or false, got "yes"',
        "    fix: Write true or false.",
        "3 errors, 2 warnings, 1 info in 1 file: check failed (fail severity: error)",
    ]


def test_duplicate_key_reports_both_positions():
    _, report = run_json("check", f"{BROKEN}/duplicate-key.yaml")
    (finding,) = foundation(report["findings"])
    assert finding["message"] == "the key 'name' appears twice in this mapping (first at line 3); the second would silently win"
    assert [(r["line"], r["column"]) for r in finding["related"]] == [(3, 5)]


def test_unknown_field_did_you_mean():
    _, report = run_json("check", f"{BROKEN}/unknown-field.yaml")
    (finding,) = foundation(report["findings"])
    assert finding["message"] == 'tool "crm": "anual_cost" is not a field mopsgov knows'
    assert finding["fix"].startswith('Did you mean "annual_cost"?')
    assert finding["path"] == "$.tools[0].anual_cost"
    assert (finding["kind"], finding["entity"]) == ("tool", "crm")


def test_unknown_collection_did_you_mean():
    _, report = run_json("check", f"{BROKEN}/unknown-collection.yaml")
    assert foundation(report["findings"])[0]["fix"] == 'Did you mean "tools"?'


def test_references_and_duplicate_ids_across_files():
    returncode, report = run_json("check", "tests/fixtures/broken/references")
    assert returncode == 1
    got = [(f["rule"], f["file"].rsplit("/", 1)[1], f["line"], f["column"], f["message"], f["fix"]) for f in report["findings"]]
    assert got == [
        ("ref.unresolved", "stack.yaml", 6, 12, 'tool "marketo": "owner" names role "mops-manger", which is not in the model',
         'Did you mean "mops-manager"?'),
        ("ref.unresolved", "stack.yaml", 7, 18, 'tool "marketo": "user_teams[1]" names team "mops-manager", which is not in the model',
         '"mops-manager" is a role; this field needs a team.'),
        ("ref.duplicate-id", "stack.yaml", 8, 9,
         'tool id "salesforce" is defined twice; the first is at tests/fixtures/broken/references/more-stack.yaml:2:9',
         "Give one of them another id, or merge the two."),
        ("ref.unresolved", "stack.yaml", 25, 33,
         'process "lead-routing": "steps[route].raci.sales-rep" names role "sales-rep", which is not in the model',
         "Add a role with id sales-rep, or correct the id."),
        ("ref.duplicate-id", "stack.yaml", 27, 13,
         'process "lead-routing": step id "route" is used twice; the first is at tests/fixtures/broken/references/stack.yaml:23:13',
         "Give each step of a process its own id."),
        ("ref.unresolved", "stack.yaml", 34, 11,
         'SLA "routing-sla": "step" names step "rout", which is not a step of process "lead-routing"', 'Did you mean "route"?'),
        ("waiver.unmatched", "stack.yaml", 39, 11,
         'waiver "crm-waiver" waives rule "contract.notice-window", which no enabled pack defines',
         "Correct the rule id, or delete the waiver."),
        ("ref.unresolved", "stack.yaml", 40, 13,
         'waiver "crm-waiver": "entity" names the kind "tools", which mopsgov does not know', 'Did you mean "tool:salesforce"?'),
    ]
    duplicate = report["findings"][2]
    assert [(r["file"], r["line"], r["column"]) for r in duplicate["related"]] == [
        ("tests/fixtures/broken/references/more-stack.yaml", 2, 9)]


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
    returncode, report = run_json("check", str(model))
    assert returncode == 1
    got = [(f["rule"], f["line"], f["column"], f["message"]) for f in foundation(report["findings"])]
    assert got == [
        ("schema.value", 5, 16, 'tool "crm": "lifecycle" must be one of: plan, phase-in, active, phase-out, retired; got "live"'),
        ("schema.type", 6, 18, 'tool "crm": "annual_cost" must be a number, got "12k"'),
        ("schema.type", 7, 21, 'tool "crm": "seats.bought" must be a whole number, got "many"'),
        ("schema.value", 7, 35, 'tool "crm": "seats.active" must be at least 0, got -1'),
        ("schema.value", 8, 25, 'tool "crm": "contract.renewal" must be a date written YYYY-MM-DD, got "31/01/2026"'),
        ("schema.missing-field", 9, 5, 'tool number 2 in tools is missing the required field "id"'),
    ]


def test_wrong_type_gives_one_finding_not_a_cascade(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text("tools:\n  id: crm\n  name: CRM\n")
    _, report = run_json("check", str(model))
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in foundation(report["findings"])] == [
        ("schema.type", 2, 3, 'collection "tools" must be a list, got a mapping')]


def test_dates_are_accepted_as_iso_dates(tmp_path):
    model = tmp_path / "model.yaml"
    model.write_text(
        "tools:\n  - id: crm\n    name: CRM\n    category: crm\n    lifecycle: active\n"
        "    contract: {start: 2024-02-01, renewal: '2026-01-31'}\n")
    returncode, report = run_json("check", str(model))
    assert (returncode, foundation(report["findings"])) == (0, [])


def test_missing_path_is_a_usage_error():
    done = run_cli("check", "no/such/model")
    assert done.returncode == 2
    assert done.stderr == "mopsgov: no/such/model: no such file or folder\n"
