"""The answer clicks' SQL (`record_answers`): the first answer of each person counts, presses together
store one answer, and answers after the reveal are kept but not counted."""

from __future__ import annotations

from datetime import timedelta

from bot.quiz.records import Answer, Results
from tests.fixtures.databases import Queries
from tests.fixtures.quiz_store import T0, AnyQuestion, answer, posted, together


async def test_first_answer_wins(store: Queries) -> None:
    post = await posted(store)
    first = await answer(store, post, "U1", "B", T0)
    assert first is not None and first.first
    assert first.answer == Answer(post.id, "U1", "B", True, T0, True)
    again = await answer(store, post, "U1", "A", T0 + timedelta(minutes=1))
    assert again is not None and not again.first
    assert again.answer == first.answer


async def test_one_group_with_the_same_person_twice_keeps_the_first(store: Queries) -> None:
    post = await posted(store)
    clicks = [(post.id, "U1", letter, post.channel, T0) for letter in ("A", "B")]
    first, second = await store.record_answers(clicks, AnyQuestion())
    assert first.first and not second.first
    assert first.answer == second.answer and first.answer.choice == "A"


async def test_concurrent_presses_store_one_answer(store: Queries, second_store: Queries) -> None:
    post = await posted(store)
    for user in ("U1", "U2", "U3", "U4", "U5"):
        results = await together(answer(store, post, user, "A"), answer(second_store, post, user, "B"))
        assert sorted(result.first for result in results if result) == [False, True]
        assert len({result.answer for result in results if result}) == 1  # both see the winning answer
    assert await store.answer_count(post.id) == 5


async def test_a_missing_post_another_channel_or_an_unknown_letter_records_nothing(store: Queries) -> None:
    post = await posted(store)
    elsewhere = (post.id, "U1", "B", "COTHER", T0)
    missing = (999, "U1", "B", post.channel, T0)
    no_letter, empty = (post.id, "U1", "E", post.channel, T0), (post.id, "U1", "", post.channel, T0)
    assert await store.record_answers([elsewhere, missing, no_letter, empty], AnyQuestion()) == [None] * 4
    assert await store.answer_count(post.id) == 0


async def test_counts_and_results_ignore_answers_after_the_reveal(store: Queries) -> None:
    post = await posted(store)
    other = await posted(store, channel="C2")
    assert await store.answer_count(post.id) == 0
    assert await store.results(post.id) == Results(answered=0, correct=0, by_choice={})
    for user, choice in [("U1", "B"), ("U2", "B"), ("U3", "A"), ("U4", "C")]:
        await answer(store, post, user, choice, T0)
    await answer(store, other, "U1", "A", T0)
    assert await store.claim_reveal(post.id, "worker-a", T0 + timedelta(hours=4), timedelta(minutes=1))
    late = await answer(store, post, "U5", "B", T0 + timedelta(hours=5))
    assert late is not None and late.first and not late.answer.counted
    assert await store.answer_count(post.id) == 4
    assert await store.results(post.id) == Results(answered=4, correct=2, by_choice={"A": 1, "B": 2, "C": 1})
