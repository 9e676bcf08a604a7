from __future__ import annotations

from datetime import timedelta

from bot.quiz.records import Answer, Results
from bot.quiz.store import QuizStore
from tests.store.helpers import T0, posted, together


async def test_first_answer_wins(store: QuizStore) -> None:
    post = await posted(store)
    first, created = await store.record_answer(post.id, "U1", "B", True, T0, counted=True)
    assert created
    assert first == Answer(post.id, "U1", "B", True, T0, True)
    again, created = await store.record_answer(
        post.id, "U1", "A", False, T0 + timedelta(minutes=1), counted=True
    )
    assert not created
    assert again == first


async def test_concurrent_presses_store_one_answer(store: QuizStore, second_store: QuizStore) -> None:
    post = await posted(store)
    for user in ("U1", "U2", "U3", "U4", "U5"):
        results = await together(
            store.record_answer(post.id, user, "A", False, T0, counted=True),
            second_store.record_answer(post.id, user, "B", True, T0, counted=True),
        )
        assert sorted(created for _, created in results) == [False, True]
        stored = {answer for answer, _ in results}
        assert len(stored) == 1  # both callers see the same winning answer
    assert await store.answer_count(post.id) == 5


async def test_answer_to_a_missing_post_is_none(store: QuizStore) -> None:
    assert await store.record_answer(999, "U1", "A", False, T0, counted=True) is None


async def test_counts_and_results_ignore_answers_after_the_reveal(store: QuizStore) -> None:
    post = await posted(store)
    other = await posted(store, channel="C2")
    assert await store.answer_count(post.id) == 0
    assert await store.results(post.id) == Results(answered=0, correct=0, by_choice={})
    for user, choice, correct in [
        ("U1", "B", True),
        ("U2", "B", True),
        ("U3", "A", False),
        ("U4", "C", False),
    ]:
        await store.record_answer(post.id, user, choice, correct, T0, counted=True)
    await store.record_answer(post.id, "U5", "B", True, T0 + timedelta(hours=5), counted=False)
    await store.record_answer(other.id, "U1", "A", False, T0, counted=True)
    assert await store.answer_count(post.id) == 4
    assert await store.results(post.id) == Results(answered=4, correct=2, by_choice={"A": 1, "B": 2, "C": 1})
