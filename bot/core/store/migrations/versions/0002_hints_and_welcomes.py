"""Hints asked on quiz posts, whether an answer used one, and who was welcomed in the bot's DM.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | Sequence[str] | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "quiz_hints",
        sa.Column("post_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("asked_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["post_id"], ["quiz_posts.id"], name="fk_quiz_hints_post_id_quiz_posts", ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("post_id", "user_id", name="pk_quiz_hints"),
    )
    with op.batch_alter_table("quiz_answers") as batch:
        batch.add_column(sa.Column("hint_used", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.create_table(
        "welcomed_users",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("welcomed_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_welcomed_users"),
    )


def downgrade() -> None:
    op.drop_table("welcomed_users")
    with op.batch_alter_table("quiz_answers") as batch:
        batch.drop_column("hint_used")
    op.drop_table("quiz_hints")
