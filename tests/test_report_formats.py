"""Output formats of `check`: SARIF and JUnit valid against the official schema and XSD, exact
GitHub annotations and markdown, colour rules, several formats in one run."""
from __future__ import annotations

import json
import os
import pty
import shutil
import subprocess
import sys

import jsonschema
import pytest
from lxml import etree

from conftest import ROOT, SHARED_DATA, run_cli
from mopsgov.check import run_check
from mopsgov.finding import Finding, Location, Severity
from mopsgov.report import FORMATS, github, junit, markdown, sarif, text

SMALL = "tests/fixtures/workflow/small"
# every model the tests ship: the examples and the broken fixtures
MODELS = sorted(p.relative_to(ROOT).as_posix() for pattern in ("examples/*", "tests/fixtures/broken/*")
                for p in ROOT.glob(pattern) if p.is_dir()) + [SMALL, "tests/fixtures/workflow/renewals"]


@pytest.fixture(scope="module")
def sarif_validator():
    schema = json.loads((SHARED_DATA / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))
    return jsonschema.Draft4Validator(schema)


@pytest.fixture(scope="module")
def junit_schema():
    return etree.XMLSchema(etree.parse(str(SHARED_DATA / "junit.xsd")))


def _result(path: str):
    cwd = os.getcwd()
    os.chdir(ROOT)
    try:
        return run_check(path)
    finally:
        os.chdir(cwd)


@pytest.mark.parametrize("path", MODELS)
def test_sarif_valid_against_the_official_schema(path, sarif_validator):
    result = _result(path)
    document = json.loads(sarif.render(result))
    errors = sorted(sarif_validator.iter_errors(document), key=str)
    assert errors == []
    run = document["runs"][0]
    assert len(run["results"]) == len(result.findings)
    rule_ids = [r["id"] for r in run["tool"]["driver"]["rules"]]
    assert rule_ids == sorted({f.rule for f in result.findings})
    for item in run["results"]:
        assert rule_ids[item["ruleIndex"]] == item["ruleId"]
        rule = run["tool"]["driver"]["rules"][item["ruleIndex"]]
        assert rule["shortDescription"]["text"] and rule["fullDescription"]["text"] and rule["help"]["text"]


@pytest.mark.parametrize("path", MODELS)
def test_junit_valid_against_the_xsd(path, junit_schema):
    result = _result(path)
    document = etree.fromstring(junit.render(result).encode("utf-8"))
    assert junit_schema.validate(document), junit_schema.error_log
    failures = sum(int(s.get("failures")) for s in document.iter("testsuite"))
    assert failures == len(result.failing())


def test_sarif_result_has_exact_region_and_fingerprint():
    document = json.loads(sarif.render(_result(SMALL)))
    first = document["runs"][0]["results"][0]
    fingerprint = first.pop("partialFingerprints")["mopsgovFinding/v1"]
    assert len(fingerprint) == 32
    assert first == {
        "ruleId": "ref.unresolved", "ruleIndex": 0, "level": "error",
        "message": {"text": 'tool "crm": "owner" names role "mops-manger", which is not in the model\nFix: Did you mean "mops-manager"?'},
        "locations": [{
            "physicalLocation": {"artifactLocation": {"uri": f"{SMALL}/tools.yaml", "uriBaseId": "%SRCROOT%"},
                                 "region": {"startLine": 6, "startColumn": 12, "endLine": 6, "endColumn": 23}},
            "logicalLocations": [{"name": "crm", "fullyQualifiedName": "tool:crm", "kind": "object"}]}],
        "properties": {"fix": 'Did you mean "mops-manager"?', "path": "$.tools[0].owner"},
    }
    assert document["runs"][0]["tool"]["driver"]["rules"][0]["fullDescription"]["text"] == \
        "Every id a field names exists in the model with the expected kind."
    assert document["runs"][0]["invocations"] == [{"executionSuccessful": True, "exitCode": 1}]


def test_suppressed_findings_in_sarif_junit_and_github(sarif_validator, junit_schema):
    result = _result(SMALL)
    result.findings[0] = result.findings[0].replace(suppressed_by="waived by waiver legacy-crm until 2027-03-31")
    result.findings[1] = result.findings[1].replace(suppressed_by="baseline")
    document = json.loads(sarif.render(result))
    assert list(sarif_validator.iter_errors(document)) == []
    assert [r["suppressions"] for r in document["runs"][0]["results"]] == [
        [{"kind": "inSource", "status": "accepted", "justification": "waived by waiver legacy-crm until 2027-03-31"}],
        [{"kind": "external", "status": "accepted", "justification": "recorded in the baseline file"}],
    ]
    tree = etree.fromstring(junit.render(result).encode())
    assert junit_schema.validate(tree)
    assert [(s.get("name"), s.get("tests"), s.get("failures"), s.get("skipped")) for s in tree.iter("testsuite")] == [
        (f"{SMALL}/people.yaml", "1", "0", "0"), (f"{SMALL}/tools.yaml", "2", "0", "2")]
    # waivers and the baseline show in the annotations too: notices that say what covers the finding
    assert github.render(result).splitlines() == [
        f"::notice file={SMALL}/tools.yaml,line=6,col=12,endLine=6,endColumn=23,title=ref.unresolved (waived)::"
        'waived by waiver legacy-crm until 2027-03-31 (error): tool "crm": "owner" names role "mops-manger", '
        'which is not in the model%0AFix: Did you mean "mops-manager"?',
        f"::notice file={SMALL}/tools.yaml,line=10,col=15,endLine=10,endColumn=36,title=vocabulary.unknown-term (baselined)::"
        'recorded in the baseline (error): tool "map": "category" is "marketing-automations", which is not among the known '
        'categories%0AFix: Did you mean "marketing-automation"? If not, add it under vocabulary.categories in mopsgov.yaml.',
        "2 waived or baselined in 2 files: check passed (fail severity: error)",
    ]


def test_github_annotations_exact():
    assert github.render(_result(SMALL)).splitlines() == [
        f'::error file={SMALL}/tools.yaml,line=6,col=12,endLine=6,endColumn=23,title=ref.unresolved::'
        'tool "crm": "owner" names role "mops-manger", which is not in the model%0AFix: Did you mean "mops-manager"?',
        f'::error file={SMALL}/tools.yaml,line=10,col=15,endLine=10,endColumn=36,title=vocabulary.unknown-term::'
        'tool "map": "category" is "marketing-automations", which is not among the known categories'
        '%0AFix: Did you mean "marketing-automation"? If not, add it under vocabulary.categories in mopsgov.yaml.',
        "2 errors in 2 files: check failed (fail severity: error)",
    ]


def test_github_escapes_properties_and_data():
    finding = Finding("x.rule", Severity.INFO, "100% done\r\nnext", Location("a,b:c.yaml", 3, 4, 5, 6))
    assert github.annotation("notice", finding.message, finding, "t,i:tle") == \
        "::notice file=a%2Cb%3Ac.yaml,line=3,col=4,endLine=5,title=t%2Ci%3Atle::100%25 done%0D%0Anext"


def test_markdown_report_exact():
    assert markdown.render(_result(SMALL)).splitlines() == [
        "## mopsgov check ❌ failed",
        "",
        "Model **Small \\<Model\\> \\& Co**, 2 files, fail severity **error**.",
        "",
        "2 errors · 0 warnings · 0 info · 0 waived or baselined",
        "",
        "| Severity | Rule | Where | Finding |",
        "|---|---|---|---|",
        f'| error | `ref.unresolved` | `{SMALL}/tools.yaml:6:12` | tool "crm": "owner" names role "mops-manger", '
        'which is not in the model<br>**Fix:** Did you mean "mops-manager"? |',
        f'| error | `vocabulary.unknown-term` | `{SMALL}/tools.yaml:10:15` | tool "map": "category" is '
        '"marketing-automations", which is not among the known categories<br>**Fix:** Did you mean '
        '"marketing-automation"? If not, add it under vocabulary.categories in mopsgov.yaml. |',
    ]


def test_markdown_escapes_markup_from_the_model():
    assert markdown.md("a|b <img src=x> [x](y) @team #12 *b*") == \
        "a\\|b \\<img src=x\\> \\[x\\](y) \\@team \\#12 \\*b\\*"
    assert markdown.code("a`b|c") == "`aˋb¦c`"


def test_text_colour_only_on_request_and_line_format_kept():
    result = _result(SMALL)
    plain = text.render(result)
    coloured = text.render(result, color=True)
    assert "\033[" not in plain
    assert coloured.splitlines()[0] == (f"{SMALL}/tools.yaml:6:12: \033[1;31merror\033[0m ref.unresolved tool \"crm\": "
                                        "\"owner\" names role \"mops-manger\", which is not in the model")
    assert coloured.replace("\033[1;31m", "").replace("\033[0m", "") == plain


class _Tty:
    def isatty(self):
        return True


def test_no_color_is_respected(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    assert text.use_color(_Tty()) is True
    monkeypatch.setenv("NO_COLOR", "1")
    assert text.use_color(_Tty()) is False
    monkeypatch.delenv("NO_COLOR")
    assert text.use_color(open(os.devnull, "w")) is False


def _on_a_terminal(*args, env):
    master, slave = pty.openpty()
    done = subprocess.run([sys.executable, "-m", "mopsgov", *args], cwd=ROOT, stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    out = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the terminal is closed and drained
            break
        if not chunk:
            break
        out += chunk
    os.close(master)
    return done.returncode, out.decode("utf-8").replace("\r\n", "\n")


def test_cli_colours_a_terminal_unless_no_color():
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    code, out = _on_a_terminal("check", SMALL, env=env)
    assert code == 1
    assert out == text.render(_result(SMALL), color=True)
    code, out = _on_a_terminal("check", SMALL, env={**env, "NO_COLOR": "1"})
    assert out == text.render(_result(SMALL))


def test_cli_never_colours_a_pipe():
    done = run_cli("check", SMALL)
    assert done.returncode == 1
    assert "\033[" not in done.stdout


def test_several_formats_each_to_its_own_file(tmp_path, sarif_validator):
    done = run_cli("check", SMALL, "--format", "sarif", "--output", str(tmp_path / "out" / "f.sarif"),
                   "--format", "junit", "-o", str(tmp_path / "f.xml"), "--format", "text")
    assert done.returncode == 1
    assert done.stdout == text.render(_result(SMALL))
    assert list(sarif_validator.iter_errors(json.loads((tmp_path / "out" / "f.sarif").read_text()))) == []
    assert (tmp_path / "f.xml").read_text().startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites>')
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["f.sarif", "f.xml", "out"]  # no temporary files left


def test_only_files_prints_the_summary(tmp_path):
    done = run_cli("check", SMALL, "--format=json", "--output", str(tmp_path / "r.json"))
    assert done.stdout == "2 errors in 2 files: check failed (fail severity: error)\n"
    assert json.loads((tmp_path / "r.json").read_text())["summary"]["error"] == 2


def test_lone_output_takes_the_default_text(tmp_path):
    done = run_cli("check", SMALL, "--output", str(tmp_path / "r.txt"))
    assert done.returncode == 1
    assert (tmp_path / "r.txt").read_text() == text.render(_result(SMALL))


@pytest.mark.parametrize("args, message", [
    (["--format", "json", "--format", "sarif"], "only one format can go to the screen, not json, sarif"),
    (["--output", "a", "--format", "json"], "--output a comes before any --format"),
    (["--format", "json", "--output", "a", "--output", "b"], "--format json already writes to a"),
    (["--format", "json", "--output", "a", "--format", "sarif", "--output", "a"], "two formats write to the same --output file"),
    (["--format", "json", "--output", "a", "--format", "sarif", "--output", "./a"], "two formats write to the same --output file"),
])
def test_bad_format_output_pairs_are_usage_errors(args, message):
    done = run_cli("check", SMALL, *args)
    assert done.returncode == 2
    assert message in done.stderr


def test_unwritable_output_is_a_clean_error(tmp_path):
    (tmp_path / "file").write_text("x")
    done = run_cli("check", SMALL, "--format", "json", "--output", str(tmp_path / "file" / "r.json"))
    assert done.returncode == 2
    assert done.stderr.startswith(f"mopsgov: cannot write {tmp_path / 'file' / 'r.json'}: ")
    assert "Traceback" not in done.stderr


def test_auto_is_github_inside_github_actions():
    env = {**os.environ, "GITHUB_ACTIONS": "true"}
    assert run_cli("check", SMALL, "--format", "auto", env=env).stdout == github.render(_result(SMALL))
    env["GITHUB_ACTIONS"] = "false"
    assert run_cli("check", SMALL, "--format", "auto", env=env).stdout == text.render(_result(SMALL))


@pytest.mark.parametrize("severity, code", [("error", 1), ("warning", 1), ("info", 1), ("never", 0)])
def test_fail_severity(severity, code):
    assert run_cli("check", SMALL, "--fail-severity", severity, "-f", "junit").returncode == code


def test_every_format_is_registered():
    assert sorted(FORMATS) == ["github", "json", "junit", "markdown", "sarif", "text"]


def test_same_model_same_bytes():
    first, second = _result(SMALL), _result(SMALL)
    for render in FORMATS.values():
        assert render(first) == render(second)


def test_rule_metadata_falls_back_for_foundation_and_unknown_rules():
    assert sarif.rule_metadata("yaml.syntax")["title"] == "YAML syntax"
    assert sarif.rule_metadata("schema.future-rule")["description"] == "Entities must match their JSON Schema."


def test_policy_rules_in_sarif_come_from_the_catalogue():
    document = json.loads(sarif.render(_result("tests/fixtures/workflow/renewals")))
    rules = {r["id"]: r for r in document["runs"][0]["tool"]["driver"]["rules"]}
    notice = rules["contract.notice-window"]
    assert notice["name"] == "Renewal decisions are made before the notice deadline"
    assert notice["fullDescription"]["text"].startswith("A contract can only be cancelled or renegotiated before its notice deadline")
    assert notice["help"]["markdown"].startswith("**Renewal decisions are made before the notice deadline** (`contract.notice-window`, warning)")


def test_short_options_keep_their_pairs(tmp_path):
    done = run_cli("check", SMALL, "-fsarif", f"-o{tmp_path / 'f.sarif'}", "-f", "text")
    assert done.stdout == text.render(_result(SMALL))
    assert json.loads((tmp_path / "f.sarif").read_text())["version"] == "2.1.0"


def test_model_wide_finding_points_at_the_configuration_in_sarif():
    result = _result(SMALL)
    result.findings.append(Finding("policy.plugin", Severity.ERROR, "a plugin failed"))
    located = json.loads(sarif.render(result))["runs"][0]["results"][-1]["locations"][0]["physicalLocation"]
    assert located == {"artifactLocation": {"uri": f"{SMALL}/mopsgov.yaml", "uriBaseId": "%SRCROOT%"},
                       "region": {"startLine": 1, "startColumn": 1}}


def test_markdown_table_is_capped():
    findings = [Finding("r.x", Severity.WARNING, f"finding {n}", Location("a.yaml", n + 1, 1)) for n in range(205)]
    rows = markdown.findings_table(findings)
    assert len(rows) == 2 + markdown.MAX_ROWS + 1
    assert rows[-1] == "| | | | … and 5 more: see the SARIF or JSON report |"


def test_option_order_reads_values_that_start_with_a_dash():
    from mopsgov.workflow.outputs import option_order
    assert option_order(["m", "--format", "sarif", "--output", "-o.txt", "-fjson", "-ox", "--format=text",
                         "--output=y", "--fail-severity", "info", "--", "-fz"]) == [
        ("format", "sarif"), ("output", "-o.txt"), ("format", "json"), ("output", "x"), ("format", "text"), ("output", "y")]


def test_junit_cases_are_named_by_rule_and_entity():
    result = _result(SMALL)
    result.findings.append(result.findings[0].replace(location=Location(f"{SMALL}/tools.yaml", 7, 1)))
    tree = etree.fromstring(junit.render(result).encode())
    cases = [(c.get("classname"), c.get("name"), [child.tag for child in c]) for c in tree.iter("testcase")]
    assert cases == [
        (f"{SMALL}/people.yaml", "no findings", []),
        (f"{SMALL}/tools.yaml", "ref.unresolved tool:crm", ["failure"]),
        (f"{SMALL}/tools.yaml", "vocabulary.unknown-term tool:map", ["failure"]),
        (f"{SMALL}/tools.yaml", "ref.unresolved tool:crm (2)", ["failure"]),
    ]
    failure = tree.find(".//failure")
    assert failure.get("type") == "ref.unresolved"
    assert failure.text == (f'{SMALL}/tools.yaml:6:12: error ref.unresolved tool "crm": "owner" names role "mops-manger", '
                            'which is not in the model\nfix: Did you mean "mops-manager"?')


HOSTILE_KEY = "bad\nkey\n::error file=x::pwn"
HOSTILE_TOOL = ('tools:\n  - id: dam\n    name: "DAM\\a\\r"\n    category: dam-mrm-pim\n    lifecycle: active\n'
                '    owner: mops-manager\n    "bad\\nkey\\n::error file=x::pwn": 1\n')


@pytest.fixture
def hostile_model(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    for name in ("mopsgov.yaml", "people.yaml"):
        (model / name).write_text((ROOT / SMALL / name).read_text())
    (model / "odd\n::warning::name.yaml").write_text(HOSTILE_TOOL)
    return model


def test_control_characters_from_the_model_are_escaped_in_text_and_markdown(hostile_model):
    """A key or file name with line breaks cannot start a line of its own, such as a ::error
    workflow command GitHub Actions would obey."""
    done = run_cli("check", str(hostile_model))
    where = f"{hostile_model}/odd\\n::warning::name.yaml:7:5"
    assert done.stdout.splitlines() == [
        f'{where}: error schema.unknown-field tool "dam": "bad\\nkey\\n::error file=x::pwn" is not a field mopsgov knows',
        "    fix: Fields of your own go under a name starting with x-, such as x-bad\\nkey\\n::error file=x::pwn.",
        "1 error in 2 files: check failed (fail severity: error)",
    ]
    table = run_cli("check", str(hostile_model), "-f", "markdown").stdout.splitlines()
    assert table[-1] == (f'| error | `schema.unknown-field` | `{where}` | tool "dam": "bad\\\\nkey\\\\n::error file=x::pwn" '
                         "is not a field mopsgov knows<br>**Fix:** Fields of your own go under a name starting with x-, "
                         "such as x-bad\\\\nkey\\\\n::error file=x::pwn. |")
    assert markdown.md("a\u2028b\x1b[31m\x85") == "a\\\\u2028b\\\\x1b\\[31m\\\\x85"
    assert text.escape_control("tab\there\x7f") == "tab\\there\\x7f"
    # bidirectional controls would show "admin" for a name that reads otherwise (Trojan Source)
    assert text.escape_control("crm\u202e nimda\u2066\u200b\ufeff") == "crm\\u202e nimda\\u2066\\u200b\\ufeff"
    annotations = run_cli("check", str(hostile_model), "-f", "github").stdout.splitlines()
    assert len(annotations) == 2 and annotations[0].startswith("::error file=")
    assert "%0A::error file=x::pwn" in annotations[0]
    assert github.escape_data("DAM\x07\x1b[31m 5%\r\n") == "DAM\\x07\\x1b[31m 5%25%0D%0A"


def test_color_option_forces_or_refuses_colour():
    coloured = text.render(_result(SMALL), color=True)
    assert run_cli("check", SMALL, "--color", "always").stdout == coloured
    env = {k: v for k, v in os.environ.items() if k != "NO_COLOR"}
    assert run_cli("check", SMALL, "--color", "always", env={**env, "NO_COLOR": "1"}).stdout == coloured
    code, out = _on_a_terminal("check", SMALL, "--color", "never", env=env)
    assert out == text.render(_result(SMALL))
    code, out = _on_a_terminal("check", SMALL, env={**env, "TERM": "dumb"})
    assert out == text.render(_result(SMALL))
    code, out = _on_a_terminal("check", SMALL, env={**env, "TERM": "xterm-256color"})
    assert out == coloured
    # colour only goes to the screen, never into a file
    done = run_cli("check", SMALL, "--color", "always", "--format", "text", "--output", "-")
    assert done.stdout == coloured


def test_use_color_modes(monkeypatch):
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("TERM", "dumb")
    assert text.use_color(_Tty()) is False
    assert text.use_color(_Tty(), "always") is True
    assert text.use_color(open(os.devnull, "w"), "always") is True
    monkeypatch.setenv("TERM", "xterm")
    assert text.use_color(_Tty(), "never") is False
    assert text.use_color(_Tty(), "auto") is True


def test_github_plural_of_fixed_baseline_findings(tmp_path):
    small = tmp_path / "small"
    shutil.copytree(ROOT / SMALL, small)
    assert run_cli("baseline", str(small), "-o", str(tmp_path / "b.json")).returncode == 0
    tools = small / "tools.yaml"
    tools.write_text(tools.read_text().replace("marketing-automations", "marketing-automation"))
    lines = run_cli("check", str(small), "--baseline", str(tmp_path / "b.json"), "-f", "github").stdout.splitlines()
    assert lines[-2] == (f"::notice title=baseline::1 finding recorded in the baseline {tmp_path / 'b.json'} is fixed; "
                         "record the baseline again so it shrinks")
    assert lines[0].startswith(f"::notice file={small}/tools.yaml,line=6,col=12,endLine=6,endColumn=23,"
                               "title=ref.unresolved (baselined)::recorded in the baseline (error): tool \"crm\"")


def test_sarif_regions_related_locations_and_suppressions_exact(sarif_validator):
    result = _result(SMALL)
    result.findings[:] = [
        Finding("ref.duplicate-id", Severity.ERROR, 'tool id "crm" is used twice', Location("m/b.yaml", 3, 7, 5, 2),
                kind="tool", entity="crm", related=(Location("m/a.yaml", 2, 7, 2, 10), Location("m/c.yaml", 9, 1))),
        Finding("acme.tool-vendor", Severity.WARNING, "no vendor", Location("m/a.yaml", 4, 5, None, 9),
                kind="tool", entity="webinar", suppressed_by="waived by waiver webinar-vendor until 2027-03-31"),
        Finding("ref.unresolved", Severity.INFO, "old", Location("m/a.yaml", 8, 1), suppressed_by="baseline"),
    ]
    document = json.loads(sarif.render(result))
    assert list(sarif_validator.iter_errors(document)) == []
    first, waived, baselined = document["runs"][0]["results"]
    assert first["locations"][0]["physicalLocation"]["region"] == {"startLine": 3, "startColumn": 7, "endLine": 5, "endColumn": 2}
    assert first["relatedLocations"] == [
        {"id": 1, "physicalLocation": {"artifactLocation": {"uri": "m/a.yaml", "uriBaseId": "%SRCROOT%"},
                                       "region": {"startLine": 2, "startColumn": 7, "endLine": 2, "endColumn": 10}},
         "message": {"text": "also written here"}},
        {"id": 2, "physicalLocation": {"artifactLocation": {"uri": "m/c.yaml", "uriBaseId": "%SRCROOT%"},
                                       "region": {"startLine": 9, "startColumn": 1}},
         "message": {"text": "also written here"}},
    ]
    assert "suppressions" not in first
    assert waived["locations"][0]["physicalLocation"]["region"] == {"startLine": 4, "startColumn": 5, "endColumn": 9}
    assert waived["suppressions"] == [{"kind": "inSource", "status": "accepted",
                                       "justification": "waived by waiver webinar-vendor until 2027-03-31"}]
    assert baselined["suppressions"] == [{"kind": "external", "status": "accepted", "justification": "recorded in the baseline file"}]
    assert "relatedLocations" not in waived


def test_sarif_and_junit_stay_valid_with_control_characters(tmp_path, sarif_validator, junit_schema):
    for name in ("mopsgov.yaml", "people.yaml"):
        (tmp_path / name).write_text((ROOT / SMALL / name).read_text())
    (tmp_path / "tools.yaml").write_text(HOSTILE_TOOL.replace("bad\\nkey", "bad\\e[31m\\x07\\u0085key"))
    for fmt in ("sarif", "junit"):
        done = run_cli("check", str(tmp_path), "-f", fmt)
        assert done.returncode == 1
        if fmt == "sarif":
            document = json.loads(done.stdout)
            assert list(sarif_validator.iter_errors(document)) == []
            assert "bad\x1b[31m\x07\x85key" in document["runs"][0]["results"][0]["message"]["text"]
        else:
            tree = etree.fromstring(done.stdout.encode())
            assert junit_schema.validate(tree), junit_schema.error_log
            assert "bad\\x1b[31m\\x07\\x85key" in tree.find(".//failure").get("message")


def test_an_absolute_model_path_inside_the_working_folder_is_named_relative_for_review():
    """GitHub places annotations and code-scanning results by repository-relative paths."""
    absolute = str(ROOT / SMALL)
    sarif_report = json.loads(run_cli("check", absolute, "--format", "sarif", cwd=ROOT).stdout)
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in sarif_report["runs"][0]["results"]}
    assert uris == {f"{SMALL}/tools.yaml"}
    assert "informationUri" not in sarif_report["runs"][0]["tool"]["driver"]
    annotations = run_cli("check", absolute, "--format", "github", cwd=ROOT).stdout.splitlines()
    assert annotations[0].startswith(f"::error file={SMALL}/tools.yaml,line=6,col=12,")
