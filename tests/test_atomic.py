"""Files mopsgov writes (reports, baselines, init files, the docs site) get ordinary permissions,
keep those of the file they replace, write through links, and go straight into pipes and streams."""
from __future__ import annotations

import json
import os
import stat
import threading

import pytest

from conftest import ROOT, run_cli
from mopsgov.atomic import write_text

SMALL = "tests/fixtures/workflow/small"
SUMMARY = "2 errors in 2 files: check failed (fail severity: error)\n"


@pytest.fixture
def umask_027():
    previous = os.umask(0o027)  # inherited by the commands the tests run
    yield
    os.umask(previous)


def mode(path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


def test_new_files_follow_the_umask(tmp_path, umask_027):
    write_text(tmp_path / "a" / "new.txt", "x")
    assert mode(tmp_path / "a" / "new.txt") == 0o640
    assert run_cli("check", SMALL, "-f", "json", "-o", str(tmp_path / "r.json")).returncode == 1
    assert run_cli("baseline", SMALL, "-o", str(tmp_path / "b.json")).returncode == 0
    assert run_cli("init", str(tmp_path / "repo"), "--today", "2026-11-23").returncode == 0
    assert run_cli("docs", SMALL, "--out", str(tmp_path / "site")).returncode == 0
    written = [tmp_path / "r.json", tmp_path / "b.json", *(p for p in (tmp_path / "repo").rglob("*") if p.is_file()),
               *(p for p in (tmp_path / "site").rglob("*") if p.is_file())]
    assert len(written) > 20
    assert {str(p.relative_to(tmp_path)): mode(p) for p in written} == {str(p.relative_to(tmp_path)): 0o640 for p in written}


def test_an_existing_file_keeps_its_mode(tmp_path, umask_027):
    for name, keep in (("r.json", 0o664), ("b.json", 0o600)):
        (tmp_path / name).write_text("old")
        os.chmod(tmp_path / name, keep)
    run_cli("check", SMALL, "-f", "json", "-o", str(tmp_path / "r.json"))
    run_cli("baseline", SMALL, "-o", str(tmp_path / "b.json"))
    assert (mode(tmp_path / "r.json"), mode(tmp_path / "b.json")) == (0o664, 0o600)
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["error"] == 2
    assert json.loads((tmp_path / "b.json").read_text())["tool"] == "mopsgov"
    site = tmp_path / "site"
    run_cli("docs", SMALL, "--out", str(site))
    index = site / "index.html"
    os.chmod(index, 0o644)
    (tmp_path / "small").mkdir()
    for name in ("mopsgov.yaml", "people.yaml", "tools.yaml"):
        text = (ROOT / SMALL / name).read_text()
        (tmp_path / "small" / name).write_text(text.replace("Small <Model> & Co", "Small and Co"))
    run_cli("docs", str(tmp_path / "small"), "--out", str(site))
    assert "Small and Co" in index.read_text() and mode(index) == 0o644


def test_a_link_is_written_through(tmp_path, umask_027):
    real = tmp_path / "reports"
    real.mkdir()
    (real / "report.json").write_text("old")
    os.chmod(real / "report.json", 0o604)
    (tmp_path / "out.json").symlink_to(real / "report.json")
    (tmp_path / "base.json").symlink_to(real / "baseline.json")  # a link to a file not written yet
    run_cli("check", SMALL, "-f", "json", "-o", str(tmp_path / "out.json"))
    run_cli("baseline", SMALL, "-o", str(tmp_path / "base.json"))
    assert (tmp_path / "out.json").is_symlink() and (tmp_path / "base.json").is_symlink()
    assert json.loads((real / "report.json").read_text())["exit_code"] == 1
    assert json.loads((real / "baseline.json").read_text())["tool"] == "mopsgov"
    assert (mode(real / "report.json"), mode(real / "baseline.json")) == (0o604, 0o640)
    assert sorted(p.name for p in real.iterdir()) == ["baseline.json", "report.json"]  # no temporary files left


def test_dev_stdout_is_written_directly(tmp_path):
    done = run_cli("check", SMALL, "-f", "sarif", "-o", "/dev/stdout")
    assert done.stdout.endswith("\n" + SUMMARY)
    assert json.loads(done.stdout[:-len(SUMMARY)])["version"] == "2.1.0"
    # standard output redirected to a file: the file is written into, not replaced
    target = tmp_path / "out.txt"
    with open(target, "w") as out:
        inode = os.fstat(out.fileno()).st_ino
        code = run_cli_to(out, "baseline", SMALL, "-o", "/dev/stdout")
    assert code == 0 and os.stat(target).st_ino == inode
    text = target.read_text()
    assert json.loads(text[:text.index("\nrecorded ") + 1])["tool"] == "mopsgov"
    assert text.endswith("recorded 2 findings of Small <Model> & Co in /dev/stdout\n")


def run_cli_to(stream, *args) -> int:
    import subprocess
    import sys
    return subprocess.run([sys.executable, "-m", "mopsgov", *args], cwd=ROOT, stdout=stream, timeout=120).returncode


def test_a_named_pipe_is_written_directly(tmp_path):
    fifo = tmp_path / "report.fifo"
    os.mkfifo(fifo)
    received: list[bytes] = []

    def read():
        with open(fifo, "rb") as handle:
            received.append(handle.read())

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    done = run_cli("check", SMALL, "-f", "json", "-o", str(fifo))
    reader.join(60)
    assert not reader.is_alive()
    assert done.returncode == 1 and done.stdout == SUMMARY
    assert json.loads(received[0])["summary"]["error"] == 2
    assert stat.S_ISFIFO(os.stat(fifo).st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.fifo"]


def test_a_folder_in_the_way_is_a_clean_error(tmp_path):
    (tmp_path / "r.json").mkdir()
    done = run_cli("check", SMALL, "-f", "json", "-o", str(tmp_path / "r.json"))
    assert done.returncode == 2
    assert done.stderr == f"mopsgov: cannot write {tmp_path / 'r.json'}: Is a directory\n"
    done = run_cli("baseline", SMALL, "-o", str(tmp_path / "r.json"))
    assert done.returncode == 2
    assert done.stderr == f"mopsgov: cannot write {tmp_path / 'r.json'}: Is a directory\n"
