"""Read a model as it is in a git commit, from git objects only: the work tree is never touched."""
from __future__ import annotations

import os
import subprocess
from pathlib import Path

from mopsgov.finding import Finding, Location, Severity
from mopsgov.load.model_loader import YAML_SUFFIXES, load_files
from mopsgov.model import CONFIG_FILE, Model

_SYMLINK_MODE = "120000"


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

    def blobs(self, commit: str) -> tuple[dict[str, bytes], list[Finding], bool]:
        """(path relative to the model -> content, findings for skipped links, model is one file)."""
        listing = _git(self.top, "--literal-pathspecs", "ls-tree", "-r", "-z", "--full-tree", commit, "--", self.prefix or ".")
        entries = []
        findings: list[Finding] = []
        single = False
        for record in listing.split(b"\0"):
            if not record:
                continue
            meta, _, name = record.partition(b"\t")
            mode, kind, sha = meta.decode().split()
            full = name.decode("utf-8", errors="surrogateescape")
            if full == self.prefix:
                relative, single = Path(full).name, True
            elif self.prefix:
                relative = full[len(self.prefix) + 1:]
            else:
                relative = full
            if kind != "blob" or not relative.endswith(YAML_SUFFIXES):
                continue
            if mode == _SYMLINK_MODE:
                findings.append(Finding("file.symlink", Severity.WARNING, "the file is a link; links are not read from git history",
                                        Location(self._display(relative, single), 1, 1),
                                        fix="Move the file into the model folder instead of linking it."))
                continue
            entries.append((relative, sha))
        if single and Path(self.prefix).name != CONFIG_FILE:
            entries += self._sibling_config(commit)  # a single file is read with the mopsgov.yaml beside it
        contents = self._contents([sha for _, sha in entries])
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

    def _contents(self, shas: list[str]) -> dict[str, bytes]:
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
            return model, findings + more
        model, more = load_files(self.display, files)
        return model, findings + more
