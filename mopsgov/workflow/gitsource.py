"""Read a model as it is in a git commit, from git objects only: the work tree is never touched."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mopsgov.finding import Finding, Location, Severity
from mopsgov.load.model_loader import YAML_SUFFIXES, load_files, parse_bytes
from mopsgov.load.source import DISK
from mopsgov.load.yaml_reader import Limits, ParsedFile
from mopsgov.model import CONFIG_FILE, Model

_SYMLINK_MODE = "120000"
_TOP = ("040000", "tree", "")  # the repository's top folder, which git does not list


class GitError(Exception):
    """git is missing, the folder is not in a repository, or a revision does not exist."""


def _git(repo: str, *args: str, stdin: bytes | None = None) -> bytes:
    try:
        done = subprocess.run(["git", "-C", repo, *args], input=stdin, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed; mopsgov diff needs it") from None
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", errors="replace").strip().splitlines()
        raise GitError(message[-1] if message else f"git {' '.join(args)} failed")
    return done.stdout


class GitModelSource:
    """The repository that holds the model at `path`, and the model's place in it."""

    def __init__(self, path: str):
        # the model may exist only in history (deleted on disk): find the repository from its nearest existing folder
        here = Path(os.path.abspath(path))
        folder = next(p for p in (here, *here.parents) if p.is_dir())
        top = _git(str(folder), "rev-parse", "--show-toplevel").decode("utf-8").strip()
        self.top = top
        self._listings: dict[str, dict] = {}
        self.display = os.path.normpath(path)
        relative = os.path.relpath(os.path.realpath(path), os.path.realpath(top))
        self.prefix = "" if relative == "." else Path(relative).as_posix()
        if self.prefix.startswith(".."):
            raise GitError(f"{path} is outside the git repository at {top}")

    def commit(self, ref: str) -> str:
        """The commit id a revision names."""
        try:
            return _git(self.top, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").decode().strip()
        except GitError:
            raise GitError(f"'{ref}' is not a commit in this repository (fetch it first, e.g. git fetch origin {ref})") from None

    def listing(self, commit: str) -> dict[str, tuple[str, str, str]]:
        """Every path of a commit (folders too) -> (mode, type, object id); read once per commit."""
        if commit not in self._listings:
            entries = {}
            for record in _git(self.top, "ls-tree", "-r", "-t", "-z", "--full-tree", commit).split(b"\0"):
                if record:
                    meta, _, name = record.partition(b"\t")
                    mode, kind, sha = meta.decode().split()
                    entries[name.decode("utf-8", errors="surrogateescape")] = (mode, kind, sha)
            self._listings[commit] = entries
        return self._listings[commit]

    def blobs(self, commit: str) -> tuple[dict[str, bytes], list[Finding], bool]:
        """(path relative to the model -> content, findings for skipped links, model is one file)."""
        entries = []
        findings: list[Finding] = []
        single = False
        for full, (mode, kind, sha) in sorted(self.listing(commit).items()):
            if kind != "blob":
                continue
            if full == self.prefix:
                relative, single = Path(full).name, True
            elif not self.prefix:
                relative = full
            elif full.startswith(self.prefix + "/"):
                relative = full[len(self.prefix) + 1:]
            else:
                continue
            if not relative.endswith(YAML_SUFFIXES):
                continue
            if mode == _SYMLINK_MODE:
                findings.append(Finding("file.symlink", Severity.WARNING, "the file is a link; links are not read from git history",
                                        Location(self._display(relative, single), 1, 1),
                                        fix="Move the file into the model folder instead of linking it."))
                continue
            entries.append((relative, sha))
        if single and Path(self.prefix).name != CONFIG_FILE:
            entries += self._sibling_config(commit)  # a single file is read with the mopsgov.yaml beside it
        contents = self.contents([sha for _, sha in entries])
        return {relative: contents[sha] for relative, sha in entries}, findings, single

    def _sibling_config(self, commit: str) -> list[tuple[str, str]]:
        sibling = Path(self.prefix).parent.joinpath(CONFIG_FILE).as_posix()
        listing = _git(self.top, "--literal-pathspecs", "ls-tree", "-z", "--full-tree", commit, "--", sibling)
        for record in listing.split(b"\0"):
            mode, kind, sha = record.partition(b"\t")[0].decode().split() if record else ("", "", "")
            if kind == "blob" and mode != _SYMLINK_MODE:
                return [(CONFIG_FILE, sha)]
        return []

    def _display(self, relative: str, single: bool) -> str:
        return self.display if single else os.path.join(self.display, relative) if self.display != "." else relative

    def contents(self, shas: list[str]) -> dict[str, bytes]:
        """Every blob in one `git cat-file --batch` call."""
        if not shas:
            return {}
        unique = sorted(set(shas))
        out = _git(self.top, "cat-file", "--batch", stdin="".join(f"{sha}\n" for sha in unique).encode())
        contents: dict[str, bytes] = {}
        offset = 0
        for sha in unique:
            header_end = out.index(b"\n", offset)
            _, _, size = out[offset:header_end].decode().split()
            start = header_end + 1
            contents[sha] = out[start:start + int(size)]
            offset = start + int(size) + 1  # content is followed by a newline
        return contents

    def load(self, commit: str) -> tuple[Model, list[Finding]]:
        """The model as it is in a commit; a model that did not exist yet is empty."""
        files, findings, single = self.blobs(commit)
        if single:
            model, more = load_files(os.path.dirname(self.display), files)
            model.root = self.display
        else:
            model, more = load_files(self.display, files)
        model.source = CommitFiles(self, commit)
        return model, findings + more


class CommitFiles:
    """The files of one commit as a FileSource: the policy packs of a revision come from the same commit.

    A path is taken as the command line gives it (like the model's own path) and found in the commit
    by its place relative to the model, so a pack that is changed, added or deleted in the work tree
    does not change what the commit's model is judged by. Only a path outside the repository (a pack
    shared by several repositories) is not versioned with the model, and is read from disk.
    """

    def __init__(self, repository: GitModelSource, commit: str):
        self.repository = repository
        self.commit = commit

    def _inside(self, path: Path) -> str | None:
        """The path's place in the repository ("" for its top); None when it is outside the repository."""
        relative = os.path.relpath(os.fspath(path), self.repository.display)
        inside = Path(os.path.normpath(os.path.join(self.repository.prefix or ".", relative))).as_posix()
        if inside == ".." or inside.startswith("../"):
            return None
        return "" if inside == "." else inside

    def _entry(self, inside: str) -> tuple[str, str, str] | None:
        """(mode, type, object id) of a path in the commit; None when the commit does not have it."""
        return _TOP if inside == "" else self.repository.listing(self.commit).get(inside)

    def is_dir(self, path: Path) -> bool:
        inside = self._inside(path)
        if inside is None:
            return DISK.is_dir(path)
        entry = self._entry(inside)
        return entry is not None and entry[1] == "tree"

    def is_file(self, path: Path) -> bool:
        inside = self._inside(path)
        if inside is None:
            return DISK.is_file(path)
        entry = self._entry(inside)
        return entry is not None and entry[1] == "blob" and entry[0] != _SYMLINK_MODE

    def files(self, folder: Path) -> list[Path]:
        inside = self._inside(folder)
        if inside is None:
            return DISK.files(folder)
        start = inside + "/" if inside else ""
        names = [name[len(start):] for name in self.repository.listing(self.commit) if name.startswith(start)]
        return [folder / name for name in sorted(names) if "/" not in name and self.is_file(folder / name)]

    def folder_name(self, folder: Path) -> str:
        inside = self._inside(folder)
        if inside is None:
            return DISK.folder_name(folder)
        return Path(inside).name or Path(self.repository.top).name

    def version(self, path: Path) -> tuple | None:
        inside = self._inside(path)
        if inside is None:
            return DISK.version(path)
        entry = self._entry(inside)
        return ("git", entry[2]) if entry is not None else None

    def read(self, path: Path, display: str, limits: Limits) -> ParsedFile:
        inside = self._inside(path)
        if inside is None:
            return DISK.read(path, display, limits)
        entry = self._entry(inside)
        if entry is None or entry[1] != "blob":
            return ParsedFile(display, findings=[Finding("file.unreadable", Severity.ERROR,
                                                         f"the file is not in commit {self.commit[:12]}", Location(display, 1, 1))])
        return parse_bytes(self.repository.contents([entry[2]])[entry[2]], display, limits)
