"""The learning path's answers, hints and cards: what a learner did, and what FSRS made of it. Runs only on
the database's threads (`Database.read`/`write`), like `bot.learn.queries`.

An answer is the row (delivery_id, question_id) of `learn_reviews`, inserted once: a second click on the same
question finds it and changes nothing.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence

from sqlalchemy import Integer, cast, func, select, update
from sqlalchemy.orm import Session

from bot.core.store.base import insert
from bot.learn.models import CardRow, DeliveryRow, HintRow, LearnerRow, ReviewRow
from bot.learn.queries import LearnKey, card_of, cards_by_user, delivery_of
from bot.learn.records import (
    Answered,
    Card,
    Pick,
)
from bot.learn.srs import Answer, record

# --- answers and hints -------------------------------------------------------------------------


def record_hint(session: Session, delivery_id: int, user_id: str, index: int, now: dt.datetime) -> str | None:
    """Note that the learner asked for a hint; the question id, or None for someone else's delivery."""
    row = session.get(DeliveryRow, delivery_id)
    question_id = _question_at(row, user_id, index)
    if question_id is None:
        return None
    statement = (
        insert(session, HintRow)
        .values(delivery_id=delivery_id, question_id=question_id, asked_at=now)
        .on_conflict_do_nothing()
    )
    session.execute(statement)
    return question_id


def record_answer(
    session: Session,
    *,
    delivery_id: int,
    user_id: str,
    index: int,
    letter: str,
    now: dt.datetime,
    key: LearnKey,
    questions_per_topic: Mapping[str, int],
    retention: float,
) -> Answered | None:
    """Record the answer to one question of a delivery and move its FSRS card (stamped when it makes its
    topic learned), unless that question was answered already; None for a delivery that is not the user's,
    or a letter the question does not have. The delivery's first answer extends the learner's streak."""
    row = session.get(DeliveryRow, delivery_id)
    question_id = _question_at(row, user_id, index)
    letters, answer, topic = key.get(question_id or "", ((), "", ""))
    if row is None or question_id is None or letter not in letters:
        return None
    correct = letter == answer
    hint_used = session.get(HintRow, (delivery_id, question_id)) is not None
    card_row = session.get(CardRow, (user_id, question_id), with_for_update=True)
    before = card_of(card_row) if card_row is not None else None
    topic_cards = session.scalars(select(CardRow).where(CardRow.user_id == user_id, CardRow.topic == topic))
    reviewed = record(
        before,
        [card_of(card) for card in topic_cards],
        questions_per_topic.get(topic, 1),
        Answer(question_id, topic, correct, hint_used, now),
        retention,
    )
    after = reviewed.card
    statement = (
        insert(session, ReviewRow)
        .values(
            user_id=user_id,
            delivery_id=delivery_id,
            question_id=question_id,
            choice=letter,
            correct=correct,
            hint_used=hint_used,
            rating=int(reviewed.rating),
            reviewed_at=now,
            stability=after.stability,
            difficulty=after.difficulty,
            due=after.due,
        )
        .on_conflict_do_nothing()
        .returning(ReviewRow.id)
    )
    first = session.execute(statement).scalar_one_or_none() is not None
    if first:
        card_values = {
            "state": after.state,
            "stability": after.stability,
            "difficulty": after.difficulty,
            "due": after.due,
            "last_review": after.last_review,
            "reviews": after.reviews,
            "lapses": after.lapses,
            "last_correct": after.last_correct,
            "right_since": after.right_since,
            "learned_at": after.learned_at,
        }
        upsert = (
            insert(session, CardRow)
            .values(user_id=user_id, question_id=question_id, topic=topic, **card_values)
            .on_conflict_do_update(index_elements=[CardRow.user_id, CardRow.question_id], set_=card_values)
        )
        session.execute(upsert)
    picks = picks_of(session, delivery_id)
    if first:
        answered_today = {"streak": LearnerRow.streak + 1} if len(picks) == 1 else {}
        session.execute(
            update(LearnerRow)
            .where(LearnerRow.user_id == user_id)
            .values(unanswered_days=0, **answered_today)
        )
    return Answered(
        delivery=delivery_of(row),
        question_id=question_id,
        pick=picks[question_id],
        first=first,
        card=after if first else before,
        picks=picks,
    )


def picks_of(session: Session, delivery_id: int) -> dict[str, Pick]:
    statement = select(ReviewRow.question_id, ReviewRow.choice, ReviewRow.correct, ReviewRow.hint_used).where(
        ReviewRow.delivery_id == delivery_id
    )
    return {qid: Pick(choice, correct, hint) for qid, choice, correct, hint in session.execute(statement)}


# --- cards and progress ------------------------------------------------------------------------


def cards(session: Session, user_id: str) -> list[Card]:
    return list(cards_by_user(session, [user_id]).get(user_id, {}).values())


def cards_of(session: Session, user_ids: Sequence[str]) -> dict[str, list[Card]]:
    return {user: list(found.values()) for user, found in cards_by_user(session, user_ids).items()}


def answer_counts(session: Session, user_ids: Sequence[str]) -> dict[str, tuple[int, int]]:
    """(answered, right) per user."""
    if not user_ids:
        return {}
    statement = (
        select(ReviewRow.user_id, func.count(), func.sum(cast(ReviewRow.correct, Integer)))
        .where(ReviewRow.user_id.in_(set(user_ids)))
        .group_by(ReviewRow.user_id)
    )
    return {user: (int(n), int(right or 0)) for user, n, right in session.execute(statement)}


def _question_at(row: DeliveryRow | None, user_id: str, index: int) -> str | None:
    if row is None or row.user_id != user_id:
        return None
    ids = [qid for qid in row.question_ids.split(",") if qid]
    return ids[index] if 0 <= index < len(ids) else None
