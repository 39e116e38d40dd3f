"""`mopsgov diff --base REF [--head REF] PATH`: what a change does to the operating model."""
from __future__ import annotations

import sys

import click

from mopsgov.check import FAIL_SEVERITIES, check_model
from mopsgov.load.model_loader import ModelPathError, load_model
from mopsgov.workflow.diff import diff_models
from mopsgov.workflow.diff_report import RENDERERS
from mopsgov.workflow.gitsource import GitError, GitModelSource
from mopsgov.workflow.outputs import AUTO, OrderedOutputsCommand, OutputError, color_option, emit, format_options, targets

WORKING_TREE = "working tree"


@click.command("diff", cls=OrderedOutputsCommand)
@click.argument("path", type=click.Path())
@click.option("--base", "base_ref", required=True, metavar="REF", help="The git revision to compare with (a branch, tag or commit).")
@click.option("--head", "head_ref", metavar="REF", help="The revision to compare; default: the files as they are on disk.")
@format_options(sorted(RENDERERS) + [AUTO], "text (default), json, markdown (a ready pull-request comment), github "
                                            "(annotations for the introduced findings) or auto (github inside GitHub Actions, else text).")
@color_option
@click.option("--fail-severity", type=click.Choice(FAIL_SEVERITIES),
              help="Lowest severity of an introduced finding that fails (default: mopsgov.yaml's fail_severity, else error).")
def command(path: str, base_ref: str, head_ref: str | None, output_formats, outputs, color: str, fail_severity: str | None) -> None:
    """Compare the model at PATH between two git revisions: entities added, removed and changed,
    annual spend, and the findings the change introduces and fixes.

    Both versions are read from git objects, each judged with the policy packs and settings of its
    own commit; the files on disk are never changed.
    Exit status: 0 nothing new fails, 1 introduced findings at or above the fail severity, 2 usage error
    or unreadable head.
    """
    wanted = targets(click.get_current_context(), "text")
    try:
        source = GitModelSource(path)
        base = check_model(*source.load(source.commit(base_ref)), fail_severity)
        if head_ref:
            head = check_model(*source.load(source.commit(head_ref)), fail_severity)
        else:
            head = check_model(*load_model(path), fail_severity)
    except (GitError, ModelPathError) as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    diff = diff_models(base, head, base_ref, head_ref or WORKING_TREE)
    try:
        screen = emit(wanted, RENDERERS, diff, color)
    except OutputError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if screen is not None:
        click.echo(screen, nl=False, color=True)
    sys.exit(diff.exit_code)
