"""The `fifthbranch` command as a user meets it: help, and one-line errors."""

from __future__ import annotations

import subprocess
import sys

CONTRACT_COMMANDS = ["generate", "train", "serve", "predict", "promote", "audit"]
AUDIT_COMMANDS = ["verify", "replay", "report", "export-labels"]


def run_cli(*args: str, **kwargs) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cli.app", *args], capture_output=True,
                          text=True, timeout=120, **kwargs)


def test_help_lists_every_contract_command() -> None:
    result = run_cli("--help")
    assert result.returncode == 0
    for command in CONTRACT_COMMANDS:
        assert command in result.stdout
    audit = run_cli("audit", "--help")
    for command in AUDIT_COMMANDS:
        assert command in audit.stdout


def test_usage_mistake_exits_non_zero_without_traceback() -> None:
    result = run_cli("generate", "--rows", "many")
    assert result.returncode == 2
    assert "Traceback" not in result.stderr + result.stdout
    assert "--rows" in result.stderr
