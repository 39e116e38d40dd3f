"""Hostile and malformed inputs through the real CLI, each in its own process with limits.

Every case must end with the expected exit status (1 or 2; 0 for an empty file, which only
warns), report the expected finding at its position, print no traceback, die of no signal,
stay within 2 s of CPU (the deliberately huge cases aside) and 500 MB of memory, and leave
every folder it could touch exactly as it was.
"""
from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from conftest import ROOT
from hostile.corpus import CASES, CONFIG, Case

CPU_BUDGET_S = 2.0
MEMORY_BUDGET = 500 * 1024 * 1024
ADDRESS_SPACE_GUARD = 2 * 1024 * 1024 * 1024  # a runaway allocation fails instead of swapping
# As root every file is readable: drop the capabilities that let root ignore file permissions.
AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                    "--inh-caps=-dac_override,-dac_read_search"]


def snapshot(folder: Path) -> dict:
    """Every entry below folder with its type, size and modification time."""
    out = {}
    for base, dirs, files in os.walk(folder):
        for name in dirs + files:
            path = Path(base) / name
            st = os.lstat(path)
            out[path.relative_to(folder).as_posix()] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def run_limited(args: list[str], cwd: Path, env: dict, prefix: list[str]) -> tuple[int, str, str, float, int, float]:
    """(exit status, stdout, stderr, CPU seconds, peak RSS bytes, wall seconds) of one CLI run."""
    def limits():
        resource.setrlimit(resource.RLIMIT_AS, (ADDRESS_SPACE_GUARD, ADDRESS_SPACE_GUARD))

    start = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        proc = subprocess.Popen([*prefix, sys.executable, "-m", "mopsgov", *args], cwd=cwd, env=env, preexec_fn=limits,
                                stdout=out, stderr=err)
        timer = threading.Timer(120, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)  # wait4: this child's own CPU time and peak memory
        finally:
            timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        wall = time.perf_counter() - start
        out.seek(0)
        err.seek(0)
        return (proc.returncode, out.read().decode("utf-8", "replace"), err.read().decode("utf-8", "replace"),
                usage.ru_utime + usage.ru_stime, usage.ru_maxrss * 1024, wall)


def run_case(case: Case, tmp_path: Path):
    model, cwd, home = tmp_path / "model", tmp_path / "cwd", tmp_path / "home"
    for folder in (model, cwd, home):
        folder.mkdir()
    (model / "mopsgov.yaml").write_text(CONFIG, encoding="utf-8")
    case.build(model)
    prefix = AS_ORDINARY_USER if case.name == "an unreadable file" and os.geteuid() == 0 else []
    before = snapshot(tmp_path)
    env = dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), MOPSGOV_CACHE="off",
               PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")
    result = run_limited(["check", str(model), "--format", "json"], cwd, env, prefix)
    assert snapshot(tmp_path) == before, "the run changed files"
    return result


def located(report: dict, model: Path) -> list[tuple]:
    prefix = str(model) + os.sep
    return [(f["rule"], (f["file"] or "").removeprefix(prefix), f["line"], f["column"]) for f in report["findings"]]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    code, out, err, cpu, rss, wall = run_case(case, tmp_path)
    assert code >= 0, f"killed by signal {-code}"
    assert "Traceback" not in out + err, err
    assert code == case.exit, (out, err)
    findings = located(json.loads(out), tmp_path / "model")
    for rule, file, line, column in case.expect:
        assert any(f[0] == rule and f[1] == file and (line is None or f[2:] == (line, column)) for f in findings), \
            f"expected {rule} at {file}:{line}:{column}; got {findings[:5]}"
    assert rss < MEMORY_BUDGET, f"peak memory {rss / 1e6:.0f} MB"
    if not case.huge:
        assert cpu < CPU_BUDGET_S, f"{cpu:.2f} s of CPU"


def test_a_python_payload_runs_nothing(tmp_path: Path):
    """The !!python/object/apply payload would create a file if any constructor ran it."""
    case = next(c for c in CASES if c.name == "!!python/object/apply")
    run_case(case, tmp_path)
    assert not any(p.name == "pwned" for p in tmp_path.rglob("*"))
    assert not (ROOT / "pwned").exists()
