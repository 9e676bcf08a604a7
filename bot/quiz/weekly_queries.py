"""The SQL of the weekly leaderboard posts. Runs only on the database's threads; which process posts a week's
board is decided by its unique (channel, week) key and the claim's lease (`bot.core.claims`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.claims.queries import unsent_and_expired
from bot.core.store.base import insert, to_record
from bot.quiz.models import WeeklyBoardRow
from bot.quiz.records import WeeklyBoard


def claim_board(
    session: Session,
    channel: str,
    week: str,
    local_date: dt.date,
    due_at: dt.datetime,
    owner: str,
    lease_until: dt.datetime,
) -> WeeklyBoard | None:
    """Insert the channel's board for `week`, claimed by `owner`; None when it was claimed already."""
    values = {
        "channel": channel,
        "week": week,
        "local_date": local_date,
        "due_at": due_at,
        "claimed_by": owner,
        "lease_until": lease_until,
    }
    statement = (
        insert(session, WeeklyBoardRow).values(**values).on_conflict_do_nothing().returning(WeeklyBoardRow)
    )
    row = session.scalars(statement).one_or_none()
    return to_record(WeeklyBoard, row) if row is not None else None


def existing_boards(session: Session, keys: list[tuple[str, str]]) -> set[tuple[str, str]]:
    """Which of these (channel, week) boards were claimed already (by anyone)."""
    if not keys:
        return set()
    statement = select(WeeklyBoardRow.channel, WeeklyBoardRow.week).where(
        WeeklyBoardRow.channel.in_({channel for channel, _ in keys}),
        WeeklyBoardRow.week.in_({week for _, week in keys}),
    )
    return {(channel, week) for channel, week in session.execute(statement)} & set(keys)


def claimable_boards(session: Session, now: dt.datetime) -> list[WeeklyBoard]:
    """Boards whose claim ran out before they were posted (their process died)."""
    statement = select(WeeklyBoardRow).where(*unsent_and_expired(WeeklyBoardRow, now))
    return [to_record(WeeklyBoard, row) for row in session.scalars(statement.order_by(WeeklyBoardRow.due_at))]
