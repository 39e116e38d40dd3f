"""Paths in mopsgov.yaml: `exclude` globs stay inside the model folder, `policies.packs` may name
packs elsewhere; neither walks or reads anything it does not name, and neither crashes."""
from __future__ import annotations

import shutil

import pytest

from mopsgov.load.model_loader import load_files, load_model

from conftest import ROOT, run_json

ACME = ROOT / "tests" / "fixtures" / "policies" / "acme"
TOOL = "tools:\n  - id: {id}\n    name: {id}\n    category: dam-mrm-pim\n    lifecycle: active\n"


def _model(tmp_path, config: str, files: dict[str, str]):
    root = tmp_path / "model"
    root.mkdir()
    (root / "mopsgov.yaml").write_text(config)
    for rel, text in files.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text)
    return root


def test_exclude_globs_leave_out_files_and_whole_folders_on_disk_and_from_git(tmp_path):
    files = {"main.yaml": TOOL.format(id="kept"), "generated/a/x.yaml": TOOL.format(id="generated"),
             "drafts/y.yml": TOOL.format(id="draft"), "drafts.yaml": TOOL.format(id="drafts-file"),
             "policies/p.yaml": "rules: []\n"}
    root = _model(tmp_path, "exclude: [generated/**/*.yaml, drafts]\npolicies: {packs: [builtin, ./policies/]}\n", files)
    on_disk, _ = load_model(str(root))
    from_git, _ = load_files(str(root), {rel: text.encode() for rel, text in files.items()}
                             | {"mopsgov.yaml": (root / "mopsgov.yaml").read_bytes()})
    assert [e.id for e in on_disk.of("tool")] == ["drafts-file", "kept"]
    assert [e.id for e in from_git.of("tool")] == ["drafts-file", "kept"]


@pytest.mark.parametrize("entry", ["/**", "", "..", "../../../", "a/../../b", "C:\\models", "models\\*.yaml"])
def test_exclude_globs_that_leave_the_model_are_findings_at_the_entry_and_read_nothing(tmp_path, entry):
    root = _model(tmp_path, f"exclude: ['{entry}']\n", {"main.yaml": TOOL.format(id="kept")})
    code, report = run_json("check", str(root))
    assert code == 1
    assert [(f["rule"], f["line"], f["column"], f["message"]) for f in report["findings"] if f["severity"] == "error"] == [
        ("schema.value", 1, 11, 'setting "exclude, item 1" must be a path inside the model folder, such as '
                                f'policies/acme.yaml (not starting with / and without ..), got "{entry}"')]
    assert report["model"]["files"] == 1


@pytest.mark.parametrize("entry", ["/etc/*.yaml", "/**", "../../../nowhere"])
def test_a_pack_path_that_names_nothing_is_a_missing_pack(tmp_path, entry):
    root = _model(tmp_path, f"policies: {{packs: [builtin, '{entry}']}}\n", {"main.yaml": TOOL.format(id="kept")})
    code, report = run_json("check", str(root))
    assert code == 1
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"] if f["severity"] == "error"] == [
        ("policy.pack-missing", 1, 29)]


def test_a_pack_beside_the_model_folder_is_read_and_a_missing_one_reported(tmp_path):
    root = tmp_path / "repo" / "model"
    shutil.copytree(ACME, root)
    shutil.move(str(root / "policies"), str(tmp_path / "repo" / "shared-policies"))
    config = root / "mopsgov.yaml"
    config.write_text(config.read_text().replace("[builtin, policies]", "[builtin, ../shared-policies, ../gone]"))
    code, report = run_json("check", str(root))
    assert code == 1
    assert "acme.flow-latency" in {f["rule"] for f in report["findings"]}
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"] if f["rule"].startswith("policy.")] == [
        ("policy.pack-missing", 4, 40)]


def test_a_link_loop_inside_an_excluded_folder_is_never_walked(tmp_path):
    root = _model(tmp_path, "exclude: [loop]\n", {"main.yaml": TOOL.format(id="kept")})
    (root / "loop").mkdir()
    (root / "loop" / "again").symlink_to(root / "loop")
    code, report = run_json("check", str(root))
    assert (code, [f["rule"] for f in report["findings"] if f["severity"] == "error"]) == (0, [])
    assert report["model"]["files"] == 1
