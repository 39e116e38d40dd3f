"""JUnit XML (the Apache Ant format), for CI systems that show test reports.

One test suite per model file, one test case per finding, named by rule and entity (not by
line, so a CI's test history survives edits): a finding at or above the fail
severity is a failure, a waived or baselined one is skipped, one below the fail severity passes
(its text is in the suite's system-out). A file without findings has one passing case, so the
report lists every file that was checked. Timestamps use the model's as_of date: same model,
same bytes.
"""
from __future__ import annotations

from xml.etree import ElementTree as ET

from mopsgov.check import CheckResult
from mopsgov.finding import Finding
from mopsgov.report.text import escape_control, finding_line
from mopsgov.workflow.baseline import entity_ref

NO_FILE = "(model)"


def _case(suite: ET.Element, finding: Finding, failing: bool, name: str) -> str | None:
    # control characters escaped: most are not allowed in XML at all
    case = ET.SubElement(suite, "testcase", name=escape_control(name), classname=escape_control(finding.file or NO_FILE), time="0")
    body = finding_line(finding) + (f"\nfix: {escape_control(finding.fix)}" if finding.fix else "")
    message = escape_control(finding.message)
    if finding.suppressed_by is not None:
        ET.SubElement(case, "skipped", message=f"{message} [{escape_control(finding.suppressed_by)}]").text = body
        return "skipped"
    if failing:
        ET.SubElement(case, "failure", message=message, type=escape_control(finding.rule)).text = body
        return "failure"
    return None


def render(result: CheckResult) -> str:
    failing = {id(f) for f in result.failing()}
    files = [source.file for source in result.model.files]
    by_file: dict[str, list[Finding]] = {name: [] for name in files}
    for finding in result.findings:
        by_file.setdefault(finding.file or NO_FILE, []).append(finding)
    root = ET.Element("testsuites")
    stamp = f"{result.model.as_of.isoformat()}T00:00:00"
    for number, (name, findings) in enumerate(sorted(by_file.items())):
        suite = ET.SubElement(root, "testsuite", name=escape_control(name), package="mopsgov", id=str(number),
                              timestamp=stamp, hostname="localhost", tests="0", failures="0",
                              errors="0", skipped="0", time="0")
        ET.SubElement(suite, "properties")
        counts = {"failure": 0, "skipped": 0}
        passed_notes = []
        seen: dict[str, int] = {}
        for finding in findings:
            # named by rule and entity, not line: CI keeps a test's history across edits
            name = f"{finding.rule} {entity_ref(finding, result.model.root)}"
            seen[name] = seen.get(name, 0) + 1
            outcome = _case(suite, finding, id(finding) in failing, name if seen[name] == 1 else f"{name} ({seen[name]})")
            if outcome:
                counts[outcome] += 1
            else:
                passed_notes.append(finding_line(finding))
        if not findings:
            ET.SubElement(suite, "testcase", name="no findings", classname=escape_control(name), time="0")
        suite.set("tests", str(max(len(findings), 1)))
        suite.set("failures", str(counts["failure"]))
        suite.set("skipped", str(counts["skipped"]))
        ET.SubElement(suite, "system-out").text = "\n".join(passed_notes)
        ET.SubElement(suite, "system-err").text = ""
    ET.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(root, encoding="unicode") + "\n"
