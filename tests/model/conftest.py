"""Fixtures for the model tests: the shipped rules, loaded once."""

from __future__ import annotations

import pytest

from model.rules import RuleSet


@pytest.fixture(scope="session")
def ruleset() -> RuleSet:
    """The rules file shipped in the package (compiling it takes a second or two)."""
    return RuleSet.load()
