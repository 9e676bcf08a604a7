"""Each channel's quiz chooses when its answer is revealed, whether wrong pickers learn the right letter only
from the reveal, and whether a leaderboard is posted weekly; a post keeps the reveal choice it went out with.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-07
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | Sequence[str] | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN on both databases: rebuilding quiz_posts on SQLite would cascade to its answers.
    op.add_column("schedules", sa.Column("reveal_after", sa.String(16), nullable=True))
    op.add_column("schedules", _flag("answer_at_reveal"))
    op.add_column("schedules", _flag("weekly_leaderboard"))
    op.add_column("quiz_posts", _flag("answer_at_reveal"))


def downgrade() -> None:
    op.drop_column("quiz_posts", "answer_at_reveal")
    for column in ("weekly_leaderboard", "answer_at_reveal", "reveal_after"):
        op.drop_column("schedules", column)


def _flag(name: str) -> sa.Column:
    return sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false())
