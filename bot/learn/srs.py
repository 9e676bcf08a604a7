"""Spaced repetition with FSRS (the maintained `fsrs` package, the scheduler modern Anki uses).

The path asks at most once a day, so cards skip FSRS's minute-long learning steps and go straight to
day intervals: `Scheduler(learning_steps=(), relearning_steps=())`. Fuzzing is off, so the same answers
always give the same days (a reminder that moves at random would only confuse a learner).

How an answer rates a card: wrong -> `Again`; right after asking for the hint -> `Hard`; right -> `Good`.
(`Easy` is never given: a multiple-choice pick says nothing about effortless recall.)
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from fsrs import Card as FsrsCard
from fsrs import Rating, Scheduler, State

from bot.learn.records import Card

SCHEDULER = Scheduler(learning_steps=(), relearning_steps=(), enable_fuzzing=False)
NEW = State.Learning.value


def rating_for(correct: bool, hint_used: bool) -> Rating:
    if not correct:
        return Rating.Again
    return Rating.Hard if hint_used else Rating.Good


@dataclass(frozen=True, slots=True)
class Reviewed:
    card: Card
    rating: Rating


def review(
    card: Card | None, question_id: str, topic: str, correct: bool, hint_used: bool, now: dt.datetime
) -> Reviewed:
    """The card after one answer at `now` (`card` None: the question's first answer)."""
    rating = rating_for(correct, hint_used)
    before = (
        FsrsCard(card_id=1, due=now)
        if card is None
        else FsrsCard(
            card_id=1,
            state=State(card.state),
            step=0 if card.state == NEW else None,
            stability=card.stability,
            difficulty=card.difficulty,
            due=card.due,
            last_review=card.last_review,
        )
    )
    after, _log = SCHEDULER.review_card(before, rating, review_datetime=now.astimezone(dt.UTC))
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
        ),
        rating=rating,
    )
