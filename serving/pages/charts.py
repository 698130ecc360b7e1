"""Server-side SVG charts: no JavaScript, no charting library, safe under a strict CSP.

Every text that reaches the SVG (feature names come from call narratives) goes through
`markupsafe.escape`; colours are presentation attributes, not `style=`, so the pages'
Content-Security-Policy can forbid inline styles and scripts alike.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

from markupsafe import Markup, escape

from data.schema import RESPONDERS

RESPONDER_COLOURS = {"heart": "#2e7d32", "co_response": "#b26a00", "police": "#1f4e9c"}
TOWARD_COLOUR = "#2e6f9e"
AGAINST_COLOUR = "#b3261e"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def _number(value: float) -> str:
    return f"{value:.1f}"


def explanation_chart(contributions: Sequence[Mapping[str, Any]], *,
                      width: int = 640) -> Markup:
    """Horizontal bars of signed contributions around a zero line, largest first.

    A bar to the right pushed the model toward the class named in its label, one to
    the left pushed away from it.
    """
    items = sorted(contributions, key=lambda c: -abs(float(c["contribution"])))
    if not items:
        return Markup('<p class="muted">No explanation was recorded for this decision.</p>')
    row, label_width, pad = 24, 260, 50
    height = row * len(items) + 30
    plot = width - label_width - 2 * pad
    centre = label_width + pad + plot / 2
    peak = max(abs(float(c["contribution"])) for c in items) or 1.0
    scale = (plot / 2) / peak
    parts = [
        f'<svg class="chart explanation" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="Explanation: signed contribution of each feature">',
        f'<line x1="{_number(centre)}" y1="4" x2="{_number(centre)}" y2="{height - 22}" '
        f'stroke="#555" stroke-width="1"/>',
    ]
    for index, item in enumerate(items):
        value = float(item["contribution"])
        klass = item.get("class") or item.get("class_") or ""
        y = 6 + index * row
        length = abs(value) * scale
        x = centre if value >= 0 else centre - length
        colour = TOWARD_COLOUR if value >= 0 else AGAINST_COLOUR
        label = escape(f'{item["feature"]} → {klass}')
        text_x = centre + length + 4 if value >= 0 else centre - length - 4
        anchor = "start" if value >= 0 else "end"
        parts.append(
            f'<g class="bar"><title>{label}: {value:+.3f}</title>'
            f'<text x="{label_width - 4}" y="{y + 15}" text-anchor="end" {FONT}>{label}</text>'
            f'<rect x="{_number(x)}" y="{y + 3}" width="{_number(max(length, 1))}" '
            f'height="{row - 8}" fill="{colour}"/>'
            f'<text x="{_number(text_x)}" y="{y + 15}" text-anchor="{anchor}" {FONT}>'
            f'{value:+.2f}</text></g>'
        )
    parts.append(
        f'<text x="{_number(centre)}" y="{height - 6}" text-anchor="middle" {FONT}>'
        "← against the class · 0 · toward the class →</text></svg>"
    )
    return Markup("".join(parts))


def stacked_time_chart(over_time: Sequence[tuple[str, Mapping[str, int]]], *,
                       width: int = 720, height: int = 240) -> Markup:
    """Decisions per period bucket, stacked by recommendation, with a legend."""
    if not over_time:
        return Markup('<p class="muted">No periods to show.</p>')
    left, bottom, top = 40, 40, 24
    plot_w, plot_h = width - left - 10, height - bottom - top
    peak = max((sum(counts.values()) for _, counts in over_time), default=0) or 1
    slot = plot_w / len(over_time)
    bar_w = max(slot * 0.8, 1)
    parts = [
        f'<svg class="chart over-time" role="img" xmlns="http://www.w3.org/2000/svg" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="Decisions by recommendation over time">',
        f'<text x="4" y="{top + 4}" {FONT}>{peak}</text>',
        f'<text x="4" y="{top + plot_h}" {FONT}>0</text>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 10}" y2="{top + plot_h}" '
        f'stroke="#555"/>',
    ]
    # Label every n-th bucket so that labels (about 7 px a character) never overlap.
    widest = max(len(label.removeprefix("week of ")) for label, _ in over_time)
    label_every = max(1, math.ceil((widest * 7 + 8) / slot))
    for index, (label, counts) in enumerate(over_time):
        x = left + index * slot + (slot - bar_w) / 2
        base = top + plot_h
        for name in RESPONDERS:
            count = counts.get(name, 0)
            if not count:
                continue
            h = plot_h * count / peak
            base -= h
            parts.append(
                f'<rect x="{_number(x)}" y="{_number(base)}" width="{_number(bar_w)}" '
                f'height="{_number(h)}" fill="{RESPONDER_COLOURS[name]}">'
                f"<title>{escape(label)}: {count} {name}</title></rect>"
            )
        if index % label_every == 0:
            parts.append(f'<text x="{_number(x)}" y="{top + plot_h + 14}" {FONT}>'
                         f"{escape(label.removeprefix('week of '))}</text>")
    parts.append(_legend(left, height - 10))
    parts.append("</svg>")
    return Markup("".join(parts))


def _legend(x: float, y: float) -> str:
    items = []
    for name in RESPONDERS:
        items.append(f'<rect x="{_number(x)}" y="{_number(y - 10)}" width="10" height="10" '
                     f'fill="{RESPONDER_COLOURS[name]}"/>'
                     f'<text x="{_number(x + 14)}" y="{_number(y)}" {FONT}>{name}</text>')
        x += 110
    return "".join(items)


def share_bars(rows: Sequence[tuple[str, float | None, str]], *, width: int = 640) -> Markup:
    """One horizontal bar per `(label, share 0..1, caption)`: rates such as override by rule."""
    if not rows:
        return Markup('<p class="muted">Nothing to show for this period.</p>')
    row, label_width = 24, 220
    plot = width - label_width - 120
    height = row * len(rows) + 8
    parts = [f'<svg class="chart shares" role="img" xmlns="http://www.w3.org/2000/svg" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">']
    for index, (label, share, caption) in enumerate(rows):
        y = 4 + index * row
        length = plot * (share or 0.0)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" {FONT}>'
            f"{escape(label)}</text>"
            f'<rect x="{label_width}" y="{y + 3}" width="{plot}" height="{row - 8}" '
            f'fill="#e6e6e6"/>'
            f'<rect x="{label_width}" y="{y + 3}" width="{_number(length)}" '
            f'height="{row - 8}" fill="{TOWARD_COLOUR}"/>'
            f'<text x="{label_width + plot + 6}" y="{y + 15}" {FONT}>{escape(caption)}</text>'
        )
    parts.append("</svg>")
    return Markup("".join(parts))
