from __future__ import annotations

from pathlib import Path

import click

from mopsgov.atomic import write_bytes
from mopsgov.resources import data_dir, schema_names


def schema(kind: str | None, out_dir: str | None) -> int:
    names = schema_names()
    if out_dir:
        for name in names:
            write_bytes(Path(out_dir) / name, (data_dir("schemas") / name).read_bytes())
        click.echo(f"wrote {len(names)} schemas to {out_dir}")
        return 0
    wanted = f"{kind or 'model'}.schema.json"
    if wanted not in names:
        known = ", ".join(n.removesuffix(".schema.json") for n in names)
        click.echo(f"mopsgov: no schema named '{kind}'; choose one of: {known}", err=True)
        return 2
    click.echo((data_dir("schemas") / wanted).read_text(encoding="utf-8"), nl=False)
    return 0
