from __future__ import annotations

import sys

import click

from mopsgov.check import run_check
from mopsgov.load.model_loader import ModelPathError
from mopsgov.render.site import FORMATS, SiteError, build_site, check_site, write_site
from mopsgov.report.text import finding_line


@click.command("docs")
@click.argument("path", type=click.Path())
@click.option("--out", "out_dir", type=click.Path(), help="Folder to write the site into.")
@click.option("--check", "check_dir", type=click.Path(), help="Compare with the site in this folder instead of writing.")
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="html", show_default=True,
              help="html: a static site; markdown: the same pages as Markdown for a docs repository.")
def command(path: str, out_dir: str | None, check_dir: str | None, output_format: str) -> None:
    """Generate the stakeholder documentation site for the model at PATH.

    With --out DIR the site is written to DIR (only changed files are rewritten; files that an
    earlier run wrote and that are no longer produced are removed, nothing else). With --check
    DIR nothing is written: the command exits 1 and names the files that differ when DIR is
    out of date.

    Exit status: 0 written or up to date, 1 --check found differences, 2 usage error.
    """
    if bool(out_dir) == bool(check_dir):
        click.echo("mopsgov: give either --out DIR to write the site or --check DIR to compare with one", err=True)
        sys.exit(2)
    try:
        result = run_check(path)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    site = build_site(result, output_format)
    for finding in site.findings:
        click.echo(finding_line(finding), err=True)
        if finding.fix:
            click.echo(f"    fix: {finding.fix}", err=True)
    if check_dir:
        differences = check_site(site, check_dir)
        for line in differences:
            click.echo(line)
        if differences:
            click.echo(f"{check_dir} is out of date: {len(differences)} file(s) differ; "
                       f"run mopsgov docs {path} --out {check_dir}", err=True)
            sys.exit(1)
        click.echo(f"{check_dir} is up to date ({len(site.files)} files)")
        return
    try:
        written, removed = write_site(site, out_dir)
    except SiteError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    pages = sum(1 for name in site.files if name.endswith((".html", ".md")))
    click.echo(f"wrote {out_dir}: {pages} pages, {written} file(s) changed, {len(removed)} removed")
