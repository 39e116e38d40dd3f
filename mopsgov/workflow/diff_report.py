"""The diff in text, JSON and markdown (a ready pull-request comment)."""
from __future__ import annotations

import json

from mopsgov import __version__
from mopsgov.finding import Finding
from mopsgov.model import KIND_TITLES, Entity
from mopsgov.report.github import annotations
from mopsgov.report.json_report import finding_dict
from mopsgov.report.markdown import code, findings_table, md
from mopsgov.report.text import finding_line
from mopsgov.workflow.diff import ModelDiff


def _number(value: float) -> float | int:
    return int(value) if float(value).is_integer() else round(value, 2)


def _money(value: float, currency: str | None, sign: bool = False) -> str:
    text = f"{_number(value):+,}" if sign else f"{_number(value):,}"
    return f"{text} {currency}" if currency else text


def _entity_dict(entity: Entity) -> dict:
    loc = entity.location()
    return {"kind": entity.kind, "id": entity.id, "name": entity.name, "file": loc.file, "line": loc.line}


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
        },
        "spend": [{"currency": s.currency, "base": _number(s.base), "head": _number(s.head), "delta": _number(s.delta),
                   "categories": [{"category": c, "base": _number(b), "head": _number(h), "delta": _number(h - b)}
                                  for c, (b, h) in s.categories.items() if b != h]}
                  for s in diff.spend],
        "findings": {
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


def render_text(diff: ModelDiff) -> str:
    lines = [f"model {diff.head.model.name}: {diff.base_ref} -> {diff.head_ref}"]
    lines += [f"added {_title(e)} ({e.location()})" for e in diff.added]
    lines += [f"removed {_title(e)} (was {e.location()})" for e in diff.removed]
    for change in diff.changed:
        lines.append(f"changed {_title(change.entity)} ({change.entity.location()})")
        lines += [f"    {f.field}: {_value(f.old)} -> {_value(f.new)}" for f in change.changes]
    lines += [f"moved {_title(m.entity)} from {m.old_file} to {m.entity.file}" for m in diff.moved]
    for spend in diff.spend:
        if spend.delta or any(b != h for b, h in spend.categories.values()):
            lines.append(f"annual spend: {_money(spend.base, spend.currency)} -> {_money(spend.head, spend.currency)} "
                         f"({_money(spend.delta, spend.currency, sign=True)})")
            lines += [f"    {c}: {_money(h - b, spend.currency, sign=True)}" for c, (b, h) in spend.categories.items() if b != h]
    for label, findings in (("introduced", diff.introduced), ("fixed", diff.fixed)):
        lines += [f"{label}: {finding_line(f)}" for f in findings]
    lines.append(f"findings: {len(diff.introduced)} introduced, {len(diff.fixed)} fixed, {len(diff.unchanged)} unchanged; "
                 f"diff {'failed' if diff.exit_code else 'passed'} (fail severity: {diff.fail_severity})")
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


def render_markdown(diff: ModelDiff) -> str:
    failing = diff.failing()
    verdict = "❌" if diff.exit_code else "✅"
    lines = [f"## {verdict} mopsgov: what this change does to {md(diff.head.model.name)}", "",
             f"Compared {code(diff.base_ref)} with {code(diff.head_ref)}: "
             f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed; "
             f"findings {len(diff.introduced)} introduced ({len(failing)} failing at {diff.fail_severity}), "
             f"{len(diff.fixed)} fixed, {len(diff.unchanged)} unchanged.", ""]
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
    if diff.moved:
        lines += ["Moved without changes to their content: " + ", ".join(
            f"{KIND_TITLES[m.entity.kind]} {code(m.entity.id)} ({code(m.old_file)} → {code(m.entity.file)})" for m in diff.moved), ""]
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
    lines += _finding_section("Findings introduced", diff.introduced)
    lines += _finding_section("Findings fixed", diff.fixed)
    lines += _finding_section("Findings unchanged", diff.unchanged, folded=True)
    return "\n".join(lines).rstrip("\n") + "\n"


def render_github(diff: ModelDiff) -> str:
    """Annotations for the findings the change introduces only: old debt is not re-annotated."""
    lines = annotations(diff.introduced) + [render_text(diff).splitlines()[-1]]
    return "\n".join(lines) + "\n"


RENDERERS = {"text": render_text, "json": render_json, "markdown": render_markdown, "github": render_github}
