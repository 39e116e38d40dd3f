"""Where `mopsgov check` spends its CPU time: start-up and imports, load, validate, policies, report.

Runs the same steps as the `check` command, in one process, and prints CPU seconds per phase
as JSON (the parse cache is off, as in a cold CI run).

Usage:
    python3 benchmarks/phases.py MODEL_FOLDER
"""
from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.process_time()  # the interpreter's own start-up is not counted here
os.environ["MOPSGOV_CACHE"] = "off"
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def main(folder: str) -> int:
    phases: dict[str, float] = {}
    mark = STARTED

    def lap(name: str) -> None:
        nonlocal mark
        now = time.process_time()
        phases[name] = round(now - mark, 4)
        mark = now

    import mopsgov.cli  # noqa: F401  (what the command line imports before it runs anything)
    import mopsgov.commands.check  # noqa: F401  (and what the check command adds)
    from mopsgov.check import STAGES, CheckResult, configured_fail_severity
    from mopsgov.finding import sort_findings
    from mopsgov.load.model_loader import load_model
    from mopsgov.report import FORMATS
    lap("imports (check command)")
    model, findings = load_model(folder)
    lap("load")
    names = ["validate", "policies"] + [f"stage {n}" for n in range(3, len(STAGES) + 1)]
    for name, stage in zip(names, STAGES):
        findings = findings + stage(model, findings)
        lap(name)
    result = CheckResult(model, sort_findings(findings), configured_fail_severity(model, None))
    FORMATS["text"](result)
    lap("report (text)")
    print(json.dumps(phases))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
