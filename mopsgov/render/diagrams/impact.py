"""Impact subgraph: an entity and what depends on it, with the relation on each arrow.

What depends on what is decided by the impact analysis (`mopsgov.analysis.impact`): this module
only draws its answer. Dependents are grouped in a box per kind (processes, process steps,
KPIs, ...). Entities that break are filled; those only affected (people who are told, steps and
flows another flow still feeds) are dashed. A hundred dependents drawn one by one make a
hairball with dozens of arrows into one node, so the closest `PER_KIND` of each kind are drawn
(with the chain that links them) and each box ends with "and N more"; the page's table lists
them all. `mopsgov impact --format dot|svg` draws the same diagram.
"""
from __future__ import annotations

from collections import Counter

from mopsgov.analysis import cache
from mopsgov.analysis.impact import GROUP_TITLES, GROUP_WORDS, GROUPS, ImpactResult, analyze_impact
from mopsgov.graph import RELATIONS
from mopsgov.model import KIND_TITLES, Entity, Model
from mopsgov.render.diagrams.base import KIND_COLOURS, MAX_TITLE, Builder, DiagramSource
from mopsgov.render.escape import dot_text
from mopsgov.render.names import slug

PER_KIND = 6  # dependents of one kind drawn before "and N more"
# With fewer dependents the site shows no diagram: the table of dependents says it all.
WORTH_DRAWING = 6
MAX_DRAWN = 45  # nodes in one impact diagram, the chains' intermediate nodes included
LEGEND = "Filled: breaks. Dashed: affected, still working. Each box counts all of its kind."


def diagram_name(entity: Entity) -> str:
    return f"impact-{entity.kind}-{slug(entity.id)}"


def kind_title(kind: str) -> str:
    return KIND_TITLES.get(kind, kind.capitalize())


def _order(kind: str) -> int:
    return GROUPS.index(kind) if kind in GROUPS else len(GROUPS)


def build(model: Model, entity: Entity, result: ImpactResult | None = None) -> list[DiagramSource]:
    return [draw(model, entity.ref, result, diagram_name(entity))]


def draw(model: Model, subject: str, result: ImpactResult | None = None, diagram: str = "impact") -> DiagramSource:
    """The diagram of what depends on the graph node `subject` (an entity, or a process step)."""
    graph = cache.graph(model)
    result = result or analyze_impact(model, subject, graph)
    attrs = graph.nodes[subject]
    kind = attrs.get("kind", "")
    title = f"What depends on {attrs.get('name', subject)} ({GROUP_WORDS.get(kind, (kind,))[0]})"
    builder = Builder(title, label=dot_text(title, LEGEND, limit=MAX_TITLE))
    breaks = {d.node: d.breaks for d in result.dependents}
    totals = Counter(d.kind for d in result.dependents)
    shown: dict[str, None] = {}
    drawn: Counter = Counter()
    edges: dict[tuple[str, str], str] = {}
    for dependent in sorted(result.dependents, key=lambda d: (len(d.path), _order(d.kind))):
        on_path = [n for link in dependent.path for n in (link.source, link.target) if n != result.entity]
        new = [n for n in dict.fromkeys(on_path) if n not in shown]
        if dependent.node in shown or drawn[dependent.kind] >= PER_KIND or len(shown) + len(new) > MAX_DRAWN - len(totals) - 1:
            continue
        shown.update(dict.fromkeys(new))
        drawn.update(graph.nodes[n].get("kind", "") for n in new)
        for link in dependent.path:
            edges.setdefault((link.source, link.target), RELATIONS[link.rel].text)

    def node(name: str) -> None:
        attrs = graph.nodes[name]
        look = {"fillcolor": KIND_COLOURS.get(attrs.get("kind", ""), "#ffffff")}
        if not breaks.get(name, True):
            look = {"style": "rounded,dashed", "fillcolor": "#ffffff"}
        if name == result.entity:
            look["penwidth"] = "2"
        builder.node(name, attrs.get("name", name), *([kind_title(attrs.get("kind", ""))] if name == result.entity else []),
                     **look)

    node(result.entity)
    by_kind: dict[str, list[str]] = {}
    for name in shown:
        by_kind.setdefault(graph.nodes[name].get("kind", ""), []).append(name)
    for kind in sorted(totals, key=_order):
        members = by_kind.get(kind, [])
        with builder.cluster(f"{GROUP_TITLES.get(kind, kind_title(kind))} ({totals[kind]})", bgcolor="#f7f9fc"):
            for name in members:
                node(name)
            if totals[kind] > len(members):
                words = GROUP_WORDS.get(kind, (kind, kind))
                more = totals[kind] - len(members)
                noun = words[0] if more == 1 else words[1]
                builder.node(("more", kind), f"\u2026 and {more} more {noun}" if members else f"{more} {noun}",
                             shape="plaintext", style="")
    for (source, target), text in edges.items():
        builder.edge(source, target, text)
    for kind in sorted(totals, key=_order):
        if builder.has(("more", kind)):
            builder.edge(("more", kind), result.entity, style="invis")  # keeps the note beside its box
    return builder.done(diagram)
