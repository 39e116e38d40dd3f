"""How reports for code review name a file: relative to the working folder when it lies inside it.

GitHub annotations and code scanning place findings by paths relative to the repository, which
is where CI runs; a model given as an absolute path inside it would otherwise point nowhere.
"""
from __future__ import annotations

import os


def review_path(file: str) -> str:
    if not os.path.isabs(file):
        return file
    try:
        relative = os.path.relpath(file, os.getcwd())
    except ValueError:  # another drive (Windows)
        return file
    return file if relative == ".." or relative.startswith(".." + os.sep) else relative
