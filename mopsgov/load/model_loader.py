"""Gather a model from a folder (every *.yaml / *.yml below it, sorted) or from one file."""
from __future__ import annotations

import codecs
import fnmatch
import glob
import os
import re
import stat
from collections.abc import Callable, Mapping
from functools import lru_cache
from pathlib import Path, PurePosixPath

from mopsgov.finding import Finding, Location, Severity
from mopsgov.load import parallel, parse_cache
from mopsgov.load.yaml_reader import Limits, ParsedFile, parse_text
from mopsgov.model import COLLECTIONS, CONFIG_FILE, Entity, Model
from mopsgov.resources import load_schema
from mopsgov.validate import entity_of

# Findings about input that could not be read at all: `check` exits 2 on these.
UNREADABLE_RULES = frozenset({"file.unreadable", "file.too-large", "file.encoding"})
YAML_SUFFIXES = (".yaml", ".yml")

_FOREIGN_BOMS = (
    (codecs.BOM_UTF32_LE, "UTF-32"), (codecs.BOM_UTF32_BE, "UTF-32"),
    (codecs.BOM_UTF16_LE, "UTF-16"), (codecs.BOM_UTF16_BE, "UTF-16"),
)


class ModelPathError(Exception):
    """The model path itself does not exist or is not a folder or YAML file."""


def _at_byte(raw: bytes, offset: int, display: str) -> Location:
    """The character at a byte offset, from there to the next character."""
    line_start = raw.rfind(b"\n", 0, offset) + 1
    column = len(raw[line_start:offset].decode("utf-8", errors="replace")) + 1
    line = raw.count(b"\n", 0, offset) + 1
    return Location(display, line, column, line, column + 1)


def decode(raw: bytes, display: str) -> tuple[str | None, Finding | None]:
    """UTF-8 text of a file, or the finding that says why it is not."""
    for bom, name in _FOREIGN_BOMS:
        if raw.startswith(bom):
            return None, Finding("file.encoding", Severity.ERROR, f"the file is saved as {name}; mopsgov reads UTF-8",
                                 Location(display, 1, 1, 1, 2), fix="Save the file as UTF-8 in your editor.")
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8):]
    nul = raw.find(b"\x00")
    if nul >= 0:
        return None, Finding("file.encoding", Severity.ERROR,
                             "the file contains a NUL byte: it is binary, or saved as UTF-16/UTF-32",
                             _at_byte(raw, nul, display), fix="Save the file as UTF-8 text.")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        return None, Finding("file.encoding", Severity.ERROR,
                             f"the file is not valid UTF-8 (byte 0x{raw[exc.start]:02x})",
                             _at_byte(raw, exc.start, display), fix="Save the file as UTF-8 in your editor.")
    inner_bom = raw.find(codecs.BOM_UTF8)
    if inner_bom >= 0:  # YAML allows it only at the start; inside, it would silently become part of a value
        return None, Finding("file.encoding", Severity.ERROR,
                             "the file contains an invisible byte order mark (U+FEFF) after its start, "
                             "usually left where two files were joined",
                             _at_byte(raw, inner_bom, display), fix="Delete the invisible character at this position.")
    return text, None


def _too_large(display: str, size: int, limits: Limits) -> ParsedFile:
    return ParsedFile(display, findings=[Finding(
        "file.too-large", Severity.ERROR,
        f"the file is {size:,} bytes; the limit is {limits.max_file_bytes:,}",
        Location(display, 1, 1), fix="Split it into smaller files, or raise limits.max_file_bytes in mopsgov.yaml.")])


def parse_bytes(raw: bytes, display: str, limits: Limits) -> ParsedFile:
    """One file's content (from disk or from a git object) read into data with positions."""
    if len(raw) > limits.max_file_bytes:
        return _too_large(display, len(raw), limits)
    text, problem = decode(raw, display)
    if problem:
        return ParsedFile(display, findings=[problem])
    cached, entry_key = parse_cache.get(raw, display, limits)
    if cached is not None:
        return cached
    parsed = parse_text(text, display, limits)
    parse_cache.put(entry_key, parsed)
    return parsed


def read_file(fs_path: Path, display: str, limits: Limits) -> ParsedFile:
    try:
        # O_NONBLOCK: a named pipe that nobody writes to must not hang the run
        with open(os.open(fs_path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            status = os.fstat(handle.fileno())
            if not stat.S_ISREG(status.st_mode):
                return ParsedFile(display, findings=[Finding(
                    "file.unreadable", Severity.ERROR, "the file is not a regular file (a pipe, device or socket)",
                    Location(display, 1, 1), fix="Replace it with a YAML file, or remove it from the model folder.")])
            if status.st_size > limits.max_file_bytes:
                return _too_large(display, status.st_size, limits)
            raw = handle.read(limits.max_file_bytes + 1)
    except OSError as exc:
        return ParsedFile(display, findings=[Finding(
            "file.unreadable", Severity.ERROR, f"the file cannot be read: {exc.strerror or exc}",
            Location(display, 1, 1), fix="Check that the file exists and that you may read it.")])
    return parse_bytes(raw, display, limits)


def _display(root_display: str, relative: str) -> str:
    if relative in ("", "."):
        return root_display
    return relative if root_display in ("", ".") else os.path.join(root_display, relative)


def _unreadable(display: str, message: str, fix: str) -> Finding:
    return Finding("file.unreadable", Severity.ERROR, message, Location(display, 1, 1), fix=fix)


def _resolve(path: Path, display: str, real_root: Path) -> tuple[Path | None, bool, Finding | None]:
    """(the real file behind path, whether path is a link, None) or (None, _, the finding why it is not read)."""
    try:
        is_link = path.is_symlink()
        target = path.resolve(strict=True)
    except PermissionError as exc:
        return None, False, _unreadable(display, f"the file cannot be read: {exc.strerror}",
                                        "Check that you may read the file and its folder.")
    except (OSError, RuntimeError):
        return None, True, _unreadable(display, "the file is a broken link or a link loop",
                                       "Remove the link or point it at a file in the model folder.")
    if is_link and real_root not in target.parents:
        return None, True, Finding("file.symlink", Severity.ERROR,
                                   "the file is a link to a place outside the model folder; it is not read",
                                   Location(display, 1, 1), fix="Copy the file into the model folder.")
    return target, is_link, None


def _is_link(path: Path) -> bool:
    try:
        return path.is_symlink()
    except OSError:  # in a folder that may be listed but not entered: the walk reports the folder
        return False


def discover(root: Path, root_display: str,
             excluded: Callable[[str], bool] = lambda relative: False) -> tuple[list[tuple[Path, str]], list[Finding]]:
    """Every YAML file below root, sorted, not following links out of it; findings for what is not read.

    A link to a file the model holds already (the file itself, or another link to it) is skipped:
    its content counts once.
    """
    entries: list[tuple[str, Path, Path, bool]] = []
    findings: list[Finding] = []
    real_root = root.resolve()

    def unreadable_folder(exc: OSError) -> None:
        rel = Path(os.path.relpath(exc.filename, root)).as_posix() if exc.filename else "."
        findings.append(_unreadable(_display(root_display, rel),
                                    f"the folder cannot be read ({exc.strerror or exc}); its files are not checked",
                                    "Check that you may read the folder, or move it out of the model folder."))

    top = str(root)
    for folder, dirs, files in os.walk(top, onerror=unreadable_folder, followlinks=False):
        here = Path(folder)
        dirs[:] = sorted(d for d in dirs if not d.startswith(".") and not excluded((here / d).relative_to(root).as_posix()))
        for name in sorted(dirs):
            if _is_link(here / name):
                rel = (here / name).relative_to(root).as_posix()
                findings.append(Finding("file.symlink", Severity.WARNING,
                                        f"the folder link '{rel}' is not followed", Location(_display(root_display, rel), 1, 1),
                                        fix="Move the files into the model folder instead of linking them."))
        for name in sorted(files):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES) or (name == CONFIG_FILE and folder == top):
                continue  # mopsgov.yaml configures the model: load_model reads it first
            path = here / name
            relative = path.relative_to(root).as_posix()
            if excluded(relative):
                continue
            display = _display(root_display, relative)
            target, is_link, problem = _resolve(path, display, real_root)
            if problem is not None:
                findings.append(problem)
            else:
                entries.append((display, path, target, is_link))
    entries.sort(key=lambda entry: entry[0])
    taken = {target for _, _, target, is_link in entries if not is_link}
    found: list[tuple[Path, str]] = []
    for display, path, target, is_link in entries:
        if is_link:
            if target in taken:
                continue
            taken.add(target)
        found.append((path, display))
    return found, findings


def _limit_ranges() -> dict[str, tuple[int, int | None]]:
    """limit -> (minimum, maximum) from the config schema, for the limits the reader knows."""
    described = load_schema("config.schema.json")["properties"]["limits"]["properties"]
    return {name: (spec.get("minimum", 0), spec.get("maximum")) for name, spec in described.items()
            if name in Limits.__dataclass_fields__}


def _limits(config: dict) -> Limits:
    """The limits set in mopsgov.yaml, each held within the schema's range.

    A value outside it (the schema reports it) reads as the nearest bound, so no change to
    mopsgov.yaml can make reading crash or hang; a field the schema does not describe, or a
    value that is not a whole number, is not applied.
    """
    given = config.get("limits")
    if not isinstance(given, dict):
        return Limits()
    fields = {}
    for name, (low, high) in _limit_ranges().items():
        value = given.get(name)
        if isinstance(value, int) and not isinstance(value, bool):
            fields[name] = max(low, value if high is None else min(value, high))
    return Limits(**fields)


def _read_config(model: Model, path: Path, display: str, real_root: Path | None, limits: Limits | None,
                 findings: list[Finding]) -> None:
    """Configure the model from mopsgov.yaml at path when there is one; a link out of the model is not read."""
    if not os.path.lexists(path) or path.is_dir():
        return
    if real_root is not None:
        _, _, problem = _resolve(path, display, real_root)
        if problem is not None:
            findings.append(problem)
            return
    _use_config(model, read_file(path, display, limits or Limits()), findings)


def model_folder(root: str) -> str | None:
    """The folder holding a model's mopsgov.yaml and custom policy packs, as shown: the model folder,
    or the folder of a single model file; None for a model that is not on disk (git objects)."""
    if os.path.isdir(root):
        return root
    if os.path.isfile(root):
        return os.path.dirname(root) or "."
    return None


def load_model(path: str, limits: Limits | None = None) -> tuple[Model, list[Finding]]:
    """Read every file of the model; structural problems come back as findings.

    PATH is a folder, or one YAML file read with the mopsgov.yaml beside it (mopsgov.yaml itself:
    the configuration alone).
    """
    fs_root = Path(path)
    if not fs_root.exists():
        raise ModelPathError(f"{path}: no such file or folder")
    root_display = os.path.normpath(path)
    model = Model(root=root_display)
    findings: list[Finding] = []
    if fs_root.is_dir():
        config_path = fs_root / CONFIG_FILE
        _read_config(model, config_path, _display(root_display, CONFIG_FILE), fs_root.resolve(), limits, findings)
        limits = limits or _limits(model.config)
        paths, link_findings = discover(fs_root, root_display, excluder(model.config))
        findings += link_findings
    elif fs_root.is_file():
        if not fs_root.name.endswith(YAML_SUFFIXES):
            raise ModelPathError(f"{path}: not a YAML file; give a model folder or a file ending in .yaml or .yml")
        if fs_root.name == CONFIG_FILE:
            _read_config(model, fs_root, root_display, None, limits, findings)
            paths = []
        else:
            sibling = os.path.join(os.path.dirname(root_display), CONFIG_FILE)
            _read_config(model, fs_root.parent / CONFIG_FILE, sibling, fs_root.parent.resolve(), limits, findings)
            paths = [(fs_root, root_display)]
        limits = limits or _limits(model.config)
    else:
        raise ModelPathError(f"{path}: not a folder or a YAML file")
    read = lambda task: read_file(task[0], task[1], limits)  # noqa: E731
    sizes = [_size(fs_path) for fs_path, _ in paths]
    model.size = sum(sizes)
    for parsed in parallel.read_all(paths, sizes, read):
        _add_file(model, parsed, findings)
    return model, findings


def _size(fs_path: Path) -> int:
    try:
        return os.stat(fs_path).st_size
    except OSError:
        return 0


def load_files(root_display: str, files: Mapping[str, bytes], limits: Limits | None = None) -> tuple[Model, list[Finding]]:
    """The model from files held in memory, e.g. read from git objects: relative POSIX path -> content.

    The same rules as a folder on disk: mopsgov.yaml configures the model, hidden files and folders,
    policy packs and `exclude` globs are not model files, and files are read in path order.
    """
    model = Model(root=root_display)
    findings: list[Finding] = []
    if CONFIG_FILE in files:
        _use_config(model, parse_bytes(files[CONFIG_FILE], _display(root_display, CONFIG_FILE), limits or Limits()), findings)
    limits = limits or _limits(model.config)
    excluded = excluder(model.config)
    for rel in sorted(files):
        parts = rel.split("/")
        if rel == CONFIG_FILE or not rel.endswith(YAML_SUFFIXES) or any(p.startswith(".") for p in parts):
            continue
        if excluded(rel):
            continue
        model.size += len(files[rel])
        _add_file(model, parse_bytes(files[rel], _display(root_display, rel), limits), findings)
    return model, findings


def _glob_pattern(glob: str) -> re.Pattern:
    """A regular expression for a glob relative to the model folder, with `**` for any folders."""
    out = ""
    parts = PurePosixPath(glob).parts
    for index, part in enumerate(parts):
        last = index == len(parts) - 1
        if part == "**":
            out += ".*" if last else "(?:[^/]+/)*"
            continue
        out += fnmatch.translate(part).removeprefix("(?s:").removesuffix(")\\Z").replace(".*", "[^/]*")
        out += "" if last else "/"
    return re.compile(out + r"\Z")


def _use_config(model: Model, config_file: ParsedFile, findings: list[Finding]) -> None:
    findings += config_file.findings
    model.config_source = config_file
    if isinstance(config_file.data, dict):
        model.config = config_file.data


def _add_file(model: Model, parsed: ParsedFile, findings: list[Finding]) -> None:
    findings += [_in_entity(f, parsed) for f in parsed.findings]
    model.files.append(parsed)
    _collect(model, parsed)


def excluder(config: dict) -> Callable[[str], bool]:
    """Whether a path relative to the model folder is not a model file: a custom policy pack or
    `exclude`d. A glob excludes what it matches and everything below a folder it matches."""
    patterns = [_glob_pattern(entry) for entry in _exclude_entries(config)]

    def excluded(relative: str) -> bool:
        parts = relative.split("/")
        return any(pattern.match("/".join(parts[:n])) for pattern in patterns for n in range(1, len(parts) + 1))
    return excluded


def inside_model(glob: str) -> bool:
    """Whether an `exclude` glob stays inside the model folder (config.schema.json says why not)."""
    return _exclude_pattern().search(glob) is not None


@lru_cache(maxsize=1)
def _exclude_pattern() -> re.Pattern:
    return re.compile(load_schema("config.schema.json")["properties"]["exclude"]["items"]["pattern"])


def _exclude_entries(config: dict) -> list[str]:
    """Globs of files below the model folder that are not model files: `exclude`, and custom
    policy packs kept inside the model folder (their paths, taken literally)."""
    policies = config.get("policies")
    packs = policies.get("packs", []) if isinstance(policies, dict) else []
    globs = config.get("exclude", [])
    out = [entry for entry in (globs if isinstance(globs, list) else []) if isinstance(entry, str) and inside_model(entry)]
    for entry in packs if isinstance(packs, list) else []:
        if isinstance(entry, str) and entry != "builtin":
            path = os.path.normpath(entry).replace(os.sep, "/")
            if inside_model(path):
                out.append(glob.escape(path))
    return out


def _in_entity(finding: Finding, parsed: ParsedFile) -> Finding:
    """A reader's finding inside an entity (a refused tag, a duplicate key) names the entity."""
    match = _ENTITY_PATH.match(finding.path)
    if finding.kind is not None or match is None or not isinstance(parsed.data, dict):
        return finding
    kind, entity, _ = entity_of(parsed.data, (match[1], int(match[2])))
    return finding if kind is None else finding.replace(kind=kind, entity=entity)


_ENTITY_PATH = re.compile(r"\$\.([a-z]+)\[(\d+)\]")


def _collect(model: Model, parsed: ParsedFile) -> None:
    data = parsed.data
    if not isinstance(data, dict):
        return
    for collection, kind in COLLECTIONS:
        items = data.get(collection)
        if not isinstance(items, list):
            continue
        for index, item in enumerate(items):
            if isinstance(item, dict) and isinstance(item.get("id"), str):
                model.add(Entity(kind, item["id"], item, parsed, (collection, index)))
