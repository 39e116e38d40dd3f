"""The loader: positions of keys and values, limits from mopsgov.yaml, links, keys that are not names."""
from __future__ import annotations

import os

from mopsgov.load.model_loader import load_model
from mopsgov.load.yaml_reader import Limits, parse_text

from conftest import run_json


def rules_at(findings):
    return [(f.rule, f.location.line, f.location.column) for f in findings]


def test_positions_of_keys_and_values_are_one_based():
    parsed = parse_text("tools:\n  - id: crm\n    seats: {bought: 10, active: 4}\n", "m.yaml")
    assert parsed.data == {"tools": [{"id": "crm", "seats": {"bought": 10, "active": 4}}]}
    value = parsed.location(("tools", 0, "seats", "active"))
    key = parsed.location(("tools", 0, "seats", "active"), key=True)
    assert (value.line, value.column, value.end_line, value.end_column) == (3, 33, 3, 34)
    assert (key.line, key.column) == (3, 25)
    # a missing field falls back to the nearest written ancestor
    assert parsed.location(("tools", 0, "owner")).line == 2


def test_plain_scalars_follow_yaml_1_2_core_rules():
    text = "a: yes\nb: NO\nc: on\nd: 010\ne: 1:20\nf: 2024-01-02\ng: true\nh: ~\ni: 0x1F\nj: .inf\nk: 1e3\nl: '12'\n"
    data = parse_text(text, "m.yaml").data
    assert data == {"a": "yes", "b": "NO", "c": "on", "d": 10, "e": "1:20", "f": "2024-01-02", "g": True,
                    "h": None, "i": 31, "j": float("inf"), "k": 1000.0, "l": "12"}


def test_fast_and_pure_python_readers_agree():
    text = open("tests/fixtures/broken/references/stack.yaml", encoding="utf-8").read()
    fast, pure = parse_text(text, "s.yaml", fast=True), parse_text(text, "s.yaml", fast=False)
    assert fast.data == pure.data
    assert {k: (v[0].line, v[0].column, v[1].line, v[1].column) for k, v in fast.spans.items()} == \
           {k: (v[0].line, v[0].column, v[1].line, v[1].column) for k, v in pure.spans.items()}


def test_keys_that_are_not_field_names():
    parsed = parse_text("1: a\ntrue: b\n? [x]\n: c\n~: d\n<<: {e: 1}\nok: f\n", "m.yaml")
    assert parsed.data == {"ok": "f"}
    assert [(f.rule, f.location.line, f.location.column, f.message) for f in parsed.findings] == [
        ("yaml.key-type", 1, 1, "the key 1 is read as a int, not a field name"),
        ("yaml.key-type", 2, 1, "the key true is read as a bool, not a field name"),
        ("yaml.key-type", 3, 3, "a key is a list or mapping; keys must be field names"),
        ("yaml.key-type", 5, 1, "a key is empty; keys must be field names"),
        ("yaml.merge-key", 6, 1, "merge keys (<<) are not supported: the merged fields would be invisible to reviewers"),
    ]


def test_a_5000_digit_number_is_a_finding_not_a_crash():
    parsed = parse_text("tools:\n  - annual_cost: " + "9" * 5000 + "\n", "m.yaml")
    assert rules_at(parsed.findings) == [("yaml.number-too-long", 2, 18)]


def test_aliases_within_the_limit_are_shared_values():
    parsed = parse_text("a: &teams [x, y]\nb: *teams\n", "m.yaml")
    assert parsed.data == {"a": ["x", "y"], "b": ["x", "y"]} and parsed.findings == []
    parsed = parse_text("a: &v 1\nb: [*v, *v, *v]\n", "m.yaml", Limits(max_aliases=2))
    assert rules_at(parsed.findings) == [("yaml.alias-limit", 2, 13)]


def test_limits_come_from_mopsgov_yaml(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text("limits:\n  max_file_bytes: 64\n  max_depth: 4\n")
    (tmp_path / "big.yaml").write_text("teams:\n" + "  - {id: t, name: T, type: internal}\n" * 3)
    (tmp_path / "deep.yaml").write_text("x-a: {b: {c: {d: {e: 1}}}}\n")
    model, findings = load_model(str(tmp_path))
    got = [(f.rule, os.path.basename(f.file), f.location.line, f.location.column) for f in findings]
    assert got == [("file.too-large", "big.yaml", 1, 1), ("yaml.depth-limit", "deep.yaml", 1, 18)]


def test_links_leaving_the_model_folder_are_not_read(tmp_path):
    outside = tmp_path / "secret.yaml"
    outside.write_text("teams: []\n")
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / "a.yaml").symlink_to(outside)
    (model_dir / "loop.yaml").symlink_to(model_dir / "loop.yaml")
    (model_dir / "inside.yaml").write_text("teams: []\n")
    (model_dir / "alias.yaml").symlink_to(model_dir / "inside.yaml")
    returncode, report = run_json("check", str(model_dir))
    got = [(f["rule"], os.path.basename(f["file"]), f["severity"]) for f in report["findings"]]
    assert got == [("file.symlink", "a.yaml", "error"), ("file.unreadable", "loop.yaml", "error")]
    assert report["model"]["files"] == 2
    assert returncode == 2


def test_hidden_folders_and_other_files_are_ignored(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\n")
    (tmp_path / "notes.txt").write_text("not yaml")
    (tmp_path / "m.yml").write_text("teams: []\n")
    model, findings = load_model(str(tmp_path))
    assert [f.file for f in model.files] == [os.path.join(str(tmp_path), "m.yml")] and findings == []
