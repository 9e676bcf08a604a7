"""Synchronous persistence for the daily quiz. Callers run these methods via ``asyncio.to_thread``.

Every call is one statement (plus a read-back when an insert loses a race). Anything several
processes may race on is decided by the database: a unique key (claims, answers, events) or a
compare-and-set UPDATE (leases).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import fields
from typing import Any, TypeVar

from sqlalchemy import Engine, delete, func, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import sessionmaker

from bot.quiz.timing import format_days, parse_days, parse_time, parse_timezone
from bot.store import stats
from bot.store.models import AnswerRow, EventRow, PostRow, ScheduleRow
from bot.store.records import Answer, LeaderRow, Post, Results, Schedule, UserStats

R = TypeVar("R")


class QuizStore:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        # Every method runs a single statement, which is atomic on its own: autocommit saves the
        # BEGIN and COMMIT/ROLLBACK round trips (about a third of the time per call on PostgreSQL).
        self._sessions = sessionmaker(
            engine.execution_options(isolation_level="AUTOCOMMIT"), expire_on_commit=False
        )

    # --- schedules -------------------------------------------------------------------------

    def upsert_schedule(
        self, channel: str, at: dt.time, tz_name: str, days: frozenset[int], user_id: str, now: dt.datetime
    ) -> Schedule:
        """Create or replace the channel's schedule and make it active (ValueError on an unknown zone)."""
        changes: dict[str, Any] = {
            "time": at.strftime("%H:%M"),
            "timezone": parse_timezone(tz_name).key,
            "days": format_days(days),
            "active": True,
            "updated_by": user_id,
            "updated_at": now,
        }
        insert = postgresql.insert if self._engine.dialect.name == "postgresql" else sqlite.insert
        statement = (
            insert(ScheduleRow)
            .values(channel=channel, created_by=user_id, created_at=now, **changes)
            .on_conflict_do_update(index_elements=[ScheduleRow.channel], set_=changes)
            .returning(ScheduleRow)
        )
        with self._sessions.begin() as session:
            return _schedule(session.scalars(statement).one())

    def stop_schedule(self, channel: str, user_id: str, now: dt.datetime) -> bool:
        """Deactivate the channel's schedule; False if it had no active one."""
        statement = (
            update(ScheduleRow)
            .where(ScheduleRow.channel == channel, ScheduleRow.active)
            .values(active=False, updated_by=user_id, updated_at=now)
        )
        return self._changed(statement)

    def get_schedule(self, channel: str) -> Schedule | None:
        with self._sessions() as session:
            row = session.get(ScheduleRow, channel)
            return _schedule(row) if row else None

    def active_schedules(self) -> list[Schedule]:
        statement = select(ScheduleRow).where(ScheduleRow.active).order_by(ScheduleRow.channel)
        with self._sessions() as session:
            return [_schedule(row) for row in session.scalars(statement)]

    # --- posting, exactly once ---------------------------------------------------------------

    def claim_post(
        self,
        channel: str,
        slot: str,
        local_date: dt.date,
        question_id: str,
        due_at: dt.datetime,
        reveal_due: dt.datetime,
        owner: str,
        now: dt.datetime,
        lease: dt.timedelta,
    ) -> Post | None:
        """Insert the post for (channel, slot) leased to ``owner``; None if it was already claimed."""
        row = PostRow(
            channel=channel,
            slot=slot,
            local_date=local_date,
            question_id=question_id,
            due_at=due_at,
            reveal_due=reveal_due,
            claimed_by=owner,
            lease_until=now + lease,
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
                session.flush()
                return _record(Post, row)
        except IntegrityError:
            if self.post_for_slot(channel, slot) is None:
                raise
            return None

    def record_posted(self, post_id: int, ts: str, now: dt.datetime) -> bool:
        """Store the Slack message ts; False if the post already had one (the first ts is kept)."""
        statement = (
            update(PostRow).where(PostRow.id == post_id, PostRow.ts.is_(None)).values(ts=ts, posted_at=now)
        )
        return self._changed(statement)

    def record_failed(self, post_id: int, reason: str, now: dt.datetime) -> bool:
        """Give up on an unposted post; it is never reclaimed. False if it was posted or failed already."""
        statement = (
            update(PostRow)
            .where(PostRow.id == post_id, PostRow.ts.is_(None), PostRow.failed_reason.is_(None))
            .values(failed_reason=reason, failed_at=now)
        )
        return self._changed(statement)

    def claimable_unposted(self, now: dt.datetime) -> list[Post]:
        """Claimed posts whose owner let the lease run out before posting (crashed or stuck)."""
        return self._posts(_unposted_and_expired(now), order_by=PostRow.due_at)

    def reclaim_post(self, post_id: int, owner: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take over an expired, unposted claim; True only for the one owner that wins."""
        statement = (
            update(PostRow)
            .where(PostRow.id == post_id, *_unposted_and_expired(now))
            .values(claimed_by=owner, lease_until=now + lease)
        )
        return self._changed(statement)

    def get_post(self, post_id: int) -> Post | None:
        with self._sessions() as session:
            row = session.get(PostRow, post_id)
            return _record(Post, row) if row else None

    def post_for_slot(self, channel: str, slot: str) -> Post | None:
        posts = self._posts((PostRow.channel == channel, PostRow.slot == slot))
        return posts[0] if posts else None

    def latest_post(self, channel: str) -> Post | None:
        """The channel's most recently posted quiz (scheduled or manual)."""
        posts = self._posts(
            (PostRow.channel == channel, PostRow.ts.is_not(None)),
            order_by=(PostRow.posted_at.desc(), PostRow.id.desc()),
            limit=1,
        )
        return posts[0] if posts else None

    def existing_slots(self, slots: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (channel, slot) pairs already have a post: one query for a whole tick."""
        if not slots:
            return set()
        statement = select(PostRow.channel, PostRow.slot).where(
            PostRow.channel.in_({channel for channel, _ in slots}),
            PostRow.slot.in_({slot for _, slot in slots}),
        )
        with self._sessions() as session:
            found = {(channel, slot) for channel, slot in session.execute(statement)}
        return found & set(slots)

    def question_histories(self, channels: Sequence[str]) -> dict[str, list[str]]:
        """`question_history` for many channels in one query."""
        histories: dict[str, list[str]] = {channel: [] for channel in channels}
        if not channels:
            return histories
        statement = (
            select(PostRow.channel, PostRow.question_id)
            .where(PostRow.channel.in_(set(channels)), PostRow.failed_reason.is_(None))
            .order_by(PostRow.id)
        )
        with self._sessions() as session:
            for channel, question_id in session.execute(statement):
                histories[channel].append(question_id)
        return histories

    def question_history(self, channel: str) -> list[str]:
        """Question ids of the channel's claimed posts, oldest first (failed ones excluded: never seen)."""
        statement = (
            select(PostRow.question_id)
            .where(PostRow.channel == channel, PostRow.failed_reason.is_(None))
            .order_by(PostRow.id)
        )
        with self._sessions() as session:
            return list(session.scalars(statement))

    # --- reveal ------------------------------------------------------------------------------

    def due_reveals(self, now: dt.datetime) -> list[Post]:
        """Posted, unrevealed posts whose reveal is due and not leased by anyone."""
        return self._posts((*_reveal_free(now), PostRow.reveal_due <= now), order_by=PostRow.reveal_due)

    def claim_reveal(self, post_id: int, owner: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Lease the reveal of a posted, unrevealed post; True only for the one owner that wins.

        Does not look at ``reveal_due``: the caller decides when (normally from ``due_reveals``).
        """
        statement = (
            update(PostRow)
            .where(PostRow.id == post_id, *_reveal_free(now))
            .values(reveal_claimed_by=owner, reveal_lease_until=now + lease)
        )
        return self._changed(statement)

    def record_revealed(self, post_id: int, reveal_ts: str | None, now: dt.datetime) -> bool:
        """Mark the post revealed (``reveal_ts`` None when no message could be posted); first call wins."""
        statement = (
            update(PostRow)
            .where(PostRow.id == post_id, PostRow.revealed_at.is_(None))
            .values(revealed_at=now, reveal_ts=reveal_ts)
        )
        return self._changed(statement)

    # --- answers -----------------------------------------------------------------------------

    def record_answer(
        self, post_id: int, user_id: str, choice: str, correct: bool, now: dt.datetime, counted: bool
    ) -> tuple[Answer, bool]:
        """Store the user's answer unless they answered already; returns (stored answer, created now)."""
        row = AnswerRow(
            post_id=post_id, user_id=user_id, choice=choice, correct=correct, answered_at=now, counted=counted
        )
        try:
            with self._sessions.begin() as session:
                session.add(row)
            return _record(Answer, row), True
        except IntegrityError:
            with self._sessions() as session:
                existing = session.get(AnswerRow, (post_id, user_id))
                if existing is None:  # not a duplicate: e.g. the post does not exist
                    raise
                return _record(Answer, existing), False

    def answer_count(self, post_id: int) -> int:
        statement = select(func.count()).where(AnswerRow.post_id == post_id, AnswerRow.counted)
        with self._sessions() as session:
            return session.scalar(statement) or 0

    def results(self, post_id: int) -> Results:
        with self._sessions() as session:
            return stats.results(session, post_id)

    # --- stats -------------------------------------------------------------------------------

    def user_stats(self, user_id: str) -> UserStats:
        with self._sessions() as session:
            return stats.user_stats(session, user_id)

    def leaderboard(self, channel: str, since: dt.datetime, limit: int = 10) -> list[LeaderRow]:
        with self._sessions() as session:
            return stats.leaderboard(session, channel, since, limit)

    # --- Slack events ------------------------------------------------------------------------

    def claim_event(self, event_id: str, now: dt.datetime) -> bool:
        """True the first time an event id is seen, in any process; False for retries."""
        try:
            with self._sessions.begin() as session:
                session.add(EventRow(event_id=event_id, seen_at=now))
        except IntegrityError:
            return False
        return True

    def prune_events(self, older_than: dt.datetime) -> int:
        """Forget event ids seen before ``older_than``; returns how many."""
        with self._sessions.begin() as session:
            result = session.execute(delete(EventRow).where(EventRow.seen_at < older_than))
            return _rowcount(result)

    # --- helpers -----------------------------------------------------------------------------

    def _changed(self, statement: Any) -> bool:
        with self._sessions.begin() as session:
            return _rowcount(session.execute(statement)) > 0

    def _posts(
        self, where: tuple[Any, ...], order_by: Any = PostRow.id, limit: int | None = None
    ) -> list[Post]:
        order = order_by if isinstance(order_by, tuple) else (order_by,)
        statement = select(PostRow).where(*where).order_by(*order).limit(limit)
        with self._sessions() as session:
            return [_record(Post, row) for row in session.scalars(statement)]


def _unposted_and_expired(now: dt.datetime) -> tuple[Any, ...]:
    return (PostRow.ts.is_(None), PostRow.failed_reason.is_(None), PostRow.lease_until < now)


def _reveal_free(now: dt.datetime) -> tuple[Any, ...]:
    """Posted, not revealed, and nobody holds an unexpired reveal lease."""
    return (
        PostRow.ts.is_not(None),
        PostRow.revealed_at.is_(None),
        or_(PostRow.reveal_lease_until.is_(None), PostRow.reveal_lease_until < now),
    )


def _rowcount(result: Any) -> int:
    return int(result.rowcount)


def _record(cls: type[R], row: object) -> R:
    return cls(**{f.name: getattr(row, f.name) for f in fields(cls)})  # type: ignore[arg-type]


def _schedule(row: ScheduleRow) -> Schedule:
    return Schedule(
        channel=row.channel,
        time=parse_time(row.time),
        timezone=row.timezone,
        days=parse_days(row.days),
        active=row.active,
        created_by=row.created_by,
        updated_by=row.updated_by,
        created_at=row.created_at,
        updated_at=row.updated_at,
    )
