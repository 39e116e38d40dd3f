from __future__ import annotations

import sys

import click

from mopsgov.atomic import write_text
from mopsgov.graph import FORMATS, build_graph
from mopsgov.load.model_loader import ModelPathError, load_model


def load_or_exit(path: str):
    """The model at path; exits 2 with a message when the path does not exist."""
    try:
        model, _ = load_model(path)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    return model


def emit(text: str, output: str | None) -> None:
    """Print text, or write it to output atomically."""
    if output:
        write_text(output, text)
    else:
        click.echo(text, nl=False)


@click.command("graph")
@click.argument("path", type=click.Path())
@click.option("--format", "output_format", type=click.Choice(sorted(FORMATS)), default="json", show_default=True,
              help="json (nodes and edges), graphml (for Gephi, yEd, networkx) or dot (Graphviz source).")
@click.option("--output", type=click.Path(dir_okay=False), help="File to write instead of printing.")
def command(path: str, output_format: str, output: str | None) -> None:
    """Export the model at PATH as one typed graph: a node per entity, an edge per relation.

    Nodes are kind:id (steps are step:PROCESS/STEP); every edge has a rel such as uses, reads,
    owned_by, accountable or flow. Entities that fail validation are exported as far as their
    references resolve.

    Exit status: 0 written, 2 usage error.
    """
    model = load_or_exit(path)
    emit(FORMATS[output_format](build_graph(model)), output)
