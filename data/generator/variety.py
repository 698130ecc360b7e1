"""How varied a set of narratives is: distinct texts and the share of the commonest frame.

A "sentence frame" is a sentence reduced to its first five words, lower-cased, with
digits and punctuation removed (one-word fragments such as "NFI" are markers and not
counted): close enough to catch a template ("rp states subj is
...") whatever its slot fillers. The figure reported is the share of narratives that
contain the commonest frame at least once.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass

_SENTENCE_SPLIT = re.compile(r"[.;!?\n]+|\s[-/]\s|\*\*|,\s")
_NOT_WORD = re.compile(r"[^a-z ]+")
FRAME_WORDS = 5


@dataclass(frozen=True)
class VarietyReport:
    rows: int
    distinct_share: float
    top_frame: str
    top_frame_share: float

    def __str__(self) -> str:
        return (f"{self.rows} narratives: {self.distinct_share:.1%} distinct; commonest "
                f"sentence frame {self.top_frame!r} in {self.top_frame_share:.2%} of rows")


def frames_of(narrative: str) -> set[str]:
    """The sentence frames of one narrative."""
    frames = set()
    for sentence in _SENTENCE_SPLIT.split(narrative.lower()):
        words = _NOT_WORD.sub(" ", sentence).split()
        if len(words) > 1:  # a lone "update" or "nfi" is a marker, not a frame
            frames.add(" ".join(words[:FRAME_WORDS]))
    return frames


def variety_report(narratives: Iterable[str]) -> VarietyReport:
    """Distinct share and the commonest frame's row share over `narratives`."""
    texts = list(narratives)
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(frames_of(text))
    frame, count = counts.most_common(1)[0] if counts else ("", 0)
    rows = len(texts)
    return VarietyReport(rows=rows, distinct_share=len(set(texts)) / max(rows, 1),
                         top_frame=frame, top_frame_share=count / max(rows, 1))
