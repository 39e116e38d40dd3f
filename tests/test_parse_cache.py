"""The parse cache: a warm run gives exactly the cold run's result, and a changed file is re-read."""
from __future__ import annotations

import marshal
import os
import time
from pathlib import Path

import pytest

from conftest import run_cli
from mopsgov.check import run_check
from mopsgov.load import parse_cache
from mopsgov.load.model_loader import load_model
from mopsgov.load.yaml_reader import Limits

CONFIG = "name: Cache test\nas_of: '2027-03-01'\n"
TOOLS = """tools:
- id: crm
  name: CRM
  category: crm
  lifecycle: active
  annual_cost: 12000
  seats: {bought: 10, active: 9}
- id: map
  name: Marketing automation
  category: marketing-automation
  lifecycle: retird
"""


@pytest.fixture
def model(tmp_path: Path) -> Path:
    folder = tmp_path / "model"
    folder.mkdir()
    (folder / "mopsgov.yaml").write_text(CONFIG, encoding="utf-8")
    (folder / "tools.yaml").write_text(TOOLS, encoding="utf-8")
    return folder


@pytest.fixture
def cache(tmp_path: Path, monkeypatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv(parse_cache.ENV, str(folder))
    return folder


def entries(folder: Path) -> list[Path]:
    return sorted(folder.rglob("*.marshal")) if folder.exists() else []


def entry_for(model: Path, cache: Path, name: str) -> Path:
    key = parse_cache.key((model / name).read_bytes(), str(model / name), Limits())
    return parse_cache._entry_path(cache, key)


def has_entry(cache: Path, model: Path, name: str) -> bool:
    return entry_for(model, cache, name).exists()


def summary(result) -> list:
    return [(f.rule, f.severity, f.message, f.location, f.path, f.fix, f.related) for f in result.findings]


def test_warm_run_equals_cold_run(model: Path, cache: Path):
    cold = run_check(str(model))
    assert has_entry(cache, model, "mopsgov.yaml") and has_entry(cache, model, "tools.yaml")
    warm = run_check(str(model))
    assert summary(warm) == summary(cold)
    assert ("schema.value", 11, 14) in [(f.rule, f.line, f.column) for f in warm.findings]
    cold_tools = next(f for f in cold.model.files if f.file.endswith("tools.yaml"))
    warm_tools = next(f for f in warm.model.files if f.file.endswith("tools.yaml"))
    assert warm_tools.data == cold_tools.data and warm_tools.raw == cold_tools.raw
    for path in cold_tools.spans:
        assert warm_tools.location(path) == cold_tools.location(path)
        assert warm_tools.location(path, key=True) == cold_tools.location(path, key=True)


def test_a_file_with_a_refused_key_is_cached_too(model: Path, cache: Path):
    """The value of a list used as a key is read and dropped: its positions stay plain data."""
    (model / "odd.yaml").write_text("tools:\n  ? [a, b]\n  : [c, {d: e}]\n", encoding="utf-8")
    cold = run_check(str(model))
    assert has_entry(cache, model, "odd.yaml")
    warm = run_check(str(model))
    assert summary(warm) == summary(cold)
    assert ("yaml.key-type", 2, 5) in [(f.rule, f.line, f.column) for f in warm.findings]


def test_a_warm_run_reads_the_cache(model: Path, cache: Path):
    run_check(str(model))
    # Prove the second run uses the entry: plant a different, well-formed parse under the same key.
    raw = (model / "tools.yaml").read_bytes()
    key = parse_cache.key(raw, str(model / "tools.yaml"), Limits())
    planted = load_model(str(model))[0].files[0]
    planted.data = {"tools": []}
    parse_cache.put(key, planted)
    assert [f.rule for f in run_check(str(model)).findings if f.rule.startswith("schema")] == []


def test_a_changed_file_is_read_again(model: Path, cache: Path):
    first = run_check(str(model))
    count = len(entries(cache))
    assert "schema.value" in [f.rule for f in first.findings]
    before = os.stat(model / "tools.yaml")
    fixed = TOOLS.replace("retird", "retired")
    assert len(fixed) == len(TOOLS) + 1
    (model / "tools.yaml").write_text(fixed, encoding="utf-8")
    os.utime(model / "tools.yaml", ns=(before.st_atime_ns, before.st_mtime_ns))  # same time: content decides
    second = run_check(str(model))
    assert "schema.value" not in [f.rule for f in second.findings]
    assert len(entries(cache)) == count + 1
    assert has_entry(cache, model, "tools.yaml")


def test_a_same_size_edit_is_read_again(model: Path, cache: Path):
    run_check(str(model))
    (model / "tools.yaml").write_text(TOOLS.replace("12000", "13000"), encoding="utf-8")
    tools = next(f for f in run_check(str(model)).model.files if f.file.endswith("tools.yaml"))
    assert tools.data["tools"][0]["annual_cost"] == 13000


def test_damaged_entries_are_ignored(model: Path, cache: Path):
    cold = run_check(str(model))
    for entry in entries(cache):
        entry.write_bytes(b"\x00not marshal")
    assert summary(run_check(str(model))) == summary(cold)
    for entry in entries(cache):
        entry.write_bytes(b"")
    assert summary(run_check(str(model))) == summary(cold)


def nested(levels: int) -> list:
    value: list = []
    for _ in range(levels - 1):
        value = [value]
    return value


# Well-formed marshal data of the wrong shape, part by part: each must be read again, not used.
WRONG_SHAPES = {
    "spans values as text": lambda e: {**e, 3: {p: str(v) for p, v in e[3].items()}},
    "a negative span": lambda e: {**e, 3: {**e[3], (): -1}},
    "a span path that is text": lambda e: {**e, 3: {**e[3], "tools": 1}},
    "a span path with a float": lambda e: {**e, 3: {**e[3], ("tools", 0.5): 1}},
    "width as text": lambda e: {**e, 4: "32"},
    "width out of range": lambda e: {**e, 4: 4096},
    "data that is a list": lambda e: {**e, 2: [e[2]]},
    "data holding a tuple": lambda e: {**e, 2: {"tools": (1, 2)}},
    "data holding bytes deep down": lambda e: {**e, 2: {"tools": [{"seats": {"bought": b"10"}}]}},
    "data with a number as key": lambda e: {**e, 2: {"tools": [{1: "a"}]}},
    "data nested deeper than the reader reads": lambda e: {**e, 2: {"tools": nested(Limits().max_depth)}},
    "raw text as a number": lambda e: {**e, 5: {("tools", 0, "annual_cost"): 12000}},
    "findings as a tuple": lambda e: {**e, 6: tuple(e[6])},
    "a finding of ten parts": lambda e: {**e, 6: [("yaml.syntax",) * 10]},
    "a finding with a severity of 7": lambda e: {**e, 6: [("r", 7, "m", None, None, None, "$", None, (), None, None)]},
    "a finding at line 0": lambda e: {**e, 6: [("r", 3, "m", ("f", 0, 1, None, None), None, None, "$", None, (), None, None)]},
    "rejected as a set": lambda e: {**e, 7: {("a",)}},
    "eight parts in a list": lambda e: list(e.values()),
    "seven parts": lambda e: {k: v for k, v in e.items() if k != 7},
}


@pytest.mark.parametrize("name", sorted(WRONG_SHAPES))
def test_an_entry_of_the_wrong_shape_is_read_again(model: Path, cache: Path, name: str):
    cold = run_check(str(model))
    entry = entry_for(model, cache, "tools.yaml")
    parts = dict(enumerate(marshal.loads(entry.read_bytes())))
    assert parse_cache.from_bytes(marshal.dumps(tuple(parts.values())), str(model / "tools.yaml"), Limits()) is not None
    wrong = WRONG_SHAPES[name](parts)
    entry.write_bytes(marshal.dumps(tuple(wrong.values()) if isinstance(wrong, dict) else wrong))
    assert parse_cache.from_bytes(entry.read_bytes(), str(model / "tools.yaml"), Limits()) is None
    assert summary(run_check(str(model))) == summary(cold)


def test_a_relative_cache_folder_is_taken_from_where_the_run_starts(model: Path, tmp_path: Path):
    start = tmp_path / "start"
    start.mkdir()
    env = dict(os.environ, MOPSGOV_CACHE="relcache")
    done = run_cli("check", str(model), "--format", "json", cwd=start, env=env)
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert has_entry(start / "relcache", model, "tools.yaml")
    assert sorted(p.name for p in model.iterdir()) == ["mopsgov.yaml", "tools.yaml"]


def test_the_cache_folder_is_absolute(monkeypatch, tmp_path: Path):
    monkeypatch.setenv(parse_cache.ENV, "relcache")
    assert parse_cache.folder() == Path(os.getcwd()) / "relcache"
    monkeypatch.delenv(parse_cache.ENV)
    monkeypatch.setenv("HOME", str(tmp_path))
    monkeypatch.setenv("XDG_CACHE_HOME", "relative/xdg")  # the XDG rule: ignored
    assert parse_cache.folder() == tmp_path / ".cache" / "mopsgov"


def test_the_key_covers_name_limits_and_content():
    base = parse_cache.key(b"a: 1\n", "m.yaml", Limits())
    assert parse_cache.key(b"a: 1\n", "m.yaml", Limits()) == base
    assert parse_cache.key(b"a: 2\n", "m.yaml", Limits()) != base
    assert parse_cache.key(b"a: 1\n", "n.yaml", Limits()) != base
    assert parse_cache.key(b"a: 1\n", "m.yaml", Limits(max_depth=8)) != base


def test_cache_off_writes_nothing(model: Path, tmp_path: Path, monkeypatch):
    for setting in ("off", "0", ""):
        monkeypatch.setenv(parse_cache.ENV, setting)
        assert parse_cache.folder() is None
    monkeypatch.setenv(parse_cache.ENV, "off")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    run_check(str(model))
    assert not (tmp_path / "xdg").exists()


def test_default_folder_follows_xdg(monkeypatch, tmp_path: Path):
    monkeypatch.delenv(parse_cache.ENV, raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert parse_cache.folder() == tmp_path / "xdg" / "mopsgov"


def test_an_unwritable_cache_is_skipped(model: Path, tmp_path: Path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the cache folder should be", encoding="utf-8")
    monkeypatch.setenv(parse_cache.ENV, str(blocker / "cache"))
    assert "schema.value" in [f.rule for f in run_check(str(model)).findings]


def test_cli_warm_run_prints_the_same_report(model: Path, tmp_path: Path):
    env = dict(os.environ, MOPSGOV_CACHE=str(tmp_path / "cli-cache"))
    cold = run_cli("check", str(model), "--format", "json", env=env)
    warm = run_cli("check", str(model), "--format", "json", env=env)
    assert cold.returncode == warm.returncode == 1
    assert warm.stdout == cold.stdout
    assert has_entry(tmp_path / "cli-cache", model, "tools.yaml")


def test_entries_unused_for_30_days_are_swept_once_a_day(model: Path, cache: Path):
    run_check(str(model))
    old = entries(cache)
    now = time.time()
    for entry in old[1:]:
        os.utime(entry, (now - parse_cache.MAX_AGE_S - 60,) * 2)
    # the sweep that ran with the first write stamped the folder: none again within a day
    assert parse_cache.sweep(cache, now) == 0
    assert parse_cache.sweep(cache, now + parse_cache.SWEEP_EVERY_S + 1) == len(old) - 1
    assert entries(cache) == old[:1]
    # a warm run refreshes what it reads
    run_check(str(model))
    assert all(now - e.stat().st_mtime < 60 for e in entries(cache))
