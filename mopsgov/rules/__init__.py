"""Rules: policy packs (declarative YAML) and the named predicates they may call.

`catalog(path=None)` returns a `RuleInfo` for every rule (id, title, severity, pack, rationale,
remediation, options, help) of the model at path, or of the built-in pack; SARIF and the docs
site use it. Imported lazily so that `import mopsgov.rules.registry` stays cheap.
"""
from __future__ import annotations


def __getattr__(name: str):
    if name in ("catalog", "RuleInfo"):
        from mopsgov.rules import rule_catalog as module

        return getattr(module, name)
    raise AttributeError(name)
