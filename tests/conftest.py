"""Shared test helpers: run the real CLI in a subprocess from the project root."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "tests" / "fixtures"
SHARED_DATA = ROOT.parent / "shared" / "data"
# The start of a small valid model: one team and its MOps manager (role "mops"); tests append the rest.
MOPS_TEAM = """\
teams:
  - {id: marketing, name: Marketing, type: internal}
roles:
  - {id: mops, name: MOps manager, team: marketing}
"""

# Property-based tests: a few dozen examples each, the same every run (HYPOTHESIS_PROFILE unset),
# or 1,000 random ones each in `make test-slow` (HYPOTHESIS_PROFILE=slow).
_HEALTH = [HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("default", max_examples=30, deadline=None, derandomize=True, database=None,
                          suppress_health_check=_HEALTH)
settings.register_profile("slow", max_examples=1000, deadline=None, suppress_health_check=_HEALTH)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


def run_cli(*args: str, cwd: Path | str = ROOT, timeout: float = 120, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mopsgov", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=timeout, env=env)


def run_json(*args: str, **kwargs) -> tuple[int, dict]:
    done = run_cli(*args, "--format", "json", **kwargs)
    assert "Traceback" not in done.stderr, done.stderr
    return done.returncode, json.loads(done.stdout)


@pytest.fixture
def cli():
    return run_cli
