"""Hostile and malformed inputs through the real CLI, each in its own process with limits.

Every case must end with the expected exit status (1 or 2; 0 where the input only warns),
report the expected finding at its position, print no traceback, die of no signal, stay within
2 s of CPU and 2 s of wall time (the deliberately huge cases: 60 s; on a busy machine the wall
time budget stretches with the load average) and 500 MB of memory, and
leave every folder it could touch exactly as it was: its own folders and the repository. Each
case runs with the parse cache off, and once more with it on in a folder of its own, cold and
then warm: the cache folder then holds entries only, and the warm run prints what the cold one
printed.
"""
from __future__ import annotations

import json
import os
import re
import resource
import shutil
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
WALL_BUDGET_S = 2.0
HUGE_WALL_BUDGET_S = 60.0  # the 50 MB file and the 10,000 files, on a busy machine
MEMORY_BUDGET = 500 * 1024 * 1024
ADDRESS_SPACE_GUARD = 2 * 1024 * 1024 * 1024  # a runaway allocation fails instead of swapping
# As root every file is readable: drop the capabilities that let root ignore file permissions.
AS_ORDINARY_USER = ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
                    "--inh-caps=-dac_override,-dac_read_search"]
CACHE_ENTRY = re.compile(r"cache(/last-sweep|/[0-9a-f]{2}(/[0-9a-f]{62}\.marshal)?)?")


def snapshot(folder: Path, skip: frozenset = frozenset()) -> dict:
    """Every entry below folder (but the top-level names in skip) with its type, size and modification time."""
    out = {}
    for base, dirs, files in os.walk(folder):
        if Path(base) == folder:
            dirs[:] = [d for d in dirs if d not in skip]
        for name in dirs + files:
            path = Path(base) / name
            st = os.lstat(path)
            out[path.relative_to(folder).as_posix()] = (st.st_mode, st.st_size, st.st_mtime_ns)
    return out


def busy() -> float:
    """How many times over the machine's cores are asked for (1 when idle): the wall-time budget
    stretches by that much on a shared machine, while a run that waits or hangs still exceeds it."""
    return max(1.0, os.getloadavg()[0] / (os.cpu_count() or 1))


def repository() -> dict:
    return snapshot(ROOT, frozenset({".venv", ".git"}))  # git itself may write beside a run


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


def prepare(case: Case, tmp_path: Path) -> None:
    """The case's model folder, and empty folders to run in and to be home."""
    for folder in ("model", "cwd", "home"):
        (tmp_path / folder).mkdir()
    (tmp_path / "model" / "mopsgov.yaml").write_text(CONFIG, encoding="utf-8")
    case.build(tmp_path / "model")


def environment(tmp_path: Path, cache: Path | None) -> dict:
    home = tmp_path / "home"
    return dict(os.environ, HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"),
                MOPSGOV_CACHE=str(cache) if cache else "off", PYTHONPATH=str(ROOT), PYTHONDONTWRITEBYTECODE="1")


def privileges(case: Case) -> list[str]:
    if not case.ordinary_user or os.geteuid() != 0:
        return []  # an ordinary user cannot read the case's unreadable file or folder anyway
    if shutil.which("setpriv") is None:
        pytest.skip("running as root without setpriv: the unreadable input would be readable")
    return AS_ORDINARY_USER


def run_case(case: Case, tmp_path: Path, cache: Path | None = None):
    """One run of `check` on the case; the parse cache in `cache` (kept from an earlier run) or off."""
    if not (tmp_path / "model").exists():
        prepare(case, tmp_path)
    before, repo_before = snapshot(tmp_path), repository()
    result = run_limited(["check", str(tmp_path / "model"), "--format", "json"], tmp_path / "cwd",
                         environment(tmp_path, cache), privileges(case))
    after = snapshot(tmp_path)
    if cache is not None:
        written = sorted(k for k in after if k.startswith("cache"))
        assert all(CACHE_ENTRY.fullmatch(k) for k in written), written
        # a warm run adds no entry (it only marks the ones it uses as used)
        assert not any(k.startswith("cache") for k in before) or written == sorted(k for k in before if k.startswith("cache"))
        after = {k: v for k, v in after.items() if not k.startswith("cache")}
        before = {k: v for k, v in before.items() if not k.startswith("cache")}
    assert after == before, "the run changed files"
    assert repository() == repo_before, "the run wrote into the repository"
    return result


def located(report: dict, model: Path) -> list[tuple]:
    prefix = str(model) + os.sep
    return [(f["rule"], (f["file"] or "").removeprefix(prefix), f["line"], f["column"]) for f in report["findings"]]


def assert_outcome(case: Case, tmp_path: Path, outcome) -> str:
    code, out, err, cpu, rss, wall = outcome
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
    budget = (HUGE_WALL_BUDGET_S if case.huge else WALL_BUDGET_S) * busy()
    assert wall < budget, f"{wall:.2f} s of wall time (budget {budget:.1f} s)"
    return out


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input(case: Case, tmp_path: Path):
    assert_outcome(case, tmp_path, run_case(case, tmp_path))


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_input_with_the_parse_cache(case: Case, tmp_path: Path):
    cache = tmp_path / "cache"
    cold = assert_outcome(case, tmp_path, run_case(case, tmp_path, cache))
    warm = assert_outcome(case, tmp_path, run_case(case, tmp_path, cache))
    assert warm == cold


def test_a_python_payload_runs_nothing(tmp_path: Path):
    """The !!python/object/apply payload would create a file if any constructor ran it."""
    case = next(c for c in CASES if c.name == "!!python/object/apply")
    run_case(case, tmp_path)
    assert not any(p.name == "pwned" for p in tmp_path.rglob("*"))
    assert not (ROOT / "pwned").exists()
