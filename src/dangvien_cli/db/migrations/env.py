"""Alembic's entry point: runs the migrations on the engine that dangvien opened."""

from __future__ import annotations

from alembic import context
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

import dangvien_cli.db.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes["engine"]
# dangvien's db.upgrade hands over its own connection, already in the write transaction it
# checked the revision in: the migration runs inside it, and db.upgrade commits.
given = config.attributes.get("connection")


def run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if given is not None:
    run(given)
else:
    with engine.connect() as connection:
        run(connection)
        connection.commit()
