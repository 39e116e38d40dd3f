"""Write files so that a reader never sees half of one: a temporary file, then a rename.

The file gets the permissions of any file the user creates (0666 less the umask), or keeps those
of the file it replaces. A link is written through: the file it points at is replaced, the link
stays. A target that is not a regular file (a named pipe, a device) or is a stream such as
`/dev/stdout` cannot be renamed over, so it is written directly; `/dev/stdout` and `/dev/fd/N`
through this process's own descriptor, so output redirected to a file goes on where it is.
"""
from __future__ import annotations

import os
import re
import stat
import tempfile
from pathlib import Path

_STANDARD = {"/dev/stdout": 1, "/dev/stderr": 2}
_STREAMS = ("/proc/", "/dev/")  # /dev/stdout, /dev/fd/3: streams, even when they lead to a regular file


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _direct(path: str | os.PathLike) -> bool:
    """Is the target a device, a pipe or a stream such as /dev/stdout, which cannot be replaced by a rename?"""
    try:
        status = os.stat(path)  # follows links, /dev/stdout to what the stream is
    except (FileNotFoundError, NotADirectoryError):
        return False
    named = os.path.abspath(path)
    if os.path.islink(named):
        named = os.path.join(os.path.dirname(named), os.readlink(named))
    return not stat.S_ISREG(status.st_mode) or named.startswith(_STREAMS)


def _own_descriptor(path: str | os.PathLike) -> int | None:
    """The descriptor of this process that /dev/stdout, /dev/fd/N or /proc/self/fd/N names."""
    name = os.path.abspath(path)
    if name in _STANDARD:
        return _STANDARD[name]
    match = re.fullmatch(r"/(?:dev/fd|proc/self/fd)/(\d+)", name)
    return int(match.group(1)) if match else None


def write_bytes(path: str | os.PathLike, data: bytes) -> None:
    if _direct(path):
        descriptor = _own_descriptor(path)
        if descriptor is not None:
            # through the descriptor itself: a stream redirected to a file goes on where it is
            view = memoryview(data)
            while view:
                view = view[os.write(descriptor, view):]
            return
        with open(path, "ab") as out:
            out.write(data)
        return
    target = Path(os.path.realpath(path))  # through links, to the file they point at
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    try:
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            os.fchmod(out.fileno(), mode)
        os.replace(temp, target)
    except BaseException:
        try:
            os.unlink(temp)
        except FileNotFoundError:
            pass
        raise


def write_text(path: str | os.PathLike, text: str) -> None:
    write_bytes(path, text.encode("utf-8"))
