"""pip-audit on the lock for CI: red for a known vulnerability, never red for the network.

pip-audit asks a vulnerability service (PyPI's per-release JSON API by default) about each pin of
requirements.lock. Where that service cannot be reached, pip-audit skips every package and still
prints "No known vulnerabilities found". This script says how many pins were really checked,
prints every vulnerability found, and fails only for those (less the justified IGNORED below).
A run that could check nothing says so loudly and passes: the network is not the code's fault.

    python .ci/audit.py [requirements.lock]
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

# Vulnerability id -> why it does not apply or cannot be fixed yet (and when to look again).
# Empty: no known vulnerability has been reported against the lock.
IGNORED: dict[str, str] = {}

TIMEOUT_S = 600


def run_pip_audit(lock: Path) -> dict[str, Any] | None:
    """pip-audit's JSON report on ``lock``, or None when it produced none (printing why)."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "audit.json"
        cmd = [
            sys.executable, "-m", "pip_audit", "--disable-pip", "--require-hashes",
            "-r", str(lock), "--progress-spinner", "off", "--format", "json", "-o", str(out),
        ]  # fmt: skip
        try:
            proc = subprocess.run(cmd, capture_output=True, text=True, timeout=TIMEOUT_S)
        except subprocess.TimeoutExpired:
            print(f"pip-audit did not finish in {TIMEOUT_S} s")
            return None
        if proc.stderr.strip():
            print(proc.stderr.strip()[-4000:])
        try:
            report: dict[str, Any] = json.loads(out.read_text())
        except (OSError, ValueError):
            print(f"pip-audit wrote no report (exit {proc.returncode})")
            return None
        return report


def summarize(report: dict[str, Any] | None, ignored: dict[str, str]) -> tuple[int, list[str]]:
    """(exit code, lines to print): 1 only for a known vulnerability not in ``ignored``."""
    if report is None:
        return 0, ["pip-audit: NOT AUDITED: no report (vulnerability service unreachable?)"]
    deps = report.get("dependencies", [])
    skipped = [d for d in deps if "skip_reason" in d]
    audited = [d for d in deps if "skip_reason" not in d]
    lines, failing = [], 0
    for dep in audited:
        for vuln in dep.get("vulns", []):
            ids = [vuln["id"], *vuln.get("aliases", [])]
            why = next((ignored[i] for i in ids if i in ignored), None)
            fixes = ", ".join(vuln.get("fix_versions", [])) or "none yet"
            head = f"{dep['name']} {dep['version']}: {' / '.join(ids)} (fixed in {fixes})"
            if why is None:
                failing += 1
                lines.append(f"VULNERABLE {head}")
            else:
                lines.append(f"ignored    {head}: {why}")
    lines.append(
        f"pip-audit: {len(audited)} of {len(deps)} locked packages checked, "
        f"{failing} known vulnerabilit{'y' if failing == 1 else 'ies'} not ignored"
    )
    if skipped:
        reasons = sorted({d["skip_reason"].split(":")[0] for d in skipped})
        lines.append(
            f"pip-audit: NOT AUDITED: {len(skipped)} of {len(deps)} locked packages "
            f"could not be checked ({'; '.join(reasons)}); this run says nothing about them"
        )
    return (1 if failing else 0), lines


def main(argv: list[str]) -> int:
    lock = Path(argv[1] if len(argv) > 1 else "requirements.lock")
    code, lines = summarize(run_pip_audit(lock), IGNORED)
    print("\n".join(lines))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
