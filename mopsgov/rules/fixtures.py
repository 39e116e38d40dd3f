"""Rule tests: run each rule on its fixtures and compare the findings with what they expect.

Fixtures live in a `tests/` folder beside a pack's rules, one YAML file per rule
(`schemas/policy-test.schema.json`): small inline models, each with the number of findings per
rule id it must produce. A rule that reports more or fewer findings than expected fails, in the
spirit of `conftest verify` and `kyverno test`.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from mopsgov.finding import Finding, Location, Severity, sort_findings
from mopsgov.load.model_loader import YAML_SUFFIXES, _collect, read_file
from mopsgov.load.yaml_reader import Limits, ParsedFile
from mopsgov.model import Model
from mopsgov.rules.config import configure
from mopsgov.rules.engine import evaluate
from mopsgov.rules.pack import TESTS_FOLDER, Rule
from mopsgov.rules.waivers import apply_waivers
from mopsgov.validate import field_label
from mopsgov.validate.schema_compiler import Compiler, Context, suggest

TEST_SCHEMA = "policy-test.schema.json"


@lru_cache(maxsize=None)
def _test_check():
    return Compiler().compile_file(TEST_SCHEMA)


@dataclass
class Case:
    name: str
    rule: str
    expect: dict[str, int]
    model: Model
    location: Location
    text: str  # the case's model as written, for mopsgov explain

    @property
    def passing(self) -> bool:
        return self.expect.get(self.rule, 0) == 0


@dataclass
class CaseResult:
    case: Case
    got: dict[str, int]
    findings: list[Finding]

    @property
    def ok(self) -> bool:
        return all(self.got.get(rule, 0) == count for rule, count in self.expect_all().items())

    def expect_all(self) -> dict[str, int]:
        return {self.case.rule: 0, **self.case.expect}


@dataclass
class RuleReport:
    rule: Rule
    results: list[CaseResult] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.results)

    @property
    def complete(self) -> bool:
        return any(r.case.passing for r in self.results) and any(not r.case.passing for r in self.results)


def fixture_files(pack_folder: Path) -> list[Path]:
    folder = pack_folder / TESTS_FOLDER
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.suffix in YAML_SUFFIXES and p.is_file() and not p.name.startswith("."))


def _view(source: ParsedFile, prefix: tuple, data) -> ParsedFile:
    """The part of a parsed file under prefix, as a file of its own that keeps the real positions."""
    n = len(prefix)
    spans = source.spans.under(prefix)
    raw = {p[n:]: v for p, v in source.raw.items() if p[:n] == prefix}
    return ParsedFile(source.file, data=data, spans=spans, raw=raw)


def _slice(lines: list[str], source: ParsedFile, path: tuple) -> str:
    start, end = source.spans[path]
    # A block ends where the next token starts: keep that line only if the block has text on it.
    last = end.line + (1 if lines[end.line:end.line + 1] and lines[end.line][:end.column].strip() else 0)
    chunk = lines[start.line:last]
    indent = min((len(l) - len(l.lstrip()) for l in chunk if l.strip()), default=0)
    return "\n".join(l[indent:] for l in chunk).rstrip() + "\n"


def read_cases(fs_path: Path, display: str, known: dict[str, Rule],
               tested: Collection[str] | None = None) -> tuple[list[Case], list[Finding]]:
    """The cases of one test file; `known` are the rules its ids may name, `tested` (when given) the
    ids whose files are read: a file about another known rule is skipped without a word."""
    source = read_file(fs_path, display, Limits())
    findings = list(source.findings)
    if any(f.severity == Severity.ERROR for f in findings) or not isinstance(source.data, dict):
        return [], findings or [Finding("policy.test-invalid", Severity.ERROR, "the rule test file is empty", Location(display, 1, 1))]
    ctx = Context(raw=source.raw)
    _test_check()(source.data, (), ctx)
    for problem in ctx.problems:
        label = field_label(source.data, problem.path) or "the file"
        findings.append(Finding("policy.test-invalid", Severity.ERROR, f'"{label}" {problem.message}',
                                source.location(problem.path, key=problem.at_key), fix=problem.fix))
    if findings:
        return [], findings
    data = source.data
    if tested is not None and data["rule"] in known and data["rule"] not in tested:
        return [], []  # the test of a rule in another pack file of the folder
    for rule_id, path in [(data["rule"], ("rule",))] + [
            (r, ("cases", i, "expect", r)) for i, c in enumerate(data["cases"]) for r in c.get("expect", {})]:
        if rule_id not in known and not rule_id.startswith("waiver."):
            guess = suggest(rule_id, known)
            findings.append(Finding("policy.test-invalid", Severity.ERROR, f'the rule "{rule_id}" is in none of the packs of this folder',
                                    source.location(path, key=path[-1] == rule_id), fix=f'Did you mean "{guess}"?' if guess else None))
    if findings:
        return [], findings
    lines = fs_path.read_text(encoding="utf-8").splitlines()
    cases = []
    for index, item in enumerate(data["cases"]):
        config = {**data.get("config", {}), **item.get("config", {})}
        model = Model(root=display, config=config)
        model_path = ("cases", index, "model")
        view = _view(source, model_path, item["model"])
        model.files.append(view)
        _collect(model, view)
        cases.append(Case(item["name"], data["rule"], dict(item.get("expect", {})), model,
                          source.location(("cases", index, "name")), _slice(lines, source, model_path)))
    return cases, findings


def run_case(case: Case, rules: dict[str, Rule]) -> CaseResult:
    wanted = {case.rule, *case.expect}
    active, problems = configure(list(rules.values()), case.model)
    active = [a for a in active if a.rule.id in wanted]
    findings = apply_waivers(case.model, evaluate(case.model, active), set(rules)) + problems
    findings = sort_findings(f for f in findings if f.suppressed_by is None)
    return CaseResult(case, dict(Counter(f.rule for f in findings)), findings)


def run_tests(rules: list[Rule], folders: list[tuple[Path, str]], neighbours: list[Rule] = ()) -> tuple[list[RuleReport], list[Finding]]:
    """Reports for every rule (in pack order) and the problems found in the test files.

    `neighbours` are the other rules of the packs' folders: their tests are not run, but a case
    may expect their findings (a pack file tested on its own, beside the folder's other files).
    """
    by_id = {**{rule.id: rule for rule in neighbours}, **{rule.id: rule for rule in rules}}
    reports = {rule.id: RuleReport(rule) for rule in rules}
    problems: list[Finding] = []
    for folder, display in folders:
        for fs_path in fixture_files(folder):
            cases, found = read_cases(fs_path, f"{display}/{TESTS_FOLDER}/{fs_path.name}", by_id, reports)
            problems += found
            for case in cases:
                reports[case.rule].results.append(run_case(case, by_id))
    return list(reports.values()), problems
