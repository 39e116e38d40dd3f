"""One module per command, each with one function that returns the exit code."""
from __future__ import annotations

import sys

import click

from mopsgov.check import FAIL_SEVERITIES, run_check
from mopsgov.load.model_loader import ModelPathError
from mopsgov.report import FORMATS, text
from mopsgov.workflow import baseline
from mopsgov.workflow.outputs import AUTO, OrderedOutputsCommand, OutputError, color_option, emit, format_options, targets


@click.command("check", cls=OrderedOutputsCommand)
@click.argument("path", type=click.Path())
@format_options(sorted(FORMATS) + [AUTO],
                "How to print the findings (default text; auto: github inside GitHub Actions, else text).")
@color_option
@click.option("--fail-severity", type=click.Choice(FAIL_SEVERITIES),
              help="Lowest severity that fails the check (default: mopsgov.yaml's fail_severity, else error).")
@click.option("--baseline", "baseline_file", metavar="FILE",
              help="Findings recorded in FILE (by mopsgov baseline) are reported as baselined and do not fail.")
def command(path: str, output_formats: tuple[str, ...], outputs: tuple[str, ...], color: str, fail_severity: str | None,
            baseline_file: str | None) -> None:
    """Validate the model at PATH (a folder or a YAML file) and apply its policies.

    Exit status: 0 clean, 1 findings at or above the fail severity, 2 usage error or unreadable input.
    """
    wanted = targets(click.get_current_context(), "text")
    try:
        entries = baseline.read(baseline_file) if baseline_file else None
        result = run_check(path, fail_severity)
    except (ModelPathError, baseline.BaselineError) as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if entries is not None:
        result = baseline.apply(result, entries, baseline_file)
    try:
        screen = emit(wanted, FORMATS, result, color)
    except OutputError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    click.echo(screen if screen is not None else text.summary(result) + "\n", nl=False, color=True)
    sys.exit(result.exit_code)
