"""The new-hire learning path: learners, their FSRS cards, the DMs sent, every review, hints asked.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | Sequence[str] | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "learn_learners",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("reason", sa.String(200), nullable=True),
        sa.Column("timezone", sa.String(64), nullable=False),
        sa.Column("tz_checked_at", WHEN, nullable=True),
        sa.Column("dm_channel", sa.String(64), nullable=True),
        sa.Column("enrolled_by", sa.String(64), nullable=False),
        sa.Column("enrolled_at", WHEN, nullable=False),
        sa.Column("next_due_at", WHEN, nullable=True),
        sa.Column("last_due_at", WHEN, nullable=True),
        sa.Column("days", sa.Integer(), nullable=False),
        sa.Column("unanswered_days", sa.Integer(), nullable=False),
        sa.Column("opt_out_offered", sa.Boolean(), nullable=False),
        sa.Column("graduated_at", WHEN, nullable=True),
        sa.Column("updated_at", WHEN, nullable=False),
        sa.PrimaryKeyConstraint("user_id", name="pk_learn_learners"),
    )
    op.create_index("ix_learn_learners_status_next_due_at", "learn_learners", ["status", "next_due_at"])
    op.create_table(
        "learn_cards",
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("topic", sa.String(64), nullable=False),
        sa.Column("state", sa.Integer(), nullable=False),
        sa.Column("stability", sa.Double(), nullable=True),
        sa.Column("difficulty", sa.Double(), nullable=True),
        sa.Column("due", WHEN, nullable=False),
        sa.Column("last_review", WHEN, nullable=True),
        sa.Column("reviews", sa.Integer(), nullable=False),
        sa.Column("lapses", sa.Integer(), nullable=False),
        sa.Column("last_correct", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["learn_learners.user_id"],
            name="fk_learn_cards_user_id_learn_learners",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("user_id", "question_id", name="pk_learn_cards"),
    )
    op.create_index("ix_learn_cards_user_id_due", "learn_cards", ["user_id", "due"])
    op.create_table(
        "learn_deliveries",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("slot", sa.String(32), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("local_date", sa.Date(), nullable=False),
        sa.Column("question_ids", sa.Text(), nullable=False),
        sa.Column("due_at", WHEN, nullable=False),
        sa.Column("claimed_by", sa.String(128), nullable=False),
        sa.Column("lease_until", WHEN, nullable=False),
        sa.Column("ts", sa.String(32), nullable=True),
        sa.Column("posted_at", WHEN, nullable=True),
        sa.Column("failed_reason", sa.Text(), nullable=True),
        sa.Column("failed_at", WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["learn_learners.user_id"],
            name="fk_learn_deliveries_user_id_learn_learners",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_learn_deliveries"),
        sa.UniqueConstraint("user_id", "slot", name="uq_learn_deliveries_user_id_slot"),
    )
    op.create_index(
        "ix_learn_deliveries_ts_failed_reason_lease_until",
        "learn_deliveries",
        ["ts", "failed_reason", "lease_until"],
    )
    op.create_table(
        "learn_reviews",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("user_id", sa.String(64), nullable=False),
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("choice", sa.String(8), nullable=False),
        sa.Column("correct", sa.Boolean(), nullable=False),
        sa.Column("hint_used", sa.Boolean(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", WHEN, nullable=False),
        sa.Column("stability", sa.Double(), nullable=False),
        sa.Column("difficulty", sa.Double(), nullable=False),
        sa.Column("due", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"],
            ["learn_learners.user_id"],
            name="fk_learn_reviews_user_id_learn_learners",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["learn_deliveries.id"],
            name="fk_learn_reviews_delivery_id_learn_deliveries",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_learn_reviews"),
        sa.UniqueConstraint("delivery_id", "question_id", name="uq_learn_reviews_delivery_id_question_id"),
    )
    op.create_index("ix_learn_reviews_user_id", "learn_reviews", ["user_id"])
    op.create_table(
        "learn_hints",
        sa.Column("delivery_id", sa.Integer(), nullable=False),
        sa.Column("question_id", sa.String(128), nullable=False),
        sa.Column("asked_at", WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["delivery_id"],
            ["learn_deliveries.id"],
            name="fk_learn_hints_delivery_id_learn_deliveries",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("delivery_id", "question_id", name="pk_learn_hints"),
    )


def downgrade() -> None:
    op.drop_table("learn_hints")
    op.drop_index("ix_learn_reviews_user_id", table_name="learn_reviews")
    op.drop_table("learn_reviews")
    op.drop_index("ix_learn_deliveries_ts_failed_reason_lease_until", table_name="learn_deliveries")
    op.drop_table("learn_deliveries")
    op.drop_index("ix_learn_cards_user_id_due", table_name="learn_cards")
    op.drop_table("learn_cards")
    op.drop_index("ix_learn_learners_status_next_due_at", table_name="learn_learners")
    op.drop_table("learn_learners")
