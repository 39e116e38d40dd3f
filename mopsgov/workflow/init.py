"""Scaffold a new model repository: from nothing to a green `mopsgov check` without edits.

Writes mopsgov.yaml, a small commented starter model in model/ (every YAML file starts with a
`# yaml-language-server: $schema=...` modeline pointing at the copies of the schemas in schemas/),
a pre-commit configuration and a GitHub Actions workflow. Templates ship inside the package
(mopsgov/workflow/templates; a `dot-` prefix stands for a leading dot). Existing files are never
overwritten unless `force` is given, and then every file is written atomically.
"""
from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from pathlib import Path

import jinja2

from mopsgov import __version__
from mopsgov.atomic import write_bytes
from mopsgov.resources import data_dir, schema_names

TEMPLATES = Path(__file__).resolve().parent / "templates"
SUFFIX = ".j2"
DOT_PREFIX = "dot-"
SCHEMA_DIR = "schemas"
DEFAULT_INSTALL = f"mopsgov=={__version__}"


class InitError(Exception):
    """Files that would be overwritten, or a target that is not a folder."""


@dataclass(frozen=True)
class Options:
    name: str
    today: dt.date
    install: str = DEFAULT_INSTALL  # the pip requirement the CI workflow installs


def _output_name(template: Path) -> str:
    parts = template.relative_to(TEMPLATES).with_suffix("").parts
    return "/".join("." + p[len(DOT_PREFIX):] if p.startswith(DOT_PREFIX) else p for p in parts)


def _environment() -> jinja2.Environment:
    # [[ ]] instead of {{ }}: GitHub workflow expressions use the braces.
    return jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), undefined=jinja2.StrictUndefined,
                              variable_start_string="[[", variable_end_string="]]",
                              block_start_string="[%", block_end_string="%]",
                              keep_trailing_newline=True, autoescape=False)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def render(options: Options) -> dict[str, bytes]:
    """Relative path -> content of every file init writes."""
    env = _environment()
    values = {
        "name": json.dumps(options.name, ensure_ascii=False),  # a YAML double-quoted scalar
        "today": options.today.isoformat(),
        "contract_start": options.today.replace(day=1).isoformat(),
        "renewal": _add_years(options.today.replace(day=1), 2).isoformat(),
        "deadline": _add_years(options.today, 1).isoformat(),
        "install": options.install,
        "version": __version__,
    }
    files: dict[str, bytes] = {}
    for template in sorted(TEMPLATES.rglob(f"*{SUFFIX}")):
        text = env.get_template(template.relative_to(TEMPLATES).as_posix()).render(values)
        files[_output_name(template)] = text.encode("utf-8")
    schemas = data_dir("schemas")
    for name in schema_names():
        files[f"{SCHEMA_DIR}/{name}"] = (schemas / name).read_bytes()
    return dict(sorted(files.items()))


def scaffold(target: str | Path, options: Options, force: bool = False) -> list[str]:
    """Write the files into target (created when missing); returns their relative paths."""
    root = Path(target)
    if root.exists() and not root.is_dir():
        raise InitError(f"{target} exists and is not a folder")
    files = render(options)
    existing = [rel for rel in files if (root / rel).exists()]
    if existing and not force:
        listed = ", ".join(existing[:5]) + (f" and {len(existing) - 5} more" if len(existing) > 5 else "")
        raise InitError(f"{target} already has {listed}; nothing was written (use --force to overwrite)")
    for rel, content in files.items():
        write_bytes(root / rel, content)
    return list(files)
