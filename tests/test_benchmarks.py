"""The benchmark harness: the synthetic model is valid and deterministic; the plot is well-formed SVG."""
from __future__ import annotations

import hashlib
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import ROOT
from mopsgov.check import run_check

sys.path.insert(0, str(ROOT / "benchmarks"))
import generate  # noqa: E402
import run  # noqa: E402


def digest(folder: Path) -> str:
    out = hashlib.sha256()
    for path in sorted(folder.rglob("*.yaml")):
        out.update(path.relative_to(folder).as_posix().encode() + b"\0" + path.read_bytes())
    return out.hexdigest()


def test_the_synthetic_model_passes_check_without_errors(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_CACHE", "off")
    counts = generate.generate(tmp_path / "m", 1)
    assert counts == {"team": 12, "role": 100, "tool": 400, "data": 60, "process": 200, "flow": 2000,
                      "kpi": 100, "sla": 60, "goal": 30}
    result = run_check(str(tmp_path / "m"))
    assert result.counts()["error"] == 0
    assert result.exit_code == 0
    assert len(result.model.files) == 32
    assert sum(len(p.get("steps")) for p in result.model.of("process")) == 1000
    sizes = [p.stat().st_size for p in (tmp_path / "m").rglob("*.yaml")]
    assert max(sizes) < 200_000  # far below the 10 MiB file limit


def test_the_synthetic_model_is_deterministic(tmp_path: Path):
    generate.generate(tmp_path / "a", 2, seed=3)
    generate.generate(tmp_path / "b", 2, seed=3)
    generate.generate(tmp_path / "c", 2, seed=4)
    assert digest(tmp_path / "a") == digest(tmp_path / "b")
    assert digest(tmp_path / "a") != digest(tmp_path / "c")
    assert sum(1 for _ in (tmp_path / "a").rglob("*.yaml")) == 64  # mopsgov.yaml and 63 files of entities


def test_the_plot_is_svg_with_one_line_per_command(tmp_path: Path):
    results = [{"scale": s, "bytes": s * 1_000_000, "commands": {
        "bare load": {"median_s": 0.4 * s}, "check": {"median_s": 0.6 * s}}} for s in (1, 10, 50)]
    run.plot(results, tmp_path / "p.svg")
    svg = ET.parse(tmp_path / "p.svg").getroot()
    lines = svg.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(lines) == 2
    assert [len(line.get("points").split()) for line in lines] == [3, 3]
    labels = [t.text for t in svg.findall("{http://www.w3.org/2000/svg}text")]
    assert "bare load" in labels and "check" in labels


def test_the_policy_stage_measured_in_two_parts_gives_the_findings_of_the_stage():
    import phases
    from mopsgov.load.model_loader import load_model
    from mopsgov.rules.stage import judge, report

    model, findings = load_model(str(ROOT / "examples" / "enterprise"))
    laps: list[str] = []
    parts = phases.policy_parts(model, findings, laps.append)
    assert laps == [phases.GRAPHLESS, phases.GRAPH]
    assert sorted(parts, key=lambda f: f.sort_key()) == sorted(report(model, judge(model), findings), key=lambda f: f.sort_key())
    assert any(f.rule == "coverage.gap" for f in parts) and any(f.rule == "raci.accountable-overload" for f in parts)


def test_the_policy_cost_is_reported_against_the_rest_of_check():
    cpu = {"imports (check command)": 0.4, "load": 0.4, "validate": 0.1, "policies: rules without graph analyses": 0.05,
           "policies: graph analyses": 0.1, "report (text)": 0.1}
    assert run.policy_cost({"scale": 1, "check_phases_cpu_s": cpu}) == [
        "policy stage at 1x / rest of check (CPU, in process): rules without graph analyses 5%, all rules 15% (target <= 20%)"]
    assert run.policy_cost({"scale": 10, "check_phases_cpu_s": {"policies": 1.0}}) == []
