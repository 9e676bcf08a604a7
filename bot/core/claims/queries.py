"""The SQL of claimed sends, over any table with the `Leased` columns. Runs only on the database's threads.

Each statement decides a race between processes on its own: a compare-and-set UPDATE whose row count says
whether this process won.
"""

from __future__ import annotations

import datetime as dt
import importlib
from functools import cache
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.core.claims.models import Leased
from bot.core.claims.table import ClaimTable


def unsent_and_expired(model: Any, now: dt.datetime) -> tuple[Any, ...]:
    """Where a claim nobody holds any more: not sent, not given up, its lease run out."""
    return (model.ts.is_(None), model.failed_reason.is_(None), model.lease_until < now)


def take_over(
    session: Session, table: ClaimTable, claim_id: int, owner: str, now: dt.datetime, lease: dt.timedelta
) -> bool:
    """Claim an expired row for `owner` until `now + lease`; False when someone else got it first."""
    model = _model(table)
    statement = (
        update(model)
        .where(model.id == claim_id, *unsent_and_expired(model, now))
        .values(claimed_by=owner, lease_until=now + lease)
    )
    return _changed(session, statement)


def confirm(
    session: Session, table: ClaimTable, claim_id: int, owner: str, now: dt.datetime, lease: dt.timedelta
) -> bool:
    """Right before sending: True, with the lease extended to `now + lease`, only if `owner` still holds an
    unexpired claim on a row not yet sent or given up."""
    model = _model(table)
    statement = (
        update(model)
        .where(
            model.id == claim_id,
            model.claimed_by == owner,
            model.lease_until > now,
            model.ts.is_(None),
            model.failed_reason.is_(None),
        )
        .values(lease_until=now + lease)
    )
    return _changed(session, statement)


def record_sent(session: Session, table: ClaimTable, claim_id: int, ts: str, now: dt.datetime) -> bool:
    """The message's ts, recorded once (whoever sent or found it); False if one was recorded already."""
    model = _model(table)
    statement = update(model).where(model.id == claim_id, model.ts.is_(None)).values(ts=ts, posted_at=now)
    return _changed(session, statement)


def record_failed(session: Session, table: ClaimTable, claim_id: int, reason: str, now: dt.datetime) -> bool:
    """Give the send up for good; False if it was sent or given up already."""
    model = _model(table)
    statement = (
        update(model)
        .where(model.id == claim_id, model.ts.is_(None), model.failed_reason.is_(None))
        .values(failed_reason=reason, failed_at=now)
    )
    return _changed(session, statement)


@cache
def _model(table: ClaimTable) -> Any:
    model = getattr(importlib.import_module(table.module), table.model)
    assert issubclass(model, Leased), f"{table} has no lease columns"
    return model


def _changed(session: Session, statement: Any) -> bool:
    return int(session.execute(statement).rowcount) > 0
