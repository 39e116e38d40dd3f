"""The built package carries its schemas and policies and works from any directory."""
from __future__ import annotations

import os
import subprocess
import sys
import zipfile

from conftest import ROOT


def test_wheel_ships_schemas_and_policies_and_runs_elsewhere(tmp_path):
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q",
                    "-w", str(tmp_path / "dist"), str(ROOT)], check=True, capture_output=True, timeout=300)
    (wheel,) = (tmp_path / "dist").glob("mopsgov-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for schema in (ROOT / "schemas").glob("*.schema.json"):
        assert f"mopsgov/schemas/{schema.name}" in names
    for init in (ROOT / "mopsgov").rglob("__init__.py"):
        assert init.relative_to(ROOT).as_posix() in names, "add the package to pyproject.toml"
    for pack in (ROOT / "policies").rglob("*.yaml"):
        assert f"mopsgov/policies/{pack.relative_to(ROOT / 'policies').as_posix()}" in names
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True, timeout=300)
    model = tmp_path / "elsewhere" / "model.yaml"
    model.parent.mkdir()
    model.write_text("teams:\n  - id: marketing\n    name: Marketing\n    type: internal\n")
    env = {**os.environ, "PYTHONPATH": str(target)}
    done = subprocess.run([sys.executable, "-m", "mopsgov", "check", "model.yaml"], cwd=model.parent,
                          capture_output=True, text=True, env=env, timeout=120)
    assert (done.returncode, done.stdout) == (0, "no findings in 1 file\n"), done.stderr
    done = subprocess.run([sys.executable, "-c", "import mopsgov.resources as r; print(r.data_dir('schemas'))"],
                          cwd=model.parent, capture_output=True, text=True, env=env, timeout=60)
    assert done.stdout.strip() == str(target / "mopsgov" / "schemas")
