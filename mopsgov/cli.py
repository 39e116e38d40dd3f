"""The command line: parses options and calls one function in mopsgov.commands per verb."""
from __future__ import annotations

import sys

import click

from mopsgov import __version__
from mopsgov.commands import check as check_command
from mopsgov.commands import schema as schema_command


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mopsgov")
def cli() -> None:
    """Govern a marketing operations operating model written as YAML."""


@cli.command()
@click.argument("path", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(sorted(check_command.FORMAT_NAMES)), default="text",
              show_default=True, help="How to print the findings.")
@click.option("--fail-severity", type=click.Choice(["error", "warning", "info", "never"]),
              help="Lowest severity that fails the check (default: mopsgov.yaml's fail_severity, else error).")
def check(path: str, output_format: str, fail_severity: str | None) -> None:
    """Validate the model at PATH (a folder or a YAML file) and apply its policies."""
    sys.exit(check_command.check(path, output_format, fail_severity))


@cli.command()
@click.argument("kind", required=False)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write every schema into this folder.")
def schema(kind: str | None, out_dir: str | None) -> None:
    """Print the JSON Schema of KIND (tool, process, model, config, ...), or write them all with --out."""
    sys.exit(schema_command.schema(kind, out_dir))


def main() -> None:
    cli(prog_name="mopsgov")
