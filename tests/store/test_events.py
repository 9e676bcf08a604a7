from __future__ import annotations

from datetime import timedelta

from bot.store import QuizStore
from tests.store.helpers import T0, run_together


def test_claim_event_only_the_first_time(store: QuizStore, second_store: QuizStore) -> None:
    assert store.claim_event("Ev1", T0)
    assert not store.claim_event("Ev1", T0 + timedelta(seconds=3))
    assert not second_store.claim_event("Ev1", T0 + timedelta(seconds=3))
    assert second_store.claim_event("Ev2", T0)


def test_claim_event_race_has_one_winner(store: QuizStore, second_store: QuizStore) -> None:
    for n in range(10):
        won = run_together(
            lambda n=n: store.claim_event(f"Ev{n}", T0), lambda n=n: second_store.claim_event(f"Ev{n}", T0)
        )
        assert sorted(won) == [False, True]


def test_prune_events_forgets_old_ids(store: QuizStore) -> None:
    store.claim_event("old", T0)
    store.claim_event("new", T0 + timedelta(hours=2))
    assert store.prune_events(T0 + timedelta(hours=1)) == 1
    assert store.claim_event("old", T0 + timedelta(hours=3))
    assert not store.claim_event("new", T0 + timedelta(hours=3))
