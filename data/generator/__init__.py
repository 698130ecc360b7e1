"""The synthetic call history (issue #3): compositional calls labelled by the policy.

`generate_frame(rows, seed, mix, label_noise)` returns a DataFrame in the file layout
plus `responder`, `style` (`cad`, `plain`, `rambling`), `scenario` and `label_noised`;
`write_history(path, rows, seed, ...)` streams the same rows to CSV or Parquet.
Note: read the style column as `frame["style"]` (`frame.style` is pandas' Styler).
"""

from data.generator.frame import CHUNK_ROWS, EXTRA_COLUMNS, generate_frame
from data.generator.mix import (
    DEFAULT_LABEL_NOISE,
    DEFAULT_MIX,
    MixError,
    parse_mix,
    validate_mix,
)
from data.generator.styles import STYLES
from data.generator.variety import variety_report
from data.generator.writer import write_history

__all__ = [
    "CHUNK_ROWS",
    "DEFAULT_LABEL_NOISE",
    "DEFAULT_MIX",
    "EXTRA_COLUMNS",
    "STYLES",
    "MixError",
    "generate_frame",
    "parse_mix",
    "validate_mix",
    "variety_report",
    "write_history",
]
