from __future__ import annotations

from collections.abc import Sequence

import pytest

from bot.quiz.rotation import next_question_id

BANK = [f"q{n:02d}" for n in range(20)]


def play(channel: str, bank: Sequence[str], posts: int, history: Sequence[str] = ()) -> list[str]:
    """Post ``posts`` quizzes, each picked from the history so far (as the scheduler does)."""
    sent = list(history)
    for _ in range(posts):
        sent.append(next_question_id(channel, bank, sent))
    return sent[len(history) :]


def test_no_repeats_within_a_cycle_over_50_posts() -> None:
    sent = play("C1", BANK, 50)
    assert sorted(sent[:20]) == BANK
    assert sorted(sent[20:40]) == BANK
    assert len(set(sent[40:])) == 10


def test_each_cycle_is_shuffled_differently() -> None:
    sent = play("C1", BANK, 40)
    assert sent[:20] != sent[20:40]
    assert sent[:20] != sorted(sent[:20])


def test_order_differs_per_channel() -> None:
    assert play("C1", BANK, 20) != play("C2", BANK, 20)


def test_deterministic_and_bank_order_does_not_matter() -> None:
    assert play("C1", BANK, 30) == play("C1", BANK, 30)
    assert play("C1", BANK, 30) == play("C1", list(reversed(BANK)), 30)


def test_new_questions_join_the_current_cycle() -> None:
    first = play("C1", BANK, 5)
    bigger = [*BANK, "new-a", "new-b", "new-c"]
    rest = play("C1", bigger, 18, history=first)
    assert sorted(first + rest) == sorted(bigger)  # no repeats until all 23 were sent
    assert sorted(play("C1", bigger, 23, history=first + rest)) == sorted(bigger)


def test_removed_questions_are_ignored() -> None:
    sent = play("C1", BANK, 19)
    missing = next(q for q in BANK if q not in sent)
    smaller = [q for q in BANK if q != missing]
    # The removed question was the only one left, so the cycle is complete and a new one begins.
    following = play("C1", smaller, 19, history=[*sent, "long-gone"])
    assert sorted(following) == sorted(smaller)


def test_history_mentions_of_removed_questions_do_not_count() -> None:
    assert next_question_id("C1", ["only"], ["gone", "gone", "gone"]) == "only"
    assert next_question_id("C1", ["a", "b"], ["x", "a"]) == "b"


def test_duplicate_bank_entries_are_harmless() -> None:
    assert sorted(play("C1", ["a", "b", "a", "c"], 3)) == ["a", "b", "c"]


def test_empty_bank_is_an_error() -> None:
    with pytest.raises(ValueError, match="empty"):
        next_question_id("C1", [], [])
