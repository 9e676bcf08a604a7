"""Messages of the /quiz command that are not a question: stats, leaderboard, schedule, help and notices."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Literal

from slack_sdk.models.blocks import Block, MarkdownTextObject, SectionBlock

from bot.core.message import TEXT_MAX, Message
from bot.core.text import fit, one_line, shorten, user_mention
from bot.quiz.blocks.post import context_line, header, mrkdwn_section
from bot.quiz.records import PostResult, PostStatus

if TYPE_CHECKING:
    from bot.quiz.records import LeaderRow, UserStats

LEADERBOARD_SIZE = 10
MEDALS = ("🥇", "🥈", "🥉")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{1,31}")
SCHEDULE_EXAMPLE = "`/quiz schedule #team 09:30 Europe/Berlin mon-fri`"

ScheduleSource = Literal["schedule", "default", "none"]


@dataclass(frozen=True, slots=True)
class QuizTiming:
    """When a channel's quiz runs, already formatted by the caller (all of it ends up in the message)."""

    time: str  # "09:30"
    timezone: str  # "Europe/Berlin"
    days: str  # "mon-fri", as bot.core.timecodes.format_days writes it
    reveal_after: str  # "4h"


def render_stats(stats: UserStats) -> Message:
    """One person's totals and streaks (streaks count scheduled posts answered right in a row)."""
    if stats.answered <= 0:
        text = (
            "You haven't answered a quiz question yet. Press a button on the next daily quiz, "
            "or try `/quiz` for a practice question."
        )
        return Message.build(text, [mrkdwn_section(text)])
    fields = [
        ("Answered", str(stats.answered)),
        ("Right", f"{stats.correct} ({stats.percent}%)"),
        ("Current streak", _in_a_row(stats.current_streak)),
        ("Best streak", _in_a_row(stats.best_streak)),
    ]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text="*Your quiz stats*"),
            fields=[MarkdownTextObject(text=f"*{label}*\n{value}") for label, value in fields],
        ),
        context_line(
            "A streak counts daily quiz posts answered right in a row; practice questions don't count."
        ),
    ]
    fallback = (
        f"Your quiz stats: {stats.correct} of {stats.answered} right ({stats.percent}%), "
        f"current streak {stats.current_streak}, best {stats.best_streak}."
    )
    return Message.build(fallback, blocks)


def render_leaderboard(rows: Sequence[LeaderRow], channel_id: str, days: int = 30) -> Message:
    """The top ten of a channel: medals for the first three, "correct/answered" for everyone."""
    period = f"the last {days} days" if days != 1 else "the last day"
    channel = channel_mention(channel_id)
    if not rows:
        text = f"No quiz answers in {channel} in {period} yet — the next quiz is your chance!"
        return Message.build(text, [mrkdwn_section(text)])
    lines = [
        f"{MEDALS[rank] if rank < len(MEDALS) else f'{rank + 1}.'} {user_mention(row.user_id)} — "
        f"{row.correct}/{row.answered} right"
        for rank, row in enumerate(rows[:LEADERBOARD_SIZE])
    ]
    blocks: list[Block] = [
        header("Quiz leaderboard"),
        mrkdwn_section(f"Most right answers in {channel} over {period}:\n" + "\n".join(lines)),
    ]
    return Message.build(f"Quiz leaderboard for {channel} over {period}", blocks)


def render_schedule_status(
    channel_id: str,
    timing: QuizTiming | None,
    *,
    source: ScheduleSource,
    next_due: datetime | None = None,
) -> Message:
    """When a channel gets its quiz.

    *source* says where *timing* comes from: ``"schedule"`` (set with /quiz schedule), ``"default"`` (the
    bot's settings) or ``"none"`` (no quiz in this channel; *timing* must then be None).
    """
    channel = channel_mention(channel_id)
    if source == "none" or timing is None:
        if source != "none":
            raise ValueError(f"source {source!r} needs a timing")
        text = f"There is no daily quiz in {channel}. Start one with {SCHEDULE_EXAMPLE}."
        return Message.build(text, [mrkdwn_section(text)])
    origin = "set with `/quiz schedule`" if source == "schedule" else "the bot's default settings"
    text = _timing_text(channel, timing, next_due)
    blocks: list[Block] = [
        mrkdwn_section(text),
        context_line(f"From {origin}. Change it with `/quiz schedule`, stop it with `/quiz stop`."),
    ]
    return Message.build(text, blocks)


def render_schedule_saved(
    channel_id: str, timing: QuizTiming, *, next_due: datetime | None = None
) -> Message:
    """The confirmation of /quiz schedule."""
    text = "✅ Saved. " + _timing_text(channel_mention(channel_id), timing, next_due)
    return Message.build(text, [mrkdwn_section(text)])


def render_schedule_stopped(channel_id: str) -> Message:
    """The confirmation of /quiz stop."""
    channel = channel_mention(channel_id)
    text = f"Stopped the daily quiz in {channel}. Start it again with `/quiz schedule HH:MM`."
    return Message.build(text, [mrkdwn_section(text)])


def render_quiz_help(commands: Sequence[tuple[str, str, bool]]) -> Message:
    """Every /quiz subcommand, one line each: (usage, description, managers only)."""
    lines = [
        f"• `{usage}` — {description}{' _(managers)_' if managers_only else ''}"
        for usage, description, managers_only in commands
    ]
    blocks: list[Block] = [
        header("MLOps vs DevOps quiz: /quiz"),
        mrkdwn_section("\n".join(lines)),
        context_line(
            "Timezones are IANA names like `Europe/Berlin`; days like `mon-fri`, `weekends` or `daily`."
        ),
    ]
    return Message.build("/quiz commands: " + ", ".join(usage for usage, *_ in commands), blocks)


def render_notice(text: str) -> Message:
    """A short ephemeral notice (permission denied, bad arguments, "try again").

    *text* is mrkdwn we wrote; callers pass anything the user typed through ``escape()`` (or ``fit()``)
    before putting it in. It is shown verbatim: no auto-linked channel names or mentions.
    """
    text = shorten(text.strip(), TEXT_MAX) or "—"
    return Message.build(text, [SectionBlock(text=MarkdownTextObject(text=text, verbatim=True))])


def render_post_result(result: PostResult) -> Message:
    """What `/quiz now` answers: posted, refused by Slack for good, or to be posted when Slack is back."""
    where = channel_mention(result.post.channel)
    if result.status is PostStatus.POSTED:
        return render_notice(f"Posted a quiz question in {where}.")
    if result.status is PostStatus.FAILED:
        return render_notice(f"I couldn't post in {where}: `{result.reason}`. Is the bot in that channel?")
    return render_notice(
        "Slack is not answering right now; the question will be posted as soon as it is back."
    )


def channel_mention(channel_id: str) -> str:
    """``<#C123>`` for a well-formed channel id; anything else is shown escaped, never as markup."""
    if _CHANNEL_ID.fullmatch(channel_id):
        return f"<#{channel_id}>"
    return fit(one_line(channel_id), 40)


def slack_date(when: datetime) -> str:
    """A date Slack shows in each reader's own timezone, with a UTC fallback for old clients."""
    if when.tzinfo is None:
        raise ValueError("expected an aware datetime")
    fallback = when.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
    return f"<!date^{int(when.timestamp())}^{{date_short_pretty}} at {{time}}|{fallback}>"


def _timing_text(channel: str, timing: QuizTiming, next_due: datetime | None) -> str:
    text = (
        f"Daily quiz in {channel}: *{fit(timing.time, 20)}* {fit(timing.timezone, 64)}"
        f" on *{fit(timing.days, 60)}*; the answer is revealed {fit(timing.reveal_after, 30)} later."
    )
    if next_due is not None:
        text += f"\nNext quiz: {slack_date(next_due)}"
    return text


def _in_a_row(count: int) -> str:
    return f"{count} in a row" if count else "—"
