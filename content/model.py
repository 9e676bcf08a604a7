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


@dataclass(frozen=True, slots=True)
class Match:
    """What `content.find` returns: a topic, or none and up to three suggestions."""

    topic: Topic | None
    suggestions: tuple[Topic, ...] = ()


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
