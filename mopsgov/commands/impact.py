from __future__ import annotations

import json
import sys

import click

from mopsgov.analysis import UnknownEntity
from mopsgov.analysis.cache import graph as model_graph
from mopsgov.analysis.impact import GROUP_TITLES, impact_of, suggestions
from mopsgov.commands.graph import emit, load_or_exit
from mopsgov.render.diagrams.impact import draw
from mopsgov.render.dot import DotError, render


def _text(result) -> str:
    grouped = result.grouped()
    breaking = sum(1 for d in result.dependents if d.breaks)
    lines = [f"{result.entity} ({result.name}): {breaking} dependents break, "
             f"{len(result.dependents) - breaking} more are affected"]
    if breaking:
        lines.append("Breaks: " + result.breaks_text())
    if not result.dependents:
        lines = [f"{result.entity} ({result.name}): nothing in the model depends on it"]
    for kind, members in grouped.items():
        lines += ["", f"{GROUP_TITLES[kind]} ({len(members)})"]
        for dependent in members:
            tag = "breaks" if dependent.breaks else "affected"
            lines.append(f"  {dependent.node} [{tag}] {dependent.name}")
            lines.append(f"    {dependent.chain()}")
            if dependent.note:
                lines.append(f"    {dependent.note}")
    return "\n".join(lines) + "\n"


def _json(result) -> str:
    return json.dumps({"entity": result.entity, "name": result.name, "dependents": {
        kind: [{"id": d.node, "name": d.name, "impact": "breaks" if d.breaks else "affected",
                "path": [{"source": link.source, "rel": link.rel, "target": link.target} for link in d.path],
                **({"note": d.note} if d.note else {})}
               for d in members] for kind, members in result.grouped().items()}}, indent=2, ensure_ascii=False) + "\n"


def resolve(model, graph, wanted: str) -> str | None:
    """`kind:id` (or `step:process/step`) as written, or a bare id that names one entity."""
    if wanted in graph:
        return wanted
    matches = [node for node in graph if node.partition(":")[2] == wanted]
    return matches[0] if len(matches) == 1 else None


@click.command("impact")
@click.argument("path", type=click.Path())
@click.argument("entity")
@click.option("--format", "output_format", type=click.Choice(("text", "json", "dot", "svg")), default="text",
              show_default=True, help="text, json, or a diagram of the dependents as Graphviz dot or svg: a box per "
              "kind, the nearest few of each drawn and the rest counted.")
@click.option("--output", type=click.Path(dir_okay=False), help="File to write instead of printing.")
def command(path: str, entity: str, output_format: str, output: str | None) -> None:
    """What depends on ENTITY in the model at PATH: what breaks if it is retired.

    ENTITY is kind:id (tool:crm, role:mops-lead, data:contact), step:PROCESS/STEP, or an id
    that names one entity. Dependents are grouped by kind, each with the chain of relations
    that makes it depend. Roles, owners and user teams that are only told, and steps and KPIs
    that another flow still feeds, are marked affected.

    Exit status: 0 answered, 2 usage error (unknown entity, Graphviz missing for svg).
    """
    model = load_or_exit(path)
    graph = model_graph(model)
    node = resolve(model, graph, entity)
    if node is None:
        guesses = " or ".join(f"{n} ({why})" if why else n for n, why in suggestions(model, graph, entity))
        click.echo(f"mopsgov: \"{entity}\" names no entity in the model" + (f"; did you mean {guesses}?" if guesses else
                   "; write it as kind:id, such as tool:crm"), err=True)
        sys.exit(2)
    try:
        result = impact_of(model, node)
    except UnknownEntity:
        click.echo(f"mopsgov: \"{entity}\" names no entity in the model", err=True)
        sys.exit(2)
    if output_format in ("dot", "svg"):
        source = draw(model, node, result).source
        if output_format == "dot":
            emit(source, output)
            return
        try:
            svg = render({"impact": source}, "svg")["impact"]
        except DotError as exc:
            click.echo(f"mopsgov: {exc.advice()}", err=True)
            sys.exit(2)
        emit(svg.decode("utf-8"), output)
        return
    emit(_text(result) if output_format == "text" else _json(result), output)
