"""Proof under pressure: load, process kills, database outages, broken models, full disks.

The helpers here (a live `fifthbranch serve`, an async load generator, a TCP proxy that
can cut the database off, audit-log checks) are shared by the pytest fault tests and by
the manual scripts (`python -m tests.faults.load`, `python -m tests.faults.pg_stop`).
"""
