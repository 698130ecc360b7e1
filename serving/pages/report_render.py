"""The program report as HTML: the `/audit/reports` page and the stand-alone file.

Both render the same template from the same `ProgramReport`, so the file the board gets
from `fifthbranch audit report` shows exactly the figures an auditor sees on screen.
The file inlines the stylesheet and the SVG charts and links nothing, so it opens
offline, from an e-mail attachment, years later.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from markupsafe import Markup

from data.schema import RESPONDERS
from serving.pages.charts import share_bars, stacked_time_chart
from serving.pages.rendering import render, stylesheet
from serving.reports import ProgramReport


def report_context(report: ProgramReport) -> dict[str, Any]:
    """Everything `reports.html` reads except the page/file specifics."""
    rules = [(row.rule_id, row.fired.share,
              f"{row.fired.percent()}, raised {row.raised.count}") for row in report.rules]
    return {"r": report, "period_from": report.start.date().isoformat(),
            "period_to": report.last_day.isoformat(), "responders": RESPONDERS,
            "time_svg": stacked_time_chart(report.over_time, width=840),
            "rules_svg": share_bars(rules, width=840)}


def render_report_file(report: ProgramReport, *, generated_at: datetime | None = None) -> str:
    """One self-contained HTML document: CSS inlined, charts inline, no links out."""
    moment = (generated_at or datetime.now(UTC)).strftime("%Y-%m-%d %H:%M UTC")
    css = stylesheet()
    if "</" in css:  # the stylesheet is ours; this guards the raw-text <style> element
        raise ValueError("the stylesheet must not contain '</'")
    return render("reports.html", **report_context(report), standalone=True,
                  generated_at=moment, inline_css=Markup(css))
