"""Waivers: approved, dated exceptions to policy rules, applied in the open.

A waiver names a rule and an entity (`tool:crm`) or a whole kind (`tool:*`). A policy finding
about such an entity that it covers stays in every report, marked `waived by waiver <id> until
<date>`, and no longer fails the check; findings about the model as a whole and findings of
validation are never covered. A waiver past its `expires` date covers nothing and is itself an
error at its `expires` line; a waiver that covers no finding is a warning, so stale exceptions
get cleaned up.
"""
from __future__ import annotations

from mopsgov.finding import Finding, Severity
from mopsgov.model import Entity, Model
from mopsgov.rules.pack import violation_path
from mopsgov.rules.predicates.common import as_date
from mopsgov.validate import VALIDATION_GROUPS
from mopsgov.validate.schema_compiler import suggest

EXPIRED = "waiver.expired"
UNMATCHED = "waiver.unmatched"


def _target(waiver: Entity) -> tuple[str, str] | None:
    target = waiver.get("entity")
    if not isinstance(target, str) or ":" not in target:
        return None
    kind, _, entity_id = target.partition(":")
    return kind, entity_id


def apply_waivers(model: Model, findings: list[Finding], rule_ids) -> list[Finding]:
    """The findings with waived ones marked, followed by the findings about the waivers."""
    live: list[tuple[Entity, str, tuple[str, str]]] = []
    notes: list[Finding] = []
    for waiver in model.of("waiver"):
        rule, target, expires = waiver.get("rule"), _target(waiver), as_date(waiver.get("expires"))
        if not isinstance(rule, str) or target is None or expires is None:
            continue  # the schema reports what is missing
        if model.get("role", waiver.get("approver")) is None:
            continue  # approved by nobody the model knows: not in force (the reference check reports it)
        if expires < model.as_of:
            notes.append(Finding(
                EXPIRED, Severity.ERROR,
                f'{waiver.label()} for rule {rule} on {waiver.get("entity")} expired on {expires.isoformat()}; '
                f"the findings it covered count again",
                waiver.location("expires"), kind="waiver", entity=waiver.id, path=_path(waiver, "expires"),
                fix="Fix what the rule reports and delete the waiver, or have the approver extend expires.",
                fingerprint_data=f"{EXPIRED}|{waiver.ref}|{expires.isoformat()}"))
            continue
        live.append((waiver, rule, target))
    used: set[str] = set()
    model_wide = {finding.rule for finding in findings if finding.entity is None}
    out = []
    for finding in findings:
        # Every live waiver that covers the finding is in use; the first, in model order, is named.
        covering = [waiver for waiver, rule, (kind, entity_id) in live
                    if finding.rule == rule and finding.entity is not None and finding.kind == kind
                    and entity_id in ("*", finding.entity)]
        if covering:
            first = covering[0]
            finding = finding.replace(suppressed_by=f"waived by waiver {first.id} until {first.get('expires')}")
            used.update(waiver.id for waiver in covering)
        out.append(finding)
    for waiver, rule, _ in live:
        if waiver.id in used:
            continue
        if rule not in rule_ids and rule.partition(".")[0] in VALIDATION_GROUPS:
            message = (f'{waiver.label()} waives "{rule}", a finding of validation: schema and reference findings '
                       f"cannot be waived, they must be fixed")
            fix = f"Fix what {rule} reports in the model, then delete the waiver."
            field = "rule"
        elif rule in model_wide:
            message = (f"{waiver.label()} matches no finding: rule {rule} reports on the model as a whole, "
                       f"which no waiver covers")
            fix = f"Set the severity of {rule} in mopsgov.yaml (policies.rules), or off, and delete the waiver."
            field = "rule"
        elif rule not in rule_ids:
            guess = suggest(rule, rule_ids)
            message = f'{waiver.label()} waives rule "{rule}", which no enabled pack defines'
            fix = f'Did you mean "{guess}"?' if guess else "Correct the rule id, or delete the waiver."
            field = "rule"
        else:
            message = f"{waiver.label()} matches no finding: rule {rule} reports nothing on {waiver.get('entity')}"
            fix = "The problem is fixed: delete the waiver."
            field = "entity"
        notes.append(Finding(UNMATCHED, Severity.WARNING, message, waiver.location(field), kind="waiver",
                             entity=waiver.id, path=_path(waiver, field), fix=fix,
                             fingerprint_data=f"{UNMATCHED}|{waiver.ref}|{rule}|{waiver.get('entity')}"))
    return out + notes


def _path(waiver: Entity, field: str) -> str:
    return violation_path(waiver, (field,))
