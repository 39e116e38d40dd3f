"""The loader: positions of keys and values, limits from mopsgov.yaml, links, keys that are not names."""
from __future__ import annotations

import codecs
import os

import pytest

from mopsgov.load.model_loader import _limits, decode, load_model
from mopsgov.load.yaml_reader import Limits, parse_text
from mopsgov.resources import load_schema

from conftest import run_json


def rules_at(findings):
    return [(f.rule, f.location.line, f.location.column) for f in findings]


def test_positions_of_keys_and_values_are_one_based():
    parsed = parse_text("tools:\n  - id: crm\n    seats: {bought: 10, active: 4}\n", "m.yaml")
    assert parsed.data == {"tools": [{"id": "crm", "seats": {"bought": 10, "active": 4}}]}
    value = parsed.location(("tools", 0, "seats", "active"))
    key = parsed.location(("tools", 0, "seats", "active"), key=True)
    assert (value.line, value.column, value.end_line, value.end_column) == (3, 33, 3, 34)
    assert (key.line, key.column) == (3, 25)
    # a missing field falls back to the nearest written ancestor
    assert parsed.location(("tools", 0, "owner")).line == 2


def test_plain_scalars_follow_yaml_1_2_core_rules():
    text = "a: yes\nb: NO\nc: on\nd: 010\ne: 1:20\nf: 2024-01-02\ng: true\nh: ~\ni: 0x1F\nj: .inf\nk: 1e3\nl: '12'\n"
    data = parse_text(text, "m.yaml").data
    assert data == {"a": "yes", "b": "NO", "c": "on", "d": 10, "e": "1:20", "f": "2024-01-02", "g": True,
                    "h": None, "i": 31, "j": float("inf"), "k": 1000.0, "l": "12"}


def test_fast_and_pure_python_readers_agree():
    text = open("tests/fixtures/broken/references/stack.yaml", encoding="utf-8").read()
    fast, pure = parse_text(text, "s.yaml", fast=True), parse_text(text, "s.yaml", fast=False)
    assert fast.data == pure.data
    assert {k: (v[0].line, v[0].column, v[1].line, v[1].column) for k, v in fast.spans.items()} == \
           {k: (v[0].line, v[0].column, v[1].line, v[1].column) for k, v in pure.spans.items()}


def test_keys_that_are_not_field_names():
    parsed = parse_text("1: a\ntrue: b\n? [x]\n: c\n~: d\n<<: {e: 1}\nok: f\n", "m.yaml")
    assert parsed.data == {"ok": "f"}
    assert [(f.rule, f.location.line, f.location.column, f.message) for f in parsed.findings] == [
        ("yaml.key-type", 1, 1, "the key 1 is read as a number, not as a field name"),
        ("yaml.key-type", 2, 1, "the key true is read as true or false, not as a field name"),
        ("yaml.key-type", 3, 3, "a key is a list or mapping; keys must be field names"),
        ("yaml.key-type", 5, 1, "a key is empty; keys must be field names"),
        ("yaml.merge-key", 6, 1, "merge keys (<<) are not supported: the merged fields would be invisible to reviewers"),
    ]


def test_a_5000_digit_number_is_a_finding_not_a_crash():
    parsed = parse_text("tools:\n  - annual_cost: " + "9" * 5000 + "\n", "m.yaml")
    assert rules_at(parsed.findings) == [("yaml.number-too-long", 2, 18)]
    assert parsed.findings[0].message == "this number is 5,000 characters long; mopsgov reads numbers of up to 400 digits"
    assert parsed.rejected == {("tools", 0, "annual_cost")}


@pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
def test_hexadecimal_and_octal_numbers_have_the_decimal_limit(fast):
    text = ("a: 0x" + "f" * 5000 + "\nb: 0o" + "7" * 2_000 + "\nc: 0x" + "f" * 333 + "\nd: 0x" + "f" * 332
            + "\ne: -" + "9" * 400 + "\nf: 0x" + "0" * 1000 + "1\n0x" + "f" * 400 + ": key\n")
    parsed = parse_text(text, "m.yaml", fast=fast)
    assert [(f.rule, f.location.line, f.location.column, f.message) for f in parsed.findings] == [
        ("yaml.number-too-long", 1, 4, "this number is 5,002 characters long; mopsgov reads numbers of up to 400 digits"),
        ("yaml.number-too-long", 2, 4, "this number is 2,002 characters long; mopsgov reads numbers of up to 400 digits"),
        # 16**333 passes 10**400: the first hexadecimal number too large to write in 400 digits
        ("yaml.number-too-long", 3, 4, "this number is 335 characters long; mopsgov reads numbers of up to 400 digits"),
        ("yaml.number-too-long", 7, 1, "this number is 402 characters long; mopsgov reads numbers of up to 400 digits"),
    ]
    assert parsed.data == {"a": None, "b": None, "c": None, "d": 16 ** 332 - 1, "e": -int("9" * 400), "f": 1}
    assert parsed.rejected == {("a",), ("b",), ("c",), ("?",)}


def test_a_hexadecimal_number_of_5000_digits_in_a_name_is_a_finding(tmp_path):
    (tmp_path / "tools.yaml").write_text("tools:\n- id: crm\n  name: 0x" + "f" * 5000 + "\n  category: crm\n"
                                         "  lifecycle: active\n  annual_cost: 0x" + "f" * 2_000_000 + "\n")
    code, report = run_json("check", str(tmp_path))
    assert [(f["rule"], f["line"], f["column"]) for f in report["findings"] if f["rule"].startswith(("yaml", "schema"))] \
        == [("yaml.number-too-long", 3, 9), ("yaml.number-too-long", 6, 16)]
    assert code == 1


BOTH = pytest.mark.parametrize("fast", [True, False], ids=["libyaml", "pure-python"])
TOOL = "tools:\n- id: crm\n"
QUOTE_FIX = "Put the value in quotes: name: \"CRM: the best\"."
INDENT_FIX = ("Indent it exactly like the field it belongs with: YAML counts the spaces, and fields of one entry "
              "start in the same column.")
SYNTAX = {
    "a colon in a value": (TOOL + "  name: CRM: the best\n", (3, 12, 3, 13),
                           "the value contains ': ' (a colon and a space), which YAML reads as the start of another field",
                           QUOTE_FIX),
    "a colon in a value with a comment": ("name: CRM: the best # the one we use\n", (1, 10, 1, 11),
                                          "the value contains ': ' (a colon and a space), which YAML reads as the start "
                                          "of another field", QUOTE_FIX),
    "an unclosed double quote": (TOOL + '  name: "CRM\n  vendor: Acme\n', (3, 9, 3, 10),
                                 'the quote " opened here is never closed', 'Add the closing " at the end of the value.'),
    "an unclosed single quote": (TOOL + "  name: 'CRM\n", (3, 9, 3, 10),
                                 "the quote ' opened here is never closed", "Add the closing ' at the end of the value."),
    "an unclosed [": (TOOL + "  capabilities: [email, sms\n  vendor: Acme\n", (3, 17, 3, 18),
                      "the list opened with '[' here is never closed",
                      "Add the closing ']' after the last item; if the brackets are part of the text, put the whole "
                      "value in quotes."),
    "an unclosed {": (TOOL + "  seats: {bought: 10\n", (3, 10, 3, 11),
                      "the mapping opened with '{' here is never closed",
                      "Add the closing '}' after the last item; if the brackets are part of the text, put the whole "
                      "value in quotes."),
    "a ] that closes nothing": ("tags: [a, b]]\n", (1, 13, 1, 14), "this ']' closes no '['",
                                "Remove it; if it is part of the text, put the whole value in quotes."),
    "a field indented less": ("tools:\n  - id: crm\n   name: CRM\n", (3, 4, 3, 13),
                              "this line's indentation does not line up with the lines above it", INDENT_FIX),
    "a field indented between two levels": ("goals:\n  - id: g\n name: Grow\n", (3, 2, 3, 12),
                                            "this line's indentation does not line up with the lines above it",
                                            INDENT_FIX),
    "a field indented more": (TOOL + "    name: CRM\n", (3, 5, 3, 14),
                              "this line is indented further than the line above it, so YAML reads it as part of "
                              "that line's value",
                              "Indent it exactly like the field above it: fields of one entry start in the same column."),
    "a tab as indentation": (TOOL + "\tname: CRM\n", (3, 1, 3, 2),
                             "a tab is used here; use spaces to indent and separate in YAML", "Replace the tab with spaces."),
    "a tab after a dash": ("tools:\n-\tid: crm\n", (2, 2, 2, 3),
                           "a tab is used here; use spaces to indent and separate in YAML", "Replace the tab with spaces."),
    "a value starting with @": (TOOL + "  handle: @mops # on social\n", (3, 11, 3, 16),
                                "a value cannot start with '@' unless it is in quotes",
                                'Put the value in quotes: handle: "@mops".'),
    "a list item starting with a backtick": ("tags:\n  - `crm`\n", (2, 5, 2, 10),
                                             "a value cannot start with '`' unless it is in quotes",
                                             'Put the value in quotes: - "`crm`".'),
    "a list item where a field is expected": ("tools:\n  id: crm\n  - name: CRM\n", (3, 3, 3, 4),
                                              "a list item ('-') stands where this mapping expects a field",
                                              "Line the '-' up with the other items of its list, or remove it if the "
                                              "line is a field of the entry above."),
    "a list item on its field's line": ("tags: - crm\n", (1, 7, 1, 8),
                                        "a list item ('- ') cannot start on the same line as its field",
                                        "Move the item to its own line below the field, indented; if the dash is text, "
                                        "put the value in quotes."),
    "a quote inside a single-quoted value": (TOOL + "  name: 'it's ours'\n", (3, 13, 3, 20),
                                             "the quoted value ends at the quote before this text, so the rest of the "
                                             "line cannot be read",
                                             "Inside '...' write a quote twice (it''s), or put the value in double quotes."),
    "a line without a colon": (TOOL + "  just a note\n  name: CRM\n", (3, 3, 3, 14),
                               "this line has no ':'; YAML expects a field and its value ('name: value') here",
                               "Add ': ' after the field name; if the line continues the value above, put that value "
                               "in quotes on one line."),
    "a Windows path in double quotes": ('notes: "C:\\shared\\crm"\n', (1, 11, 1, 13),
                                        "\\s is not an escape YAML knows: in a double-quoted value a backslash starts "
                                        "an escape",
                                        "Write \\\\ for a backslash, or put the value in single quotes instead of "
                                        "double quotes."),
    "a lone surrogate escape": ('a: "x\\ud800"\n', (1, 6, 1, 12),
                                "the escape \\ud800 in this quoted value stands for no character (it is half of an "
                                "emoji's code or beyond Unicode)",
                                "Type the character itself instead of the \\u escape, or remove it."),
    "an escaped surrogate pair": ('tools:\n- id: crm\n  name: "CRM \\ud83d\\ude00"\n', (3, 14, 3, 20),
                                  "the escape \\ud83d in this quoted value stands for no character (it is half of an "
                                  "emoji's code or beyond Unicode)",
                                  "Type the character itself instead of the \\u escape, or remove it."),
    "an escape beyond Unicode, in a key": ('"k\\U00110000": 1\n', (1, 3, 1, 13),
                                           "the escape \\U00110000 in this quoted value stands for no character (it is "
                                           "half of an emoji's code or beyond Unicode)",
                                           "Type the character itself instead of the \\u escape, or remove it."),
}


@BOTH
@pytest.mark.parametrize("case", sorted(SYNTAX))
def test_syntax_errors_in_plain_words_on_both_parsers(case, fast):
    text, span, message, fix = SYNTAX[case]
    parsed = parse_text(text, "m.yaml", fast=fast)
    assert parsed.data is None
    assert [(f.rule, (f.location.line, f.location.column, f.location.end_line, f.location.end_column), f.message, f.fix)
            for f in parsed.findings] == [("yaml.syntax", span, message, fix)]


@BOTH
def test_an_uncommon_syntax_error_keeps_the_parser_reason_and_ends_at_the_line_end(fast):
    parsed = parse_text("a: !<x\nb: 1\n", "m.yaml", fast=fast)
    finding, = parsed.findings
    assert (finding.rule, finding.location.line, finding.location.column, finding.location.end_line,
            finding.location.end_column) == ("yaml.syntax", 1, 7, 1, 8)
    assert finding.message.startswith("YAML syntax error: ") and "a tag" in finding.message


@BOTH
def test_valid_escapes_are_read(fast):
    assert parse_text('a: "caf\\u00e9 \\U0001F600 \\\\ud800"\n', "m.yaml", fast=fast).data == {"a": "café \U0001F600 \\ud800"}


@BOTH
def test_empty_files_span_their_text(fast):
    spans = {text: [(f.rule, f.location.line, f.location.column, f.location.end_line, f.location.end_column)
                    for f in parse_text(text, "m.yaml", fast=fast).findings]
             for text in ("", "# nothing yet\n# still nothing\n\n", "~\n")}
    assert spans == {"": [("file.empty", 1, 1, 1, 1)], "# nothing yet\n# still nothing\n\n": [("file.empty", 1, 1, 2, 16)],
                     "~\n": [("file.empty", 1, 1, 1, 2)]}


def test_aliases_within_the_limit_are_shared_values():
    parsed = parse_text("a: &teams [x, y]\nb: *teams\n", "m.yaml")
    assert parsed.data == {"a": ["x", "y"], "b": ["x", "y"]} and parsed.findings == []
    parsed = parse_text("a: &v 1\nb: [*v, *v, *v]\n", "m.yaml", Limits(max_aliases=2))
    assert rules_at(parsed.findings) == [("yaml.alias-limit", 2, 13)]


def test_limits_come_from_mopsgov_yaml(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text("limits:\n  max_file_bytes: 64\n  max_depth: 4\n")
    (tmp_path / "big.yaml").write_text("teams:\n" + "  - {id: t, name: T, type: internal}\n" * 3)
    (tmp_path / "deep.yaml").write_text("x-a: {b: {c: {d: {e: 1}}}}\n")
    model, findings = load_model(str(tmp_path))
    got = [(f.rule, os.path.basename(f.file), f.location.line, f.location.column) for f in findings]
    assert got == [("file.too-large", "big.yaml", 1, 1), ("yaml.depth-limit", "deep.yaml", 1, 18)]


def linked_from_outside(tmp_path, name: str, content: str):
    """A model folder whose file `name` links to a file outside it."""
    outside = tmp_path / "outside.yaml"
    outside.write_text(content)
    model_dir = tmp_path / "model"
    model_dir.mkdir()
    (model_dir / name).symlink_to(outside)
    return model_dir


def test_links_leaving_the_model_folder_are_not_read(tmp_path):
    model_dir = linked_from_outside(tmp_path, "a.yaml", "teams: []\n")
    (model_dir / "loop.yaml").symlink_to(model_dir / "loop.yaml")
    (model_dir / "inside.yaml").write_text("teams: []\n")
    (model_dir / "alias.yaml").symlink_to(model_dir / "inside.yaml")
    returncode, report = run_json("check", str(model_dir))
    got = [(f["rule"], os.path.basename(f["file"]), f["severity"]) for f in report["findings"]]
    assert got == [("file.symlink", "a.yaml", "error"), ("file.unreadable", "loop.yaml", "error")]
    assert report["model"]["files"] == 1  # alias.yaml is inside.yaml: read once
    assert returncode == 2


def test_a_link_to_a_file_of_the_model_is_read_once(tmp_path):
    (tmp_path / "teams.yaml").write_text("teams:\n- {id: growth, name: Growth, type: internal}\n")
    (tmp_path / "current.yaml").symlink_to(tmp_path / "teams.yaml")
    (tmp_path / ".drafts").mkdir()
    (tmp_path / ".drafts" / "roles.yaml").write_text("roles:\n- {id: ops, name: Ops, team: growth}\n")
    (tmp_path / "a.yaml").symlink_to(tmp_path / ".drafts" / "roles.yaml")
    (tmp_path / "b.yaml").symlink_to(tmp_path / ".drafts" / "roles.yaml")
    model, findings = load_model(str(tmp_path))
    assert [os.path.basename(f.file) for f in model.files] == ["a.yaml", "teams.yaml"]
    assert findings == []
    assert list(model.entities["team"]) == ["growth"] and list(model.entities["role"]) == ["ops"] and model.duplicates == []


def test_a_mopsgov_yaml_linked_from_outside_the_model_is_not_read(tmp_path):
    model_dir = linked_from_outside(tmp_path, "mopsgov.yaml", "name: Not ours\nlimits:\n  max_depth: 4\n")
    (model_dir / "deep.yaml").write_text("x-a: {b: {c: {d: {e: 1}}}}\n")
    model, findings = load_model(str(model_dir))
    assert [(f.rule, os.path.basename(f.file), f.severity.label) for f in findings] == [
        ("file.symlink", "mopsgov.yaml", "error")]
    assert model.config == {} and model.config_source is None
    (model_dir / "mopsgov.yaml").unlink()
    (model_dir / "mopsgov.yaml").symlink_to(model_dir / "missing.yaml")
    _, findings = load_model(str(model_dir))
    assert [(f.rule, f.message) for f in findings] == [("file.unreadable", "the file is a broken link or a link loop")]


def test_a_single_file_is_read_with_the_mopsgov_yaml_beside_it(tmp_path):
    folder = run_json("check", "examples/startup")
    single = run_json("check", "examples/startup/model.yaml")
    assert single[0] == folder[0] == 0
    assert single[1]["findings"] == folder[1]["findings"]
    model, findings = load_model("examples/startup/model.yaml")
    assert model.config_source.file == os.path.join("examples", "startup", "mopsgov.yaml")
    assert model.config["name"] and [f.file for f in model.files] == [os.path.join("examples", "startup", "model.yaml")]
    # mopsgov.yaml itself: the configuration alone, not a model file
    model, findings = load_model("examples/startup/mopsgov.yaml")
    assert model.files == [] and model.config_source is not None and findings == []
    # a file with no mopsgov.yaml beside it
    (tmp_path / "m.yaml").write_text("teams: []\n")
    model, findings = load_model(str(tmp_path / "m.yaml"))
    assert model.config == {} and model.config_source is None and findings == []


def test_a_file_that_is_not_yaml_is_a_usage_error(cli):
    done = cli("check", "README.md")
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr == "mopsgov: README.md: not a YAML file; give a model folder or a file ending in .yaml or .yml\n"


def test_limits_are_held_within_the_schema_range(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text("limits:\n  max_depth: 2000\n  max_aliases: 0\n  max_alias_expansion: -5\n"
                                           "  max_file_bytes: '64'\n  max_bytes: 1\n")
    (tmp_path / "deep.yaml").write_text("x-a: " + "[" * 600 + "]" * 600 + "\n")
    (tmp_path / "alias.yaml").write_text("x-a: &a 1\nx-b: *a\n")
    model, findings = load_model(str(tmp_path))
    got = [(f.rule, os.path.basename(f.file), f.location.line, f.location.column) for f in findings]
    # 200 levels at most: the root mapping and 199 lists; the 200th bracket is refused
    assert got == [("yaml.alias-limit", "alias.yaml", 2, 6), ("yaml.depth-limit", "deep.yaml", 1, 205)]
    assert _limits(model.config) == Limits(max_depth=200, max_aliases=0, max_alias_expansion=0)
    assert _limits({"limits": {"max_depth": 2, "max_file_bytes": 10**12, "max_aliases": True}}) == \
        Limits(max_depth=4, max_file_bytes=20 * 1024 * 1024)


def test_every_reading_limit_is_described_with_a_range_in_the_config_schema():
    described = load_schema("config.schema.json")["properties"]["limits"]["properties"]
    assert sorted(described) == sorted(Limits.__dataclass_fields__)
    assert all("minimum" in spec and "maximum" in spec for spec in described.values())
    assert all(spec["minimum"] <= getattr(Limits(), name) <= spec["maximum"] for name, spec in described.items())


def test_raised_limits_are_reported_by_the_schema(tmp_path):
    (tmp_path / "mopsgov.yaml").write_text("name: M\nlimits:\n  max_depth: 2000\n  max_alias_expansion: 20000\n")
    (tmp_path / "deep.yaml").write_text("".join(" " * i + f"x{i}:\n" for i in range(197)) + " " * 197 + "x: [1, [2]]\n")
    code, report = run_json("check", str(tmp_path))
    got = [(f["rule"], os.path.basename(f["file"]), f["line"], f["column"]) for f in report["findings"]
           if f["rule"].startswith(("yaml", "schema"))]
    assert got == [("schema.unknown-field", "deep.yaml", 1, 1), ("schema.value", "mopsgov.yaml", 3, 14)]
    assert code == 1


def test_hidden_folders_and_other_files_are_ignored(tmp_path):
    (tmp_path / ".github").mkdir()
    (tmp_path / ".github" / "ci.yml").write_text("on: push\n")
    (tmp_path / "notes.txt").write_text("not yaml")
    (tmp_path / "m.yml").write_text("teams: []\n")
    model, findings = load_model(str(tmp_path))
    assert [f.file for f in model.files] == [os.path.join(str(tmp_path), "m.yml")] and findings == []


@BOTH
def test_encoding_and_control_character_findings_end_after_the_character(fast):
    def span(raw: bytes):
        _, finding = decode(raw, "m.yaml")
        return finding.location.line, finding.location.column, finding.location.end_line, finding.location.end_column

    assert span(b"a: b\nc: Ac\x00me\n") == (2, 6, 2, 7)
    assert span("a: é\nc: Acm".encode() + b"\xe9\n") == (2, 7, 2, 8)
    assert span("a: Ac\ufeffme\n".encode()) == (1, 6, 1, 7)
    assert span(codecs.BOM_UTF16_LE + "a: b\n".encode("utf-16-le")) == (1, 1, 1, 2)
    control, = parse_text("a: b\nc: Ac\x07me\n", "m.yaml", fast=fast).findings
    assert (control.rule, control.location.line, control.location.column, control.location.end_line,
            control.location.end_column) == ("yaml.syntax", 2, 6, 2, 7)


@pytest.mark.parametrize("fast", [True, False])
@pytest.mark.parametrize("character, name", [("\x85", "NEXT LINE (U+0085)"), ("\u2028", "LINE SEPARATOR (U+2028)"),
                                             ("\u2029", "PARAGRAPH SEPARATOR (U+2029)")])
def test_invisible_line_breaks_are_warned_about_and_positions_count_lines_as_editors_do(character, name, fast):
    """YAML 1.1 parsers end a line at NEL, LS and PS; editors, git and GitHub annotations do not."""
    text = f"tools:\r\n  - id: crm\r\n    name: \"CRM{character}Suite\"\n    vendor: 5\n    description: x {character} y\n"
    parsed = parse_text(text, "f.yaml", fast=fast)
    assert str(parsed.location(("tools", 0, "vendor"))) == "f.yaml:4:13"
    assert str(parsed.location(("tools", 0, "vendor"), key=True)) == "f.yaml:4:5"
    assert [(f.rule, f.location.line, f.location.column, f.location.end_column, f.message) for f in parsed.findings] == [
        ("yaml.invisible-line-break", 3, 15, 16, f"an invisible {name} character here: YAML reads it as a line break, "
                                                 "though editors show none"),
        ("yaml.invisible-line-break", 5, 20, 21, f"an invisible {name} character here: YAML reads it as a line break, "
                                                 "though editors show none"),
        ("yaml.syntax", 5, 22, 23, "this line's indentation does not line up with the lines above it"),
    ]
    clean = parse_text("tools:\n  - id: crm\n    vendor: 5\n", "f.yaml", fast=fast)
    assert clean.findings == [] and str(clean.location(("tools", 0, "vendor"))) == "f.yaml:3:13"


@BOTH
def test_an_empty_text_key_is_refused_once_however_it_is_written(fast):
    parsed = parse_text('tools:\n  - id: crm\n    "": x\n    !!str : y\n    ? !!str\n    : z\n', "m.yaml", fast=fast)
    assert [(f.rule, f.location.line, f.location.column, f.message) for f in parsed.findings] == [
        ("yaml.key-type", line, column, "a key is empty text; keys must be field names")
        for line, column in ((3, 5), (4, 5), (5, 7))]
    assert parsed.data == {"tools": [{"id": "crm"}]}


def test_reader_findings_inside_an_entity_name_it_and_the_path(tmp_path):
    (tmp_path / "model.yaml").write_text("tools:\n  - id: crm\n    name: CRM\n    name: CRM2\n"
                                         "    category: !!python/name:os.system crm\n    1: x\n")
    _, report = run_json("check", str(tmp_path / "model.yaml"))
    assert [(f["rule"], f["line"], f["path"], f["kind"], f["entity"]) for f in report["findings"]
            if f["rule"].startswith("yaml.")] == [
        ("yaml.duplicate-key", 4, "$.tools[0].name", "tool", "crm"),
        ("yaml.tag", 5, "$.tools[0].category", "tool", "crm"),
        ("yaml.key-type", 6, "$.tools[0]", "tool", "crm"),
    ]
