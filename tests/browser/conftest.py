"""Browser tests need Debian's chromium, and Liberation Sans for the diagrams' labels: the set-up
script installs them (apt-get as root) or says how."""
from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def _font_installed() -> bool:
    listed = subprocess.run(["fc-list", "Liberation Sans", "family"], capture_output=True, text=True, check=False) \
        if shutil.which("fc-list") else None
    return bool(listed and listed.stdout.strip())


@pytest.fixture(scope="session")
def chromium_installed() -> None:
    if shutil.which("chromium") is None or not _font_installed():
        done = subprocess.run([str(ROOT / "scripts" / "ensure-system-packages"), "--browser"],
                              capture_output=True, text=True, timeout=900)
        assert done.returncode == 0, done.stderr
    assert shutil.which("chromium"), "Debian's chromium package is needed for the browser tests"
    assert _font_installed(), "Debian's fonts-liberation package is needed for the diagram tests"
