"""Write a synthetic, valid marketing operations model at a scale factor, for benchmarks.

At scale 1 the model has about 400 tools, 100 roles, 200 processes of 5 steps, 2,000 data
flows, 60 SLAs and 100 KPIs (plus the teams, data objects and goals they refer to); scale N
multiplies every count by N. The output is deterministic for a given scale and seed, uses only
vocabulary terms, resolves every reference and passes `mopsgov check` without errors. Entities
are spread over many files (at most a few hundred kB each), the way a real model repository
splits its stack, processes and flows.

Usage:
    python3 benchmarks/generate.py --scale 1 --out benchmarks/out/model-1x
"""
from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from mopsgov.resources import load_schema  # noqa: E402

AS_OF = "2027-03-01"
# Entities of each kind at scale 1, and how many go in one file.
COUNTS = {"team": 12, "role": 100, "tool": 400, "data": 60, "process": 200, "flow": 2000,
          "sla": 60, "kpi": 100, "goal": 30}
PER_FILE = {"team": 50, "role": 50, "tool": 50, "data": 60, "process": 25, "flow": 250,
            "sla": 60, "kpi": 50, "goal": 30}
FOLDERS = {"team": "org", "role": "org", "tool": "stack", "data": "data", "process": "processes",
           "flow": "data", "sla": "slas", "kpi": "measurement", "goal": "measurement"}
COLLECTION = {"team": "teams", "role": "roles", "tool": "tools", "data": "data", "process": "processes",
              "flow": "flows", "sla": "slas", "kpi": "kpis", "goal": "goals"}
STEPS_PER_PROCESS = 5
WORDS = ("lead", "account", "campaign", "web", "partner", "event", "email", "content", "social",
         "pipeline", "budget", "consent", "intent", "product", "field", "brand", "region", "asset")
VENDORS = ("Acme", "Globex", "Initech", "Umbrella", "Hooli", "Vandelay", "Stark", "Wayne",
           "Tyrell", "Cyberdyne", "Soylent", "Wonka")
LATENCIES = ("real-time", "15 minutes", "hourly", "daily", "4 hours", "weekly")
SLA_TARGETS = ("5 minutes", "24 hours", "5 business days", "2 days", "95%", "99.5%")

_PLAIN = re.compile(r"[A-Za-z][A-Za-z0-9 ()/&.-]*\Z")
_NOT_PLAIN = {"true", "false", "null", "yes", "no", "on", "off", "y", "n"}


def _vocabulary() -> dict[str, list]:
    defs = load_schema("vocabulary.schema.json")["$defs"]
    return {name: spec["enum"] if "enum" in spec else list(spec["x-terms"]) for name, spec in defs.items()}


def _scalar(value) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if _PLAIN.match(value) and value.lower() not in _NOT_PLAIN and not value.endswith(" "):
        return value
    return json.dumps(value)  # a JSON string is a valid YAML double-quoted scalar


def emit(value, indent: int = 0) -> list[str]:
    """Block-style YAML lines for plain data (mappings, lists, text, numbers, booleans)."""
    pad = " " * indent
    lines: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if isinstance(item, (dict, list)) and item:
                lines.append(f"{pad}{key}:")
                lines += emit(item, indent + 2 if isinstance(item, dict) else indent)
            elif isinstance(item, list):
                lines.append(f"{pad}{key}: []")
            else:
                lines.append(f"{pad}{key}: {_scalar(item)}")
    else:
        for item in value:
            if isinstance(item, dict):
                inner = emit(item, indent + 2)
                lines.append(f"{pad}- {inner[0].lstrip()}")
                lines += inner[1:]
            else:
                lines.append(f"{pad}- {_scalar(item)}")
    return lines


class Generator:
    def __init__(self, scale: int, seed: int):
        self.scale = scale
        self.rng = random.Random(seed)
        self.vocab = _vocabulary()
        self.ids = {kind: [f"{kind}-{i + 1:06d}" for i in range(count * scale)] for kind, count in COUNTS.items()}
        self.steps: dict[str, list[str]] = {}
        self.directions: dict[str, str] = {}

    def pick(self, kind: str, k: int = 1) -> list[str]:
        return self.rng.sample(self.ids[kind], k)

    def one(self, kind: str) -> str:
        return self.rng.choice(self.ids[kind])

    def term(self, name: str):
        return self.rng.choice(self.vocab[name])

    def name(self, noun: str, index: int) -> str:
        return f"{self.rng.choice(WORDS).title()} {noun} {index + 1}"

    def team(self, i: int, team_id: str) -> dict:
        item = {"id": team_id, "name": self.name("team", i),
                "type": "external" if i % 6 == 5 else "internal"}
        if i >= 4:
            item["parent"] = self.ids["team"][i % 4]
        return item

    def role(self, i: int, role_id: str) -> dict:
        item = {"id": role_id, "name": self.name("manager", i), "team": self.one("team"),
                "fte": self.rng.choice((0.5, 1, 1, 2, 3)), "skills": ["sql", "marketing automation"],
                "archetypes": self.rng.sample(self.vocab["value-archetype"], 2),
                "responsibilities": self.rng.sample(self.vocab["responsibility-area"], 2)}
        if i > 0:
            item["reports_to"] = self.ids["role"][self.rng.randrange(i)]
        return item

    def tool(self, i: int, tool_id: str) -> dict:
        vendor = self.rng.choice(VENDORS)
        seats = self.rng.randrange(50, 500)
        year = 2028 + i % 3
        return {
            "id": tool_id, "name": f"{vendor} {self.rng.choice(WORDS).title()} Cloud {i + 1}",
            "description": "Runs the part of the martech stack its category names.",
            "vendor": vendor, "product": f"{vendor} Suite", "category": self.term("category"),
            "platform_group": self.term("platform-group"),
            "capabilities": self.rng.sample(self.vocab["capability"], 3),
            "owner": self.one("role"), "user_teams": self.pick("team", 2), "lifecycle": "active",
            "annual_cost": self.rng.randrange(1, 300) * 1000, "currency": "EUR",
            "contract": {"start": "2025-01-01", "renewal": f"{year}-{1 + i % 12:02d}-15",
                         "notice_days": 90, "auto_renew": i % 2 == 0},
            "seats": {"bought": seats, "active": seats - self.rng.randrange(0, 5)},  # well used
            "compliance": {"dpa": True, "residency": self.rng.choice(("eu", "us")),
                           "certifications": ["ISO 27001", "SOC 2"]},
            "holds": self.pick("data", 3),
        }

    def data(self, i: int, data_id: str) -> dict:
        return {"id": data_id, "name": self.name("record", i),
                "classification": self.term("classification"),
                "system_of_record": self.one("tool"), "owner": self.one("role"),
                "fields": ["id", "email", "country", "created"]}

    def process(self, i: int, process_id: str) -> dict:
        steps = []
        for s in range(STEPS_PER_PROCESS):
            accountable, responsible, consulted, informed = self.pick("role", 4)
            steps.append({
                "id": f"step-{s + 1}", "name": f"{self.rng.choice(WORDS).title()} step {s + 1}",
                "raci": {accountable: "A", responsible: "R", consulted: "C", informed: "I"},
                "tools": self.pick("tool", 2), "reads": self.pick("data", 1), "writes": self.pick("data", 1),
            })
        self.steps[process_id] = [s["id"] for s in steps]
        return {"id": process_id, "name": self.name("process", i), "owner": self.one("role"),
                "family": self.term("process-family"), "trigger": "A new request arrives", "steps": steps}

    def flow(self, i: int, flow_id: str) -> dict:
        source, target = self.pick("tool", 2)
        item = {"id": flow_id, "name": f"Sync {i + 1}", "from": source, "to": target,
                "objects": self.pick("data", 2), "mechanism": self.term("mechanism"),
                "latency": self.rng.choice(LATENCIES), "owner": self.one("role")}
        if item["mechanism"] == "ipaas":
            item["via"] = self.one("tool")
        item["lawful_basis"] = self.term("lawful-basis")
        return item

    def sla(self, i: int, sla_id: str) -> dict:
        process = self.one("process")
        provider, consumer = self.pick("team", 2)
        return {"id": sla_id, "name": self.name("service level", i), "provider": provider,
                "consumer": consumer, "process": process, "step": self.rng.choice(self.steps[process]),
                "metric": "time to complete", "target": self.rng.choice(SLA_TARGETS),
                "measured_by": self.one("kpi"), "escalation": self.one("role"),
                "review": self.term("cadence"), "owner": self.one("role")}

    def kpi(self, i: int, kpi_id: str) -> dict:
        direction = self.directions[kpi_id] = self.term("direction")
        return {"id": kpi_id, "name": self.name("rate", i), "form": self.term("kpi-form"),
                "definition": "Share of records that reach the next stage.", "formula": "converted / total",
                "unit": "%", "direction": direction, "cadence": self.term("cadence"),
                "owner": self.one("role"), "sources": self.pick("tool", 2), "inputs": self.pick("data", 2),
                "target": self.rng.randrange(1, 100)}

    def goal(self, i: int, goal_id: str) -> dict:
        kpi = self.one("kpi")
        better = self.directions[kpi] == "higher-is-better"
        return {"id": goal_id, "name": self.name("goal", i), "kpi": kpi, "baseline": 10 if better else 20,
                "target": 20 if better else 10, "deadline": "2027-12-31", "owner": self.one("role"),
                "initiatives": [{"name": "Improve the hand-off", "role": self.one("role")}]}

    def entities(self, kind: str) -> list[dict]:
        make = getattr(self, kind)
        return [make(i, entity_id) for i, entity_id in enumerate(self.ids[kind])]


# Processes before SLAs: an SLA names a step of its process.
ORDER = ("team", "role", "tool", "data", "process", "flow", "kpi", "sla", "goal")


def generate(out: Path, scale: int = 1, seed: int = 7) -> dict[str, int]:
    """Write the model into out (emptied first); returns entity counts by kind."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    gen = Generator(scale, seed)
    config = {"name": f"Synthetic operating model ({scale}x)", "as_of": AS_OF,
              "privacy": {"allowed_residency": ["eu", "us"]}}
    (out / "mopsgov.yaml").write_text("\n".join(emit(config)) + "\n", encoding="utf-8")
    counts = {}
    for kind in ORDER:
        items = gen.entities(kind)
        counts[kind] = len(items)
        folder = out / FOLDERS[kind]
        folder.mkdir(exist_ok=True)
        size = PER_FILE[kind]
        for number, start in enumerate(range(0, len(items), size), 1):
            text = "\n".join(emit({COLLECTION[kind]: items[start:start + size]})) + "\n"
            (folder / f"{COLLECTION[kind]}-{number:04d}.yaml").write_text(text, encoding="utf-8")
    return counts


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--scale", type=int, default=1, help="multiply every entity count by this")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--out", type=Path, required=True, help="folder to write (its contents are replaced)")
    args = parser.parse_args(argv)
    counts = generate(args.out, args.scale, args.seed)
    size = sum(p.stat().st_size for p in args.out.rglob("*.yaml"))
    files = sum(1 for _ in args.out.rglob("*.yaml"))
    print(f"{args.out}: {files} files, {size / 1e6:.1f} MB, " + ", ".join(f"{n} {k}" for k, n in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
