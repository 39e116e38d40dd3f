"""Baselines: findings recorded today do not fail; moving an entity keeps its finding baselined; a
new violation on another entity fails; fixed findings are reported so the file can shrink."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from conftest import ROOT, run_cli
from mopsgov.finding import Finding, Location, Severity
from mopsgov.workflow import baseline

SMALL = ROOT / "tests" / "fixtures" / "workflow" / "small"


@pytest.fixture
def model(tmp_path):
    target = tmp_path / "model"
    shutil.copytree(SMALL, target)
    return target


def _check(model, base, *extra, cwd=ROOT):
    done = run_cli("check", str(model), "--baseline", str(base), "--format", "json", *extra, cwd=cwd)
    assert "Traceback" not in done.stderr
    return done.returncode, json.loads(done.stdout)


def _edit(model, old, new):
    path = model / "tools.yaml"
    path.write_text(path.read_text().replace(old, new))


def _record(model, base):
    done = run_cli("baseline", str(model), "--output", str(base))
    assert done.returncode == 0, done.stderr
    return done


def test_baseline_file_is_stable_and_has_no_positions(model, tmp_path):
    base = tmp_path / "b.json"
    assert _record(model, base).stdout == f"recorded 2 findings of Small <Model> & Co in {base}\n"
    first = base.read_bytes()
    _record(model, base)
    assert base.read_bytes() == first
    document = json.loads(first)
    for entry in document["findings"]:
        assert re.fullmatch(r"[0-9a-f]{32}", entry.pop("fingerprint"))
    assert document == {"version": 1, "tool": "mopsgov", "model": "Small <Model> & Co", "findings": [
        {"rule": "ref.unresolved", "entity": "tool:crm", "severity": "error",
         "message": 'tool "crm": "owner" names role "mops-manger", which is not in the model'},
        {"rule": "vocabulary.unknown-term", "entity": "tool:map", "severity": "error",
         "message": 'tool "map": "category" is "marketing-automations", which is not among the known categories'},
    ]}
    assert "line" not in first.decode() and "tools.yaml" not in first.decode()


def test_baselined_findings_do_not_fail(model, tmp_path):
    base = tmp_path / "b.json"
    _record(model, base)
    code, report = _check(model, base)
    assert code == 0
    assert [f["suppressed_by"] for f in report["findings"]] == ["baseline", "baseline"]
    assert report["baseline"] == {"file": str(base), "baselined": 2, "new": 0, "fixed": []}
    text = run_cli("check", str(model), "--baseline", str(base)).stdout.splitlines()
    assert text[0].endswith("which is not in the model [baseline]")
    assert text[-2:] == [f"baseline {base}: 2 baselined, 0 new, 0 fixed",
                         "2 waived or baselined in 2 files: check passed (fail severity: error)"]


def test_moving_an_entity_to_another_file_keeps_it_baselined(model, tmp_path):
    base = tmp_path / "b.json"
    _record(model, base)
    tools = (model / "tools.yaml").read_text().splitlines(keepends=True)
    crm, rest = tools[1:7], tools[:1] + tools[7:]
    (model / "tools.yaml").write_text("".join(rest))
    (model / "zz-moved.yaml").write_text("# moved here, below a comment\n\n\ntools:\n" + "".join(crm))
    code, report = _check(model, base)
    assert code == 0
    moved = [f for f in report["findings"] if f["entity"] == "crm"]
    assert [(f["file"], f["line"], f["suppressed_by"]) for f in moved] == [(str(model / "zz-moved.yaml"), 9, "baseline")]
    assert report["baseline"]["new"] == 0


def test_new_violation_on_another_entity_fails(model, tmp_path):
    base = tmp_path / "b.json"
    _record(model, base)
    with open(model / "tools.yaml", "a") as handle:
        handle.write("  - id: dam\n    name: DAM\n    category: dam-mrm-pim\n    lifecycle: active\n    owner: mops-manger\n")
    code, report = _check(model, base)
    assert code == 1
    assert [(f["entity"], f["suppressed_by"]) for f in report["findings"]] == [
        ("crm", "baseline"), ("map", "baseline"), ("dam", None)]
    assert report["baseline"] == {"file": str(base), "baselined": 2, "new": 1, "fixed": []}


def test_same_entity_different_content_is_new(model, tmp_path):
    base = tmp_path / "b.json"
    _record(model, base)
    _edit(model, "owner: mops-manger", "owner: nobody")
    code, report = _check(model, base)
    assert code == 1
    assert report["baseline"]["new"] == 1
    assert [e["entity"] for e in report["baseline"]["fixed"]] == ["tool:crm"]


def test_fixed_findings_are_reported_so_the_baseline_can_shrink(model, tmp_path):
    base = tmp_path / "b.json"
    _record(model, base)
    _edit(model, "marketing-automations", "marketing-automation")
    code, report = _check(model, base)
    assert code == 0
    assert [(e["rule"], e["entity"]) for e in report["baseline"]["fixed"]] == [("vocabulary.unknown-term", "tool:map")]
    text = run_cli("check", str(model), "--baseline", str(base)).stdout.splitlines()
    assert text[-4:-1] == [
        f"baseline {base}: 1 baselined, 0 new, 1 fixed",
        "    fixed since the baseline was recorded (record it again so the file shrinks):",
        '    - vocabulary.unknown-term tool:map: tool "map": "category" is "marketing-automations", which is not among the known categories',
    ]
    markdown = run_cli("check", str(model), "--baseline", str(base), "--format", "markdown").stdout
    assert f"1 finding recorded in the baseline `{base}` is fixed; record the baseline again so it shrinks:" in markdown.splitlines()


def test_two_equal_findings_need_two_entries():
    one = Finding("r.x", Severity.ERROR, "same", Location("a.yaml", 1, 1), kind="tool", entity="crm")
    two = one.replace(location=Location("b.yaml", 9, 9))
    entries = [baseline.entry(one)]
    paired, unpaired, left = baseline.pair_off([one, two], entries, baseline.fingerprint, lambda e: e["fingerprint"])
    assert (paired, unpaired, left) == ([one], [two], [])


def test_fingerprint_uses_fingerprint_data_and_ignores_positions():
    a = Finding("raci.a", Severity.ERROR, "first at line 3, see tools.yaml:3:5", Location("a.yaml", 3, 5), kind="process",
                entity="p", fingerprint_data="step:qualify")
    b = a.replace(message="first at line 30, see other.yaml:30:1", location=Location("b.yaml", 30, 1))
    assert baseline.fingerprint(a) == baseline.fingerprint(b)
    assert baseline.fingerprint(a) != baseline.fingerprint(a.replace(fingerprint_data="step:route"))
    assert baseline.fingerprint(a) != baseline.fingerprint(a.replace(entity="q"))
    plain = a.replace(fingerprint_data=None)
    assert baseline.fingerprint(plain) == baseline.fingerprint(b.replace(fingerprint_data=None))
    assert baseline.subject_of(plain) == "first at #, see #"


def test_waived_findings_are_not_recorded():
    class Result:
        findings = [Finding("r.x", Severity.ERROR, "m", entity="a", kind="tool", suppressed_by="waiver:w"),
                    Finding("r.x", Severity.ERROR, "m", entity="b", kind="tool")]
        held_back: list = []
        model = type("M", (), {"name": "m", "root": "m"})()
    assert [e["entity"] for e in baseline.build(Result())["findings"]] == ["tool:b"]


@pytest.mark.parametrize("content, message", [
    ("not json", "is not JSON"),
    ('{"tool": "other", "findings": []}', "is not a mopsgov baseline"),
    ('{"tool": "mopsgov", "version": 9, "findings": []}', "is a baseline of version 9"),
    ('{"tool": "mopsgov", "version": 1, "findings": [{}]}', "entry 1 has no fingerprint"),
])
def test_bad_baseline_file_is_a_usage_error(model, tmp_path, content, message):
    base = tmp_path / "b.json"
    base.write_text(content)
    done = run_cli("check", str(model), "--baseline", str(base))
    assert done.returncode == 2
    assert message in done.stderr and "Traceback" not in done.stderr


def test_missing_baseline_file(model, tmp_path):
    done = run_cli("check", str(model), "--baseline", str(tmp_path / "none.json"))
    assert done.returncode == 2
    assert done.stderr == f"mopsgov: cannot read the baseline {tmp_path / 'none.json'}: No such file or directory\n"


def test_baseline_refuses_an_unreadable_model(tmp_path):
    (tmp_path / "bad.yaml").write_bytes(b"tools: [\xff]\n")
    done = run_cli("baseline", str(tmp_path), "--output", str(tmp_path / "b.json"))
    assert done.returncode == 2
    assert not (tmp_path / "b.json").exists()


def test_policy_findings_stay_baselined_as_the_date_moves(tmp_path):
    """A notice-window message counts days to the deadline; its fingerprint holds the renewal date instead."""
    model = tmp_path / "renewals"
    shutil.copytree(ROOT / "tests" / "fixtures" / "workflow" / "renewals", model)
    base = tmp_path / "b.json"
    _record(model, base)
    config = model / "mopsgov.yaml"
    config.write_text(config.read_text().replace('as_of: "2026-11-23"', 'as_of: "2026-12-07"'))
    code, report = _check(model, base, "--fail-severity", "warning")
    notices = {f["entity"]: (f["suppressed_by"], f["message"].split(", in ")[1]) for f in report["findings"]
               if f["rule"] == "contract.notice-window"}
    # crm stays baselined although its message now counts 25 days, not 39; map entered its notice window since
    assert notices == {"crm": ("baseline", "25 days (30 days' notice)"), "map": (None, "77 days (30 days' notice)")}
    assert report["baseline"]["new"] == 1 and report["baseline"]["fixed"] == []
    assert code == 1


ACME = ROOT / "tests" / "fixtures" / "policies" / "acme"


def test_keys_do_not_depend_on_the_path_typed(tmp_path):
    """Recorded inside the model folder, checked from above it: model-wide findings (coverage.gap) and
    file findings (file.empty) are keyed by `model` and by the path inside the model, so all stay baselined."""
    repo = tmp_path / "repo"
    shutil.copytree(ACME, repo)
    (repo / "empty.yaml").write_text("# nothing yet\n")
    done = run_cli("baseline", ".", "-o", "../bl.json", cwd=repo)
    assert done.returncode == 0, done.stderr
    entities = [e["entity"] for e in json.loads((tmp_path / "bl.json").read_text())["findings"]]
    assert entities == ["flow:webinar-to-crm", "tool:crm", "model", "model", "model", "model", "file:empty.yaml",
                        "tool:survey", "waiver:old-exception", "waiver:survey-vendor"]
    code, report = _check("repo", "bl.json", cwd=tmp_path)
    assert code == 0
    assert report["baseline"] == {"file": "bl.json", "baselined": 10, "new": 0, "fixed": []}
    # SARIF fingerprints are the same function: equal from both places
    inside = json.loads(run_cli("check", ".", "-f", "sarif", cwd=repo).stdout)["runs"][0]["results"]
    above = json.loads(run_cli("check", "repo", "-f", "sarif", cwd=tmp_path).stdout)["runs"][0]["results"]
    assert [r["partialFingerprints"] for r in inside] == [r["partialFingerprints"] for r in above]
    assert len({r["partialFingerprints"]["mopsgovFinding/v1"] for r in inside}) == len(inside) == 11


def test_model_wide_findings_with_a_model_scope_kind_have_the_model_key():
    gap = Finding("coverage.gap", Severity.INFO, "0 of 4 platform groups", Location("repo/mopsgov.yaml", 1, 1))
    assert baseline.entity_ref(gap, "repo") == baseline.entity_ref(gap.replace(location=Location("mopsgov.yaml", 1, 1)), ".") \
        == "file:mopsgov.yaml"
    assert baseline.entity_ref(gap.replace(kind="model", entity="Acme"), "repo") == "model"
    assert baseline.entity_ref(gap.replace(fingerprint_data="coverage.gap|model|platform"), "repo") == "model"
    single = Finding("file.empty", Severity.WARNING, "empty", Location("repo/tools.yaml", 1, 1))
    assert baseline.entity_ref(single, "repo/tools.yaml") == "file:tools.yaml"


@pytest.mark.parametrize("name, content, shown", [
    ("tools.yaml", "tools: [\n", "tools.yaml:2:1: error yaml.syntax"),
    ("mopsgov.yaml", "name: [x\n", "mopsgov.yaml:1:7: error yaml.syntax"),
])
def test_baseline_refuses_a_model_with_files_that_cannot_be_read(model, tmp_path, name, content, shown):
    (model / name).write_text(content)
    done = run_cli("baseline", str(model), "--output", str(tmp_path / "b.json"))
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0] == ("mopsgov: parts of the model cannot be read (1 problem); fix them before recording a baseline, "
                        "nothing was written:")
    assert lines[1].startswith(f"  {model / shown}")
    assert len(lines) == 2
    assert not (tmp_path / "b.json").exists()


ACME = ROOT / "tests" / "fixtures" / "policies" / "acme"


def test_findings_held_back_by_a_validation_error_are_neither_fixed_nor_new(tmp_path):
    """A misspelt field holds back the policy findings of the model's kind; the baseline keeps
    them (not "fixed"), and one recorded meanwhile keeps them too, so fixing the typo adds nothing new."""
    model = tmp_path / "acme"
    shutil.copytree(ACME, model)
    path = model / "model.yaml"
    clean = path.read_text()
    assert "    owner: mops-manager\n    vendor: Salesforce\n" in clean
    typo = clean.replace("    owner: mops-manager\n    vendor: Salesforce\n", "    Owner: mops-manager\n    vendor: Salesforce\n")
    base = tmp_path / "b.json"
    _record(model, base)
    path.write_text(typo)
    code, report = _check(model, base, cwd=model)
    assert code == 1
    assert report["baseline"]["fixed"] == []
    assert [(f["rule"], f["suppressed_by"]) for f in report["findings"] if f["suppressed_by"] is None] == [
        ("schema.unknown-field", None)]
    assert report["summary"]["held_back"] > 0
    # recorded while the typo is there, then the typo fixed: the findings that come back are not new
    broken = tmp_path / "broken.json"
    done = run_cli("baseline", str(model), "--output", str(broken))
    assert done.returncode == 0, done.stderr
    path.write_text(clean)
    code, report = _check(model, broken)
    assert report["baseline"]["new"] == 0
    assert code == 0
