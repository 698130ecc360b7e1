"""Alembic environment for the audit log, run programmatically by `AuditStore.migrate()`.

The store passes its open connection in `config.attributes["connection"]`, so the
migration runs inside the store's transaction (and under its lock); run from the
`alembic` command line instead, it connects to `sqlalchemy.url` or `FIFTHBRANCH_DB_URL`.
"""

from __future__ import annotations

from alembic import context
from sqlalchemy import create_engine

from serving.audit.models import metadata

config = context.config


def _run(connection) -> None:  # type: ignore[no-untyped-def]
    context.configure(connection=connection, target_metadata=metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = config.attributes.get("connection")
if connection is not None:
    _run(connection)
else:
    from data.settings import get_settings

    url = config.get_main_option("sqlalchemy.url") or get_settings().db_url
    with create_engine(url).begin() as own:
        _run(own)
