"""What the path teaches, in order: topics one small group at a time, each topic's questions easy to hard.

Topics start easy first (by their easiest question), then in the content's order; within a topic the
questions go easy, medium, hard. Which question comes on which day is the plan's (`bot.learn.plan`): a
few topics at a time, a topic's next question a few days after its first right answer.

Pure: content's questions in, an ordered tuple out. Only the topics in `LEARN_TOPICS` (all if empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from bot.core.settings import SettingsError
from content.model import DIFFICULTIES, Question

RANK = {difficulty: rank for rank, difficulty in enumerate(DIFFICULTIES)}


@dataclass(frozen=True, slots=True)
class Curriculum:
    """The path's topics in the order they start, and each topic's question ids in the order they come."""

    topics: tuple[str, ...]
    questions: Mapping[str, tuple[str, ...]]
    topic_of: Mapping[str, str]

    @classmethod
    def of(cls, ordered: Iterable[Question]) -> Curriculum:
        """From questions in curriculum order (`curriculum()`)."""
        questions: dict[str, list[str]] = {}
        for question in ordered:
            questions.setdefault(question.topic, []).append(question.id)
        return cls(
            topics=tuple(questions),
            questions={topic: tuple(ids) for topic, ids in questions.items()},
            topic_of={qid: topic for topic, ids in questions.items() for qid in ids},
        )

    def per_topic(self) -> dict[str, int]:
        """How many questions each topic has on the path."""
        return {topic: len(ids) for topic, ids in self.questions.items()}


def curriculum(questions: Iterable[Question], topics: Sequence[str] = ()) -> tuple[Question, ...]:
    """The questions grouped by topic: easy topics first, then content order; easy to hard within one."""
    wanted = set(topics)
    by_topic: dict[str, list[Question]] = {}
    for question in questions:
        if not wanted or question.topic in wanted:
            by_topic.setdefault(question.topic, []).append(question)
    order = {topic: index for index, topic in enumerate(by_topic)}
    for items in by_topic.values():
        items.sort(key=lambda q: RANK[q.difficulty])  # stable: content order within a difficulty
    started = sorted(by_topic, key=lambda topic: (RANK[by_topic[topic][0].difficulty], order[topic]))
    return tuple(q for topic in started for q in by_topic[topic])


def path_curriculum(questions: Iterable[Question], topics: Sequence[str] = ()) -> tuple[Question, ...]:
    """The curriculum of `LEARN_TOPICS`; SettingsError naming any topic the content does not have."""
    questions = tuple(questions)
    known = {q.topic for q in questions}
    unknown = [topic for topic in topics if topic not in known]
    if unknown:
        raise SettingsError(
            "LEARN_TOPICS",
            f"no questions for {', '.join(unknown[:5])[:80]}; use topic keys from /compare help",
        )
    return curriculum(questions, topics)
