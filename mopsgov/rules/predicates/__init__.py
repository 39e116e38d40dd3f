"""The built-in predicate families, one module each; importing this package registers them all."""
from mopsgov.rules.predicates import contracts, data, kpis, licences, lifecycle, raci, refs  # noqa: F401
