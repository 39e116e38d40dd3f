from __future__ import annotations

import click

from mopsgov.analysis import run_all
from mopsgov.analysis.report import FORMATS
from mopsgov.commands.graph import emit, load_or_exit


@click.command("analyze")
@click.argument("path", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="text", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False), help="File to write instead of printing.")
def command(path: str, output_format: str, output: str | None) -> None:
    """Analyse the model at PATH: maturity scorecard, top risks, redundant tools and the money at
    stake, shelfware, KPIs that cannot be computed, SLAs the integrations cannot meet,
    personal-data exposure, fragile integrations and coverage.

    The same analyses run as policy rules in mopsgov check (see docs/analysis.md); this command
    reports them whole. Exit status: 0 reported, 2 usage error.
    """
    emit(FORMATS[output_format](run_all(load_or_exit(path))), output)
