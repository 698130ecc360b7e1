"""`fifthbranch predict`: batch scoring of a file with the champion (rules applied).

The same `Recommender.decide_frame` that training evaluation uses decides every row, in
chunks with a progress bar. Rows that fail validation are never dropped silently: they
are counted, and written with their reason to `<out stem>.rejects.csv`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from data.settings import Settings
    from model.recommender import Recommender

CHUNK_ROWS = 50_000


def predict(
    data: Annotated[Path, typer.Option("--data", help="call records (.csv or .parquet)")],
    out: Annotated[Path, typer.Option("--out", help="decisions file (.csv or .parquet)")],
    model: Annotated[str, typer.Option(
        "--model", help="registry alias or version number to score with")] = "champion",
    rules_only: Annotated[bool, typer.Option(
        "--rules-only", help="decide with the rules alone (no model; heart by default)")] = False,
    workers: Annotated[int, typer.Option(
        "--workers", min=0, help="processes for validating and deciding (0: every core); "
        "the decisions do not depend on it")] = 0,
) -> None:
    """Score a file of call records offline with the champion (rules applied)."""
    import pandas as pd
    from rich.progress import Progress

    from data.errors import DataFileError
    from data.loaders import load_calls, write_rejects
    from data.settings import get_settings

    suffix = out.suffix.lower()
    if suffix not in (".csv", ".parquet", ".pq"):
        raise DataFileError(f"{out}: unsupported output type {suffix or '(none)'!r}; "
                            "use .csv or .parquet")
    loaded = load_calls(data, workers=workers or None)
    typer.echo(loaded.summary(), err=True)
    rejects = write_rejects(loaded, out)
    if rejects is not None:
        typer.echo(f"{len(loaded.rejects)} rejected row(s) written to {rejects}", err=True)
    recommender = _recommender(get_settings(), model, rules_only)
    frame = loaded.frame
    parts = []
    with Progress(transient=True) as progress:
        task = progress.add_task("deciding", total=len(frame))
        for start in range(0, len(frame), CHUNK_ROWS):
            parts.append(recommender.decide_frame(frame.iloc[start:start + CHUNK_ROWS],
                                                  workers=workers or None))
            progress.advance(task, min(CHUNK_ROWS, len(frame) - start))
    decisions = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["call_id", "recommendation"])
    decisions["model_version"] = recommender.model_version
    decisions["rules_version"] = recommender.rules_version
    out.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        decisions.to_csv(out, index=False)
    else:
        decisions.to_parquet(out, index=False)
    shares = decisions["recommendation"].value_counts().to_dict() if len(decisions) else {}
    typer.echo(f"wrote {len(decisions)} decisions to {out} "
               f"(model version {recommender.model_version or 'none: rules only'}; "
               f"{', '.join(f'{k} {v}' for k, v in shares.items())})")


def _recommender(settings: Settings, ref: str, rules_only: bool) -> Recommender:
    from model.recommender import Recommender

    if rules_only:
        return Recommender.rules_only("requested with --rules-only")
    from model.registry import load_registered

    return load_registered(settings, ref)
