"""`mopsgov policy test [PACK_OR_DIR]`: run every rule's fixtures and compare the findings."""
from __future__ import annotations

import sys

import click

from mopsgov.load.model_loader import ModelPathError
from mopsgov.report.text import finding_line
from mopsgov.rules.config import load_rules
from mopsgov.rules.fixtures import run_tests
from mopsgov.rules.rule_catalog import fixture_folders, neighbour_rules, resolve_target


@click.group("policy")
def command() -> None:
    """Work with policy packs."""


@command.command("test")
@click.argument("target", required=False, metavar="[PACK_OR_DIR]")
@click.option("--strict", is_flag=True, help="Also fail when a rule lacks a passing or a failing fixture.")
@click.option("-v", "--verbose", is_flag=True, help="Print every case, not only the failing ones.")
def test_command(target: str | None, strict: bool, verbose: bool) -> None:
    """Run the rule tests of a pack: builtin (the default), a pack file or folder, or a model folder's own packs.

    Fixtures live in the tests/ folder beside the pack's rules. Exit status: 0 all pass, 1 a case
    does not give the expected findings (or, with --strict, a rule lacks tests), 2 usage error.
    """
    try:
        model, entries = resolve_target(target)
    except ModelPathError as exc:
        click.echo(f"mopsgov: {exc}", err=True)
        sys.exit(2)
    if not entries:
        click.echo(f"mopsgov: {target} lists no policy pack of its own in mopsgov.yaml", err=True)
        sys.exit(2)
    rules, problems = load_rules(model, entries)
    reports, test_problems = run_tests(rules, fixture_folders(model, entries), neighbour_rules(model, entries))
    problems += test_problems
    failed = untested = incomplete = 0
    width = max((len(r.rule.id) for r in reports), default=10)
    for report in reports:
        cases = len(report.results)
        if not cases:
            untested += 1
            click.echo(f"none  {report.rule.id:<{width}}  no tests")
            continue
        verdict = "ok" if report.ok else "FAIL"
        failed += not report.ok
        note = ""
        if not report.complete:
            incomplete += 1
            note = "  (needs a passing and a failing case)"
        click.echo(f"{verdict:<4}  {report.rule.id:<{width}}  {cases} case{'s' if cases != 1 else ''}{note}")
        for result in report.results:
            if result.ok and not verbose:
                continue
            click.echo(f"      {'ok' if result.ok else 'FAIL'} case \"{result.case.name}\" ({result.case.location})")
            for rule_id, count in result.expect_all().items():
                got = result.got.get(rule_id, 0)
                if got != count:
                    click.echo(f"        expected {count} {rule_id}, got {got}")
            if not result.ok:
                for finding in result.findings:
                    click.echo(f"        {finding_line(finding)}")
    for finding in problems:
        click.echo(finding_line(finding))
        if finding.fix:
            click.echo(f"    fix: {finding.fix}")
    parts = [f"{len(reports)} rules", f"{len(reports) - failed - untested} passed", f"{failed} failed",
             f"{untested} without tests"]
    if incomplete:
        parts.append(f"{incomplete} without both a passing and a failing case")
    if problems:
        parts.append(f"{len(problems)} problem{'s' if len(problems) != 1 else ''} in the packs or tests")
    click.echo(", ".join(parts))
    bad = failed or problems or (strict and (untested or incomplete))
    sys.exit(1 if bad else 0)
