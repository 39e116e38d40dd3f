"""The documentation site: escaping, payload safety, determinism, --check, safe writes, no Graphviz."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ET
from html import escape
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from mopsgov.check import run_check
from mopsgov.render.escape import dot_text
from mopsgov.render.diagrams.base import Builder
from mopsgov.render.dot import render
from mopsgov.render.dot import dot_version
from mopsgov.render.site import MANIFEST, SiteBuild, SiteError, build_site, check_site, write_site

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "fixtures" / "docs" / "small"
SVG = "{http://www.w3.org/2000/svg}"
# Every link and image the site may contain: its own pages, anchors, diagrams and stylesheet.
SAFE_HREF = re.compile(r"static/site\.css|diagrams/[a-z0-9-]+\.(svg|dot)|([a-z0-9-]+\.html)?(#[a-z0-9-]+)?")
PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    "{{7*7}}",
    "x\\",
    "a:b",
    "line one\nline two",
    "N" * 500,
    "Маркетинг 営業 تسويق",
    "\\N \\G \\L \\l edge",
    "<b>bold</b>",
]


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mopsgov", *args], cwd=ROOT, capture_output=True, text=True,
                          env=env, timeout=120)


def svg_texts(svg: bytes) -> list[str]:
    return [t.text or "" for t in ET.fromstring(svg).iter(f"{SVG}text")]


@pytest.mark.parametrize("value, lines", [
    ('say "hi"', ['say "hi"']),
    ("trailing\\", ["trailing\\"]),
    ("\\N and \\G and \\L", ["\\N and \\G and \\L"]),
    ("<b>not html</b>", ["<b>not html</b>"]),
    ("<>", ["<>"]),
    ('\\"', ['\\"']),
    ("two\nlines", ["two", "lines"]),
    ("a:b", ["a:b"]),
    ("graph", ["graph"]),
    ("tab\there\x07", ["tab here"]),
])
def test_dot_text_shows_the_value_literally(value, lines):
    builder = Builder("t")
    builder.node("only", value)
    texts = svg_texts(render({"t": builder.graph.source})["t"])
    assert texts == ["t", *lines]


def test_dot_text_cuts_long_lines_and_escapes_backslashes():
    assert str(dot_text("x" * 60)) == "x" * 47 + "\u2026"
    assert str(dot_text("a\\", "b")) == "a\\\\\\nb"


def test_node_ids_are_generated_not_taken_from_the_model():
    builder = Builder("t")
    builder.node("tool:a:b", "A")
    builder.node('x" -> y', "B")
    builder.edge("tool:a:b", 'x" -> y', "label")
    assert "n1 -> n2" in builder.graph.source
    assert "tool:a:b" not in builder.graph.source


@pytest.fixture(scope="module")
def small_site():
    return build_site(run_check(str(SMALL)))


def test_small_site_pages_and_diagrams(small_site):
    names = set(small_site.files)
    assert {"index.html", "teams.html", "processes.html", "process-lead-routing.html", "stack.html",
            "tool-marketo.html", "data.html", "kpis.html", "slas.html", "findings.html", "policies.html",
            "glossary.html", "static/site.css", MANIFEST} <= names
    assert {"diagrams/stack.svg", "diagrams/dataflow.svg", "diagrams/raci.svg", "diagrams/process-lead-routing.svg",
            "diagrams/impact-tool-salesforce.svg"} <= names
    index = small_site.files["index.html"].decode()
    assert "163,000 EUR + 20,000 USD" in index  # annual spend of the five non-retired tools, per currency
    assert '<a href="tool-mailchimp.html">Mailchimp</a></td><td class="nowrap" data-label="Renewal">2026-12-15</td><td class="num" data-label="Days left">22</td>' in index
    assert "2026-11-15 (passed)" in index  # renewal 2026-12-15 minus 30 days' notice
    assert "60 of 70 seats in use (86%) across 3 tools; 1 below 70% in use:" in index
    assert '<td><a href="tool-marketo.html">Marketo</a></td><td class="num">20</td><td class="num">12</td>' in index
    tool = small_site.files["tool-salesforce.html"].decode()
    # what depends on it: names linked to their rows, relations in words, never raw ids
    assert ('<td>Process step</td><td><a href="process-lead-routing.html#step-route">Route to an SDR</a></td><td><span '
            'class="tag tag-bad">breaks</span></td><td><a href="process-lead-routing.html#step-route">Route to an SDR</a> '
            'uses Salesforce Sales Cloud</td>') in tool
    assert ('<td><a href="slas.html#sla-lead-routing-5min">Leads routed within 5 minutes</a> covers <a href="process-'
            'lead-routing.html#step-route">Route to an SDR</a>, which uses Salesforce Sales Cloud</td>') in tool
    process = small_site.files["process-lead-routing.html"].decode()
    assert '<tr id="step-route"><td class="num" data-label="#">3</td><td data-label="Step">Route to an SDR</td>' in process
    assert '<td data-label="Step"><a href="process-lead-routing.html#step-route">3. Route to an SDR</a></td>' in process  # SLA's step
    assert '<a href="process-lead-routing.html#step-route">Route to an SDR</a> is a step of Lead routing</td>' in process
    assert '<td data-label="Step"><a href="process-lead-routing.html#step-route">3. Route to an SDR</a></td>' in small_site.files["slas.html"].decode()
    for name, content in small_site.files.items():
        if name.endswith(".html"):
            assert b"step:" not in content and b"tool:" not in content and b"-[" not in content, name
    assert "The role that owns the tool." in tool  # field description from tool.schema.json
    assert '<img src="diagrams/process-lead-routing.svg"' in process
    assert "Content-Security-Policy" in process and "script-src &#39;none&#39;" in process
    findings = small_site.files["findings.html"].decode()
    # each finding links to its entity and its rule's entry in the policy catalogue
    assert ('<tr id="finding-c5bd2a4b6c"><td data-label="Severity"><span class="tag tag-warn">warning</span></td><td data-label="Rule"><a href='
            '"policies.html#rule-ownership-data"><code>ownership.data</code></a></td><td data-label="Finding">data object '
            '&#34;account&#34; has no owner</td><td data-label="About"><a href="data.html#data-account">Account</a></td>'
            '<td data-label="Where"><code>data.yaml:12:5</code></td>') in findings
    assert '<tr id="rule-ownership-data"><td data-label="Rule"><code>ownership.data</code></td>' in small_site.files[
        "policies.html"].decode()
    data = small_site.files["data.html"].decode()
    assert '<tr id="data-account"><td data-label="Object">Account</td>' in data
    assert ('<tr><td><a href="data.html#data-lead">Lead</a></td><td>Personal</td>'
            '<td><a href="tool-marketo.html">Marketo</a></td><td><a href="tool-salesforce.html">'
            'Salesforce Sales Cloud</a></td></tr>') in data
    glossary = small_site.files["glossary.html"].decode()
    assert "Demand generation" in glossary and "Assigns leads to owners." not in glossary  # only terms used


def test_two_builds_give_identical_bytes(small_site):
    again = build_site(run_check(str(SMALL)))
    assert again.files == small_site.files


def test_check_names_a_one_field_change(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(SMALL, model)
    out = tmp_path / "site"
    first = run_cli("docs", str(model), "--out", str(out))
    assert first.returncode == 0, first.stderr
    same = run_cli("docs", str(model), "--check", str(out))
    assert same.returncode == 0 and "is up to date" in same.stdout
    stack = model / "stack.yaml"
    stack.write_text(stack.read_text().replace("annual_cost: 15000", "annual_cost: 16000"))
    stale = run_cli("docs", str(model), "--check", str(out))
    assert stale.returncode == 1
    assert stale.stdout.splitlines() == ["changed: diagrams/stack.dot", "changed: diagrams/stack.svg",
                                         "changed: index.html", "changed: stack.html", "changed: tool-bynder.html"]


def test_rebuild_removes_only_files_it_wrote(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = run_check(str(SMALL))
    site = build_site(result)
    write_site(site, out)
    extra = dict(site.files)
    extra["old-page.html"] = b"old"
    extra[MANIFEST] = site.files[MANIFEST].replace(b'"data.html"', b'"data.html",\n  "old-page.html"')
    write_site(SiteBuild(extra), out)
    assert (out / "old-page.html").is_file()
    assert check_site(result, out).differences == ["changed: .mopsgov-site.json", "no longer generated: old-page.html"]
    written, removed = write_site(site, out)
    assert (written, removed) == (1, ["old-page.html"])
    assert (out / "notes.txt").read_text() == "mine"
    assert check_site(result, out).differences == []


def test_a_file_it_did_not_write_is_never_overwritten(tmp_path):
    out = tmp_path / "fo"
    out.mkdir()
    (out / "index.html").write_text("mine")
    refused = run_cli("docs", str(SMALL), "--out", str(out))
    assert refused.returncode == 2
    assert refused.stderr == (f"mopsgov: {out} already has 1 file(s) that mopsgov did not write and would overwrite: "
                              "index.html. Choose an empty folder, move them away, or pass --force to overwrite them\n")
    assert sorted(p.name for p in out.iterdir()) == ["index.html"] and (out / "index.html").read_text() == "mine"
    forced = run_cli("docs", str(SMALL), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert (out / "index.html").read_text().startswith("<!DOCTYPE html>")
    (out / "index.html").write_text("edited by hand")  # now the tool's own file: a rebuild restores it
    again = run_cli("docs", str(SMALL), "--out", str(out))
    assert again.returncode == 0 and "1 file(s) changed" in again.stdout


def test_links_out_of_the_folder_are_never_written_through(tmp_path):
    """A folder link (diagrams/) and a file link (a page the last build wrote) that lead outside
    the output folder: the build is refused and nothing outside changes; --force replaces the
    links with the site's own files."""
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    assert run_cli("docs", str(SMALL), "--out", str(out)).returncode == 0
    elsewhere.mkdir()
    victim = elsewhere / "victim.txt"
    victim.write_text("keep me")
    shutil.rmtree(out / "diagrams")
    (out / "diagrams").symlink_to(elsewhere, target_is_directory=True)
    (out / "index.html").unlink()
    (out / "index.html").symlink_to(victim)
    refused = run_cli("docs", str(SMALL), "--out", str(out))
    assert refused.returncode == 2
    assert refused.stderr == (f"mopsgov: {out} has 2 link(s) that lead outside it: diagrams, index.html. mopsgov never "
                              "writes outside the output folder: remove them, or pass --force to replace them with the "
                              "site's files\n")
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"] and victim.read_text() == "keep me"
    forced = run_cli("docs", str(SMALL), "--out", str(out), "--force")
    assert forced.returncode == 0, forced.stderr
    assert sorted(p.name for p in elsewhere.iterdir()) == ["victim.txt"] and victim.read_text() == "keep me"
    assert not (out / "diagrams").is_symlink() and (out / "diagrams" / "stack.svg").is_file()
    assert not (out / "index.html").is_symlink() and (out / "index.html").read_text().startswith("<!DOCTYPE html>")
    assert run_cli("docs", str(SMALL), "--check", str(out)).returncode == 0


def test_a_link_out_of_the_folder_is_not_removed_through(tmp_path):
    """A file the last build wrote and this one no longer makes, behind a folder link leading
    outside: the outside file is not removed."""
    result = run_check(str(SMALL))
    site = build_site(result, draw=False)
    out, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    extra = dict(site.files)
    extra["diagrams/old.dot"] = b"old"
    extra[MANIFEST] = site.files[MANIFEST].replace(b'"diagrams/dataflow.dot"', b'"diagrams/dataflow.dot",\n  "diagrams/old.dot"')
    write_site(SiteBuild(extra), out)
    shutil.move(out / "diagrams", elsewhere)
    (out / "diagrams").symlink_to(elsewhere, target_is_directory=True)
    with pytest.raises(SiteError, match=r"has 1 link\(s\) that lead outside it: diagrams\. "):
        write_site(site, out)
    assert (elsewhere / "old.dot").read_bytes() == b"old"
    assert write_site(site, out, force=True)[1] == []  # the link is gone, and with it the old file's path
    assert (elsewhere / "old.dot").read_bytes() == b"old" and not (out / "diagrams" / "old.dot").exists()


def test_a_link_that_stays_in_the_folder_is_kept(tmp_path):
    out = tmp_path / "site"
    (out / "real").mkdir(parents=True)
    (out / "diagrams").symlink_to(out / "real", target_is_directory=True)
    write_site(build_site(run_check(str(SMALL)), draw=False), out)
    assert (out / "diagrams").is_symlink() and (out / "real" / "stack.dot").is_file()


def test_a_foreign_manifest_is_not_overwritten(tmp_path):
    out = tmp_path / "site"
    out.mkdir()
    (out / MANIFEST).write_text('{"files": ["../../etc/passwd"]}')
    refused = run_cli("docs", str(SMALL), "--out", str(out))
    assert refused.returncode == 2 and f"would overwrite: {MANIFEST}." in refused.stderr


def test_svgs_do_not_name_the_graphviz_version_and_the_manifest_does(small_site):
    svgs = {n: c for n, c in small_site.files.items() if n.endswith(".svg")}
    assert svgs and not [n for n, c in svgs.items() if b"Generated by graphviz" in c or b"<!-- Generated" in c]
    manifest = json.loads(small_site.files[MANIFEST])
    assert (manifest["generator"], manifest["format"], manifest["graphviz"]) == ("mopsgov", "html", dot_version())
    assert re.fullmatch(r"\d+(\.\d+)+", manifest["graphviz"])


def test_check_compares_dot_sources_when_another_graphviz_drew_the_svgs(tmp_path):
    model = tmp_path / "model"
    shutil.copytree(SMALL, model)
    out = tmp_path / "site"
    assert run_cli("docs", str(model), "--out", str(out)).returncode == 0
    manifest = out / MANIFEST
    manifest.write_text(manifest.read_text().replace(f'"graphviz": "{dot_version()}"', '"graphviz": "99.1.0"'))
    (out / "diagrams" / "stack.svg").write_bytes(b"<svg>drawn by another version</svg>")
    bin_dir = tmp_path / "bin"  # a CI runner without Graphviz
    bin_dir.mkdir()
    without_dot = {**os.environ, "PATH": str(bin_dir)}
    for env in (None, without_dot):
        same = run_cli("docs", str(model), "--check", str(out), env=env)
        assert same.returncode == 0, same.stdout + same.stderr
        here = "no Graphviz" if env else f"Graphviz {dot_version()}"
        assert same.stderr == (f"note: the diagrams in {out} were drawn by Graphviz 99.1.0 and this machine has {here}: "
                               "their DOT sources were compared, the SVGs only checked to be there\n")
    (out / "diagrams" / "dataflow.svg").unlink()
    stack = model / "stack.yaml"
    stack.write_text(stack.read_text().replace("annual_cost: 15000", "annual_cost: 16000"))
    stale = run_cli("docs", str(model), "--check", str(out), env=without_dot)
    assert stale.returncode == 1
    assert stale.stdout.splitlines() == ["missing: diagrams/dataflow.svg", "changed: diagrams/stack.dot",
                                         "changed: index.html", "changed: stack.html", "changed: tool-bynder.html"]


def test_drawn_diagrams_are_cached_by_their_dot_source(tmp_path, monkeypatch):
    monkeypatch.setenv("MOPSGOV_CACHE", str(tmp_path / "cache"))
    builder = Builder("cached")
    builder.node("a", "A")
    source = builder.graph.source
    first = render({"d": source})["d"]
    entries = list((tmp_path / "cache" / "diagrams").glob("??/*.svg"))
    assert len(entries) == 1 and entries[0].read_bytes() == first
    entries[0].write_bytes(b'<svg xmlns="http://www.w3.org/2000/svg">from the cache</svg>\n')
    assert render({"d": source})["d"].endswith(b">from the cache</svg>\n")  # read, not drawn again
    entries[0].write_bytes(first[:100])  # a damaged entry is drawn again and replaced
    assert render({"d": source})["d"] == first == entries[0].read_bytes()
    monkeypatch.setenv("MOPSGOV_CACHE", "off")
    assert render({"d": source})["d"] == first


def test_without_dot_the_site_has_dot_sources_and_a_note(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    os.symlink(sys.executable, bin_dir / "python3")
    env = {**os.environ, "PATH": str(bin_dir)}
    out = tmp_path / "site"
    done = run_cli("docs", str(SMALL), "--out", str(out), env=env)
    assert done.returncode == 0
    assert "warning docs.graphviz-missing the diagrams were not drawn" in done.stderr
    assert f"    fix: {INSTALL_WORDS}\n" in done.stderr and "`" not in done.stderr
    assert not list(out.glob("diagrams/*.svg"))
    assert (out / "diagrams" / "stack.dot").is_file()
    page = (out / "stack.html").read_text()
    assert (f'class="note">Graphviz is not installed, so the diagrams are given as DOT sources. {INSTALL_WORDS}</p>'
            in page.replace("<wbr>", ""))
    assert '<a href="diagrams/stack.dot">DOT source</a>' in page


def test_markdown_format(tmp_path):
    out = tmp_path / "md"
    done = run_cli("docs", str(SMALL), "--out", str(out), "--format", "markdown")
    assert done.returncode == 0, done.stderr
    page = (out / "process-lead-routing.md").read_text()
    assert "# Lead routing" in page
    assert "| <a id=\"step-capture\"></a>1 | Capture the form fill |" in page
    assert "[Marketo](tool-marketo.md)" in page
    assert "![Lead routing: swimlanes (starts when: A web form is submitted)](diagrams/process-lead-routing.svg)" in page
    assert not list(out.glob("*.html"))
    same = run_cli("docs", str(SMALL), "--check", str(out), "--format", "markdown")
    assert same.returncode == 0 and same.stdout.startswith(f"{out} is up to date")
    found = run_cli("docs", str(SMALL), "--check", str(out))  # the format comes from the manifest
    assert found.returncode == 0 and found.stdout == f"{out} is up to date (markdown, {len(list(out.rglob('*.*')))} files)\n"
    other = run_cli("docs", str(SMALL), "--check", str(out), "--format", "html")
    assert other.returncode == 1
    assert other.stdout.splitlines()[:2] == [f"format: {out} holds the markdown site (by its manifest), not html",
                                             "changed: .mopsgov-site.json"]
    assert "missing: index.html" in other.stdout.splitlines()


def test_docs_usage_errors(tmp_path):
    assert run_cli("docs", str(SMALL)).returncode == 2
    missing = run_cli("docs", str(tmp_path / "nope"), "--out", str(tmp_path / "o"))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    blocker = tmp_path / "file"
    blocker.write_text("x")
    taken = run_cli("docs", str(SMALL), "--out", str(blocker))
    assert taken.returncode == 2 and "is a file, not a folder" in taken.stderr


class _Scan(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.scripts, self.handlers, self.hrefs, self.text = 0, [], [], []

    def handle_starttag(self, tag, attrs):
        self.scripts += tag in ("script", "iframe", "object", "embed")
        self.handlers += [name for name, _ in attrs if name.startswith("on")]
        self.hrefs += [value for name, value in attrs if name in ("href", "src")]

    def handle_data(self, data):
        self.text.append(data)


# Fields that hold free text: poisoning only these keeps the model's references intact.
TEXT_FIELDS = {"name", "description", "trigger", "metric", "formula", "definition", "reason", "vendor", "product", "unit"}


def _active_svg_parts(svg: bytes) -> list[str]:
    """Elements and attributes of an SVG that could run code or leave the page."""
    found = []
    for element in ET.fromstring(svg).iter():
        tag = element.tag.rsplit("}", 1)[-1]
        if tag in ("script", "foreignObject", "a", "iframe", "image", "use", "animate", "set"):
            found.append(tag)
        found += [name for name in element.attrib if name.rsplit("}", 1)[-1].lower().startswith("on")
                  or name.rsplit("}", 1)[-1] == "href"]
    return found


def _payload_model(folder: Path, payload: str, only_text: bool = False) -> None:
    """The small fixture with every string value (map keys stay) set to the payload; with
    `only_text`, only the free-text fields, so ids and references still resolve."""
    shutil.copytree(SMALL, folder)
    for path in folder.glob("*.yaml"):
        data = yaml.safe_load(path.read_text())

        def poison(node, key=None):
            if isinstance(node, dict):
                return {k: poison(v, k) for k, v in node.items()}
            if isinstance(node, list):
                return [poison(v, key) for v in node]
            if isinstance(node, str) and key not in ("as_of",) and (not only_text or key in TEXT_FIELDS):
                return payload
            return node
        path.write_text(yaml.safe_dump(poison(data), allow_unicode=True))


@pytest.mark.parametrize("only_text", [False, True], ids=["every-string", "text-fields"])
@pytest.mark.parametrize("payload", PAYLOADS)
def test_payload_in_every_string_field(tmp_path, payload, only_text):
    model = tmp_path / "model"
    _payload_model(model, payload, only_text)
    site = build_site(run_check(str(model)))
    assert [f.rule for f in site.findings if f.rule.startswith("docs.diagram")] == []
    svgs = [n for n in site.files if n.endswith(".svg")]
    assert len(svgs) == len([n for n in site.files if n.endswith(".dot")]) >= 5
    shown = payload.replace("\n", " ")
    found_literally = False
    for name, content in site.files.items():
        if name.endswith(".svg"):
            assert _active_svg_parts(content) == [], name  # well-formed, nothing that could act
        if not name.endswith(".html"):
            continue
        scan = _Scan()
        scan.feed(content.decode().replace("<wbr>", ""))  # the line-break opportunities in long runs
        assert scan.scripts == 0 and scan.handlers == [], name
        assert [h for h in scan.hrefs if not SAFE_HREF.fullmatch(h)] == [], name
        text = " ".join(" ".join(scan.text).split())
        found_literally |= " ".join(shown.split()) in text
    assert found_literally


def test_diagram_command(tmp_path):
    out = tmp_path / "lead.svg"
    done = run_cli("diagram", str(SMALL), "process", "--entity", "lead-routing", "--output", str(out))
    assert done.returncode == 0, done.stderr
    texts = svg_texts(out.read_bytes())
    # the title, a lane per role (named in its box), then the steps in order
    assert texts[:3] == ["Lead routing: swimlanes (starts when: A web form is submitted)", "Campaign Specialist",
                         "MOps Manager"]
    assert [t for t in texts if t[:1].isdigit()] == ["1. Capture the form fill", "2. Score the lead", "3. Route to an SDR"]
    dot = run_cli("diagram", str(SMALL), "impact", "--entity", "tool:salesforce", "--format", "dot")
    assert dot.returncode == 0 and dot.stdout.startswith("digraph G {")
    # the tool and its 16 dependents, one arrow each along the shortest chain of relations
    assert dot.stdout.count(" -> ") == 16
    assert 'n1 [label="Salesforce Sales Cloud\\nTool" fillcolor="#e3f1e0" penwidth=2]' in dot.stdout
    assert '[label="is computed in"]' in dot.stdout
    png = tmp_path / "flows.png"
    assert run_cli("diagram", str(SMALL), "dataflow", "--format", "png", "--output", str(png)).returncode == 0
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    unknown = run_cli("diagram", str(SMALL), "process", "--entity", "nope")
    assert unknown.returncode == 2 and 'no process "nope" in the model' in unknown.stderr
    assert run_cli("diagram", str(SMALL), "impact").returncode == 2


# How to install Graphviz, in plain words: no Markdown backticks in a terminal or on a page.
INSTALL_WORDS = ("Install Graphviz to draw the diagrams: on Debian or Ubuntu run sudo apt-get install graphviz "
                 "fonts-liberation, on macOS brew install graphviz, or see https://graphviz.org/download/.")


def _failing_dot(bin_dir: Path) -> None:
    """A dot that reports a version and fails on every diagram."""
    bin_dir.mkdir()
    fake = bin_dir / "dot"
    fake.write_text('#!/bin/sh\n[ "$1" = "-V" ] && { echo "dot - graphviz version 0.0.1 (0)" >&2; exit 0; }\n'
                    'echo "Error: syntax error in line 1" >&2\nexit 1\n')
    fake.chmod(0o755)
    os.symlink(sys.executable, bin_dir / "python3")


def test_diagram_command_with_a_failing_dot(tmp_path):
    _failing_dot(tmp_path / "bin")
    env = {**os.environ, "PATH": str(tmp_path / "bin"), "MOPSGOV_CACHE": "off"}
    done = run_cli("diagram", str(SMALL), "stack", "--output", str(tmp_path / "s.svg"), env=env)
    assert done.returncode == 2
    assert done.stderr == ("mopsgov: dot failed on the diagram stack: Error: syntax error in line 1\n"
                           f"    fix: {INSTALL_WORDS}\n")
    assert not (tmp_path / "s.svg").exists()


def test_diagram_command_without_dot(tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    env = {**os.environ, "PATH": str(bin_dir)}
    done = run_cli("diagram", str(SMALL), "stack", "--output", str(tmp_path / "s.svg"), env=env)
    assert done.returncode == 2
    assert done.stderr == ("mopsgov: the Graphviz program dot is not installed (it is not on PATH)\n"
                           f"    fix: {INSTALL_WORDS}\n")
    assert not (tmp_path / "s.svg").exists()
    dot = run_cli("diagram", str(SMALL), "stack", "--format", "dot", env=env)
    assert dot.returncode == 0 and dot.stdout.startswith("digraph G {")


@pytest.mark.parametrize("payload, shown", [
    ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
    ("[x](javascript:alert(1))", "\\[x\\](javascript:alert(1))"),
    ("# not a heading", "\\# not a heading"),
    ("1. not a list", "1\\. not a list"),
    ("a | b", "a \\| b"),
    ("line one\nline two", "line one<br>line two"),
])
def test_markdown_shows_payloads_literally(tmp_path, payload, shown):
    from mopsgov.render.markdown import md_text

    assert md_text(payload) == shown
    model = tmp_path / "model"
    _payload_model(model, payload)
    site = build_site(run_check(str(model)), "markdown", draw=False)
    data = site.files["data.md"].decode()
    assert f"| {shown} |" in data
    outside_code = re.sub(r"`[^`]*`", "", "".join(c.decode() for n, c in site.files.items() if n.endswith(".md")))
    assert not re.search(r"(?<!\\)\]\(javascript:", outside_code)  # no link to it, only escaped brackets


def test_empty_columns_are_left_out(small_site):
    process = small_site.files["process-lead-routing.html"].decode()
    steps = process.split('<section id="steps">')[1].split("</section>")[0]
    assert ">Description<" not in steps  # no step of the fixture has one
    assert ">Consulted<" in steps


def _hostile_cases():
    from hostile.corpus import CASES

    return [case for case in CASES if not case.huge]


@pytest.mark.parametrize("case", _hostile_cases(), ids=lambda case: case.name)
def test_hostile_models_still_give_a_site(tmp_path, case):
    """Malformed and hostile model files: the site is still built, with the findings page."""
    from hostile.corpus import CONFIG

    model = tmp_path / "model"
    model.mkdir()
    (model / "mopsgov.yaml").write_text(CONFIG)
    case.build(model)
    result = run_check(str(model))
    site = build_site(result, draw=False)
    assert {"index.html", "findings.html", "glossary.html"} <= set(site.files)
    findings = site.files["findings.html"].decode()
    assert result.findings
    for finding in result.findings:
        assert f"<code>{finding.rule}</code>" in findings
        if finding.location:
            shown = str(finding.location).removeprefix(f"{model}/")
            assert f"<code>{escape(shown)}</code>" in findings


def test_odd_numbers_and_shapes_do_not_break_the_site(tmp_path):
    model = tmp_path / "model"
    model.mkdir()
    (model / "mopsgov.yaml").write_text('as_of: "2026-11-23"\n')
    (model / "m.yaml").write_text("""\
tools:
  - {id: a, name: A, category: crm, lifecycle: active, annual_cost: .inf,
     contract: {renewal: "2026-12-01", notice_days: 99999999999999999999}, seats: {bought: .inf, active: .nan}}
  - {id: b, name: B, lifecycle: active, annual_cost: 1000, currency: EUR,
     contract: {renewal: "2026-12-01", notice_days: 1000000}, seats: {bought: 99999999999999999999999, active: 3}}
roles:
  - {id: r, name: R, team: t, fte: .inf}
processes:
  - {id: p, name: P, owner: r, steps: not a list}
""")
    site = build_site(run_check(str(model)), draw=False)
    index = site.files["index.html"].decode()
    assert "1,000 EUR" in index  # the infinite cost is left out of the total
    # no notice deadline (the column is left out), no cost for the infinite one
    assert '<a href="tool-a.html">A</a></td><td class="nowrap">2026-12-01</td><td class="num">8</td><td class="num"></td></tr>' in index
    assert '<p class="intro">Process</p>' in site.files["process-p.html"].decode()


def _edited_small(folder: Path, replacements: dict[str, list[tuple[str, str]]], extra: dict[str, str] | None = None) -> Path:
    """A copy of the small fixture with text replaced in its files and text appended to them."""
    shutil.copytree(SMALL, folder)
    for name, pairs in replacements.items():
        content = (folder / name).read_text()
        for old, new in pairs:
            assert old in content, old
            content = content.replace(old, new)
        (folder / name).write_text(content)
    for name, added in (extra or {}).items():
        (folder / name).write_text((folder / name).read_text() + added)
    return folder


def _row(page: str, anchor: str) -> str:
    return page.split(f'<tr id="{anchor}">')[1].split("</tr>")[0]


def test_smart_status_is_the_checks(tmp_path):
    """A goal whose deadline has passed and whose target is worse than its baseline is not shown
    as SMART: the status comes from the check's own findings."""
    model = _edited_small(tmp_path / "model", {"measures.yaml": [
        ('    target: 5\n    deadline: "2027-06-30"', '    target: 60\n    deadline: "2026-01-31"')]})
    result = run_check(str(model))
    assert sorted(f.rule for f in result.findings if f.kind == "goal") == [
        "goal.deadline-future", "goal.improves", "goal.smart", "goal.smart", "goal.smart"]
    kpis = build_site(result, draw=False).files["kpis.html"].decode()
    assert _row(kpis, "goal-faster-follow-up").endswith(
        '<td data-label="SMART"><span class="tag tag-bad">deadline passed</span> <span class="tag tag-bad">target does not improve on '
        'the baseline</span></td>')
    assert _row(kpis, "goal-more-sqls").endswith(
        '<td data-label="SMART"><span class="tag tag-bad">missing baseline, deadline, target</span></td>')
    fine = build_site(run_check(str(SMALL)), draw=False).files["kpis.html"].decode()
    assert _row(fine, "goal-faster-follow-up").endswith('<td data-label="SMART"><span class="tag tag-ok">SMART</span></td>')


def test_process_kpis_are_those_that_measure_it(tmp_path):
    # a KPI computed in Salesforce (which the process uses) from data the process never touches
    asset_downloads = """
  - id: asset-downloads
    name: Asset downloads
    form: activity
    formula: count of downloads
    unit: count
    direction: higher-is-better
    cadence: monthly
    owner: mops-manager
    sources: [salesforce]
    inputs: [asset]
    target: 12000
"""
    model = _edited_small(tmp_path / "model", {"measures.yaml": [("    target: 30\n", "    target: 30\n" + asset_downloads)]})
    site = build_site(run_check(str(model)), draw=False)
    page = site.files["process-lead-routing.html"].decode()
    kpis = page.split('<section id="kpis">')[1].split("</section>")[0]
    assert re.findall(r'<tr><td><a href="kpis.html#kpi-([a-z-]+)">', kpis) == ["speed-to-lead", "mql-to-sql"]
    assert ('<td>measures <a href="slas.html#sla-lead-routing-5min">Leads routed within 5 minutes</a>, its steps write '
            '<a href="data.html#data-lead">Lead</a></td>') in kpis
    assert ('<td>its steps write <a href="data.html#data-lead">Lead</a>, <a href="data.html#data-contact">Contact</a>'
            '</td>') in kpis
    assert ('<p>Also computed in the tools its steps use (they may not measure this process): '
            '<a href="kpis.html#kpi-asset-downloads">Asset downloads</a></p>') in kpis
    assert "12,000" in _row(site.files["kpis.html"].decode(), "kpi-asset-downloads")


def test_numbers_have_separators_units_and_currencies(small_site):
    kpis = small_site.files["kpis.html"].decode()
    assert _row(kpis, "kpi-speed-to-lead").endswith('<td class="num" data-label="Target">5 minutes</td>'
                                                    '<td data-label="Findings"></td>')
    assert '<td class="num" data-label="Target">30%</td><td data-label="Findings"><a href="findings.html#finding-' in _row(
        kpis, "kpi-mql-to-sql")
    goal = _row(kpis, "goal-faster-follow-up")
    assert '<td class="num" data-label="Baseline">45 minutes</td><td class="num" data-label="Target">5 minutes</td>' in goal
    tool = small_site.files["tool-marketo.html"].decode()
    assert "<dt>Annual cost<small>What the tool costs a year, in currency.</small></dt><dd>48,000 EUR</dd>" in tool
    data = small_site.files["data.html"].decode()
    assert '<td data-label="Mechanism">API</td>' in data and ">Api<" not in data


@pytest.mark.parametrize("slug, shown", [
    ("api", "API"), ("ipaas", "iPaaS"), ("ab-testing", "A/B testing"), ("cms-web-experience", "CMS web experience"),
    ("native-connector", "Native connector"), ("seo", "SEO"), ("reports_to", "Reports to"), ("dpa", "DPA"),
])
def test_humanise_writes_acronyms_as_marketing_does(slug, shown):
    from mopsgov.render.schema_text import humanise

    assert humanise(slug) == shown


def test_long_unbroken_text_gets_line_break_opportunities():
    from mopsgov.render import blocks as b
    from mopsgov.render.html import block, cell

    assert cell("N" * 65) == "N" * 30 + "<wbr>" + "N" * 30 + "<wbr>" + "N" * 5
    assert cell("a <" + "x" * 31) == "a &lt;" + "x" * 29 + "<wbr>xx"  # escaped piece by piece
    assert cell(b.Link("y" * 31, "tool-y")) == '<a href="tool-y.html">' + "y" * 30 + "<wbr>y</a>"
    wide = b.Table([b.Column(f"C{i}") for i in range(6)], [list("abcdef")])
    assert '<table class="stack">' in block(wide) and '<td data-label="C5">f</td>' in block(wide)
    narrow = b.Table([b.Column("C")], [["a"]])
    assert "<table>" in block(narrow) and "data-label" not in block(narrow)


def _section(page: str, anchor: str) -> str:
    return page.split(f'<section id="{anchor}">')[1].split("</section>")[0]


def test_overview_for_the_cmo(monkeypatch):
    from mopsgov.render.pages import overview

    monkeypatch.setattr(overview, "TOP_CATEGORIES", 2)
    index = build_site(run_check(str(SMALL)), draw=False).files["index.html"].decode()
    # spend by category: the two biggest, then the other four summed
    assert re.findall(r"<tr><td>(.*?)</td><td class=\"num\">(\d+)</td><td class=\"num\">(.*?)</td></tr>",
                      _section(index, "spend-categories")) == [
        ("CRM", "1", "90,000 EUR"), ("Marketing automation &amp; campaign/lead management", "1", "48,000 EUR"),
        ('<a href="stack.html#spend-categories">4 other categories</a>', "4", "25,000 EUR + 20,000 USD")]
    # open findings count every severity, and say how many of each
    assert ('<span class="label">Open findings</span><span class="value">22</span><span class="detail">0 errors, '
            '14 warnings, 8 info</span>') in index
    assert '<span class="detail">1 SLA, 2 KPIs</span>' in index
    risks = _section(index, "risks")
    assert ('<tr><td><span class="tag tag-warn">warning</span></td><td><a href="policies.html#rule-goal-smart"><code>'
            'goal.smart</code></a></td><td>Every goal is SMART (KPI, baseline, target, deadline)</td><td class="num">3'
            '</td></tr>') in risks
    assert risks.count("<tr><td>") == overview.TOP_RISKS and "more rules with findings on the findings page" in risks
    assert ('<tr><td><a href="findings.html#waiver-mailchimp-sunset">Mailchimp runs until its contract ends</a></td>'
            '<td><code>tool.retired-in-use</code></td><td class="nowrap">2026-12-31</td><td><span class="tag tag-warn">'
            'in 38 days</span></td></tr>') in _section(index, "waivers")
    maturity = _section(index, "maturity")
    assert '<tr><td>People</td><td><span class="tag tag-bad">2 of 5</span></td>' in maturity
    assert maturity.count("of 5") == 5  # the level once per pillar, no second badge
    # why each level was earned or missed: the maturity analysis's evidence, criterion by criterion
    reasons = re.findall(r'<tr><td data-label="Pillar">(\w+)</td><td data-label="Level">level (\d)</td><td data-label='
                         r'"Criterion">[^<]*</td><td data-label="Result"><span class="tag tag-\w+">([^<]*)</span></td>',
                         maturity)
    assert len(reasons) == 20 and reasons[4:8] == [("Process", "2", "earned"), ("Process", "3", "earned"),
                                                  ("Process", "4", "missed"), ("Process", "5", "met, not counted yet")]
    assert ('<td data-label="Criterion">no shelfware</td><td data-label="Result"><span class="tag tag-bad">missed</span>'
            '</td><td data-label="Why">1 tool unused (mailchimp), 6,000 EUR a year</td><td data-label="Holding it back">'
            '<a href="tool-mailchimp.html">Mailchimp</a></td></tr>') in maturity
    assert ('<td data-label="Why">1 of 2 processes have an SLA measured by a KPI</td><td data-label="Holding it back">'
            '</td></tr>') in maturity  # met: nothing holds it back
    assert '<th scope="col">Details</th>' in _section(index, "coverage") and '<th scope="col"></th>' not in index


def test_glossary_has_the_sites_own_terms(small_site):
    glossary = small_site.files["glossary.html"].decode()
    mops = _section(glossary, "mops")
    assert ('<tr id="term-shelfware"><td>Shelfware</td><td></td><td>A tool that is paid for but that no process step '
            'uses and no data flow touches.</td></tr>') in mops
    terms = re.findall(r'<tr id="term-([a-z-]+)">', mops)
    for wanted in ("mql", "sql", "map", "crm", "cdp", "dam", "mrm", "ipaas", "raci", "sla", "kpi", "system-of-record",
                   "notice-deadline", "dpa", "data-residency", "lawful-basis", "single-point-of-failure", "value-archetypes"):
        assert wanted in terms
    assert terms[:3] == ["abm", "api", "cdp"]  # in the data file's order
    assert '<section id="value-archetype">' in glossary  # the model's vocabulary terms follow


def test_personal_data_flows_in_one_table(small_site):
    flows = _section(small_site.files["data.html"].decode(), "personal-flows")
    rows = re.findall(r"<tr>(.*?)</tr>", flows.split("<tbody>")[1])
    assert len(rows) == 2
    assert rows[0].startswith('<td data-label="Flow"><a href="data.html#flow-leads-to-crm">')
    assert '<td data-label="DPA"><span class="tag tag-ok">DPA signed</span></td>' in rows[0]


def test_redundancy_table_shows_the_overlap_score(tmp_path):
    """Mailchimp, made active for the same team, offers three of its four capabilities through
    Marketo: the table shows the 75% the finding names."""
    model = tmp_path / "model"
    shutil.copytree(SMALL, model)
    stack = model / "stack.yaml"
    stack.write_text(stack.read_text().replace(
        "    capabilities: [email-send]\n    owner: campaign-specialist\n    lifecycle: phase-out",
        "    capabilities: [email-send, landing-pages, lead-scoring, social-publishing]\n    owner: campaign-specialist\n"
        "    user_teams: [mops]\n    lifecycle: active"))
    result = run_check(str(model))
    found = [f for f in result.findings if f.rule == "stack.redundant-tools"]
    assert [f.entity for f in found] == ["mailchimp"] and 'tool "mailchimp" overlaps 75% with' in found[0].message
    section = _section(build_site(result, draw=False).files["stack.html"].decode(), "redundancy")
    assert '<th scope="col" class="num" title="The share of the other tools&#39; capabilities' in section
    assert ('<td data-label="Keep"><a href="tool-marketo.html">Marketo</a></td><td class="num" data-label="Overlap">75%'
            '</td>') in section


@pytest.fixture(scope="module")
def enterprise_pages():
    site = build_site(run_check(str(ROOT / "examples" / "enterprise")), draw=False)
    return {name: content.decode() for name, content in site.files.items() if name.endswith(".html")}


def _finding_row(pages: dict, link: str) -> str:
    """The row of the findings page that a findings.html#... link leads to."""
    anchor = re.fullmatch(r'<a href="findings\.html#(finding-[0-9a-f]{10})">.*</a>', link).group(1)
    return pages["findings.html"].split(f'<tr id="{anchor}">')[1].split("</tr>")[0]


def test_entity_pages_show_the_analysis_findings_about_them(enterprise_pages):
    """An infeasible SLA, a KPI that cannot be computed, personal data outside the allowed
    residency and risky flows: each shown where the entity is, linked to its finding."""
    pages = enterprise_pages
    cells = lambda page, label: [c for c in re.findall(rf'<td data-label="{label}">(.*?)</td>', pages[page]) if c]
    (sla,) = cells("slas.html", "Findings")
    assert re.fullmatch(r'<a href="findings\.html#finding-[0-9a-f]{10}">infeasible</a>', sla)
    assert '<code>sla.feasible</code>' in _finding_row(pages, sla) and "inbound-routing-5min" in _finding_row(pages, sla)
    (kpi,) = cells("kpis.html", "Findings")
    assert kpi.endswith(">not computable</a>") and "event-influenced-pipeline" in _finding_row(pages, kpi)
    flows = cells("data.html", "Findings")
    assert [re.sub(r"<[^>]+>", "", c) for c in flows] == [
        "data.system-of-record", "data.lawful-basis", "fragile link (waived), written back and forth",
        "data.processing-agreement", "data.processing-agreement"]
    personal = _section(pages["data.html"], "personal")
    exposed = re.findall(r'<a href="findings\.html#finding-[0-9a-f]{10}">[^<]*</a>', personal)
    assert [re.sub(r"<[^>]+>", "", e) for e in exposed] == [
        "Salesloft Drift: personal data outside the allowed residency",
        "Salesloft Drift: personal data outside the allowed residency",
        "Upfluence: personal data without a DPA", "Upfluence: personal data without a DPA"]
    assert "<code>privacy.exposure-residency</code>" in _finding_row(pages, exposed[0])
    data_findings = _section(pages["data.html"], "findings")
    assert data_findings.count("<code>privacy.exposure-") == 2 and data_findings.count("<code>flow.") == 2
    process = _section(pages["process-inbound-lead-routing.html"], "findings")
    assert "<code>sla.feasible</code>" in process and 'href="slas.html#sla-inbound-routing-5min"' in process
    assert re.search(r'<td data-label="Finding"><a href="findings\.html#finding-[0-9a-f]{10}">SLA ', process)


def test_why_keep_names_the_owner(small_site):
    from mopsgov.render.blocks import Link, Phrase
    from mopsgov.render.context import SiteContext
    from mopsgov.render.pages.stack import _reason

    ctx = SiteContext(run_check(str(SMALL)), diagrams_drawn=False)
    assert _reason(ctx, "owned by mops-manager") == Phrase(("owned by ", Link("MOps Manager", "teams", "role-mops-manager")))
    assert _reason(ctx, "owned by nobody-here") == "owned by nobody-here"
    assert _reason(ctx, "most integrations (3 flows)") == "most integrations (3 flows)"


@pytest.mark.parametrize("text", ["plain", "a & b", "<script>", '"quoted"', "it's", "&amp;", "\u00e9<\u4e2d>&'\"", ""])
def test_html_escape_is_markupsafes(text):
    from markupsafe import escape as markupsafe_escape

    from mopsgov.render.html import escape

    assert escape(text) == str(markupsafe_escape(text))


def test_a_failing_dot_still_gives_the_site_with_dot_sources(tmp_path):
    """A dot that fails on every diagram: the site is written with the DOT sources, the pages
    say so, and the warning names the failure."""
    bin_dir = tmp_path / "bin"
    _failing_dot(bin_dir)
    out = tmp_path / "site"
    done = run_cli("docs", str(SMALL), "--out", str(out), env={**os.environ, "PATH": str(bin_dir)})
    assert done.returncode == 0, done.stderr
    assert "warning docs.diagram-failed the diagrams were not drawn: dot failed on the diagram " in done.stderr
    assert "Error: syntax error in line 1" in done.stderr and f"    fix: {INSTALL_WORDS}\n" in done.stderr
    assert "`" not in done.stderr
    assert not list(out.glob("diagrams/*.svg")) and (out / "diagrams" / "stack.dot").is_file()
    assert 'class="note">Graphviz could not draw them, so the diagrams are given as DOT sources.' in (
        out / "stack.html").read_text()
    assert json.loads((out / MANIFEST).read_text())["graphviz"] is None


class _Isolation(HTMLParser):
    """Where a bidi character sits: inside a <bdi>, outside one, or in the <title>."""

    def __init__(self, mark: str) -> None:
        super().__init__()
        self.mark, self.depth, self.tags = mark, 0, []
        self.isolated = self.loose = self.in_title = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.depth += tag == "bdi"

    def handle_endtag(self, tag):
        if tag in self.tags:
            while self.tags and self.tags.pop() != tag:
                pass
        self.depth -= tag == "bdi"

    def handle_data(self, data):
        if self.mark in data:
            if "title" in self.tags:
                self.in_title += 1
            elif self.depth > 0:
                self.isolated += 1
            else:
                self.loose += 1


@pytest.mark.parametrize("payload, mark", [("Mail\u202ekcab evil", "\u202e"), ("\u05e9\u05d9\u05d5\u05d5\u05e7 (IL)", "\u05e9")])
def test_right_to_left_text_is_isolated_from_the_page_around_it(tmp_path, payload, mark):
    model = tmp_path / "model"
    _payload_model(model, payload, only_text=True)
    site = build_site(run_check(str(model)))
    isolated = 0
    for name, content in site.files.items():
        if name.endswith(".html"):
            scan = _Isolation(mark)
            scan.feed(content.decode())
            assert scan.loose == 0, name
            isolated += scan.isolated
            if mark == "\u202e":
                assert scan.in_title == 0, name  # the tab title drops the override
    assert isolated > 20
    index = site.files["index.html"].decode()
    assert "<bdi>" not in build_site(run_check(str(SMALL))).files["index.html"].decode()  # plain text: no markup added
    assert index.count("<bdi>") == index.count("</bdi>") > 0
