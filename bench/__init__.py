"""Benchmarks: `python -m bench all [--quick]` or one of its sub-commands.

Each sub-command measures one path (generator, train, batch, latency, http), states the
machine it ran on, and merges its section into `bench/results/latest.json` (full mode)
or `bench/results/quick.json` (`--quick`). A full run also rewrites the table between
the `bench:` markers in README.md. Nothing here is imported by the project itself.
"""
