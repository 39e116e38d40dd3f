"""The JSON report matches its documented schema, schemas/report.schema.json, exactly."""
from __future__ import annotations

import json

import jsonschema
import pytest

from conftest import ROOT, run_cli
from mopsgov.resources import load_schema

SMALL = "tests/fixtures/workflow/small"


@pytest.fixture(scope="module")
def validator():
    schema = load_schema("report.schema.json")
    return jsonschema.Draft202012Validator(schema, format_checker=jsonschema.FormatChecker())


MODELS = sorted(p.relative_to(ROOT).as_posix() for pattern in ("examples/*", "tests/fixtures/broken/*")
                for p in ROOT.glob(pattern) if p.is_dir()) + [SMALL, "tests/fixtures/workflow/renewals"]


@pytest.mark.parametrize("path", MODELS)
def test_json_report_matches_its_schema(path, validator):
    done = run_cli("check", path, "--format", "json")
    report = json.loads(done.stdout)
    assert list(validator.iter_errors(report)) == []
    assert report["exit_code"] == done.returncode


def test_baselined_report_matches_its_schema(tmp_path, validator):
    assert run_cli("baseline", SMALL, "--output", str(tmp_path / "b.json")).returncode == 0
    done = run_cli("check", SMALL, "--baseline", str(tmp_path / "b.json"), "--format", "json")
    report = json.loads(done.stdout)
    assert list(validator.iter_errors(report)) == []
    assert report["baseline"] == {"file": str(tmp_path / "b.json"), "baselined": 2, "new": 0, "fixed": []}
    assert report["summary"] == {"error": 0, "warning": 0, "info": 0, "suppressed": 2, "held_back": 0}
    assert done.returncode == 0


def test_schema_rejects_an_undocumented_field(validator):
    done = run_cli("check", SMALL, "--format", "json")
    report = json.loads(done.stdout)
    report["surprise"] = 1
    assert [e.message for e in validator.iter_errors(report)] == [
        "Additional properties are not allowed ('surprise' was unexpected)"]
