"""The diff in text, JSON, markdown (a ready pull-request comment) and GitHub annotations."""
from __future__ import annotations

import json

from mopsgov import __version__
from mopsgov.finding import Finding
from mopsgov.model import KIND_TITLES, Entity
from mopsgov.report.github import annotation, annotations
from mopsgov.report.json_report import finding_dict
from mopsgov.report.markdown import code, findings_table, md, where
from mopsgov.report.text import escape_control, finding_line, plural
from mopsgov.workflow.diff import ModelDiff


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _money(value: float, currency: str | None, sign: bool = False) -> str:
    text = f"{_number(value):+,}" if sign else f"{_number(value):,}"
    return f"{text} {currency}" if currency else text


def _entity_dict(entity: Entity) -> dict:
    loc = entity.location()
    return {"kind": entity.kind, "id": entity.id, "name": entity.name, "file": loc.file, "line": loc.line}


def _sides_unreadable(diff: ModelDiff) -> list[tuple[str, str, list[Finding]]]:
    """(side, revision, errors) of each side with files that cannot be read."""
    refs = {"base": diff.base_ref, "head": diff.head_ref}
    return [(side, refs[side], errors) for side, errors in diff.unreadable.items() if errors]


NOT_COMPARED = "Findings were not compared"


def not_compared(diff: ModelDiff) -> str | None:
    """Why the findings were not compared, in words; None when they were."""
    sides = _sides_unreadable(diff)
    if not sides:
        return None
    which = " and ".join(f"the {side} ({ref}) has {plural(len({f.file for f in errors}), 'file')}"
                         for side, ref, errors in sides)
    return (f"{which} that cannot be read, and rules judge a model with parts missing differently. "
            "Only findings about reading files are listed as introduced or fixed; "
            "the verdict is the head's own check, as mopsgov check would give it.")


def findings_summary(diff: ModelDiff) -> str:
    """The last line of the text and github formats."""
    verdict = f"diff {'failed' if diff.exit_code else 'passed'} (fail severity: {diff.fail_severity})"
    if not diff.compared:
        return (f"findings not compared (files cannot be read); the head has {len(diff.failing())} failing on its own; "
                + verdict)
    return f"findings: {len(diff.introduced)} introduced, {len(diff.fixed)} fixed, {len(diff.unchanged)} unchanged; " + verdict


def diff_dict(diff: ModelDiff) -> dict:
    return {
        "tool": {"name": "mopsgov", "version": __version__},
        "model": {"name": diff.head.model.name, "root": diff.head.model.root},
        "base": diff.base_ref,
        "head": diff.head_ref,
        "fail_severity": diff.fail_severity,
        "exit_code": diff.exit_code,
        "entities": {
            "added": [_entity_dict(e) for e in diff.added],
            "removed": [_entity_dict(e) for e in diff.removed],
            "changed": [{**_entity_dict(c.entity),
                         "fields": [{"field": f.field, "old": f.old, "new": f.new} for f in c.changes]}
                        for c in diff.changed],
            "moved": [{**_entity_dict(m.entity), "from": m.old_file} for m in diff.moved],
            "renamed_files": [{"from": r.old_file, "to": r.new_file, "entities": r.entities} for r in diff.renamed],
        },
        "spend": [{"currency": s.currency, "base": _number(s.base), "head": _number(s.head), "delta": _number(s.delta),
                   "categories": [{"category": c, "base": _number(b), "head": _number(h), "delta": _number(h - b)}
                                  for c, (b, h) in s.categories.items() if b != h]}
                  for s in diff.spend],
        "findings": {
            "compared": diff.compared,
            "not_compared_because": not_compared(diff),
            "unreadable": {side: [finding_dict(f) for f in errors] for side, errors in diff.unreadable.items()},
            "failing": [finding_dict(f) for f in diff.failing()],
            "introduced": [finding_dict(f) for f in diff.introduced],
            "fixed": [finding_dict(f) for f in diff.fixed],
            "unchanged": [finding_dict(f) for f in diff.unchanged],
        },
    }


def render_json(diff: ModelDiff) -> str:
    return json.dumps(diff_dict(diff), indent=2, ensure_ascii=False) + "\n"


MAX_VALUE = 160  # characters of a field value shown in a comment table


def _value(value, limit: int | None = None) -> str:
    if value is None:
        return "—"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if limit is None or len(text) <= limit else text[:limit - 1] + "…"


def _title(entity: Entity) -> str:
    return f"{KIND_TITLES[entity.kind]} {entity.id}"


def _moves_outside_renames(diff: ModelDiff) -> list:
    renamed = {r.old_file for r in diff.renamed}
    return [m for m in diff.moved if m.old_file not in renamed]


def render_text(diff: ModelDiff, color: bool = False) -> str:
    lines = [f"model {diff.head.model.name}: {diff.base_ref} -> {diff.head_ref}"]
    lines += [f"added {_title(e)} ({e.location()})" for e in diff.added]
    lines += [f"removed {_title(e)} (was {e.location()})" for e in diff.removed]
    for change in diff.changed:
        lines.append(f"changed {_title(change.entity)} ({change.entity.location()})")
        lines += [f"    {f.field}: {_value(f.old)} -> {_value(f.new)}" for f in change.changes]
    lines += [f"renamed {r.old_file} to {r.new_file} ({plural(r.entities, 'entity', 'entities')})" for r in diff.renamed]
    lines += [f"moved {_title(m.entity)} from {m.old_file} to {m.entity.file}" for m in _moves_outside_renames(diff)]
    for spend in diff.spend:
        if spend.delta or any(b != h for b, h in spend.categories.values()):
            lines.append(f"annual spend: {_money(spend.base, spend.currency)} -> {_money(spend.head, spend.currency)} "
                         f"({_money(spend.delta, spend.currency, sign=True)})")
            lines += [f"    {c}: {_money(h - b, spend.currency, sign=True)}" for c, (b, h) in spend.categories.items() if b != h]
    lines = [escape_control(line) for line in lines]
    for side, ref, errors in _sides_unreadable(diff):
        lines += [f"cannot read in the {side}: {finding_line(f, color)}" for f in errors]
    note = not_compared(diff)
    if note:
        lines.append(escape_control(f"{NOT_COMPARED}: {note}"))
        shown = set(map(id, diff.unreadable.get("head", [])))
        lines += [f"failing in the head: {finding_line(f, color)}" for f in diff.failing() if id(f) not in shown]
    for label, findings in (("introduced", diff.introduced), ("fixed", diff.fixed)):
        lines += [f"{label}: {finding_line(f, color)}" for f in findings]
    lines.append(findings_summary(diff))
    return "\n".join(lines) + "\n"


def _entity_rows(entities: list[Entity]) -> list[str]:
    rows = ["| Kind | Id | Name | Where |", "|---|---|---|---|"]
    rows += [f"| {KIND_TITLES[e.kind]} | {code(e.id)} | {md(e.name)} | {code(e.location())} |" for e in entities]
    return rows


def _finding_section(title: str, findings: list[Finding], folded: bool = False) -> list[str]:
    if not findings:
        return []
    if folded:
        return [f"<details><summary>{title} ({len(findings)})</summary>", "", *findings_table(findings), "", "</details>", ""]
    return [f"### {title} ({len(findings)})", "", *findings_table(findings), ""]


def _counts(diff: ModelDiff) -> str:
    entities = f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed"
    if not diff.compared:
        return f"{entities}; findings not compared, {len(diff.failing())} failing at {diff.fail_severity} in the head."
    return (f"{entities}; findings {len(diff.introduced)} introduced ({len(diff.failing())} failing at {diff.fail_severity}), "
            f"{len(diff.fixed)} fixed, {len(diff.unchanged)} unchanged.")


def render_markdown(diff: ModelDiff) -> str:
    verdict = "❌" if diff.exit_code else "✅"
    lines = [f"## {verdict} mopsgov: what this change does to {md(diff.head.model.name)}", "",
             f"Compared {code(diff.base_ref)} with {code(diff.head_ref)}: {_counts(diff)}", ""]
    note = not_compared(diff)
    if note:
        lines += [f"> **{NOT_COMPARED}:** {md(note)}", ""]
        for side, ref, errors in _sides_unreadable(diff):
            lines += [f"- {side} {code(ref)}: {where(f)} {code(f.rule)} {md(f.message)}" for f in errors]
        lines.append("")
    if diff.added:
        lines += [f"### Added ({len(diff.added)})", "", *_entity_rows(diff.added), ""]
    if diff.removed:
        lines += [f"### Removed ({len(diff.removed)})", "", *_entity_rows(diff.removed), ""]
    if diff.changed:
        lines += [f"### Changed ({len(diff.changed)})", "", "| Entity | Field | Before | After |", "|---|---|---|---|"]
        for change in diff.changed:
            for f in change.changes:
                lines.append(f"| {KIND_TITLES[change.entity.kind]} {code(change.entity.id)} | {code(f.field)} | "
                             f"{md(_value(f.old, MAX_VALUE))} | {md(_value(f.new, MAX_VALUE))} |")
        lines.append("")
    for rename in diff.renamed:
        lines += [f"Renamed {code(rename.old_file)} → {code(rename.new_file)} "
                  f"({plural(rename.entities, 'entity', 'entities')}).", ""]
    moves = _moves_outside_renames(diff)
    if moves:
        lines += ["Moved without changes to their content: " + ", ".join(
            f"{KIND_TITLES[m.entity.kind]} {code(m.entity.id)} ({code(m.old_file)} → {code(m.entity.file)})" for m in moves), ""]
    spends = [s for s in diff.spend if s.delta or any(b != h for b, h in s.categories.values())]
    if spends:
        lines += ["### Annual spend", "", "| Category | Before | After | Change |", "|---|---:|---:|---:|"]
        for s in spends:
            lines += [f"| {md(c)} | {_money(b, s.currency)} | {_money(h, s.currency)} | {_money(h - b, s.currency, sign=True)} |"
                      for c, (b, h) in s.categories.items() if b != h]
            total = f"Total {s.currency}" if len(spends) > 1 and s.currency else "Total"
            lines.append(f"| **{total}** | **{_money(s.base, s.currency)}** | **{_money(s.head, s.currency)}** | "
                         f"**{_money(s.delta, s.currency, sign=True)}** |")
        lines.append("")
    if not diff.compared:
        lines += _finding_section("Findings of the head at or above the fail severity", diff.failing())
    lines += _finding_section("Findings introduced", diff.introduced)
    lines += _finding_section("Findings fixed", diff.fixed)
    lines += _finding_section("Findings unchanged", diff.unchanged, folded=True)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_github(diff: ModelDiff) -> str:
    """Annotations for the findings the change introduces only: old debt is not re-annotated.
    When findings could not be compared, the head's failing findings, which decide the verdict."""
    lines = annotations(diff.introduced if diff.compared else diff.failing())
    note = not_compared(diff)
    if note:
        lines.append(annotation("warning", f"{NOT_COMPARED}: {note}", title="mopsgov diff"))
    return "\n".join(lines + [findings_summary(diff)]) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown, "github": render_github}
