"""Scale check of the redundancy analysis on its worst shape: many tools for one team that all
share one common capability (every tool "does email"), each with capabilities of its own.

Comparing every pair inside the (team, capability) bucket would check n x (n - 1) / 2 pairs (8
million at 4,000 tools); prefix filtering indexes each tool only under its rarest capabilities,
so no pair is checked here. A second series gives the tools a shared rare capability in pairs,
so there is real work: it must grow linearly, with one pair checked per pair of tools.

Prints one JSON line per size (tools, pairs checked, clusters, CPU seconds) and exits 1 when
the pairs checked are not linear in the tools, or the time grows more than 3x per doubling.

Usage:
    python3 benchmarks/redundancy_scale.py                 # 1,000 to 8,000 tools
    python3 benchmarks/redundancy_scale.py --sizes 500,1000
"""
from __future__ import annotations

import argparse
import json
import math
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from mopsgov.analysis.redundancy import analyze_redundancy  # noqa: E402
from mopsgov.load.model_loader import load_model  # noqa: E402


def write_model(folder: Path, tools: int, paired: bool) -> None:
    lines = ["teams:", "  - {id: field, name: Field marketing, type: internal}", "tools:"]
    for i in range(tools):
        own = f"pair-{i // 2}" if paired else f"own-{i}-a"
        lines.append(f"  - {{id: tool-{i}, name: Tool {i}, category: email-marketing, lifecycle: active, "
                     f"user_teams: [field], capabilities: [email-send, {own}, own-{i}-b]}}")
    (folder / "model.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")


def measure(tools: int, paired: bool) -> dict:
    with tempfile.TemporaryDirectory() as tmp:
        write_model(Path(tmp), tools, paired)
        model, _ = load_model(tmp)
        started = time.process_time()
        found = analyze_redundancy(model, None, {"min_score": 0.6})
        seconds = time.process_time() - started
    return {"tools": tools, "paired": paired, "checked": found.checked, "clusters": len(found.clusters),
            "cpu_s": round(seconds, 3)}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,2000,4000,8000", help="tool counts, comma-separated")
    args = parser.parse_args(argv)
    sizes = sorted(int(s) for s in args.sizes.split(","))
    problems = []
    for paired in (False, True):
        previous = None
        for size in sizes:
            figures = measure(size, paired)
            print(json.dumps(figures))
            expected = size // 2 if paired else 0
            if figures["checked"] != expected:
                problems.append(f"{size} tools (paired={paired}): {figures['checked']} pairs checked, {expected} expected")
            allowed = previous and previous["cpu_s"] * 3 ** math.log2(size / previous["tools"])
            if previous and previous["cpu_s"] > 0.05 and figures["cpu_s"] > allowed:
                problems.append(f"{size} tools (paired={paired}): {figures['cpu_s']} s, more than 3x the time "
                                f"of {previous['tools']} tools ({previous['cpu_s']} s) per doubling")
            previous = figures
    for problem in problems:
        print(f"not near-linear: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
