"""Supply chain (issue 13, build 6): pip-audit of the pinned requirements against a vulnerability service.

Every package is pinned in requirements.txt, so pip-audit reads the pins as they are (--no-deps
--disable-pip: nothing is installed or resolved) and asks a service about each. Where no service
answers, pip-audit still ends with "No known vulnerabilities found" (it skipped every package as
"not found"): that line would claim a check that never happened, so a report whose every package was
skipped is a pytest skip saying that nothing was checked and why, never a pass. A report that did
check packages passes only with no vulnerability in any of them. `make audit` runs this file alone.

Services tried in order: OSV (api.osv.dev), then PyPI's JSON API (pypi.org/pypi/<name>/<version>/json;
a mirror without that API, as on machines with a local index, answers 404 for every package).
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
REQUIREMENTS = ROOT / "requirements.txt"
SERVICES = ("osv", "pypi")
REQUEST_TIMEOUT_S = 10  # per request to the service (pip-audit's --timeout)
RUN_TIMEOUT_S = 300  # a whole run; ~90 pins, asked one by one


@dataclass(frozen=True)
class Audit:
    """What one pip-audit run found: the packages it checked, those it skipped (with why), their vulnerabilities."""

    service: str
    checked: tuple[str, ...] = ()
    skipped: tuple[tuple[str, str], ...] = ()
    vulnerabilities: tuple[str, ...] = ()  # "name version: id (aliases), fixed in …"
    failure: str = ""  # pip-audit could not run against the service at all (unreachable, timed out)

    @property
    def checked_nothing(self) -> bool:
        return bool(self.failure) or not self.checked


def audit_read(service: str, report: dict) -> Audit:
    """An Audit from pip-audit's JSON report (`-f json`)."""
    checked, skipped, vulnerabilities = [], [], []
    for dependency in report.get("dependencies", []):
        name = dependency["name"]
        if "skip_reason" in dependency:
            skipped.append((name, dependency["skip_reason"]))
            continue
        checked.append(name)
        for vulnerability in dependency.get("vulns", []):
            aliases = ", ".join(vulnerability.get("aliases") or [])
            fixed = ", ".join(vulnerability.get("fix_versions") or []) or "no fixed version"
            vulnerabilities.append(
                f"{name} {dependency.get('version', '?')}: {vulnerability['id']}" + (f" ({aliases})" if aliases else "") + f", fixed in {fixed}"
            )
    return Audit(service=service, checked=tuple(checked), skipped=tuple(skipped), vulnerabilities=tuple(vulnerabilities))


def audit_run(service: str, cache_dir: Path) -> Audit:
    """pip-audit of requirements.txt's pins against `service`; an Audit with `failure` when it could not ask."""
    command = [
        sys.executable, "-m", "pip_audit", "--requirement", str(REQUIREMENTS), "--no-deps", "--disable-pip",
        "--vulnerability-service", service, "--format", "json", "--progress-spinner", "off",
        "--timeout", str(REQUEST_TIMEOUT_S), "--cache-dir", str(cache_dir),
    ]
    try:
        run = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=RUN_TIMEOUT_S, env={**os.environ, "NO_COLOR": "1"})
    except subprocess.TimeoutExpired:
        return Audit(service=service, failure=f"no answer within {RUN_TIMEOUT_S} s")
    try:
        report = json.loads(run.stdout)
    except json.JSONDecodeError:  # it stopped before reporting: the service could not be reached
        last_line = (run.stderr.strip().splitlines() or [f"exit status {run.returncode}"])[-1]
        return Audit(service=service, failure=last_line[-300:])
    return audit_read(service, report)


def audit_verdict(audits: list[Audit]) -> tuple[str, str]:
    """("pass" | "skip" | "fail", the message) for the first audit that checked something, else a skip
    naming each service and why it checked nothing."""
    for audit in audits:
        if audit.checked_nothing:
            continue
        if audit.vulnerabilities:
            return "fail", (
                f"pip-audit ({audit.service}) found {len(audit.vulnerabilities)} known vulnerabilities in the pinned requirements:\n"
                + "\n".join(f"- {line}" for line in audit.vulnerabilities)
            )
        return "pass", f"pip-audit ({audit.service}): {len(audit.checked)} packages checked, {len(audit.skipped)} skipped, none vulnerable"
    reasons = []
    for audit in audits:
        if audit.failure:
            reasons.append(f"{audit.service}: unreachable ({audit.failure})")
        else:
            example = f"; e.g. {audit.skipped[0][1]}" if audit.skipped else ""
            reasons.append(f"{audit.service}: all {len(audit.skipped)} packages skipped, none audited{example}")
    return "skip", "Nothing was checked for vulnerabilities: no vulnerability service answered (" + " | ".join(reasons) + ")"


def test_the_pinned_requirements_have_no_known_vulnerabilities(tmp_path):
    pytest.importorskip("pip_audit", reason="pip-audit is not installed: pip install -r requirements.txt")
    audits = []
    for service in SERVICES:
        audits.append(audit_run(service, tmp_path / service))
        if not audits[-1].checked_nothing:
            break
    verdict, message = audit_verdict(audits)
    if verdict == "skip":
        pytest.skip(message)
    assert verdict == "pass", message


# The reading of pip-audit's report, on reports of the three kinds (as pip-audit 2.10 writes them).

ALL_SKIPPED = {"dependencies": [
    {"name": "django", "skip_reason": "Dependency not found on PyPI and could not be audited: django (5.2.19)"},
    {"name": "redis", "skip_reason": "Dependency not found on PyPI and could not be audited: redis (8.1.0)"},
], "fixes": []}
CLEAN = {"dependencies": [
    {"name": "django", "version": "5.2.19", "vulns": []},
    {"name": "private-package", "skip_reason": "Dependency not found on PyPI and could not be audited: private-package (1.0)"},
], "fixes": []}
VULNERABLE = {"dependencies": [
    {"name": "django", "version": "5.2.19", "vulns": []},
    {"name": "urllib3", "version": "2.8.0", "vulns": [
        {"id": "GHSA-xxxx-yyyy-zzzz", "fix_versions": ["2.8.1"], "aliases": ["CVE-2026-0001"], "description": "…"},
    ]},
], "fixes": []}


def test_a_report_that_checked_nothing_is_a_skip_that_says_so_never_a_pass():
    verdict, message = audit_verdict([audit_read("osv", ALL_SKIPPED), Audit(service="pypi", failure="Name or service not known")])
    assert verdict == "skip"
    assert message.startswith("Nothing was checked for vulnerabilities")
    assert "osv: all 2 packages skipped, none audited; e.g. Dependency not found on PyPI" in message
    assert "pypi: unreachable (Name or service not known)" in message
    assert "No known vulnerabilities" not in message


def test_a_report_that_checked_packages_passes_only_without_vulnerabilities():
    assert audit_verdict([Audit(service="osv", failure="timed out"), audit_read("pypi", CLEAN)]) == (
        "pass", "pip-audit (pypi): 1 packages checked, 1 skipped, none vulnerable",
    )
    verdict, message = audit_verdict([audit_read("osv", VULNERABLE)])
    assert verdict == "fail"
    assert "urllib3 2.8.0: GHSA-xxxx-yyyy-zzzz (CVE-2026-0001), fixed in 2.8.1" in message
