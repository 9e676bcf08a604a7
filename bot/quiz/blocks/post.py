"""Messages that show a quiz question: the channel post, its reveal, hints, practice and answer feedback.

A channel post and a practice question look the same: the choices once, as a lettered list, and one row
of short letter buttons (they fit a phone), plus a Hint button. Answer buttons carry ``<constant>:<letter>``
as action_id (unique within the block) and the post id or question id plus the letter as value, so a
listener needs nothing but the payload to record the answer.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

import content
from bot.compare import topic_button
from bot.core.blocks import context, header, plain, slack_date
from bot.core.message import TEXT_MAX, Message
from bot.core.text import fit, one_line, shorten
from bot.quiz import ids
from content.model import Choice, Question

if TYPE_CHECKING:
    from bot.quiz.records import Results

HEADER_MAX = HeaderBlock.text_max_length
LABEL_MAX = ButtonElement.text_max_length
ACCESSIBILITY_LABEL_MAX = 75
"""Slack's limit for a button's accessibility_label."""
FALLBACK_PROMPT_MAX = 200

POST_TITLE = "Daily MLOps vs DevOps quiz"
BONUS_TITLE = "Bonus MLOps vs DevOps question"
BONUS_LABEL = "Bonus · doesn't count"
"""How a bonus question (a `/quiz now` after the day's question) says that its answers don't count."""
PRACTICE_TITLE = "MLOps vs DevOps practice question"
NOT_COUNTED_NOTE = "The answer was already revealed, so this one isn't counted."
BONUS_NOTE = (
    "A bonus question: it doesn't count toward stats, streaks or the leaderboard. The day's question does."
)
HINT_LABEL = "💡 Hint"
HINT_NOTE = "Using the hint is noted with your answer; a right answer still counts."
WHY_MAX = 300
"""Characters of "why" in feedback: one or two sentences, never a wall."""


@dataclass(frozen=True, slots=True)
class Score:
    """A practice session's running score, carried in the buttons (nothing is stored)."""

    right: int = 0
    answered: int = 0

    def after(self, correct: bool) -> Score:
        return Score(self.right + correct, self.answered + 1)

    def encode(self) -> str:
        return f"{self.right}/{self.answered}"

    @classmethod
    def decode(cls, text: str) -> Score:
        right, _, answered = text.partition("/")
        if (
            not (right.isdigit() and answered.isdigit())
            or int(right) > int(answered)
            or int(answered) > 10_000
        ):
            return cls()
        return cls(int(right), int(answered))

    def line(self) -> str:
        return f"Session: {self.right} of {self.answered} right" if self.answered else ""


def quiz_post_metadata(post_id: int) -> dict[str, Any]:
    """Slack message metadata for a channel quiz post (pass as ``metadata=`` to chat.postMessage)."""
    return {"event_type": ids.QUIZ_POST_EVENT, "event_payload": {"post_id": post_id}}


def quiz_reveal_metadata(post_id: int) -> dict[str, Any]:
    """Slack message metadata for the reveal reply in the post's thread."""
    return {"event_type": ids.QUIZ_REVEAL_EVENT, "event_payload": {"post_id": post_id}}


def render_quiz_post(
    question: Question,
    post_id: int,
    answered: int,
    reveal_at: datetime | None = None,
    *,
    bonus: bool = False,
) -> Message:
    """The channel post: the prompt, the choices once as a lettered list, a row of short letter buttons and
    a Hint button (answered privately), the difficulty, and a live count (never who chose what). A *bonus*
    question (one more after the day's) says that it isn't counted."""
    value = str(post_id)
    hint = ButtonElement(text=plain(HINT_LABEL, LABEL_MAX), action_id=ids.QUIZ_HINT, value=value)
    when = (
        f" · Answer and explanation in the thread {slack_date(reveal_at, 'at {time}')}" if reveal_at else ""
    )
    blocks = [
        header(BONUS_TITLE if bonus else POST_TITLE),
        *_question_sections(question),
        ActionsBlock(
            block_id=ids.QUIZ_ANSWERS_BLOCK,
            elements=[*_letter_buttons(question, ids.QUIZ_ANSWER, lambda letter: f"{value}:{letter}"), hint],
        ),
        context(_bonus_prefix(bonus) + _about(question) + when),
        context(answered_so_far(answered), block_id=ids.QUIZ_COUNT_BLOCK),
    ]
    return Message.build(_fallback(BONUS_TITLE if bonus else POST_TITLE, question), blocks)


def render_revealed_post(question: Question, results: Results, *, bonus: bool = False) -> Message:
    """The channel post after the reveal: the question, the right choice marked, how people did."""
    answer = f"Answer: *{choice_name(question.correct_choice)}*"
    title = BONUS_TITLE if bonus else POST_TITLE
    blocks = [
        header(title),
        *_question_sections(question, marks={question.answer: "✅"}),
        context(
            f"{_bonus_prefix(bonus)}{answer} · {results_line(results)} · Explanation in the thread",
            block_id=ids.QUIZ_COUNT_BLOCK,
        ),
    ]
    return Message.build(
        f"{_fallback(title, question)} — answer: {choice_name(question.correct_choice)}", blocks
    )


def _bonus_prefix(bonus: bool) -> str:
    return f"*{BONUS_LABEL}* toward stats, streaks or the leaderboard · " if bonus else ""


def render_hint(question: Question) -> Message:
    """The hint, privately, to whoever asked for it."""
    hint = fit(one_line(question.hint), TEXT_MAX - 40)
    section = SectionBlock(text=MarkdownTextObject(text=f"💡 *Hint:* {hint}"))
    return Message.build(f"Hint: {hint}", [section, context(HINT_NOTE)])


def render_feedback(
    question: Question,
    chosen: str,
    *,
    first: bool,
    counted: bool,
    hint_used: bool = False,
    bonus: bool = False,
    answer_at: datetime | None = None,
) -> Message:
    """The private reply to whoever pressed an answer on a channel post: the verdict, the answer, one line
    of why, and a button to the topic's card. With *answer_at* (the channel keeps the answer for its
    reveal), a wrong pick learns why it is wrong, and that the answer comes then.

    With ``first=False`` *chosen* is the letter of the person's earlier (stored) answer. Raises
    ``ValueError`` when *chosen* is not a letter of the question.
    """
    choice = _choice(question, chosen)
    if not first:
        text = f"You already answered *{choice_name(choice)}* — your first answer counts."
        return Message.build(text, [mrkdwn_section(text)])
    notes = [
        note
        for note, on in (
            (NOT_COUNTED_NOTE, not counted),
            (BONUS_NOTE, counted and bonus),
            ("You used the hint.", hint_used),
        )
        if on
    ]
    held = answer_at if counted else None  # once the reveal is out there is nothing left to keep
    blocks = [_verdict(question, choice, held), ActionsBlock(elements=[learn_button(question.topic)])]
    if notes:
        blocks.append(context(" ".join(notes)))
    return Message.build(_verdict_fallback(question, choice, held is not None), blocks)


def render_practice(question: Question, score: Score = Score()) -> Message:
    """A `/quiz` practice question, just for one person; its buttons carry the question id and the score."""
    buttons = _letter_buttons(
        question, ids.PRACTICE_ANSWER, lambda letter: f"{question.id}:{letter}:{score.encode()}"
    )
    hint = ButtonElement(text=plain(HINT_LABEL, LABEL_MAX), action_id=ids.PRACTICE_HINT, value=question.id)
    notes = " · ".join(part for part in ("Practice — not counted", _about(question), score.line()) if part)
    blocks = [
        header(PRACTICE_TITLE),
        *_question_sections(question),
        ActionsBlock(elements=[*buttons, hint]),
        context(notes),
    ]
    return Message.build(_fallback(PRACTICE_TITLE, question), blocks)


def render_practice_feedback(question: Question, chosen: str, score: Score) -> Message:
    """The practice question again with the pick marked, the verdict, and what to do next; *score* already
    counts this answer."""
    choice = _choice(question, chosen)
    marks = {question.answer: "✅"} | ({} if choice.letter == question.answer else {choice.letter: "❌"})
    carried = f"{question.id}:{score.encode()}"
    buttons = [
        ButtonElement(
            text=plain("Another question", LABEL_MAX),
            action_id=ids.PRACTICE_NEXT,
            value=carried,
            style="primary",
        ),
        ButtonElement(
            text=plain("Another on this topic", LABEL_MAX), action_id=ids.PRACTICE_NEXT_TOPIC, value=carried
        ),
        learn_button(question.topic),
    ]
    blocks = [
        header(PRACTICE_TITLE),
        *_question_sections(question, marks=marks),
        _verdict(question, choice),
        ActionsBlock(elements=buttons),
        context(score.line()),
    ]
    return Message.build(_verdict_fallback(question, choice), blocks)


def learn_button(key: str) -> ButtonElement:
    """ "📖 Learn: <topic>", which opens the topic's /compare card."""
    return topic_button(key, f"📖 Learn: {content.topic_name(key)}")


def answered_so_far(answered: int) -> str:
    """The live count under a quiz post, e.g. "1 person has answered so far" (never who chose what)."""
    if answered <= 0:
        return "No answers yet — be the first!"
    if answered == 1:
        return "1 person has answered so far"
    return f"{answered} people have answered so far"


def results_line(results: Results) -> str:
    """ "12 answered · 75% right", or "No one answered" for a post without answers."""
    if results.answered <= 0:
        return "No one answered"
    return f"{results.answered} answered · {round(100 * results.correct / results.answered)}% right"


def _about(question: Question) -> str:
    """What a question says of itself before it is answered: its difficulty. Its topic waits for the
    feedback and the reveal: a topic's name can point at the choice that names it."""
    return f"Difficulty: {question.difficulty}"


def _question_sections(question: Question, marks: Mapping[str, str] | None = None) -> list[Block]:
    """The prompt (line breaks and code blocks kept) and the lettered choices, once, as text; *marks* puts
    ✅ or ❌ before a choice."""
    marks = marks or {}
    choices = [(f"{marks.get(c.letter, '')} *{c.letter}.* ".lstrip(), c.text) for c in question.choices]
    return [mrkdwn_section("", question.prompt), list_section("", choices)]


def _letter_buttons(question: Question, action: str, value: Callable[[str], str]) -> list[ButtonElement]:
    """One short button per choice: ``<action>:<letter>`` as action_id, ``value(letter)`` as value."""
    return [
        ButtonElement(
            text=plain(c.letter, LABEL_MAX),
            action_id=f"{action}:{c.letter}",
            value=value(c.letter),
            accessibility_label=answer_label(c),
        )
        for c in question.choices
    ]


def answer_label(choice: Choice) -> str:
    """What a screen reader says for a letter button: "Answer B: Model drift", within Slack's 75."""
    return shorten(f"Answer {choice.letter}: {one_line(choice.text)}", ACCESSIBILITY_LABEL_MAX)


def _verdict(question: Question, choice: Choice, answer_at: datetime | None = None) -> SectionBlock:
    """Right: the answer and a short why. Wrong: the pick and why not, then the answer (or, with
    *answer_at*, when the reveal brings it)."""
    correct = choice_name(question.correct_choice)
    if choice.letter == question.answer:
        return mrkdwn_section(f"✅ *Right — {correct}*\n", shorten(question.explanation, WHY_MAX))
    why = f"\n{fit(shorten(one_line(choice.why_wrong), WHY_MAX), WHY_MAX)}" if choice.why_wrong else ""
    answer = (
        f"The right answer comes with the reveal in the thread {slack_date(answer_at, 'at {time}')}."
        if answer_at is not None
        else f"The answer is *{correct}*."
    )
    return mrkdwn_section(f"❌ *Not quite — you picked {choice_name(choice)}*{why}\n{answer}")


def _verdict_fallback(question: Question, choice: Choice, held: bool = False) -> str:
    correct = choice_name(question.correct_choice)
    if choice.letter == question.answer:
        return f"Right — {correct}"
    if held:
        return f"Not quite — you picked {choice_name(choice)}; the right answer comes with the reveal"
    return f"Not quite — you picked {choice_name(choice)}; the answer is {correct}"


def _choice(question: Question, letter: str) -> Choice:
    choice = question.choice(letter)
    if choice is None:
        raise ValueError(f"question {question.id!r} has no choice {letter!r}")
    return choice


def choice_name(choice: Choice) -> str:
    """The letter and text of *choice*, e.g. ``B. Model drift``, escaped for use inside mrkdwn."""
    return f"{choice.letter}. {fit(one_line(choice.text), LABEL_MAX)}"


def _fallback(title: str, question: Question) -> str:
    return f"{title}: {fit(one_line(question.prompt), FALLBACK_PROMPT_MAX)}"


def mrkdwn_section(markup: str, content: str = "") -> SectionBlock:
    """A mrkdwn section: *markup* is ours and already safe; *content* is escaped and shortened to fit."""
    text = shorten(markup, TEXT_MAX)
    if content.strip() and len(text) < TEXT_MAX - 1:
        text += fit(content, TEXT_MAX - len(text))
    return SectionBlock(text=MarkdownTextObject(text=text.rstrip() or "—"))


def list_section(title: str, items: Sequence[tuple[str, str]]) -> SectionBlock:
    """One line per ``(markup, content)`` item under an optional *title*; each line gets an equal share."""
    share = (TEXT_MAX - len(title)) // max(len(items), 1) - 1
    lines = [
        shorten(markup + fit(one_line(content), max(share - len(markup), 1)), share)
        for markup, content in items
    ]
    return mrkdwn_section("\n".join([title, *lines] if title else lines))
