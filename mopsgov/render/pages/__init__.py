"""One module per part of the site; each has `build(ctx) -> list[Page]`. `PAGES` is the order
of the menu."""
from __future__ import annotations

from mopsgov.render.pages import data, findings, glossary, measures, overview, people, policies, processes, stack

# (menu label, page name, module) in menu order
PAGES = (
    ("Overview", "index", overview),
    ("Teams & roles", "teams", people),
    ("Processes", "processes", processes),
    ("Stack", "stack", stack),
    ("Data", "data", data),
    ("KPIs & goals", "kpis", measures),
    ("SLAs", "slas", None),  # built by measures
    ("Findings", "findings", findings),
    ("Policies", "policies", policies),
    ("Glossary", "glossary", glossary),
)
