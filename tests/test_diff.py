"""`mopsgov diff` in a real git repository with two commits: exactly the planted additions,
removals, field changes, spend delta and introduced/fixed findings, in JSON and markdown."""
from __future__ import annotations

import json
import os
import shutil
import subprocess

import pytest

from conftest import ROOT
from conftest import run_cli as _run_cli


def run_cli(*args, **kwargs):
    """The CLI from another folder: the package comes from the project root."""
    return _run_cli(*args, env={**os.environ, "PYTHONPATH": str(ROOT)}, **kwargs)

CONFIG = """name: Diff test
as_of: "2026-11-23"
currency: EUR
policies:
  packs: []
"""
PEOPLE = """teams:
  - id: marketing
    name: Marketing
    type: internal
roles:
  - id: mops-manager
    name: MOps manager
    team: marketing
  - id: analyst
    name: Analyst
    team: marketing
"""
STACK = """tools:
  - id: crm
    name: CRM
    category: crm
    capabilities: [email-sending]
    lifecycle: active
    owner: mops-manager
    annual_cost: 30000
  - id: map
    name: MAP
    category: marketing-automation
    lifecycle: active
    owner: mops-mangr
    annual_cost: 24000
  - id: legacy-dam
    name: Old DAM
    category: dam-mrm-pim
    lifecycle: phase-out
    annual_cost: 5000
"""
PROCESSES = """processes:
  - id: lead-management
    name: Lead management
    owner: mops-manager
    family: demand-generation
    steps:
      - id: capture
        name: Capture
        raci: {mops-manager: A}
      - id: route
        name: Route
        raci: {mops-manager: A}
"""


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True).stdout


@pytest.fixture
def repo(tmp_path):
    root = tmp_path / "repo"
    model = root / "model"
    model.mkdir(parents=True)
    git(root, "init", "-q", "-b", "main")
    (model / "mopsgov.yaml").write_text(CONFIG)
    (model / "people.yaml").write_text(PEOPLE)
    (model / "stack.yaml").write_text(STACK)
    (model / "processes.yaml").write_text(PROCESSES)
    (root / "README.md").write_text("not part of the model\n")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "tag", "base")
    # the head: stack.yaml renamed, a tool removed and one added, fields changed, a role moved
    git(root, "mv", "model/stack.yaml", "model/tools.yaml")
    tools = (STACK.replace("owner: mops-mangr", "owner: mops-manager").replace("annual_cost: 24000", "annual_cost: 26000")
             .split("  - id: legacy-dam")[0])
    tools += "  - id: cdp\n    name: CDP\n    category: cdp\n    lifecycle: phase-in\n    owner: nobody\n    annual_cost: 40000\n"
    (model / "tools.yaml").write_text(tools)
    (model / "people.yaml").write_text(PEOPLE.split("  - id: analyst")[0])
    (model / "roles.yaml").write_text("roles:\n" + "  - id: analyst" + PEOPLE.split("  - id: analyst")[1])
    (model / "processes.yaml").write_text(PROCESSES.replace("raci: {mops-manager: A}\n", "raci: {mops-manager: A, analyst: R}\n", 2)
                                          .replace("raci: {mops-manager: A, analyst: R}\n", "raci: {mops-manager: A}\n", 1))
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "head")
    return root


def _finding(rule, file, line, column, message, entity, path, fix, end_column):
    return {"rule": rule, "severity": "error", "message": message, "fix": fix, "file": file, "line": line,
            "column": column, "end_line": line, "end_column": end_column, "kind": "tool", "entity": entity,
            "path": path, "related": [], "suppressed_by": None}


def test_diff_json_reports_exactly_the_planted_changes(repo):
    before = git(repo, "status", "--porcelain")
    done = run_cli("diff", "model", "--base", "base", "--head", "main", "--format", "json", cwd=repo)
    assert done.stderr == ""
    assert done.returncode == 1
    report = json.loads(done.stdout)
    assert git(repo, "status", "--porcelain") == before  # the work tree is never touched
    assert report["base"] == "base" and report["head"] == "main"
    assert report["exit_code"] == 1 and report["fail_severity"] == "error"
    assert report["entities"] == {
        "added": [{"kind": "tool", "id": "cdp", "name": "CDP", "file": "model/tools.yaml", "line": 15}],
        "removed": [{"kind": "tool", "id": "legacy-dam", "name": "Old DAM", "file": "model/stack.yaml", "line": 15}],
        "changed": [
            {"kind": "process", "id": "lead-management", "name": "Lead management", "file": "model/processes.yaml", "line": 2,
             "fields": [{"field": "steps[route].raci.analyst", "old": None, "new": "R"}]},
            {"kind": "tool", "id": "map", "name": "MAP", "file": "model/tools.yaml", "line": 9,
             "fields": [{"field": "owner", "old": "mops-mangr", "new": "mops-manager"},
                        {"field": "annual_cost", "old": 24000, "new": 26000}]},
        ],
        "moved": [
            {"kind": "role", "id": "analyst", "name": "Analyst", "file": "model/roles.yaml", "line": 2, "from": "model/people.yaml"},
            {"kind": "tool", "id": "crm", "name": "CRM", "file": "model/tools.yaml", "line": 2, "from": "model/stack.yaml"},
        ],  # map moved too, but changed: it is listed as changed only
        "renamed_files": [],  # legacy-dam was removed: stack.yaml is not simply renamed
    }
    assert report["spend"] == [{"currency": "EUR", "base": 59000, "head": 96000, "delta": 37000, "categories": [
        {"category": "cdp", "base": 0, "head": 40000, "delta": 40000},
        {"category": "dam-mrm-pim", "base": 5000, "head": 0, "delta": -5000},
        {"category": "marketing-automation", "base": 24000, "head": 26000, "delta": 2000},
    ]}]
    assert report["findings"]["introduced"] == [_finding(
        "ref.unresolved", "model/tools.yaml", 19, 12, 'tool "cdp": "owner" names role "nobody", which is not in the model',
        "cdp", "$.tools[2].owner", "Add a role with id nobody, or correct the id.", 18)]
    assert report["findings"]["fixed"] == [_finding(
        "ref.unresolved", "model/stack.yaml", 13, 12, 'tool "map": "owner" names role "mops-mangr", which is not in the model',
        "map", "$.tools[1].owner", 'Did you mean "mops-manager"?', 22)]
    assert [(f["rule"], f["entity"], f["file"]) for f in report["findings"]["unchanged"]] == [
        ("vocabulary.unknown-term", "crm", "model/tools.yaml")]


def test_diff_markdown_is_a_ready_comment(repo):
    done = run_cli("diff", "model", "--base", "base", "--head", "main", "--format", "markdown", cwd=repo)
    lines = done.stdout.splitlines()
    assert lines[:2] == ["## ❌ mopsgov: what this change does to Diff test", ""]
    assert lines[2] == ("Compared `base` with `main`: 1 added, 1 removed, 2 changed; findings 1 introduced "
                        "(1 failing at error), 1 fixed, 1 unchanged.")
    body = "\n".join(lines)
    for expected in [
        "### Added (1)\n\n| Kind | Id | Name | Where |\n|---|---|---|---|\n| Tool | `cdp` | CDP | `model/tools.yaml:15:5` |",
        "### Removed (1)\n\n| Kind | Id | Name | Where |\n|---|---|---|---|\n| Tool | `legacy-dam` | Old DAM | `model/stack.yaml:15:5` |",
        "| Process `lead-management` | `steps[route].raci.analyst` | — | R |",
        "| Tool `map` | `owner` | mops\\-mangr | mops\\-manager |".replace("\\-", "-"),
        "| Tool `map` | `annual_cost` | 24000 | 26000 |",
        "### Annual spend\n\n| Category | Before | After | Change |\n|---|---:|---:|---:|\n"
        "| cdp | 0 EUR | 40,000 EUR | +40,000 EUR |\n| dam-mrm-pim | 5,000 EUR | 0 EUR | -5,000 EUR |\n"
        "| marketing-automation | 24,000 EUR | 26,000 EUR | +2,000 EUR |\n"
        "| **Total** | **59,000 EUR** | **96,000 EUR** | **+37,000 EUR** |",
        "### Findings introduced (1)",
        '| error | `ref.unresolved` | `model/tools.yaml:19:12` | tool "cdp": "owner" names role "nobody", which is not in the model',
        "### Findings fixed (1)",
        "<details><summary>Findings unchanged (1)</summary>",
    ]:
        assert expected in body


def test_diff_text(repo):
    done = run_cli("diff", "model", "--base", "base", "--head", "main", cwd=repo)
    assert done.stdout.splitlines()[:4] == [
        "model Diff test: base -> main",
        "added Tool cdp (model/tools.yaml:15:5)",
        "removed Tool legacy-dam (was model/stack.yaml:15:5)",
        "changed Process lead-management (model/processes.yaml:2:5)",
    ]
    assert done.stdout.splitlines()[-1] == "findings: 1 introduced, 1 fixed, 1 unchanged; diff failed (fail severity: error)"


def test_only_introduced_findings_at_the_fail_severity_fail(repo):
    assert run_cli("diff", "model", "--base", "base", "--head", "main", "--fail-severity", "never", cwd=repo).returncode == 0
    # head against itself: nothing introduced, though the model has findings
    assert run_cli("diff", "model", "--base", "main", "--head", "main", cwd=repo).returncode == 0


def test_without_head_the_working_tree_is_compared(repo):
    tools = repo / "model" / "tools.yaml"
    tools.write_text(tools.read_text().replace("owner: nobody", "owner: analyst"))
    done = run_cli("diff", "model", "--base", "base", "--format", "json", cwd=repo)
    report = json.loads(done.stdout)
    assert done.returncode == 0
    assert report["head"] == "working tree"
    assert report["findings"]["introduced"] == []
    assert [f["entity"] for f in report["findings"]["fixed"]] == ["map"]
    assert git(repo, "status", "--porcelain") == " M model/tools.yaml\n"


def test_several_outputs(repo, tmp_path):
    done = run_cli("diff", "model", "--base", "base", "--head", "main", "--format", "markdown", "--output",
                   str(tmp_path / "pr.md"), "--format", "json", cwd=repo)
    assert json.loads(done.stdout)["exit_code"] == 1
    assert (tmp_path / "pr.md").read_text().startswith("## ❌ mopsgov")


def test_model_added_in_the_head_has_an_empty_base(repo):
    git(repo, "commit", "-q", "--allow-empty", "-m", "noop")
    done = run_cli("diff", "model", "--base", "base~0", "--head", "main", "--format", "json", cwd=repo)
    assert json.loads(done.stdout)["entities"]["added"][0]["id"] == "cdp"
    other = repo / "other"
    other.mkdir()
    (other / "tools.yaml").write_text("tools:\n  - id: a\n    name: A\n    category: crm\n    lifecycle: active\n")
    done = run_cli("diff", "other", "--base", "main", "--format", "json", cwd=repo)
    report = json.loads(done.stdout)
    assert [e["id"] for e in report["entities"]["added"]] == ["a"] and report["entities"]["removed"] == []


def test_single_file_model(repo):
    done = run_cli("diff", "model/tools.yaml", "--base", "main", "--head", "main", "--format", "json", cwd=repo)
    report = json.loads(done.stdout)
    assert done.returncode == 0
    check = json.loads(run_cli("check", "model/tools.yaml", "--format", "json", cwd=repo).stdout)
    assert report["findings"]["unchanged"] == check["findings"]
    assert report["findings"]["introduced"] == report["findings"]["fixed"] == []


@pytest.mark.parametrize("args, message", [
    (["--base", "no-such-ref"], "mopsgov: 'no-such-ref' is not a commit in this repository"),
    (["--base", "base", "--head", "nope"], "mopsgov: 'nope' is not a commit in this repository"),
])
def test_bad_revisions(repo, args, message):
    done = run_cli("diff", "model", *args, cwd=repo)
    assert done.returncode == 2
    assert done.stderr.startswith(message)


def test_outside_a_repository(tmp_path):
    (tmp_path / "m").mkdir()
    done = run_cli("diff", str(tmp_path / "m"), "--base", "main")
    assert done.returncode == 2
    assert done.stderr.startswith("mopsgov: ") and "Traceback" not in done.stderr


def test_github_annotates_only_introduced_findings(repo):
    done = run_cli("diff", "model", "--base", "base", "--head", "main", "--format", "github", cwd=repo)
    assert done.stdout.splitlines() == [
        '::error file=model/tools.yaml,line=19,col=12,endLine=19,endColumn=18,title=ref.unresolved::'
        'tool "cdp": "owner" names role "nobody", which is not in the model%0AFix: Add a role with id nobody, or correct the id.',
        "findings: 1 introduced, 1 fixed, 1 unchanged; diff failed (fail severity: error)",
    ]


def test_model_deleted_on_disk_is_read_from_history(repo):
    done = run_cli("diff", "gone/model", "--base", "base", "--head", "main", "--format", "json", cwd=repo)
    report = json.loads(done.stdout)
    assert done.returncode == 0
    assert report["entities"] == {"added": [], "removed": [], "changed": [], "moved": [], "renamed_files": []}
    shutil.rmtree(repo / "model")
    done = run_cli("diff", "model", "--base", "base", "--head", "main", "--format", "json", cwd=repo)
    assert [e["id"] for e in json.loads(done.stdout)["entities"]["added"]] == ["cdp"]
    done = run_cli("diff", "model", "--base", "base", cwd=repo)
    assert done.returncode == 2 and done.stderr == "mopsgov: model: no such file or folder\n"


def test_revision_that_looks_like_an_option(repo):
    done = run_cli("diff", "model", "--base=--output=x", cwd=repo)
    assert done.returncode == 2
    assert done.stderr.startswith("mopsgov: '--output=x' is not a commit in this repository")
    assert not (repo / "x").exists()


def test_git_loading_matches_disk_loading(tmp_path):
    """The enterprise example, with a custom pack and an exclude glob added, read from a commit:
    the same findings as `check` reads from disk."""
    root = tmp_path / "repo"
    shutil.copytree(ROOT / "examples" / "enterprise", root / "model")
    (root / "model" / "generated").mkdir()
    (root / "model" / "generated" / "export.yaml").write_text("tools: [{id: x}]\n")
    (root / "model" / "policies").mkdir()
    (root / "model" / "policies" / "acme.yaml").write_text("not: [a model file\n")
    config = root / "model" / "mopsgov.yaml"
    config.write_text(config.read_text() + "exclude: [generated/**/*.yaml, policies]\n")
    git(root, "init", "-q")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "model")
    done = run_cli("diff", "model", "--base", "HEAD", "--head", "HEAD", "--format", "json", cwd=root)
    report = json.loads(done.stdout)
    check = json.loads(run_cli("check", "model", "--format", "json", cwd=root).stdout)
    assert check["findings"] and report["findings"]["unchanged"] == check["findings"]
    assert not [f for f in check["findings"] if "generated" in f["file"] or "policies" in f["file"]]
    assert report["findings"]["introduced"] == report["findings"]["fixed"] == []
    assert report["entities"] == {"added": [], "removed": [], "changed": [], "moved": [], "renamed_files": []}


def test_spend_per_currency_and_category_from_in_memory_files():
    from mopsgov.load.model_loader import load_files
    from mopsgov.workflow.diff import spend_delta

    config = b'name: m\ncurrency: EUR\npolicies: {packs: []}\n'
    base, _ = load_files("m", {"mopsgov.yaml": config, "t.yaml": b"tools:\n"
                               b"  - {id: a, name: A, category: crm, lifecycle: active, annual_cost: 100}\n"
                               b"  - {id: b, name: B, category: cdp, lifecycle: active, annual_cost: 50, currency: USD}\n"})
    head, _ = load_files("m", {"mopsgov.yaml": config, "t.yaml": b"tools:\n"
                               b"  - {id: a, name: A, category: crm, lifecycle: retired, annual_cost: 100}\n"
                               b"  - {id: b, name: B, category: cdp, lifecycle: active, annual_cost: 75.5, currency: USD}\n"
                               b"  - {id: c, name: C, category: crm, lifecycle: plan, annual_cost: 10}\n"})
    assert [(s.currency, s.base, s.head, s.delta, s.categories) for s in spend_delta(base, head)] == [
        ("EUR", 100, 10, -90, {"crm": [100, 10]}),
        ("USD", 50, 75.5, 25.5, {"cdp": [50, 75.5]}),
    ]


ACME = ROOT / "tests" / "fixtures" / "policies" / "acme"
COST_RULE = """
  - id: acme.tool-cost
    title: Every tool records its annual cost
    severity: warning
    rationale: Finance plans the budget from the stack.
    remediation: Add annual_cost to {entity}.
    message: "{entity} records no annual cost"
    select: {kind: tool}
    assert: {schema: {required: [annual_cost]}}
"""


def _rules(report, key):
    return [(f["rule"], f["severity"], f["entity"]) for f in report["findings"][key]]


def test_each_revision_is_judged_by_the_packs_and_settings_of_its_own_commit(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ACME, root / "model")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "acme with its own pack")
    pack, config = root / "model" / "policies" / "acme.yaml", root / "model" / "mopsgov.yaml"
    pack.write_text(pack.read_text().replace("severity: info", "severity: error") + COST_RULE)
    config.write_text(config.read_text().replace("{severity: error, options: {days: 60}}", "{severity: warning, options: {days: 60}}"))
    git(root, "commit", "-q", "-am", "a stricter pack, a milder notice window")
    shutil.rmtree(root / "model" / "policies")  # the work tree has neither commit's pack
    config.write_text("name: something else\n")
    done = run_cli("diff", "model", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", cwd=root)
    report = json.loads(done.stdout)
    assert done.returncode == 1 and done.stderr == ""
    assert _rules(report, "introduced") == [
        ("acme.tool-cost", "warning", "crm"), ("contract.notice-window", "warning", "crm"),
        ("acme.tool-cost", "warning", "webinar"), ("acme.tool-cost", "warning", "survey"),
        ("acme.flow-latency", "error", "webinar-to-crm")]
    # a finding whose severity changed is fixed at the old severity and introduced at the new one
    assert _rules(report, "fixed") == [("contract.notice-window", "error", "crm"), ("acme.flow-latency", "info", "webinar-to-crm")]
    assert [f["message"] for f in report["findings"]["failing"]] == ['flow "webinar-to-crm" into crm has no latency']
    assert report["model"]["name"] == "Acme Marketing Operations"
    # a commit against itself: the same packs, nothing introduced, although the disk has no pack
    same = json.loads(run_cli("diff", "model", "--base", "HEAD", "--head", "HEAD", "--format", "json", cwd=root).stdout)
    assert same["findings"]["introduced"] == same["findings"]["fixed"] == []
    assert ("acme.tool-cost", "warning", "survey") in _rules(same, "unchanged")


def test_a_pack_outside_the_model_folder_and_a_missing_pack_come_from_the_commit(tmp_path):
    root = tmp_path / "repo"
    shutil.copytree(ACME, root / "model")
    shutil.move(str(root / "model" / "policies"), str(root / "shared-policies"))
    config = root / "model" / "mopsgov.yaml"
    config.write_text(config.read_text().replace("[builtin, policies]", "[builtin, ../shared-policies]"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    git(root, "rm", "-q", "-r", "shared-policies")
    git(root, "commit", "-q", "-m", "the pack is deleted")
    done = run_cli("diff", "model", "--base", "HEAD~1", "--head", "HEAD", "--format", "json", cwd=root)
    report = json.loads(done.stdout)
    assert [(f["rule"], f["file"], f["line"]) for f in report["findings"]["introduced"]] == [
        ("waiver.unmatched", "model/model.yaml", 46), ("policy.pack-missing", "model/mopsgov.yaml", 4)]
    assert ("acme.flow-latency", "info", "webinar-to-crm") in _rules(report, "fixed")


@pytest.fixture
def broken_repo(tmp_path):
    """acme with one more file, valid at the tag good and broken at the tag broken."""
    root = tmp_path / "repo"
    shutil.copytree(ACME, root / "model")
    extra = root / "model" / "extra.yaml"
    extra.write_text("tools:\n  - id: dam\n    name: DAM\n    category: dam-mrm-pim\n    lifecycle: active\n    owner: mops-manager\n")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "good")
    git(root, "tag", "good")
    extra.write_text("tools:\n  - id: dam\n    name: [DAM\n")
    git(root, "commit", "-q", "-am", "broken")
    git(root, "tag", "broken")
    return root


SYNTAX = ("yaml.syntax", "model/extra.yaml", 3)


def test_a_file_broken_in_the_head_is_no_false_fixed(broken_repo):
    """The policy stage skips a model with a file it cannot read: its policy findings must not
    show as fixed. Only findings about reading files are compared; the verdict is the head's own."""
    done = run_cli("diff", "model", "--base", "good", "--head", "broken", "--format", "json", cwd=broken_repo)
    assert done.returncode == 1
    findings = json.loads(done.stdout)["findings"]
    assert findings["compared"] is False
    assert findings["not_compared_because"] == (
        "the head (broken) has 1 file that cannot be read, and rules judge a model with parts missing differently. "
        "Only findings about reading files are listed as introduced or fixed; the verdict is the head's own check, "
        "as mopsgov check would give it.")
    where = lambda key: [(f["rule"], f["file"], f["line"]) for f in findings[key]]  # noqa: E731
    assert {side: [(f["rule"], f["file"], f["line"]) for f in errors] for side, errors in findings["unreadable"].items()} == {
        "base": [], "head": [SYNTAX]}
    assert where("introduced") == where("failing") == [SYNTAX]
    assert findings["fixed"] == findings["unchanged"] == []
    text = run_cli("diff", "model", "--base", "good", "--head", "broken", cwd=broken_repo).stdout.splitlines()
    assert text[-4:] == [
        "cannot read in the head: model/extra.yaml:3:11: error yaml.syntax the list opened with '[' here is never closed",
        "Findings were not compared: " + findings["not_compared_because"],
        "introduced: model/extra.yaml:3:11: error yaml.syntax the list opened with '[' here is never closed",
        "findings not compared (files cannot be read); the head has 1 failing on its own; diff failed (fail severity: error)",
    ]


def test_a_file_broken_in_the_base_is_no_false_introduced(broken_repo):
    done = run_cli("diff", "model", "--base", "broken", "--head", "good", "--format", "markdown", cwd=broken_repo)
    assert done.returncode == 1  # the head's own errors: acme has two
    lines = done.stdout.splitlines()
    assert lines[2:7] == [
        "Compared `broken` with `good`: 1 added, 0 removed, 0 changed; findings not compared, 2 failing at error in the head.",
        "",
        "> **Findings were not compared:** the base (broken) has 1 file that cannot be read, and rules judge a model with "
        "parts missing differently. Only findings about reading files are listed as introduced or fixed; the verdict is "
        "the head's own check, as mopsgov check would give it.",
        "",
        "- base `broken`: `model/extra.yaml:3:11` `yaml.syntax` the list opened with '\\[' here is never closed",
    ]
    body = "\n".join(lines)
    assert "### Findings of the head at or above the fail severity (2)" in body
    assert "### Findings introduced" not in body
    assert "### Findings fixed (1)\n\n| Severity | Rule | Where | Finding |\n|---|---|---|---|\n| error | `yaml.syntax` |" in body
    report = json.loads(run_cli("diff", "model", "--base", "broken", "--head", "good", "-f", "json", cwd=broken_repo).stdout)
    assert [f["rule"] for f in report["findings"]["failing"]] == ["contract.notice-window", "waiver.expired"]
    assert report["findings"]["introduced"] == []


def test_a_renamed_file_is_one_line_and_moved_lists_pure_moves_only(repo):
    git(repo, "mv", "model/tools.yaml", "model/stack-2027.yaml")
    stack = repo / "model" / "stack-2027.yaml"
    stack.write_text(stack.read_text().replace("annual_cost: 40000", "annual_cost: 45000"))
    roles = (repo / "model" / "roles.yaml").read_text()
    git(repo, "rm", "-q", "model/roles.yaml")
    (repo / "model" / "people.yaml").write_text((repo / "model" / "people.yaml").read_text() + roles.split("roles:\n")[1])
    git(repo, "commit", "-q", "-am", "rename the stack file, fold the roles back")
    done = run_cli("diff", "model", "--base", "main~1", "--head", "main", "--format", "json", cwd=repo)
    entities = json.loads(done.stdout)["entities"]
    assert [(e["id"], e["from"], e["file"]) for e in entities["moved"]] == [
        ("analyst", "model/roles.yaml", "model/people.yaml"),
        ("crm", "model/tools.yaml", "model/stack-2027.yaml"), ("map", "model/tools.yaml", "model/stack-2027.yaml")]
    assert [(c["id"], [f["field"] for f in c["fields"]]) for c in entities["changed"]] == [("cdp", ["annual_cost"])]
    assert entities["renamed_files"] == [{"from": "model/tools.yaml", "to": "model/stack-2027.yaml", "entities": 3}]
    lines = run_cli("diff", "model", "--base", "main~1", "--head", "main", "--format", "markdown", cwd=repo).stdout.splitlines()
    assert "Renamed `model/tools.yaml` → `model/stack-2027.yaml` (3 entities)." in lines
    assert "Moved without changes to their content: Role `analyst` (`model/roles.yaml` → `model/people.yaml`)" in lines
    text = run_cli("diff", "model", "--base", "main~1", "--head", "main", cwd=repo).stdout.splitlines()
    assert text[1:5] == ["changed Tool cdp (model/stack-2027.yaml:15:5)", "    annual_cost: 40000 -> 45000",
                         "renamed model/tools.yaml to model/stack-2027.yaml (3 entities)",
                         "moved Role analyst from model/roles.yaml to model/people.yaml"]


def test_control_characters_are_escaped_in_the_diff(repo):
    tools = repo / "model" / "tools.yaml"
    tools.write_text(tools.read_text().replace("  - id: cdp\n", '  - id: cdp\n    "x-a\\n::error file=x::pwn": "v\\r\\n::warning::w"\n'))
    lines = run_cli("diff", "model", "--base", "main", cwd=repo).stdout.splitlines()
    assert [line for line in lines if line.startswith("::")] == []
    assert lines[1:3] == ["changed Tool cdp (model/tools.yaml:15:5)", '    x-a\\n::error file=x::pwn: — -> v\\r\\n::warning::w']
    markdown = run_cli("diff", "model", "--base", "main", "-f", "markdown", cwd=repo).stdout
    assert "| Tool `cdp` | `x-a\\n::error file=x::pwn` | — | v\\\\r\\\\n::warning::w |" in markdown.splitlines()


def test_auto_format_and_colour(repo):
    args = ("diff", "model", "--base", "base", "--head", "main")
    inside, outside = ({**os.environ, "GITHUB_ACTIONS": value, "PYTHONPATH": str(ROOT)} for value in ("true", "false"))
    assert _run_cli(*args, "--format", "auto", env=inside, cwd=repo).stdout == run_cli(*args, "-f", "github", cwd=repo).stdout
    plain = run_cli(*args, cwd=repo).stdout
    assert _run_cli(*args, "-f", "auto", env=outside, cwd=repo).stdout == plain
    coloured = run_cli(*args, "--color", "always", cwd=repo).stdout
    assert "introduced: model/tools.yaml:19:12: \033[1;31merror\033[0m ref.unresolved" in coloured
    assert coloured.replace("\033[1;31m", "").replace("\033[0m", "") == plain


def test_a_pack_outside_the_repository_is_read_from_disk(tmp_path):
    """Not versioned with the model, so both revisions use it as it is."""
    root = tmp_path / "repo"
    shutil.copytree(ACME, root / "model")
    shutil.move(str(root / "model" / "policies"), str(tmp_path / "company-policies"))
    config = root / "model" / "mopsgov.yaml"
    config.write_text(config.read_text().replace("[builtin, policies]", f"[builtin, {tmp_path / 'company-policies'}]"))
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "base")
    report = json.loads(run_cli("diff", "model", "--base", "HEAD", "--head", "HEAD", "-f", "json", cwd=root).stdout)
    assert ("acme.flow-latency", "info", "webinar-to-crm") in _rules(report, "unchanged")
    assert [f for f in report["findings"]["unchanged"] if f["rule"].startswith("policy.")] == []


def test_findings_held_back_by_a_validation_error_are_neither_fixed_nor_introduced(tmp_path):
    """A misspelt field holds back the policy findings its mistake may cause: diff reports the
    mistake as introduced, and the findings held back neither as fixed (head) nor as new (base)."""
    root = tmp_path / "repo"
    shutil.copytree(ACME, root / "model")
    git(root, "init", "-q", "-b", "main")
    git(root, "add", ".")
    git(root, "commit", "-q", "-m", "clean")
    git(root, "tag", "clean")
    path = root / "model" / "model.yaml"
    clean = path.read_text()
    assert "    owner: mops-manager\n    vendor: Salesforce\n" in clean
    path.write_text(clean.replace("    owner: mops-manager\n    vendor: Salesforce\n", "    Owner: mops-manager\n    vendor: Salesforce\n"))
    git(root, "commit", "-q", "-am", "typo")
    git(root, "tag", "typo")
    forward = json.loads(run_cli("diff", "model", "--base", "clean", "--head", "typo", "-f", "json", cwd=root).stdout)
    assert [f["rule"] for f in forward["findings"]["introduced"]] == ["schema.unknown-field"]
    assert forward["findings"]["fixed"] == []
    back = json.loads(run_cli("diff", "model", "--base", "typo", "--head", "clean", "-f", "json", cwd=root).stdout)
    assert [f["rule"] for f in back["findings"]["introduced"]] == []
    assert [f["rule"] for f in back["findings"]["fixed"]] == ["schema.unknown-field"]
