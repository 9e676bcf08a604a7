"""The learning path's SQL. Runs only on the database's threads (`Database.read`/`write`).

Exactly once is the database's: a day's DM is the row (user_id, slot) of `learn_deliveries`, inserted with
ON CONFLICT DO NOTHING; an answer is the row (delivery_id, question_id) of `learn_reviews`. Due learners are
taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share the work of one minute
without waiting on each other (SQLite has one writer at a time, and the unique keys decide alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import Integer, cast, delete, func, select, update
from sqlalchemy.orm import Session

from bot.core.claims.queries import unsent_and_expired
from bot.core.store.base import insert, to_record
from bot.learn.models import CardRow, DeliveryRow, HintRow, LearnerRow, ReviewRow
from bot.learn.plan import DayPlan
from bot.learn.records import (
    FORGOTTEN_ENROLLER,
    PAUSED_UNANSWERED,
    Answered,
    Card,
    Claimed,
    Delivery,
    Forgotten,
    Kind,
    Learner,
    Pick,
    Status,
)
from bot.learn.srs import Answer, record

GUIDED_SHARE = 4
GUIDED_MIN = 10
Planner = Callable[[Learner, dict[str, Card]], DayPlan]
LearnKey = Mapping[str, tuple[tuple[str, ...], str, str]]
"""Each question of the path: its letters, its answer and its topic, by question id."""

# --- learners --------------------------------------------------------------------------------


def enroll(
    session: Session,
    *,
    user_id: str,
    timezone: str,
    by: str,
    now: dt.datetime,
    next_due_at: dt.datetime,
    offer_opt_out: bool,
) -> tuple[Learner, bool]:
    """Put the user on the path: (learner, True) when new or restarted after a stop (progress kept);
    (learner, False) when already on it (active or paused: nothing changes)."""
    values = {
        "user_id": user_id,
        "status": Status.ACTIVE.value,
        "timezone": timezone,
        "tz_checked_at": now,
        "enrolled_by": by,
        "enrolled_at": now,
        "next_due_at": next_due_at,
        "days": 0,
        "unanswered_days": 0,
        "opt_out_offered": offer_opt_out,
        "updated_at": now,
    }
    statement = insert(session, LearnerRow).values(**values).on_conflict_do_nothing().returning(LearnerRow)
    row = session.scalars(statement).one_or_none()
    if row is not None:
        return _learner(row), True
    restarted = session.scalars(
        update(LearnerRow)
        .where(LearnerRow.user_id == user_id, LearnerRow.status == Status.STOPPED.value)
        .values(
            status=Status.ACTIVE.value,
            reason=None,
            enrolled_by=by,  # the welcome says who put them back on the path
            timezone=timezone,
            tz_checked_at=now,
            next_due_at=next_due_at,
            unanswered_days=0,
            opt_out_offered=offer_opt_out,
            updated_at=now,
        )
        .returning(LearnerRow)
    ).one_or_none()
    if restarted is not None:
        return _learner(restarted), True
    existing = session.get(LearnerRow, user_id)
    assert existing is not None, "the conflicting learner is committed once the insert has waited for it"
    return _learner(existing), False


def get_learner(session: Session, user_id: str) -> Learner | None:
    row = session.get(LearnerRow, user_id)
    return _learner(row) if row is not None else None


def learners(session: Session, limit: int) -> tuple[list[Learner], int]:
    """Up to `limit` learners (active first, then paused, then stopped; oldest first) and how many in all."""
    total = session.scalar(select(func.count()).select_from(LearnerRow)) or 0
    rows = session.scalars(
        select(LearnerRow)
        .order_by(LearnerRow.status, LearnerRow.enrolled_at, LearnerRow.user_id)
        .limit(limit)
    )
    return [_learner(row) for row in rows], int(total)


def set_status(
    session: Session,
    user_id: str,
    status: Status,
    reason: str | None,
    now: dt.datetime,
    *,
    only_from: Sequence[Status] | None = None,
    next_due_at: dt.datetime | None = None,
) -> Learner | None:
    """Change the learner's status (only from `only_from` if given); None when nothing changed."""
    statement = update(LearnerRow).where(LearnerRow.user_id == user_id)
    if only_from is not None:
        statement = statement.where(LearnerRow.status.in_([s.value for s in only_from]))
    changes: dict[str, Any] = {"status": status.value, "reason": reason, "updated_at": now}
    changes["next_due_at"] = next_due_at if status is Status.ACTIVE else None
    if status is Status.ACTIVE:
        changes["unanswered_days"] = 0
    row = session.scalars(statement.values(**changes).returning(LearnerRow)).one_or_none()
    return _learner(row) if row is not None else None


def forget(session: Session, user_id: str) -> Forgotten | None:
    """Delete everything the path keeps about the user, and their name as whoever enrolled others; None
    if they were not on the path."""
    session.execute(
        update(LearnerRow).where(LearnerRow.enrolled_by == user_id).values(enrolled_by=FORGOTTEN_ENROLLER)
    )
    announcement = session.scalar(
        select(DeliveryRow.ts).where(DeliveryRow.user_id == user_id, DeliveryRow.kind == Kind.SHARE.value)
    )
    deliveries = select(DeliveryRow.id).where(DeliveryRow.user_id == user_id).scalar_subquery()
    session.execute(delete(HintRow).where(HintRow.delivery_id.in_(deliveries)))
    session.execute(delete(ReviewRow).where(ReviewRow.user_id == user_id))
    session.execute(delete(DeliveryRow).where(DeliveryRow.user_id == user_id))
    session.execute(delete(CardRow).where(CardRow.user_id == user_id))
    learners = int(session.execute(delete(LearnerRow).where(LearnerRow.user_id == user_id)).rowcount)
    return Forgotten(announcement) if learners else None


def set_timezone(
    session: Session, user_id: str, timezone: str, now: dt.datetime, next_due_at: dt.datetime | None
) -> bool:
    """Record Slack's time zone for the learner; with a change, `next_due_at` moves (active learners)."""
    row = session.get(LearnerRow, user_id, with_for_update=True)
    if row is None:
        return False
    changed = row.timezone != timezone
    row.timezone = timezone
    row.tz_checked_at = now
    if changed and row.status == Status.ACTIVE.value and next_due_at is not None:
        row.next_due_at = next_due_at
        row.updated_at = now
    return changed


def stale_zones(session: Session, older_than: dt.datetime, limit: int) -> list[str]:
    statement = (
        select(LearnerRow.user_id)
        .where(
            LearnerRow.status == Status.ACTIVE.value,
            (LearnerRow.tz_checked_at.is_(None)) | (LearnerRow.tz_checked_at < older_than),
        )
        .order_by(LearnerRow.tz_checked_at)
        .limit(limit)
    )
    return list(session.scalars(statement))


def set_dm_channel(session: Session, user_id: str, channel: str) -> None:
    session.execute(update(LearnerRow).where(LearnerRow.user_id == user_id).values(dm_channel=channel))


def mark_graduated(session: Session, user_id: str, now: dt.datetime, claim: dict[str, Any]) -> Claimed | None:
    """Set graduated_at once and claim the congratulations DM in the same transaction."""
    changed = session.execute(
        update(LearnerRow)
        .where(LearnerRow.user_id == user_id, LearnerRow.graduated_at.is_(None))
        .values(graduated_at=now, updated_at=now)
    ).rowcount
    if not changed:
        return None
    return claim_one(session, user_id=user_id, **claim)


# --- deliveries ------------------------------------------------------------------------------


def claim_one(session: Session, **values: Any) -> Claimed | None:
    """Insert one delivery (a welcome, a graduation); None if its slot was claimed already. A welcome also
    counts as the learner's first day."""
    values["question_ids"] = ",".join(values.get("question_ids") or ())
    statement = insert(session, DeliveryRow).values(**values).on_conflict_do_nothing().returning(DeliveryRow)
    row = session.scalars(statement).one_or_none()
    if row is None:
        return None
    learner = session.get(LearnerRow, values["user_id"])
    if learner is None:
        return Claimed(_delivery(row), None)
    if row.kind == Kind.WELCOME.value:
        _new_question_day(learner)
    found = _cards_of(session, [learner.user_id]).get(learner.user_id, {})
    return Claimed(_delivery(row), learner.dm_channel, _learner(learner), tuple(found.values()))


def claim_due(
    session: Session, now: dt.datetime, owner: str, lease: dt.timedelta, limit: int, plan: Planner
) -> tuple[list[Claimed], bool]:
    """Take up to `limit` learners whose day is due, plan each day and claim its delivery; returns the
    claims, and whether the batch was full (then more may be due).

    The batch is at most `limit`, and a quarter of what is due (at least ten): the last learners of a busy
    minute come in small batches, so several processes finish them together instead of one doing the
    last large batch alone ("guided self-scheduling")."""
    due = (LearnerRow.status == Status.ACTIVE.value, LearnerRow.next_due_at <= now)
    waiting = session.scalar(select(func.count()).select_from(LearnerRow).where(*due)) or 0
    limit = min(limit, max(GUIDED_MIN, -(-int(waiting) // GUIDED_SHARE)))
    rows = list(
        session.scalars(
            select(LearnerRow)
            .where(*due)
            .order_by(LearnerRow.next_due_at)
            .limit(limit)
            .with_for_update(skip_locked=True)
        )
    )
    if not rows:
        return [], False
    cards = _cards_of(session, [row.user_id for row in rows])
    plans = {row.user_id: plan(_learner(row), cards.get(row.user_id, {})) for row in rows}
    wanted = [
        {
            "user_id": user_id,
            "slot": p.slot,
            "kind": p.kind.value,
            "local_date": p.local_date,
            "question_ids": ",".join(p.question_ids),
            "due_at": p.due_at,
            "claimed_by": owner,
            "lease_until": now + lease,
        }
        for user_id, p in plans.items()
        if p.kind is not None
    ]
    inserted: dict[str, DeliveryRow] = {}
    if wanted:
        statement = (
            insert(session, DeliveryRow).values(wanted).on_conflict_do_nothing().returning(DeliveryRow)
        )
        inserted = {row.user_id: row for row in session.scalars(statement)}
    claimed = []
    for row in rows:
        p = plans[row.user_id]
        row.next_due_at = p.next_due_at
        row.updated_at = now
        delivery = inserted.get(row.user_id)
        if delivery is None:
            continue
        row.last_due_at = p.due_at
        if p.kind is Kind.PAUSE:
            row.status, row.reason, row.next_due_at = Status.PAUSED.value, PAUSED_UNANSWERED, None
        else:
            _new_question_day(row)
        found = tuple(cards.get(row.user_id, {}).values())
        claimed.append(Claimed(_delivery(delivery), row.dm_channel, _learner(row), found))
    return claimed, len(rows) == limit


def claimable_unposted(session: Session, now: dt.datetime, limit: int) -> list[Claimed]:
    statement = (
        select(DeliveryRow, LearnerRow.dm_channel)
        .join(LearnerRow, LearnerRow.user_id == DeliveryRow.user_id)
        .where(*unsent_and_expired(DeliveryRow, now))
        .order_by(DeliveryRow.due_at)
        .limit(limit)
    )
    return [Claimed(_delivery(row), channel) for row, channel in session.execute(statement)]


def get_delivery(session: Session, delivery_id: int) -> Delivery | None:
    row = session.get(DeliveryRow, delivery_id)
    return _delivery(row) if row is not None else None


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
    before = _card(card_row) if card_row is not None else None
    topic_cards = session.scalars(select(CardRow).where(CardRow.user_id == user_id, CardRow.topic == topic))
    reviewed = record(
        before,
        [_card(card) for card in topic_cards],
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
        delivery=_delivery(row),
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
    return list(_cards_of(session, [user_id]).get(user_id, {}).values())


def cards_of(session: Session, user_ids: Sequence[str]) -> dict[str, list[Card]]:
    return {user: list(found.values()) for user, found in _cards_of(session, user_ids).items()}


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


# --- helpers ---------------------------------------------------------------------------------


def _cards_of(session: Session, user_ids: Iterable[str]) -> dict[str, dict[str, Card]]:
    ids = set(user_ids)
    found: dict[str, dict[str, Card]] = {}
    if not ids:
        return found
    for row in session.scalars(select(CardRow).where(CardRow.user_id.in_(ids))):
        found.setdefault(row.user_id, {})[row.question_id] = _card(row)
    return found


def _new_question_day(row: LearnerRow) -> None:
    """A day with questions is claimed: the previous one went unanswered when no answer came since."""
    if row.unanswered_days:
        row.streak = 0
    row.days += 1
    row.unanswered_days += 1


def _question_at(row: DeliveryRow | None, user_id: str, index: int) -> str | None:
    if row is None or row.user_id != user_id:
        return None
    ids = [qid for qid in row.question_ids.split(",") if qid]
    return ids[index] if 0 <= index < len(ids) else None


def _learner(row: LearnerRow) -> Learner:
    return to_record(Learner, row, status=Status(row.status))


def _card(row: CardRow) -> Card:
    return to_record(Card, row)


def _delivery(row: DeliveryRow) -> Delivery:
    question_ids = tuple(qid for qid in row.question_ids.split(",") if qid)
    return to_record(Delivery, row, kind=Kind(row.kind), question_ids=question_ids)
