"""Alembic environment, configured in code (no alembic.ini at runtime).

The caller (db.migrate) hands over an open connection in `config.attributes["connection"]`, so
migrations run on the engine made by db.engine.make_engine, with its pragmas and BEGIN IMMEDIATE.
`render_as_batch=True`: SQLite cannot ALTER most things, batch mode recreates the table.
"""

from __future__ import annotations

from alembic import context

import db.models  # noqa: F401  (registers every table)
from db.base import Base
from db.migrate import render_item

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - alembic is only driven through db.migrate
    raise RuntimeError("db/migrations is driven through db.migrate with an open connection")

context.configure(
    connection=connection,
    target_metadata=Base.metadata,
    render_as_batch=True,
    compare_type=True,
    render_item=render_item,
)
with context.begin_transaction():
    context.run_migrations()
