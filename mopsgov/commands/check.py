from __future__ import annotations

import click

from mopsgov.check import run_check
from mopsgov.load.model_loader import ModelPathError
from mopsgov.report import FORMATS

FORMAT_NAMES = tuple(FORMATS)


def check(path: str, output_format: str, fail_severity: str | None) -> int:
    try:
        result = run_check(path, fail_severity)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        return 2
    click.echo(FORMATS[output_format](result), nl=False)
    return result.exit_code
