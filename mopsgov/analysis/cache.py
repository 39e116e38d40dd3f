"""Results computed once per model: the shared indexes, the graph and each analysis per option set.

Entries are keyed by the model object (a model is not changed after loading); the few most recent
models are kept, so a long-lived process does not grow without bound.
"""
from __future__ import annotations

import json
from collections import OrderedDict
from typing import Callable

from mopsgov.model import Model

MODELS_KEPT = 4
_STORE: OrderedDict[int, tuple[Model, dict]] = OrderedDict()


def memo(model: Model, key, compute: Callable[[], object]):
    entry = _STORE.get(id(model))
    if entry is None or entry[0] is not model:
        entry = (model, {})
        _STORE[id(model)] = entry
        while len(_STORE) > MODELS_KEPT:
            _STORE.popitem(last=False)
    _STORE.move_to_end(id(model))
    table = entry[1]
    if key not in table:
        table[key] = compute()
    return table[key]


def options_key(options: dict | None) -> str:
    return json.dumps(options or {}, sort_keys=True, default=str)


def indexes(model: Model):
    from mopsgov.analysis.common import build_indexes

    return memo(model, "indexes", lambda: build_indexes(model))


def graph(model: Model):
    from mopsgov.graph import build_graph

    return memo(model, "graph", lambda: build_graph(model))
