"""Pause the cyclic garbage collector while building big acyclic structures.

Reading a large model or building its graph allocates hundreds of thousands of small containers;
each allocation burst triggers a collection that scans everything built so far again, which
doubles the time. Nothing built there forms a reference cycle that needs collecting.
"""
from __future__ import annotations

import gc
from contextlib import contextmanager


@contextmanager
def paused_gc():
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
