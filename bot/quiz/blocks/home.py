"""The quiz's sections of the App Home: the person's progress, where today's question is, and the daily
quizzes they manage; pure builders, records in, block dicts out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core.blocks import context, section, slack_date
from bot.core.text import fit, one_line, shorten
from bot.quiz import ids
from bot.quiz.blocks.personal import (
    TopicScore,
    channel_mention,
    no_daily_answers,
    practice_topic_section,
    quiz_time,
    stats_fields,
)
from bot.quiz.records import UserStats
from bot.quiz.schedules import ChannelQuiz

TEXT_MAX = 3000
ACCESSIBILITY_LABEL_MAX = 75
"""Slack's limit for a button's accessibility_label."""
LINKS_MAX = 10
"""Channels whose question of the day the Home links to; more are counted."""
SCHEDULES_MAX = 20
"""Channels whose quiz a manager can edit or stop from the Home (two blocks each); more are counted."""
ANY_TOPIC = "any"
"""The value of *Practice a question*: not a topic key, so the quiz picks a question on any topic."""
PRACTICE_NOT_SENT = (
    ":warning: I couldn't send you the practice question just now. Try again in a moment, or type `/quiz` "
    "in any channel."
)


@dataclass(frozen=True, slots=True)
class QuestionLink:
    """A channel's latest question that counts, for the Home: where it is (a permalink, when Slack gave
    one), until when it is open (None: revealed) and whether the person answered it (None: unknown)."""

    channel: str
    permalink: str | None
    posted_at: datetime | None
    next_due: datetime | None = None
    open_until: datetime | None = None
    answered: bool | None = None


def render_progress(stats: UserStats, weakest: TopicScore | None) -> list[dict[str, Any]]:
    """The person's quiz: answered, right, streaks, and their weakest topic with *Practice this* (or a
    practice question on any topic when nothing was wrong yet)."""
    practice_any = ButtonElement(
        text=PlainTextObject(text="Practice a question"), action_id=ids.HOME_PRACTICE_TOPIC, value=ANY_TOPIC
    )
    if stats.answered <= 0:
        text = f"*Your quiz*\n{no_daily_answers(stats)} Or practice right now."
        return [SectionBlock(text=MarkdownTextObject(text=text), accessory=practice_any).to_dict()]
    blocks: list[Block] = [
        SectionBlock(text=MarkdownTextObject(text="*Your quiz*"), fields=stats_fields(stats))
    ]
    if weakest is not None:
        # green is kept for the Home's main step: today's question, when it waits for an answer
        blocks.append(practice_topic_section(weakest, ids.HOME_PRACTICE_TOPIC, primary=False))
    else:
        text = "No weak topic so far: every answer was right. Keep it going with a practice question."
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text), accessory=practice_any))
    return [block.to_dict() for block in blocks]


def render_question_links(links: Sequence[QuestionLink]) -> list[dict[str, Any]]:
    """Where today's quiz question is: each channel with a quiz and a link to its latest question that
    counts (never a bonus), open or revealed."""
    if not links:
        text = (
            "*Today's quiz*\nNo channel has a daily quiz yet. A team lead can start one in the team's "
            "channel with `/quiz schedule 9:30am`. Meanwhile, `/quiz` gives you a practice question."
        )
        return [section(text).to_dict()]
    lines = [_link_line(link) for link in links[:LINKS_MAX]]
    if len(links) > LINKS_MAX:
        lines.append(f"…and {len(links) - LINKS_MAX} more channels.")
    blocks = [section(shorten("*Today's quiz*\n" + "\n".join(lines), TEXT_MAX)).to_dict()]
    waiting = next((link for link in links[:LINKS_MAX] if _waiting(link)), None)
    if waiting is not None:  # the person's own next step is the Home's main button
        answer = ButtonElement(
            text=PlainTextObject(text="Answer today's question"),
            action_id=ids.HOME_OPEN_QUESTION,
            url=waiting.permalink,
            style="primary",
        )
        blocks.append(ActionsBlock(elements=[answer]).to_dict())
    return blocks


def _waiting(link: QuestionLink) -> bool:
    """An open question the person hasn't answered, with a link to it."""
    return link.open_until is not None and link.answered is False and _safe_url(link.permalink)


def render_schedules(quizzes: Sequence[ChannelQuiz], viewer_zone: str | None = None) -> list[dict[str, Any]]:
    """The daily quizzes the person manages, each with *Edit* and *Stop*, and a button that starts one in
    another channel (anyone may try: the form says whom to ask when they may not). A quiz in
    *viewer_zone* (the person's own, when known) needs no second time in its zone."""
    start = ButtonElement(
        text=PlainTextObject(text="Start a daily quiz in a channel"),
        action_id=ids.QUIZ_SCHEDULE_START,
        value="start",
    )
    if not quizzes:
        text = "*Daily quiz for your team*\nOne question a day in a channel, the answer revealed later."
        return [SectionBlock(text=MarkdownTextObject(text=text), accessory=start).to_dict()]
    blocks: list[Block] = [section("*Daily quizzes you manage*")]
    for quiz in quizzes[:SCHEDULES_MAX]:
        channel = channel_mention(quiz.channel)
        timing = quiz.timing
        zone = (
            ""
            if timing.timezone == viewer_zone
            else f" ({fit(timing.time, 20)} in {fit(timing.timezone, 64)})"
        )
        text = (
            f"{channel} — {fit(timing.days, 60)} at *{quiz_time(timing, quiz.next_due)}* your time{zone}\n"
            f"Next question: {slack_date(quiz.next_due)} · answer revealed {fit(timing.reveal, 40)}"
        )
        blocks.append(section(text))
        blocks.append(ActionsBlock(elements=_schedule_buttons(quiz)))
    if len(quizzes) > SCHEDULES_MAX:
        more = len(quizzes) - SCHEDULES_MAX
        blocks.append(context(f"…and {more} more. `/quiz status #channel` shows any channel's quiz."))
    blocks.append(ActionsBlock(elements=[start]))
    return [block.to_dict() for block in blocks]


def practice_sent(topic: str | None, permalink: str | None) -> str:
    """The Home's notice once a practice question went to the person's DM (*topic*: its name, if one)."""
    about = f" on *{fit(one_line(topic), 80)}*" if topic else ""
    where = f"<{permalink}|open it in Messages>" if _safe_url(permalink) else "it's in the Messages tab"
    return f"📬 Sent you a practice question{about} — {where}."


def undo_stop_button(channel: str, name: str | None = None) -> dict[str, Any]:
    """*Undo* in the Home's notice after *Stop*: the quiz back on as it was (value = the channel id)."""
    return ButtonElement(
        text=PlainTextObject(text="Undo"),
        action_id=ids.QUIZ_SCHEDULE_RESUME,
        value=channel,
        accessibility_label=_label("Start the daily quiz again in", name),
    ).to_dict()


def _schedule_buttons(quiz: ChannelQuiz) -> list[ButtonElement]:
    edit = ButtonElement(
        text=PlainTextObject(text="Edit"),
        action_id=ids.QUIZ_SCHEDULE_EDIT,
        value=quiz.channel,
        accessibility_label=_label("Edit the daily quiz in", quiz.name),
    )
    stop = ButtonElement(
        text=PlainTextObject(text="Stop"),
        action_id=ids.QUIZ_SCHEDULE_STOP,
        value=quiz.channel,
        style="danger",
        accessibility_label=_label("Stop the daily quiz in", quiz.name),
        confirm=ConfirmObject(
            title=PlainTextObject(text="Stop this daily quiz?"),
            text=PlainTextObject(
                text=f"No more questions are posted in {_channel_name(quiz.name)}. Its days, time and "
                "options are kept: Undo starts it again as it was."
            ),
            confirm=PlainTextObject(text="Stop it"),
            deny=PlainTextObject(text="Keep it"),
            style="danger",
        ),
    )
    return [edit, stop]


def _label(doing: str, name: str | None) -> str:
    """A button's accessibility label naming its channel ("Stop the daily quiz in #new-hires")."""
    return shorten(f"{doing} {_channel_name(name)}", ACCESSIBILITY_LABEL_MAX)


def _channel_name(name: str | None) -> str:
    """``#new-hires`` in plain text (labels and confirm dialogs show no mentions), or "this channel"."""
    return f"#{shorten(one_line(name), 40)}" if name else "this channel"


def _link_line(link: QuestionLink) -> str:
    channel = channel_mention(link.channel)
    if link.posted_at is None:
        when = (
            f": the first question comes {slack_date(link.next_due)}"
            if link.next_due
            else ": no question yet"
        )
        return f"• {channel}{when}"
    posted = slack_date(link.posted_at, "{date_pretty} at {time}")
    if _safe_url(link.permalink):
        where = f"<{link.permalink}|the question that counts> (posted {posted})"
    else:
        where = f"the question that counts was posted {posted}"
    if link.open_until is None:
        state = "answer revealed in its thread"
        if link.next_due is not None:
            state += f"; next question {slack_date(link.next_due)}"
    else:
        state = f"open until {slack_date(link.open_until)}"
        if link.answered is not None:
            state += " · ✓ you answered" if link.answered else " · you haven't answered yet"
    return f"• {channel}: {where} — {state}"


def _safe_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith("https://") and not set(str(url)) & set("<>| ")
