"""The reveal: the reply in a quiz post's thread, also shown in the channel. Who got it first and their
streaks, the answer, the common wrong pick and why it is wrong, the explanation, and what to do next."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from slack_sdk.models.blocks import ActionsBlock, Block

from bot.core.blocks import context, slack_date
from bot.core.message import Message
from bot.core.text import fit, one_line
from bot.quiz.blocks.post import choice_name, learn_button, list_section, mrkdwn_section
from content.model import Choice, Question

if TYPE_CHECKING:
    from bot.quiz.records import Results

NAMED_MAX = 3
"""How many of those who got it right the reveal names."""
STREAK_MIN = 2
"""A streak worth celebrating: this question and at least the one before, right."""
COMMON_WRONG_MIN = 2
"""People behind a wrong pick before the reveal calls it common (one person's slip is not a pattern)."""
NAME_MAX = 40


@dataclass(frozen=True, slots=True)
class Winner:
    """Someone who got it right, among the first: their name as Slack shows it, and their streak of daily
    questions right in a row, this one included (0 for a bonus question, which no streak counts)."""

    name: str
    streak: int = 0


def render_reveal(
    question: Question,
    results: Results,
    winners: Sequence[Winner] = (),
    next_due: datetime | None = None,
) -> Message:
    """The answer and who got it first (names, not mentions: nobody is pinged), the common wrong pick and
    why it is wrong, why the answer is right, why not the others, and a way in for whoever missed it."""
    correct = choice_name(question.correct_choice)
    headline = f"✅ *Answer: {correct}* — {got_it(results)}"
    if winners:
        headline += "\n" + _got_it(winners, results.correct)
    blocks: list[Block] = [mrkdwn_section(headline)]
    common = common_wrong_pick(question, results.by_choice)
    if common is not None:
        picked = results.by_choice[common.letter]
        why = f" — {fit(one_line(common.why_wrong), 600)}" if common.why_wrong else ""
        blocks.append(mrkdwn_section(f"🤔 *{picked} people picked {choice_name(common)}*{why}"))
    blocks.append(mrkdwn_section(f"💡 *Why {question.answer}:* ", question.explanation))
    others = [c for c in question.choices if c.letter not in (question.answer, common and common.letter)]
    if others:
        why_not = [(f"• *{c.letter}.* ", c.why_wrong or "") for c in others]
        blocks.append(list_section("*Why not the others*", why_not))
    blocks.append(ActionsBlock(elements=[learn_button(question.topic)]))
    blocks.append(context(missed_it(next_due)))
    return Message.build(f"Answer: {correct} — {got_it(results)}", blocks)


def got_it(results: Results) -> str:
    """ "4 of 9 got it right", or "no one answered"."""
    if results.answered <= 0:
        return "no one answered"
    return f"{results.correct} of {results.answered} got it right"


def missed_it(next_due: datetime | None) -> str:
    """The reveal's last line: a practice question now, and when the next daily one comes (if one does)."""
    practice = "Missed it? `/quiz` for a practice one"
    return f"{practice} · next question {slack_date(next_due)}" if next_due else practice


def most_picked_wrong(question: Question, by_choice: Mapping[str, int]) -> Choice | None:
    """The wrong choice picked most often (ties go to the earliest letter); None if nobody was wrong."""
    wrong = [c for c in question.choices if c.letter != question.answer and by_choice.get(c.letter, 0) > 0]
    return min(wrong, key=lambda c: (-by_choice[c.letter], c.letter), default=None)


def common_wrong_pick(question: Question, by_choice: Mapping[str, int]) -> Choice | None:
    """The most picked wrong choice when enough people picked it to be worth explaining first."""
    wrong = most_picked_wrong(question, by_choice)
    return wrong if wrong is not None and by_choice[wrong.letter] >= COMMON_WRONG_MIN else None


def _got_it(winners: Sequence[Winner], correct: int) -> str:
    """ "🎉 First to get it right: Ada (🔥 5 days in a row), Grace and 3 more"."""
    names = [
        fit(one_line(w.name), NAME_MAX)
        + (f" (🔥 {w.streak} days in a row)" if w.streak >= STREAK_MIN else "")
        for w in winners[:NAMED_MAX]
    ]
    more = correct - len(names)
    listed = ", ".join(names) + (f" and {more} more" if more > 0 else "")
    return f"🎉 First to get it right: {listed}"
