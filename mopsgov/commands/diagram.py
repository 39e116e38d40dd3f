from __future__ import annotations

import sys
from pathlib import Path

import click

from mopsgov.atomic import write_bytes
from mopsgov.load.model_loader import ModelPathError, load_model
from mopsgov.model import KINDS as ENTITY_KINDS
from mopsgov.render.diagrams import ENTITY_DIAGRAMS, KINDS, MODEL_DIAGRAMS
from mopsgov.render.dot import DotError, render


def _entity(model, kind: str, wanted: str):
    """`--entity` as `kind:id` or a bare id (of the diagram's kind, or the only match)."""
    accepted = ENTITY_DIAGRAMS[kind][1] or ENTITY_KINDS
    if ":" in wanted:
        entity = model.resolve(wanted)
        return entity if entity is not None and entity.kind in accepted else None
    found = [model.get(k, wanted) for k in accepted if model.get(k, wanted) is not None]
    return found[0] if found else None


@click.command("diagram")
@click.argument("path", type=click.Path())
@click.argument("kind", type=click.Choice(KINDS))
@click.option("--entity", "entity_ref", help="The process (for process) or entity (for impact, as kind:id or an id).")
@click.option("--format", "output_format", type=click.Choice(("svg", "png", "dot")), default="svg", show_default=True)
@click.option("--output", type=click.Path(dir_okay=False),
              help="File to write; when the diagram is split, the other parts go beside it as NAME-2.svg, ... "
                   "Without it, svg and dot are printed.")
def command(path: str, kind: str, entity_ref: str | None, output_format: str, output: str | None) -> None:
    """Draw a diagram of the model at PATH with Graphviz.

    KIND is stack (the martech stack by platform group and category), dataflow (tools and the
    data flowing between them, personal data in red), raci (teams, roles and their RACI part in
    each process), process (swimlanes of one process, with --entity) or impact (what depends on
    an entity, with --entity).

    Exit status: 0 drawn, 2 usage error or Graphviz missing.
    """
    try:
        model, _ = load_model(path)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if kind in MODEL_DIAGRAMS:
        diagrams = MODEL_DIAGRAMS[kind](model)
    else:
        if not entity_ref:
            click.echo(f"mopsgov: the {kind} diagram needs --entity", err=True)
            sys.exit(2)
        entity = _entity(model, kind, entity_ref)
        if entity is None:
            accepted = ENTITY_DIAGRAMS[kind][1]
            click.echo(f"mopsgov: no {' or '.join(accepted) if accepted else 'entity'} \"{entity_ref}\" in the model", err=True)
            sys.exit(2)
        diagrams = ENTITY_DIAGRAMS[kind][0](model, entity)
    if output_format == "png" and not output:
        click.echo("mopsgov: --format png needs --output FILE", err=True)
        sys.exit(2)
    if output_format == "dot":
        contents = {d.name: d.source.encode("utf-8") for d in diagrams}
    else:
        try:
            contents = render({d.name: d.source for d in diagrams}, output_format)
        except DotError as exc:
            click.echo(f"mopsgov: {exc.advice()}", err=True)
            sys.exit(2)
    if not output:
        for diagram in diagrams:
            click.echo(contents[diagram.name].decode("utf-8"), nl=False)
        return
    target = Path(output)
    for number, diagram in enumerate(diagrams, start=1):
        where = target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")
        write_bytes(where, contents[diagram.name])
        click.echo(f"wrote {where} ({diagram.title}, {diagram.nodes} nodes)")
