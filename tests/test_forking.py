"""Work done in forked copies (reading a large model's files, validating it while its policies are
evaluated) gives exactly what one process gives, and a copy that fails costs only time."""
from __future__ import annotations

import os
import shutil
import signal
import threading
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from mopsgov import check, forking
from mopsgov.load import model_loader, parallel, parse_cache
from mopsgov.load.model_loader import load_model

BROKEN = {
    # first in path order: read by this process
    "aa-duplicate.yaml": "tools:\n  - id: dup-tool\n    id: again\n",
    "aa-tab.yaml": "teams:\n\t- id: tabbed\n",
    # last in path order: read by the worker
    "zz-syntax.yaml": "kpis:\n  - id: broken\n    name: [unclosed\n",
    "zz-nul.yaml": "goals: []\n\x00\n",
    "zz-tag.yaml": "data:\n  - !!python/object/apply:os.system [echo hi]\n",
    "zz-latin1.yaml": "teams:\n  - id: caf\xe9\n",
}


def example_with(folder: Path, files: dict[str, str], monkeypatch) -> Path:
    """The enterprise example (big enough to fork for) with `files` added, the parse cache off."""
    monkeypatch.setenv("MOPSGOV_CACHE", "off")
    shutil.copytree(ROOT / "examples" / "enterprise", folder)
    for name, text in files.items():
        (folder / name).write_bytes(text.encode("latin-1"))
    return folder


@pytest.fixture
def model(tmp_path: Path, monkeypatch) -> Path:
    return example_with(tmp_path / "model", BROKEN, monkeypatch)


def snapshot(folder: Path) -> tuple:
    """Everything a read produces: each file's data, packed positions, raw texts, findings, rejected paths."""
    built, findings = load_model(str(folder))
    files = [(p.file, p.data, p.spans.packed(), p.spans.width, p.raw, p.findings, sorted(p.rejected, key=repr))
             for p in built.files]
    entities = {kind: list(found) for kind, found in built.entities.items()}
    return files, findings, entities


def counted_reads(monkeypatch) -> list[str]:
    """The files this process reads itself (a forked worker's reads are not seen here)."""
    seen: list[str] = []
    read = model_loader.read_file

    def counting(fs_path, display, limits):
        seen.append(display)
        return read(fs_path, display, limits)
    monkeypatch.setattr(model_loader, "read_file", counting)
    return seen


def no_children_left() -> bool:
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def test_the_model_is_big_enough_to_be_read_in_parallel(model: Path):
    sizes = [p.stat().st_size for p in model.rglob("*.yaml") if p.name != "mopsgov.yaml"]
    assert sum(sizes) >= forking.MIN_PARALLEL_BYTES


def test_a_parallel_read_equals_a_serial_one(model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(model)
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    seen = counted_reads(monkeypatch)
    assert snapshot(model) == serial
    files = len(serial[0])
    assert 0 < len(seen) < files  # the worker read the rest
    assert "zz-syntax.yaml" not in {Path(s).name for s in seen}
    rules = {f.rule for f in serial[1]}
    assert {"yaml.duplicate-key", "yaml.syntax", "file.encoding", "yaml.tag"} <= rules
    assert no_children_left()


def test_three_workers_read_the_same(model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(model)
    monkeypatch.setenv("MOPSGOV_JOBS", "3")
    assert snapshot(model) == serial
    assert no_children_left()


def test_a_worker_that_is_killed_costs_only_time(model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(model)

    def killed(parsed):  # runs in the worker only: this process never packs a result
        os.kill(os.getpid(), signal.SIGKILL)
    monkeypatch.setattr(parse_cache, "to_bytes", killed)
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    seen = counted_reads(monkeypatch)
    assert snapshot(model) == serial
    model_files = [p[0] for p in serial[0]] + [str(model / "mopsgov.yaml")]
    assert sorted(seen) == sorted(model_files)  # every file read here, each once
    assert no_children_left()


def test_a_worker_that_sends_garbage_is_read_again(model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(model)
    monkeypatch.setattr(parse_cache, "to_bytes", lambda parsed: b"not marshal")
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    assert snapshot(model) == serial


def test_one_job_or_running_threads_read_serially(model: Path, monkeypatch):
    def no_fork():
        raise AssertionError("forked")
    monkeypatch.setattr(os, "fork", no_fork)
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(model)
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    release = threading.Event()
    other = threading.Thread(target=release.wait)
    other.start()
    try:
        assert snapshot(model) == serial  # another thread runs: forking could deadlock the worker
    finally:
        release.set()
        other.join()


def test_a_small_model_is_read_serially(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked for a small model"))
    (tmp_path / "m").mkdir()
    (tmp_path / "m" / "teams.yaml").write_text("teams:\n  - {id: marketing, name: Marketing, type: internal}\n")
    (tmp_path / "m" / "roles.yaml").write_text("roles:\n  - {id: mops, name: MOps manager, team: marketing}\n")
    built, _ = load_model(str(tmp_path / "m"))
    assert built.files


@pytest.mark.parametrize("setting, expected", [("1", 1), ("3", 3), (" 2 ", 2)])
def test_jobs_follow_the_setting(monkeypatch, setting: str, expected: int):
    monkeypatch.setenv("MOPSGOV_JOBS", setting)
    assert forking.jobs() == expected


@pytest.mark.parametrize("setting", ["", "0", "-2", "many", "1.5"])
def test_jobs_default_to_the_processors(monkeypatch, setting: str):
    monkeypatch.setenv("MOPSGOV_JOBS", setting)
    assert forking.jobs() == max(1, min(len(os.sched_getaffinity(0)), forking.MAX_DEFAULT_JOBS))


def test_the_split_gives_runs_of_about_equal_size():
    assert parallel.split([10, 10, 10, 10], 2) == [range(0, 2), range(2, 4)]
    assert parallel.split([30, 1, 1, 1, 27], 2) == [range(0, 1), range(1, 5)]
    assert parallel.split([5, 5, 5], 4) == [range(0, 1), range(1, 2), range(2, 3)]
    assert parallel.split([100], 2) == [range(0, 1)]
    assert parallel.split([0, 0, 0, 0], 2) == [range(0, 1), range(1, 4)]


def test_the_cli_prints_the_same_report_either_way(model: Path):
    env = {**os.environ, "MOPSGOV_CACHE": "off"}
    serial = run_cli("check", str(model), "--format", "json", env={**env, "MOPSGOV_JOBS": "1"})
    both = run_cli("check", str(model), "--format", "json", env={**env, "MOPSGOV_JOBS": "2"})
    assert serial.returncode == both.returncode == 2  # the NUL byte and the Latin-1 file cannot be read
    assert both.stdout == serial.stdout
    assert both.stderr == serial.stderr
    assert '"rule": "yaml.syntax"' in both.stdout


INVALID = {
    "zz-invalid.yaml": """\
tools:
  - id: orphan-tool
    name: Orphan tool
    category: no-such-category
    owner: nobody-here
    lifecycle: active
flows:
  - id: dangling-flow
    from: orphan-tool
    to: missing-tool
    data: [missing-data]
""",
}


@pytest.fixture
def invalid_model(tmp_path: Path, monkeypatch) -> Path:
    return example_with(tmp_path / "invalid", INVALID, monkeypatch)


def outcome(folder: Path) -> tuple:
    result = check.run_check(str(folder))
    return result.findings, result.model.held_back, result.exit_code


def test_validating_aside_gives_the_same_findings(invalid_model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = outcome(invalid_model)
    rules = {f.rule for f in serial[0]}
    assert {"vocabulary.unknown-term", "ref.unresolved", "schema.missing-field", "schema.unknown-field"} <= rules
    assert any(f.rule.startswith("raci.") for f in serial[0])
    assert len(serial[1]) == 14  # policy findings held back behind the validation errors
    assert serial[2] == 1
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    forks = []
    fork = os.fork

    def counting_fork():
        forks.append(1)
        return fork()
    monkeypatch.setattr(os, "fork", counting_fork)
    assert outcome(invalid_model) == serial
    assert len(forks) == 2  # one copy read half the files, one validated
    assert no_children_left()


def test_a_validating_copy_that_dies_costs_only_time(invalid_model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = outcome(invalid_model)
    parent, validate = os.getpid(), check.validate_model

    def dies_in_the_copy(model):
        if os.getpid() != parent:
            os.kill(os.getpid(), signal.SIGKILL)
        return validate(model)
    monkeypatch.setattr(check, "validate_model", dies_in_the_copy)
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    assert outcome(invalid_model) == serial
    assert no_children_left()


def test_the_yaml_test_suite_read_in_parallel_equals_a_serial_read(tmp_path: Path, monkeypatch):
    """Every in.yaml of the YAML test suite as one folder: data, positions and findings alike."""
    suite = ROOT.parent / "shared" / "data" / "yaml-test-suite"
    folder = tmp_path / "suite"
    folder.mkdir()
    cases = sorted(suite.rglob("in.yaml"))
    for case in cases:
        name = case.parent.relative_to(suite).as_posix().replace("/", "-")
        shutil.copyfile(case, folder / f"{name}.yaml")
    monkeypatch.setenv("MOPSGOV_CACHE", "off")
    monkeypatch.setattr(forking, "MIN_PARALLEL_BYTES", 0)
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(folder)
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    seen = counted_reads(monkeypatch)
    assert snapshot(folder) == serial
    assert len(serial[0]) == len(cases) == 402
    assert 0 < len(seen) < len(cases)
    assert no_children_left()


def test_a_file_the_copy_cannot_send_is_read_again_here(model: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_JOBS", "1")
    serial = snapshot(model)
    pack = parse_cache.to_bytes

    def refuses_one(parsed):
        if parsed.file.endswith("zz-syntax.yaml"):
            raise ValueError("unmarshallable object")
        return pack(parsed)
    monkeypatch.setattr(parse_cache, "to_bytes", refuses_one)
    monkeypatch.setenv("MOPSGOV_JOBS", "2")
    seen = counted_reads(monkeypatch)
    assert snapshot(model) == serial
    assert [Path(s).name for s in seen].count("zz-syntax.yaml") == 1  # only that one of the copy's files
    assert "zz-tag.yaml" not in {Path(s).name for s in seen}


def test_a_copy_sends_its_parts_in_order_and_says_when_it_stopped_short():
    whole = forking.Aside(lambda: [b"first", b"", b"x" * 200_000])
    assert list(whole.parts()) == [b"first", b"", b"x" * 200_000] and whole.ok

    def dies_after_one():
        yield b"first"
        os.kill(os.getpid(), signal.SIGKILL)
    short = forking.Aside(dies_after_one)
    assert list(short.parts()) == [b"first"] and not short.ok
    assert forking.Aside(lambda: [b"only"]).result() == b"only"
    assert forking.Aside(lambda: [b"one", b"two"]).result() is None  # result() expects exactly one part
    assert no_children_left()
