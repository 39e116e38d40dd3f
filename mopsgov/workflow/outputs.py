"""Several output formats in one run, each to its own file: `--format sarif --output f.sarif --format text`.

An `--output` belongs to the `--format` written just before it; a format without `--output`
goes to standard output (one at most; `--output -` says so explicitly). With no `--format`, the
command's default format is used, and a lone `--output` takes it. `auto` is `github` inside GitHub Actions, else `text`.
Files are written atomically, after every format has been rendered: a failed run never leaves
half a report.
"""
from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import Callable

import click

from mopsgov.atomic import write_text
from mopsgov.report.text import COLOR_MODES, use_color

FORMAT_FLAGS = ("--format", "-f")
OUTPUT_FLAGS = ("--output", "-o")
ORDER_KEY = "mopsgov.output-order"
AUTO = "auto"


class TargetsError(click.UsageError):
    pass


class OutputError(Exception):
    """A report file cannot be written (a folder in the way, no permission, disk full)."""


@dataclass(frozen=True)
class Target:
    format: str
    output: str | None  # None: standard output


def resolve_auto(name: str) -> str:
    if name != AUTO:
        return name
    return "github" if os.environ.get("GITHUB_ACTIONS") == "true" else "text"


class OrderedOutputsCommand(click.Command):
    """A click command that remembers the order of its --format and --output options."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        ctx.meta[ORDER_KEY] = option_order(args)
        return super().parse_args(ctx, args)


def format_options(choices: list[str], help_text: str):
    """The repeatable --format/-f and --output/-o options of a command that uses OrderedOutputsCommand."""
    def decorate(function):
        function = click.option("--output", "-o", "outputs", multiple=True, metavar="FILE",
                                help="Write the format given just before this option to FILE instead of the screen.")(function)
        return click.option("--format", "-f", "output_formats", type=click.Choice(choices), multiple=True,
                            help=help_text + " Repeat with --output for several reports in one run.")(function)
    return decorate


def option_order(args: list[str]) -> list[tuple[str, str]]:
    """("format" | "output", value) for each --format/-f and --output/-o, in command-line order."""
    order: list[tuple[str, str]] = []
    index = 0
    while index < len(args) and args[index] != "--":
        token = args[index]
        index += 1
        for kind, (long, short) in (("format", FORMAT_FLAGS), ("output", OUTPUT_FLAGS)):
            if token in (long, short) and index < len(args):
                order.append((kind, args[index]))
                index += 1  # the value, even when it starts with a dash
            elif token.startswith(long + "="):
                order.append((kind, token[len(long) + 1:]))
            elif token.startswith(short) and not token.startswith("--") and len(token) > 2:
                order.append((kind, token[2:]))  # -fjson, -oreport.json
    return order


def targets(ctx: click.Context, default: str) -> list[Target]:
    """The (format, file) pairs in the order they were given on the command line."""
    order = ctx.meta.get(ORDER_KEY, [])
    pairs: list[list] = []
    leading_output = None
    for kind, value in order:
        if kind == "format":
            pairs.append([value, None])
        elif not pairs:
            if leading_output is not None:
                raise TargetsError(f"--output {value}: give --format before each --output")
            leading_output = value
        elif pairs[-1][1] is None:
            pairs[-1][1] = value
        else:
            raise TargetsError(f"--output {value}: --format {pairs[-1][0]} already writes to {pairs[-1][1]}; "
                               "give --format before each --output")
    if not pairs:
        pairs = [[default, leading_output]]
    elif leading_output is not None:
        raise TargetsError(f"--output {leading_output} comes before any --format; write --format FORMAT --output FILE")
    out = [Target(resolve_auto(fmt), None if output == "-" else output) for fmt, output in pairs]
    to_screen = [t.format for t in out if t.output is None]
    if len(to_screen) > 1:
        raise TargetsError(f"only one format can go to the screen, not {', '.join(to_screen)}; give --output FILE for the others")
    files = [os.path.realpath(t.output) for t in out if t.output is not None]  # ./a, a and a link to a are one file
    if len(set(files)) != len(files):
        raise TargetsError("two formats write to the same --output file")
    return out


def write_file(path: str, text: str) -> None:
    """Write one file atomically; OutputError says why it cannot be written."""
    try:
        write_text(path, text)
    except OSError as exc:
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None


def write_targets(rendered: list[tuple[Target, str]]) -> str | None:
    """Write every file; return what goes to standard output, if anything."""
    screen = None
    for target, text in rendered:
        if target.output is None:
            screen = text
        else:
            write_file(target.output, text)
    return screen


def color_option(function):
    """--color auto|always|never: colour of the text format on the screen."""
    return click.option("--color", "color", type=click.Choice(COLOR_MODES), default="auto", show_default=True,
                        help="Colour the text on the screen: auto (a terminal, unless NO_COLOR is set or TERM=dumb), "
                             "always or never.")(function)


def emit(wanted: list[Target], renderers: dict[str, Callable], subject, color: str) -> str | None:
    """Render every target and write the files; returns what goes to the screen, if anything.

    The text format is coloured when it goes to the screen and `color` (auto, always, never) allows
    it. Raises OutputError when a file cannot be written.
    """
    rendered = []
    for target in wanted:
        render = renderers[target.format]
        if target.format == "text":
            rendered.append((target, render(subject, color=target.output is None and use_color(sys.stdout, color))))
        else:
            rendered.append((target, render(subject)))
    return write_targets(rendered)
