"""`mopsgov baseline PATH --output FILE`: accept today's findings so CI fails only on new ones."""
from __future__ import annotations

import sys

import click

from mopsgov.check import run_check
from mopsgov.load.model_loader import ModelPathError
from mopsgov.report.text import escape_control, finding_line, plural
from mopsgov.workflow import baseline
from mopsgov.workflow.outputs import OutputError, write_file


@click.command("baseline")
@click.argument("path", type=click.Path())
@click.option("--output", "-o", "output", required=True, metavar="FILE",
              help="The baseline file to write (JSON; commit it next to the model).")
def command(path: str, output: str) -> None:
    """Record the fingerprints of the findings of the model at PATH in FILE.

    Then `mopsgov check PATH --baseline FILE` reports those findings as baselined and fails only on
    new ones. Fingerprints hold the rule, the entity and what the finding is about, not line numbers:
    moving an entity keeps its finding baselined. Waived findings are not recorded.
    Exit status: 0 written, 2 usage error, or files of the model that cannot be read (nothing is written).
    """
    try:
        result = run_check(path, "never")
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    errors = baseline.load_errors(result)
    if errors:
        click.echo(f"mopsgov: parts of the model cannot be read ({plural(len(errors), 'problem')}); "
                   "fix them before recording a baseline, nothing was written:", err=True)
        for finding in errors:
            click.echo(f"  {finding_line(finding)}", err=True)
        sys.exit(2)
    document = baseline.build(result)
    try:
        write_file(output, baseline.dumps(document))
    except OutputError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    click.echo(f"recorded {plural(len(document['findings']), 'finding')} of {escape_control(result.model.name)} in {output}")
