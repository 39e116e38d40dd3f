"""Run Graphviz's `dot` program, one process per diagram, several at a time, with a time limit.

One process per diagram because `dot` laying out several graphs in one run does not give the
same bytes twice; the processes run in parallel so a site with hundreds of diagrams stays fast.
When `dot` is not installed, `dot_program()` is None and callers keep the DOT sources.
"""
from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

FORMATS = ("svg", "png")
TIMEOUT = 30  # seconds for one diagram
INSTALL_HINT = ("Install Graphviz to draw the diagrams: `sudo apt-get install graphviz` (Debian, Ubuntu), "
                "`brew install graphviz` (macOS), or see https://graphviz.org/download/.")


class DotError(Exception):
    """dot failed or took too long; the message says which diagram."""


def dot_program() -> str | None:
    return shutil.which("dot")


def render(sources: dict[str, str], fmt: str = "svg") -> dict[str, bytes]:
    """name -> DOT text in, name -> rendered bytes out. Raises DotError."""
    if fmt not in FORMATS:
        raise ValueError(fmt)
    program = dot_program()
    if program is None:
        raise DotError("the Graphviz program `dot` is not on PATH. " + INSTALL_HINT)
    names = sorted(sources)
    env = {**os.environ, "LC_ALL": "C.UTF-8"}

    def one(name: str) -> bytes:
        try:
            done = subprocess.run([program, f"-T{fmt}"], input=sources[name].encode("utf-8"), capture_output=True,
                                  timeout=TIMEOUT, env=env, check=False)
        except subprocess.TimeoutExpired:
            raise DotError(f"dot took longer than {TIMEOUT} s on the diagram {name}") from None
        if done.returncode != 0 or not done.stdout:
            detail = done.stderr.decode("utf-8", "replace").strip().splitlines()
            raise DotError(f"dot failed on the diagram {name}: {detail[-1] if detail else done.returncode}")
        return done.stdout

    with ThreadPoolExecutor(max_workers=max(1, os.cpu_count() or 1)) as pool:
        return dict(zip(names, pool.map(one, names)))
