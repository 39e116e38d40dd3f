"""Process swimlanes: a lane per role, the steps in order, each placed in the lane of who does it.

A step sits in the lane of its first Responsible role (A/R counts), or of its Accountable role
when nobody is Responsible. When the Accountable role is another one, the step says so; the
tools the step uses are noted under its name.
"""
from __future__ import annotations

from mopsgov.model import Entity, Model
from mopsgov.fields import raci, steps, strings, text
from mopsgov.render.diagrams.base import KIND_COLOURS, MAX_NODES, MAX_TITLE, Builder, DiagramSource
from mopsgov.render.escape import shorten
from mopsgov.render.names import slug

NO_ROLE = "(nobody responsible)"
EDGE_OF_LANE = {"shape": "point", "style": "invis", "width": "0.01"}  # where a lane starts and ends


def lane_of(step: dict) -> str | None:
    letters = raci(step)
    for wanted in (("R", "A/R"), ("A",)):
        for role, letter in letters.items():
            if letter in wanted:
                return role
    return None


def accountable(step: dict) -> list[str]:
    return [role for role, letter in raci(step).items() if letter in ("A", "A/R")]


def _role_name(model: Model, role_id: str) -> str:
    role = model.get("role", role_id)
    return role.name if role else role_id


def _tool_names(model: Model, step: dict) -> str:
    names = [(model.get("tool", t).name if model.get("tool", t) else t) for t in strings(step.get("tools"))]
    return "tools: " + ", ".join(names) if names else ""


def diagram_name(process: Entity) -> str:
    return f"process-{slug(process.id)}"


def build(model: Model, process: Entity) -> list[DiagramSource]:
    all_steps = steps(process)
    shown = all_steps[:MAX_NODES]
    trigger = text(process.get("trigger"))
    title = f"{process.name}: swimlanes"
    if trigger:  # as much of the trigger as fits the title
        title += f" (starts when: {shorten(trigger, max(12, MAX_TITLE - len(title) - 16))})"
    builder = Builder(title, ranksep="0.35")
    lanes: dict[str | None, list[int]] = {}
    for index, step in enumerate(shown):
        lanes.setdefault(lane_of(step), []).append(index)
    # Each lane is a cluster named after its role, between two invisible points: all starts
    # share the first rank and all ends the last, so dot stacks the lanes as rows of one width.
    for role_id, members in lanes.items():
        with builder.cluster(_role_name(model, role_id) if role_id else NO_ROLE, bgcolor="#f7f9fc"):
            builder.node(("lane", role_id), "", **EDGE_OF_LANE)
            for index in members:
                step = shown[index]
                owners = [r for r in accountable(step) if r != role_id]
                builder.node(("step", index), f"{index + 1}. {text(step.get('name')) or text(step.get('id'))}",
                             "A: " + ", ".join(_role_name(model, r) for r in owners) if owners else "",
                             _tool_names(model, step), fillcolor=KIND_COLOURS["process"])
                builder.edge(("lane", role_id), ("step", index), style="invis", weight="0")
            builder.node(("end", role_id), "", **EDGE_OF_LANE)
            builder.edge(("step", members[-1]), ("end", role_id), style="invis", weight="0")
    for edge in ("lane", "end"):
        with builder.graph.subgraph(name=f"{edge}s") as row:
            row.attr(rank="same")
            for role_id in lanes:
                row.node(builder.node_id((edge, role_id)))
    for index in range(len(shown) - 1):
        builder.edge(("step", index), ("step", index + 1), weight="2")
    if len(all_steps) > len(shown):
        builder.node("more", f"... and {len(all_steps) - len(shown)} more steps", shape="plaintext", style="")
        builder.edge(("step", len(shown) - 1), "more", style="dashed")
    return [builder.done(diagram_name(process))]
