"""Where files beside the model (policy packs) are read from: the disk, or one git commit.

A model read from git carries the commit's files as its `source`, so `mopsgov diff` judges each
revision with the policy packs of the same commit, never with the files on disk. Paths are the
same on both: as the command line gives them (relative to the working folder, or absolute).
"""
from __future__ import annotations

from pathlib import Path
from typing import Protocol

from mopsgov.load.model_loader import read_file
from mopsgov.load.yaml_reader import Limits, ParsedFile


class FileSource(Protocol):
    def is_dir(self, path: Path) -> bool: ...

    def is_file(self, path: Path) -> bool: ...

    def files(self, folder: Path) -> list[Path]:
        """The regular files directly inside folder, sorted by name."""

    def folder_name(self, folder: Path) -> str:
        """The folder's own name (on disk: after following links)."""

    def version(self, path: Path) -> tuple | None:
        """What identifies the file's content, for caching; None: read it every time."""

    def read(self, path: Path, display: str, limits: Limits) -> ParsedFile: ...


class DiskSource:
    def is_dir(self, path: Path) -> bool:
        return path.is_dir()

    def is_file(self, path: Path) -> bool:
        return path.is_file()

    def files(self, folder: Path) -> list[Path]:
        return sorted(p for p in folder.iterdir() if p.is_file())

    def folder_name(self, folder: Path) -> str:
        return folder.resolve().name

    def version(self, path: Path) -> tuple | None:
        try:
            stat = path.stat()
            return str(path.resolve()), stat.st_mtime_ns, stat.st_size
        except OSError:
            return None

    def read(self, path: Path, display: str, limits: Limits) -> ParsedFile:
        return read_file(path, display, limits)


DISK = DiskSource()
