from __future__ import annotations

import sys

import click

from mopsgov.check import run_check
from mopsgov.load.model_loader import ModelPathError
from mopsgov.render.site import FORMATS, SiteError, build_site, check_site, write_site
from mopsgov.report.text import finding_line


def _warn(findings) -> None:
    for finding in findings:
        click.echo(finding_line(finding), err=True)
        if finding.fix:
            click.echo(f"    fix: {finding.fix}", err=True)


@click.command("docs")
@click.argument("path", type=click.Path())
@click.option("--out", "out_dir", type=click.Path(), help="Folder to write the site into.")
@click.option("--check", "check_dir", type=click.Path(), help="Compare with the site in this folder instead of writing.")
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default=None,
              help="html (the default for --out): a static site; markdown: the same pages as Markdown for a docs "
                   "repository. With --check, the format the folder's manifest records unless given.")
@click.option("--force", is_flag=True, help="With --out, overwrite files in the folder that mopsgov did not write.")
def command(path: str, out_dir: str | None, check_dir: str | None, output_format: str | None, force: bool) -> None:
    """Generate the stakeholder documentation site for the model at PATH.

    With --out DIR the site is written to DIR (only changed files are rewritten; files that an
    earlier run wrote and that are no longer produced are removed, nothing else; a file that
    mopsgov did not write is never overwritten without --force). With --check DIR nothing is
    written: the command exits 1 and names the files that differ when DIR is out of date.

    Exit status: 0 written or up to date, 1 --check found differences, 2 usage error or a
    folder that cannot be written.
    """
    if bool(out_dir) == bool(check_dir):
        click.echo("mopsgov: give either --out DIR to write the site or --check DIR to compare with one", err=True)
        sys.exit(2)
    try:
        result = run_check(path)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if check_dir:
        report = check_site(result, check_dir, output_format)
        _warn(report.findings)
        for note in report.notes:
            click.echo(f"note: {note}", err=True)
        for line in report.differences:
            click.echo(line)
        if report.differences:
            again = f" --format {report.format}" if report.format != "html" else ""
            click.echo(f"{check_dir} is out of date: {len(report.differences)} difference(s) with the {report.format} "
                       f"site; run mopsgov docs {path} --out {check_dir}{again}", err=True)
            sys.exit(1)
        click.echo(f"{check_dir} is up to date ({report.format}, {report.files} files)")
        return
    site = build_site(result, output_format or "html")
    _warn(site.findings)
    try:
        written, removed = write_site(site, out_dir, force=force)
    except SiteError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    pages = sum(1 for name in site.files if name.endswith((".html", ".md")))
    click.echo(f"wrote {out_dir}: {pages} pages, {written} file(s) changed, {len(removed)} removed")
