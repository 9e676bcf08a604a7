"""Immutable typed objects that the TOML data files load into."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Difficulty = Literal["easy", "medium", "hard"]
DIFFICULTIES: tuple[Difficulty, ...] = ("easy", "medium", "hard")


@dataclass(frozen=True, slots=True)
class Reference:
    """A public source a reader can open to learn more about a topic ("Learn more" on the card)."""

    title: str
    url: str  # always https


@dataclass(frozen=True, slots=True)
class Topic:
    """One row of the comparison: the MLOps side and the DevOps side of one topic."""

    key: str
    name: str
    aliases: tuple[str, ...]
    mlops: str
    devops: str
    why: str
    example: str | None
    see_also: tuple[str, ...]
    references: tuple[Reference, ...] = ()
    file: str = ""  # the content file it was read from
    summary: str = ""  # the difference in one line, first on the card


@dataclass(frozen=True, slots=True)
class Choice:
    letter: str
    text: str
    why_wrong: str | None  # None for the correct choice


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    prompt: str
    choices: tuple[Choice, ...]
    answer: str  # the letter of the correct choice
    explanation: str
    hint: str
    mistakes: tuple[str, ...]
    difficulty: Difficulty
    topic: str  # a Topic.key
    source: str  # "<seed file> practice N" / "<seed file> challenge N" / "original"
    answered_by: str = ""  # the sentence of its topic's card that answers it, quoted (required in the files)
    file: str = ""  # the content file it was read from

    @property
    def correct_choice(self) -> Choice:
        return next(c for c in self.choices if c.letter == self.answer)

    def choice(self, letter: str) -> Choice | None:
        return next((c for c in self.choices if c.letter == letter), None)


MatchedBy = Literal["term", "spelling", "retrieval", "none"]


@dataclass(frozen=True, slots=True)
class Match:
    """What `content.find` returns: the topic a text is about, or none; how it was found (its key, name or an
    alias; a close spelling of one; or ranking everything the topics say); what it matched on (the term, or
    the topic's term closest to the text); and up to three close candidates: beside a topic, the runners-up
    worth offering; without one, the "did you mean" list."""

    topic: Topic | None
    suggestions: tuple[Topic, ...] = ()
    how: MatchedBy = "none"
    matched_on: str = ""


@dataclass(frozen=True, slots=True)
class Content:
    topics: tuple[Topic, ...]
    questions: tuple[Question, ...]

    def topic(self, key: str) -> Topic:
        """The topic with this key; KeyError if there is none."""
        for topic in self.topics:
            if topic.key == key:
                return topic
        raise KeyError(key)

    def question(self, question_id: str) -> Question:
        """The question with this id; KeyError if there is none."""
        for question in self.questions:
            if question.id == question_id:
                return question
        raise KeyError(question_id)
