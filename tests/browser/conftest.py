"""Browser tests need Debian's chromium: the set-up script installs it (apt-get as root) or says how."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def chromium_installed() -> None:
    if shutil.which("chromium") is None:
        done = subprocess.run([str(ROOT / "scripts" / "ensure-system-packages"), "--browser"],
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
    assert shutil.which("chromium"), "Debian's chromium package is needed for the browser tests"
