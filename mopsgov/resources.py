"""Where the shipped data lives: inside the installed package, or beside it in a source tree."""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """The `schemas` or `policies` folder: packaged copy first, then the source tree's."""
    for candidate in (_PACKAGE / name, _PACKAGE.parent / name):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"mopsgov is installed without its {name}/ folder")


@lru_cache(maxsize=None)
def load_schema(file_name: str) -> dict:
    with open(data_dir("schemas") / file_name, encoding="utf-8") as handle:
        return json.load(handle)


def schema_names() -> list[str]:
    return sorted(p.name for p in data_dir("schemas").glob("*.schema.json"))
