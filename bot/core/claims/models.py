"""The lease columns of a table of claimed sends (`bot.core.claims`)."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column


class Leased:
    """Mixed into a feature's table: claimed (`claimed_by` until `lease_until`) -> sent (`ts`) or failed."""

    claimed_by: Mapped[str] = mapped_column(String(128))
    lease_until: Mapped[dt.datetime]
    ts: Mapped[str | None] = mapped_column(String(32))
    posted_at: Mapped[dt.datetime | None]
    failed_reason: Mapped[str | None] = mapped_column(Text)
    failed_at: Mapped[dt.datetime | None]
