"""SARIF 2.1.0, for GitHub code scanning and other SARIF viewers.

Each rule that fired is described in `tool.driver.rules` (title, description, help), each
finding is a result with a 1-based region whose end column is exclusive, as SARIF defines it.
Waived and baselined findings carry `suppressions`, so viewers list them as suppressed. Each
result has a `partialFingerprints` entry (the baseline fingerprint) that survives moving the
entity to another line or file.
"""
from __future__ import annotations

import json
from pathlib import PurePath
from urllib.parse import quote

from mopsgov import __version__
from mopsgov.check import CheckResult
from mopsgov.finding import Finding, Location, Severity
from mopsgov.model import Model
from mopsgov.rules.config import load_rules
from mopsgov.rules.rule_catalog import rule_infos
from mopsgov.report.paths import review_path
from mopsgov.validate import VALIDATION_GROUPS
from mopsgov.workflow.baseline import entity_ref, fingerprint

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
FINGERPRINT_KEY = "mopsgovFinding/v1"
LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}

# Rules of the loader and validator, which are not in the policy catalogue: (title, what it checks, how to fix).
FOUNDATION_RULES = {
    "yaml.syntax": ("YAML syntax", "The file must be valid YAML.", "Check indentation, colons and quotes at the line shown."),
    "yaml.tag": ("YAML tags", "A model holds plain data: tags such as !!python/object are refused.", "Remove the tag."),
    "yaml.multiple-documents": ("One document per file", "A file holds one YAML document.", "Split the documents into files."),
    "yaml.depth-limit": ("Nesting depth", "Files may nest only as deep as limits.max_depth.", "Flatten the structure."),
    "yaml.alias-limit": ("Alias limit", "Aliases may expand only within limits.", "Write the repeated data out."),
    "yaml.recursive-alias": ("Recursive alias", "An alias may not refer to a structure that contains it.", "Write the data out."),
    "yaml.merge-key": ("Merge keys", "Merge keys (<<) hide fields from reviewers and are not read.", "Write the fields out."),
    "yaml.duplicate-key": ("Duplicate key", "A key may appear once in a mapping.", "Remove or merge one of the two."),
    "yaml.key-type": ("Key type", "Keys are field names.", "Quote the key or use a field name."),
    "yaml.number-too-long": ("Number length", "Numbers have at most 400 digits.", "Quote it if it is an identifier."),
    "yaml.invisible-line-break": ("Invisible line break", "NEXT LINE, LINE SEPARATOR and PARAGRAPH SEPARATOR characters end a line for YAML but not in an editor.", "Delete the character or replace it with a space."),
    "yaml.root-not-mapping": ("File shape", "A model file is a mapping of collections (tools:, roles:, ...).", "Put the entries under a collection key."),
    "file.empty": ("Empty file", "A model file should add something to the model.", "Add entries or delete the file."),
    "file.encoding": ("Encoding", "Model files are UTF-8 text.", "Save the file as UTF-8."),
    "file.unreadable": ("Unreadable file", "Every model file must be readable.", "Check that the file exists and may be read."),
    "file.too-large": ("File size", "Files stay below limits.max_file_bytes.", "Split the file."),
    "file.symlink": ("Links", "Links out of the model folder are not followed.", "Move the files into the model folder."),
    "schema.missing-field": ("Required field", "Every entity has the fields its schema requires.", "Add the field."),
    "schema.type": ("Field type", "Each field has the type its schema gives (text, number, list, ...).", "Write the value with the expected type."),
    "schema.value": ("Field value", "Each field's value meets its schema (format, range, allowed values).", "Correct the value."),
    "schema.unknown-field": ("Unknown field", "Only fields the schema knows are allowed; prefix your own with x-.", "Correct the name or prefix it with x-."),
    "ref.unresolved": ("Reference", "Every id a field names exists in the model with the expected kind.", "Correct the id or add the entity."),
    "ref.duplicate-id": ("Unique id", "An id is used once per kind.", "Rename or merge one of the two."),
    "vocabulary.unknown-term": ("Vocabulary", "Terms come from the controlled vocabularies or mopsgov.yaml's extensions.", "Use a known term or add it under vocabulary: in mopsgov.yaml."),
}


def catalogue(model: Model) -> dict:
    """The policy engine's rule catalogue for this model (its packs and settings): id -> RuleInfo."""
    rules, _ = load_rules(model)
    return {info.id: info for info in rule_infos(rules, model)}


def rule_metadata(rule_id: str, known: dict | None = None) -> dict:
    """title, description, help text and help markdown of a rule: catalogue first, else the foundation list."""
    info = (known or {}).get(rule_id)
    if info is not None:
        return {"title": info.title, "description": info.rationale, "help": info.remediation_outline, "markdown": info.help}
    if rule_id in FOUNDATION_RULES:
        title, description, fix = FOUNDATION_RULES[rule_id]
        return {"title": title, "description": description, "help": fix, "markdown": fix}
    group = VALIDATION_GROUPS.get(rule_id.split(".")[0], f"Policy rule {rule_id}.")
    fix = f"Run mopsgov explain {rule_id} for details."
    return {"title": rule_id, "description": group, "help": fix, "markdown": fix}


def artifact_uri(file: str) -> dict:
    path = PurePath(review_path(file))
    if path.is_absolute():
        return {"uri": path.as_uri()}
    return {"uri": quote(path.as_posix(), safe="/"), "uriBaseId": "%SRCROOT%"}


def physical_location(location: Location) -> dict:
    region = {"startLine": location.line, "startColumn": location.column}
    if location.end_line is not None:
        region["endLine"] = location.end_line
    if location.end_column is not None:
        region["endColumn"] = location.end_column
    return {"physicalLocation": {"artifactLocation": artifact_uri(location.file), "region": region}}


def _suppression(finding: Finding) -> dict:
    if finding.suppressed_by == "baseline":
        return {"kind": "external", "status": "accepted", "justification": "recorded in the baseline file"}
    return {"kind": "inSource", "status": "accepted", "justification": finding.suppressed_by}


def _result(finding: Finding, index: int, fallback: Location | None, root: str) -> dict:
    text = finding.message if not finding.fix else f"{finding.message}\nFix: {finding.fix}"
    out: dict = {"ruleId": finding.rule, "ruleIndex": index, "level": LEVELS[finding.severity], "message": {"text": text}}
    # code scanning needs a location: a finding about the whole model points at mopsgov.yaml
    location = finding.location or fallback
    if location is not None:
        out["locations"] = [physical_location(location)]
        if finding.entity:
            out["locations"][0]["logicalLocations"] = [{"name": finding.entity, "fullyQualifiedName": entity_ref(finding, root), "kind": "object"}]
    if finding.related:
        out["relatedLocations"] = [{"id": n + 1, **physical_location(loc), "message": {"text": "also written here"}}
                                   for n, loc in enumerate(finding.related)]
    out["partialFingerprints"] = {FINGERPRINT_KEY: fingerprint(finding, root)}
    if finding.suppressed_by is not None:
        out["suppressions"] = [_suppression(finding)]
    props = {k: v for k, v in (("fix", finding.fix), ("path", finding.path)) if v}
    if props:
        out["properties"] = props
    return out


def _rule(rule_id: str, findings: list[Finding], known: dict) -> dict:
    meta = rule_metadata(rule_id, known)
    level = LEVELS[max(f.severity for f in findings)]
    return {
        "id": rule_id,
        "name": meta["title"],
        "shortDescription": {"text": meta["title"]},
        "fullDescription": {"text": meta["description"]},
        "help": {"text": meta["help"], "markdown": meta["markdown"]},
        "defaultConfiguration": {"level": level},
        "properties": {"tags": [rule_id.split(".")[0]]},
    }


def sarif_dict(result: CheckResult) -> dict:
    rule_ids = sorted({f.rule for f in result.findings})
    index = {rule: n for n, rule in enumerate(rule_ids)}
    known = catalogue(result.model)
    config = result.model.config_source
    fallback = Location(config.file, 1, 1) if config is not None else None
    rules = [_rule(r, [f for f in result.findings if f.rule == r], known) for r in rule_ids]
    run = {
        "tool": {"driver": {"name": "mopsgov", "version": __version__, "semanticVersion": __version__,
                            "rules": rules}},
        "columnKind": "unicodeCodePoints",
        "invocations": [{"executionSuccessful": result.exit_code != 2, "exitCode": result.exit_code}],
        "results": [_result(f, index[f.rule], fallback, result.model.root) for f in result.findings],
    }
    return {"$schema": SCHEMA_URI, "version": "2.1.0", "runs": [run]}


def render(result: CheckResult) -> str:
    return json.dumps(sarif_dict(result), indent=2, ensure_ascii=False) + "\n"
