"""Work done in a forked copy of this process while this one goes on: reading a large model's
files, validating it while its policies are evaluated.

A copy shares everything built so far (the model, compiled schemas), runs one function and
sends back the bytes it returns through a pipe. A copy that fails in any way (killed, out of
memory, a bug) returns nothing, and the caller does the work itself: forking only ever saves
time, it never changes a result.

No copies where forking is unavailable (Windows) or unsafe (other threads running: a forked
thread's locks stay held), with one processor, or for a model under MIN_PARALLEL_BYTES.
MOPSGOV_JOBS sets the number of processes (1: none forked); by default one per processor, up
to MAX_DEFAULT_JOBS.
"""
from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterable, Iterator

ENV = "MOPSGOV_JOBS"
MAX_DEFAULT_JOBS = 4
# Below this many bytes of YAML a fork (a few milliseconds) costs more than it saves.
MIN_PARALLEL_BYTES = 256 * 1024


def jobs() -> int:
    """Processes to work with: MOPSGOV_JOBS when it is a positive whole number, else one per processor."""
    setting = os.environ.get(ENV, "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_DEFAULT_JOBS))


def worth_forking(size: int) -> bool:
    """Whether work on `size` bytes of YAML goes to forked copies (see the module's text)."""
    return size >= MIN_PARALLEL_BYTES and jobs() > 1 and hasattr(os, "fork") and threading.active_count() == 1


_LENGTH = 8  # bytes of the length before each part sent through the pipe


class Aside:
    """`function()` run in a forked copy of this process. It returns the parts of its result, as
    bytes, and the copy sends each as soon as it is packed, so that neither process holds the
    whole result twice; `parts()` yields them as they arrive, `result()` waits for one."""

    def __init__(self, function: Callable[[], Iterable[bytes]]) -> None:
        self.pid: int | None = None
        self.pipe: int | None = None
        self.ok = False  # every part arrived, and the copy ended cleanly
        try:
            readable, writable = os.pipe()
        except OSError:
            return
        try:
            pid = os.fork()
        except OSError:
            os.close(readable)
            os.close(writable)
            return
        if pid == 0:  # the copy: work, send, and leave without running any exit handler
            status = 1
            try:
                os.close(readable)
                with open(writable, "wb") as out:
                    for part in function():
                        out.write(len(part).to_bytes(_LENGTH, "big"))
                        out.write(part)
                        out.flush()  # sent now: the reader takes it while the next is packed
                status = 0
            finally:
                os._exit(status)
        os.close(writable)
        self.pid, self.pipe = pid, readable

    def parts(self) -> Iterator[bytes]:
        """The parts as they arrive; afterwards `ok` says whether the copy sent them all."""
        if self.pid is None or self.pipe is None:
            return
        with open(self.pipe, "rb") as pipe:
            self.pipe = None
            whole = True
            while head := pipe.read(_LENGTH):
                size = int.from_bytes(head, "big")
                part = pipe.read(size) if len(head) == _LENGTH else b""
                if len(part) < size or len(head) < _LENGTH:
                    whole = False  # the copy stopped in the middle of a part
                    break
                yield part
        _, status = os.waitpid(self.pid, 0)
        self.pid = None
        self.ok = whole and status == 0

    def result(self) -> bytes | None:
        """The one part the function returned, or None when the copy did not finish cleanly."""
        parts = list(self.parts())
        return parts[0] if self.ok and len(parts) == 1 else None

    def stop(self) -> None:
        """End the copy if it still runs (an interrupted caller), leaving no process behind."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
        if self.pid is not None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except OSError:
                pass
            self.pid = None
