"""Everything the page builders share: the checked model, cross-links, optional analysis results."""
from __future__ import annotations

import hashlib
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property

from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Severity
from mopsgov.model import KIND_TITLES, Entity, Model
from mopsgov.render.blocks import Column, Diagram, Link
from mopsgov.render.names import anchor, entity_page, step_anchor
from mopsgov.render.schema_text import describe, field_label, field_schema, term

# Kinds with a page each; the others are rows (with an anchor) on their collection's page.
OWN_PAGE = ("process", "tool")
LISTED_ON = {"team": "teams", "role": "teams", "data": "data", "flow": "data", "kpi": "kpis", "goal": "kpis",
             "sla": "slas", "waiver": "findings"}


@dataclass
class SiteContext:
    result: CheckResult
    diagrams_drawn: bool  # False when Graphviz is missing: pages show a note and the DOT source
    not_drawn_because: str = "Graphviz is not installed"  # the note's reason when they are not drawn
    analysis: object = None  # mopsgov.analysis.run_all(model), when that module exists
    catalogue: object = None  # the policy catalogue, when the rules package provides one
    diagrams: dict = field(default_factory=dict)  # name -> DiagramSource, filled as pages are built
    # Called with (name, DOT text) as each diagram is registered: the site draws it right away.
    on_diagram: Callable[[str, str], None] | None = None

    problems: list = field(default_factory=list)  # warnings: an optional source failed
    _links: dict = field(default_factory=dict, repr=False)  # id(entity) -> its Link, made once
    _nodes: dict = field(default_factory=dict, repr=False)  # (graph node, name) -> its link

    def __post_init__(self) -> None:
        self.analysis = self._optional("the graph analyses", "mopsgov.analysis", "run_all", self.model)
        self.catalogue = self._optional("the policy catalogue", __name__, "model_catalogue", self.model)

    def _optional(self, what: str, module: str, function: str, *args):
        try:
            return optional_call(module, function, *args)
        except Exception as exc:  # noqa: BLE001 - a failing part must not cost the whole site
            self.problems.append(Finding(
                "docs.source-failed", Severity.WARNING,
                f"{what} failed ({type(exc).__name__}: {exc}); the site shows those sections as not available",
                fix="Run mopsgov check on the model; report the failure if it persists."))
            return None

    @property
    def model(self) -> Model:
        return self.result.model

    def impact(self, entity: Entity):
        """What depends on the entity (`mopsgov.analysis.impact`), or None when that analysis failed."""
        return self._optional(f"the impact analysis of {entity.label()}", "mopsgov.analysis.impact", "analyze_impact",
                              self.model, entity.ref)

    def node_link(self, node: str, name: str) -> Link | str:
        """A link for a node of the model graph: `kind:id`, or a step `step:<process>/<step>`."""
        found = self._nodes.get((node, name))
        if found is None:
            found = self._nodes[(node, name)] = self._node_link(node, name)
        return found

    def _node_link(self, node: str, name: str) -> Link | str:
        kind, _, rest = node.partition(":")
        if kind == "step":
            process_id, _, step_id = rest.partition("/")
            process = self.model.get("process", process_id)
            return Link(name, entity_page(process), step_anchor(step_id, 0)) if process else name
        entity = self.model.get(kind, rest) if kind in self.model.entities else None
        return self.entity_link(entity) if entity else name

    def entity_link(self, entity: Entity) -> Link:
        key = id(entity)  # entities live as long as the context
        found = self._links.get(key)
        if found is None:
            if entity.kind in OWN_PAGE:
                found = Link(entity.name, entity_page(entity))
            else:
                found = Link(entity.name, LISTED_ON[entity.kind], anchor(entity))
            self._links[key] = found
        return found

    def link(self, kind: str, entity_id: object) -> Link | str:
        """A link to the entity, or its id as text when the model does not define it."""
        entity = self.model.get(kind, entity_id)
        if entity is not None:
            return self.entity_link(entity)
        return "" if entity_id is None else f"{entity_id} (not in the model)"

    def links(self, kind: str, ids: list[str]) -> tuple:
        return tuple(self.link(kind, i) for i in ids)

    def column(self, kind: str, *path: str, label: str | None = None, numeric: bool = False) -> Column:
        """A table column for a field, headed by its name and described from the schema."""
        is_date = field_schema(kind, *path).get("format") == "date"
        return Column(label or field_label(path[-1]), describe(kind, *path), numeric, nowrap=is_date)

    def draw(self, sources: list) -> list[Diagram]:
        """Register diagrams for the site and return the blocks that show them."""
        blocks = []
        for source in sources:
            self.diagrams[source.name] = source
            if self.on_diagram is not None:
                self.on_diagram(source.name, source.source)
            blocks.append(Diagram(source.name, source.title, svg=self.diagrams_drawn))
        return blocks

    def term(self, vocabulary: str, value: object) -> str:
        return term(vocabulary, value, self.model)[0] if value is not None else ""

    @cached_property
    def rule_ids(self) -> frozenset:
        """The ids of the rules in the policy catalogue (empty when it is not available)."""
        if not isinstance(self.catalogue, list):
            return frozenset()
        return frozenset(str(getattr(r, "id", "")) for r in self.catalogue)

    def kind_title(self, kind: str) -> str:
        return KIND_TITLES[kind]

    @cached_property
    def finding_anchors(self) -> dict[int, str]:
        """id(finding) -> the anchor of its row on the findings page: a hash of what it says, so
        it stays when other findings come and go."""
        anchors: dict[int, str] = {}
        taken: set[str] = set()
        for finding in self.result.findings:
            key = "\0".join(map(str, (finding.rule, finding.kind, finding.entity, finding.path, finding.message)))
            base = "finding-" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()[:10]
            name, n = base, 1
            while name in taken:
                n += 1
                name = f"{base}-{n}"
            taken.add(name)
            anchors[id(finding)] = name
        return anchors

    @cached_property
    def findings_by_entity(self) -> dict[tuple, list[Finding]]:
        """(kind, id) -> the check's findings about that entity, in the check's order."""
        found: dict[tuple, list[Finding]] = {}
        for finding in self.result.findings:
            found.setdefault((finding.kind, finding.entity), []).append(finding)
        return found


def model_catalogue(model: Model) -> list:
    """The rule catalogue of the model already loaded (`rule_catalog.catalog` would load it again)."""
    from mopsgov.rules.config import load_rules
    from mopsgov.rules.rule_catalog import rule_infos

    return rule_infos(load_rules(model)[0], model)


def optional_call(module: str, function: str, *args):
    """Call module.function(*args) when another part of mopsgov provides it; None otherwise."""
    try:
        target = getattr(importlib.import_module(module), function, None)
    except ImportError:
        return None
    return target(*args) if callable(target) else None
