"""The floor for `mopsgov check`: load every YAML file of a folder with PyYAML's LibYAML loader.

No positions, no validation, no output: only what any YAML-reading tool must pay. The
benchmark runs it as a whole process, as it runs `mopsgov check`, so both include start-up.

Usage:
    python3 benchmarks/bare_load.py MODEL_FOLDER
"""
from __future__ import annotations

import sys
from pathlib import Path

import yaml


def main(folder: str) -> int:
    for path in sorted(Path(folder).rglob("*.y*ml")):
        with open(path, "rb") as handle:
            yaml.load(handle, Loader=yaml.CSafeLoader)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
