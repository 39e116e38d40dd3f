"""The YAML test suite (402 cases) through mopsgov's reader, on the LibYAML and pure-Python paths.

- no case raises: every problem becomes a finding;
- of the 94 must-fail cases (a file named `error`) the reader rejects at least as many as
  PyYAML's LibYAML loader (79);
- where the case has `in.json`, the data read equals it, apart from the valid cases the reader
  refuses, each listed by name in REFUSED with its reason and the findings it gives;
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

# Valid YAML with an in.json that the reader refuses, case by case: (why, the rules it reports,
# the cases). A refusal of any other valid case fails the test, and so does a case listed here
# that is read again.
REFUSED = [
    ("a model file holds one document; in.json lists several", {"yaml.multiple-documents"},
     ["35KP", "6XDY", "6ZKB", "9DXL", "9KAX", "JHB9", "KSS4", "L383", "PUW8", "RZT7", "U9NS"]),
    ("several documents, the first with an explicit tag", {"yaml.multiple-documents", "yaml.tag"},
     ["5TYM", "6WLZ", "9WXW"]),
    ("explicit tags (!!str, !local, ...) are refused: a model holds plain data only", {"yaml.tag"},
     ["2AUY", "2XXW", "33X3", "565N", "6CK3", "74H7", "7FWL", "C4HZ", "CC74", "CUP7", "F2C7", "J7PZ", "L94M",
      "M5C3", "P76L", "UGM3", "Z67P", "Z9M4"]),
    # The rest is valid YAML that LibYAML cannot parse: a syntax error on that path.
    ("a tab where YAML 1.2 allows one as separation (LibYAML allows spaces only)", {"yaml.syntax"},
     ["6BCT", "6CA3", "96NN/00", "96NN/01", "A2M4", "DK95/00", "DK95/03", "DK95/04", "Q5MG", "R4YG", "Y79Y/001",
      "Y79Y/010"]),
    ("a flow mapping key spread over lines, or its colon on the next line", {"yaml.syntax"},
     ["4MUZ/00", "4MUZ/01", "4MUZ/02", "5MUD", "9SA2", "K3WX", "NJ66", "UT92", "VJP3/01"]),
    ("a plain value starting with a colon inside a flow collection (:x, ::vector)", {"yaml.syntax"},
     ["58MP", "5T43", "DBG4", "HM87/00"]),
    ("document markers: a document of only `...`, a bare document after `...`, a block scalar at "
     "column 0 after `--- >`", {"yaml.syntax"}, ["7Z25", "DK3J", "FP8R", "HWV9", "M7A3", "QT73"]),
    ("directives LibYAML does not know: reserved ones, %YAML 1.3, %YAML repeated after `...`", {"yaml.syntax"},
     ["2LFX", "6LVF", "BEC7", "MUS6/05", "MUS6/06", "W4TN"]),
    ("an anchor name with characters LibYAML refuses (an emoji, : @ * ! $ \" < >)", {"yaml.syntax"},
     ["8XYN", "W5VH"]),
    ("an anchor name ending in a colon (&a:), read by LibYAML as an anchor on a key", {"yaml.syntax", "yaml.key-type"},
     ["2SXE"]),
    ("an empty text key (`!!str : bar`): keys must be field names", {"yaml.key-type"}, ["WZ62"]),
]
REFUSED_CASES = {case: (why, rules) for why, rules, cases in REFUSED for case in cases}

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
        name = case.relative_to(SUITE).as_posix()
        root, findings = read_root(case_text(case), fast=True)
        reasons = {f.rule for f in findings if f.severity.label == "error"}
        if reasons or name in REFUSED_CASES:
            listed = REFUSED_CASES.get(name, (None, None))[1]
            if reasons != listed:
                unexplained.append((name, sorted(reasons), "listed in REFUSED as", listed))
            kinds[" + ".join(sorted(reasons))] += 1
            continue
        if len(expected) == 0:
            expected = [None]
        compared += 1
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


# Where both parsers refuse a file and a common mistake is recognised, the finding is the same;
# here they stop at different places of one file.
SYNTAX_DIFFERENCES = {
    "6BCT": "tabs on two lines: LibYAML stops at the second, the pure-Python parser at the first",
}


def syntax_findings(parsed: ParsedFile) -> list:
    return [(f.message, f.location, f.fix) for f in parsed.findings if f.rule == "yaml.syntax"]


def test_fast_and_pure_python_paths_agree(outcomes):
    """Identical data, positions, raw number text and findings wherever both paths read the file,
    and identical syntax findings wherever both refuse it for a mistake put in plain words."""
    agreed, parser_differences, same_syntax = 0, [], 0
    for case in CASES:
        fast, pure = outcomes[case][True], outcomes[case][False]
        name = case.relative_to(SUITE).as_posix()
        syntax = [syntax_findings(p) for p in (fast, pure)]
        if any(syntax):
            # The two parsers disagree on a few inputs, and word uncommon errors differently.
            if bool(syntax[0]) != bool(syntax[1]):
                parser_differences.append(name)
            elif not all(m.startswith("YAML syntax error: ") for m, _, _ in syntax[0] + syntax[1]):
                assert (syntax[0] == syntax[1]) != (name in SYNTAX_DIFFERENCES), name
                same_syntax += syntax[0] == syntax[1]
            continue
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
    print(f"\nLibYAML and pure-Python paths agree on {agreed} cases and give the same plain-language syntax "
          f"finding on {same_syntax}; only one of them rejects {len(parser_differences)}: {', '.join(parser_differences)}")
    assert agreed >= 250
    assert same_syntax >= 67
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
            assert fast.findings == pure.findings, path
            continue
        assert same(fast.data, pure.data), path
        assert positions(fast.spans) == positions(pure.spans), path
        assert positions(fast.key_spans) == positions(pure.key_spans), path
        assert fast.raw == pure.raw, path
        assert fast.findings == pure.findings, path
    assert len(files) >= 10
