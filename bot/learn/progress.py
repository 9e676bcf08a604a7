"""Learned topics, resting questions and progress, defined once.

**A topic is learned** once two of its questions (all of them, if it has fewer) were answered right the
last time they were asked, and those right answers span a few days: from the first right answer of either
to the latest is at least `APART`. So two questions right on the same day are not enough, but a right
review two days later is. The answer that makes a topic learned is stamped on its card (`learned_at`), so a
topic stays learned: a later wrong answer brings that question back sooner, and progress never goes back.

**A resting question** (a leech) was answered wrong `LEECH_LAPSES` times and wrong again last time: it is
not asked as a review any more, and its topic gets another question instead (`bot.learn.plan`).

A learner **graduates** when every topic of the path is learned.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace

from bot.learn.records import Card

LEARNED_QUESTIONS = 2
APART = dt.timedelta(hours=36)
""""A few days apart": two days, give or take the hour of day the learner answers at."""
LEECH_LAPSES = 4
BAR_WIDTH = 10
NEW_A_DAY_SHARE = 0.6
"""Of the new questions a day the settings allow, the share a learner gets on average: due reviews of the
topics in progress come first (`python -m bench.learn_path`)."""
FINISHING_DAYS = 4
"""Working days from the last new question to its topic learned."""


def resting(card: Card) -> bool:
    """A question that keeps slipping: not asked again while its topic has another one."""
    return card.lapses >= LEECH_LAPSES and not card.last_correct


def needed(questions: int) -> int:
    """Right questions a topic of `questions` questions needs."""
    return min(LEARNED_QUESTIONS, questions)


def is_learned(cards: Sequence[Card], questions: int) -> bool:
    """Whether one topic (its `questions` on the path, and the learner's `cards` for them) is learned."""
    return any(card.learned_at for card in cards) or _right_days_apart(cards, questions)


def with_learned(card: Card, topic_cards: Iterable[Card], questions: int) -> Card:
    """The card just answered, stamped if this answer made its topic (`topic_cards`: its other cards, the
    card's old version may be among them) learned."""
    others = [other for other in topic_cards if other.question_id != card.question_id]
    if (
        card.learned_at is None
        and not is_learned(others, questions)
        and is_learned([*others, card], questions)
    ):
        return replace(card, learned_at=card.last_review)
    return card


def _right_days_apart(cards: Sequence[Card], questions: int) -> bool:
    right = [card for card in cards if card.last_correct and card.right_since and card.last_review]
    if not right or len(right) < needed(questions):
        return False
    latest = max(card.last_review for card in right)  # type: ignore[type-var]
    return latest - min(card.right_since for card in right) >= APART  # type: ignore[type-var, operator]


def by_topic(cards: Iterable[Card], topics: Iterable[str]) -> dict[str, list[Card]]:
    """The cards of each topic in `topics` (cards of other topics are left out)."""
    grouped: dict[str, list[Card]] = {topic: [] for topic in topics}
    for card in cards:
        if card.topic in grouped:
            grouped[card.topic].append(card)
    return grouped


def learned_topics(cards: Iterable[Card], questions_per_topic: Mapping[str, int]) -> set[str]:
    """The topics of `questions_per_topic` (topic -> how many questions it has on the path) learned."""
    grouped = by_topic(cards, questions_per_topic)
    return {topic for topic, found in grouped.items() if is_learned(found, questions_per_topic[topic])}


def all_learned(cards: Iterable[Card], questions_per_topic: Mapping[str, int]) -> bool:
    return len(learned_topics(cards, questions_per_topic)) == len(questions_per_topic)


def started_topics(cards: Iterable[Card], topics: Iterable[str]) -> set[str]:
    """Topics of `topics` with at least one question answered."""
    wanted = set(topics)
    return {card.topic for card in cards if card.topic in wanted}


def weeks_to_go(
    cards: Sequence[Card], questions_per_topic: Mapping[str, int], new_per_day: int, days_per_week: int
) -> int:
    """About how many weeks until every topic is learned: the new questions the topics still need, at the
    share of `new_per_day` a learner gets, plus the few days the last topic takes."""
    grouped = by_topic(cards, questions_per_topic)
    left = sum(
        max(0, needed(questions_per_topic[topic]) - sum(not resting(card) for card in found))
        for topic, found in grouped.items()
        if not is_learned(found, questions_per_topic[topic])
    )
    if not left and all(is_learned(found, questions_per_topic[t]) for t, found in grouped.items()):
        return 0
    days = left / max(new_per_day * NEW_A_DAY_SHARE, 0.1) + FINISHING_DAYS
    return max(1, math.ceil(days / max(days_per_week, 1)))


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """A small text bar: ``▰▰▰▱▱▱▱▱▱▱``."""
    filled = 0 if total <= 0 else min(width, round(width * done / total))
    return "▰" * filled + "▱" * (width - filled)
