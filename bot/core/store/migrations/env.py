"""Alembic environment: runs on the connection that ``bot.core.store.migrate.upgrade`` passes in.

The revisions say what to create with `op.*`; no metadata is needed to run them.
"""

from alembic import context

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through bot.core.store.migrate.upgrade(engine)")

context.configure(connection=connection, render_as_batch=connection.dialect.name == "sqlite")
with context.begin_transaction():
    context.run_migrations()
