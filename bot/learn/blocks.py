"""Messages of the learning path. Pure: content, records and figures in, `Message` (or blocks) out.

A day's DM holds its questions the way the channel quiz shows one: the prompt, the choices as a lettered
list, then one row of short buttons ``A`` ``B`` ``C`` ``D`` and ``Hint``. Once a question is answered its
row gives way to the pick, so the DM reads as a history. Every DM ends with the learner's progress.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Mapping, Sequence
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    DividerBlock,
    HeaderBlock,
)

import content
from bot.compare import topic_button
from bot.core.blocks import context, header, plain, section, slack_date
from bot.core.message import MAX_BLOCKS, TEXT_MAX, Message
from bot.core.text import fit, one_line, shorten, user_mention
from bot.learn import ids
from bot.learn.contact_blocks import WELCOME_COMMANDS, opt_out_row
from bot.learn.progress import bar
from bot.learn.records import Pick, Progress, Status
from content.model import Choice, Question

HEADER_MAX = HeaderBlock.text_max_length
LABEL_MAX = ButtonElement.text_max_length
HOME_BLOCKS_MAX = 10
COHORT_LINES_PER_SECTION = 25
COHORT_MAX_LINES = 400

ACCESSIBLE_MAX = 75
"""Block Kit's longest `accessibility_label`."""
DAY_TITLE = "Today's MLOps vs DevOps questions"
WELCOME_TITLE = "Welcome to the MLOps vs DevOps path"
MASTERY_NOTE = (
    "A topic counts as learned once you've answered two of its questions right, a few days apart. "
    "A question you miss comes back with your next questions."
)


RESTING_NOTE = (
    "💤 A question missed four times rests, and its learner gets another on that topic with the topic's card."
)


def day_metadata(delivery_id: int) -> dict[str, Any]:
    """Slack message metadata of every learning-path DM (pass as ``metadata=`` to chat.postMessage)."""
    return {"event_type": ids.LEARN_DAY_EVENT, "event_payload": {"delivery_id": delivery_id}}


# --- progress ----------------------------------------------------------------------------------


def progress_line(progress: Progress, *, right: bool = True) -> str:
    """``Day 3 · 3 topics started · 1 of 50 learned (2%) · 🔥 3 days ▰▱▱▱▱▱▱▱▱▱`` (mrkdwn, nothing
    user-typed in it). Until a topic is learned it says what has started instead of an empty 0%; the bar
    comes last, after the words a screen reader needs, and only once there is something to show. `right`
    False leaves how many were right to a line of its own."""
    share = round(100 * progress.learned / progress.topics) if progress.topics else 0
    parts = [f"Day {max(progress.day, 1)}"]
    if progress.started:
        parts.append(f"{progress.started} {_plural(progress.started, 'topic')} started")
    if progress.learned:
        parts.append(f"{progress.learned} of {progress.topics} learned ({share}%)")
    elif progress.answered and right:
        parts.append(f"{progress.right} of {progress.answered} right")
    elif not progress.started:
        parts.append(f"{progress.topics} topics to go")
    if progress.streak:
        parts.append(f"🔥 {progress.streak} {_plural(progress.streak, 'day')}")
    if progress.graduated_at is not None:
        parts.append("🎓 graduated")
    line = " · ".join(parts)
    return f"{line} {bar(progress.learned, progress.topics)}" if progress.learned else line


def _summary(progress: Progress) -> list[str]:
    """The lines under the title of `/learn status` and the Home tab: progress, how many right and how
    long to go, and the path's state."""
    right = f"{progress.right} of {progress.answered} right so far" if progress.answered else ""
    figures = " · ".join(part for part in (right, _to_go(progress)) if part)
    lines = [
        progress_line(progress, right=False),
        figures[:1].upper() + figures[1:],
        _status_sentence(progress),
    ]
    return [line for line in lines if line]


def _to_go(progress: Progress) -> str:
    if progress.weeks_to_go is None or progress.status is not Status.ACTIVE:
        return ""
    weeks = "a week" if progress.weeks_to_go <= 1 else f"{progress.weeks_to_go} weeks"
    if not progress.answered:  # no pace of their own yet
        return f"about {weeks} in all"
    return f"about {weeks} to go at this pace"


def render_progress(progress: Progress, *, first_time: bool = False, in_dm: bool = False) -> Message:
    """`/learn status`, and `/learn` once enrolled (`first_time`: just now, `in_dm`: typed in our DM)."""
    lines = ["*Your MLOps vs DevOps path*", *_summary(progress)]
    if first_time:
        where = "just above" if in_dm else "in our DM"
        lines.insert(0, f"👋 You're on the path: your welcome, with today's questions, is {where}.")
    text = "\n".join(lines)
    blocks: list[Block] = [section(text), context(MASTERY_NOTE)]
    return Message.build(_plain_fallback(text), blocks)


def _status_sentence(progress: Progress) -> str:
    if progress.status is Status.PAUSED:
        why = f" ({fit(progress.reason, 200)})" if progress.reason else ""
        return f"⏸️ Paused{why}. `/learn resume` picks it up again."
    if progress.status is Status.STOPPED:
        return "⏹️ Stopped. `/learn` starts again where you left off."
    when = ""
    if progress.next_due_at is not None:
        when = f" Next questions: {slack_date(progress.next_due_at)}."
    if progress.graduated_at is not None:
        return "🎓 You graduated: one review a week at most keeps it fresh." + when
    return "▶️ Active: one DM each working day at your local time." + when


def render_home_section(progress: Progress | None) -> list[dict[str, Any]]:
    """The learning path's part of the Home tab (at most 10 blocks): progress, or how to start."""
    if progress is None:
        blocks: list[Block] = [
            section("*Learning path*\nA personal question in DM each working day, until every topic sticks."),
            context("Type `/learn` to start."),
        ]
    else:
        blocks = [
            section("\n".join(["*Learning path*", *_summary(progress)])),
            context(MASTERY_NOTE),
        ]
    assert len(blocks) <= HOME_BLOCKS_MAX
    return [block.to_dict() for block in blocks]


# --- the day's DM ------------------------------------------------------------------------------


def render_day(
    delivery_id: int,
    questions: Sequence[Question],
    picks: Mapping[str, Pick],
    progress: Progress,
    *,
    instead_of_resting: Collection[str] = (),
    intro: str | None = None,
    opt_out: bool = False,
    comes_back: Mapping[str, str] | None = None,
) -> Message:
    """One day's DM: its questions (answered ones show the pick, why, and `comes_back` (`day_words`) instead
    of buttons) and the progress. A question `instead_of_resting` one that kept slipping comes with its
    topic's card. With an `intro` (`welcome_intro`) it is the welcome; `opt_out` adds *Not for me*."""
    welcome = intro is not None
    blocks: list[Block] = [header(WELCOME_TITLE if welcome else DAY_TITLE)]
    if intro is not None:
        blocks += [section(intro), context(WELCOME_COMMANDS)]
    room = (MAX_BLOCKS - len(blocks) - 2) // 5  # each: divider, prompt, choices, buttons or verdict and card
    for index, question in enumerate(questions[:room]):
        if index or welcome:
            blocks.append(DividerBlock())
        with_card = question.id in instead_of_resting
        again = (comes_back or {}).get(question.id)
        blocks += _question_blocks(
            delivery_id, index, question, picks.get(question.id), with_card=with_card, comes_back=again
        )
    blocks.append(context(progress_line(progress)))
    if opt_out and len(picks) < len(questions):  # below everything, away from the answer buttons
        blocks.append(opt_out_row())
    title = WELCOME_TITLE if welcome else DAY_TITLE
    first = questions[0].prompt if questions else ""
    return Message.build(f"{title}: {fit(one_line(first), 200)}", blocks)


def _question_blocks(
    delivery_id: int,
    index: int,
    question: Question,
    pick: Pick | None,
    *,
    with_card: bool = False,
    comes_back: str | None = None,
) -> list[Block]:
    number = f"*{index + 1}.* "
    # The topic shows once answered: before, its name can point at the choice that names it.
    topic = f"_{fit(content.topic_name(question.topic), 60)}_ · " if pick is not None else ""
    prompt = section(
        shorten(number + topic, TEXT_MAX) + fit(question.prompt, TEXT_MAX - len(number + topic) - 1)
    )
    share = (TEXT_MAX // max(len(question.choices), 1)) - 8
    choices = section("\n".join(f"*{c.letter}.* {fit(one_line(c.text), share)}" for c in question.choices))
    if pick is None:
        buttons = [
            ButtonElement(
                text=plain(c.letter),
                action_id=f"{ids.LEARN_ANSWER}:{index}:{c.letter}",
                value=f"{delivery_id}:{index}:{c.letter}",
                accessibility_label=fit(f"Answer {c.letter}: {one_line(c.text)}", ACCESSIBLE_MAX),
            )
            for c in question.choices
        ]
        if question.hint.strip():
            buttons.append(
                ButtonElement(
                    text=plain("💡 Hint"),
                    action_id=f"{ids.LEARN_HINT}:{index}",
                    value=f"{delivery_id}:{index}",
                    accessibility_label=f"Show a hint for question {index + 1}",
                )
            )
        if with_card:  # a question of this topic kept slipping: the topic's card first
            card = topic_button(question.topic, "📖 Read up first")
            card.accessibility_label = "Open the card of this question's topic"
            buttons.append(card)
        return [prompt, choices, ActionsBlock(elements=buttons)]
    # The verdict and why stay in the DM itself: a private reply is gone after a reload.
    verdict = "\n".join([_pick_line(question, pick), _why(question, pick), _again(pick, comes_back)])
    return [prompt, choices, context(verdict.strip()), ActionsBlock(elements=[_learn_button(question)])]


def _pick_line(question: Question, pick: Pick) -> str:
    chosen = question.choice(pick.choice)
    name = _choice_name(chosen) if chosen is not None else fit(pick.choice, 8)
    if pick.correct:
        hint = " (with the hint)" if pick.hint_used else ""
        return f"You picked *{name}* — ✅ right{hint}"
    return f"You picked *{name}* — ❌ the answer is *{_choice_name(question.correct_choice)}*"


def _why(question: Question, pick: Pick) -> str:
    chosen = question.choice(pick.choice)
    why = (chosen.why_wrong if chosen is not None and not pick.correct else None) or question.explanation
    return fit(one_line(why), 1200)


def _again(pick: Pick, comes_back: str | None) -> str:
    if comes_back is None:
        return ""
    return f"This question comes back {'around ' if pick.correct else ''}{comes_back}."


def _learn_button(question: Question) -> ButtonElement:
    name = content.topic_name(question.topic)
    button = topic_button(question.topic, f"Learn: {name}")
    button.accessibility_label = fit(f"Open the card of {name}", ACCESSIBLE_MAX)
    return button


def day_words(day: dt.date, today: dt.date) -> str:
    """A learner's day said plainly, from their own today: ``today``, ``tomorrow``, ``on Monday`` (within
    a week) or ``on Mon 14 Dec``. Their DM is theirs alone, so their own calendar is the one to use."""
    ahead = (day - today).days
    if ahead <= 0:
        return "today"
    if ahead == 1:
        return "tomorrow"
    if ahead < 7:
        return f"on {day.strftime('%A')}"
    return f"on {day.strftime('%a')} {day.day} {day.strftime('%b')}"


# --- feedback ----------------------------------------------------------------------------------


def render_feedback(
    question: Question, pick: Pick, *, first: bool = True, comes_back: str | None = None
) -> Message:
    """The private reply to an answer: the verdict, the right answer, why, when the question comes back
    (`day_words`), and a *Learn: <topic>* button."""
    chosen = question.choice(pick.choice)
    correct = _choice_name(question.correct_choice)
    if not first:
        text = f"You already answered this one: *{_choice_name(chosen) if chosen else fit(pick.choice, 8)}*."
        return Message.build(text, [section(text)])
    if pick.correct:
        lines = [f"✅ Right — *{correct}*", _why(question, pick)]
    else:
        lines = [
            f"❌ Not quite — you picked *{_choice_name(chosen) if chosen else fit(pick.choice, 8)}*",
            f"The answer is *{correct}*.",
            _why(question, pick),
        ]
    blocks: list[Block] = [section("\n".join(line for line in lines if line))]
    if comes_back is not None:
        blocks.append(context(_again(pick, comes_back)))
    blocks.append(ActionsBlock(elements=[_learn_button(question)]))
    fallback = f"Right — {correct}" if pick.correct else f"Not quite; the answer is {correct}"
    return Message.build(_plain_fallback(fallback), blocks)


HINT_NOTE = "A right answer still counts; this question just comes back a little sooner."


def render_hint(question: Question, index: int) -> Message:
    """The private hint for question `index` (from 0) of a day's DM."""
    hint = fit(question.hint, 1000) or "No hint for this one — trust your first instinct."
    text = f"💡 *Hint for question {index + 1}:* {hint}"
    return Message.build(_plain_fallback(text), [section(text), context(HINT_NOTE)])


# --- pause, graduation, notices --------------------------------------------------------------


def render_pause_notice() -> Message:
    text = (
        "I've paused your MLOps vs DevOps path after 5 days without an answer, so these DMs don't pile up. "
        "Type `/learn resume` whenever you're ready to pick it up again."
    )
    return Message.build(text, [section(text)])


def render_graduation(progress: Progress, *, share: bool) -> Message:
    """The congratulations DM, with the learner's figures and a Share button (when there is a channel)."""
    text = (
        f"🎓 *You've learned all {progress.topics} topics of the MLOps vs DevOps path!*\n"
        f"{progress.day} days, {progress.right} of {progress.answered} answers right.\n"
        "From now on you'll get at most one review a week to keep it fresh."
    )
    blocks: list[Block] = [header("Congratulations!"), section(text)]
    if share:
        blocks.append(
            ActionsBlock(
                elements=[
                    ButtonElement(
                        text=plain("Share"), action_id=ids.LEARN_SHARE, value="share", style="primary"
                    )
                ]
            )
        )
    blocks.append(context(progress_line(progress)))
    return Message.build(_plain_fallback(text), blocks)


def render_graduation_announcement(user_id: str, progress: Progress) -> Message:
    text = (
        f"🎓 {user_mention(user_id)} has learned all {progress.topics} topics of the MLOps vs DevOps path "
        f"in {progress.day} days. Congratulations!"
    )
    return Message.build(_plain_fallback(text), [section(text)])


def render_cohort(rows: Sequence[tuple[Progress, str]], total: int) -> Message:
    """`/learn cohort`: one line per learner (progress, and why a path is paused or stopped)."""
    if not rows:
        text = "No one is on the learning path yet. `/learn enroll @someone` or `/learn` to start."
        return Message.build(text, [section(text)])
    lines = []
    for progress, _ in rows[:COHORT_MAX_LINES]:
        state = progress.status.value
        if progress.reason and progress.status is not Status.ACTIVE:
            state += f" ({fit(progress.reason, 120)})"
        if progress.graduated_at is not None:
            state += " 🎓"
        if progress.resting:
            names = ", ".join(fit(content.topic_name(topic), 40) for topic in progress.resting[:3])
            more = f" +{len(progress.resting) - 3}" if len(progress.resting) > 3 else ""
            state += f" · 💤 resting a question on {names}{more}"
        lines.append(f"{user_mention(progress.user_id)} — {progress_line(progress)} · {state}")
    blocks: list[Block] = [header("Learning path cohort")]
    room = MAX_BLOCKS - 2
    for start in range(0, len(lines), COHORT_LINES_PER_SECTION):
        if len(blocks) >= room:
            break
        blocks.append(section("\n".join(lines[start : start + COHORT_LINES_PER_SECTION])))
    shown = min(len(lines), (len(blocks) - 1) * COHORT_LINES_PER_SECTION)
    more = f" Showing {shown} of {total}." if total > shown else ""
    note = f"{MASTERY_NOTE} {RESTING_NOTE}"
    blocks.append(context(f"{total} {_plural(total, 'learner')}.{more} {note}"))
    return Message.build(f"Learning path cohort: {total} learners", blocks)


# --- helpers -----------------------------------------------------------------------------------


def _choice_name(choice: Choice) -> str:
    return f"{choice.letter}. {fit(one_line(choice.text), LABEL_MAX)}"


def _plural(count: int, word: str) -> str:
    return word if count == 1 else f"{word}s"


def _plain_fallback(text: str) -> str:
    return one_line(text.replace("*", ""))
