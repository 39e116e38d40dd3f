"""Reference integrity: every id written in a field names an entity of the kind the field expects."""
from __future__ import annotations

from mopsgov.finding import Finding, Severity
from mopsgov.model import Model, kind_label
from mopsgov.validate.schema_compiler import suggest


_title = kind_label


def check_references(model: Model, refs_by_file) -> list[Finding]:
    # local import: validate/__init__ imports this module
    from mopsgov.validate import entity_of, field_label, json_path

    findings: list[Finding] = []
    for source, refs in refs_by_file:
        data = source.data
        for path, value, kind, at_key in refs:
            if value in model.entities[kind]:
                continue
            entity_kind, entity_id, label = entity_of(data, path)
            field = field_label(data[path[0]][path[1]], path[2:]) if entity_kind else field_label(data, path)
            elsewhere = [k for k in model.entities if k != kind and value in model.entities[k]]
            guess = suggest(value, model.entities[kind])
            if elsewhere:
                fix = f'"{value}" is a {_title(elsewhere[0])}; this field needs a {_title(kind)}.'
            elif guess:
                fix = f'Did you mean "{guess}"?'
            else:
                fix = f"Add a {_title(kind)} with id {value}, or correct the id."
            findings.append(Finding(
                "ref.unresolved", Severity.ERROR,
                f'{label}: "{field}" names {_title(kind)} "{value}", which is not in the model',
                source.location(path, key=at_key), kind=entity_kind, entity=entity_id,
                path=json_path(path), fix=fix))
    for first, second in model.duplicates:
        where = first.location("id")
        findings.append(Finding(
            "ref.duplicate-id", Severity.ERROR,
            f'{_title(second.kind)} id "{second.id}" is defined twice; the first is at {where}',
            second.location("id"), kind=second.kind, entity=second.id, path=json_path(second.path + ("id",)),
            fix="Give one of them another id, or merge the two.", related=(where,)))
    findings += _steps(model)
    findings += _waiver_targets(model)
    return findings


def _steps(model: Model) -> list[Finding]:
    findings = []
    for process in model.of("process"):
        seen: dict[str, int] = {}
        for index, step in enumerate(_step_list(process)):
            step_id = step.get("id") if isinstance(step, dict) else None
            if not isinstance(step_id, str):
                continue
            if step_id in seen:
                where = process.location("steps", seen[step_id], "id")
                findings.append(Finding(
                    "ref.duplicate-id", Severity.ERROR,
                    f'{process.label()}: step id "{step_id}" is used twice; the first is at {where}',
                    process.location("steps", index, "id"), kind="process", entity=process.id,
                    fix="Give each step of a process its own id.", related=(where,)))
            else:
                seen[step_id] = index
    for sla in model.of("sla"):
        step_id, process = sla.get("step"), model.get("process", sla.get("process"))
        if not isinstance(step_id, str):
            continue
        if process is None:
            if "process" not in sla.data:
                findings.append(Finding(
                    "ref.unresolved", Severity.ERROR, f'{sla.label()}: "step" is given without the "process" it belongs to',
                    sla.location("step"), kind="sla", entity=sla.id, fix="Add process: with the id of the process."))
            continue
        steps = process.get("steps")
        if not isinstance(steps, list):
            continue  # the schema reports the process's steps
        step_ids = [s.get("id") for s in steps if isinstance(s, dict) and isinstance(s.get("id"), str)]
        if step_id not in step_ids:
            guess = suggest(step_id, step_ids)
            fix = (f'Did you mean "{guess}"?' if guess else f"Use one of: {', '.join(step_ids)}." if step_ids
                   else f"Add the step to {process.label()} first: it has no steps yet.")
            findings.append(Finding(
                "ref.unresolved", Severity.ERROR,
                f'{sla.label()}: "step" names step "{step_id}", which is not a step of {process.label()}',
                sla.location("step"), kind="sla", entity=sla.id, fix=fix))
    return findings


def _step_list(process) -> list:
    steps = process.get("steps")
    return steps if isinstance(steps, list) else []


def _waiver_targets(model: Model) -> list[Finding]:
    findings = []
    for waiver in model.of("waiver"):
        target = waiver.get("entity")
        if not isinstance(target, str) or ":" not in target:
            continue
        kind, _, entity_id = target.partition(":")
        if kind not in model.entities:
            guess = suggest(kind, list(model.entities))
            findings.append(Finding(
                "ref.unresolved", Severity.ERROR, f'{waiver.label()}: "entity" names the kind "{kind}", which mopsgov does not know',
                waiver.location("entity"), kind="waiver", entity=waiver.id,
                fix=f'Did you mean "{guess}:{entity_id}"?' if guess else f"Use one of: {', '.join(model.entities)}."))
        elif entity_id != "*" and entity_id not in model.entities[kind]:
            guess = suggest(entity_id, model.entities[kind])
            findings.append(Finding(
                "ref.unresolved", Severity.ERROR,
                f'{waiver.label()}: "entity" names {_title(kind)} "{entity_id}", which is not in the model',
                waiver.location("entity"), kind="waiver", entity=waiver.id,
                fix=f'Did you mean "{kind}:{guess}"?' if guess else "Correct the id, or remove the waiver."))
    return findings
