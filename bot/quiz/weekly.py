"""The weekly leaderboard a channel's quiz may post (its schedule's option): once a week, after the answer
of the week's last question is revealed, exactly once across every process (`bot.core.claims`).

Like the daily question it is due only on its own local day, and never for a week whose last question
came before the schedule was saved.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from slack_sdk.web.async_client import AsyncWebClient

from bot.core.claims.fan_out import fan_out
from bot.core.claims.lease import Claims
from bot.core.claims.sender import Outgoing, Sender
from bot.core.claims.table import ClaimTable
from bot.core.clock import Clock
from bot.core.slack.pacing import Pacer
from bot.core.slack.people import People
from bot.core.store.database import Database, LazyQueries
from bot.core.timecodes import due_at, local_date
from bot.quiz import ids
from bot.quiz.blocks.personal import LEADERBOARD_SIZE, render_weekly_leaderboard
from bot.quiz.records import WeeklyBoard
from bot.quiz.schedules import ChannelSchedule

if TYPE_CHECKING:
    from bot.quiz import stats, weekly_queries
else:
    stats = LazyQueries("bot.quiz.stats")
    weekly_queries = LazyQueries("bot.quiz.weekly_queries")

log = logging.getLogger(__name__)
BOARDS = ClaimTable("bot.quiz.models", "WeeklyBoardRow")
WEEK = timedelta(days=7)
NOBODY = "nobody got a question right this week"
MISSED = "missed: the channel's day ended before the leaderboard could be posted"


@dataclass(frozen=True, slots=True)
class DueBoard:
    channel: str
    week: str
    local_date: date
    due_at: datetime


def due_board(schedule: ChannelSchedule, now: datetime) -> DueBoard | None:
    """The channel's board if it wants one, today is its week's last quiz day, and that day's answer has
    been revealed (as its reveal setting says)."""
    if not schedule.options.weekly_leaderboard:
        return None
    zone = schedule.timezone
    today = local_date(now, zone)
    if today.weekday() != max(schedule.days):
        return None
    question_at = due_at(today, schedule.at, zone)
    when = schedule.reveal.due(question_at, zone)
    if when > now or (schedule.saved_at is not None and question_at < schedule.saved_at):
        return None
    year, week, _ = today.isocalendar()
    return DueBoard(schedule.channel, f"{year}-W{week:02d}", today, when)


def board_metadata(board_id: int) -> dict[str, object]:
    return {"event_type": ids.QUIZ_WEEKLY_BOARD_EVENT, "event_payload": {"board_id": board_id}}


class WeeklyBoards:
    def __init__(
        self,
        database: Database,
        client: AsyncWebClient,
        clock: Clock,
        claims: Claims,
        *,
        retry_delays: Sequence[float],
        pacer: Pacer | None = None,
    ) -> None:
        self._db = database
        self._clock = clock
        self._claims = claims
        self._people = People(client)
        self._sender = Sender(client, claims, pacer, retry_delays=retry_delays)
        self._known: set[tuple[str, str]] = set()
        """Boards known to be claimed (by any process): later ticks skip them without a query."""

    async def tick(self, schedules: Iterable[ChannelSchedule]) -> None:
        """Claim and post the boards due now; finish those whose process died."""
        now = self._clock.now()
        due = [board for s in schedules if (board := due_board(s, now)) is not None]
        self._known.intersection_update((board.channel, board.week) for board in due)  # forget past weeks
        unknown = [board for board in due if (board.channel, board.week) not in self._known]
        claimed = await self._db.read(weekly_queries.existing_boards, [(b.channel, b.week) for b in unknown])
        self._known.update(claimed)
        fresh = [board for board in unknown if (board.channel, board.week) not in self._known]
        await fan_out(self._claims.slots, fresh, self._claim, _describe, log)
        zones = {s.channel: s.timezone for s in schedules}
        abandoned = await self._db.read(weekly_queries.claimable_boards, now)
        await self._claims.take_over_each(
            abandoned, lambda board: board.id, lambda board: self._finish(board, zones.get(board.channel))
        )

    async def _claim(self, due: DueBoard) -> None:
        now = self._clock.now()
        board = await self._db.write(
            weekly_queries.claim_board,
            due.channel,
            due.week,
            due.local_date,
            due.due_at,
            self._claims.owner,
            now + self._claims.lease,
        )
        self._known.add((due.channel, due.week))
        if board is not None:  # None: claimed by another process first
            await self._post(board)

    async def _finish(self, board: WeeklyBoard, zone: ZoneInfo | None) -> None:
        """A claim taken over from a process that died: post it still on its day, else give it up."""
        if zone is None or board.local_date < local_date(self._clock.now(), zone):
            await self._sender.settle_missed(_outgoing(board), MISSED)
        else:
            await self._post(board, look_first=True)

    async def _post(self, board: WeeklyBoard, *, look_first: bool = False) -> None:
        rows = await self._db.read(stats.leaderboard, board.channel, board.due_at - WEEK, LEADERBOARD_SIZE)
        if not any(row.correct for row in rows):
            await self._claims.failed(board.id, NOBODY)  # nothing to celebrate: no post this week
            return
        names = {row.user_id: await self._people.display_name(row.user_id) for row in rows if row.correct}
        message = render_weekly_leaderboard(rows, {user: name for user, name in names.items() if name})
        sent = await self._sender.send(_outgoing(board), message, look_first=look_first)
        log.info("weekly leaderboard %s in %s: %s", board.week, board.channel, sent.outcome)


def _describe(board: DueBoard) -> str:
    return f"the weekly leaderboard for {board.channel}"


def _outgoing(board: WeeklyBoard) -> Outgoing:
    return Outgoing(board.id, board.channel, board_metadata(board.id), board.due_at)
