"""The pre-commit hooks, run by the real pre-commit from a snapshot of this repository: they pass
on a clean model with fresh docs and fail, naming the finding, on a broken one (whose docs are stale)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT

# What a hook repository needs to install mopsgov: the package, its data and its build files.
SNAPSHOT = ["pyproject.toml", "README.md", "LICENSE", ".pre-commit-hooks.yaml", "mopsgov", "schemas", "policies"]


def git(repo, *args):
    return subprocess.run(["git", "-C", str(repo), "-c", "user.name=T", "-c", "user.email=t@example.com",
                           "-c", "commit.gpgsign=false", *args], check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def hook_repo(tmp_path_factory):
    """A git repository holding this work tree's package, committed, as pre-commit fetches hooks."""
    repo = tmp_path_factory.mktemp("hook-repo")
    for name in SNAPSHOT:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, repo / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy2(source, repo / name)
    git(repo, "init", "-q")
    git(repo, "add", ".")
    git(repo, "commit", "-q", "-m", "snapshot")
    return repo, git(repo, "rev-parse", "HEAD")


def test_hook_definitions():
    check, docs = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert (check["id"], check["entry"], check["args"], check["language"]) == ("mopsgov-check", "mopsgov check", ["."], "python")
    assert (docs["id"], docs["entry"], docs["args"]) == ("mopsgov-docs-fresh", "mopsgov docs", [".", "--check", "site"])
    for hook in (check, docs):
        assert hook["pass_filenames"] is False and hook["require_serial"] is True


def test_precommit_passes_on_a_clean_model_and_fails_on_a_broken_one(hook_repo, tmp_path):
    repo, rev = hook_repo
    models = tmp_path / "models"
    init = subprocess.run([sys.executable, "-m", "mopsgov", "init", str(models), "--today", "2026-11-23"],
                          cwd=ROOT, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    # the site as the hook sees it: generated from inside the repository, so paths are relative
    site = subprocess.run([sys.executable, "-m", "mopsgov", "docs", ".", "--out", "site"], cwd=models,
                          capture_output=True, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert site.returncode == 0, site.stderr
    config = {"repos": [{"repo": str(repo), "rev": rev, "hooks": [{"id": "mopsgov-check"}, {"id": "mopsgov-docs-fresh"}]}]}
    (models / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config))
    git(models, "init", "-q")
    git(models, "add", ".")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "cache"), "NO_COLOR": "1"}
    env.pop("PYTHONPATH", None)

    def pre_commit():
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=models, capture_output=True, text=True, env=env, timeout=900)

    clean = pre_commit()
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert [line.rsplit(".", 1)[-1] for line in clean.stdout.splitlines() if line.startswith("mopsgov ")] == ["Passed", "Passed"]

    stack = models / "model" / "stack.yaml"
    stack.write_text(stack.read_text().replace("system_of_record: crm", "system_of_record: crn"))
    git(models, "add", ".")
    broken = pre_commit()
    assert broken.returncode == 1
    assert [line.rsplit(".", 1)[-1] for line in broken.stdout.splitlines() if line.startswith("mopsgov ")] == ["Failed", "Failed"]
    assert ('model/stack.yaml:39:23: error ref.unresolved data object "contact": "system_of_record" names tool "crn", '
            "which is not in the model") in broken.stdout


def test_manifest_and_generated_config_pass_precommits_own_validation(tmp_path):
    init = subprocess.run([sys.executable, "-m", "mopsgov", "init", str(tmp_path / "m")], cwd=ROOT, capture_output=True, text=True)
    assert init.returncode == 0, init.stderr
    for command, path in (("validate-manifest", ROOT / ".pre-commit-hooks.yaml"),
                          ("validate-config", tmp_path / "m" / ".pre-commit-config.yaml")):
        done = subprocess.run([sys.executable, "-m", "pre_commit", command, str(path)], capture_output=True, text=True)
        assert done.returncode == 0, done.stdout + done.stderr
