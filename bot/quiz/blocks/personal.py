"""Messages of the /quiz command that are not a question: stats, leaderboard, schedule, help and notices."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Literal

from slack_sdk.models.blocks import Block, ButtonElement, MarkdownTextObject, PlainTextObject, SectionBlock

from bot.core.blocks import context, header, render_notice, slack_date
from bot.core.message import Message
from bot.core.text import fit, one_line, user_mention
from bot.quiz import ids
from bot.quiz.blocks.post import mrkdwn_section
from bot.quiz.records import PostResult, PostStatus

if TYPE_CHECKING:
    from bot.quiz.records import LeaderRow, UserStats

LEADERBOARD_SIZE = 10
MEDALS = ("🥇", "🥈", "🥉")
_CHANNEL_ID = re.compile(r"[CGD][A-Z0-9]{1,31}")
SCHEDULE_EXAMPLE = "`/quiz schedule` (a form), or `/quiz schedule 9:30am Europe/Berlin mon-fri`"
INVITE = "invite me with `/invite @mlops-vs-devops` so I can post the questions there."

ScheduleSource = Literal["schedule", "default", "none"]


@dataclass(frozen=True, slots=True)
class QuizTiming:
    """When a channel's quiz runs, already formatted by the caller (all of it ends up in the message)."""

    time: str  # "09:30", in `timezone`: what readers see where Slack cannot show their own time
    timezone: str  # "Europe/Berlin"
    days: str  # "on weekdays", as bot.core.timecodes.describe_days writes it
    reveal: str  # "4 hours later", as bot.quiz.reveal_after.RevealAfter.words writes it
    extras: tuple[str, ...] = ()
    """The schedule's options that are on, in words: ("a weekly leaderboard",)."""


def quiz_time(timing: QuizTiming, next_due: datetime | None) -> str:
    """The quiz's time of day in each reader's own zone (from its next question), "09:30 Europe/Berlin"
    where Slack cannot show that."""
    fallback = f"{fit(timing.time, 20)} {fit(timing.timezone, 64)}"
    if next_due is None:
        return fallback
    return slack_date(next_due, "{time}", fallback=fallback.replace("|", ""))


@dataclass(frozen=True, slots=True)
class TopicScore:
    """How one person did on one topic: its key and name, right and answered."""

    key: str
    name: str
    right: int
    answered: int


def render_stats(stats: UserStats, weakest: TopicScore | None = None) -> Message:
    """One person's totals and streaks, their weakest topic with a button to practise it, and a next step."""
    if stats.answered <= 0:
        text = no_daily_answers(stats) + " Try `/quiz` for a practice question right now."
        return Message.build(text, [header("Your quiz stats"), mrkdwn_section(text)])
    blocks: list[Block] = [header("Your quiz stats"), SectionBlock(fields=stats_fields(stats))]
    if weakest is not None:
        blocks.append(practice_topic_section(weakest))
    blocks.append(
        context("A streak counts daily quiz posts answered right in a row; practice doesn't count.")
    )
    fallback = (
        f"Your quiz stats: {stats.correct} of {stats.answered} right ({stats.percent}%), "
        f"current streak {stats.current_streak}, best {stats.best_streak}."
    )
    return Message.build(fallback, blocks)


def no_daily_answers(stats: UserStats) -> str:
    """Stats with no counted answer yet: what would count, and why bonus answers (if any) don't."""
    if stats.bonus_answered > 0:
        answers = "answer" if stats.bonus_answered == 1 else f"{stats.bonus_answered} answers"
        return (
            f"Your {answers} so far went to bonus questions, which aren't counted. Stats and streaks count "
            "each day's question: answer the next one in your team's channel."
        )
    return (
        "You haven't answered a daily quiz question yet. Press a letter on the next one in your team's "
        "channel."
    )


def stats_fields(stats: UserStats) -> list[MarkdownTextObject]:
    """Answered, right, current and best streak: the fields of a stats section."""
    fields = [
        ("Answered", str(stats.answered)),
        ("Right", f"{stats.correct} ({stats.percent}%)"),
        ("Current streak", _in_a_row(stats.current_streak)),
        ("Best streak", _in_a_row(stats.best_streak)),
    ]
    return [MarkdownTextObject(text=f"*{label}*\n{value}") for label, value in fields]


def practice_topic_section(
    topic: TopicScore, action_id: str = ids.PRACTICE_TOPIC, *, primary: bool = True
) -> SectionBlock:
    """ "Your weakest topic: Monitoring (1 of 3 right)" with a *Practice this* button (*action_id*: the
    message's own, or the Home tab's; green unless something else is the main step)."""
    button = ButtonElement(
        text=PlainTextObject(text="Practice this"),
        action_id=action_id,
        value=topic.key,
        style="primary" if primary else None,
    )
    text = f"*Your weakest topic:* {fit(one_line(topic.name), 80)} ({topic.right} of {topic.answered} right)"
    return SectionBlock(text=MarkdownTextObject(text=text), accessory=button)


def render_leaderboard(
    rows: Sequence[LeaderRow], channel_id: str, days: int = 30, me: str = "", bonus_answers: int = 0
) -> Message:
    """A channel's top ten over *days*: tied people share a rank (in words, with medals for the first
    three who got any right), and a line for whoever asked. With no rows, *bonus_answers* explains why
    answers to bonus questions are not on it."""
    period = f"the last {days} days" if days != 1 else "the last day"
    channel = channel_mention(channel_id)
    if not rows:
        text = (
            f"No counted quiz answers in {channel} in {period} yet — the next daily question is your chance!"
        )
        if bonus_answers > 0:
            text += " Answers to bonus questions (a second `/quiz now` the same day) don't count here."
        return Message.build(text, [mrkdwn_section(text)])
    ranks = shared_ranks(rows)
    lines = [_leader_line(rank, row, ranks.count(rank) > 1) for rank, row in zip(ranks, rows, strict=True)][
        :LEADERBOARD_SIZE
    ]
    blocks: list[Block] = [
        header("Quiz leaderboard"),
        mrkdwn_section(f"Most right answers in {channel} over {period}:\n" + "\n".join(lines)),
    ]
    if me:
        mine = next(((rank, row) for rank, row in zip(ranks, rows, strict=True) if row.user_id == me), None)
        you = (
            f"You: {ordinal(mine[0])} of {len(rows)} · {mine[1].correct}/{mine[1].answered} right"
            if mine
            else f"You haven't answered here in {period} — the next quiz is your chance."
        )
        blocks.append(context(you))
    return Message.build(f"Quiz leaderboard for {channel} over {period}", blocks)


def shared_ranks(rows: Sequence[LeaderRow]) -> list[int]:
    """Competition ranks (1, 2, 2, 4): people with the same right and answered counts share a rank."""
    ranks: list[int] = []
    for index, row in enumerate(rows):
        tied = index > 0 and (row.correct, row.answered) == (
            rows[index - 1].correct,
            rows[index - 1].answered,
        )
        ranks.append(ranks[-1] if tied else index + 1)
    return ranks


def render_weekly_leaderboard(rows: Sequence[LeaderRow], names: Mapping[str, str]) -> Message:
    """The week's leaderboard, posted in the channel: people by *names* (no mention, so nobody is
    notified; one with no name known is a mention), the quiz's next step below."""
    ranks = shared_ranks(rows)
    lines = [
        _leader_line(rank, row, ranks.count(rank) > 1, names.get(row.user_id))
        for rank, row in zip(ranks, rows, strict=True)
        if row.correct > 0
    ][:LEADERBOARD_SIZE]
    text = "Most right answers in the daily quiz this week:\n" + "\n".join(lines)
    blocks: list[Block] = [
        header("🏆 This week's quiz leaderboard"),
        mrkdwn_section(text),
        context("A new week starts now · `/quiz leaderboard` for the last 30 days · `/quiz` to practice"),
    ]
    return Message.build("This week's quiz leaderboard", blocks)


def _leader_line(rank: int, row: LeaderRow, tied: bool, name: str | None = None) -> str:
    medal = f"{MEDALS[rank - 1]} " if rank <= len(MEDALS) and row.correct > 0 else ""
    place = f"{ordinal(rank)}{' (tied)' if tied else ''}"
    who = f"*{fit(one_line(name), 60)}*" if name else user_mention(row.user_id)
    return f"{medal}*{place}* {who} — {row.correct}/{row.answered} right"


def ordinal(rank: int) -> str:
    """1st, 2nd, 3rd, 4th … 11th, 12th, 13th … 21st: a rank a screen reader says as a word."""
    suffix = "th" if rank % 100 in (11, 12, 13) else {1: "st", 2: "nd", 3: "rd"}.get(rank % 10, "th")
    return f"{rank}{suffix}"


def render_schedule_status(
    channel_id: str,
    timing: QuizTiming | None,
    *,
    source: ScheduleSource,
    next_due: datetime | None = None,
    manager: bool = False,
    set_up_by: str | None = None,
) -> Message:
    """When a channel gets its quiz, and who set it up; how to change or stop it only for a *manager* (who
    may change it).

    *source* says where *timing* comes from: ``"schedule"`` (set with /quiz schedule), ``"default"`` (the
    bot's own) or ``"none"`` (no quiz in this channel; *timing* must then be None).
    """
    channel = channel_mention(channel_id)
    if source == "none" or timing is None:
        if source != "none":
            raise ValueError(f"source {source!r} needs a timing")
        start = (
            f"Start one with {SCHEDULE_EXAMPLE}."
            if manager
            else "A workspace admin or the channel's creator can start one. Meanwhile, `/quiz` gives you a "
            "practice question."
        )
        text = f"There is no daily quiz in {channel}. {start}"
        return Message.build(text, [mrkdwn_section(text)])
    origin = f"Set up by {user_mention(set_up_by)}." if set_up_by else "Set up when the bot was installed."
    then = (
        "Change it with `/quiz schedule`, stop it with `/quiz stop`."
        if manager
        else "`/quiz stats` for your answers · `/quiz leaderboard` for who got the most right here."
    )
    text = _timing_text(channel, timing, next_due)
    return Message.build(text.replace("*", ""), [mrkdwn_section(text), context(f"{origin} {then}")])


def render_schedule_saved(
    channel_id: str,
    timing: QuizTiming,
    *,
    next_due: datetime | None = None,
    invite: bool = False,
    posted_now: PostResult | None = None,
) -> Message:
    """The confirmation of /quiz schedule; with *invite*, how to let the bot into the channel; with
    *posted_now*, how posting the first question right away went."""
    text = "✅ Saved. " + _timing_text(channel_mention(channel_id), timing, next_due)
    blocks: list[Block] = [mrkdwn_section(text)]
    text = text.replace("*", "")
    if posted_now is not None:
        blocks.append(mrkdwn_section(_posted_now(posted_now)))
    elif next_due is not None:
        blocks.append(context("Nothing is posted before then. `/quiz now` posts a question right away."))
    if invite:
        blocks.append(mrkdwn_section(f":warning: I'm not in {channel_mention(channel_id)} yet: {INVITE}"))
    return Message.build(text, blocks)


def render_schedule_intro(
    user_id: str, timing: QuizTiming, *, next_due: datetime | None = None, first_now: bool = False
) -> Message:
    """What a channel sees when it gets a daily quiz; times show in each reader's own zone. With
    *first_now*, the first question follows at once rather than at *next_due*."""
    first = ", starting now" if first_now else f", starting {slack_date(next_due)}" if next_due else ""
    text = (
        f"👋 {user_mention(user_id)} started a daily MLOps vs DevOps quiz here: {fit(timing.days, 60)} at "
        f"*{quiz_time(timing, next_due)}* your time{first}.\nPress a letter to answer — only you see "
        f"whether you were right — and the answer comes in the thread {fit(timing.reveal, 40)}."
    )
    more = context("`/quiz help` for more · `/quiz` to practice")
    return Message.build(text.replace("*", ""), [mrkdwn_section(text), more])


def render_not_allowed(
    channel_id: str, action: str, set_up_by: str | None = None, created_by: str | None = None
) -> Message:
    """A refusal that names whom to ask: whoever set up the channel's quiz, else the channel's creator,
    else a workspace admin. *action* says what was refused, e.g. "change #general's quiz"."""
    if set_up_by:
        text = f"Only {user_mention(set_up_by)} can {action} (they set it up). Ask them or a workspace admin."
    elif created_by:
        text = (
            f"Only {user_mention(created_by)} can {action} (they created the channel). "
            "Ask them or a workspace admin."
        )
    else:
        text = f"You can't {action}. Ask a workspace admin."
    return render_notice(text)


def render_schedule_stopped(channel_id: str, *, undo: bool = False) -> Message:
    """The confirmation of /quiz stop; with *undo*, beside an *Undo* button (the Home tab)."""
    channel = channel_mention(channel_id)
    again = "*Undo* starts it again as it was." if undo else "Start it again with `/quiz schedule 9:30am`."
    text = f"Stopped the daily quiz in {channel}. {again}"
    return Message.build(text, [mrkdwn_section(text)])


def render_post_result(result: PostResult) -> Message:
    """What `/quiz now` answers: posted, refused by Slack for good, or to be posted when Slack is back."""
    where = channel_mention(result.post.channel)
    if result.status is PostStatus.POSTED and result.post.bonus:
        return render_notice(
            f"Posted a bonus question in {where}. Today's question is out already, so this one isn't "
            "counted toward stats, streaks or the leaderboard."
        )
    if result.status is PostStatus.POSTED:
        return render_notice(f"Posted today's question in {where}: answers count in stats and streaks.")
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


def _timing_text(channel: str, timing: QuizTiming, next_due: datetime | None) -> str:
    zone = f"{fit(timing.time, 20)} in {fit(timing.timezone, 64)}"
    at = f"*{quiz_time(timing, next_due)}* your time ({zone})" if next_due is not None else f"*{zone}*"
    lines = [
        f"Daily quiz in {channel} {fit(timing.days, 60)} at {at}.",
        " · ".join(
            [f"The answer is revealed {fit(timing.reveal, 40)}", *(fit(extra, 80) for extra in timing.extras)]
        )
        + ".",
    ]
    if next_due is not None:
        lines.append(f"Next question: {slack_date(next_due)}")
    return "\n".join(lines)


def _posted_now(result: PostResult) -> str:
    if result.status is PostStatus.POSTED and result.post.bonus:
        return "📣 Posted a bonus question just now: today's question is out already, so it isn't counted."
    if result.status is PostStatus.POSTED:
        return "📣 Posted the first question just now: it is today's question, so answers count."
    if result.status is PostStatus.FAILED:
        return f":warning: I couldn't post the first question: `{fit(result.reason or '', 60)}`."
    return "The first question goes out as soon as Slack answers again."


def _in_a_row(count: int) -> str:
    return f"{count} in a row" if count else "—"
