"""The learning path's words to a person about the path itself: the welcome's first lines (who put them on
it, why, and what it asks), leaving it (*Not for me*, `/learn stop` with *Undo*, *Stop and forget me*) and
the one line for small talk in the DM. Pure, like `bot.learn.blocks`.
"""

from __future__ import annotations

import datetime as dt
import re

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ConfirmObject,
    MarkdownTextObject,
    SectionBlock,
)

from bot.core.blocks import context, plain, section, slack_date
from bot.core.message import Message
from bot.core.text import user_mention
from bot.learn import ids
from bot.learn.first_contact import Commitment
from bot.learn.records import Status

PATH = "the MLOps vs DevOps path"
LEGACY_CHANNEL = "channel"
"""`enrolled_by` of people who joined the learning channel before the channel's id was kept."""
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{2,}")
_USER_ID = re.compile(r"[UW][A-Z0-9]{2,}")
WELCOME_COMMANDS = (
    "`/learn status` your progress · `/learn pause` a break · `/learn stop` ends the path · "
    "`/quiz` a practice question any time"
)


def welcome_intro(learner: str, enrolled_by: str, commitment: Commitment, at: dt.time) -> str:
    """``👋 <@ADA> added you to the MLOps vs DevOps path: about 2 minutes a day, for about 15 weeks.`` and
    how the days go (mrkdwn; nothing typed by a person in it)."""
    asks = f"about {_plural(commitment.minutes_a_day, 'minute')} a day"
    if commitment.weeks is not None:
        asks += f", for about {_plural(commitment.weeks, 'week')}"
    return (
        f"👋 {_why(learner, enrolled_by)}: {asks}.\n"
        f"Each working day at {at.strftime('%H:%M')} your time I'll send you a question or a few. Wrong "
        "answers come back sooner and right ones later, until every topic sticks."
    )


def _why(learner: str, enrolled_by: str) -> str:
    if enrolled_by == learner:
        return f"You're on {PATH}"
    if _USER_ID.fullmatch(enrolled_by):
        return f"{user_mention(enrolled_by)} added you to {PATH}"
    if _CHANNEL_ID.fullmatch(enrolled_by):
        return f"You're on {PATH} because you joined <#{enrolled_by}>"
    if enrolled_by == LEGACY_CHANNEL:
        return f"You're on {PATH} because you joined the learning channel"
    return f"You've been added to {PATH}"  # by someone who has since asked to be forgotten


def opt_out_row() -> Block:
    """*Not for me* for someone put on the path by others: on its own line under the day's questions."""
    button = ButtonElement(
        text=plain("Not for me"),
        action_id=ids.LEARN_OPT_OUT,
        value="stop",
        accessibility_label="Not for me: leave the learning path",
        confirm=_confirm(
            "Leave the path?",
            "No more questions from me. Your answers are kept: type /learn to start again.",
            "Leave the path",
            "Stay",
        ),
    )
    return SectionBlock(text=MarkdownTextObject(text="_Not what you signed up for?_"), accessory=button)


def render_stop_offer() -> Message:
    """After `/learn stop` or *Not for me*: *Undo*, and *Stop and forget me* (behind a confirm)."""
    text = "⏹️ Stopped: no more DMs. Your progress is kept; *Undo* or `/learn` picks it up again."
    undo = ButtonElement(
        text=plain("Undo"),
        action_id=ids.LEARN_UNDO_STOP,
        value="undo",
        style="primary",
        accessibility_label="Undo: back on the learning path, progress kept",
    )
    forget = ButtonElement(
        text=plain("Stop and forget me"),
        action_id=ids.LEARN_FORGET,
        value="forget",
        style="danger",
        accessibility_label="Stop and forget me: delete your path and its answers",
        confirm=_confirm(
            "Delete your path?",
            "Your answers and progress on the path are deleted. This can't be undone.",
            "Delete",
            "Keep them",
            danger=True,
        ),
    )
    blocks: list[Block] = [
        section(text),
        ActionsBlock(elements=[undo, forget]),
        context("Forgetting deletes your answers and progress on the path."),
    ]
    return Message.build(text.replace("*", ""), blocks)


def back_on_path(next_due: dt.datetime) -> str:
    return f"▶️ Back on the path, progress kept. Your next questions come {slack_date(next_due)}."


def render_small_talk(status: Status, commitment: Commitment) -> Message:
    """A learner's short text in the DM that is no topic ("thanks!", "how long will this take?"): one line
    on where things are, instead of "I don't have a topic"."""
    minutes = _plural(commitment.minutes_a_day, "minute")
    if status is Status.PAUSED:
        text = f"🙂 Your path is paused: `/learn resume` picks it up again (about {minutes} a day)"
    else:
        text = f"🙂 Answer today's questions with their buttons (about {minutes} a day)"
    text += " · `/learn status` shows your progress · want more? `/quiz` gives a practice question"
    blocks: list[Block] = [
        section(text),
        context("To look a topic up, type its name here, like `drift` or `feature store`."),
    ]
    return Message.build(text, blocks)


def _confirm(title: str, text: str, yes: str, no: str, *, danger: bool = False) -> ConfirmObject:
    """Slack's own "are you sure?" dialog before a button acts (plain text only; its limits: title 100,
    text 300, buttons 30)."""
    return ConfirmObject(
        title=plain(title, 100),
        text=plain(text, 300),
        confirm=plain(yes, 30),
        deny=plain(no, 30),
        style="danger" if danger else None,
    )


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
