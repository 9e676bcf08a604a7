"""Spaced repetition with FSRS (the maintained `fsrs` package, the scheduler modern Anki uses).

The path asks at most once a day, so cards skip FSRS's minute-long learning steps and go straight to
day intervals: `Scheduler(learning_steps=(), relearning_steps=())`. Fuzzing is off, so the same answers
always give the same days (a reminder that moves at random would only confuse a learner). The desired
retention (`LEARN_RETENTION`) sets how sure FSRS wants to be that an answer is still remembered when its
question comes back: higher means sooner and more often.

How an answer rates a card: wrong -> `Again`; right after asking for the hint -> `Hard`; right -> `Good`.
(`Easy` is never given: a multiple-choice pick says nothing about effortless recall.)
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Sequence
from dataclasses import dataclass

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from bot.learn.progress import with_learned
from bot.learn.records import Card

DEFAULT_RETENTION = 0.9
NEW = State.Learning.value


@functools.cache
def scheduler(retention: float = DEFAULT_RETENTION) -> Scheduler:
    return Scheduler(
        desired_retention=retention, learning_steps=(), relearning_steps=(), enable_fuzzing=False
    )


def rating_for(correct: bool, hint_used: bool) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hint_used else Rating.Good


@dataclass(frozen=True, slots=True)
class Reviewed:
    card: Card
    rating: Rating


def review(
    card: Card | None,
    question_id: str,
    topic: str,
    correct: bool,
    hint_used: bool,
    now: dt.datetime,
    retention: float = DEFAULT_RETENTION,
) -> Reviewed:
    """The card after one answer at `now` (`card` None: the question's first answer)."""
    rating = rating_for(correct, hint_used)
    before = FsrsCard(card_id=1, due=now) if card is None else _fsrs(card)
    after, _log = scheduler(retention).review_card(before, rating, review_datetime=now.astimezone(dt.UTC))
    right_since = None
    if correct:
        right_since = card.right_since if card is not None and card.last_correct else now
    return Reviewed(
        card=Card(
            question_id=question_id,
            topic=topic,
            state=after.state.value,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
            last_review=after.last_review,
            reviews=(card.reviews if card else 0) + 1,
            lapses=(card.lapses if card else 0) + (0 if correct else 1),
            last_correct=correct,
            right_since=right_since,
            learned_at=card.learned_at if card is not None else None,
        ),
        rating=rating,
    )


def record(
    card: Card | None,
    topic_cards: Sequence[Card],
    questions: int,
    answer: Answer,
    retention: float = DEFAULT_RETENTION,
) -> Reviewed:
    """What an answer button records: the card after `answer` (`review`), stamped when the answer makes its
    topic (`topic_cards`, of its `questions` on the path) learned."""
    reviewed = review(
        card, answer.question_id, answer.topic, answer.correct, answer.hint_used, answer.at, retention
    )
    return Reviewed(with_learned(reviewed.card, topic_cards, questions), reviewed.rating)


@dataclass(frozen=True, slots=True)
class Answer:
    question_id: str
    topic: str
    correct: bool
    hint_used: bool
    at: dt.datetime


def recall_probability(card: Card, now: dt.datetime, retention: float = DEFAULT_RETENTION) -> float:
    """FSRS's estimate that the learner still remembers the card's answer at `now`."""
    return scheduler(retention).get_card_retrievability(_fsrs(card), now.astimezone(dt.UTC))


def _fsrs(card: Card) -> FsrsCard:
    return FsrsCard(
        card_id=1,
        state=State(card.state),
        step=0 if card.state == NEW else None,
        stability=card.stability,
        difficulty=card.difficulty,
        due=card.due,
        last_review=card.last_review,
    )
