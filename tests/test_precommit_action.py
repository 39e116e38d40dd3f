"""The composite GitHub Action: its shell steps run for real against a model, as the runner would
run them (inputs as environment variables, a step-summary file, mopsgov on PATH)."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

ACTION = yaml.safe_load((ROOT / "action.yml").read_text())
SMALL = ROOT / "tests" / "fixtures" / "workflow" / "small"


def _step(name: str) -> dict:
    (step,) = [s for s in ACTION["runs"]["steps"] if s.get("name") == name]
    return step


@pytest.fixture
def runner(tmp_path):
    """A work folder with the model, a git history, a `mopsgov` command and a summary file."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    shim = bin_dir / "mopsgov"
    shim.write_text(f'#!/bin/sh\nPYTHONPATH="{ROOT}" exec "{sys.executable}" -m mopsgov "$@"\n')
    shim.chmod(0o755)
    work = tmp_path / "work"
    shutil.copytree(SMALL, work / "model")
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}",
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_OUTPUT": str(tmp_path / "output.txt"),
           "GITHUB_ACTIONS": "true"}
    git = ["git", "-C", str(work), "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "base"], check=True)
    return work, env, tmp_path / "summary.md"


def _run(step: dict, work, env, inputs: dict):
    assert step["shell"] == "bash"
    step_env = {key: value for key, value in step["env"].items()}
    values = {**env, **{key: inputs.get(key, "") for key in step_env}}
    if "GATE" in step_env:
        values["GATE"] = inputs.get("GATE", ACTION["inputs"]["gate"]["default"])
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=values, capture_output=True, text=True)


def test_action_is_composite_with_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert sorted(ACTION["inputs"]) == ["baseline", "diff-base", "fail-severity", "gate", "path", "python-version", "sarif-file"]
    assert ACTION["inputs"]["gate"]["default"] == "check"
    assert sorted(ACTION["outputs"]) == ["check-exit-code", "diff-exit-code", "diff-file", "sarif-file"]
    for step in ACTION["runs"]["steps"]:  # inputs reach the scripts as environment variables, never as script text
        assert "${{" not in step.get("run", "")
    assert ACTION["outputs"]["sarif-file"]["value"] == "${{ inputs.sarif-file }}"
    assert _step("Install mopsgov")["run"].endswith('"$GITHUB_ACTION_PATH"')


def test_check_step_writes_sarif_annotations_and_summary(runner):
    work, env, summary = runner
    done = _run(_step("Check the model"), work, env, {"MODEL_PATH": "model", "SARIF_FILE": "out.sarif"})
    assert done.returncode == 1
    assert done.stdout.splitlines()[0].startswith("::error file=model/tools.yaml,line=6,col=12,")
    assert json.loads((work / "out.sarif").read_text())["runs"][0]["results"][0]["ruleId"] == "ref.unresolved"
    assert summary.read_text().startswith("## mopsgov check ❌ failed")


def test_check_step_with_baseline_and_fail_severity(runner):
    work, env, summary = runner
    subprocess.run(["mopsgov", "baseline", "model", "--output", "base.json"], cwd=work, env=env, check=True, capture_output=True)
    done = _run(_step("Check the model"), work, env,
                {"MODEL_PATH": "model", "SARIF_FILE": "out.sarif", "BASELINE": "base.json", "FAIL_SEVERITY": "warning"})
    assert done.returncode == 0, done.stdout + done.stderr
    assert summary.read_text().startswith("## mopsgov check ✅ passed")


def test_diff_step_appends_the_change_to_the_summary(runner):
    work, env, summary = runner
    tools = work / "model" / "tools.yaml"
    tools.write_text(tools.read_text().replace("annual_cost: 24000", "annual_cost: 20000"))
    done = _run(_step("What the change does to the model"), work, env, {"MODEL_PATH": "model", "DIFF_BASE": "HEAD"})
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[0] == "model Small <Model> & Co: HEAD -> working tree"
    text = summary.read_text()
    assert text.startswith("## ✅ mopsgov: what this change does to Small \\<Model\\> \\& Co")
    assert "| **Total** | **54,000 EUR** | **50,000 EUR** | **-4,000 EUR** |" in text
    assert (work / "mopsgov-diff.md").read_text() == text


def test_action_and_example_workflow_match_githubs_schemas():
    """Schemas as vendored by check-jsonschema (from SchemaStore), so no network is needed."""
    for schema, path in (("vendor.github-actions", "action.yml"),
                         ("vendor.github-workflows", "docs/examples/mopsgov-pull-request.yml")):
        done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", schema, str(ROOT / path)],
                              capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr


def _outputs(env) -> list[str]:
    with open(env["GITHUB_OUTPUT"]) as handle:
        return handle.read().splitlines()


def _introduce_a_finding(work):
    tools = work / "model" / "tools.yaml"
    tools.write_text(tools.read_text() + "  - id: dam\n    name: DAM\n    category: dam-mrm-pim\n    lifecycle: active\n"
                                         "    owner: nobody\n")


@pytest.mark.parametrize("gate, check_fails, diff_fails", [("check", True, False), ("diff", False, True), ("none", False, False)])
def test_gate_decides_which_step_fails(runner, gate, check_fails, diff_fails):
    work, env, _ = runner
    _introduce_a_finding(work)
    check = _run(_step("Check the model"), work, env, {"MODEL_PATH": "model", "SARIF_FILE": "out.sarif", "GATE": gate})
    diff = _run(_step("What the change does to the model"), work, env, {"MODEL_PATH": "model", "DIFF_BASE": "HEAD", "GATE": gate})
    assert (check.returncode, diff.returncode) == (int(check_fails), int(diff_fails)), check.stderr + diff.stderr
    assert _outputs(env) == ["exit-code=1", "exit-code=1"]
    assert (work / "out.sarif").exists() and (work / "mopsgov-diff.md").exists()


def test_gate_diff_passes_old_debt(runner):
    work, env, _ = runner
    check = _run(_step("Check the model"), work, env, {"MODEL_PATH": "model", "SARIF_FILE": "out.sarif", "GATE": "diff"})
    diff = _run(_step("What the change does to the model"), work, env, {"MODEL_PATH": "model", "DIFF_BASE": "HEAD", "GATE": "diff"})
    assert (check.returncode, diff.returncode) == (0, 0)
    assert _outputs(env) == ["exit-code=1", "exit-code=0"]  # the model has two errors, none of them new


def test_an_unreadable_model_fails_with_every_gate(runner):
    work, env, _ = runner
    (work / "model" / "tools.yaml").write_bytes(b"tools: [\xff]\n")
    done = _run(_step("Check the model"), work, env, {"MODEL_PATH": "model", "SARIF_FILE": "out.sarif", "GATE": "none"})
    assert done.returncode == 2
    diff = _run(_step("What the change does to the model"), work, env, {"MODEL_PATH": "model", "DIFF_BASE": "nope", "GATE": "none"})
    assert diff.returncode == 2 and "'nope' is not a commit" in diff.stderr


def test_an_unknown_gate_is_refused(runner):
    work, env, _ = runner
    done = _run(_step("Check the model"), work, env, {"MODEL_PATH": "model", "SARIF_FILE": "out.sarif", "GATE": "sometimes"})
    assert done.returncode == 2
    assert done.stdout == "::error title=mopsgov::the gate input must be check, diff or none\n"
    assert not (work / "out.sarif").exists()


EXAMPLE = yaml.safe_load((ROOT / "docs" / "examples" / "mopsgov-pull-request.yml").read_text())
# `gh api` over a JSON file of comments; --jq goes to the real jq, as gh runs it.
FAKE_GH = '''#!/usr/bin/env python3
import json, subprocess, sys
args, store = sys.argv[2:], sys.argv[0] + ".json"
comments = json.load(open(store))
method = args[args.index("--method") + 1] if "--method" in args else "GET"
path = next(a for a in args if a.startswith("repos/"))
if method == "GET":
    out = json.dumps(comments)
    if "--jq" in args:
        out = subprocess.run(["jq", "-r", args[args.index("--jq") + 1]], input=out, capture_output=True, text=True, check=True).stdout
    sys.stdout.write(out)
    sys.exit(0)
body = open(args[args.index("-F") + 1].split("=@", 1)[1]).read()
if method == "POST":
    comments.append({"id": len(comments) + 100, "user": {"login": "github-actions[bot]"}, "body": body, "path": path})
else:
    (comment,) = [c for c in comments if path.endswith("/comments/%d" % c["id"])]
    comment["body"] = body
json.dump(comments, open(store, "w"))
print("{}")
'''


def test_example_workflow_posts_one_comment_and_updates_it(tmp_path):
    (step,) = [s for s in EXAMPLE["jobs"]["check"]["steps"] if s.get("name") == "Post the diff as a pull-request comment"]
    assert EXAMPLE["permissions"] == {"contents": "read", "security-events": "write", "pull-requests": "write"}
    assert "github.event.pull_request.head.repo.full_name == github.repository" in step["if"]  # not on forks
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "gh").write_text(FAKE_GH)
    (bin_dir / "gh").chmod(0o755)
    other = {"id": 7, "user": {"login": "someone"}, "body": "<!-- mopsgov diff -->\nquoted by a person"}
    (bin_dir / "gh.json").write_text(json.dumps([other]))
    env = {**os.environ, "PATH": f"{bin_dir}{os.pathsep}{os.environ['PATH']}", "REPOSITORY": "acme/mops",
           "PULL_REQUEST": "12", "DIFF_FILE": "mopsgov-diff.md", "RUN_URL": "https://github.com/acme/mops/actions/runs/1"}
    for text in ("## first\n", "## second\n", "## third\n\nCompared `a` with `b`.\n" + "x" * 70000 + "\n"):
        (tmp_path / "mopsgov-diff.md").write_text(text)
        done = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=tmp_path, env=env, capture_output=True, text=True)
        assert done.returncode == 0, done.stderr
        comments = json.loads((bin_dir / "gh.json").read_text())
        assert comments[0] == other and len(comments) == 2
        assert comments[1]["path"] == "repos/acme/mops/issues/12/comments"
        if text == "## second\n":
            assert comments[1]["body"] == "<!-- mopsgov diff -->\n\n## second\n"
    assert comments[1]["body"] == ("<!-- mopsgov diff -->\n\n## third\n\nCompared `a` with `b`.\n\nThe whole diff is too long for a comment: "
                                   "see the job summary of https://github.com/acme/mops/actions/runs/1\n")
