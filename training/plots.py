"""The PNG plots a person looks at: confusion matrices and calibration curves.

Built on `matplotlib.figure.Figure` with the Agg canvas directly, never `pyplot`, so no
global backend or figure registry is touched (safe in a server, a test run or a thread).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from sklearn.calibration import calibration_curve

from data.schema import RESPONDERS
from training.metrics import top_label

CLASS_COLOURS = {"heart": "#2a9d8f", "co_response": "#e9c46a", "police": "#264653"}


def _save(figure: Figure, path: Path) -> Path:
    FigureCanvasAgg(figure)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110, bbox_inches="tight")
    return path


def confusion_matrices(matrices: Mapping[str, np.ndarray], path: Path) -> Path:
    """One panel per decider (e.g. model, final, baseline); unsafe cells outlined in red.

    Cells show counts and the share of the true class; the cells below the diagonal are
    under-triage (sent less than needed), outlined so the safety error stands out.
    """
    figure = Figure(figsize=(4.2 * len(matrices), 4.0))
    axes = figure.subplots(1, len(matrices), squeeze=False)[0]
    n = len(RESPONDERS)
    for axis, (title, matrix) in zip(axes, matrices.items(), strict=True):
        totals = matrix.sum(axis=1, keepdims=True)
        shares = np.divide(matrix, totals, out=np.zeros(matrix.shape, dtype=float),
                           where=totals > 0)
        axis.imshow(shares, cmap="Blues", vmin=0.0, vmax=1.0)
        for row in range(n):
            for column in range(n):
                colour = "white" if shares[row, column] > 0.6 else "black"
                axis.text(column, row, f"{matrix[row, column]}\n{shares[row, column]:.0%}",
                          ha="center", va="center", fontsize=9, color=colour)
                if column < row:
                    axis.add_patch(Rectangle((column - 0.5, row - 0.5), 1, 1, fill=False,
                                             edgecolor="#d62828", linewidth=2))
        axis.set_xticks(range(n), RESPONDERS, rotation=20)
        axis.set_yticks(range(n), RESPONDERS)
        axis.set_xlabel("decided")
        axis.set_ylabel("true responder")
        axis.set_title(title)
    figure.suptitle("Confusion matrices (red outline: under-triage)")
    return _save(figure, path)


def calibration_plot(y_true: np.ndarray, proba: np.ndarray, path: Path,
                     n_bins: int = 10) -> Path:
    """Reliability curves: each class one-vs-rest, and the top-label confidence."""
    figure = Figure(figsize=(10, 4.2))
    per_class, top = figure.subplots(1, 2)
    for axis in (per_class, top):
        axis.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1)
        axis.set_xlim(0, 1)
        axis.set_ylim(0, 1)
        axis.set_xlabel("predicted probability")
        axis.set_ylabel("observed frequency")
    for index, label in enumerate(RESPONDERS):
        is_label = (np.asarray(y_true) == label).astype(int)
        if is_label.min() == is_label.max():
            continue  # one-vs-rest curve undefined when the class is absent or everything
        observed, predicted = calibration_curve(is_label, proba[:, index], n_bins=n_bins)
        per_class.plot(predicted, observed, marker="o", label=label,
                       color=CLASS_COLOURS[label])
    per_class.legend(loc="upper left")
    per_class.set_title("per class (one vs rest)")
    confidence, hits = top_label(y_true, proba)
    if hits.min() != hits.max():
        observed, predicted = calibration_curve(hits, confidence, n_bins=n_bins)
        top.plot(predicted, observed, marker="o", color="#e76f51")
    top.hist(confidence, bins=n_bins, range=(0, 1), alpha=0.25, color="#e76f51",
             weights=np.full(len(confidence), 1.0 / max(len(confidence), 1)))
    top.set_title("top-label confidence (bars: share of calls)")
    figure.suptitle("Calibration of the model's probabilities")
    return _save(figure, path)
