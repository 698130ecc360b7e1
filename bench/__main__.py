"""`python -m bench all|generator|train|batch|latency|http [--quick]`."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from rich.progress import Progress

from bench import readme, results
from bench.config import Config, make_config
from bench.progress import make_progress, say

BENCHES = ("generator", "train", "batch", "latency", "http")


def _runner(name: str) -> Callable[[Config, Progress], results.Section]:
    """Import a bench only when it runs (the model may not import while one is edited)."""
    if name == "generator":
        from bench.generator import run
    elif name == "train":
        from bench.training import run
    elif name == "batch":
        from bench.scoring import run_batch as run
    elif name == "latency":
        from bench.scoring import run_latency as run
    else:
        from bench.http_api import run
    return run


def parse(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("bench", choices=("all", *BENCHES, "readme"),
                        help="what to measure (`readme`: only rewrite the README table "
                        "from the results file)")
    parser.add_argument("--quick", action="store_true",
                        help="smoke sizes (a few minutes); results go to quick.json")
    parser.add_argument("--out", type=Path, default=None,
                        help="results file (default bench/results/latest.json, or "
                        "quick.json with --quick)")
    parser.add_argument("--readme", action=argparse.BooleanOptionalAction, default=None,
                        help="rewrite the README table (default: on for a full run)")
    parser.add_argument("--train-timeout", type=float, default=None,
                        help="seconds per training size before it is recorded as timed out")
    return parser.parse_args(argv)


def run_benches(names: tuple[str, ...], config: Config, out: Path) -> list[str]:
    """Run `names` in order, saving each section to `out`; the failures, one line each."""
    failed = []
    with make_progress() as progress:
        for name in names:
            try:
                section = _runner(name)(config, progress)
            except Exception as error:  # one broken bench must not lose the others
                progress.console.print_exception(max_frames=8)
                failed.append(f"{name}: {type(error).__name__}: {error}")
                continue
            results.save(out, section)
            for figure in section.figures:
                mark = {True: "[green]met[/]", False: "[red]missed[/]", None: ""}[figure.met]
                target = f" (target {figure.target}) {mark}" if figure.target else ""
                progress.console.print(f"  {figure.label}: [bold]{figure.display()}[/]"
                                       f"{target}")
            for note in section.notes:
                progress.console.print(f"  [dim]{note}[/]")
    return failed


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    config = make_config(args.quick, train_timeout=args.train_timeout)
    out = args.out or results.default_path(args.quick)
    if args.bench == "readme":
        readme.update(results.load(out))
        say(f"README table rewritten from {out}")
        return 0
    failed = run_benches(BENCHES if args.bench == "all" else (args.bench,), config, out)
    say(f"results: {out}")
    if args.readme if args.readme is not None else not args.quick:
        readme.update(results.load(out))
        say(f"README table: {readme.README}")
    for line in failed:
        say(f"[red]bench failed[/] {line}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
