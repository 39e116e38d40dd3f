"""Named, parameterised predicates that policy rules call for what JSON Schema cannot say.

A predicate is a Python function registered here under a dotted name. Policy YAML can only name
it and pass options: it never carries code. Two scopes:

- `entity`: called once per selected entity: `fn(entity, options, ctx)`;
- `model`: called once for the whole model: `fn(options, ctx)`.

Both yield `Violation`s. Predicates live in the modules listed in `PREDICATE_MODULES` and in
installed plugins (entry point group `mopsgov.predicates`); `load_predicates()` imports them. `ctx` is a `RuleContext` (the model, the check date, and the graph of the
model built on first use). Graph analyses register model-scope predicates the same way.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from typing import Callable, Iterable

from mopsgov.model import Entity, Model


@dataclass(frozen=True, slots=True)
class Violation:
    # None only for a model-wide finding that no entity carries (it then points at mopsgov.yaml)
    entity: Entity | None
    field: tuple = ()  # path inside the entity of the field the finding points at
    values: dict = dataclasses.field(default_factory=dict)  # named values a rule's message may show
    at_key: bool = False
    # What the finding is about, for baselines: stays the same when the entity moves.
    subject: str = ""
    # (entity, field path) of the other places involved, such as the steps that use a retired
    # tool: a reviewer sees them even when the pull request did not touch the field pointed at.
    related: tuple[tuple[Entity, tuple], ...] = ()


class Unjudgeable(Exception):
    """Raised by a predicate for a value it cannot judge at all (a date arithmetic that leaves the
    calendar): reported at that field as policy.cannot-judge, in words, and the rule goes on."""

    def __init__(self, field: tuple, message: str, fix: str, entity: Entity | None = None):
        super().__init__(message)
        self.field, self.message, self.fix, self.entity = field, message, fix, entity


@dataclass
class RuleContext:
    model: Model
    today: dt.date
    _graph: object = None
    cache: dict = field(default_factory=dict)  # analyses keep computed results here

    @property
    def graph(self):
        if self._graph is None:
            from mopsgov.graph import build_graph  # networkx only when a rule needs it

            self._graph = build_graph(self.model)
        return self._graph


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    scope: str  # "entity" or "model"
    function: Callable[..., Iterable[Violation]]
    options: dict  # option name -> default value
    doc: str
    allowed: dict = field(default_factory=dict)  # option name -> what values it accepts (rules.option_values)


PREDICATES: dict[str, Predicate] = {}


def predicate(name: str, scope: str = "entity", allowed: dict | None = None, **defaults):
    """Register a predicate; keyword arguments are its options and their defaults.

    `allowed` maps option names to what they accept beyond their type (mopsgov.rules.option_values:
    Kind(), Field(), Range(0), Term(...)), checked when a pack or mopsgov.yaml sets them.
    """
    if scope not in ("entity", "model"):
        raise ValueError(scope)
    if set(allowed or ()) - set(defaults):
        raise ValueError(f"predicate {name}: allowed names options it does not have")

    def register(function):
        if name in PREDICATES:
            raise ValueError(f"predicate {name} registered twice")
        PREDICATES[name] = Predicate(name, scope, function, defaults, (function.__doc__ or "").strip(), dict(allowed or {}))
        return function
    return register


# Where predicates come from: our own families, the graph analyses, and installed plugins. Policy
# YAML never names a module; it can only name a predicate that one of these registered.
PREDICATE_MODULES = ("mopsgov.rules.predicates", "mopsgov.analysis.predicates")
PLUGIN_GROUP = "mopsgov.predicates"
_loaded: list[str] = []  # problems met while loading plugins, reported by the policy stage
_modules_loaded: list[bool] = []


def _load_modules() -> None:
    """Import our own optional predicate modules once (the graph analyses)."""
    if _modules_loaded:
        return
    import importlib
    import importlib.util

    _modules_loaded.append(True)
    for name in PREDICATE_MODULES:
        parent = name.rpartition(".")[0]
        try:
            if importlib.util.find_spec(parent) is None or importlib.util.find_spec(name) is None:
                continue  # the analyses are optional: the policy engine works without them
            importlib.import_module(name)
        except Exception as exc:
            _loaded.append(f"the predicates in {name} failed to load: {exc}")


def load_predicates() -> list[str]:
    """Import every predicate module and plugin once; returns the problems (empty when all loaded)."""
    _load_modules()
    if "plugins" in _loaded:
        return [p for p in _loaded if p != "plugins"]
    from importlib.metadata import entry_points  # scanning the installed packages: only when needed

    _loaded.append("plugins")
    for point in sorted(entry_points(group=PLUGIN_GROUP), key=lambda p: p.name):
        try:
            point.load()
        except Exception as exc:  # a broken plugin must not stop the check: report it
            _loaded.append(f"the predicate plugin {point.name} ({point.value}) failed to load: {exc}")
    return [p for p in _loaded if p != "plugins"]


def load_problems() -> list[str]:
    """The plugin problems met so far (load_predicates reports them once it has run)."""
    return [p for p in _loaded if p != "plugins"]


def lookup(name: str) -> Predicate | None:
    """A predicate by name. The optional modules (the graph analyses) are imported only when a
    rule names a predicate that is not built in, and the installed plugins only when a rule names
    one that is in neither."""
    import mopsgov.rules.predicates  # noqa: F401  (registers the built-in families)

    if name not in PREDICATES:
        _load_modules()
    if name not in PREDICATES:
        load_predicates()
    return PREDICATES.get(name)
