"""Coverage: which parts of a complete MOps function the model covers, and which it leaves out.

- value archetypes and responsibility areas: from the roles that list them;
- platform groups and chiefmartec landscape groups: from the tools in use (every lifecycle but
  `plan` and `retired`); a tool's landscape group comes from its category;
- process families: from the processes;
- KPI form balance: how many KPIs measure activity, business outcomes and operations. A KPI set
  with no outcome KPI measures effort, not value.

Each dimension lists the vocabulary terms covered (with the entities that cover them) and those
missing, in vocabulary order.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mopsgov.model import Model
from mopsgov.fields import strings, text
from mopsgov.resources import load_schema

NAME = "coverage"
DEFAULTS: dict = {}
IN_USE = ("phase-in", "active", "phase-out")

# dimension -> (vocabulary definition, entity kind, field, title)
DIMENSIONS = {
    "archetypes": ("value-archetype", "role", "archetypes", "Value archetypes"),
    "responsibilities": ("responsibility-area", "role", "responsibilities", "Responsibility areas"),
    "platform_groups": ("platform-group", "tool", "platform_group", "Platform groups"),
    "landscape_groups": ("martech-group", "tool", "category", "Chiefmartec landscape groups"),
    "process_families": ("process-family", "process", "family", "Process families"),
}


@dataclass(frozen=True)
class Dimension:
    name: str
    title: str
    kind: str
    field: str
    covered: dict[str, tuple[str, ...]]  # term -> ids of the entities covering it
    missing: tuple[str, ...]
    terms: dict[str, str]  # term -> description

    @property
    def share(self) -> float:
        total = len(self.covered) + len(self.missing)
        return len(self.covered) / total if total else 0.0


@dataclass
class CoverageResult:
    dimensions: dict[str, Dimension] = field(default_factory=dict)
    kpi_forms: dict[str, tuple[str, ...]] = field(default_factory=dict)  # form -> KPI ids
    kpis_without_form: tuple[str, ...] = ()

    @property
    def outcome_missing(self) -> bool:
        return bool(sum(map(len, self.kpi_forms.values()))) and not self.kpi_forms.get("outcome")


def vocabulary(name: str) -> dict[str, str]:
    spec = load_schema("vocabulary.schema.json")["$defs"][name]
    terms = spec.get("x-terms") or {}
    return {term: (terms[term] if isinstance(terms.get(term), str) else text(terms.get(term, {}).get("label")))
            for term in spec.get("enum", terms)}


def _landscape_group() -> dict[str, str]:
    categories = load_schema("vocabulary.schema.json")["$defs"]["category"]["x-terms"]
    return {name: spec["group"] for name, spec in categories.items()}


def analyze_coverage(model: Model, graph=None, options: dict | None = None) -> CoverageResult:
    result = CoverageResult()
    group_of = _landscape_group()
    for name, (vocab, kind, field_name, title) in DIMENSIONS.items():
        terms = vocabulary(vocab)
        holders: dict[str, list[str]] = {term: [] for term in terms}
        for entity in model.of(kind):
            if kind == "tool" and entity.get("lifecycle") not in IN_USE:
                continue
            values = strings(entity.get(field_name))
            if name == "landscape_groups":
                values = [group_of[v] for v in values if v in group_of]
            for value in dict.fromkeys(values):
                if value in holders:
                    holders[value].append(entity.id)
        result.dimensions[name] = Dimension(
            name, title, kind, field_name, {t: tuple(ids) for t, ids in holders.items() if ids},
            tuple(t for t, ids in holders.items() if not ids), terms)
    forms: dict[str, list[str]] = {form: [] for form in vocabulary("kpi-form")}
    without = []
    for kpi in model.of("kpi"):
        form = kpi.get("form")
        if isinstance(form, str) and form in forms:
            forms[form].append(kpi.id)
        else:
            without.append(kpi.id)
    result.kpi_forms = {form: tuple(ids) for form, ids in forms.items()}
    result.kpis_without_form = tuple(without)
    return result
