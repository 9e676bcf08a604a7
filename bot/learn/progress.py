"""Mastery and progress, defined once.

**A topic is mastered** when at least two of its questions (all of them, if it has fewer) have an FSRS
stability of at least 7 days and were answered right the last time they were asked. Stability is FSRS's
estimate of how many days the answer stays recallable with 90 % probability; a first right answer gives
about 2.3 days, a second right answer two days later about 11, so a topic takes at least two right answers
to each of two questions, days apart. A wrong answer drops a question's stability and it no longer counts
until it is relearned.

A learner **graduates** when every topic of the path is mastered.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from bot.learn.records import Card

MASTERY_STABILITY_DAYS = 7.0
MASTERY_QUESTIONS = 2
BAR_WIDTH = 10


def is_solid(card: Card) -> bool:
    """One question that counts towards its topic's mastery."""
    return card.last_correct and (card.stability or 0.0) >= MASTERY_STABILITY_DAYS


def mastered_topics(cards: Iterable[Card], questions_per_topic: Mapping[str, int]) -> set[str]:
    """The topics of `questions_per_topic` (topic -> how many questions it has on the path) mastered."""
    solid: dict[str, int] = {}
    for card in cards:
        if card.topic in questions_per_topic and is_solid(card):
            solid[card.topic] = solid.get(card.topic, 0) + 1
    return {
        topic for topic, count in solid.items() if count >= min(MASTERY_QUESTIONS, questions_per_topic[topic])
    }


def all_mastered(cards: Iterable[Card], questions_per_topic: Mapping[str, int]) -> bool:
    return len(mastered_topics(cards, questions_per_topic)) == len(questions_per_topic)


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """A small text bar: ``▰▰▰▱▱▱▱▱▱▱``."""
    filled = 0 if total <= 0 else min(width, round(width * done / total))
    return "▰" * filled + "▱" * (width - filled)


def counts(topics: Sequence[str], questions: Iterable[str]) -> dict[str, int]:
    """Questions per topic, from the topic of each question on the path."""
    result = dict.fromkeys(topics, 0)
    for topic in questions:
        result[topic] = result.get(topic, 0) + 1
    return result
