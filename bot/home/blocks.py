"""The App Home tab and its parts, as Block Kit dicts: pure builders, records in, blocks out.

The tab is a list of sections, each a list of blocks from one provider (see `bot.home.service`); the
builders here make the Home's own sections and put them together within Slack's 100 blocks.
"""

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
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)
from slack_sdk.models.views import View

from bot.compare.blocks import topic_menu
from bot.core import ids
from bot.core.text import fit, one_line, shorten
from bot.quiz.blocks.personal import TopicScore, channel_mention, practice_topic_section
from bot.quiz.blocks.post import slack_date
from bot.quiz.records import UserStats
from bot.quiz.schedules import ChannelQuiz
from content.model import Topic

HOME_BLOCKS_MAX = 100
"""Slack's limit on the blocks of a Home tab."""
TEXT_MAX = 3000
LINKS_MAX = 10
"""Channels whose latest question the Home links to; more are counted."""
SCHEDULES_MAX = 20
"""Channels whose quiz a manager can edit or stop from the Home (two blocks each); more are counted."""
ANY_TOPIC = "any"
"""The value of *Practice a question*: not a topic key, so the quiz picks a question on any topic."""
TITLE = "MLOps vs DevOps"
INTRO = (
    "How MLOps differs from DevOps, one topic at a time. Type `/compare monitoring` anywhere, or mention me."
)
UNAVAILABLE = ":warning: This part isn't available right now. Open the tab again in a moment."
LEFT_OUT = "Some of this page didn't fit. `/quiz status #channel` and `/compare all` show the rest."


@dataclass(frozen=True, slots=True)
class QuestionLink:
    """A channel's latest quiz question for the Home: where it is (a permalink, when Slack gave one)."""

    channel: str
    permalink: str | None
    posted_at: datetime | None
    next_due: datetime | None = None


def render_home(sections: Sequence[Sequence[dict[str, Any]]], *, notice: str = "") -> dict[str, Any]:
    """The Home view: a title and intro, *notice* (mrkdwn we wrote, e.g. what the last click did), then
    each non-empty section after a divider. Sections that would take it past 100 blocks are left out,
    and a line says so."""
    head: list[dict[str, Any]] = [
        HeaderBlock(text=PlainTextObject(text=TITLE, emoji=True)).to_dict(),
        _context(INTRO).to_dict(),
    ]
    if notice.strip():
        head.append(SectionBlock(text=MarkdownTextObject(text=shorten(notice.strip(), TEXT_MAX))).to_dict())
    blocks = head
    left_out = False
    for section in sections:
        if not section:
            continue
        if len(blocks) + 1 + len(section) > HOME_BLOCKS_MAX - 1:  # one block stays free for LEFT_OUT
            left_out = True
            continue
        blocks = [*blocks, DividerBlock().to_dict(), *section]
    if left_out:
        blocks.append(_context(LEFT_OUT).to_dict())
    return View(type="home", blocks=blocks).to_dict()


def render_progress(stats: UserStats, weakest: TopicScore | None) -> list[dict[str, Any]]:
    """The person's quiz: answered, right, streaks, and their weakest topic with *Practice this* (or a
    practice question on any topic when nothing was wrong yet)."""
    practice_any = ButtonElement(
        text=PlainTextObject(text="Practice a question"), action_id=ids.PRACTICE_TOPIC, value=ANY_TOPIC
    )
    if stats.answered <= 0:
        text = (
            "*Your quiz*\nYou haven't answered a daily quiz question yet. Press a letter on the next one in "
            "your team's channel, or practise right now."
        )
        return [SectionBlock(text=MarkdownTextObject(text=text), accessory=practice_any).to_dict()]
    fields = [
        ("Answered", str(stats.answered)),
        ("Right", f"{stats.correct} ({stats.percent}%)"),
        ("Current streak", _in_a_row(stats.current_streak)),
        ("Best streak", _in_a_row(stats.best_streak)),
    ]
    blocks: list[Block] = [
        SectionBlock(
            text=MarkdownTextObject(text="*Your quiz*"),
            fields=[MarkdownTextObject(text=f"*{label}*\n{value}") for label, value in fields],
        )
    ]
    if weakest is not None:
        blocks.append(practice_topic_section(weakest))
    else:
        text = "No weak topic so far: every answer was right. Keep it going with a practice question."
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text), accessory=practice_any))
    return [block.to_dict() for block in blocks]


def render_question_links(links: Sequence[QuestionLink]) -> list[dict[str, Any]]:
    """Where today's quiz question is: each channel with a quiz and a link to its latest question."""
    if not links:
        text = (
            "*Today's quiz*\nNo channel has a daily quiz yet. A team lead can start one in the team's "
            "channel with `/quiz schedule 9:30am`. Meanwhile, `/quiz` gives you a practice question."
        )
        return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]
    lines = [_link_line(link) for link in links[:LINKS_MAX]]
    if len(links) > LINKS_MAX:
        lines.append(f"…and {len(links) - LINKS_MAX} more channels.")
    text = shorten("*Today's quiz*\n" + "\n".join(lines), TEXT_MAX)
    return [SectionBlock(text=MarkdownTextObject(text=text)).to_dict()]


def render_topic_lookup(topics: Sequence[Topic]) -> list[dict[str, Any]]:
    """A menu of every topic; picking one opens its card in a modal."""
    menu = topic_menu(topics, ids.HOME_PICK_TOPIC, placeholder="Pick a topic…")
    text = (
        f"*Look up a topic*\nHow MLOps and DevOps differ on any of {len(topics)} topics, side by side."
        if menu is not None
        else "*Look up a topic*\nType `/compare all` to see every topic."
    )
    return [SectionBlock(text=MarkdownTextObject(text=text), accessory=menu).to_dict()]


def render_schedules(quizzes: Sequence[ChannelQuiz]) -> list[dict[str, Any]]:
    """The daily quizzes the person manages, each with *Edit* and *Stop*; nothing for anyone else."""
    if not quizzes:
        return []
    blocks: list[Block] = [SectionBlock(text=MarkdownTextObject(text="*Daily quizzes you manage*"))]
    for quiz in quizzes[:SCHEDULES_MAX]:
        channel = channel_mention(quiz.channel)
        timing = quiz.timing
        text = (
            f"{channel} — *{fit(timing.time, 20)}* ({fit(timing.timezone, 64)}) {fit(timing.days, 60)}\n"
            f"Next question: {slack_date(quiz.next_due)} · "
            f"answer revealed {fit(timing.reveal_after, 30)} later"
        )
        blocks.append(SectionBlock(text=MarkdownTextObject(text=text)))
        blocks.append(ActionsBlock(elements=_schedule_buttons(quiz)))
    if len(quizzes) > SCHEDULES_MAX:
        more = len(quizzes) - SCHEDULES_MAX
        blocks.append(_context(f"…and {more} more. `/quiz status #channel` shows any channel's quiz."))
    return [block.to_dict() for block in blocks]


def render_unavailable() -> list[dict[str, Any]]:
    """What stands in for a section whose data could not be read (the database or Slack away)."""
    return [_context(UNAVAILABLE).to_dict()]


def practice_sent(topic: str | None, permalink: str | None) -> str:
    """The Home's notice once a practice question went to the person's DM (*topic*: its name, if one)."""
    about = f" on *{fit(one_line(topic), 80)}*" if topic else ""
    where = f"<{permalink}|open it in Messages>" if _safe_url(permalink) else "it's in the Messages tab"
    return f"📬 Sent you a practice question{about} — {where}."


PRACTICE_NOT_SENT = (
    ":warning: I couldn't send you the practice question just now. Try again in a moment, or type `/quiz` "
    "in any channel."
)


def render_edit_help(channel: str) -> dict[str, Any]:
    """The modal *Edit* opens when the quiz has no schedule form to offer: how to change it by command."""
    where = channel_mention(channel)
    text = (
        f"To change when the daily quiz runs in {where}, type this there, with your time, time zone and days:"
        "\n`/quiz schedule 9:30am Europe/Berlin mon-fri`"
    )
    blocks = [
        SectionBlock(text=MarkdownTextObject(text=text)),
        _context("Without a time zone, yours is used. `/quiz help` lists every option."),
    ]
    view = View(
        type="modal",
        callback_id=ids.HOME_EDIT_HELP,
        title=PlainTextObject(text="Change a daily quiz"),
        close=PlainTextObject(text="Close"),
        blocks=blocks,
    )
    return view.to_dict()


def _schedule_buttons(quiz: ChannelQuiz) -> list[ButtonElement]:
    edit = ButtonElement(
        text=PlainTextObject(text="Edit"), action_id=ids.QUIZ_SCHEDULE_EDIT, value=quiz.channel
    )
    stop = ButtonElement(
        text=PlainTextObject(text="Stop"),
        action_id=ids.HOME_STOP_SCHEDULE,
        value=quiz.channel,
        style="danger",
        confirm=ConfirmObject(
            title=PlainTextObject(text="Stop this daily quiz?"),
            text=PlainTextObject(text="No more questions are posted there until someone schedules it again."),
            confirm=PlainTextObject(text="Stop it"),
            deny=PlainTextObject(text="Keep it"),
            style="danger",
        ),
    )
    return [edit, stop]


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
        return f"• {channel}: <{link.permalink}|open the latest question> (posted {posted})"
    return f"• {channel}: latest question posted {posted}"


def _safe_url(url: str | None) -> bool:
    return bool(url) and str(url).startswith("https://") and not set(str(url)) & set("<>| ")


def _context(mrkdwn: str) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=mrkdwn)])


def _in_a_row(count: int) -> str:
    return f"{count} in a row" if count else "—"
