"""Validate: every file against its JSON Schema, then references between entities."""
from __future__ import annotations

from functools import lru_cache

from mopsgov.finding import Finding, Severity, json_path
from mopsgov.load.yaml_reader import ParsedFile
from mopsgov.model import KIND_OF_COLLECTION, Entity, Model, kind_label
from mopsgov.resources import load_schema
from mopsgov.validate.references import check_references
from mopsgov.validate.schema_compiler import Compiler, Context, Problem, suggest


# The rule id families of the findings of loading and validation (yaml.syntax, schema.type,
# ref.unresolved, vocabulary.unknown-term, ...), as opposed to those of policy rules: the model
# must be fixed, and no waiver applies to them. Each with what it asks of the model.
VALIDATION_GROUPS = {
    "yaml": "The file must be plain, valid YAML.",
    "file": "Model files must be readable UTF-8 text inside the model folder.",
    "schema": "Entities must match their JSON Schema.",
    "ref": "References between entities must resolve.",
    "vocabulary": "Terms must come from the controlled vocabularies.",
}
VALIDATION_FAMILIES = tuple(f"{family}." for family in VALIDATION_GROUPS)


@lru_cache(maxsize=None)
def compiled(schema_file: str):
    return Compiler().compile_file(schema_file)


def field_label(data, path: tuple) -> str:
    """How a message names a field: `contract.renewal`, `steps[qualify].raci`, `skills, item 3`.

    List items are named by their id where they have one, otherwise counted from 1 as people
    count ("item 3" is the third; the JSON path of the finding counts from 0).
    """
    out = ""
    counted = False  # the last part was a numbered item: the next name follows a comma
    node = data
    for part in path:
        item = node[part] if isinstance(node, list) and isinstance(part, int) and part < len(node) else None
        if isinstance(part, int) and isinstance(item, dict) and isinstance(item.get("id"), str):
            out, counted = out + f"[{item['id']}]", False
        elif isinstance(part, int):
            out, counted = out + f"{', ' if out else ''}item {part + 1}", True
        else:
            out, counted = out + (", " if counted else "." if out else "") + str(part), False
        node = node.get(part) if isinstance(node, dict) else item
    return out


def entity_of(data: dict, path: tuple) -> tuple[str | None, str | None, str]:
    """(kind, id, label) of the entity a path lies in; label names it for a message."""
    if len(path) >= 2 and path[0] in KIND_OF_COLLECTION and isinstance(path[1], int):
        kind = KIND_OF_COLLECTION[path[0]]
        items = data.get(path[0])
        item = items[path[1]] if isinstance(items, list) and path[1] < len(items) else None
        entity_id = item.get("id") if isinstance(item, dict) else None
        title = kind_label(kind)
        if isinstance(entity_id, str):
            return kind, entity_id, f'{title} "{entity_id}"'
        return kind, None, f"{title} number {path[1] + 1} in {path[0]}"
    return None, None, ""


def _not_extendable(name: str) -> tuple[str, str]:
    """Message and fix for `vocabulary.<name>` in mopsgov.yaml that is not an open vocabulary."""
    open_ones = list(load_schema("config.schema.json")["properties"]["vocabulary"]["properties"])
    listed = " and ".join(open_ones)
    guess = suggest(name, open_ones)
    if guess:
        return "is not a vocabulary you can extend", f'Did you mean "{guess}"? Only {listed} take terms of your own.'
    fixed = load_schema("vocabulary.schema.json")["$defs"]
    known = suggest(name, fixed)
    title = fixed[known]["title"] if known else None
    what = f"; the {title if title.split()[0].isupper() else title[0].lower() + title[1:]} vocabulary is fixed" if title else ""
    return "is not a vocabulary you can extend", f"Only {listed} take terms of your own{what}."


def problem_to_finding(source: ParsedFile, problem: Problem, is_config: bool) -> Finding:
    data = source.data if isinstance(source.data, dict) else {}
    path = problem.path
    kind, entity_id, label = entity_of(data, path)
    start = 2 if kind else 0
    rest = path[start:]
    if is_config:
        subject = f'setting "{field_label(data, path)}"' if path else "mopsgov.yaml"
        if problem.rule == "schema.unknown-field" and len(path) == 2 and path[0] == "vocabulary":
            problem.message, problem.fix = _not_extendable(str(path[1]))
    elif not path:
        subject = "the file"
    elif kind is None and len(path) == 1:
        subject = f'collection "{path[0]}"'
        if problem.rule == "schema.unknown-field":
            problem.message = "is not a collection mopsgov knows (teams, roles, processes, tools, data, flows, slas, kpis, goals, waivers)"
            problem.fix = problem.fix.split(" Fields of your own")[0] if problem.fix and problem.fix.startswith("Did") else None
    elif rest:
        subject = f'{label}: "{field_label(data[path[0]][path[1]], rest)}"'
    else:
        subject = label
    return Finding(
        problem.rule, Severity.ERROR, f"{subject} {problem.message}",
        source.location(path, key=problem.at_key), kind=kind, entity=entity_id,
        path=json_path(path), fix=problem.fix)


def named_entities(model: Model, entity: Entity) -> set[tuple[str, str]]:
    """(kind, id) of the entities of the model that the fields of `entity` name (owner, from, RACI, ...)."""
    ctx = Context(raw=entity.source.raw)  # no `known`: every reference is collected
    compiled(f"{entity.kind}.schema.json")(entity.data, entity.path, ctx)
    return {(kind, value) for _, value, kind, _ in ctx.refs if value in model.entities[kind]}


def _open_terms(config: dict) -> dict:
    vocabulary = config.get("vocabulary")
    if not isinstance(vocabulary, dict):
        return {}
    return {name: set(terms) for name, terms in vocabulary.items() if isinstance(terms, dict)}


def _under(path: tuple, prefixes: set) -> bool:
    return any(path[:len(prefix)] == prefix for prefix in prefixes)


def validate_model(model: Model) -> list[Finding]:
    findings: list[Finding] = []
    if model.config_source is not None and isinstance(model.config_source.data, dict):
        ctx = Context(raw=model.config_source.raw)
        compiled("config.schema.json")(model.config_source.data, (), ctx)
        findings += [problem_to_finding(model.config_source, p, True) for p in ctx.problems]
    check_file = compiled("model.schema.json")
    open_terms = _open_terms(model.config)
    refs = []
    for source in model.files:
        if not isinstance(source.data, dict):
            continue
        ctx = Context(raw=source.raw, open_terms=open_terms, known=model.entities)
        check_file(source.data, (), ctx)
        if source.rejected:
            ctx.problems = [p for p in ctx.problems if not _under(p.path, source.rejected)]
        refs.append((source, _refs_of_well_formed_ids(model, ctx)))
        findings += [problem_to_finding(source, p, False) for p in ctx.problems]
    findings += check_references(model, refs)
    return findings


def _refs_of_well_formed_ids(model: Model, ctx: Context) -> list:
    """The references to resolve: an id the schema already refuses (RevOps-Manager) gets one
    finding, whose fix names the closest id of its kind when there is one."""
    refused = {p.path: p for p in ctx.problems if p.rule == "schema.value"}
    kept = []
    for ref in ctx.refs:
        path, value, kind, _ = ref
        problem = refused.get(path)
        if problem is None:
            kept.append(ref)
            continue
        known, label = model.entities[kind], kind_label(kind)
        guess = suggest(value, list(known))
        if guess is not None:
            problem.fix = f'Write it as "{guess}", the id of the {label} {known[guess].name}.'
        else:
            problem.fix = f"{problem.fix or 'Write it in lower case with hyphens.'} No {label} has that id yet: add one."
    return kept
