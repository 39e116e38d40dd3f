"""Which rules run, and how: packs and per-rule settings from mopsgov.yaml.

```yaml
policies:
  packs: [builtin, policies]          # default: [builtin]; a path is relative to the model folder
  rules:
    contract.notice-window: {severity: error, options: {days: 60}}
    raci.role-participates: off
```
"""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from mopsgov.finding import Finding, Location, Severity
from mopsgov.load.source import DISK
from mopsgov.model import CONFIG_FILE, Model
from mopsgov.rules.option_values import option_problems
from mopsgov.rules.pack import BUILTIN, Rule, load_pack_file, pack_files, same_type, type_word
from mopsgov.rules.templates import show
from mopsgov.validate.schema_compiler import suggest

DEFAULT_PACKS = (BUILTIN,)
OFF = "off"


@dataclass(frozen=True, slots=True)
class ActiveRule:
    rule: Rule
    severity: Severity
    options: dict


def _policies(model: Model) -> dict:
    value = model.config.get("policies")
    return value if isinstance(value, dict) else {}


def config_location(model: Model, path: tuple, key: bool = False) -> Location:
    if model.config_source is None:
        return Location(CONFIG_FILE, 1, 1)
    return model.config_source.location(("policies",) + path, key=key)


def pack_entries(model: Model) -> list[str]:
    packs = _policies(model).get("packs")
    if not isinstance(packs, list):
        return list(DEFAULT_PACKS)
    return [p for p in packs if isinstance(p, str)]


def pack_folder(model: Model, source=DISK) -> tuple[Path | None, str]:
    """The folder custom packs are named from (the model folder, or a single model file's folder),
    and how it is shown; None when the model is neither (nothing but built-in packs)."""
    base = Path(model.root)
    if source.is_dir(base):
        return base, model.root
    if source.is_file(base):
        return base.parent, os.path.dirname(model.root) or "."
    return None, model.root


def load_rules(model: Model, entries: list[str] | None = None) -> tuple[list[Rule], list[Finding]]:
    """Every rule of the packs the model enables (or of `entries`), in pack order."""
    source = model.source or DISK  # a model read from git reads its packs from the same commit
    root, shown = pack_folder(model, source)
    rules: list[Rule] = []
    findings: list[Finding] = []
    seen: dict[str, Rule] = {}
    read: set[str] = set()  # pack files already loaded: two entries may name the same file
    entries = pack_entries(model) if entries is None else entries
    for index, entry in enumerate(entries):
        files, name = pack_files(entry, root, shown, source)
        if not files:
            findings.append(Finding("policy.pack-missing", Severity.ERROR,
                                    f'the policy pack "{entry}" does not exist, or holds no .yaml file',
                                    config_location(model, ("packs", index)),
                                    fix="Give a path relative to the model folder, or builtin."))
        for fs_path, display in files:
            where = f"{entry == BUILTIN}:{os.path.normpath(display)}"
            if where in read:
                continue
            read.add(where)
            pack_rules, problems = load_pack_file(fs_path, display, name, DISK if entry == BUILTIN else source)
            findings += problems
            for rule in pack_rules:
                first = seen.get(rule.id)
                if first is not None:
                    findings.append(Finding("policy.duplicate-rule", Severity.ERROR,
                                            f'rule "{rule.id}" is defined twice; the first is at {first.location("id")}',
                                            rule.location("id"), fix="Give the rule another id.", related=(first.location("id"),)))
                    continue
                seen[rule.id] = rule
                rules.append(rule)
    return rules, findings


def configure(rules: list[Rule], model: Model) -> tuple[list[ActiveRule], list[Finding]]:
    """The enabled rules with their severity and options; findings for settings that are wrong."""
    settings = _policies(model).get("rules")
    settings = settings if isinstance(settings, dict) else {}
    by_id = {rule.id: rule for rule in rules}
    findings: list[Finding] = []
    for rule_id in settings:
        if rule_id not in by_id:
            guess = suggest(rule_id, by_id)
            findings.append(Finding("policy.unknown-rule", Severity.ERROR,
                                    f'policies.rules names the rule "{rule_id}", which no enabled pack defines',
                                    config_location(model, ("rules", rule_id), key=True),
                                    fix=f'Did you mean "{guess}"?' if guess else "Run mopsgov rules to list the rule ids."))
    active = []
    for rule in rules:
        severity, options, problems = _setting(rule, settings.get(rule.id), model)
        findings += problems
        if severity is not None:
            active.append(ActiveRule(rule, severity, options))
    return active, findings


def _setting(rule: Rule, setting, model: Model) -> tuple[Severity | None, dict, list[Finding]]:
    severity = rule.severity if rule.enabled else None
    options = rule.defaults()
    findings: list[Finding] = []
    if isinstance(setting, str):
        setting = {"severity": setting}
    if not isinstance(setting, dict):
        return severity, options, findings
    given = setting.get("severity")
    if given == OFF:
        severity = None
    elif isinstance(given, str) and given.upper() in Severity.__members__:
        severity = Severity.parse(given)
    custom = setting.get("options")
    for name, value in (custom.items() if isinstance(custom, dict) else ()):
        where = ("rules", rule.id, "options", name)
        if name not in options:
            guess = suggest(name, options)
            findings.append(Finding("policy.unknown-option", Severity.ERROR,
                                    f'rule "{rule.id}" has no option "{name}"', config_location(model, where, key=True),
                                    fix=f'Did you mean "{guess}"?' if guess else f"Its options: {', '.join(options) or 'none'}."))
        elif not same_type(value, options[name]):
            findings.append(Finding("policy.option-type", Severity.ERROR,
                                    f'option "{name}" of rule "{rule.id}" must be {type_word(options[name])}',
                                    config_location(model, where), fix=f"The default is {show(options[name])}."))
        else:
            options[name] = value
    allowed = rule.predicate.allowed if rule.predicate else {}
    for name, wrong in option_problems(allowed, options, rule.kind).items():
        given = isinstance(custom, dict) and name in custom
        # An option mopsgov.yaml did not set can fail through one it did (a field of another kind).
        where = ("rules", rule.id, "options") + ((name,) + wrong.at if given else ())
        findings.append(Finding("policy.option-type", Severity.ERROR,
                                f'option "{name}" of rule "{rule.id}" {wrong.message}', config_location(model, where),
                                fix=wrong.fix or f"The default is {show(rule.defaults()[name])}."))
        options[name] = rule.defaults()[name]  # the rule runs as its pack defines it
    return severity, options, findings
