"""`mopsgov explain RULE`: why a rule exists, how to fix a breach, its options and two examples."""
from __future__ import annotations

import json
import sys
import textwrap
from pathlib import Path

import click

from mopsgov.load.model_loader import ModelPathError, load_model, model_folder
from mopsgov.model import Model
from mopsgov.rules.config import load_rules, pack_entries
from mopsgov.rules.meta import META_RULES
from mopsgov.rules.pack import BUILTIN, Rule, pack_files
from mopsgov.rules.rule_catalog import examples, fixture_folders, neighbour_rules, rule_infos
from mopsgov.validate.schema_compiler import suggest


def _wrap(text: str, indent: str = "  ") -> str:
    return textwrap.fill(text, width=96, initial_indent=indent, subsequent_indent=indent)


@click.command("explain")
@click.argument("rule_id", metavar="RULE")
@click.option("--model", "model_path", type=click.Path(), help="A model folder: include its own packs and settings.")
def command(rule_id: str, model_path: str | None) -> None:
    """Explain RULE: rationale, remediation, configuration options, and a passing and a failing example."""
    try:
        model = load_model(model_path)[0] if model_path else Model(root=".")
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    rules, _ = load_rules(model)
    by_id = {rule.id: rule for rule in rules}
    if rule_id not in by_id and rule_id in META_RULES:
        severity, title, text = META_RULES[rule_id]
        click.echo(f"{rule_id}: {title}\n  severity {severity}; reported by the policy engine itself\n\n{_wrap(text)}")
        return
    if rule_id not in by_id:
        guess = suggest(rule_id, list(by_id) + list(META_RULES))
        hint = f' Did you mean "{guess}"?' if guess else " Run mopsgov rules to list them."
        click.echo(f"mopsgov: no rule {rule_id}.{hint}", err=True)
        sys.exit(2)
    rule = by_id[rule_id]
    info = rule_infos([rule], model)[0]
    out = [f"{info.id}: {info.title}",
           f"  severity {info.default_severity}" + (f" (set to {info.severity} by mopsgov.yaml)" if info.severity != info.default_severity else "")
           + f"; pack {info.pack}; checks {info.kind or 'the whole model'} with {info.assertion}; defined at {info.source}",
           "", "Why:", _wrap(info.rationale), "", "How to fix:", _wrap(info.remediation_outline), "", "Message:", f"  {info.message}", ""]
    if info.options:
        out.append(f"Options (mopsgov.yaml: policies.rules.{info.id}.options):")
        for name, spec in info.options.items():
            out.append(f"  {name}: default {spec['default']!r}" + (f", set to {spec['value']!r}" if spec["value"] != spec["default"] else ""))
            out.append(_wrap(spec["description"], "    "))
    else:
        out.append("Options: none. Severity or off in mopsgov.yaml: policies.rules." + info.id)
    entry = BUILTIN if rule.pack == BUILTIN and rule.source.file.startswith(BUILTIN + "/") else _entry(model, rule)
    known = {**by_id, **{r.id: r for r in neighbour_rules(model, [entry])}}
    passing, failing = examples(rule, *fixture_folders(model, [entry])[0], known)
    for title, case in (("Passes", passing), ("Fails", failing)):
        if case is not None:
            out += ["", f"{title}: {case.name} ({case.location})"]
            if case.model.config:
                out.append(f"  with mopsgov.yaml {json.dumps(case.model.config)}")
            out.append(textwrap.indent(case.text, "  ").rstrip())
    click.echo("\n".join(out))


def _entry(model: Model, rule: Rule) -> str:
    """The policies.packs entry a custom rule came from."""
    for entry in pack_entries(model):
        folder = model_folder(model.root) or model.root
        files, _ = pack_files(entry, Path(folder), folder)
        if any(display == rule.source.file for _, display in files):
            return entry
    return rule.source.file
