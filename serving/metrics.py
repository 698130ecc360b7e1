"""Prometheus metrics: requests, latency, recommendations, overrides, degraded state, spool.

Each app has its own registry (tests build many apps in one process). With several
workers, `fifthbranch serve` sets `PROMETHEUS_MULTIPROC_DIR` and `/metrics` then sums
every worker's figures through prometheus_client's multiprocess collector.
"""

from __future__ import annotations

import os

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# `*_created` series double the exposition for no use here.
disable_created_metrics()

#: Latency buckets in seconds, dense where the targets are (5 ms median, 25 ms p99).
LATENCY_BUCKETS = (0.001, 0.002, 0.003, 0.005, 0.0075, 0.01, 0.015, 0.025, 0.05, 0.1,
                   0.25, 0.5, 1.0, 2.5, 10.0)


class Metrics:
    """The service's metrics in one registry."""

    content_type = CONTENT_TYPE_LATEST

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        r = self.registry
        self.requests = Counter("fifthbranch_http_requests_total", "HTTP requests answered",
                                ["method", "route", "status"], registry=r)
        self.latency = Histogram("fifthbranch_http_request_duration_seconds",
                                 "time to answer a request", ["route"],
                                 buckets=LATENCY_BUCKETS, registry=r)
        self.recommendations = Counter("fifthbranch_recommendations_total",
                                       "decisions returned, by final recommendation",
                                       ["recommendation"], registry=r)
        self.overrides = Counter("fifthbranch_rule_fired_total",
                                 "rules that fired on returned decisions", ["rule_id"],
                                 registry=r)
        self.raised = Counter("fifthbranch_overrides_total",
                              "decisions whose rules raised the model's answer, by rule",
                              ["rule_id"], registry=r)
        self.rate_limited = Counter("fifthbranch_rate_limited_total",
                                    "requests refused with 429 (key over its rate limit)",
                                    ["role"], registry=r)
        self.degraded = Gauge("fifthbranch_degraded",
                              "1 when answering with rules only (no model)",
                              registry=r, multiprocess_mode="max")
        self.audit_up = Gauge("fifthbranch_audit_store_up",
                              "1 when the audit database takes writes",
                              registry=r, multiprocess_mode="min")
        self.spool_depth = Gauge("fifthbranch_audit_spool_depth",
                                 "decisions waiting in the local spool",
                                 registry=r, multiprocess_mode="max")
        self.model_info = Gauge("fifthbranch_model_info", "the serving model (value 1)",
                                ["name", "version", "rules_version"], registry=r,
                                multiprocess_mode="max")

    def render(self) -> bytes:
        """The exposition text; summed over workers in multiprocess mode."""
        if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
            from prometheus_client import multiprocess

            registry = CollectorRegistry()
            multiprocess.MultiProcessCollector(registry)
            return generate_latest(registry)
        return generate_latest(self.registry)
