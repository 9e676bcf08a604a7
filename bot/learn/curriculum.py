"""The order new questions come in: every topic's first question early, easy before hard, topics interleaved.

1. First every topic's easiest question, easy topics first (so in the first weeks a learner meets many
   topics, not five questions about pipelines).
2. Then the rest in rounds: each topic's second question, then each topic's third, and so on; within a
   round easy before medium before hard, and topics in the content's order.

Pure: content's questions in, an ordered tuple out. Only the topics in `LEARN_TOPICS` (all if empty).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.settings import SettingsError
from content.model import DIFFICULTIES, Question

RANK = {difficulty: rank for rank, difficulty in enumerate(DIFFICULTIES)}


def curriculum(questions: Iterable[Question], topics: Sequence[str] = ()) -> tuple[Question, ...]:
    wanted = set(topics)
    by_topic: dict[str, list[Question]] = {}
    for question in questions:
        if not wanted or question.topic in wanted:
            by_topic.setdefault(question.topic, []).append(question)
    order = {topic: index for index, topic in enumerate(by_topic)}
    for items in by_topic.values():
        items.sort(key=lambda q: RANK[q.difficulty])  # stable: content order within a difficulty
    firsts = sorted(
        (items[0] for items in by_topic.values()), key=lambda q: (RANK[q.difficulty], order[q.topic])
    )
    rest = sorted(
        ((round_, q) for items in by_topic.values() for round_, q in enumerate(items) if round_ > 0),
        key=lambda pair: (pair[0], RANK[pair[1].difficulty], order[pair[1].topic]),
    )
    return (*firsts, *(q for _, q in rest))


def topics_of(questions: Iterable[Question]) -> tuple[str, ...]:
    """The topics of a curriculum, in the order they first appear."""
    return tuple(dict.fromkeys(q.topic for q in questions))


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
