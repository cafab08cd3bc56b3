"""Alembic's entry point: runs the migrations on the engine that dangvien opened."""

from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import dangvien_cli.models  # noqa: F401  (registers the tables on SQLModel.metadata)

config = context.config
engine = config.attributes["engine"]

with engine.connect() as connection:
    context.configure(
        connection=connection,
        target_metadata=SQLModel.metadata,
        render_as_batch=True,  # SQLite alters tables by copying them
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()
    connection.commit()
