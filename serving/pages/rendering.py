"""One Jinja2 environment for the review pages and the stand-alone report file.

Autoescape is on for every template, so narratives, reasons and notes are shown as
text, never run. Pages link the stylesheet (the CSP forbids inline styles); the report
file inlines it so it opens anywhere, offline.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

PAGES_DIR = Path(__file__).resolve().parent
STATIC_DIR = PAGES_DIR / "static"
STYLESHEET = STATIC_DIR / "audit.css"


@cache
def environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(PAGES_DIR / "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render(template: str, **context: Any) -> str:
    """The template rendered with every variable the base template reads defaulted."""
    base = {"session": None, "flash": None, "errors": [], "inline_css": None}
    return environment().get_template(template).render(**{**base, **context})


@cache
def stylesheet() -> str:
    return STYLESHEET.read_text(encoding="utf-8")
