"""Time `mopsgov` against the floor (a bare LibYAML load) and a peer (check-jsonschema), in one run.

For each scale factor the script generates the synthetic model (benchmarks/generate.py) into
benchmarks/out/, then runs every measured command as a whole process, several times, round
robin (so a busy moment of the machine hurts every command alike), and reports the median wall
time, the peak resident memory of the process, and the ratios the project targets:

- `check` at 1x within 1.5x of the bare load, and at least 5x faster than check-jsonschema;
- `analyze` at 10x within 2x of the bare load; `docs` at 1x under 10 s including `dot`;
- peak memory under 20x the model's size on disk; time and memory linear from 1x to 50x;
- a warm `check` (parse cache filled) much faster than a cold one.

Commands that this installation of mopsgov does not have (`analyze`, `docs`) are left out of
the table. Writes a Markdown table to stdout, the raw figures to benchmarks/out/results.json
and a plot of time against model size (SVG) to --plot.

Usage:
    python3 benchmarks/run.py                      # scales 1, 10, 50
    python3 benchmarks/run.py --scales 1 --repeat 3
"""
from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PY = sys.executable


def model_files(folder: Path) -> list[str]:
    return sorted(str(p) for p in folder.rglob("*.yaml") if p.name != "mopsgov.yaml")


def without_policies(folder: Path, target: Path) -> Path:
    """A copy of the model whose mopsgov.yaml turns every policy pack off: schema and references only."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(folder, target)
    config = (folder / "mopsgov.yaml").read_text(encoding="utf-8")
    (target / "mopsgov.yaml").write_text(config + "policies:\n  packs: []\n", encoding="utf-8")
    return target


def empty_model(target: Path) -> Path:
    """A model folder with only a mopsgov.yaml: what check costs before any model is read."""
    target.mkdir(parents=True, exist_ok=True)
    (target / "mopsgov.yaml").write_text("name: Empty model\n", encoding="utf-8")
    return target


def commands(folder: Path, scale: int, peers: set[int], cache_dir: Path, docs_dir: Path) -> dict[str, tuple[list[str], dict]]:
    """name -> (argv, extra environment), for the commands measured at this scale."""
    no_cache = {"MOPSGOV_CACHE": "off"}
    out = {
        "bare load": ([PY, str(HERE / "bare_load.py"), str(folder)], {}),
        "check": ([PY, "-m", "mopsgov", "check", str(folder)], no_cache),
        "check (warm cache)": ([PY, "-m", "mopsgov", "check", str(folder)], {"MOPSGOV_CACHE": str(cache_dir)}),
    }
    if scale == 1:
        # every file read by the check process itself, as where mopsgov cannot fork
        out["check, one process"] = ([PY, "-m", "mopsgov", "check", str(folder)], {**no_cache, "MOPSGOV_JOBS": "1"})
        bare_model = without_policies(folder, OUT / "model-1x-no-policies")
        out["check, no policy packs"] = ([PY, "-m", "mopsgov", "check", str(bare_model)], no_cache)
    if scale <= 10 and has_command("analyze"):
        out["analyze"] = ([PY, "-m", "mopsgov", "analyze", str(folder)], no_cache)
    if scale == 1 and has_command("docs"):
        out["docs"] = ([PY, "-m", "mopsgov", "docs", str(folder), "--out", str(docs_dir)], no_cache)
    if scale == 1:
        # the same command on a model with nothing in it: the interpreter and the code, whatever the model
        out["check, empty model"] = ([PY, "-m", "mopsgov", "check", str(empty_model(OUT / "model-empty"))], no_cache)
    if scale in peers:
        # the peer installed beside this interpreter (a virtual environment's bin), else on PATH
        beside = Path(PY).parent / "check-jsonschema"
        checker = str(beside) if beside.exists() else shutil.which("check-jsonschema")
        if checker:
            schema = ROOT / "schemas" / "model.schema.json"
            out["check-jsonschema"] = ([checker, "--schemafile", str(schema), *model_files(folder)], {})
    return out


_HAS: dict[str, bool] = {}


def has_command(name: str) -> bool:
    if name not in _HAS:
        done = subprocess.run([PY, "-m", "mopsgov", name, "--help"], cwd=ROOT, capture_output=True)
        _HAS[name] = done.returncode == 0
    return _HAS[name]


def run_once(argv: list[str], env_extra: dict) -> tuple[float, int, int, float]:
    """(wall seconds, peak RSS in bytes, exit status, CPU seconds) of one whole process."""
    env = dict(os.environ, **env_extra)
    start = time.perf_counter()
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.stderr:
        proc.stderr.close()
    if "Traceback" in err:
        raise SystemExit(f"{' '.join(argv[:4])} crashed:\n{err}")
    return wall, usage.ru_maxrss * 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(scale: int, repeat: int, peers: set[int]) -> dict:
    folder = OUT / f"model-{scale}x"
    counts = generate(folder, scale)
    size = sum(p.stat().st_size for p in folder.rglob("*.yaml"))
    files = sum(1 for _ in folder.rglob("*.yaml"))
    with tempfile.TemporaryDirectory(prefix="mopsgov-bench-") as tmp:
        cache_dir, docs_dir = Path(tmp) / "cache", Path(tmp) / "site"
        todo = commands(folder, scale, peers, cache_dir, docs_dir)
        run_once(*todo["check (warm cache)"])  # fill the cache
        samples: dict[str, list] = {name: [] for name in todo}
        for _ in range(repeat):
            for name, (argv, env) in todo.items():
                samples[name].append(run_once(argv, env))
    result = {"scale": scale, "files": files, "bytes": size, "entities": counts, "commands": {},
              "check_phases_cpu_s": phases(folder, 3 if scale < 10 else 1)}
    for name, runs in samples.items():
        result["commands"][name] = {
            "median_s": statistics.median(r[0] for r in runs),
            "median_cpu_s": statistics.median(r[3] for r in runs),
            "runs_s": [round(r[0], 4) for r in runs],
            "peak_rss_bytes": max(r[1] for r in runs),
            "exit": sorted({r[2] for r in runs}),
        }
    return result


def phases(folder: Path, repeat: int) -> dict:
    """CPU seconds per phase of check (median of a few runs of benchmarks/phases.py)."""
    runs = []
    for _ in range(repeat):
        done = subprocess.run([PY, str(HERE / "phases.py"), str(folder)], cwd=ROOT, capture_output=True, text=True)
        runs.append(json.loads(done.stdout))
    return {name: statistics.median(run[name] for run in runs) for name in runs[0]}


def phase_table(results: list[dict]) -> str:
    names = list(results[0]["check_phases_cpu_s"])
    lines = ["| scale | " + " | ".join(names) + " |", "|---|" + "---:|" * len(names)]
    for res in results:
        lines.append(f"| {res['scale']}x | " + " | ".join(f"{res['check_phases_cpu_s'][n]:.3f}" for n in names) + " |")
    return "\n".join(lines)


def table(results: list[dict]) -> str:
    lines = ["| scale | model | command | median wall s | x bare load | median CPU s | x bare load (CPU) "
             "| peak RSS MB | RSS / model size | exit |",
             "|---|---|---|---:|---:|---:|---:|---:|---:|---|"]
    for res in results:
        floor = res["commands"]["bare load"]["median_s"]
        cpu_floor = res["commands"]["bare load"]["median_cpu_s"]
        model = f"{res['files']} files, {res['bytes'] / 1e6:.1f} MB"
        for name, fig in res["commands"].items():
            rss = fig["peak_rss_bytes"]
            lines.append(f"| {res['scale']}x | {model} | {name} | {fig['median_s']:.3f} | {fig['median_s'] / floor:.2f} | "
                         f"{fig['median_cpu_s']:.3f} | {fig['median_cpu_s'] / cpu_floor:.2f} | "
                         f"{rss / 1e6:.0f} | {rss / res['bytes']:.1f} | {','.join(map(str, fig['exit']))} |")
    return "\n".join(lines)


def targets(results: list[dict]) -> list[str]:
    by_scale = {r["scale"]: r["commands"] for r in results}
    lines = []
    one = by_scale.get(1)
    if one:
        check, floor = one["check"]["median_s"], one["bare load"]["median_s"]
        cpu = one["check"]["median_cpu_s"] / one["bare load"]["median_cpu_s"]
        lines.append(f"check at 1x / bare load: {check / floor:.2f} wall, {cpu:.2f} CPU (target <= 1.5)")
        if "check, one process" in one:
            serial = one["check, one process"]
            lines.append(f"check at 1x read in one process / bare load: {serial['median_s'] / floor:.2f} wall, "
                         f"{serial['median_cpu_s'] / one['bare load']['median_cpu_s']:.2f} CPU")
        if "check-jsonschema" in one:
            peer = one["check-jsonschema"]
            lines.append(f"check-jsonschema / check at 1x: {peer['median_s'] / check:.1f} wall, "
                         f"{peer['median_cpu_s'] / one['check']['median_cpu_s']:.1f} CPU (target >= 5)")
        lines.append(f"cold / warm check at 1x: {check / one['check (warm cache)']['median_s']:.2f}")
        if "docs" in one:
            lines.append(f"docs at 1x: {one['docs']['median_s']:.2f} s (target < 10)")
    ten = by_scale.get(10)
    if ten and "analyze" in ten:
        lines.append(f"analyze at 10x / bare load: {ten['analyze']['median_s'] / ten['bare load']['median_s']:.2f} wall, "
                     f"{ten['analyze']['median_cpu_s'] / ten['bare load']['median_cpu_s']:.2f} CPU (target <= 2)")
    for res in results:
        lines += policy_cost(res)
    scales = sorted(by_scale)
    size = {r["scale"]: r["bytes"] for r in results}
    for low, high in zip(scales, scales[1:]):
        for name in ("check", "bare load"):
            low_fig, high_fig = by_scale[low][name], by_scale[high][name]
            lines.append(f"{name} {high}x / {low}x: wall time {high_fig['median_s'] / low_fig['median_s']:.1f}x, "
                         f"CPU {high_fig['median_cpu_s'] / low_fig['median_cpu_s']:.1f}x, peak memory "
                         f"{high_fig['peak_rss_bytes'] / low_fig['peak_rss_bytes']:.1f}x, model size {size[high] / size[low]:.1f}x")
    fixed = by_scale[1]["check, empty model"]["peak_rss_bytes"] if 1 in by_scale and "check, empty model" in by_scale[1] else None
    for scale in scales:
        rss = by_scale[scale]["check"]["peak_rss_bytes"]
        line = f"check peak memory at {scale}x: {rss / size[scale]:.1f}x the model's size on disk (target < 20)"
        if fixed is not None:
            line += f"; above an empty model's {fixed / 1e6:.0f} MB: {(rss - fixed) / size[scale]:.1f}x"
        lines.append(line)
    return lines


def policy_cost(res: dict) -> list[str]:
    """The policy stage's CPU time against the rest of check, in one process (benchmarks/phases.py)."""
    from phases import GRAPH, GRAPHLESS

    cpu = res.get("check_phases_cpu_s", {})
    if GRAPHLESS not in cpu or GRAPH not in cpu:
        return []
    rest = sum(seconds for name, seconds in cpu.items() if not name.startswith("policies"))
    target = " (target <= 20%)" if res["scale"] == 1 else ""
    return [f"policy stage at {res['scale']}x / rest of check (CPU, in process): rules without graph analyses "
            f"{cpu[GRAPHLESS] / rest:.0%}, all rules {(cpu[GRAPHLESS] + cpu[GRAPH]) / rest:.0%}{target}"]


def plot(results: list[dict], path: Path) -> None:
    """Median seconds against model size (MB), one line per command, as a plain SVG."""
    width, height, left, bottom, top, right = 640, 400, 60, 50, 20, 170
    series: dict[str, list[tuple[float, float]]] = {}
    for res in results:
        for name, fig in res["commands"].items():
            series.setdefault(name, []).append((res["bytes"] / 1e6, fig["median_s"]))
    max_x = max(x for pts in series.values() for x, _ in pts) or 1
    max_y = max(y for pts in series.values() for _, y in pts) or 1
    colours = ("#1b6ca8", "#d1495b", "#2e8b57", "#edae49", "#8d6cab", "#e07b00", "#555555")

    def sx(x: float) -> float:
        return left + x / max_x * (width - left - right)

    def sy(y: float) -> float:
        return height - bottom - y / max_y * (height - bottom - top)

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" font-family="sans-serif" font-size="11">',
             f'<rect width="{width}" height="{height}" fill="white"/>',
             f'<line x1="{left}" y1="{sy(0)}" x2="{sx(max_x)}" y2="{sy(0)}" stroke="black"/>',
             f'<line x1="{left}" y1="{sy(0)}" x2="{left}" y2="{sy(max_y)}" stroke="black"/>',
             f'<text x="{(left + sx(max_x)) / 2}" y="{height - 12}" text-anchor="middle">model size on disk (MB)</text>',
             f'<text x="14" y="{(top + sy(0)) / 2}" text-anchor="middle" transform="rotate(-90 14 {(top + sy(0)) / 2})">median wall time (s)</text>']
    for i in range(5):
        x, y = max_x * i / 4, max_y * i / 4
        parts.append(f'<text x="{sx(x):.1f}" y="{sy(0) + 16}" text-anchor="middle">{x:.3g}</text>')
        parts.append(f'<text x="{left - 6}" y="{sy(y) + 4:.1f}" text-anchor="end">{y:.1f}</text>')
        parts.append(f'<line x1="{left}" y1="{sy(y):.1f}" x2="{sx(max_x):.1f}" y2="{sy(y):.1f}" stroke="#ddd"/>')
    for index, (name, pts) in enumerate(sorted(series.items())):
        colour = colours[index % len(colours)]
        coords = " ".join(f"{sx(x):.1f},{sy(y):.1f}" for x, y in sorted(pts))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="{colour}" stroke-width="2"/>')
        parts += [f'<circle cx="{sx(x):.1f}" cy="{sy(y):.1f}" r="3" fill="{colour}"/>' for x, y in pts]
        ly = top + 14 + index * 16
        parts.append(f'<line x1="{width - right + 12}" y1="{ly - 4}" x2="{width - right + 30}" y2="{ly - 4}" stroke="{colour}" stroke-width="2"/>')
        parts.append(f'<text x="{width - right + 36}" y="{ly}">{name}</text>')
    parts.append("</svg>")
    path.write_text("\n".join(parts) + "\n", encoding="utf-8")


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    import yaml
    return (f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs ({cpu}), "
            f"Python {platform.python_version()}, PyYAML {yaml.__version__} (LibYAML {yaml.__with_libyaml__})")


def byte_compile() -> None:
    """Compile mopsgov's modules, as `pip install` does: an editable install run with
    PYTHONDONTWRITEBYTECODE set would otherwise compile every module from source in every run."""
    where = subprocess.run([PY, "-c", "import mopsgov, os; print(os.path.dirname(mopsgov.__file__))"],
                           capture_output=True, text=True, check=True).stdout.strip()
    subprocess.run([PY, "-m", "compileall", "-q", where], check=True, stdout=subprocess.DEVNULL)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scales", default="1,10,50", help="comma-separated scale factors")
    parser.add_argument("--repeat", type=int, default=5, help="runs of each command at 1x (fewer above 10x)")
    parser.add_argument("--peers", default="1", help="scales at which check-jsonschema runs too")
    parser.add_argument("--plot", type=Path, default=HERE / "time-vs-size.svg")
    args = parser.parse_args(argv)
    scales = [int(s) for s in args.scales.split(",")]
    peers = {int(s) for s in args.peers.split(",") if s}
    print(f"machine: {machine()}", flush=True)
    byte_compile()
    results = []
    for scale in scales:
        repeat = args.repeat if scale < 10 else max(3, args.repeat // 2) if scale == 10 else 3
        res = measure(scale, repeat, peers)
        results.append(res)
        print(f"{scale}x done: " + ", ".join(f"{n} {f['median_s']:.2f}s" for n, f in res["commands"].items()), flush=True)
    print()
    print(table(results))
    print()
    print("CPU seconds per phase of check (in one process, after interpreter start-up):")
    print()
    print(phase_table(results))
    print()
    for line in targets(results):
        print(f"- {line}")
    OUT.mkdir(exist_ok=True)
    (OUT / "results.json").write_text(json.dumps({"machine": machine(), "results": results}, indent=2) + "\n")
    plot(results, args.plot)
    print(f"\nplot: {args.plot.relative_to(ROOT) if args.plot.is_relative_to(ROOT) else args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
