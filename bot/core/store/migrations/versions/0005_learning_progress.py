"""Learning-path progress that moves from the first week: when each question's current run of right answers
began, when an answer made its topic learned (so it stays learned), and each learner's streak of answered
days. Cards answered right last time start their run at that answer.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | Sequence[str] | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("learn_cards") as batch:
        batch.add_column(sa.Column("right_since", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("learned_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("learn_learners") as batch:
        batch.add_column(sa.Column("streak", sa.Integer(), nullable=False, server_default="0"))
    op.execute("UPDATE learn_cards SET right_since = last_review WHERE last_correct")


def downgrade() -> None:
    with op.batch_alter_table("learn_learners") as batch:
        batch.drop_column("streak")
    with op.batch_alter_table("learn_cards") as batch:
        batch.drop_column("learned_at")
        batch.drop_column("right_since")
