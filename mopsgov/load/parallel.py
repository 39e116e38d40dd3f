"""Read a model's files on several processors: each file is read the same way, only sooner.

Reading is most of a check's time and each file is read on its own, so the files are split
into runs of about equal size; forked workers read all runs but the first and send their
results back in the parse cache's marshal format while this process reads the first. The
results come back in the order of the files, so the model is the same as a serial read,
byte for byte. A worker that fails in any way (killed, out of memory, a bug) costs nothing
but time: its files are read again here.

Serial when forking is unsafe or not worth it: no os.fork (Windows), other threads running
(a forked thread's locks stay held), one processor, or less than MIN_PARALLEL_BYTES to read.
MOPSGOV_JOBS sets the number of processes (1: serial); by default one per processor, up to
MAX_DEFAULT_JOBS.
"""
from __future__ import annotations

import marshal
import os
import signal
import threading
from collections.abc import Callable, Sequence
from typing import TypeVar

from mopsgov.load import parse_cache
from mopsgov.load.yaml_reader import Limits, ParsedFile

ENV = "MOPSGOV_JOBS"
MAX_DEFAULT_JOBS = 4
# Below this many bytes a fork (a few milliseconds) costs more than it saves.
MIN_PARALLEL_BYTES = 256 * 1024

Task = TypeVar("Task")


def jobs() -> int:
    """Processes to read with: MOPSGOV_JOBS when it is a positive whole number, else one per processor."""
    setting = os.environ.get(ENV, "").strip()
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        available = len(os.sched_getaffinity(0))
    except (AttributeError, OSError):
        available = os.cpu_count() or 1
    return max(1, min(available, MAX_DEFAULT_JOBS))


def _can_fork() -> bool:
    return hasattr(os, "fork") and threading.active_count() == 1


def split(sizes: Sequence[int], parts: int) -> list[range]:
    """Consecutive runs of indexes with about equal total size, at most `parts` of them, none empty."""
    total = sum(sizes)
    runs, start, done = [], 0, 0
    for index, size in enumerate(sizes):
        done += size
        if len(runs) < parts - 1 and done * parts >= total * (len(runs) + 1):
            runs.append(range(start, index + 1))
            start = index + 1
    if start < len(sizes):
        runs.append(range(start, len(sizes)))
    return runs


def read_all(tasks: Sequence[Task], sizes: Sequence[int], read: Callable[[Task], ParsedFile],
             limits: Limits) -> list[ParsedFile]:
    """read(task) for every task, in order; `sizes` are the tasks' byte counts, for the split."""
    count = jobs()
    if count == 1 or len(tasks) < 2 or sum(sizes) < MIN_PARALLEL_BYTES or not _can_fork():
        return [read(task) for task in tasks]
    runs = split(sizes, count)
    workers: list = []
    try:
        workers = [_start(tasks, run, read) for run in runs[1:]]
        results = [read(tasks[i]) for i in runs[0]]
        for index, (run, worker) in enumerate(zip(runs[1:], workers)):
            results += _collect(worker, run, tasks, read, limits)
            workers[index] = None
        return results
    finally:  # interrupted (Ctrl-C): stop the workers still running, leave no process behind
        for worker in workers:
            if worker is not None:
                _stop(worker)


def _stop(worker: tuple[int, int]) -> None:
    pid, readable = worker
    os.close(readable)
    try:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    except OSError:
        pass


def _start(tasks, run: range, read) -> tuple[int, int] | None:
    """Fork a worker for one run of tasks: (its pid, the pipe to read its results from), or None."""
    try:
        readable, writable = os.pipe()
    except OSError:
        return None
    try:
        pid = os.fork()
    except OSError:
        os.close(readable)
        os.close(writable)
        return None
    if pid == 0:  # the worker: read, send, and leave without running any exit handler
        status = 1
        try:
            os.close(readable)
            blob = marshal.dumps([parse_cache.to_bytes(read(tasks[i])) for i in run])
            with open(writable, "wb") as out:
                out.write(blob)
            status = 0
        finally:
            os._exit(status)
    os.close(writable)
    return pid, readable


def _collect(worker, run: range, tasks, read, limits: Limits) -> list[ParsedFile]:
    """A worker's results, or the run read again here when the worker did not deliver them all."""
    if worker is None:
        return [read(tasks[i]) for i in run]
    pid, readable = worker
    with open(readable, "rb") as pipe:
        blob = pipe.read()
    _, status = os.waitpid(pid, 0)
    parsed = None
    if status == 0:
        try:
            parsed = [parse_cache.from_bytes(b, None, limits, checked=False) for b in marshal.loads(blob)]
        except (ValueError, TypeError, EOFError):
            parsed = None
    if parsed is None or len(parsed) != len(run) or None in parsed:
        return [read(tasks[i]) for i in run]
    return parsed
