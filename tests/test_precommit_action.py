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
           "GITHUB_STEP_SUMMARY": str(tmp_path / "summary.md"), "GITHUB_ACTIONS": "true"}
    git = ["git", "-C", str(work), "-c", "user.name=T", "-c", "user.email=t@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(git + ["init", "-q"], check=True)
    subprocess.run(git + ["add", "."], check=True)
    subprocess.run(git + ["commit", "-q", "-m", "base"], check=True)
    return work, env, tmp_path / "summary.md"


def _run(step: dict, work, env, inputs: dict):
    assert step["shell"] == "bash"
    step_env = {key: value for key, value in step["env"].items()}
    values = {**env, **{key: inputs.get(key, "") for key in step_env}}
    return subprocess.run(["bash", "-e", "-c", step["run"]], cwd=work, env=values, capture_output=True, text=True)


def test_action_is_composite_with_documented_inputs():
    assert ACTION["runs"]["using"] == "composite"
    assert sorted(ACTION["inputs"]) == ["baseline", "diff-base", "fail-severity", "path", "python-version", "sarif-file"]
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
