"""`python -m tests.security.audit_dependencies`: pip-audit for `make test`, offline-tolerant.

pip-audit asks PyPI's advisory API about every installed package (the project itself,
installed editable, is skipped). A known vulnerability fails the run, listing the
package, the advisory and the fixed versions. When PyPI cannot be reached, or answers
for no package (a mirror without the per-version JSON API), the audit did not happen:
this says so plainly and does not fail, because a test run must not depend on the
network; it never claims "no known vulnerabilities" for packages it could not check.

Extra pip-audit arguments pass through, e.g. `--ignore-vuln GHSA-xxxx` for an advisory
that was assessed and accepted (write down why in SECURITY.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

TIMEOUT = 600


def audit(extra: list[str]) -> tuple[int, str]:
    """(exit status for make, report text)."""
    pip_audit = Path(sys.executable).with_name("pip-audit")
    command = [str(pip_audit), "--format", "json", "--progress-spinner", "off",
               "--skip-editable", *extra]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except FileNotFoundError:
        return 1, f"pip-audit: {pip_audit} is missing; install the dev extra (make install-dev)"
    except subprocess.TimeoutExpired:
        return 0, f"pip-audit: no answer from PyPI in {TIMEOUT} s; dependency audit SKIPPED"
    try:
        report: dict[str, Any] = json.loads(done.stdout)
    except ValueError:
        last = (done.stderr.strip().splitlines() or ["(no output)"])[-1][:300]
        return 0, (f"pip-audit: PyPI's advisory API could not be reached ({last}); "
                   "dependency audit SKIPPED, not failed")
    dependencies = report.get("dependencies", [])
    vulnerable = [d for d in dependencies if d.get("vulns")]
    skipped = [d for d in dependencies if d.get("skip_reason")]
    audited = len(dependencies) - len(skipped)
    lines = [f"pip-audit: {audited} packages audited against PyPI's advisory API, "
             f"{len(vulnerable)} with known vulnerabilities, {len(skipped)} not auditable"]
    for dependency in vulnerable:
        for vuln in dependency["vulns"]:
            fixes = ", ".join(vuln.get("fix_versions") or []) or "no fixed version yet"
            lines.append(f"  {dependency['name']} {dependency.get('version', '?')}: "
                         f"{vuln.get('id')} (fixed in {fixes})")
    if vulnerable:
        return 1, "\n".join(lines)
    if audited == 0 and skipped:
        lines.append("pip-audit: PyPI answered for no package here (offline, or an index "
                     "without the per-version JSON API); dependency audit SKIPPED, not failed")
    elif skipped:
        lines.append("  not auditable: " + ", ".join(d["name"] for d in skipped[:20])
                     + (" ..." if len(skipped) > 20 else ""))
    return 0, "\n".join(lines)


def main() -> int:
    status, text = audit(sys.argv[1:])
    print(text, flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
