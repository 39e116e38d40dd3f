"""Read a model's files on several processors: each file is read the same way, only sooner.

The files are split into runs of about equal size; forked copies (mopsgov.forking) read all runs
but the first and send their results back in the parse cache's marshal format while this
process reads the first. Results come back in the order of the files, so the model is the same
as a serial read, byte for byte; the runs of a copy that failed are read here.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import TypeVar

from mopsgov import forking
from mopsgov.load import parse_cache
from mopsgov.load.yaml_reader import ParsedFile

Task = TypeVar("Task")


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


def read_all(tasks: Sequence[Task], sizes: Sequence[int], read: Callable[[Task], ParsedFile]) -> list[ParsedFile]:
    """read(task) for every task, in order; `sizes` are the tasks' byte counts, for the split."""
    if len(tasks) < 2 or not forking.worth_forking(sum(sizes)):
        return [read(task) for task in tasks]
    runs = split(sizes, forking.jobs())
    copies: list[forking.Aside] = []
    try:
        for run in runs[1:]:
            copies.append(forking.Aside(lambda run=run: _packed([read(tasks[i]) for i in run])))
        results = [read(tasks[i]) for i in runs[0]]
        for run, copy in zip(runs[1:], copies):
            received = _received(copy)
            if len(received) != len(run):
                received = [None] * len(run)
            results += [parsed if parsed is not None else read(tasks[i]) for i, parsed in zip(run, received)]
        return results
    finally:  # interrupted (Ctrl-C): stop the copies still running
        for copy in copies:
            copy.stop()


def _packed(parsed: list) -> Iterator[bytes]:
    """Each file's result to send, as the parse cache stores it; b"" for one that marshal cannot
    hold (it is read again here). Packed one at a time, each as its turn to be sent comes."""
    for index, one in enumerate(parsed):
        parsed[index] = None  # sent: this copy no longer needs it
        try:
            yield parse_cache.to_bytes(one)
        except ValueError:
            yield b""


def _received(copy: forking.Aside) -> list[ParsedFile | None]:
    """A copy's results, None for each file to read again; [] unless the copy sent them all."""
    received = []
    for part in copy.parts():
        try:
            received.append(parse_cache.from_own_bytes(part) if part else None)
        except (ValueError, TypeError, EOFError):
            received.append(None)
    return received if copy.ok else []
