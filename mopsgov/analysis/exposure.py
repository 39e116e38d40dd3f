"""Personal-data exposure: where personal data ends up, and which of those tools may not hold it.

Objects classified `personal` or `sensitive-personal` start in their system of record and in the
tools that list them under `holds`, and travel along every flow that carries them (through the
flow's integration platform, `via`, on the way). Each tool they reach, directly or through
intermediate tools, is exposed when:

- it has no signed data processing agreement (`compliance.dpa` is not true), or
- its `compliance.residency` is not among `privacy.allowed_residency` in mopsgov.yaml, or is
  not recorded at all: data in an unknown region may be anywhere, which is a risk until the
  residency is written down (only checked when that list is set).

Each exposure comes with the path the data takes to the tool and the flows on that path that
state no lawful basis. Every flow of personal data that states no lawful basis is listed too,
exposed or not: personal data needs one (consent, contract, legitimate interest...).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from mopsgov.analysis import cache
from mopsgov.analysis.common import FlowEdge, is_personal, reach, systems_of_record, trail, trail_tools
from mopsgov.model import Entity, Model
from mopsgov.fields import mapping, strings

NAME = "exposure"
DEFAULTS: dict = {}
REASONS = ("dpa", "residency")
REASON_TEXT = {"dpa": "has no data processing agreement", "residency": "stores data outside the allowed residency"}


@dataclass(frozen=True)
class Exposure:
    tool: Entity
    reason: str  # "dpa" or "residency"
    object: str
    path: tuple[str, ...]  # tools from where the object starts to the exposed tool
    flows: tuple[FlowEdge, ...]  # the flows on that path
    without_basis: tuple[str, ...]  # ids of flows on the path with no lawful basis
    held: bool  # the tool is the system of record or lists the object under holds

    @property
    def residency(self) -> str | None:
        written = mapping(self.tool.get("compliance")).get("residency")
        return written if isinstance(written, str) and written else None

    @property
    def detail(self) -> str:
        if self.reason == "residency":
            if self.residency is None:
                return "records no residency, so its data may be stored anywhere"
            return f"{REASON_TEXT['residency']} ({self.residency})"
        return REASON_TEXT["dpa"]


@dataclass
class ExposureResult:
    exposures: list[Exposure] = field(default_factory=list)
    allowed_residency: tuple[str, ...] = ()
    personal_objects: list[str] = field(default_factory=list)
    # object -> the tools it reaches, in the order the data gets there
    reach: dict[str, list[str]] = field(default_factory=dict)
    # flows of personal data that state no lawful basis, with the personal objects they carry
    without_basis: list[tuple[FlowEdge, tuple[str, ...]]] = field(default_factory=list)

    def by_tool(self) -> dict[str, list[Exposure]]:
        out: dict[str, list[Exposure]] = {}
        for exposure in self.exposures:
            out.setdefault(exposure.tool.id, []).append(exposure)
        return out


def _problems(tool: Entity, allowed: tuple[str, ...]) -> list[str]:
    compliance = mapping(tool.get("compliance"))
    out = []
    if compliance.get("dpa") is not True:
        out.append("dpa")
    residency = compliance.get("residency")
    if allowed and (not isinstance(residency, str) or residency not in allowed):
        out.append("residency")  # an unrecorded residency is not an allowed one
    return out


def analyze_exposure(model: Model, graph=None, options: dict | None = None) -> ExposureResult:
    privacy = mapping(model.config.get("privacy"))
    allowed = tuple(strings(privacy.get("allowed_residency")))
    result = ExposureResult(allowed_residency=allowed)
    by_object = cache.indexes(model).by_object

    def flows_of(obj: str) -> list[FlowEdge]:
        return by_object.get(obj, [])

    holders: dict[str, list[str]] = {}
    for tool in model.of("tool"):
        for obj in strings(tool.get("holds")):
            holders.setdefault(obj, []).append(tool.id)
    for data in model.of("data"):
        if not is_personal(data):
            continue
        result.personal_objects.append(data.id)
        sors = systems_of_record(model, data)
        held = set(sors) | set(holders.get(data.id, ()))
        roots = tuple(dict.fromkeys(sors + holders.get(data.id, [])))
        found = reach(model, data.id, roots)
        # flows that start in a tool the data is not known to be in still put it there
        strays = tuple(dict.fromkeys(e.source for e in flows_of(data.id) if e.source not in found))
        if strays:
            found = reach(model, data.id, roots + strays)
        result.reach[data.id] = list(found)
        for tool_id in found:
            tool = model.get("tool", tool_id)
            for reason in _problems(tool, allowed):
                flows = tuple(trail(found, tool_id))
                result.exposures.append(Exposure(
                    tool, reason, data.id, tuple(trail_tools(found, tool_id)), flows,
                    tuple(f.id for f in flows if not f.flow.get("lawful_basis")), tool_id in held))
    personal = set(result.personal_objects)
    for edge in cache.indexes(model).flows:
        carried = tuple(o for o in edge.objects if o in personal)
        if carried and not edge.flow.get("lawful_basis"):
            result.without_basis.append((edge, carried))
    return result
