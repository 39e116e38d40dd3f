"""`mopsgov rules [PATH]`: list the rules, one per line: id, severity, pack, title."""
from __future__ import annotations

import json
import sys
from dataclasses import asdict

import click

from mopsgov.load.model_loader import ModelPathError
from mopsgov.rules.registry import PREDICATES, load_predicates


@click.command("rules")
@click.argument("path", required=False, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--predicates", is_flag=True, help="List the predicates rules may call instead, with their options.")
def command(path: str | None, output_format: str, predicates: bool) -> None:
    """List the rules of the built-in pack, or those the model at PATH enables, with its severities."""
    from mopsgov.rules.rule_catalog import catalog

    if predicates:
        load_predicates()
        items = [{"name": p.name, "scope": p.scope, "options": p.options, "doc": p.doc}
                 for p in sorted(PREDICATES.values(), key=lambda p: p.name)]
        if output_format == "json":
            click.echo(json.dumps(items, indent=2))
        for item in items if output_format == "text" else ():
            options = ", ".join(f"{k}={v!r}" for k, v in item["options"].items())
            click.echo(f"{item['name']}  ({item['scope']}{'; ' + options if options else ''})  {item['doc'].splitlines()[0]}")
        return
    try:
        infos = sorted(catalog(path), key=lambda r: r.id)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if output_format == "json":
        click.echo(json.dumps([{**asdict(info), "help": info.help} for info in infos], indent=2, ensure_ascii=False))
        return
    width = max((len(r.id) for r in infos), default=10)
    packs = max((len(r.pack) for r in infos), default=7)
    for info in infos:
        click.echo(f"{info.id:<{width}}  {info.severity:<7}  {info.pack:<{packs}}  {info.title}")
