"""The command line: one click command per module in mopsgov.commands, listed here explicitly.

A command's module is imported only when that command runs (or when help lists the commands):
`mopsgov check` in a pre-commit hook should not pay for importing the site renderer.
"""
from __future__ import annotations

import importlib

import click

from mopsgov import __version__

# Module names in mopsgov.commands; each defines `command`, a click command of the same name.
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


class LazyGroup(click.Group):
    """A group whose subcommands are imported on first use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        return importlib.import_module(f"mopsgov.commands.{name}").command


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="mopsgov")
def cli() -> None:
    """Govern a marketing operations operating model written as YAML."""


def main() -> None:
    cli(prog_name="mopsgov")
