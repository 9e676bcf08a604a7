from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

import content
from bot.compare.blocks import render_comparison
from bot.core import ids
from bot.core.message import MAX_BLOCKS, Message
from bot.core.text import escape
from bot.quiz.blocks.personal import (
    QuizTiming,
    channel_mention,
    render_leaderboard,
    render_notice,
    render_quiz_help,
    render_schedule_saved,
    render_schedule_status,
    render_schedule_stopped,
    render_stats,
    slack_date,
)
from bot.quiz.blocks.post import (
    NOT_COUNTED_NOTE,
    PRACTICE_NOTE,
    answered_so_far,
    most_picked_wrong,
    quiz_post_metadata,
    quiz_reveal_metadata,
    render_feedback,
    render_practice,
    render_practice_feedback,
    render_quiz_post,
    render_reveal,
    render_revealed_post,
)
from bot.quiz.commands import QUIZ
from bot.quiz.records import LeaderRow, Results, UserStats
from content.model import Category, Choice, Question
from slackfake.limits import assert_message_within_limits, find_unescaped_mentions, iter_texts

NASTY = "<!channel> <!here> <@U0123ABC> & <#C1|x> "
RAW_AMPERSAND = re.compile(r"&(?!amp;|lt;|gt;)")
NOW = datetime(2026, 11, 23, 8, 30, tzinfo=UTC)


def words(length: int, word: str = "drift") -> str:
    """Text of exactly *length* characters made of words."""
    return ((word + " ") * length)[:length]


def make_question(**overrides: Any) -> Question:
    values: dict[str, Any] = {
        "id": "main-difference",
        "prompt": "What is the main difference between MLOps and DevOps?",
        "choices": (
            Choice("A", "DevOps manages data and models", "It's the other way round."),
            Choice("B", "MLOps also manages data and models", None),
            Choice("C", "MLOps is only hardware", "Hardware is a side concern."),
            Choice("D", "They are the same", "They share habits, not scope."),
        ),
        "answer": "B",
        "explanation": "DevOps centres on code; MLOps adds data and models.",
        "hint": "Which side worries about data?",
        "mistakes": ("Thinking DevOps manages models",),
        "difficulty": "medium",
        "category": "focus_area",
        "source": "original",
    }
    values.update(overrides)
    return Question(**values)


SIMPLE = make_question()
CODE_PROMPT = "Which stage runs this?\n```\nmake train && make deploy\n```\nPick one."
EXTREME = make_question(
    id="x" * 60,
    prompt=(NASTY + "```\n" + words(1900, "a&b<c>") + "\n```")[:2000],
    choices=tuple(
        Choice(letter, (NASTY + words(75, "&<>"))[:75], None if letter == "C" else NASTY + words(1990, "&"))
        for letter in "ABCD"
    ),
    answer="C",
    explanation=NASTY + words(2000, "<&>"),
    hint=NASTY + words(1990, "&"),
    mistakes=tuple(NASTY + words(1990, "&") for _ in range(8)),
)
QUESTIONS = [SIMPLE, make_question(prompt=CODE_PROMPT, mistakes=(), hint=""), EXTREME]
CARD = render_comparison(
    Category("focus_area", "Focus area", (), "MLOps side", "DevOps side", "Why.", "Example.", ("other",)),
    related=[Category("other", "Other", (), "m", "d", "w", None, ())],
)
NO_ANSWERS = Results(answered=0, correct=0, by_choice={})
SOME_ANSWERS = Results(answered=7, correct=3, by_choice={"A": 2, "B": 3, "D": 2})
TIMING = QuizTiming(time="09:30", timezone="Europe/Berlin", days="mon-fri", reveal_after="4h")


def real_questions() -> list[Question]:
    try:
        return list(content.questions())
    except (FileNotFoundError, content.ContentError):  # the data files are optional for these tests
        return []


def every_quiz_message(question: Question) -> Iterator[tuple[str, Message]]:
    """Every builder that shows *question*, over every branch."""
    yield "post", render_quiz_post(question, 12345, 0)
    yield "post-many", render_quiz_post(question, 12345, 10**9)
    for results in (NO_ANSWERS, SOME_ANSWERS):
        yield "revealed", render_revealed_post(question, 12345, results)
        yield "reveal", render_reveal(question, results)
    yield "practice", render_practice(question)
    for choice in question.choices:
        for first in (True, False):
            for counted in (True, False):
                yield (
                    "feedback",
                    render_feedback(question, choice.letter, first=first, counted=counted, compare_card=CARD),
                )
        yield "feedback-no-card", render_feedback(question, choice.letter, first=True, counted=True)
        yield "practice-feedback", render_practice_feedback(question, choice.letter, compare_card=CARD)


def other_messages() -> Iterator[tuple[str, Message]]:
    nasty_ids = ["<!channel>", "U&<x>", "W0AB", "u123", ""]
    rows = [LeaderRow(f"U{i:08d}", 30 - i, 40) for i in range(15)] + [LeaderRow(i, 1, 2) for i in nasty_ids]
    yield "stats-empty", render_stats(UserStats(0, 0, 0, 0, 0))
    yield "stats", render_stats(UserStats(12, 9, 75, 3, 5))
    yield "leaderboard", render_leaderboard(rows, "C0123")
    yield "leaderboard-nasty", render_leaderboard(rows[-5:], NASTY)
    yield "leaderboard-empty", render_leaderboard([], "C0123", days=1)
    yield "status", render_schedule_status("C0123", TIMING, source="schedule", next_due=NOW)
    yield "status-default", render_schedule_status("C0123", TIMING, source="default", next_due=NOW)
    yield "status-none", render_schedule_status(NASTY, None, source="none")
    nasty = QuizTiming(NASTY * 3, NASTY * 5, NASTY * 5, NASTY * 5)
    yield "status-nasty", render_schedule_status(NASTY, nasty, source="schedule")
    yield "saved", render_schedule_saved("C0123", TIMING, next_due=NOW)
    yield "stopped", render_schedule_stopped("C0123")
    yield "help", render_quiz_help(QUIZ.help_lines())
    yield "notice", render_notice(f"You can't do that with {escape(NASTY)} " + "x" * 4000)


def block_types(message: Message) -> list[str]:
    return [block["type"] for block in message.blocks]


def buttons(message: Message) -> list[dict[str, Any]]:
    return [e for b in message.blocks if b["type"] == "actions" for e in b["elements"]]


def all_text(message: Message) -> str:
    return "\n".join(text for _, text in iter_texts(message))


def block_with_id(message: Message, block_id: str) -> dict[str, Any]:
    return next(b for b in message.blocks if b.get("block_id") == block_id)


def context_text(block: dict[str, Any]) -> str:
    return " ".join(e["text"] for e in block["elements"])


# --- every builder: limits and escaping -----------------------------------------------------------


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id[:20])
def test_quiz_messages_fit_slack_and_never_mention(question: Question) -> None:
    for name, message in every_quiz_message(question):
        assert_message_within_limits(message)
        assert message.text.strip(), name
        assert find_unescaped_mentions(message) == [], name
        assert not RAW_AMPERSAND.search(all_text(message)), name


def test_other_messages_fit_slack() -> None:
    for name, message in other_messages():
        assert_message_within_limits(message)
        assert message.text.strip(), name
        assert not RAW_AMPERSAND.search(all_text(message)), name


def test_every_real_question_renders_within_limits() -> None:
    questions = real_questions()
    if not questions:
        pytest.skip("content/data/questions.toml is not there")
    for question in questions:
        category = content.category(question.category)
        card = render_comparison(category, related=[content.category(k) for k in category.see_also])
        for name, message in every_quiz_message(question):
            assert_message_within_limits(message)
            assert find_unescaped_mentions(message) == [], (question.id, name)
        wrong = next(c.letter for c in question.choices if c.letter != question.answer)
        feedback = render_feedback(question, wrong, first=True, counted=True, compare_card=card)
        assert escape(category.mlops)[:50] in all_text(feedback), question.id


def test_extreme_question_is_shortened_not_rejected() -> None:
    post = render_quiz_post(EXTREME, 1, 1)
    labels = [b["text"]["text"] for b in buttons(post)]
    assert all(60 <= len(label) <= 75 and label.endswith("…") for label in labels)
    assert labels[0].startswith("A. &lt;!channel&gt;")
    assert "&lt;!channel&gt;" in post.blocks[1]["text"]["text"]
    assert len(post.text) <= 300


# --- the channel post -----------------------------------------------------------------------------


def test_post_has_one_button_per_choice_with_post_id_and_letter() -> None:
    post = render_quiz_post(SIMPLE, 42, 0)
    assert [(b["action_id"], b["value"]) for b in buttons(post)] == [
        (f"{ids.QUIZ_ANSWER}:{letter}", f"42:{letter}") for letter in "ABCD"
    ]
    assert buttons(post)[0]["text"]["text"] == "A. DevOps manages data and models"
    assert all(ids.QUIZ_ANSWER_PATTERN.match(b["action_id"]) for b in buttons(post))
    assert not any(ids.PRACTICE_ANSWER_PATTERN.match(b["action_id"]) for b in buttons(post))


def test_post_shows_question_choices_hint_and_difficulty() -> None:
    post = render_quiz_post(make_question(prompt=CODE_PROMPT), 1, 0)
    assert post.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Daily MLOps vs DevOps quiz", "emoji": True},
    }
    assert post.blocks[1]["text"]["text"] == escape(CODE_PROMPT)  # line breaks and ``` kept
    assert "*A.* DevOps manages data and models\n*B.* MLOps also manages" in post.blocks[2]["text"]["text"]
    assert "Hint: Which side worries about data? · Difficulty: medium" in all_text(post)
    assert "Hint" not in all_text(render_quiz_post(make_question(hint=" "), 1, 0))


@pytest.mark.parametrize(
    ("answered", "text"),
    [
        (0, "No answers yet — be the first!"),
        (1, "1 person has answered so far"),
        (2, "2 people have answered so far"),
    ],
)
def test_post_count_is_singular_or_plural(answered: int, text: str) -> None:
    post = render_quiz_post(SIMPLE, 1, answered)
    assert context_text(block_with_id(post, ids.QUIZ_COUNT_BLOCK)) == text == answered_so_far(answered)
    assert post.blocks[-1]["block_id"] == ids.QUIZ_COUNT_BLOCK


def test_metadata() -> None:
    assert quiz_post_metadata(7) == {"event_type": ids.QUIZ_POST_EVENT, "event_payload": {"post_id": 7}}
    assert quiz_reveal_metadata(7) == {"event_type": ids.QUIZ_REVEAL_EVENT, "event_payload": {"post_id": 7}}


def test_revealed_post_has_no_buttons_and_shows_answer_and_results() -> None:
    revealed = render_revealed_post(SIMPLE, 1, SOME_ANSWERS)
    assert "actions" not in block_types(revealed)
    assert "Answer: *B. MLOps also manages data and models*" in all_text(revealed)
    assert "*A.* DevOps manages data and models" in all_text(revealed)
    assert context_text(block_with_id(revealed, ids.QUIZ_COUNT_BLOCK)) == "7 answered · 43% right"
    empty = render_revealed_post(SIMPLE, 1, NO_ANSWERS)
    assert context_text(block_with_id(empty, ids.QUIZ_COUNT_BLOCK)) == "No one answered"


# --- the reveal in the thread ---------------------------------------------------------------------


def test_reveal_explains_answer_wrong_choices_and_mistakes() -> None:
    reveal = render_reveal(SIMPLE, SOME_ANSWERS)
    text = all_text(reveal)
    assert "*The answer is B. MLOps also manages data and models*\nDevOps centres on code" in text
    for choice in SIMPLE.choices:
        if choice.why_wrong:
            assert f"• *{choice.letter}. {choice.text}* — {escape(choice.why_wrong)}" in text
    assert "*Common mistakes*\n• Thinking DevOps manages models" in text
    assert "Common mistakes" not in all_text(render_reveal(make_question(mistakes=()), SOME_ANSWERS))
    assert "actions" not in block_types(reveal)


def test_reveal_results_name_the_most_picked_wrong_choice_earliest_letter_on_ties() -> None:
    summary = context_text(render_reveal(SIMPLE, SOME_ANSWERS).blocks[-1])
    assert (
        summary
        == "7 answered · 43% right · Most picked wrong answer: *A. DevOps manages data and models* (2)"
    )
    assert most_picked_wrong(SIMPLE, {"A": 1, "C": 4, "D": 4}) == SIMPLE.choice("C")
    assert most_picked_wrong(SIMPLE, {"B": 5, "Z": 9}) is None
    all_right = Results(answered=3, correct=3, by_choice={"B": 3})
    assert context_text(render_reveal(SIMPLE, all_right).blocks[-1]) == "3 answered · 100% right"


# --- feedback -------------------------------------------------------------------------------------


def test_right_answer_feedback() -> None:
    feedback = render_feedback(SIMPLE, "B", first=True, counted=True, compare_card=CARD)
    assert feedback.blocks[0]["text"]["text"].startswith(
        "✅ Right — *B. MLOps also manages data and models*\n"
    )
    assert escape(SIMPLE.explanation) in all_text(feedback)
    assert len(feedback.blocks) == 1  # no card after a right answer


def test_wrong_answer_feedback_explains_and_appends_the_card_without_buttons() -> None:
    feedback = render_feedback(SIMPLE, "C", first=True, counted=True, compare_card=CARD)
    text = all_text(feedback)
    assert "❌ Not quite — you picked *C. MLOps is only hardware*\nHardware is a side concern." in text
    assert "The answer is *B. MLOps also manages data and models*" in text
    assert "actions" in block_types(CARD)
    assert "actions" not in block_types(feedback)
    card = [b for b in CARD.blocks if b["type"] != "actions"]
    assert feedback.blocks[-len(card) :] == card
    assert feedback.blocks[-len(card) - 1]["type"] == "divider"
    assert NOT_COUNTED_NOTE not in text


def test_feedback_after_reveal_says_not_counted() -> None:
    for letter in "BC":
        feedback = render_feedback(SIMPLE, letter, first=True, counted=False, compare_card=None)
        assert NOT_COUNTED_NOTE in all_text(feedback)


def test_second_answer_only_repeats_the_first() -> None:
    feedback = render_feedback(SIMPLE, "C", first=False, counted=True, compare_card=CARD)
    assert feedback.text == "You already answered *C. MLOps is only hardware* — your first answer counts."
    assert block_types(feedback) == ["section"]


def test_a_huge_card_is_cut_to_fit_fifty_blocks() -> None:
    section = {"type": "section", "text": {"type": "mrkdwn", "text": "row"}}
    huge = Message(text="card", blocks=[section] * MAX_BLOCKS)
    feedback = render_feedback(SIMPLE, "A", first=True, counted=False, compare_card=huge)
    practice = render_practice_feedback(SIMPLE, "A", compare_card=huge)
    assert len(feedback.blocks) == len(practice.blocks) == MAX_BLOCKS
    assert practice.blocks[-1]["elements"][0]["action_id"] == ids.PRACTICE_NEXT


def test_unknown_letter_is_an_error() -> None:
    with pytest.raises(ValueError, match="no choice 'E'"):
        render_feedback(SIMPLE, "E", first=True, counted=True, compare_card=None)
    with pytest.raises(ValueError):
        render_practice_feedback(SIMPLE, "")


# --- practice -------------------------------------------------------------------------------------


def test_practice_question_uses_practice_buttons_and_says_so() -> None:
    practice = render_practice(SIMPLE)
    assert [(b["action_id"], b["value"]) for b in buttons(practice)] == [
        (f"{ids.PRACTICE_ANSWER}:{letter}", f"{SIMPLE.id}:{letter}") for letter in "ABCD"
    ]
    assert all(ids.PRACTICE_ANSWER_PATTERN.match(b["action_id"]) for b in buttons(practice))
    assert not any(ids.QUIZ_ANSWER_PATTERN.match(b["action_id"]) for b in buttons(practice))
    assert context_text(practice.blocks[-1]) == PRACTICE_NOTE
    assert all(b.get("block_id") != ids.QUIZ_COUNT_BLOCK for b in practice.blocks)
    post = render_quiz_post(SIMPLE, 1, 0)
    assert practice.blocks[1:3] == post.blocks[1:3]  # same question and choices


def test_practice_feedback_reuses_feedback_and_offers_another_question() -> None:
    for letter in "BC":
        practice = render_practice_feedback(SIMPLE, letter)
        channel = render_feedback(SIMPLE, letter, first=True, counted=True, compare_card=None)
        assert practice.blocks[:-1] == channel.blocks
        assert practice.text == channel.text
        assert buttons(practice) == [
            {
                "type": "button",
                "action_id": ids.PRACTICE_NEXT,
                "value": SIMPLE.id,
                "text": {"type": "plain_text", "text": "Another question", "emoji": True},
                "style": "primary",
            }
        ]


# --- stats, leaderboard, schedule, help, notice ---------------------------------------------------


def test_stats() -> None:
    text = all_text(
        render_stats(UserStats(answered=12, correct=9, percent=75, current_streak=3, best_streak=5))
    )
    for part in (
        "*Answered*\n12",
        "*Right*\n9 (75%)",
        "*Current streak*\n3 in a row",
        "*Best streak*\n5 in a row",
    ):
        assert part in text
    assert "Current streak*\n—" in all_text(render_stats(UserStats(4, 0, 0, 0, 0)))
    empty = render_stats(UserStats(0, 0, 0, 0, 0))
    assert "haven't answered" in empty.text
    assert "`/quiz`" in empty.text


def test_leaderboard_shows_top_ten_with_medals() -> None:
    rows = [LeaderRow(f"U{i:03d}", 20 - i, 25) for i in range(12)]
    board = render_leaderboard(rows, "C0123")
    lines = board.blocks[1]["text"]["text"].splitlines()
    assert lines[0] == "Most right answers in <#C0123> over the last 30 days:"
    assert lines[1:4] == ["🥇 <@U000> — 20/25 right", "🥈 <@U001> — 19/25 right", "🥉 <@U002> — 18/25 right"]
    assert lines[4] == "4. <@U003> — 17/25 right"
    assert len(lines) == 11
    # the fallback text names the channel too; only the ten shown are mentioned
    assert find_unescaped_mentions(board) == ["<#C0123>"] * 2 + [f"<@U{i:03d}>" for i in range(10)]


def test_leaderboard_escapes_malformed_ids() -> None:
    board = render_leaderboard([LeaderRow("<!channel>", 1, 1), LeaderRow("W0AB", 1, 1)], "<!here>")
    assert find_unescaped_mentions(board) == ["<@W0AB>"]
    assert "&lt;!channel&gt;" in all_text(board)


def test_leaderboard_empty_state() -> None:
    board = render_leaderboard([], "C0123", days=7)
    assert board.text.startswith("No quiz answers in <#C0123> in the last 7 days yet")
    assert "actions" not in block_types(board)


def test_schedule_status_from_schedule_default_and_none() -> None:
    status = render_schedule_status("C0123", TIMING, source="schedule", next_due=NOW)
    text = all_text(status)
    assert "Daily quiz in <#C0123>: *09:30* Europe/Berlin on *mon-fri*" in text
    assert "revealed 4h later" in text
    assert f"<!date^{int(NOW.timestamp())}^{{date_short_pretty}} at {{time}}|2026-11-23 08:30 UTC>" in text
    assert "set with `/quiz schedule`" in text
    default = all_text(render_schedule_status("C0123", TIMING, source="default"))
    assert "default settings" in default
    assert "Next quiz" not in default
    none = render_schedule_status("C0123", None, source="none")
    assert "no daily quiz in <#C0123>" in none.text
    with pytest.raises(ValueError):
        render_schedule_status("C0123", None, source="schedule")


def test_schedule_saved_and_stopped() -> None:
    saved = render_schedule_saved("C0123", TIMING, next_due=NOW)
    assert saved.text.startswith("✅ Saved. Daily quiz in <#C0123>: *09:30*")
    assert "Next quiz: <!date^" in saved.text
    assert render_schedule_stopped("C0123").text.startswith("Stopped the daily quiz in <#C0123>.")


def test_slack_date_and_channel_mention() -> None:
    berlin = NOW.astimezone(timezone(timedelta(hours=1)))
    assert slack_date(berlin) == slack_date(NOW)
    with pytest.raises(ValueError):
        slack_date(NOW.replace(tzinfo=None))
    assert channel_mention("G01AB") == "<#G01AB>"
    assert channel_mention("<!channel>") == "&lt;!channel&gt;"


def test_help_lists_every_subcommand() -> None:
    text = all_text(render_quiz_help(QUIZ.help_lines()))
    for usage in (
        "/quiz", "/quiz stats", "/quiz leaderboard", "/quiz now", "/quiz reveal",
        "/quiz schedule [#channel] HH:MM [timezone] [days]", "/quiz status", "/quiz stop", "/quiz help",
    ):  # fmt: skip
        assert f"• `{usage}` — " in text
    assert len(QUIZ.subcommands) == 9
    assert "`/quiz stop` — stop the scheduled quiz in this channel _(managers)_" in text
    assert "`/quiz stats` — your answers, % right and streaks\n" in text


def test_notice_is_shown_verbatim() -> None:
    notice = render_notice("Only channel managers can do that. :lock:")
    assert notice.text == "Only channel managers can do that. :lock:"
    assert notice.blocks == [
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "Only channel managers can do that. :lock:", "verbatim": True},
        }
    ]
