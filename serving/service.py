"""Everything a request needs, built once per process: keys, model, audit log, metrics."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from data.settings import Settings
from serving.audit.durable import DurableAudit
from serving.auth import ApiKeys
from serving.lifecycle import ModelHolder
from serving.metrics import Metrics
from serving.ratelimit import RateLimiter


@dataclass
class Service:
    """The app's state (`app.state.service`); routes reach it through `dependencies`."""

    settings: Settings
    keys: ApiKeys
    holder: ModelHolder
    audit: DurableAudit
    metrics: Metrics
    #: `(settings, ref) -> Recommender` for replays; None means the MLflow registry.
    replay_loader: Callable[[Any, str], Any] | None = None
    #: Token buckets per API key (`FIFTHBRANCH_RATE_LIMIT`); unlimited by default here.
    limiter: RateLimiter = field(default_factory=lambda: RateLimiter(None))

    def refresh_gauges(self) -> None:
        """Set the state gauges from the live state (called before /metrics renders)."""
        serving = self.holder.current
        health = self.audit.health()
        self.metrics.degraded.set(1 if serving is None or serving.degraded else 0)
        self.metrics.audit_up.set(1 if health.store_up else 0)
        self.metrics.spool_depth.set(max(health.spool_depth, 0))
        if serving is not None:
            name, version, _ = serving.identity
            self.metrics.model_info.clear()
            self.metrics.model_info.labels(name or "", version or "",
                                           serving.recommender.rules_version).set(1)
