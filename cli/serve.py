"""`fifthbranch serve`: the HTTP API with the champion model (issue #6).

Checks run here, before uvicorn starts, so that a refusal is one line and exit status 2
instead of a worker's traceback: keys are well formed, no keys means loopback only, and
the registry answers (or a cached champion exists). The champion is then loaded again
by each worker (`serving.app:app_factory`), from the local cache the check filled.

Shutdown is uvicorn's graceful one: on SIGTERM or Ctrl-C it stops accepting, lets
in-flight requests finish (at most `GRACE_SECONDS`), then the app drains the audit
spool and closes the database.
"""

from __future__ import annotations

import logging
import os
import secrets
from typing import Annotated, Any

import typer

GRACE_SECONDS = 30


def serve(
    host: Annotated[str, typer.Option("--host", help="address to bind")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=1, max=65535, help="port to bind")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, help="worker processes")] = 1,
    reload_interval: Annotated[float, typer.Option(
        "--reload-interval", min=0, help="seconds between checks for a new champion "
        "(0: only on POST /v1/admin/reload)")] = 0.0,
) -> None:
    """Serve the HTTP API and the review pages with the `champion` model."""
    from data.settings import get_settings
    from serving.app import RELOAD_INTERVAL_ENV
    from serving.auth import check_bind, parse_api_keys
    from serving.pages.session import SECRET_ENV

    settings = get_settings()
    check_bind(parse_api_keys(settings.api_keys), host)
    _check_model(settings)
    os.environ[RELOAD_INTERVAL_ENV] = str(reload_interval)
    if workers > 1 and not os.environ.get(SECRET_ENV):
        # Every worker must sign review-page sessions with the same secret.
        os.environ[SECRET_ENV] = secrets.token_urlsafe(32)
        typer.echo(f"{SECRET_ENV} is not set: review-page sessions end when the server "
                   "restarts", err=True)

    import uvicorn

    uvicorn.run("serving.app:app_factory", factory=True, host=host, port=port,
                workers=workers, timeout_graceful_shutdown=GRACE_SECONDS,
                access_log=False, server_header=False, log_config=log_config())


def _check_model(settings: Any) -> None:
    """Fail fast when the registry is unreachable and no champion is cached."""
    from data.errors import ConfigurationError
    from serving.lifecycle import ModelHolder, registry_loader, unavailable_errors

    unavailable = unavailable_errors()
    logging.getLogger("fifthbranch").setLevel(logging.ERROR)  # the workers say it again
    try:
        ModelHolder(registry_loader(settings)).load_initial()
    except unavailable as error:
        raise ConfigurationError(f"cannot start: {error}") from None
    finally:
        logging.getLogger("fifthbranch").setLevel(logging.NOTSET)


def log_config() -> dict[str, Any]:
    """uvicorn's logging plus the project's loggers at INFO on the same console."""
    from uvicorn.config import LOGGING_CONFIG

    config: dict[str, Any] = {**LOGGING_CONFIG, "loggers": dict(LOGGING_CONFIG["loggers"])}
    config["loggers"]["fifthbranch"] = {"handlers": ["default"], "level": "INFO",
                                        "propagate": False}
    return config
