"""`mopsgov init DIR`: a new model repository that passes `mopsgov check` as generated."""
from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from mopsgov.report.text import plural
from mopsgov.workflow.init import DEFAULT_INSTALL, InitError, Options, scaffold


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False))
@click.option("--name", help="The model's name (default: the folder's name).")
@click.option("--force", is_flag=True, help="Overwrite files that already exist.")
@click.option("--today", type=click.DateTime(formats=["%Y-%m-%d"]),
              help="The date the starter contract and goal dates are counted from (default: today).")
@click.option("--install", default=DEFAULT_INSTALL, show_default=True,
              help="What the GitHub Actions workflow installs with pip (a version, a wheel or a git URL).")
def command(directory: str, name: str | None, force: bool, today: dt.datetime | None, install: str) -> None:
    """Create a model repository in DIRECTORY: mopsgov.yaml, a starter model, schemas for the
    editor, a pre-commit configuration and a GitHub Actions workflow.

    Exit status: 0 written, 2 files would be overwritten (nothing is written) or usage error.
    """
    title = name or Path(directory).resolve().name.replace("-", " ").replace("_", " ").title() or "Marketing Operations"
    options = Options(title, today.date() if today else dt.date.today(), install)
    try:
        written = scaffold(directory, options, force)
    except InitError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    click.echo(f"created {plural(len(written), 'file')} in {directory}; next: mopsgov check {directory}")
