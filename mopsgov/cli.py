"""The command line: one click command per module in mopsgov.commands, listed here explicitly."""
from __future__ import annotations

import importlib

import click

from mopsgov import __version__

# Module names in mopsgov.commands; each defines `command`, a click command.
COMMANDS = (
    "check",
    "schema",
    "baseline",
    "diff",
    "init",
    "rules",
    "explain",
    "policy",
    "docs",
    "diagram",
    "graph",
    "impact",
    "analyze",
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mopsgov")
def cli() -> None:
    """Govern a marketing operations operating model written as YAML."""


for _name in COMMANDS:
    cli.add_command(importlib.import_module(f"mopsgov.commands.{_name}").command)


def main() -> None:
    cli(prog_name="mopsgov")
