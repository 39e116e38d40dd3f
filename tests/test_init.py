"""`mopsgov init`: from nothing to a green `check` without edits; never overwrites unless asked."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import yaml

from conftest import run_cli

EXPECTED_FILES = [
    ".github/workflows/mopsgov.yml", ".pre-commit-config.yaml", "model/measurement.yaml", "model/people.yaml",
    "model/processes.yaml", "model/stack.yaml", "mopsgov.yaml",
]
MODEL_YAML = ["mopsgov.yaml", "model/measurement.yaml", "model/people.yaml", "model/processes.yaml", "model/stack.yaml"]


def _init(target: Path, *extra: str):
    return run_cli("init", str(target), "--today", "2026-11-23", *extra)


def _files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()}


def test_init_output_passes_check_as_generated(tmp_path):
    target = tmp_path / "acme-mops"
    done = _init(target)
    assert done.returncode == 0, done.stderr
    files = _files(target)
    schemas = sorted(p.name for p in (Path(__file__).parent.parent / "schemas").glob("*.schema.json"))
    assert sorted(files) == sorted(EXPECTED_FILES + [f"schemas/{name}" for name in schemas])
    assert done.stdout == f"created {len(files)} files in {target}; next: mopsgov check {target}\n"
    check = run_cli("check", str(target), "--format", "json", "--fail-severity", "warning")
    report = json.loads(check.stdout)
    assert check.returncode == 0, check.stdout
    assert report["summary"]["error"] == report["summary"]["warning"] == 0
    assert report["model"] == {"name": "Acme Mops", "root": str(target), "files": 4}


def test_yaml_files_carry_schema_modelines_that_resolve(tmp_path):
    _init(tmp_path / "m")
    for rel in MODEL_YAML:
        path = tmp_path / "m" / rel
        first = path.read_text(encoding="utf-8").splitlines()[0]
        assert first.startswith("# yaml-language-server: $schema="), rel
        schema = (path.parent / first.split("$schema=", 1)[1]).resolve()
        assert schema.is_file(), rel
        assert schema.name == ("config.schema.json" if rel == "mopsgov.yaml" else "model.schema.json")


def test_ci_and_precommit_configurations(tmp_path):
    _init(tmp_path / "m", "--install", "mopsgov @ git+https://example.org/mopsgov.git")
    workflow = yaml.safe_load((tmp_path / "m/.github/workflows/mopsgov.yml").read_text())
    steps = workflow["jobs"]["check"]["steps"]
    runs = [step.get("run", "") for step in steps]
    assert 'pip install "mopsgov @ git+https://example.org/mopsgov.git"' in runs
    assert any(r.startswith("mopsgov check . --format github --format sarif --output mopsgov.sarif") for r in runs)
    (diff,) = [step for step in steps if "mopsgov diff" in step.get("run", "")]
    assert diff["env"] == {"BASE_SHA": "${{ github.event.pull_request.base.sha }}"}  # values reach scripts as variables
    assert 'mopsgov diff . --base "$BASE_SHA"' in diff["run"]
    assert not [r for r in runs if "${{" in r]
    assert steps[-1]["uses"] == "github/codeql-action/upload-sarif@v3"
    # no upload where it cannot succeed: pull requests from forks get a read-only token
    assert "github.event.pull_request.head.repo.full_name == github.repository" in steps[-1]["if"]
    hooks = yaml.safe_load((tmp_path / "m/.pre-commit-config.yaml").read_text())["repos"][0]["hooks"]
    assert [(h["id"], h["entry"], h["pass_filenames"], h["require_serial"]) for h in hooks] == [
        ("mopsgov-check", "mopsgov check .", False, True)]


def test_dates_come_from_today_and_output_is_reproducible(tmp_path):
    _init(tmp_path / "a", "--name", "Same")
    _init(tmp_path / "b", "--name", "Same")
    assert _files(tmp_path / "a") == _files(tmp_path / "b")
    stack = yaml.safe_load((tmp_path / "a/model/stack.yaml").read_text())
    assert stack["tools"][0]["contract"] == {"start": "2026-11-01", "renewal": "2028-11-01", "notice_days": 60, "auto_renew": True}
    goal = yaml.safe_load((tmp_path / "a/model/measurement.yaml").read_text())["goals"][0]
    assert goal["deadline"] == "2027-11-23"


def test_name_is_quoted_for_yaml(tmp_path):
    name = 'Acme: "EMEA" #1 \\ ops'
    _init(tmp_path / "m", "--name", name)
    assert yaml.safe_load((tmp_path / "m/mopsgov.yaml").read_text())["name"] == name
    assert run_cli("check", str(tmp_path / "m")).returncode == 0


def test_refuses_to_overwrite_and_writes_nothing(tmp_path):
    target = tmp_path / "m"
    target.mkdir()
    (target / "mopsgov.yaml").write_text("name: mine\n")
    done = _init(target)
    assert done.returncode == 2
    assert done.stderr == (f"mopsgov: {target} already has mopsgov.yaml; nothing was written (use --force to overwrite)\n")
    assert _files(target) == {"mopsgov.yaml": b"name: mine\n"}
    forced = _init(target, "--force")
    assert forced.returncode == 0
    assert (target / "mopsgov.yaml").read_text() != "name: mine\n"
    assert run_cli("check", str(target)).returncode == 0


def test_target_that_is_a_file(tmp_path):
    (tmp_path / "f").write_text("x")
    done = _init(tmp_path / "f")
    assert done.returncode == 2
    assert "Traceback" not in done.stderr


def test_generated_workflow_matches_githubs_schema(tmp_path):
    _init(tmp_path / "m")
    done = subprocess.run([sys.executable, "-m", "check_jsonschema", "--builtin-schema", "vendor.github-workflows",
                           str(tmp_path / "m/.github/workflows/mopsgov.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
