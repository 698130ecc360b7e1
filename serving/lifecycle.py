"""The serving model: load the champion, swap it atomically, degrade to rules only.

`ModelHolder.current` is one attribute holding an immutable `Serving` snapshot; a
request reads it once and decides with that snapshot, so a reload (one reference
assignment) never changes a request half-way: in-flight requests finish on the old
model, the next ones get the new one.

At start: a registry that cannot be reached with no cached copy is fatal (the caller
fails fast with the registry's message); no champion at all, or a model that cannot be
loaded, starts the service with rules only (`degraded: true`) and says so loudly.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from data.errors import FifthBranchError
from data.settings import Settings

log = logging.getLogger("fifthbranch.serving")

ALIAS = "champion"

Loader = Callable[[], Any]


class ReloadError(FifthBranchError):
    """A reload that could not load a model; the serving model is unchanged."""


@dataclass(frozen=True)
class Serving:
    """One model as served: the Recommender plus where it came from."""

    recommender: Any
    alias: str | None
    degraded_reason: str | None = None
    loaded_at: datetime = field(default_factory=lambda: datetime.now(UTC))

    @property
    def degraded(self) -> bool:
        return self.degraded_reason is not None

    @property
    def identity(self) -> tuple[str | None, str | None, str | None]:
        r = self.recommender
        return (getattr(r, "model_name", None), getattr(r, "model_version", None),
                getattr(r, "run_id", None))

    def describe(self) -> dict[str, Any]:
        name, version, run_id = self.identity
        return {"name": name, "version": version, "alias": self.alias, "run_id": run_id,
                "rules_version": self.recommender.rules_version, "degraded": self.degraded,
                "degraded_reason": self.degraded_reason,
                "loaded_at": self.loaded_at.isoformat()}


def registry_loader(settings: Settings) -> Loader:
    """Load the registry's champion (MLflow is imported only when this runs)."""

    def load() -> Any:
        from model.registry import load_registered

        return load_registered(settings, ref=ALIAS)

    return load


def _no_model_errors() -> tuple[type[BaseException], ...]:
    """Errors meaning "there is no usable model" (degrade) rather than "registry down"."""
    try:
        from model import registry
    except ImportError:
        return ()
    names = ("NoChampionError", "ModelArtifactError", "IncompatibleModelError")
    return tuple(getattr(registry, name) for name in names if hasattr(registry, name))


def unavailable_errors() -> tuple[type[BaseException], ...]:
    """Errors meaning "the registry cannot be reached and nothing is cached" (fatal)."""
    try:
        from model.registry import RegistryUnavailableError
    except ImportError:
        return ()
    return (RegistryUnavailableError,)


def rules_only(reason: str) -> Any:
    from model.recommender import Recommender

    return Recommender.rules_only(reason)


class ModelHolder:
    """Holds the serving model; `load_initial`, `reload` and `poll` swap it atomically."""

    def __init__(self, loader: Loader, *, fallback: Callable[[str], Any] = rules_only) -> None:
        self._loader = loader
        self._fallback = fallback
        self._reload_lock = threading.Lock()
        self.current: Serving | None = None

    def load_initial(self) -> Serving:
        """Load the champion, or rules only when there is none; registry down is fatal."""
        try:
            recommender = self._loader()
        except unavailable_errors():
            raise
        except (*_no_model_errors(), ImportError) as error:
            reason = f"no model: {error}"
            log.warning("!" * 72)
            log.warning("DEGRADED: serving with RULES ONLY (%s)", reason)
            log.warning("!" * 72)
            self.current = Serving(self._fallback(reason), None, reason)
            return self.current
        self.current = Serving(recommender, ALIAS)
        log.info("serving model %s version %s (run %s)", *self.current.identity)
        return self.current

    def reload(self) -> tuple[Serving | None, Serving]:
        """Load the champion now and swap it in; (previous, current).

        A failure leaves the serving model in place and raises `ReloadError`.
        """
        with self._reload_lock:
            try:
                recommender = self._loader()
            except Exception as error:
                raise ReloadError(f"reload failed, still serving the previous model: "
                                  f"{error}") from error
            previous = self.current
            self.current = Serving(recommender, ALIAS)
        log.info("reloaded: now serving %s version %s (run %s)", *self.current.identity)
        return previous, self.current

    def poll(self) -> bool:
        """Swap in the champion if it differs from the serving model; True if swapped."""
        try:
            candidate = self._loader()
        except Exception as error:  # polling must never take the service down
            log.warning("champion poll failed (still serving the previous model): %s", error)
            return False
        with self._reload_lock:
            current = self.current
            fresh = Serving(candidate, ALIAS)
            if current is not None and not current.degraded and (
                    current.identity == fresh.identity
                    and current.recommender.rules_version == candidate.rules_version):
                return False
            self.current = fresh
        log.info("champion changed: now serving %s version %s (run %s)", *fresh.identity)
        return True
