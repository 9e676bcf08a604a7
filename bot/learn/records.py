"""Plain frozen records of the learning path; callers never see ORM objects or sessions."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    STOPPED = "stopped"


class Kind(StrEnum):
    WELCOME = "welcome"
    """The first day: a short welcome above the first question(s)."""
    DAY = "day"
    PAUSE = "pause"
    """The one message after five unanswered days: the path paused itself."""
    GRADUATION = "graduation"
    SHARE = "share"
    """The learner's graduation, announced in LEARN_CHANNEL when they press Share (once)."""


FORGOTTEN_ENROLLER = "someone"
"""`enrolled_by` of the people a manager enrolled, once that manager asked to be forgotten."""
PAUSED_BY_LEARNER = "paused with /learn pause"
PAUSED_UNANSWERED = "paused after 5 days without an answer"
STOPPED_BY_LEARNER = "stopped with /learn stop"
DEACTIVATED = "deactivated in Slack"


@dataclass(frozen=True, slots=True)
class Learner:
    user_id: str
    status: Status
    reason: str | None
    timezone: str
    tz_checked_at: dt.datetime | None
    dm_channel: str | None
    enrolled_by: str
    enrolled_at: dt.datetime
    next_due_at: dt.datetime | None
    last_due_at: dt.datetime | None
    days: int
    unanswered_days: int
    opt_out_offered: bool
    graduated_at: dt.datetime | None
    updated_at: dt.datetime
    streak: int = 0
    """Question days in a row with an answer, up to the last one answered."""

    @property
    def graduated(self) -> bool:
        return self.graduated_at is not None


@dataclass(frozen=True, slots=True)
class Forgotten:
    """What "forget me" deleted from the database, and what the bot still has to delete in Slack."""

    announcement_ts: str | None
    """The learner's graduation announcement in the learning channel, if it was posted."""


@dataclass(frozen=True, slots=True)
class Card:
    """One learner's FSRS card for one question (`state` is `fsrs.State`'s value)."""

    question_id: str
    topic: str
    state: int
    stability: float | None
    difficulty: float | None
    due: dt.datetime
    last_review: dt.datetime | None
    reviews: int
    lapses: int
    last_correct: bool
    right_since: dt.datetime | None = None
    """When the learner's current run of right answers to this question began (None after a wrong one)."""
    learned_at: dt.datetime | None = None
    """When an answer to this question made its topic learned; kept, so a topic once learned stays so."""


@dataclass(frozen=True, slots=True)
class Delivery:
    id: int
    user_id: str
    slot: str
    kind: Kind
    local_date: dt.date
    question_ids: tuple[str, ...]
    due_at: dt.datetime
    claimed_by: str
    lease_until: dt.datetime
    ts: str | None
    posted_at: dt.datetime | None
    failed_reason: str | None
    failed_at: dt.datetime | None


@dataclass(frozen=True, slots=True)
class Claimed:
    """A delivery this process claimed, with where it goes (None: the DM is not open yet) and, when the
    claim had them at hand, the learner and their cards (for the progress line)."""

    delivery: Delivery
    dm_channel: str | None
    learner: Learner | None = None
    cards: tuple[Card, ...] | None = None


@dataclass(frozen=True, slots=True)
class Pick:
    """A learner's answer to one question of a delivery."""

    choice: str
    correct: bool
    hint_used: bool


@dataclass(frozen=True, slots=True)
class Answered:
    """What recording an answer did: `first` False when this question of this delivery was answered before
    (then `pick` is the stored answer). `card` is the card after the answer."""

    delivery: Delivery
    question_id: str
    pick: Pick
    first: bool
    card: Card | None
    picks: dict[str, Pick]
    """Every answered question of the delivery so far, by question id."""


@dataclass(frozen=True, slots=True)
class Progress:
    user_id: str
    status: Status
    reason: str | None
    day: int
    started: int
    """Topics with at least one question answered."""
    learned: int
    topics: int
    answered: int
    right: int
    graduated_at: dt.datetime | None
    next_due_at: dt.datetime | None
    streak: int = 0
    """Question days in a row with an answer (today's, not answered yet, does not break it)."""
    weeks_to_go: int | None = None
    """About how many weeks until every topic is learned, at the learner's pace (None: graduated)."""
    resting: tuple[str, ...] = ()
    """Topics with a resting question (one that keeps slipping)."""
