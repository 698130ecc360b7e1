"""A real saved model for the live servers: trained on a generated history, saved once.

The fault tests use the session's `trained_recommender`; the manual scripts call
`train_model_dir` (a few seconds for 3,000 rows).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any


def save_model(recommender: Any, target: Path) -> Path:
    """`recommender` saved as the registry would store it; the folder."""
    recommender.save(target)
    return target


def train_model_dir(target: Path, rows: int = 3000, seed: int = 23) -> Path:
    """Train a Recommender on a generated, validated history and save it to `target`."""
    from data.generator import generate_frame
    from data.loaders import validate_frame
    from model.recommender import Recommender

    frame = validate_frame(generate_frame(rows, seed=seed), require_label=True).frame
    return save_model(Recommender.fit(frame, frame["responder"], random_state=0), target)
