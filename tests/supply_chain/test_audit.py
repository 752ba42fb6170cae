"""CI's pip-audit step (.ci/audit.py): red for a known vulnerability, never for the network."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

ROOT = Path(__file__).resolve().parents[2]


def _audit() -> ModuleType:
    spec = importlib.util.spec_from_file_location("ci_audit", ROOT / ".ci" / "audit.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


VULN = {"id": "PYSEC-0000-1", "aliases": ["CVE-0000-1"], "fix_versions": ["2.0"]}


def test_a_known_vulnerability_fails_the_run() -> None:
    report = {"dependencies": [{"name": "a", "version": "1.0", "vulns": [VULN]}]}
    code, lines = _audit().summarize(report, {})
    assert code == 1
    assert any(line.startswith("VULNERABLE a 1.0: PYSEC-0000-1") for line in lines), lines


def test_an_ignored_vulnerability_is_printed_with_its_reason_and_passes() -> None:
    report = {"dependencies": [{"name": "a", "version": "1.0", "vulns": [VULN]}]}
    code, lines = _audit().summarize(report, {"CVE-0000-1": "only the unused CLI is affected"})
    assert code == 0
    assert any("only the unused CLI is affected" in line for line in lines), lines


def test_an_unreachable_service_passes_and_says_nothing_was_audited() -> None:
    skipped = {"name": "a", "skip_reason": "Dependency not found on PyPI and could not be audited"}
    code, lines = _audit().summarize({"dependencies": [skipped]}, {})
    assert code == 0
    assert any("NOT AUDITED: 1 of 1" in line for line in lines), lines
    code, lines = _audit().summarize(None, {})
    assert code == 0 and "NOT AUDITED" in lines[0]


def test_a_clean_audit_counts_what_it_checked() -> None:
    report = {"dependencies": [{"name": "a", "version": "1.0", "vulns": []}]}
    code, lines = _audit().summarize(report, {})
    assert code == 0 and lines == [
        "pip-audit: 1 of 1 locked packages checked, 0 known vulnerabilities not ignored"
    ]
