from __future__ import annotations

import sys

import click

from mopsgov.check import FAIL_SEVERITIES, run_check
from mopsgov.load.model_loader import ModelPathError
from mopsgov.report import FORMATS


@click.command("check")
@click.argument("path", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--fail-severity", type=click.Choice(FAIL_SEVERITIES),
              help="Lowest severity that fails the check (default: mopsgov.yaml's fail_severity, else error).")
def command(path: str, output_format: str, fail_severity: str | None) -> None:
    """Validate the model at PATH (a folder or a YAML file) and apply its policies.

    Exit status: 0 clean, 1 findings at or above the fail severity, 2 usage error or unreadable input.
    """
    try:
        result = run_check(path, fail_severity)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    click.echo(FORMATS[output_format](result), nl=False)
    sys.exit(result.exit_code)
