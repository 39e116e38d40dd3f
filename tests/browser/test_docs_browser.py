"""The example's documentation site in headless Chromium from file://: every page loads without
console errors, every internal link resolves, every diagram is displayed with a size, and
screenshots of the overview and one process page are kept in test-artifacts/."""
from __future__ import annotations

import base64
import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from mopsgov.check import run_check
from mopsgov.render.site import build_site, write_site
from .cdp import Browser

ROOT = Path(__file__).resolve().parents[2]
# The enterprise example is the one the site is judged on; the startup one stands in until it exists.
EXAMPLE = next(p for p in (ROOT / "examples" / "enterprise", ROOT / "examples" / "startup") if p.is_dir())
ARTIFACTS = ROOT / "test-artifacts"

MEASURE = """JSON.stringify(Array.from(document.images).map(i => {
  const r = i.getBoundingClientRect();
  return [i.getAttribute('src'), i.complete, i.naturalWidth, i.naturalHeight, r.width, r.height];
}))"""


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.targets: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag, attrs):
        found = dict(attrs)
        if "id" in found:
            self.ids.add(found["id"])
        for name in ("href", "src"):
            if found.get(name):
                self.targets.append(found[name])


def _parse(path: Path) -> _Links:
    parser = _Links()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


@pytest.fixture(scope="module")
def site(tmp_path_factory, chromium_installed) -> Path:
    out = tmp_path_factory.mktemp("site")
    build = build_site(run_check(str(EXAMPLE)))
    assert [f.rule for f in build.findings] == []
    write_site(build, out)
    return out


def test_no_broken_internal_links(site):
    pages = sorted(site.glob("*.html"))
    parsed = {p.name: _parse(p) for p in pages}
    broken = []
    for name, links in parsed.items():
        for target in links.targets:
            assert "://" not in target and not target.startswith(("javascript:", "data:", "//")), (name, target)
            file_part, _, anchor = target.partition("#")
            file_name = file_part or name
            if not (site / file_name).is_file():
                broken.append((name, target))
            elif anchor and file_name.endswith(".html") and anchor not in parsed[file_name].ids:
                broken.append((name, target))
    assert broken == []


def page_problems(browser: Browser, page: Path) -> tuple[list, int]:
    """Console errors, uncaught exceptions, error log entries (CSP, failed loads) and diagrams
    not displayed on one page; and how many images it shows."""
    browser.events.clear()
    browser.call("Page.navigate", url=page.as_uri())
    browser.wait_for("Page.loadEventFired")
    problems = []
    for event in browser.events:
        method, params = event.get("method"), event.get("params", {})
        if method == "Runtime.consoleAPICalled" and params.get("type") in ("error", "assert"):
            problems.append(params.get("args"))
        elif method == "Runtime.exceptionThrown":
            problems.append(params.get("exceptionDetails", {}).get("text"))
        elif method == "Log.entryAdded" and params.get("entry", {}).get("level") == "error":
            problems.append(params["entry"].get("text"))
    images = json.loads(browser.call("Runtime.evaluate", expression=MEASURE, returnByValue=True)["result"]["value"])
    for src, complete, width, height, shown_w, shown_h in images:
        if not (complete and width > 0 and height > 0 and shown_w > 0 and shown_h > 0):
            problems.append(f"diagram {src} not displayed: {width}x{height}, shown {shown_w}x{shown_h}")
    return problems, len(images)


@pytest.fixture(scope="module")
def browser(chromium_installed):
    started = Browser()
    started.call("Page.enable")
    started.call("Runtime.enable")
    started.call("Log.enable")
    yield started
    started.close()


def test_every_page_in_chromium(site, browser):
    problems, images_seen = [], 0
    pages = sorted(site.glob("*.html"))
    process_page = next(p for p in pages if p.name.startswith("process-"))
    for page in pages:
        found, images = page_problems(browser, page)
        problems += [(page.name, p) for p in found]
        images_seen += images
        if page.name in ("index.html", process_page.name):
            shot = browser.call("Page.captureScreenshot", format="png", captureBeyondViewport=True)
            ARTIFACTS.mkdir(exist_ok=True)
            target = ARTIFACTS / ("docs-overview.png" if page.name == "index.html" else "docs-process.png")
            target.write_bytes(base64.b64decode(shot["data"]))
    assert problems == []
    # one diagram per process page, per tool page with six dependents or more, plus the stack,
    # data-flow and RACI diagrams
    drawn_tools = len(list(site.glob("diagrams/impact-tool-*.svg")))
    assert 0 < drawn_tools < len([p for p in pages if p.name.startswith("tool-")])
    assert images_seen >= len([p for p in pages if p.name.startswith("process-")]) + drawn_tools + 3
    for name in ("docs-overview.png", "docs-process.png"):
        assert (ARTIFACTS / name).read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_checks_catch_a_bad_page(site, browser, tmp_path):
    """The same checks on a page with an inline script (blocked by the site's CSP), a missing
    diagram and a console error: each is reported."""
    page = site / "index.html"
    html = page.read_text(encoding="utf-8")
    bad = tmp_path / "bad.html"
    bad.write_text(html.replace("</main>", '<img src="diagrams/missing.svg"><script>console.error("x")</script></main>'),
                   encoding="utf-8")
    (tmp_path / "static").mkdir()
    (tmp_path / "static" / "site.css").write_bytes((site / "static" / "site.css").read_bytes())
    problems, images = page_problems(browser, bad)
    assert images == 1
    assert any("Content Security Policy" in str(p) for p in problems)
    assert "Failed to load resource: net::ERR_FILE_NOT_FOUND" in problems
    assert "diagram diagrams/missing.svg not displayed: 0x0, shown 16x16" in problems  # the broken-image icon
    unsafe = tmp_path / "unsafe.html"
    unsafe.write_text("<!DOCTYPE html><title>x</title><script>console.error('boom')</script>", encoding="utf-8")
    problems, _ = page_problems(browser, unsafe)
    assert problems == [[{"type": "string", "value": "boom"}]]


def test_readable_on_a_phone(site, browser):
    """At a phone's width no page is wider than the screen: wide tables and diagrams scroll
    inside their own box."""
    browser.call("Emulation.setDeviceMetricsOverride", width=390, height=844, deviceScaleFactor=2, mobile=True)
    try:
        too_wide = []
        pages = sorted(site.glob("*.html"))
        for page in [site / "index.html", site / "stack.html", site / "data.html", site / "kpis.html",
                     site / "slas.html", site / "findings.html", *(p for p in pages if p.name.startswith("process-"))]:
            problems, _ = page_problems(browser, page)
            assert problems == []
            width = browser.call("Runtime.evaluate", expression="document.documentElement.scrollWidth",
                                 returnByValue=True)["result"]["value"]
            if width > 390:
                too_wide.append((page.name, width))
        assert too_wide == []
        # the RACI matrix, shown as cards, keeps its caption (the letters' legend) as wide as the cards
        page_problems(browser, next(p for p in pages if p.name.startswith("process-")))
        caption, table = json.loads(browser.call("Runtime.evaluate", expression=CAPTION, returnByValue=True)["result"]["value"])
        assert caption > 0 and abs(caption - table) < 1, (caption, table)
    finally:
        browser.call("Emulation.clearDeviceMetricsOverride")


# A cell too narrow for its word, styled through the CSSOM (the pages' CSP refuses style attributes).
NARROW_CELL = """(() => {
  const table = document.body.appendChild(document.createElement('table'));
  Object.assign(table.style, {width: '20px', tableLayout: 'fixed'});
  const cell = table.insertRow().insertCell();
  cell.style.overflowWrap = 'anywhere';
  cell.textContent = 'Responsibilities';
})()"""
CAPTION = """JSON.stringify(['caption', 'table'].map(s => document.querySelector('#raci ' + s).getBoundingClientRect().width))"""
WIDTHS = """JSON.stringify([document.documentElement.scrollWidth,
  Array.from(document.querySelectorAll('table')).map(t => t.getBoundingClientRect().right)])"""
# Words of table cells (codes aside, which may break anywhere) that are split over two lines.
BROKEN_WORDS = """JSON.stringify((() => {
  const broken = [];
  for (const cell of document.querySelectorAll('td, th')) {
    const walker = document.createTreeWalker(cell, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if (node.parentElement.closest('code')) continue;
      for (const word of node.textContent.matchAll(/[A-Za-z]{2,}/g)) {
        const range = document.createRange();
        range.setStart(node, word.index);
        range.setEnd(node, word.index + word[0].length);
        if (new Set(Array.from(range.getClientRects()).map(r => Math.round(r.top))).size > 1) broken.push(word[0]);
      }
    }
  }
  return broken;
})())"""


def test_printed_tables_fit_the_paper(site, browser):
    """Printed on A4 (about 718 CSS pixels between the margins), no table is wider than the page,
    and no word in a table is cut over two lines: only codes and ids may break anywhere."""
    browser.call("Emulation.setEmulatedMedia", media="print")
    browser.call("Emulation.setDeviceMetricsOverride", width=718, height=1000, deviceScaleFactor=1, mobile=False)
    process = next(p.name for p in sorted(site.glob("process-*.html")))
    try:
        for name in ("kpis.html", "findings.html", "slas.html", "data.html", "teams.html", "stack.html", "index.html",
                     process):
            problems, _ = page_problems(browser, site / name)
            assert problems == []
            width, rights = json.loads(browser.call("Runtime.evaluate", expression=WIDTHS,
                                                    returnByValue=True)["result"]["value"])
            assert width <= 718 and max(rights) <= 718, (name, width, max(rights))
            broken = json.loads(browser.call("Runtime.evaluate", expression=BROKEN_WORDS,
                                             returnByValue=True)["result"]["value"])
            assert broken == [], (name, broken[:10])
        # the check sees a cut word: a column too narrow for it, with the old rule that cut words anywhere
        browser.call("Runtime.evaluate", expression=NARROW_CELL)
        broken = json.loads(browser.call("Runtime.evaluate", expression=BROKEN_WORDS, returnByValue=True)["result"]["value"])
        assert broken == ["Responsibilities"]
    finally:
        browser.call("Emulation.setEmulatedMedia", media="")
        browser.call("Emulation.clearDeviceMetricsOverride")


def test_diagrams_are_shown_at_their_own_size(site, browser):
    """A diagram wider than the page is not shrunk until its text is unreadable: it keeps its
    size and scrolls inside its frame, with a link to open it full size."""
    problems, _ = page_problems(browser, site / "stack.html")
    assert problems == []
    shown = json.loads(browser.call("Runtime.evaluate", expression=MEASURE, returnByValue=True)["result"]["value"])
    (src, _, natural_w, _, shown_w, _), = [i for i in shown if i[0].startswith("diagrams/stack")][:1]
    assert natural_w > 1200 and abs(shown_w - natural_w) < 1, (src, natural_w, shown_w)
    page = (site / "stack.html").read_text(encoding="utf-8")
    assert f'<a href="{src}">open full size</a>' in page


# Per node and cluster of an SVG, each text that sticks out of its shape's box, by how much.
OVERFLOW = """JSON.stringify(Array.from(document.querySelectorAll('g.node, g.cluster')).flatMap(g => {
  const shape = g.querySelector('path, polygon, ellipse');
  if (!shape) return [];
  const s = shape.getBBox();
  return Array.from(g.querySelectorAll('text')).map(t => {
    const b = t.getBBox();
    const out = Math.max(s.x - b.x, b.x + b.width - s.x - s.width, s.y - b.y, b.y + b.height - s.y - s.height);
    return [t.textContent, Math.round(out * 10) / 10];
  }).filter(r => r[1] > 0.25);
}))"""
METRIC_FONTS = {"Liberation Sans", "Arial", "Helvetica", "Arimo"}  # Helvetica's widths, which dot sizes with


def label_overflow(browser: Browser, svg: Path) -> tuple[list, set]:
    """The labels of one SVG that stick out of their boxes, and the fonts the browser draws them in."""
    browser.call("Page.navigate", url=svg.as_uri())
    browser.wait_for("Page.loadEventFired")
    found = json.loads(browser.call("Runtime.evaluate", expression=OVERFLOW, returnByValue=True)["result"]["value"])
    root = browser.call("DOM.getDocument")["root"]["nodeId"]
    first = browser.call("DOM.querySelector", nodeId=root, selector="g.node text")["nodeId"]
    fonts = {f["familyName"] for f in browser.call("CSS.getPlatformFontsForNode", nodeId=first)["fonts"]}
    return found, fonts


def test_diagram_labels_fit_their_boxes(site, browser, tmp_path):
    """Every label of every diagram of the enterprise example stays inside its node's (or
    cluster's) box as Chromium draws it, in a font with the widths dot sized the boxes for."""
    browser.call("DOM.enable")
    browser.call("CSS.enable")
    svgs = sorted((site / "diagrams").glob("*.svg"))
    assert len(svgs) > 100 and EXAMPLE.name == "enterprise"
    overflowing, fonts = [], set()
    for svg in svgs:
        found, used = label_overflow(browser, svg)
        overflowing += [(svg.name, *f) for f in found]
        fonts |= used
    assert overflowing == []
    assert fonts and fonts <= METRIC_FONTS, fonts
    # the same check catches labels drawn in a wider font than dot measured
    wide = tmp_path / "wide.svg"
    wide.write_bytes((site / "diagrams" / "stack.svg").read_bytes().replace(
        b'font-family="Helvetica,', b'font-family="DejaVu Sans Mono,Helvetica,'))
    found, used = label_overflow(browser, wide)
    assert used == {"DejaVu Sans Mono"} and len(found) > 20


LANES = """JSON.stringify(Array.from(document.querySelectorAll('g.cluster')).map(g => {
  const b = g.querySelector('path, polygon').getBBox();
  return [Math.round(b.x * 10) / 10, Math.round((b.x + b.width) * 10) / 10];
}))"""


def test_swimlanes_are_rows_of_one_width(site, browser):
    """Every lane of every process's swimlanes starts and ends where the others do."""
    uneven = []
    for svg in sorted((site / "diagrams").glob("process-*.svg")):
        browser.call("Page.navigate", url=svg.as_uri())
        browser.wait_for("Page.loadEventFired")
        lanes = json.loads(browser.call("Runtime.evaluate", expression=LANES, returnByValue=True)["result"]["value"])
        assert lanes, svg.name
        if len({tuple(lane) for lane in lanes}) > 1:
            uneven.append((svg.name, lanes))
    assert uneven == []
