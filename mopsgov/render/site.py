"""Build the documentation site in memory, then write it, or compare it with a written copy.

`build_site` returns every file as bytes, so writing and `--check` share one code path and the
output is byte-for-byte reproducible: no timestamps, everything sorted or in model order.
A manifest (`MANIFEST`) lists the files the tool wrote; a rebuild removes only files listed
there that are no longer produced, never anything else in the folder.
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from mopsgov.atomic import write_bytes
from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity
from mopsgov.render import html, markdown
from mopsgov.fields import text
from mopsgov.render.blocks import Table, drop_empty_columns
from mopsgov.render.context import SiteContext
from mopsgov.render.dot import INSTALL_HINT, DotError, dot_program, render
from mopsgov.render.pages import PAGES

MANIFEST = ".mopsgov-site.json"
FORMATS = {"html": html, "markdown": markdown}
STYLESHEET = "static/site.css"


class SiteError(Exception):
    """The output folder cannot be used (a file is in the way, or it cannot be written)."""


@dataclass
class SiteBuild:
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content
    findings: list[Finding] = field(default_factory=list)  # warnings about the build itself


def _pages(ctx: SiteContext) -> list:
    pages = []
    for _label, _name, module in PAGES:
        if module is not None:
            pages += module.build(ctx)
    for page in pages:
        for section in page.sections:
            section.blocks = [drop_empty_columns(b) if isinstance(b, Table) else b for b in section.blocks]
    return pages


def build_site(result: CheckResult, fmt: str = "html", draw: bool | None = None) -> SiteBuild:
    """Every file of the site. `draw=None` draws diagrams when Graphviz's dot is installed."""
    renderer = FORMATS[fmt]
    out = SiteBuild()
    draw = dot_program() is not None if draw is None else draw
    if not draw:
        out.findings.append(Finding("docs.graphviz-missing", Severity.WARNING,
                                    "the diagrams were not drawn: Graphviz's dot program is not installed; "
                                    "the site has their DOT sources instead", fix=INSTALL_HINT))
    ctx = SiteContext(result, diagrams_drawn=draw)
    out.findings += ctx.problems
    pages = _pages(ctx)
    images: dict[str, bytes] = {}
    if draw:
        try:
            images = render({name: d.source for name, d in ctx.diagrams.items()}, "svg")
        except DotError as exc:
            out.findings.append(Finding("docs.diagram-failed", Severity.WARNING,
                                        f"the diagrams were not drawn: {exc}", fix=INSTALL_HINT))
            ctx = SiteContext(result, diagrams_drawn=False)
            pages = _pages(ctx)
    menu = [(label, name) for label, name, _ in PAGES]
    site_name, as_of = text(result.model.name) or "Operating model", result.model.as_of.isoformat()
    for page in pages:
        out.files[f"{page.name}.{renderer.EXT}"] = renderer.render_page(page, menu, site_name, as_of).encode("utf-8")
    for name, diagram in ctx.diagrams.items():
        out.files[f"diagrams/{name}.dot"] = diagram.source.encode("utf-8")
        if name in images:
            out.files[f"diagrams/{name}.svg"] = images[name]
    if fmt == "html":
        out.files[STYLESHEET] = resources.files("mopsgov.render").joinpath(STYLESHEET).read_bytes()
    out.files = dict(sorted(out.files.items()))
    out.files[MANIFEST] = (json.dumps({"generator": "mopsgov", "files": sorted(out.files)}, indent=1) + "\n").encode()
    return out


def _previous(folder: Path) -> list[str]:
    """Files the tool wrote last time, as its manifest lists them (only plain relative paths)."""
    try:
        listed = json.loads((folder / MANIFEST).read_text(encoding="utf-8")).get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [p for p in listed if isinstance(p, str) and not os.path.isabs(p) and ".." not in Path(p).parts]


def write_site(site: SiteBuild, folder: str | os.PathLike) -> tuple[int, list[str]]:
    """Write the files that changed; remove files of the last build no longer produced.

    Returns (files written, files removed). Raises SiteError when the folder is unusable.
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise SiteError(f"{folder} is a file, not a folder")
    written = 0
    try:
        previous = _previous(root) if root.is_dir() else []
        for relative, content in site.files.items():
            target = root / relative
            if target.is_file() and target.read_bytes() == content:
                continue
            write_bytes(target, content)
            written += 1
        removed = []
        for relative in previous:
            if relative not in site.files and (root / relative).is_file():
                (root / relative).unlink()
                removed.append(relative)
    except OSError as exc:
        raise SiteError(f"cannot write {exc.filename or folder}: {exc.strerror or exc}") from None
    return written, removed


def check_site(site: SiteBuild, folder: str | os.PathLike) -> list[str]:
    """What differs between the site as built now and the copy in folder; [] when up to date."""
    root = Path(folder)
    differences = []
    for relative, content in site.files.items():
        target = root / relative
        if not target.is_file():
            differences.append(f"missing: {relative}")
        elif target.read_bytes() != content:
            differences.append(f"changed: {relative}")
    for relative in _previous(root):
        if relative not in site.files and (root / relative).is_file():
            differences.append(f"no longer generated: {relative}")
    return differences
