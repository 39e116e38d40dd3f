"""A finding's JSON path, and reading it back: json_path and path_parts are each other's inverse."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mopsgov.finding import Finding, Severity, json_path, path_parts
from mopsgov.rules.consequences import _config_rules

PARTS = st.lists(st.one_of(st.integers(min_value=-1, max_value=10_000), st.text(max_size=12),
                           st.sampled_from(["it's", 'say "hi"', "a.b", "x-y", "\\", "'", '"', "\u2028", "_ok", "2"])),
                 max_size=6)


@given(PARTS)
def test_a_path_reads_back_as_its_parts(parts):
    assert path_parts(json_path(tuple(parts))) == tuple(parts)


def test_paths_as_findings_write_them():
    assert json_path(("tools", 0, "owner")) == "$.tools[0].owner"
    assert path_parts("$.policies.rules['a.b'].severity") == ("policies", "rules", "a.b", "severity")
    assert json_path(("rules", "it's")) == '$.rules["it\'s"]'  # repr picks double quotes
    assert path_parts('$.rules["it\'s"]') == ("rules", "it's")
    assert path_parts("$") == ()


@pytest.mark.parametrize("text", ["", "tools", "$.", "$[x]", "$['open", "$.a b", "$[1.5]"])
def test_other_text_is_refused(text):
    with pytest.raises(ValueError):
        path_parts(text)


def test_a_setting_of_one_rule_holds_back_that_rule_only_whatever_its_quotes():
    def setting(*parts):
        return Finding("schema.value", Severity.ERROR, "must be one of", path=json_path(parts))
    assert _config_rules([setting("policies", "rules", "it's", "severity")], []) == {"it's"}
    assert _config_rules([setting("policies", "rules", "coverage.gap", "severity")], []) == {"coverage.gap"}
    assert _config_rules([setting("name")], []) == set()
    assert _config_rules([Finding("schema.value", Severity.ERROR, "x", path="not a path")], []) is None
