from __future__ import annotations

import sys
from pathlib import Path

import click

from mopsgov.atomic import write_bytes
from mopsgov.resources import data_dir, schema_names


@click.command("schema")
@click.argument("kind", required=False)
@click.option("--out", "out_dir", type=click.Path(file_okay=False), help="Write every schema into this folder.")
def command(kind: str | None, out_dir: str | None) -> None:
    """Print the JSON Schema of KIND (tool, process, model, config, ...), or write them all with --out."""
    names = schema_names()
    if out_dir:
        for name in names:
            write_bytes(Path(out_dir) / name, (data_dir("schemas") / name).read_bytes())
        click.echo(f"wrote {len(names)} schemas to {out_dir}")
        return
    wanted = f"{kind or 'model'}.schema.json"
    if wanted not in names:
        known = ", ".join(n.removesuffix(".schema.json") for n in names)
        click.echo(f"mopsgov: no schema named '{kind}'; choose one of: {known}", err=True)
        sys.exit(2)
    click.echo((data_dir("schemas") / wanted).read_text(encoding="utf-8"), nl=False)
