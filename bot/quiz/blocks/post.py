"""Messages that show a quiz question: the channel post, its reveal, practice questions and answer feedback.

A channel post and a practice question look the same; only their buttons differ. Answer buttons carry
``<constant>:<letter>`` as action_id (unique within the block) and the post id or question id plus the
letter as value, so a listener needs nothing but the payload to record the answer.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DividerBlock,
    HeaderBlock,
    MarkdownTextObject,
    PlainTextObject,
    SectionBlock,
)

from bot.core import ids
from bot.core.message import FIELD_MAX, MAX_BLOCKS, TEXT_MAX, Message
from bot.core.text import fit, one_line, shorten
from content.model import Choice, Question

if TYPE_CHECKING:
    from bot.quiz.records import Results

HEADER_MAX = HeaderBlock.text_max_length
LABEL_MAX = ButtonElement.text_max_length
BUTTONS_PER_ROW = ActionsBlock.elements_max_length
FALLBACK_PROMPT_MAX = 200

POST_TITLE = "Daily MLOps vs DevOps quiz"
PRACTICE_TITLE = "MLOps vs DevOps practice question"
PRACTICE_NOTE = "Practice — not counted in the channel."
NOT_COUNTED_NOTE = "The answer was already revealed, so this one isn't counted."
ANOTHER_QUESTION = "Another question"


def quiz_post_metadata(post_id: int) -> dict[str, Any]:
    """Slack message metadata for a channel quiz post (pass as ``metadata=`` to chat.postMessage)."""
    return {"event_type": ids.QUIZ_POST_EVENT, "event_payload": {"post_id": post_id}}


def quiz_reveal_metadata(post_id: int) -> dict[str, Any]:
    """Slack message metadata for the reveal reply in the post's thread."""
    return {"event_type": ids.QUIZ_REVEAL_EVENT, "event_payload": {"post_id": post_id}}


def render_quiz_post(question: Question, post_id: int, answered: int) -> Message:
    """The channel post with one answer button per choice and a live count (never who chose what)."""
    buttons = _answer_buttons(question, ids.QUIZ_ANSWER, str(post_id))
    count = context_line(answered_so_far(answered), block_id=ids.QUIZ_COUNT_BLOCK)
    return Message.build(
        _fallback(POST_TITLE, question), [*_question_blocks(question, POST_TITLE, buttons), count]
    )


def render_revealed_post(question: Question, post_id: int, results: Results) -> Message:
    """The channel post after the reveal: same question, no buttons, the answer and the results.

    *post_id* is accepted so the call mirrors :func:`render_quiz_post`; the revealed post has no buttons
    that would carry it.
    """
    blocks = [
        header(POST_TITLE),
        *_question_sections(question),
        mrkdwn_section(f"Answer: *{_choice_name(question.correct_choice)}*"),
        context_line(results_line(results), block_id=ids.QUIZ_COUNT_BLOCK),
    ]
    return Message.build(
        f"{_fallback(POST_TITLE, question)} — answer: {_choice_name(question.correct_choice)}", blocks
    )


def render_reveal(question: Question, results: Results) -> Message:
    """The reply in the post's thread: the answer explained, why the others are wrong, how people did."""
    correct = _choice_name(question.correct_choice)
    blocks: list[Block] = [mrkdwn_section(f"*The answer is {correct}*\n", question.explanation)]
    wrong = [
        (f"• *{_choice_name(c)}*" + (" — " if c.why_wrong else ""), c.why_wrong or "")
        for c in question.choices
        if c.letter != question.answer
    ]
    if wrong:
        blocks.append(_list_section("*Why not the others*", wrong))
    if question.mistakes:
        blocks.append(_list_section("*Common mistakes*", [("• ", m) for m in question.mistakes]))
    summary = results_line(results)
    popular = most_picked_wrong(question, results.by_choice)
    if popular is not None:
        summary += (
            f" · Most picked wrong answer: *{_choice_name(popular)}* ({results.by_choice[popular.letter]})"
        )
    blocks.append(context_line(summary))
    return Message.build(f"The answer is {correct}. {summary}", blocks)


def render_feedback(
    question: Question,
    chosen: str,
    *,
    first: bool,
    counted: bool,
    compare_card: Message | None = None,
) -> Message:
    """The ephemeral reply to whoever pressed an answer button on a channel post.

    With ``first=False`` *chosen* is the letter of the person's earlier (stored) answer. *compare_card*
    is the /compare card of the question's category; it is shown (without its buttons) after a wrong answer.
    Raises ``ValueError`` when *chosen* is not a letter of the question.
    """
    choice = _choice(question, chosen)
    if not first:
        text = f"You already answered *{_choice_name(choice)}* — your first answer counts."
        return Message.build(text, [mrkdwn_section(text)])
    note = None if counted else NOT_COUNTED_NOTE
    blocks = _verdict_blocks(question, choice, note=note, compare_card=compare_card)
    return Message.build(_verdict_fallback(question, choice), blocks)


def render_practice(question: Question) -> Message:
    """A `/quiz` practice question, just for one person; its buttons carry the question id."""
    buttons = _answer_buttons(question, ids.PRACTICE_ANSWER, question.id)
    blocks = [*_question_blocks(question, PRACTICE_TITLE, buttons), context_line(PRACTICE_NOTE)]
    return Message.build(_fallback(PRACTICE_TITLE, question), blocks)


def render_practice_feedback(
    question: Question, chosen: str, *, compare_card: Message | None = None
) -> Message:
    """Right or wrong for a practice answer, and an "Another question" button (value = this question id)."""
    choice = _choice(question, chosen)
    blocks = _verdict_blocks(question, choice, compare_card=compare_card, room=MAX_BLOCKS - 1)
    another = ButtonElement(
        text=_plain(ANOTHER_QUESTION, LABEL_MAX),
        action_id=ids.PRACTICE_NEXT,
        value=question.id,
        style="primary",
    )
    blocks.append(ActionsBlock(elements=[another]))
    return Message.build(_verdict_fallback(question, choice), blocks)


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


def most_picked_wrong(question: Question, by_choice: Mapping[str, int]) -> Choice | None:
    """The wrong choice picked most often (ties go to the earliest letter); None if nobody was wrong."""
    wrong = [c for c in question.choices if c.letter != question.answer and by_choice.get(c.letter, 0) > 0]
    return min(wrong, key=lambda c: (-by_choice[c.letter], c.letter), default=None)


def _question_blocks(question: Question, title: str, buttons: Sequence[ButtonElement]) -> list[Block]:
    rows = [
        ActionsBlock(elements=buttons[i : i + BUTTONS_PER_ROW])
        for i in range(0, len(buttons), BUTTONS_PER_ROW)
    ]
    details = f"Difficulty: {question.difficulty}"
    if question.hint.strip():
        details = f"Hint: {fit(one_line(question.hint), FIELD_MAX - len(details) - 3)} · {details}"
    return [header(title), *_question_sections(question), *rows, context_line(details)]


def _question_sections(question: Question) -> list[Block]:
    """The prompt (line breaks and code blocks kept) and the lettered choices as text."""
    choices = [(f"*{c.letter}.* ", c.text) for c in question.choices]
    return [mrkdwn_section("", question.prompt), _list_section("", choices)]


def _answer_buttons(question: Question, action: str, value_prefix: str) -> list[ButtonElement]:
    return [
        ButtonElement(
            text=_plain(f"{c.letter}. {c.text}", LABEL_MAX),
            action_id=f"{action}:{c.letter}",
            value=f"{value_prefix}:{c.letter}",
        )
        for c in question.choices
    ]


def _verdict_blocks(
    question: Question,
    choice: Choice,
    *,
    note: str | None = None,
    compare_card: Message | None = None,
    room: int = MAX_BLOCKS,
) -> list[Block]:
    """Right: the answer and explanation. Wrong: why not, the answer, and the /compare card to learn from.

    The card loses its buttons, and its last blocks if needed so the list stays within *room* blocks.
    """
    correct = _choice_name(question.correct_choice)
    right = choice.letter == question.answer
    blocks: list[Block] = (
        [mrkdwn_section(f"✅ Right — *{correct}*\n", question.explanation)]
        if right
        else [
            mrkdwn_section(f"❌ Not quite — you picked *{_choice_name(choice)}*\n", choice.why_wrong or ""),
            mrkdwn_section(f"The answer is *{correct}*\n", question.explanation),
        ]
    )
    if note:
        blocks.append(context_line(note))
    if compare_card is not None and not right:
        parsed = (Block.parse(b) for b in compare_card.blocks if b.get("type") != "actions")
        card = [b for b in parsed if b is not None][: room - len(blocks) - 1]
        if card:
            blocks += [DividerBlock(), *card]
    return blocks


def _verdict_fallback(question: Question, choice: Choice) -> str:
    correct = _choice_name(question.correct_choice)
    if choice.letter == question.answer:
        return f"Right — {correct}"
    return f"Not quite — you picked {_choice_name(choice)}; the answer is {correct}"


def _choice(question: Question, letter: str) -> Choice:
    choice = question.choice(letter)
    if choice is None:
        raise ValueError(f"question {question.id!r} has no choice {letter!r}")
    return choice


def _choice_name(choice: Choice) -> str:
    """The letter and text of *choice*, e.g. ``B. Model drift``, escaped for use inside mrkdwn."""
    return f"{choice.letter}. {fit(one_line(choice.text), LABEL_MAX)}"


def _fallback(title: str, question: Question) -> str:
    return f"{title}: {fit(one_line(question.prompt), FALLBACK_PROMPT_MAX)}"


# Building blocks, shared with quiz_personal.


def mrkdwn_section(markup: str, content: str = "") -> SectionBlock:
    """A mrkdwn section: *markup* is ours and already safe; *content* is escaped and shortened to fit."""
    text = shorten(markup, TEXT_MAX)
    if content.strip() and len(text) < TEXT_MAX - 1:
        text += fit(content, TEXT_MAX - len(text))
    return SectionBlock(text=MarkdownTextObject(text=text.rstrip() or "—"))


def _list_section(title: str, items: Sequence[tuple[str, str]]) -> SectionBlock:
    """One line per ``(markup, content)`` item under an optional *title*; each line gets an equal share."""
    share = (TEXT_MAX - len(title)) // max(len(items), 1) - 1
    lines = [
        shorten(markup + fit(one_line(content), max(share - len(markup), 1)), share)
        for markup, content in items
    ]
    return mrkdwn_section("\n".join([title, *lines] if title else lines))


def header(title: str) -> HeaderBlock:
    return HeaderBlock(text=_plain(title, HEADER_MAX))


def _plain(text: str, limit: int) -> PlainTextObject:
    return PlainTextObject(text=fit(one_line(text), limit), emoji=True)


def context_line(markup: str, *, block_id: str | None = None) -> ContextBlock:
    return ContextBlock(elements=[MarkdownTextObject(text=shorten(markup, FIELD_MAX))], block_id=block_id)
