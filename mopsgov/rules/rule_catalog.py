"""The rule catalogue: every rule's metadata, for `mopsgov rules`, `explain`, SARIF and the docs site."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from mopsgov.finding import Finding
from mopsgov.load.model_loader import ModelPathError, load_model
from mopsgov.model import CONFIG_FILE, Model
from mopsgov.rules.config import configure, load_rules, pack_entries, pack_folder
from mopsgov.rules.fixtures import Case, fixture_files, read_cases, run_case
from mopsgov.rules.pack import BUILTIN, Rule
from mopsgov.rules.templates import compile_template
from mopsgov.resources import data_dir


@dataclass(frozen=True)
class RuleInfo:
    id: str
    title: str
    severity: str  # as configured for the model ("off" when disabled)
    default_severity: str
    pack: str
    rationale: str
    remediation: str  # the template, with {name} fields as written
    message: str
    kind: str | None
    assertion: str  # "JSON Schema" or "predicate <name>"
    options: dict = field(default_factory=dict)  # name -> {"default", "value", "description"}
    source: str = ""  # file:line of the rule in its pack

    @property
    def remediation_outline(self) -> str:
        """The remediation as a reader of the catalogue sees it: each {name} field as <name>."""
        return compile_template(self.remediation).outline()

    @property
    def help(self) -> str:
        """Markdown help: rationale, remediation and options."""
        lines = [f"**{self.title}** (`{self.id}`, {self.default_severity})", "", self.rationale, "",
                 f"How to fix: {self.remediation_outline}"]
        if self.options:
            lines += ["", "Options (policies.rules.<id>.options in mopsgov.yaml):"]
            lines += [f"- `{name}` (default {spec['default']!r}): {spec['description']}" for name, spec in self.options.items()]
        return "\n".join(lines)


def _model(path: str | None) -> tuple[Model, list[Finding]]:
    if path is None:
        return Model(root="."), []
    return load_model(path)


def rule_infos(rules: list[Rule], model: Model) -> list[RuleInfo]:
    active = {a.rule.id: a for a in configure(rules, model)[0]}
    out = []
    for rule in rules:
        current = active.get(rule.id)
        defaults = rule.defaults()
        options = {name: {"default": value, "value": current.options[name] if current else value,
                          "description": rule.options[name].description if name in rule.options else
                          f"An option of predicate {rule.predicate.name}."}
                   for name, value in defaults.items()}
        out.append(RuleInfo(rule.id, rule.title, current.severity.label if current else "off", rule.severity.label, rule.pack,
                            rule.rationale, rule.data["remediation"], rule.data["message"], rule.kind, rule.assertion,
                            options, str(rule.location("id"))))
    return out


def catalog(path: str | None = None) -> list[RuleInfo]:
    """Metadata of every rule the model at path enables (its packs and settings), or of the built-in pack."""
    model, _ = _model(path)
    rules, _ = load_rules(model)
    return rule_infos(rules, model)


def _folder(model: Model, entry: str) -> tuple[Path, str, str]:
    """The folder of a pack entry (the entry itself, or the folder of a pack file): where it is,
    how it is shown, and the entry that names the whole folder."""
    if entry == BUILTIN:
        return data_dir("policies") / BUILTIN, BUILTIN, BUILTIN
    root, shown_root = pack_folder(model)
    base = (root / entry) if root else Path(entry)
    shown = str(Path(shown_root) / entry) if root else entry
    if base.is_dir():
        return base, shown, entry
    return base.parent, str(Path(shown).parent), str(Path(entry).parent)


def fixture_folders(model: Model, entries: list[str]) -> list[tuple[Path, str]]:
    """The folders whose tests/ subfolder holds the fixtures of the pack entries, each once."""
    out: dict[Path, str] = {}
    for entry in entries:
        folder, shown, _ = _folder(model, entry)
        out.setdefault(folder.resolve(), shown)
    return list(out.items())


def neighbour_rules(model: Model, entries: list[str]) -> list[Rule]:
    """Every rule of the folders of the entries: what their tests may name in expect."""
    folders = list(dict.fromkeys(_folder(model, entry)[2] for entry in entries))
    return load_rules(model, folders)[0]


def resolve_target(target: str | None) -> tuple[Model, list[str]]:
    """The model and pack entries `policy test TARGET` means: builtin, a pack, or a model folder's own packs."""
    if target in (None, BUILTIN):
        return Model(root="."), [BUILTIN]
    path = Path(target)
    if not path.exists():
        raise ModelPathError(f"{target}: no such pack file or folder")
    if path.is_dir() and (path / CONFIG_FILE).is_file():
        model, _ = load_model(target)
        return model, [e for e in pack_entries(model) if e != BUILTIN]
    return Model(root="."), [target]


def examples(rule: Rule, folder: Path, display: str, known: dict[str, Rule]) -> tuple[Case | None, Case | None]:
    """A passing and a failing case of the rule from its pack's tests, when it has them.

    Only cases that give the findings they expect are shown: a case whose expectation is wrong
    illustrates nothing. `known` are the rules a case may expect besides this one.
    """
    found: dict[bool, Case] = {}  # case.passing -> the first such case that runs as it expects
    known = {**known, rule.id: rule}
    for fs_path in fixture_files(folder):
        cases, _ = read_cases(fs_path, f"{display}/tests/{fs_path.name}", known, {rule.id})
        for case in cases:
            if case.rule == rule.id and case.passing not in found and run_case(case, known).ok:
                found[case.passing] = case
    return found.get(True), found.get(False)
