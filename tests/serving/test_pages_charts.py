"""Server-side SVG charts: geometry that follows the numbers, and text that stays text."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from serving.pages.charts import explanation_chart, share_bars, stacked_time_chart

SVG = "{http://www.w3.org/2000/svg}"


def bars(svg: str) -> list[ET.Element]:
    return [g.find(f"{SVG}rect") for g in ET.fromstring(svg).iter(f"{SVG}g")]


def test_explanation_bars_point_the_way_of_their_sign_and_scale_with_size() -> None:
    svg = str(explanation_chart([
        {"feature": 'narrative: "sleeping"', "contribution": 1.5, "class": "heart"},
        {"feature": "q_weapons=yes", "contribution": -0.5, "class": "heart"},
    ]))
    root = ET.fromstring(svg)  # well-formed XML
    assert root.tag == f"{SVG}svg"
    axis = float(root.find(f"{SVG}line").get("x1"))
    big, small = bars(svg)
    assert float(big.get("x")) == axis  # positive: starts at zero, goes right
    assert abs(float(small.get("x")) + float(small.get("width")) - axis) < 0.2  # ends at zero
    assert abs(float(big.get("width")) - 3 * float(small.get("width"))) < 0.2
    assert big.get("fill") != small.get("fill")


def test_feature_text_from_a_narrative_is_escaped() -> None:
    svg = str(explanation_chart([{"feature": 'narrative: "<script>alert(1)</script>"',
                                  "contribution": 0.3, "class": "police"}]))
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    ET.fromstring(svg)


def test_empty_explanation_says_so() -> None:
    assert "No explanation" in str(explanation_chart([]))


def test_stacked_time_chart_has_one_rect_per_non_empty_series() -> None:
    svg = str(stacked_time_chart([("2026-11-01", {"heart": 2, "co_response": 0, "police": 1}),
                                  ("2026-11-02", {"heart": 0, "co_response": 0, "police": 0})]))
    root = ET.fromstring(svg)
    titles = [t.text for t in root.iter(f"{SVG}title")]
    assert titles == ["2026-11-01: 2 heart", "2026-11-01: 1 police"]


def test_share_bars_length_is_proportional() -> None:
    svg = str(share_bars([("a", 0.5, "50%"), ("<b>", 1.0, "100%")]))
    root = ET.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter(f"{SVG}rect")]
    track, half, _, full = widths
    assert half == track / 2 and full == track
    assert re.search(r"&lt;b&gt;", svg)
