"""Where `mopsgov check` spends its CPU time: start-up and imports, load, validate, policies, report.

Runs the same steps as the `check` command, in one process, and prints CPU seconds per phase
as JSON (the parse cache is off, as in a cold CI run). The files are read in this one process
(MOPSGOV_JOBS=1): `check` itself reads a large model on several processors, whose CPU time a
process's own clock would not count.

The policy stage is measured in two parts, so that its cost can be set against the target
"evaluating all built-in rules adds at most 20% to check":

- "policies: rules without graph analyses": loading and compiling every enabled pack, applying
  mopsgov.yaml, and evaluating the rules whose predicates are not graph analyses;
- "policies: graph analyses": evaluating the rules of the graph analyses (mopsgov.analysis),
  then the waivers over all findings.

Their sum is the whole policy stage (the steps of mopsgov.rules.stage.judge and report, in order;
`check` itself evaluates the policies while a forked copy validates a large model).
The rest of check is every other phase; benchmarks/run.py reports both parts as a percentage
of it.

Usage:
    python3 benchmarks/phases.py MODEL_FOLDER
"""
from __future__ import annotations

import json
import os
import sys
import time

STARTED = time.process_time()  # the interpreter's own start-up is not counted here
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))


def main(folder: str) -> int:
    os.environ["MOPSGOV_CACHE"] = "off"  # before mopsgov is imported
    os.environ["MOPSGOV_JOBS"] = "1"  # every file read in this process, so that its CPU time counts here
    phases: dict[str, float] = {}
    mark = STARTED

    def lap(name: str) -> None:
        nonlocal mark
        now = time.process_time()
        phases[name] = round(now - mark, 4)
        mark = now

    import mopsgov.cli  # noqa: F401  (what the command line imports before it runs anything)
    import mopsgov.commands.check  # noqa: F401  (and what the check command adds)
    from mopsgov.check import CheckResult, configured_fail_severity
    from mopsgov.finding import sort_findings
    from mopsgov.load.model_loader import load_model
    from mopsgov.report import FORMATS
    from mopsgov.gc_pause import paused_gc
    from mopsgov.validate import validate_model
    lap("imports (check command)")
    with paused_gc():  # as run_check runs them
        model, findings = load_model(folder)
        lap("load")
        findings = findings + validate_model(model)
        lap("validate")
        findings = findings + policy_parts(model, findings, lap)
    result = CheckResult(model, sort_findings(findings), configured_fail_severity(model, None))
    FORMATS["text"](result)
    lap("report (text)")
    print(json.dumps(phases))
    return 0


def policy_parts(model, findings_so_far: list, lap) -> list:
    """The policy stage in two laps: the rules without graph analyses, then the graph analyses and waivers."""
    from mopsgov.rules.config import configure, load_rules
    from mopsgov.rules.engine import evaluate
    from mopsgov.rules.registry import PREDICATE_MODULES, RuleContext
    from mopsgov.rules.stage import Judgement, incomplete, report
    from mopsgov.rules.waivers import apply_waivers

    if incomplete(model) or not any(model.entities.values()):
        lap(GRAPHLESS)
        lap(GRAPH)
        return []
    rules, problems = load_rules(model)
    active, more = configure(rules, model)
    graph = PREDICATE_MODULES[1]  # mopsgov.analysis.predicates

    def is_graph(item) -> bool:
        return item.rule.predicate is not None and item.rule.predicate.function.__module__ == graph
    ctx = RuleContext(model, model.as_of)
    found = evaluate(model, [a for a in active if not is_graph(a)], ctx)
    lap(GRAPHLESS)
    found += evaluate(model, [a for a in active if is_graph(a)], ctx)
    judgement = Judgement(problems + more, apply_waivers(model, found, {rule.id for rule in rules}), active)
    out = report(model, judgement, findings_so_far)
    lap(GRAPH)
    return out


GRAPHLESS = "policies: rules without graph analyses"
GRAPH = "policies: graph analyses"


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
