"""Hostile and malformed model files, built at test time (nothing large is committed).

Each case writes one model folder and names what `mopsgov check` must answer: the exit status
and the findings (rule, file, line, column) it must contain. Big inputs are generated into the
test's temporary folder.
"""
from __future__ import annotations

import codecs
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

CONFIG = "name: Hostile input\nas_of: '2027-03-01'\n"
TOOL = "tools:\n- id: crm\n  name: CRM\n  category: crm\n  lifecycle: active\n"


@dataclass
class Case:
    name: str
    build: Callable[[Path], None]  # writes model files into the folder (mopsgov.yaml is written first)
    exit: int
    expect: list[tuple] = field(default_factory=list)  # (rule, file, line, column); line None: any position
    huge: bool = False  # deliberately huge: allowed more than the 2 s budget
    # Run without the rights that let root read any file (the case makes something unreadable).
    ordinary_user: bool = False


def write(folder: Path, name: str, content: str | bytes) -> None:
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        content = content.encode("utf-8")
    path.write_bytes(content)


def text(name: str, content: str | bytes) -> Callable[[Path], None]:
    return lambda folder: write(folder, name, content)


def alias_bomb(levels: int) -> str:
    """The "billion laughs" document: each level lists the one before nine times."""
    lines = ['x-a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        refs = ", ".join([f"*a{level - 1}"] * 9)
        lines.append(f"x-a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def big_file(folder: Path) -> None:
    chunk = TOOL.replace("- id: crm", "- id: crm-{}")
    with open(folder / "big.yaml", "w", encoding="utf-8") as out:
        out.write("tools:\n")
        body = "".join(chunk.split("\n", 1)[1].format(i) for i in range(1000))
        while out.tell() < 50 * 1024 * 1024:
            out.write(body)


def ten_thousand_files(folder: Path) -> None:
    team = "teams:\n- id: team-{0}\n  name: Team {0}\n  type: internal\n"
    for i in range(10_000):
        write(folder, f"teams/t{i:05d}.yaml", team.format(i))
    write(folder, "teams/t09999.yaml", "teams:\n- id: team-9999\n  name: Team\n  type: agency\n")


def outside_link(folder: Path) -> None:
    outside = folder.parent / "outside.yaml"
    outside.write_text(TOOL, encoding="utf-8")
    os.symlink(outside, folder / "linked.yaml")


def link_loop(folder: Path) -> None:
    os.symlink(folder / "b.yaml", folder / "a.yaml")
    os.symlink(folder / "a.yaml", folder / "b.yaml")


def unreadable(folder: Path) -> None:
    write(folder, "secret.yaml", TOOL)
    os.chmod(folder / "secret.yaml", 0)


def unreadable_folder(folder: Path) -> None:
    write(folder, "secret/tools.yaml", TOOL)
    os.chmod(folder / "secret", 0)


def folder_listed_not_entered(folder: Path) -> None:
    write(folder, "half/tools.yaml", TOOL)
    (folder / "half" / "sub").mkdir()
    os.chmod(folder / "half", 0o444)  # its names can be read, nothing in it can be opened


def folder_link_loop(folder: Path) -> None:
    write(folder, "stack/tools.yaml", TOOL)
    os.symlink("..", folder / "stack" / "again")  # a folder link back to the model itself


def limits(values: str, name: str, content: str) -> Callable[[Path], None]:
    """A model whose mopsgov.yaml raises the reading limits, with one file that would need them."""
    def build(folder: Path) -> None:
        write(folder, "mopsgov.yaml", CONFIG + "limits:\n" + values)
        write(folder, name, content)
    return build


def nested(levels: int, opening: str = "[", closing: str = "]") -> str:
    return opening * levels + closing * levels


def deep_everywhere(levels: int) -> str:
    """Values nested `levels` deep in a list field, a mapping field, an extension field and a RACI."""
    lists, maps = nested(levels), "{a: " * levels + "1" + "}" * levels
    return (f"data:\n- id: lead\n  name: Lead\n  classification: internal\n  fields: {lists}\n  x-deep: {maps}\n"
            f"tools:\n- id: crm\n  name: {lists}\n  category: crm\n  lifecycle: active\n  seats: {maps}\n"
            f"  capabilities: {lists}\n  owner: {lists}\n"
            f"processes:\n- id: p\n  name: P\n  owner: {lists}\n  family: planning-budgeting\n  steps:\n"
            f"  - id: s\n    name: S\n    raci: {maps}\n    tools: {lists}\n")


def fifo(folder: Path) -> None:
    os.mkfifo(folder / "pipe.yaml")


def utf(name: str, codec: str, bom: bool) -> Callable[[Path], None]:
    data = TOOL.encode(codec)
    if bom:
        data = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE,
                "utf-32-le": codecs.BOM_UTF32_LE, "utf-32-be": codecs.BOM_UTF32_BE}[codec] + data
    return text(name, data)


F = "m.yaml"
CASES = [
    # Level 4 is where the expansion passes 10,000 values: its first alias is refused.
    *[Case(f"alias bomb, {n} levels", text(F, alias_bomb(n)), 1, [("yaml.alias-limit", F, 5, 12)])
      for n in (4, 5, 6, 7, 8, 9)],
    Case("recursive alias", text(F, "x-a: &a\n  - *a\n"), 1, [("yaml.recursive-alias", F, 2, 5)]),
    Case("100,000 levels of flow nesting", text(F, "x-a: " + "[" * 100_000 + "]" * 100_000 + "\n"), 1,
         [("yaml.depth-limit", F, 1, 69)]),
    Case("deep block nesting", text(F, "".join(" " * (2 * i) + "x-a:\n" for i in range(2000)) + " " * 4000 + "x: 1\n"),
         1, [("yaml.depth-limit", F, 65, 129)]),
    Case("a 50 MB file", big_file, 2, [("file.too-large", "big.yaml", 1, 1)], huge=True),
    Case("a 2 MB single line", text(F, 'notes: "' + "x" * (2 * 1024 * 1024) + '"\n'), 1,
         [("schema.unknown-field", F, 1, 1)], huge=True),
    Case("a 5,000-digit integer", text(F, TOOL + "  annual_cost: " + "9" * 5000 + "\n"), 1,
         [("yaml.number-too-long", F, 6, 16)]),
    Case("a 5,000-digit hexadecimal name", text(F, TOOL.replace("name: CRM", "name: 0x" + "f" * 5000)), 1,
         [("yaml.number-too-long", F, 3, 9)]),
    Case("a 2,000,000-digit hexadecimal cost", text(F, TOOL + "  annual_cost: 0x" + "f" * 2_000_000 + "\n"), 1,
         [("yaml.number-too-long", F, 6, 16)]),
    Case("a 5,000-digit octal key", text(F, "x-a:\n  0o" + "7" * 5000 + ": seven\n"), 1,
         [("yaml.number-too-long", F, 2, 3)]),
    Case("an escape of no character", text(F, TOOL + '  vendor: "Acme \\ud83d\\ude00"\n'), 1,
         [("yaml.syntax", F, 6, 17)]),
    Case("an unclosed quote", text(F, TOOL.replace("name: CRM", 'name: "CRM') + "  vendor: Acme\n"), 1,
         [("yaml.syntax", F, 3, 9)]),
    Case("NUL bytes", text(F, TOOL.encode() + b"  vendor: Ac\x00me\n"), 2, [("file.encoding", F, 6, 13)]),
    Case("invalid UTF-8", text(F, TOOL.encode() + b"  vendor: Acm\xe9\n"), 2, [("file.encoding", F, 6, 14)]),
    Case("UTF-16 with BOM", utf(F, "utf-16-le", True), 2, [("file.encoding", F, 1, 1)]),
    Case("UTF-16 without BOM", utf(F, "utf-16-le", False), 2, [("file.encoding", F, 1, 2)]),
    Case("UTF-16 big-endian without BOM", utf(F, "utf-16-be", False), 2, [("file.encoding", F, 1, 1)]),
    Case("UTF-32 with BOM", utf(F, "utf-32-le", True), 2, [("file.encoding", F, 1, 1)]),
    Case("UTF-32 without BOM", utf(F, "utf-32-be", False), 2, [("file.encoding", F, 1, 1)]),
    Case("a BOM in mid-file", text(F, TOOL + "  vendor: Ac\ufeffme\n"), 2, [("file.encoding", F, 6, 13)]),
    Case("a control character", text(F, TOOL + "  vendor: Ac\x07me\n"), 1, [("yaml.syntax", F, 6, 13)]),
    Case("CRLF line ends", text(F, (TOOL + "  colour: red\n").replace("\n", "\r\n")), 1,
         [("schema.unknown-field", F, 6, 3)]),
    Case("tab indentation", text(F, "tools:\n- id: crm\n\tname: CRM\n"), 1, [("yaml.syntax", F, 3, 1)]),
    Case("merge keys repeated", text(F, "x-base: &b {name: CRM}\ntools:\n- <<: *b\n  <<: *b\n  id: crm\n"), 1,
         [("yaml.merge-key", F, 3, 3), ("yaml.merge-key", F, 4, 3)]),
    Case("!!python/object/apply", text(F, "x-a: !!python/object/apply:os.system ['touch pwned']\n"), 1,
         [("yaml.tag", F, 1, 6)]),
    Case("!!python/name", text(F, "x-a: !!python/name:os.system\n"), 1, [("yaml.tag", F, 1, 6)]),
    Case("!!binary", text(F, "x-a: !!binary aGVsbG8=\n"), 1, [("yaml.tag", F, 1, 6)]),
    Case("!!set", text(F, "x-a: !!set {a, b}\n"), 1, [("yaml.tag", F, 1, 6)]),
    Case("1 and true as keys of one mapping", text(F, "x-a:\n  1: one\n  true: yes\n"), 1,
         [("yaml.key-type", F, 2, 3), ("yaml.key-type", F, 3, 3)]),
    Case("null and complex keys", text(F, "x-a:\n  ~: none\n  ? [a, b]\n  : list\n"), 1,
         [("yaml.key-type", F, 2, 3), ("yaml.key-type", F, 3, 5)]),
    Case(".nan and .inf numbers", text(F, TOOL + "  annual_cost: .nan\n  seats: {bought: .inf}\n"), 1,
         [("schema.type", F, 6, 16), ("schema.type", F, 7, 19)]),
    Case("several documents", text(F, TOOL + "---\n" + TOOL), 1, [("yaml.multiple-documents", F, 6, 1)]),
    Case("a root that is a list", text(F, "- crm\n- cdp\n"), 1, [("yaml.root-not-mapping", F, 1, 1)]),
    Case("a root that is a scalar", text(F, "just text\n"), 1, [("yaml.root-not-mapping", F, 1, 1)]),
    Case("an empty file", text(F, ""), 0, [("file.empty", F, 1, 1)]),
    Case("a comment-only file", text(F, "# nothing here yet\n# still nothing\n"), 0, [("file.empty", F, 1, 1)]),
    Case("a link out of the model folder", outside_link, 1, [("file.symlink", "linked.yaml", 1, 1)]),
    Case("a link loop", link_loop, 2, [("file.unreadable", "a.yaml", 1, 1), ("file.unreadable", "b.yaml", 1, 1)]),
    Case("an unreadable file", unreadable, 2, [("file.unreadable", "secret.yaml", 1, 1)], ordinary_user=True),
    Case("an unreadable folder", unreadable_folder, 2, [("file.unreadable", "secret", 1, 1)], ordinary_user=True),
    Case("a folder that can be listed but not entered", folder_listed_not_entered, 2,
         [("file.unreadable", "half/sub", 1, 1), ("file.unreadable", "half/tools.yaml", 1, 1)], ordinary_user=True),
    Case("a folder link that loops back", folder_link_loop, 0, [("file.symlink", "stack/again", 1, 1)]),
    # limits raised in mopsgov.yaml are held within the schema's maxima (and reported)
    Case("max_depth 2000, 600 levels in a list field", limits("  max_depth: 2000\n", F, TOOL.replace(
        "- id: crm", "- id: crm\n  capabilities: " + nested(600))), 1,
        [("schema.value", "mopsgov.yaml", 4, 14), ("yaml.depth-limit", F, 3, 214)]),
    Case("max_depth 200000, 100,000 levels of flow nesting", limits("  max_depth: 200000\n", F, "x-a: " + nested(100_000) + "\n"),
         1, [("schema.value", "mopsgov.yaml", 4, 14), ("yaml.depth-limit", F, 1, 205)]),
    Case("the deepest nesting allowed, in every stage", limits("  max_depth: 200\n", F, deep_everywhere(195)), 1,
         [("schema.type", F, 5, 12)]),
    Case("alias limits raised to 10^12", limits("  max_aliases: 1000000000000\n  max_alias_expansion: 1000000000000\n",
                                                F, alias_bomb(9)), 1,
         [("schema.value", "mopsgov.yaml", 4, 16), ("schema.value", "mopsgov.yaml", 5, 24), ("yaml.alias-limit", F, 6, 12)]),
    Case("max_file_bytes raised to 10^12, a 21 MiB file", limits("  max_file_bytes: 1000000000000\n", "big.yaml",
                                                              "notes: " + "x" * (21 * 1024 * 1024) + "\n"), 2,
         [("schema.value", "mopsgov.yaml", 4, 19), ("file.too-large", "big.yaml", 1, 1)]),
    Case("a named pipe", fifo, 2, [("file.unreadable", "pipe.yaml", 1, 1)]),
    Case("a folder of 10,000 files", ten_thousand_files, 1, [("schema.value", "teams/t09999.yaml", 4, 9)], huge=True),
]
