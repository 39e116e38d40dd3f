"""Build the documentation site in memory, then write it, or compare it with a written copy.

`build_site` returns every file as bytes, so writing and `--check` share one code path and the
output is byte-for-byte reproducible: no timestamps, everything sorted or in model order.
A manifest (`MANIFEST`) lists the files the tool wrote, the format and the Graphviz version
that drew the diagrams. A rebuild removes only files listed there that are no longer produced,
and refuses to overwrite a file it did not write (unless forced).
"""
from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from mopsgov.analysis.common import names
from mopsgov.atomic import write_bytes
from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity
from mopsgov.render import html, markdown
from mopsgov.fields import text
from mopsgov.render.blocks import Table, drop_empty_columns
from mopsgov.render.context import SiteContext
from mopsgov.render.dot import INSTALL_HINT, DotError, Drawing, dot_version
from mopsgov.render.pages import PAGES

MANIFEST = ".mopsgov-site.json"
FORMATS = {"html": html, "markdown": markdown}
STYLESHEET = "static/site.css"
SHOWN_CONFLICTS = 5


class SiteError(Exception):
    """The output folder cannot be used (a file is in the way, or it cannot be written)."""


@dataclass
class SiteBuild:
    files: dict[str, bytes] = field(default_factory=dict)  # relative path -> content
    findings: list[Finding] = field(default_factory=list)  # warnings about the build itself
    # SVGs the pages show but that were not drawn in this build (see `check_site`)
    not_drawn: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Manifest:
    files: tuple[str, ...]
    format: str | None  # None in manifests written before it was recorded
    graphviz: str | None  # the version that drew the SVGs; None when they were not drawn
    recorded: bool  # the manifest records format and graphviz


def _pages(ctx: SiteContext) -> list:
    pages = []
    for _label, _name, module in PAGES:
        if module is not None:
            pages += module.build(ctx)
    for page in pages:
        for section in page.sections:
            section.blocks = [drop_empty_columns(b) if isinstance(b, Table) else b for b in section.blocks]
    return pages


def _rendered(renderer, pages: list, result: CheckResult) -> dict[str, bytes]:
    menu = [(label, name) for label, name, _ in PAGES]
    site_name, as_of = text(result.model.name) or "Operating model", result.model.as_of.isoformat()
    return {f"{page.name}.{renderer.EXT}": renderer.render_page(page, menu, site_name, as_of).encode("utf-8")
            for page in pages}


def build_site(result: CheckResult, fmt: str = "html", draw: bool | None = None, *,
               drawn_by: str | None = None) -> SiteBuild:
    """Every file of the site. `draw=None` draws diagrams when Graphviz's dot is installed.

    With `drawn_by`, the pages show the diagrams as drawn by that Graphviz version, without
    running dot: the SVGs are listed in `not_drawn` instead of `files` (for `check_site`).
    """
    renderer = FORMATS[fmt]
    out = SiteBuild()
    wanted = draw is not False
    version = drawn_by or (dot_version() if wanted else None)
    draw = version is not None
    if wanted and not draw:
        out.findings.append(Finding("docs.graphviz-missing", Severity.WARNING,
                                    "the diagrams were not drawn: Graphviz's dot program is not installed; "
                                    "the site has their DOT sources instead", fix=INSTALL_HINT))
    ctx = SiteContext(result, diagrams_drawn=draw)
    out.findings += ctx.problems
    failed = drawing = None
    if draw and drawn_by is None:  # dot draws each diagram while the pages are built and rendered
        try:
            drawing = Drawing("svg")
            ctx.on_diagram = drawing.add
        except DotError as exc:
            failed = exc
    try:
        out.files = _rendered(renderer, _pages(ctx), result)
        images = drawing.results() if drawing is not None else {}
    except DotError as exc:
        failed = exc
    finally:
        if drawing is not None:
            drawing.close()
    if failed is not None:
        out.findings.append(Finding("docs.diagram-failed", Severity.WARNING,
                                    f"the diagrams were not drawn: {failed}", fix=INSTALL_HINT))
        version, draw, images = None, False, {}
        ctx = SiteContext(result, diagrams_drawn=False, not_drawn_because="Graphviz could not draw them")
        out.files = _rendered(renderer, _pages(ctx), result)
    for name, diagram in ctx.diagrams.items():
        out.files[f"diagrams/{name}.dot"] = diagram.source.encode("utf-8")
        if name in images:
            out.files[f"diagrams/{name}.svg"] = images[name]
        elif draw:
            out.not_drawn.append(f"diagrams/{name}.svg")
    if fmt == "html":
        out.files[STYLESHEET] = resources.files("mopsgov.render").joinpath(STYLESHEET).read_bytes()
    out.files = dict(sorted(out.files.items()))
    listed = sorted([*out.files, *out.not_drawn])
    out.files[MANIFEST] = (json.dumps({"generator": "mopsgov", "format": fmt, "graphviz": version, "files": listed},
                                      indent=1) + "\n").encode()
    return out


def read_manifest(folder: Path) -> Manifest | None:
    """The manifest of the site in folder, or None when there is none or it is not mopsgov's.

    Only plain relative paths are taken from it, so a doctored manifest cannot name files
    outside the folder.
    """
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or data.get("generator") != "mopsgov":
        return None
    listed = data.get("files") if isinstance(data.get("files"), list) else []
    files = tuple(p for p in listed if isinstance(p, str) and not os.path.isabs(p) and ".." not in Path(p).parts)
    fmt = data.get("format") if data.get("format") in FORMATS else None
    graphviz = data.get("graphviz") if isinstance(data.get("graphviz"), str) else None
    return Manifest(files, fmt, graphviz, "format" in data and "graphviz" in data)


def _link_outside(root: Path, real_root: Path, relative: str) -> str | None:
    """The first link on the way to root/relative that leads outside the folder, relative to it."""
    current = root
    for part in Path(relative).parts:
        current = current / part
        if current.is_symlink():
            target = Path(os.path.realpath(current))
            if target != real_root and real_root not in target.parents:
                return current.relative_to(root).as_posix()
    return None


def _unlink_outside(root: Path, relatives: set[str], folder, force: bool) -> None:
    """Links in the folder that lead outside it would have the site written (or removed) through
    them, outside the folder: refused, or with `force` the links themselves are removed."""
    real_root = Path(os.path.realpath(root))
    links = sorted({found for r in relatives if (found := _link_outside(root, real_root, r)) is not None})
    if links and not force:
        raise SiteError(f"{folder} has {len(links)} link(s) that lead outside it: {names(links, SHOWN_CONFLICTS)}. mopsgov never writes "
                        "outside the output folder: remove them, or pass --force to replace them with the site's files")
    for link in links:
        (root / link).unlink()


def write_site(site: SiteBuild, folder: str | os.PathLike, force: bool = False) -> tuple[int, list[str]]:
    """Write the files that changed; remove files of the last build no longer produced.

    A file already in the folder that the last build did not write is never overwritten unless
    `force`: SiteError names it. Nothing is written or removed through a link that leads outside
    the folder (SiteError, or with `force` the link is replaced). Returns (files written, files removed).
    """
    root = Path(folder)
    if root.exists() and not root.is_dir():
        raise SiteError(f"{folder} is a file, not a folder")
    written = 0
    try:
        manifest = read_manifest(root) if root.is_dir() else None
        previous = set(manifest.files) if manifest else set()
        if manifest is not None:
            previous.add(MANIFEST)
        if root.is_dir():
            _unlink_outside(root, previous | set(site.files), folder, force)
        changed = {}
        for relative, content in site.files.items():
            target = root / relative
            if target.is_file() and target.read_bytes() == content:
                continue
            changed[relative] = content
        foreign = [r for r in changed if r not in previous and os.path.lexists(root / r)]
        if foreign and not force:
            raise SiteError(f"{folder} already has {len(foreign)} file(s) that mopsgov did not write and would "
                            f"overwrite: {names(foreign, SHOWN_CONFLICTS)}. Choose an empty folder, move them away, or pass --force to "
                            "overwrite them")
        for relative, content in changed.items():
            write_bytes(root / relative, content)
            written += 1
        removed = []
        for relative in sorted(previous - {MANIFEST}):
            if relative not in site.files and (root / relative).is_file():
                (root / relative).unlink()
                removed.append(relative)
    except OSError as exc:
        raise SiteError(f"cannot write {exc.filename or folder}: {exc.strerror or exc}") from None
    return written, removed


@dataclass
class SiteCheck:
    differences: list[str]  # "missing: x", "changed: x", "no longer generated: x"
    notes: list[str]  # how the comparison was made, when it was not byte for byte
    format: str
    files: int
    findings: list[Finding]  # warnings about the build


def check_site(result: CheckResult, folder: str | os.PathLike, fmt: str | None = None) -> SiteCheck:
    """What differs between the site as built now and the copy in folder.

    The format is the one the folder's manifest records unless `fmt` is given. The diagrams are
    compared as drawn by the same Graphviz: when this machine has another version (or none), the
    DOT sources are compared and the SVGs only checked to be there.
    """
    root = Path(folder)
    manifest = read_manifest(root)
    notes, differences = [], []
    found = manifest.format if manifest else None
    if fmt is None:
        fmt = found or "html"
    elif found and found != fmt:
        differences.append(f"format: {folder} holds the {found} site (by its manifest), not {fmt}")
    if manifest is None or not manifest.recorded:
        site = build_site(result, fmt)
    elif manifest.graphviz is None:
        site = build_site(result, fmt, draw=False)
    elif manifest.graphviz == dot_version():
        site = build_site(result, fmt, draw=True)
    else:
        site = build_site(result, fmt, drawn_by=manifest.graphviz)
        here = f"Graphviz {dot_version()}" if dot_version() else "no Graphviz"
        notes.append(f"the diagrams in {folder} were drawn by Graphviz {manifest.graphviz} and this machine has {here}: "
                     f"their DOT sources were compared, the SVGs only checked to be there")
    for relative, content in site.files.items():
        target = root / relative
        if not target.is_file():
            differences.append(f"missing: {relative}")
        elif target.read_bytes() != content:
            differences.append(f"changed: {relative}")
    differences += [f"missing: {relative}" for relative in site.not_drawn if not (root / relative).is_file()]
    expected = {*site.files, *site.not_drawn}
    for relative in manifest.files if manifest else ():
        if relative not in expected and (root / relative).is_file():
            differences.append(f"no longer generated: {relative}")
    differences.sort(key=lambda line: (not line.startswith("format:"), line.split(": ", 1)[1]))
    return SiteCheck(differences, notes, fmt, len(expected), site.findings)
