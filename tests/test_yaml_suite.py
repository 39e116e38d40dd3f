"""The YAML test suite (402 cases) through mopsgov's reader, on the LibYAML and pure-Python paths.

- no case raises: every problem becomes a finding;
- of the 94 must-fail cases (a file named `error`) the reader rejects at least as many as
  PyYAML's LibYAML loader (79);
- where the case has `in.json`, the data read equals it, apart from the known, deliberate
  differences listed in KNOWN_DIFFERENCES (each is a finding that names the problem);
- both parser paths give identical data and positions wherever both read the file.

Run with `-s` to see the counts.
"""
from __future__ import annotations

import json
import math
from collections import Counter
from pathlib import Path

import pytest
import yaml

from conftest import ROOT, SHARED_DATA
from mopsgov.load import yaml_reader
from mopsgov.load.yaml_reader import Limits, ParsedFile, parse_text

SUITE = SHARED_DATA / "yaml-test-suite"
CASES = sorted(p.parent for p in SUITE.rglob("in.yaml"))
LIBYAML_REJECTS = 79  # of the 94 must-fail cases: PyYAML 6.0.3's CSafeLoader (the pure-Python loader: 82)

# Why the data read can differ from in.json. The key is the finding the reader reports instead.
KNOWN_DIFFERENCES = {
    "yaml.multiple-documents": "a model file holds one document; in.json lists several",
    "yaml.tag": "explicit tags (!!str, !local, ...) are refused: a model holds plain data only",
    "yaml.key-type": "keys must be text: null, number, boolean, list and mapping keys are refused",
    "yaml.merge-key": "the YAML 1.1 merge key << is refused (in YAML 1.2 it is a plain key)",
    "yaml.duplicate-key": "a key written twice is refused instead of the last one silently winning",
    "yaml.syntax": "valid YAML that LibYAML (or PyYAML's pure-Python parser) cannot parse",
}

# Valid YAML that LibYAML 0.2.5 reads differently from the spec (and so from in.json): the
# reader gets these events from the parser and cannot tell. None of them occurs in a model file
# written the usual way (block mappings and lists of plain values).
LIBYAML_DEVIATIONS = {
    "652Z": "a plain scalar starting with ? (?foo) is read as a mapping key",
    "HM87/01": "a plain scalar starting with ? in a flow list (?x) is read as a mapping key",
    "JEF9/02": "trailing blank lines of a keep-chomped block scalar (|+) are lost",
    "L24T/01": "a keep-chomped block scalar's last line of spaces is cut short",
    "Y2GN": "an anchor containing a colon (&an:chor) is cut at the colon",
}
# Where PyYAML's pure-Python parser and LibYAML place a node differently. Each is an empty value
# in a flow collection or the end of a block scalar: positions of nothing, which a
# finding cannot point at more usefully either way. Data and everything else agree.
POSITION_DIFFERENCES = {
    "C2DT": "an empty value in a flow mapping: after the colon, or at the closing brace",
    "DFF7": "an empty key in a flow mapping: after the ?, or at the next line",
    "JEF9/02": "the end of a keep-chomped block scalar",
    "L24T/01": "the end of a keep-chomped block scalar",
    "SM9W/00": "the end of a document that is only an empty list entry",
}


def read_root(text: str, fast: bool):
    """(root value, findings) from the reader's builder, keeping a root that is not a mapping.

    parse_text withholds such a root (a model file must be a mapping); the suite compares it.
    """
    result = ParsedFile("in.yaml")
    builder = yaml_reader._Builder(result, Limits())
    parser = yaml_reader._parser(text, fast)
    try:
        builder.run(parser)
    except (yaml_reader._Stop, yaml.YAMLError):
        return None, parse_text(text, "in.yaml", fast=fast).findings
    finally:
        parser.dispose()
    return builder.root, result.findings


def json_documents(path: Path) -> list:
    decoder, text, out, index = json.JSONDecoder(), path.read_text(encoding="utf-8"), [], 0
    while True:
        while index < len(text) and text[index].isspace():
            index += 1
        if index >= len(text):
            return out
        value, index = decoder.raw_decode(text, index)
        out.append(value)


def same(a, b) -> bool:
    """Equal as JSON data: 1 == 1.0 as in JSON, but true is not 1."""
    if isinstance(a, bool) or isinstance(b, bool):
        return a is b
    if isinstance(a, (int, float)) and isinstance(b, (int, float)):
        return a == b or (isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b))
    return type(a) is type(b) and a == b


def positions(spans: dict) -> dict:
    return {path: (s.line, s.column, e.line, e.column) for path, (s, e) in spans.items()}


def case_text(case: Path) -> str:
    return (case / "in.yaml").read_bytes().decode("utf-8")


@pytest.fixture(scope="module")
def outcomes():
    """case -> {fast: ParsedFile, pure: ParsedFile}; an exception fails the test that reads it."""
    out = {}
    for case in CASES:
        text = case_text(case)
        out[case] = {fast: parse_text(text, "in.yaml", fast=fast) for fast in (True, False)}
    return out


def test_suite_is_complete():
    assert len(CASES) == 402
    assert sum((c / "error").exists() for c in CASES) == 94


def test_no_case_raises():
    for case in CASES:
        for fast in (True, False):
            parse_text(case_text(case), "in.yaml", fast=fast)  # raises on failure


def _rejected(parsed: ParsedFile) -> bool:
    return any(f.rule.startswith("yaml.") and f.severity.label == "error" for f in parsed.findings)


def test_must_fail_cases_are_rejected(outcomes):
    must_fail = [c for c in CASES if (c / "error").exists()]
    fast = sum(_rejected(outcomes[c][True]) for c in must_fail)
    pure = sum(_rejected(outcomes[c][False]) for c in must_fail)
    syntax = sum(any(f.rule == "yaml.syntax" for f in outcomes[c][True].findings) for c in must_fail)
    print(f"\nmust-fail cases rejected: {fast} of {len(must_fail)} (LibYAML path; {syntax} as syntax errors), "
          f"{pure} (pure-Python path); PyYAML's LibYAML loader rejects {LIBYAML_REJECTS}")
    assert fast >= LIBYAML_REJECTS
    assert pure >= LIBYAML_REJECTS


def test_data_equals_in_json_but_for_known_differences():
    compared, kinds = 0, Counter()
    unexplained = []
    for case in CASES:
        if not (case / "in.json").exists() or (case / "error").exists():
            continue
        expected = json_documents(case / "in.json")
        root, findings = read_root(case_text(case), fast=True)
        reasons = sorted({f.rule for f in findings if f.severity.label == "error"})
        if reasons:
            known = [r for r in reasons if r in KNOWN_DIFFERENCES]
            if not known:
                unexplained.append((case.relative_to(SUITE).as_posix(), reasons))
            kinds[known[0] if known else reasons[0]] += 1
            continue
        if len(expected) == 0:
            expected = [None]
        compared += 1
        name = case.relative_to(SUITE).as_posix()
        if not same(root, expected[0]):
            if name in LIBYAML_DEVIATIONS:
                kinds["LibYAML deviation"] += 1
            else:
                unexplained.append((name, root, expected[0]))
        elif name in LIBYAML_DEVIATIONS:
            unexplained.append((name, "now reads as in.json: drop it from LIBYAML_DEVIATIONS"))
    print(f"\nin.json cases: {compared - kinds['LibYAML deviation']} read equal to in.json; known differences: "
          + ", ".join(f"{rule} {n}" for rule, n in sorted(kinds.items())))
    assert unexplained == []
    assert compared - len(LIBYAML_DEVIATIONS) >= 150


def test_fast_and_pure_python_paths_agree(outcomes):
    """Identical data, positions, raw number text and findings wherever both paths read the file."""
    agreed, parser_differences = 0, []
    for case in CASES:
        fast, pure = outcomes[case][True], outcomes[case][False]
        syntax = [any(f.rule == "yaml.syntax" for f in p.findings) for p in (fast, pure)]
        if any(syntax):
            # The two parsers word syntax errors differently and disagree on a few inputs.
            if syntax[0] != syntax[1]:
                parser_differences.append(case.relative_to(SUITE).as_posix())
            continue
        name = case.relative_to(SUITE).as_posix()
        assert same(fast.data, pure.data), name
        assert fast.raw == pure.raw, name
        if name in POSITION_DIFFERENCES:
            assert positions(fast.spans) != positions(pure.spans) or fast.findings != pure.findings, \
                f"{name} now agrees: drop it from POSITION_DIFFERENCES"
            continue
        assert positions(fast.spans) == positions(pure.spans), name
        assert positions(fast.key_spans) == positions(pure.key_spans), name
        assert [(f.rule, f.message, f.location) for f in fast.findings] == \
               [(f.rule, f.message, f.location) for f in pure.findings], name
        agreed += 1
    print(f"\nLibYAML and pure-Python paths agree on {agreed} cases; only one of them rejects "
          f"{len(parser_differences)}: {', '.join(parser_differences)}")
    assert agreed >= 250
    assert len(parser_differences) <= 27  # PyYAML 6.0.3: the pure-Python parser rejects more


def model_files() -> list[Path]:
    """The shipped examples, the test fixtures, and a slice of the generated benchmark model."""
    import sys
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from generate import generate
    generated = ROOT / "benchmarks" / "out" / "model-1x"
    if not generated.exists():
        generate(generated, 1)
    picked = sorted(generated.rglob("*-0001.yaml"))
    return sorted((ROOT / "examples").rglob("*.yaml")) + sorted((ROOT / "tests" / "fixtures").rglob("*.yaml")) + picked


def test_fast_and_pure_python_paths_agree_on_model_files():
    files = model_files()
    for path in files:
        try:
            text = path.read_bytes().decode("utf-8")
        except UnicodeDecodeError:
            continue  # the fixtures hold deliberately broken encodings
        fast, pure = parse_text(text, path.name, fast=True), parse_text(text, path.name, fast=False)
        if any(f.rule == "yaml.syntax" for f in fast.findings + pure.findings):
            assert [f.rule for f in fast.findings] == [f.rule for f in pure.findings], path
            continue
        assert same(fast.data, pure.data), path
        assert positions(fast.spans) == positions(pure.spans), path
        assert positions(fast.key_spans) == positions(pure.key_spans), path
        assert fast.raw == pure.raw, path
        assert fast.findings == pure.findings, path
    assert len(files) >= 10
