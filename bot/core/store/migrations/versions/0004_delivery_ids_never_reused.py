"""Learning-path delivery ids are never handed out again on SQLite (AUTOINCREMENT), so the buttons of a
forgotten learner's old DMs can never point at a new delivery. PostgreSQL's sequence never reused them.

SQLite adds AUTOINCREMENT only to a new table. Dropping the old one would first delete its rows, and with
foreign keys on (they cannot be turned off inside the migration's transaction) that delete would cascade to
the reviews and hints; so those two are set aside, dropped, and rebuilt from their own stored DDL after.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-08
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004"
down_revision: str | Sequence[str] | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHILDREN = ("learn_reviews", "learn_hints")
"""The tables whose rows point at a delivery (and cascade with it)."""


def upgrade() -> None:
    connection = op.get_bind()
    if connection.dialect.name != "sqlite":
        return
    schema = {
        table: connection.exec_driver_sql(
            "SELECT sql FROM sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'",
            (table,),
        )
        .scalars()
        .all()
        for table in CHILDREN
    }
    for table in CHILDREN:
        connection.exec_driver_sql(f"CREATE TABLE _kept_{table} AS SELECT * FROM {table}")
        connection.exec_driver_sql(f"DROP TABLE {table}")
    with op.batch_alter_table(
        "learn_deliveries", recreate="always", table_kwargs={"sqlite_autoincrement": True}
    ):
        pass  # the table is rebuilt as the models declare it; its rows keep their ids
    for table in CHILDREN:
        for statement in schema[table]:
            connection.exec_driver_sql(statement)
        connection.exec_driver_sql(f"INSERT INTO {table} SELECT * FROM _kept_{table}")
        connection.exec_driver_sql(f"DROP TABLE _kept_{table}")


def downgrade() -> None:
    """Nothing to undo: ids that are never reused break nothing that came before."""
