"""The quiz's persistence, async: schedules, posts (claimed, posted, revealed), answers and stats.

Each method is one transaction (`Database.write`) or one read (`Database.read`); the SQL itself is in
`bot.quiz.queries` and `bot.quiz.stats`, which run only on the database's worker threads.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from bot.core.store.database import Database, lazy_queries
from bot.quiz.records import Answer, LeaderRow, Post, Results, Schedule, Timing, UserStats

_queries = lazy_queries("bot.quiz.queries")
_stats = lazy_queries("bot.quiz.stats")


class QuizStore:
    def __init__(self, database: Database) -> None:
        self._db = database

    @property
    def database(self) -> Database:
        return self._db

    # --- schedules -----------------------------------------------------------------------------

    async def upsert_schedule(
        self, channel: str, at: dt.time, tz_name: str, days: frozenset[int], user_id: str, now: dt.datetime
    ) -> Schedule:
        """Create or replace the channel's schedule and make it active (ValueError on an unknown zone)."""
        return await self._db.write(
            lambda s: _queries().upsert_schedule(s, channel, at, tz_name, days, user_id, now)
        )

    async def stop_schedule(
        self, channel: str, user_id: str, now: dt.datetime, *, default: Timing | None = None
    ) -> bool:
        """Deactivate the channel's schedule; False if it had no active one. With `default` (the timing
        from the settings, for their channel) a channel with no stored row is stored as stopped."""
        return await self._db.write(lambda s: _queries().stop_schedule(s, channel, user_id, now, default))

    async def get_schedule(self, channel: str) -> Schedule | None:
        return await self._db.read(lambda s: _queries().get_schedule(s, channel))

    async def active_schedules(self) -> list[Schedule]:
        return await self._db.read(lambda s: _queries().active_schedules(s))

    # --- posting, exactly once -----------------------------------------------------------------

    async def claim_post(
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
        values = {
            "channel": channel,
            "slot": slot,
            "local_date": local_date,
            "question_id": question_id,
            "due_at": due_at,
            "reveal_due": reveal_due,
            "claimed_by": owner,
            "lease_until": now + lease,
        }
        return await self._db.write(lambda s: _queries().claim_post(s, **values))

    async def record_posted(self, post_id: int, ts: str, now: dt.datetime) -> bool:
        """Store the Slack message ts; False if the post already had one (the first ts is kept)."""
        return await self._db.write(lambda s: _queries().record_posted(s, post_id, ts, now))

    async def record_failed(self, post_id: int, reason: str, now: dt.datetime) -> bool:
        """Give up on an unposted post; it is never reclaimed. False if it was posted or failed already."""
        return await self._db.write(lambda s: _queries().record_failed(s, post_id, reason, now))

    async def claimable_unposted(self, now: dt.datetime) -> list[Post]:
        """Claimed posts whose owner let the lease run out before posting (crashed or stuck)."""
        return await self._db.read(lambda s: _queries().claimable_unposted(s, now))

    async def reclaim_post(self, post_id: int, owner: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Take over an expired, unposted claim; True only for the one owner that wins."""
        return await self._db.write(lambda s: _queries().reclaim_post(s, post_id, owner, now, lease))

    async def get_post(self, post_id: int) -> Post | None:
        return await self._db.read(lambda s: _queries().get_post(s, post_id))

    async def post_for_slot(self, channel: str, slot: str) -> Post | None:
        return await self._db.read(lambda s: _queries().post_for_slot(s, channel, slot))

    async def latest_post(self, channel: str) -> Post | None:
        """The channel's most recently posted quiz (scheduled or manual)."""
        return await self._db.read(lambda s: _queries().latest_post(s, channel))

    async def existing_slots(self, slots: Sequence[tuple[str, str]]) -> set[tuple[str, str]]:
        """Which of these (channel, slot) pairs already have a post: one query for a whole tick."""
        return await self._db.read(lambda s: _queries().existing_slots(s, slots))

    async def question_histories(self, channels: Sequence[str]) -> dict[str, list[str]]:
        """Question ids of each channel's claimed posts, oldest first (failed ones excluded: never seen)."""
        return await self._db.read(lambda s: _queries().question_histories(s, channels))

    async def question_history(self, channel: str) -> list[str]:
        return (await self.question_histories([channel]))[channel]

    # --- reveal --------------------------------------------------------------------------------

    async def due_reveals(self, now: dt.datetime) -> list[Post]:
        """Posted, unrevealed posts whose reveal is due and not leased by anyone."""
        return await self._db.read(lambda s: _queries().due_reveals(s, now))

    async def claim_reveal(self, post_id: int, owner: str, now: dt.datetime, lease: dt.timedelta) -> bool:
        """Lease the reveal of a posted, unrevealed post; True only for the one owner that wins.

        Does not look at ``reveal_due``: the caller decides when (normally from ``due_reveals``).
        """
        return await self._db.write(lambda s: _queries().claim_reveal(s, post_id, owner, now, lease))

    async def record_revealed(self, post_id: int, reveal_ts: str | None, now: dt.datetime) -> bool:
        """Mark the post revealed (``reveal_ts`` None when no message could be posted); first call wins."""
        return await self._db.write(lambda s: _queries().record_revealed(s, post_id, reveal_ts, now))

    # --- answers -------------------------------------------------------------------------------

    async def record_answer(
        self, post_id: int, user_id: str, choice: str, correct: bool, now: dt.datetime, counted: bool
    ) -> tuple[Answer, bool] | None:
        """Store the user's answer unless they answered already: (stored answer, created now), or None
        when there is no such post."""
        values = {
            "post_id": post_id,
            "user_id": user_id,
            "choice": choice,
            "correct": correct,
            "answered_at": now,
            "counted": counted,
        }
        return await self._db.write(lambda s: _queries().record_answer(s, **values))

    async def record_hint(self, post_id: int, user_id: str, now: dt.datetime) -> bool:
        """Note that the user asked for the post's hint (their answer will say so); False: no such post."""
        return await self._db.write(lambda s: _queries().record_hint(s, post_id, user_id, now))

    async def answer_count(self, post_id: int) -> int:
        return await self._db.read(lambda s: _queries().answer_count(s, post_id))

    async def results(self, post_id: int) -> Results:
        return await self._db.read(lambda s: _stats().results(s, post_id))

    # --- stats ---------------------------------------------------------------------------------

    async def user_stats(self, user_id: str) -> UserStats:
        return await self._db.read(lambda s: _stats().user_stats(s, user_id))

    async def leaderboard(self, channel: str, since: dt.datetime, limit: int | None = 10) -> list[LeaderRow]:
        """Everyone who answered in the channel since `since`, best first (`limit=None`: all of them)."""
        return await self._db.read(lambda s: _stats().leaderboard(s, channel, since, limit))

    async def answers_by_question(self, user_id: str) -> list[tuple[str, bool]]:
        return await self._db.read(lambda s: _stats().answers_by_question(s, user_id))
