"""`mopsgov baseline PATH --output FILE`: accept today's findings so CI fails only on new ones."""
from __future__ import annotations

import sys

import click

from mopsgov.atomic import write_text
from mopsgov.check import run_check
from mopsgov.load.model_loader import UNREADABLE_RULES, ModelPathError
from mopsgov.workflow import baseline


@click.command("baseline")
@click.argument("path", type=click.Path())
@click.option("--output", "-o", "output", required=True, metavar="FILE",
              help="The baseline file to write (JSON; commit it next to the model).")
def command(path: str, output: str) -> None:
    """Record the fingerprints of the findings of the model at PATH in FILE.

    Then `mopsgov check PATH --baseline FILE` reports those findings as baselined and fails only on
    new ones. Fingerprints hold the rule, the entity and what the finding is about, not line numbers:
    moving an entity keeps its finding baselined. Waived findings are not recorded.
    Exit status: 0 written, 2 usage error or unreadable model.
    """
    try:
        result = run_check(path, "never")
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if result.unreadable:
        click.echo("mopsgov: some model files cannot be read; fix them before recording a baseline:", err=True)
        for finding in (f for f in result.findings if f.rule in UNREADABLE_RULES):
            click.echo(f"  {finding.location}: {finding.message}", err=True)
        sys.exit(2)
    document = baseline.build(result)
    write_text(output, baseline.dumps(document))
    click.echo(f"recorded {len(document['findings'])} findings of {result.model.name} in {output}")
