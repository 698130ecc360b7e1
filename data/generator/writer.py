"""Write a history to CSV or Parquet in chunks, generating chunks in parallel.

Memory stays bounded: at most `2 * workers` chunks are in flight, and each is appended
to the file (CSV) or written as a row group (Parquet via `pyarrow.ParquetWriter`) as
soon as it is next in order. Chunks are seeded by index, so the file is identical for
any number of workers. For CSV the workers return finished bytes (`chunk_csv`), so the
parent process only writes them: it would otherwise format every row itself, on a
core the workers need.
"""

from __future__ import annotations

import os
from collections import deque
from collections.abc import Callable
from concurrent.futures import Executor, Future, ProcessPoolExecutor
from functools import partial
from pathlib import Path
from typing import BinaryIO

import pandas as pd

from data.errors import DataFileError
from data.generator.frame import chunk_csv, chunk_sizes, generate_chunk
from data.generator.mix import DEFAULT_LABEL_NOISE, validate_label_noise, validate_mix

SUFFIXES = (".csv", ".parquet", ".pq")
#: Below this many rows a process pool costs more than it saves.
PARALLEL_MIN_ROWS = 40_000


def _check_target(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in SUFFIXES:
        raise DataFileError(f"{path}: unsupported output type {suffix or '(none)'!r}; "
                            "use .csv or .parquet")
    if path.is_dir():
        raise DataFileError(f"{path}: is a directory; give a file name")
    path.parent.mkdir(parents=True, exist_ok=True)
    return "csv" if suffix == ".csv" else "parquet"


class _Sink:
    """Appends chunks to one file: CSV bytes as they come; Parquet row groups whose
    schema is fixed by the first chunk."""

    def __init__(self, path: Path, kind: str) -> None:
        self.path, self.kind = path, kind
        self.partial = path.with_name(path.name + ".partial")
        self.file: BinaryIO | None = None
        self.writer = None
        self.rows = 0

    def write(self, size: int, chunk: bytes | pd.DataFrame) -> None:
        if isinstance(chunk, bytes):
            if self.file is None:
                self.file = open(self.partial, "wb")  # noqa: SIM115 - closed in close()
            self.file.write(chunk)
        else:
            import pyarrow as pa
            import pyarrow.parquet as pq

            table = pa.Table.from_pandas(chunk, preserve_index=False)
            if self.writer is None:
                self.writer = pq.ParquetWriter(self.partial, table.schema,
                                               compression="zstd")
            self.writer.write_table(table)
        self.rows += size

    def _close_files(self) -> None:
        if self.file is not None:
            self.file.close()
        if self.writer is not None:
            self.writer.close()

    def close(self) -> None:
        self._close_files()
        os.replace(self.partial, self.path)

    def abort(self) -> None:
        self._close_files()
        self.partial.unlink(missing_ok=True)


def _make_chunk(kind: str, seed: int, index: int, size: int, mix: dict[str, float],
                label_noise: float, with_facts: bool) -> bytes | pd.DataFrame:
    """One chunk as the sink takes it: CSV bytes (the first with the header) or a frame."""
    if kind == "csv":
        return chunk_csv(seed, index, size, mix, label_noise, with_facts=with_facts,
                         header=index == 0)
    return generate_chunk(seed, index, size, mix, label_noise, with_facts=with_facts)


def default_workers() -> int:
    """One worker per available core."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:  # pragma: no cover - not Linux
        return max(1, os.cpu_count() or 1)


def write_history(path: Path | str, rows: int, seed: int = 0,
                  mix: dict[str, float] | None = None,
                  label_noise: float = DEFAULT_LABEL_NOISE, *, workers: int | None = None,
                  with_facts: bool = False) -> int:
    """Write `rows` synthetic calls to `path` (.csv or .parquet); return the row count.

    The file appears only when complete (written to `<name>.partial`, then renamed), so
    an interrupted run never leaves a truncated history behind.
    """
    path = Path(path)
    if rows < 1:
        raise DataFileError(f"--rows must be at least 1, got {rows}")
    kind = _check_target(path)
    mix = validate_mix(mix)
    label_noise = validate_label_noise(label_noise)
    workers = default_workers() if workers is None else max(1, workers)
    sink = _Sink(path, kind)
    plan = chunk_sizes(rows)
    make = partial(_make_chunk, kind, seed, mix=mix, label_noise=label_noise,
                   with_facts=with_facts)
    try:
        if workers == 1 or rows < PARALLEL_MIN_ROWS:
            for index, size in plan:
                sink.write(size, make(index, size))
        else:
            with ProcessPoolExecutor(max_workers=workers) as pool:
                _write_parallel(pool, sink, plan, make, workers)
    except BaseException:
        sink.abort()
        raise
    sink.close()
    return sink.rows


def _write_parallel(pool: Executor, sink: _Sink, plan: list[tuple[int, int]],
                    make: Callable[[int, int], bytes | pd.DataFrame], workers: int) -> None:
    pending: deque[tuple[int, Future]] = deque()
    todo = iter(plan)
    for index, size in todo:
        pending.append((size, pool.submit(make, index, size)))
        if len(pending) >= 2 * workers:
            break
    while pending:
        size, future = pending.popleft()
        sink.write(size, future.result())
        following = next(todo, None)
        if following is not None:
            pending.append((following[1], pool.submit(make, *following)))
