from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest

import content
from bot.compare import ids as compare_ids
from bot.core.blocks import render_notice
from bot.core.commands import CommandTable
from bot.core.message import Message
from bot.core.text import escape
from bot.quiz import ids as quiz_ids
from bot.quiz.blocks.personal import (
    QuizTiming,
    TopicScore,
    channel_mention,
    ordinal,
    render_leaderboard,
    render_schedule_intro,
    render_schedule_saved,
    render_schedule_status,
    render_schedule_stopped,
    render_stats,
    render_weekly_leaderboard,
    shared_ranks,
)
from bot.quiz.blocks.post import (
    HINT_NOTE,
    NOT_COUNTED_NOTE,
    Score,
    answer_label,
    answered_so_far,
    quiz_post_metadata,
    quiz_reveal_metadata,
    render_feedback,
    render_hint,
    render_practice,
    render_practice_feedback,
    render_quiz_post,
    render_revealed_post,
    slack_date,
)
from bot.quiz.blocks.reveal import Winner, most_picked_wrong, render_reveal
from bot.quiz.records import LeaderRow, Post, PostResult, PostStatus, Results, UserStats
from content.model import Choice, Question
from slackfake.limits import assert_message_within_limits, find_unescaped_mentions, iter_texts

ACCESSIBILITY_LABEL_MAX = 75
"""Slack's limit for a button's accessibility_label."""
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
        "topic": "focus_area",
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
NO_ANSWERS = Results(answered=0, correct=0, by_choice={})
SOME_ANSWERS = Results(answered=7, correct=3, by_choice={"A": 2, "B": 3, "D": 2})
TIMING = QuizTiming(time="09:30", timezone="Europe/Berlin", days="on weekdays", reveal="4 hours later")


def real_questions() -> list[Question]:
    try:
        return list(content.questions())
    except (FileNotFoundError, content.ContentError):  # the data files are optional for these tests
        return []


def every_quiz_message(question: Question) -> Iterator[tuple[str, Message]]:
    """Every builder that shows *question*, over every branch."""
    yield "post", render_quiz_post(question, 12345, 0)
    yield "post-many", render_quiz_post(question, 12345, 10**9, reveal_at=NOW)
    yield "post-bonus", render_quiz_post(question, 12345, 3, reveal_at=NOW, bonus=True)
    winners = [Winner(NASTY * 20, 99), Winner("Ada", 5), Winner("Grace"), Winner("Linus", 2)]
    for results in (NO_ANSWERS, SOME_ANSWERS):
        for bonus in (False, True):
            yield "revealed", render_revealed_post(question, results, bonus=bonus)
        yield "reveal", render_reveal(question, results)
        yield "reveal-named", render_reveal(question, results, winners, next_due=NOW)
    yield "practice", render_practice(question)
    yield "practice-scored", render_practice(question, Score(9999, 10_000))
    yield "hint", render_hint(question)
    for choice in question.choices:
        for first in (True, False):
            for counted in (True, False):
                for hint in (True, False):
                    yield (
                        "feedback",
                        render_feedback(
                            question, choice.letter, first=first, counted=counted, hint_used=hint, bonus=hint
                        ),
                    )
                yield (
                    "feedback-answer-at-reveal",
                    render_feedback(question, choice.letter, first=first, counted=True, answer_at=NOW),
                )
        yield "practice-feedback", render_practice_feedback(question, choice.letter, Score(3, 4))


def other_messages() -> Iterator[tuple[str, Message]]:
    nasty_ids = ["<!channel>", "U&<x>", "W0AB", "u123", ""]
    rows = [LeaderRow(f"U{i:08d}", 30 - i, 40) for i in range(15)] + [LeaderRow(i, 1, 2) for i in nasty_ids]
    yield "stats-empty", render_stats(UserStats(0, 0, 0, 0, 0))
    yield "stats-bonus-only", render_stats(UserStats(0, 0, 0, 0, 0, bonus_answered=3))
    yield "stats", render_stats(UserStats(12, 9, 75, 3, 5))
    yield "stats-weakest", render_stats(UserStats(12, 9, 75, 3, 5), TopicScore("x", NASTY * 9, 1, 3))
    yield "leaderboard", render_leaderboard(rows, "C0123", me="U00000003")
    yield "leaderboard-not-me", render_leaderboard(rows, "C0123", me="UNOBODY")
    yield "leaderboard-nasty", render_leaderboard(rows[-5:], NASTY)
    yield "leaderboard-empty", render_leaderboard([], "C0123", days=1)
    yield "leaderboard-bonus-only", render_leaderboard([], "C0123", bonus_answers=2)
    yield "status", render_schedule_status("C0123", TIMING, source="schedule", next_due=NOW)
    yield "status-default", render_schedule_status("C0123", TIMING, source="default", next_due=NOW)
    yield "status-none", render_schedule_status(NASTY, None, source="none")
    yield (
        "status-manager",
        render_schedule_status("C0123", TIMING, source="schedule", manager=True, set_up_by="U1"),
    )
    nasty = QuizTiming(NASTY * 3, NASTY * 5, NASTY * 5, NASTY * 5, (NASTY * 5,))
    yield "status-nasty", render_schedule_status(NASTY, nasty, source="schedule")
    yield "status-nasty-due", render_schedule_status(NASTY, nasty, source="schedule", next_due=NOW)
    yield "saved", render_schedule_saved("C0123", TIMING, next_due=NOW)
    post = Post(1, "C0123", "s", NOW.date(), "q", NOW, "a", NOW, *[None] * 2, NOW, *[None] * 6)
    for status in PostStatus:
        result = PostResult(status, post, reason=NASTY)
        yield "saved-posted-now", render_schedule_saved("C0123", TIMING, next_due=NOW, posted_now=result)
    yield "intro-nasty", render_schedule_intro(NASTY, nasty, next_due=NOW)
    yield "weekly", render_weekly_leaderboard(rows, {row.user_id: NASTY for row in rows[::2]})
    yield "stopped", render_schedule_stopped("C0123")
    yield "notice", render_notice(f"You can't do that with {escape(NASTY)} " + "x" * 4000)


def mentions(message: Message) -> list[str]:
    """Slack markup in *message* other than our own dates (which never ping anyone)."""
    return [m for m in find_unescaped_mentions(message) if not m.startswith("<!date^")]


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
        assert mentions(message) == [], name
        assert not RAW_AMPERSAND.search(all_text(message)), name


@pytest.mark.parametrize("question", [*QUESTIONS, *real_questions()[:40]], ids=lambda q: q.id[:20])
def test_every_answer_button_tells_a_screen_reader_its_choice(question: Question) -> None:
    for name, message in every_quiz_message(question):
        for button in buttons(message):
            if button["action_id"].startswith((quiz_ids.QUIZ_ANSWER + ":", quiz_ids.PRACTICE_ANSWER + ":")):
                letter = button["action_id"][-1]
                assert button["accessibility_label"] == answer_label(question.choice(letter)), name
                assert button["accessibility_label"].startswith(f"Answer {letter}: "), name
                assert len(button["accessibility_label"]) <= ACCESSIBILITY_LABEL_MAX, name


def test_every_quiz_button_that_stops_something_asks_first() -> None:
    messages = [*other_messages(), *(m for q in QUESTIONS for m in every_quiz_message(q))]
    for name, message in messages:
        for button in buttons(message):
            if "stop" in button["text"]["text"].lower():
                assert button.get("confirm"), name


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
        topic = content.topic(question.topic)
        for name, message in every_quiz_message(question):
            assert_message_within_limits(message)
            assert mentions(message) == [], (question.id, name)
        wrong = next(c.letter for c in question.choices if c.letter != question.answer)
        feedback = render_feedback(question, wrong, first=True, counted=True)
        assert f"Learn: {topic.name}" in str(buttons(feedback)), question.id
        assert len(feedback.blocks) <= 3, question.id  # verdict, the Learn button, a note: no wall


def test_extreme_question_is_shortened_not_rejected() -> None:
    post = render_quiz_post(EXTREME, 1, 1)
    assert [b["text"]["text"] for b in buttons(post)] == ["A", "B", "C", "D", "💡 Hint"]
    assert "&lt;!channel&gt;" in post.blocks[1]["text"]["text"]
    assert len(post.text) <= 300


# --- the channel post -----------------------------------------------------------------------------


def test_post_has_short_letter_buttons_and_a_hint_button() -> None:
    post = render_quiz_post(SIMPLE, 42, 0)
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in buttons(post)] == [
        *((f"{quiz_ids.QUIZ_ANSWER}:{letter}", f"42:{letter}", letter) for letter in "ABCD"),
        (quiz_ids.QUIZ_HINT, "42", "💡 Hint"),
    ]
    answers = [b for b in buttons(post) if b["action_id"] != quiz_ids.QUIZ_HINT]
    assert all(quiz_ids.QUIZ_ANSWER_PATTERN.match(b["action_id"]) for b in answers)
    assert block_types(post).count("actions") == 1  # one row: it fits a phone


def test_post_shows_the_choices_once_and_no_hint() -> None:
    post = render_quiz_post(make_question(prompt=CODE_PROMPT), 1, 0, reveal_at=NOW)
    assert post.blocks[0] == {
        "type": "header",
        "text": {"type": "plain_text", "text": "Daily MLOps vs DevOps quiz", "emoji": True},
    }
    assert post.blocks[1]["text"]["text"] == escape(CODE_PROMPT)  # line breaks and ``` kept
    assert "*A.* DevOps manages data and models\n*B.* MLOps also manages" in post.blocks[2]["text"]["text"]
    text = all_text(post)
    assert text.count("DevOps manages data and models") == 1
    assert "Which side worries about data" not in text  # the hint is asked for, privately
    assert "Difficulty: medium" in text
    assert "Focus area" not in text  # the topic waits for the reveal: its name can point at a choice
    assert "Answer and explanation in the thread <!date^" in text


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
    assert context_text(block_with_id(post, quiz_ids.QUIZ_COUNT_BLOCK)) == text == answered_so_far(answered)
    assert post.blocks[-1]["block_id"] == quiz_ids.QUIZ_COUNT_BLOCK


def test_metadata() -> None:
    assert quiz_post_metadata(7) == {"event_type": quiz_ids.QUIZ_POST_EVENT, "event_payload": {"post_id": 7}}
    assert quiz_reveal_metadata(7) == {
        "event_type": quiz_ids.QUIZ_REVEAL_EVENT,
        "event_payload": {"post_id": 7},
    }


def test_revealed_post_marks_the_answer_and_points_to_the_thread() -> None:
    revealed = render_revealed_post(SIMPLE, SOME_ANSWERS)
    assert "actions" not in block_types(revealed)
    assert "✅ *B.* MLOps also manages data and models" in all_text(revealed)
    assert context_text(block_with_id(revealed, quiz_ids.QUIZ_COUNT_BLOCK)) == (
        "Answer: *B. MLOps also manages data and models* · 7 answered · 43% right · Explanation in the thread"
    )
    empty = render_revealed_post(SIMPLE, NO_ANSWERS)
    assert "No one answered" in context_text(block_with_id(empty, quiz_ids.QUIZ_COUNT_BLOCK))


# --- the reveal in the thread ---------------------------------------------------------------------


def test_reveal_leads_with_the_answer_and_who_got_it_then_why_and_ends_on_what_next() -> None:
    winners = [Winner("Ada", 5), Winner("Grace & co", 1)]
    reveal = render_reveal(SIMPLE, SOME_ANSWERS, winners, next_due=NOW)
    text = all_text(reveal)
    assert reveal.blocks[0]["text"]["text"] == (
        "✅ *Answer: B. MLOps also manages data and models* — 3 of 7 got it right\n"
        "🎉 First to get it right: Ada (🔥 5 days in a row), Grace &amp; co and 1 more"
    )
    assert "🔔" not in text and "<@" not in text  # names, never mentions: the reveal pings nobody
    # the common wrong pick (A, 2 people) and why it is wrong come before the explanation
    common = text.index("🤔 *2 people picked A. DevOps manages data and models* — It's the other way round.")
    assert common < text.index("💡 *Why B:* DevOps") < text.index("*Why not the others*")
    assert "• *A.*" not in text  # explained once, above
    assert reveal.text == "Answer: B. MLOps also manages data and models — 3 of 7 got it right"
    (learn,) = reveal.blocks[-2]["elements"]  # the topic is named once the answer is out
    assert learn["text"]["text"] == f"📖 Learn: {content.topic(SIMPLE.topic).name}"
    assert context_text(reveal.blocks[-1]) == (
        "Missed it? `/quiz` for a practice one · next question "
        f"<!date^{int(NOW.timestamp())}^{{date_short_pretty}} at {{time}}|2026-11-23 08:30 UTC>"
    )


def test_reveal_without_a_common_wrong_pick_or_a_next_question() -> None:
    one_wrong = Results(answered=3, correct=2, by_choice={"A": 1, "B": 2})
    reveal = render_reveal(SIMPLE, one_wrong, [Winner("Ada", 1)])
    text = all_text(reveal)
    assert "First to get it right: Ada and 1 more" in text and "in a row" not in text
    assert "picked" not in text and "• *A.*" in text
    assert context_text(reveal.blocks[-1]) == "Missed it? `/quiz` for a practice one"
    assert most_picked_wrong(SIMPLE, {"A": 1, "C": 4, "D": 4}) == SIMPLE.choice("C")
    assert most_picked_wrong(SIMPLE, {"B": 5, "Z": 9}) is None
    assert "no one answered" in render_reveal(SIMPLE, NO_ANSWERS).text


# --- hints and feedback ---------------------------------------------------------------------------


def test_hint_is_private_text_and_says_it_is_noted() -> None:
    hint = render_hint(SIMPLE)
    assert hint.text == "Hint: Which side worries about data?"
    assert "💡 *Hint:* Which side worries about data?" in all_text(hint)
    assert HINT_NOTE in all_text(hint)


def test_right_answer_feedback_is_short_with_a_learn_button() -> None:
    feedback = render_feedback(SIMPLE, "B", first=True, counted=True)
    assert feedback.blocks[0]["text"]["text"].startswith(
        "✅ *Right — B. MLOps also manages data and models*\n"
    )
    assert escape(SIMPLE.explanation) in all_text(feedback)
    assert [(b["action_id"], b["value"]) for b in buttons(feedback)] == [
        (compare_ids.open_topic("focus_area"), "focus_area")
    ]
    assert buttons(feedback)[0]["text"]["text"].startswith("📖 Learn: ")


def test_wrong_answer_feedback_says_why_and_the_answer() -> None:
    feedback = render_feedback(SIMPLE, "C", first=True, counted=True)
    text = all_text(feedback)
    assert "❌ *Not quite — you picked C. MLOps is only hardware*\nHardware is a side concern." in text
    assert "The answer is *B. MLOps also manages data and models*." in text
    assert block_types(feedback) == ["section", "actions"]
    assert NOT_COUNTED_NOTE not in text


def test_feedback_notes_a_late_answer_and_a_hint() -> None:
    feedback = render_feedback(SIMPLE, "B", first=True, counted=False, hint_used=True)
    assert NOT_COUNTED_NOTE in all_text(feedback) and "You used the hint." in all_text(feedback)


def test_second_answer_only_repeats_the_first() -> None:
    feedback = render_feedback(SIMPLE, "C", first=False, counted=True)
    assert feedback.text == "You already answered *C. MLOps is only hardware* — your first answer counts."
    assert block_types(feedback) == ["section"]


def test_unknown_letter_is_an_error() -> None:
    with pytest.raises(ValueError, match="no choice 'E'"):
        render_feedback(SIMPLE, "E", first=True, counted=True)
    with pytest.raises(ValueError):
        render_practice_feedback(SIMPLE, "", Score())


# --- practice -------------------------------------------------------------------------------------


def test_practice_question_carries_its_id_and_the_session_score() -> None:
    practice = render_practice(SIMPLE, Score(2, 3))
    assert [(b["action_id"], b["value"]) for b in buttons(practice)] == [
        *((f"{quiz_ids.PRACTICE_ANSWER}:{letter}", f"{SIMPLE.id}:{letter}:2/3") for letter in "ABCD"),
        (quiz_ids.PRACTICE_HINT, SIMPLE.id),
    ]
    assert "Practice — not counted" in context_text(practice.blocks[-1])
    assert "Session: 2 of 3 right" in context_text(practice.blocks[-1])
    assert all(b.get("block_id") != quiz_ids.QUIZ_COUNT_BLOCK for b in practice.blocks)
    post = render_quiz_post(SIMPLE, 1, 0)
    assert practice.blocks[1:3] == post.blocks[1:3]  # same question and choices


def test_practice_feedback_keeps_the_question_marks_the_pick_and_offers_next_steps() -> None:
    practice = render_practice_feedback(SIMPLE, "C", Score(3, 4))
    text = all_text(practice)
    assert "❌ *C.* MLOps is only hardware" in text and "✅ *B.* MLOps also manages" in text
    assert "Not quite" in text and "Session: 3 of 4 right" in text
    assert [b["action_id"] for b in buttons(practice)] == [
        quiz_ids.PRACTICE_NEXT,
        quiz_ids.PRACTICE_NEXT_TOPIC,
        compare_ids.open_topic("focus_area"),
    ]
    assert buttons(practice)[0]["value"] == f"{SIMPLE.id}:3/4"
    right = render_practice_feedback(SIMPLE, "B", Score(1, 1))
    assert "❌" not in all_text(right) and "✅ *Right" in all_text(right)


def test_score_survives_only_sane_values() -> None:
    assert Score.decode("3/4") == Score(3, 4) and Score(3, 4).after(True) == Score(4, 5)
    for forged in ("5/4", "x/y", "-1/2", "", "1/99999999"):
        assert Score.decode(forged) == Score()


# --- stats, leaderboard, schedule, help, notice ---------------------------------------------------


def test_stats_names_the_weakest_topic_with_a_practice_button() -> None:
    stats = render_stats(UserStats(12, 9, 75, 3, 5), TopicScore("monitoring", "Monitoring", 1, 3))
    assert stats.blocks[0]["type"] == "header"
    assert "*Your weakest topic:* Monitoring (1 of 3 right)" in all_text(stats)
    [button] = buttons(stats) or [b["accessory"] for b in stats.blocks if "accessory" in b]
    assert (button["action_id"], button["value"]) == (quiz_ids.PRACTICE_TOPIC, "monitoring")


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
    bonus_only = render_stats(UserStats(0, 0, 0, 0, 0, bonus_answered=2))
    assert "Your 2 answers so far went to bonus questions, which aren't counted" in bonus_only.text
    assert "haven't answered" not in bonus_only.text


def test_leaderboard_ties_share_a_rank_and_medals_need_a_right_answer() -> None:
    rows = [LeaderRow("U1", 3, 4), LeaderRow("U2", 3, 4), LeaderRow("U3", 2, 4), LeaderRow("U4", 0, 2)]
    assert shared_ranks(rows) == [1, 1, 3, 4]
    lines = render_leaderboard(rows, "C0123").blocks[1]["text"]["text"].splitlines()
    assert lines[1:] == [
        "🥇 *1st (tied)* <@U1> — 3/4 right",
        "🥇 *1st (tied)* <@U2> — 3/4 right",
        "🥉 *3rd* <@U3> — 2/4 right",
        "*4th* <@U4> — 0/2 right",
    ]
    nobody_right = render_leaderboard([LeaderRow("U9", 0, 3)], "C0123")
    assert "🥇" not in all_text(nobody_right)


def test_leaderboard_has_a_you_line() -> None:
    rows = [LeaderRow(f"U{i:03d}", 20 - i, 25) for i in range(12)]
    assert "You: 12th of 12 · 9/25 right" in all_text(render_leaderboard(rows, "C0123", me="U011"))
    assert "You haven't answered here" in all_text(render_leaderboard(rows, "C0123", me="UOTHER"))


def test_leaderboard_shows_top_ten_with_medals() -> None:
    rows = [LeaderRow(f"U{i:03d}", 20 - i, 25) for i in range(12)]
    board = render_leaderboard(rows, "C0123")
    lines = board.blocks[1]["text"]["text"].splitlines()
    assert lines[0] == "Most right answers in <#C0123> over the last 30 days:"
    assert lines[1:4] == [
        "🥇 *1st* <@U000> — 20/25 right",
        "🥈 *2nd* <@U001> — 19/25 right",
        "🥉 *3rd* <@U002> — 18/25 right",
    ]
    assert lines[4] == "*4th* <@U003> — 17/25 right"
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101, 111)] == [
        "1st", "2nd", "3rd", "4th", "11th", "12th", "13th", "21st", "22nd", "101st", "111th",
    ]  # fmt: skip
    assert len(lines) == 11
    # the fallback text names the channel too; only the ten shown are mentioned
    assert find_unescaped_mentions(board) == ["<#C0123>"] * 2 + [f"<@U{i:03d}>" for i in range(10)]


def test_leaderboard_escapes_malformed_ids() -> None:
    board = render_leaderboard([LeaderRow("<!channel>", 1, 1), LeaderRow("W0AB", 1, 1)], "<!here>")
    assert find_unescaped_mentions(board) == ["<@W0AB>"]
    assert "&lt;!channel&gt;" in all_text(board)


def test_leaderboard_empty_state() -> None:
    board = render_leaderboard([], "C0123", days=7)
    assert board.text.startswith("No counted quiz answers in <#C0123> in the last 7 days yet")
    assert "actions" not in block_types(board) and "Bonus" not in board.text
    assert "Answers to bonus questions (a second `/quiz now` the same day) don't count here" in (
        render_leaderboard([], "C0123", bonus_answers=1).text
    )


def test_schedule_status_from_schedule_default_and_none() -> None:
    status = render_schedule_status("C0123", TIMING, source="schedule", next_due=NOW)
    text = all_text(status)
    # Each reader sees the time in their own zone; the schedule's own zone is named beside it.
    epoch = int(NOW.timestamp())
    assert f"Daily quiz in <#C0123> on weekdays at *<!date^{epoch}^{{time}}|09:30 Europe/Berlin>*" in text
    assert "your time (09:30 in Europe/Berlin)" in text
    assert "revealed 4 hours later" in text
    assert f"<!date^{epoch}^{{date_short_pretty}} at {{time}}|2026-11-23 08:30 UTC>" in text
    assert "`/quiz stop`" not in text and "`/quiz leaderboard`" in text  # not a manager: no advice to change
    managed = all_text(
        render_schedule_status("C0123", TIMING, source="schedule", manager=True, set_up_by="U0ADA")
    )
    assert "Set up by <@U0ADA>. Change it with `/quiz schedule`, stop it with `/quiz stop`." in managed
    default = all_text(render_schedule_status("C0123", TIMING, source="default"))
    assert "Set up when the bot was installed." in default
    assert "Next question" not in default and "*09:30 in Europe/Berlin*" in default
    none = render_schedule_status("C0123", None, source="none")
    assert "no daily quiz in <#C0123>" in none.text and "`/quiz schedule`" not in none.text
    assert "`/quiz schedule`" in render_schedule_status("C0123", None, source="none", manager=True).text
    with pytest.raises(ValueError):
        render_schedule_status("C0123", None, source="schedule")


def test_schedule_saved_and_stopped() -> None:
    saved = render_schedule_saved("C0123", TIMING, next_due=NOW)
    assert saved.text.startswith("✅ Saved. Daily quiz in <#C0123> on weekdays at <!date^")
    assert "Next question: <!date^" in saved.text
    assert "Nothing is posted before then" in all_text(saved)
    assert render_schedule_stopped("C0123").text.startswith("Stopped the daily quiz in <#C0123>.")


def test_slack_date_and_channel_mention() -> None:
    berlin = NOW.astimezone(timezone(timedelta(hours=1)))
    assert slack_date(berlin) == slack_date(NOW)
    with pytest.raises(ValueError):
        slack_date(NOW.replace(tzinfo=None))
    assert channel_mention("G01AB") == "<#G01AB>"
    assert channel_mention("<!channel>") == "&lt;!channel&gt;"


def test_help_lists_every_subcommand(command_tables: dict[str, CommandTable]) -> None:
    quiz = command_tables["/quiz"]
    text = all_text(quiz.help_message())
    for usage in (
        "/quiz [topic]", "/quiz stats", "/quiz leaderboard", "/quiz now", "/quiz reveal",
        "/quiz schedule [#channel] time [timezone] [days]", "/quiz status", "/quiz stop", "/quiz help",
    ):  # fmt: skip
        assert f"• `{usage}` — " in text
    assert len(quiz.subcommands) == 9
    assert "*For quiz managers*\n• `/quiz now` — post a question here now: today's if none is out" in text
    assert "QUIZ_MANAGERS" not in text
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
