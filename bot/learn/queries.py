"""The learning path's SQL. Runs only on the database's threads (`Database.read`/`write`).

Exactly once is the database's: a day's DM is the row (user_id, slot) of `learn_deliveries`, inserted with
ON CONFLICT DO NOTHING (answers, hints and cards are `bot.learn.review_queries`'). Due learners are
taken with `FOR UPDATE SKIP LOCKED` on PostgreSQL, so several processes share the work of one minute
without waiting on each other (SQLite has one writer at a time, and the unique keys decide alone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from bot.core.claims.queries import unsent_and_expired
from bot.core.store.base import insert, to_record
from bot.learn.models import CardRow, DeliveryRow, HintRow, LearnerRow, ReviewRow
from bot.learn.plan import DayPlan
from bot.learn.records import (
    FORGOTTEN_ENROLLER,
    PAUSED_UNANSWERED,
    Card,
    Claimed,
    Delivery,
    Forgotten,
    Kind,
    Learner,
    Status,
)

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
        return learner_of(row), True
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
        return learner_of(restarted), True
    existing = session.get(LearnerRow, user_id)
    assert existing is not None, "the conflicting learner is committed once the insert has waited for it"
    return learner_of(existing), False


def get_learner(session: Session, user_id: str) -> Learner | None:
    row = session.get(LearnerRow, user_id)
    return learner_of(row) if row is not None else None


def last_question_day(session: Session, user_id: str) -> dt.date | None:
    """The local date of the learner's last DM with questions (a welcome or a day), whose slot is taken."""
    kinds = (Kind.WELCOME.value, Kind.DAY.value)
    return session.scalar(
        select(func.max(DeliveryRow.local_date)).where(
            DeliveryRow.user_id == user_id, DeliveryRow.kind.in_(kinds)
        )
    )


def learners(session: Session, limit: int) -> tuple[list[Learner], int]:
    """Up to `limit` learners (active first, then paused, then stopped; oldest first) and how many in all."""
    total = session.scalar(select(func.count()).select_from(LearnerRow)) or 0
    rows = session.scalars(
        select(LearnerRow)
        .order_by(LearnerRow.status, LearnerRow.enrolled_at, LearnerRow.user_id)
        .limit(limit)
    )
    return [learner_of(row) for row in rows], int(total)


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
    return learner_of(row) if row is not None else None


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
        return Claimed(delivery_of(row), None)
    if row.kind == Kind.WELCOME.value:
        _new_question_day(learner)
    found = cards_by_user(session, [learner.user_id]).get(learner.user_id, {})
    return Claimed(delivery_of(row), learner.dm_channel, learner_of(learner), tuple(found.values()))


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
    cards = cards_by_user(session, [row.user_id for row in rows])
    plans = {row.user_id: plan(learner_of(row), cards.get(row.user_id, {})) for row in rows}
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
        claimed.append(Claimed(delivery_of(delivery), row.dm_channel, learner_of(row), found))
    return claimed, len(rows) == limit


def claimable_unposted(session: Session, now: dt.datetime, limit: int) -> list[Claimed]:
    statement = (
        select(DeliveryRow, LearnerRow.dm_channel)
        .join(LearnerRow, LearnerRow.user_id == DeliveryRow.user_id)
        .where(*unsent_and_expired(DeliveryRow, now))
        .order_by(DeliveryRow.due_at)
        .limit(limit)
    )
    return [Claimed(delivery_of(row), channel) for row, channel in session.execute(statement)]


def get_delivery(session: Session, delivery_id: int) -> Delivery | None:
    row = session.get(DeliveryRow, delivery_id)
    return delivery_of(row) if row is not None else None


# --- helpers ---------------------------------------------------------------------------------


def cards_by_user(session: Session, user_ids: Iterable[str]) -> dict[str, dict[str, Card]]:
    ids = set(user_ids)
    found: dict[str, dict[str, Card]] = {}
    if not ids:
        return found
    for row in session.scalars(select(CardRow).where(CardRow.user_id.in_(ids))):
        found.setdefault(row.user_id, {})[row.question_id] = card_of(row)
    return found


def _new_question_day(row: LearnerRow) -> None:
    """A day with questions is claimed: the previous one went unanswered when no answer came since."""
    if row.unanswered_days:
        row.streak = 0
    row.days += 1
    row.unanswered_days += 1


def learner_of(row: LearnerRow) -> Learner:
    return to_record(Learner, row, status=Status(row.status))


def card_of(row: CardRow) -> Card:
    return to_record(Card, row)


def delivery_of(row: DeliveryRow) -> Delivery:
    question_ids = tuple(qid for qid in row.question_ids.split(",") if qid)
    return to_record(Delivery, row, kind=Kind(row.kind), question_ids=question_ids)
