"""Vocabulary tells a test-taker learns from the bank itself, with no MLOps knowledge.

* Jargon: a choice's words that many cards use ("model", "data", "drift"...). A learner who skims the
  cards soon has a feel for which words sound like the subject, and may pick the choice that sounds most
  like it. The question's own card is left out, so the count is about sounding right, not about having
  read the answer.
* Answer words: words that right choices use more often than wrong ones ("gate", "versions"...) and
  words that wrong choices use more ("faster", "bigger", "manual"...), learned from the other questions'
  answer keys, as a learner who has taken the quiz many times would.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence

from content.fairness import stems
from content.model import Content, Question
from content.validate import card_text

JARGON_CARDS = 3  # a word used by at least this many other topics' cards sounds like the subject
PRIOR = 1.0  # pseudo-count that keeps a word seen once from deciding much
BASE_RATE = 0.25  # the share of choices that are right, so a word seen evenly scores about 0
TELLING = 0.5  # a word scoring beyond this (either way) counts as typical of right or of wrong choices
_BASE_LOG_ODDS = math.log(BASE_RATE / (1 - BASE_RATE))


class CardVocabulary:
    """Which words each topic's card uses, and how many cards use each word."""

    def __init__(self, content: Content) -> None:
        self._per_topic = {topic.key: stems(card_text(topic)) for topic in content.topics}
        self._cards = Counter(word for words in self._per_topic.values() for word in words)

    def jargon(self, words: Iterable[str], topic: str) -> int:
        """How many of ``words`` at least JARGON_CARDS cards other than ``topic``'s use."""
        own = self._per_topic.get(topic, set())
        return sum(self._cards[word] - (word in own) >= JARGON_CARDS for word in words)


class AnswerWords:
    """How often each word appears in right and in wrong choices across a bank's questions, so that a
    question's words can be scored from every other question's (leave one or two questions out)."""

    def __init__(self, questions: Sequence[Question]) -> None:
        self._choice_words = [[stems(choice.text) for choice in question.choices] for question in questions]
        self._per_question = [_question_counts(question) for question in questions]
        self._right: Counter[str] = Counter()
        self._wrong: Counter[str] = Counter()
        for right, wrong in self._per_question:
            self._right.update(right)
            self._wrong.update(wrong)
        # Each question's words scored without it; leaving a second question out changes only the scores
        # of the words that question uses, so only those are scored again.
        self._own_scores = [
            [{word: self.score(word, (n,)) for word in words} for words in choices]
            for n, choices in enumerate(self._choice_words)
        ]

    def score(self, word: str, left_out: Iterable[int]) -> float:
        """Log-odds that a choice with ``word`` is right, against the base rate, from every question
        but those in ``left_out``: above 0 for words typical of right choices, below for wrong ones."""
        left = [self._per_question[index] for index in left_out]
        right = self._right.get(word, 0) - sum(counts[0].get(word, 0) for counts in left)
        wrong = self._wrong.get(word, 0) - sum(counts[1].get(word, 0) for counts in left)
        return math.log((right + PRIOR * BASE_RATE) / (wrong + PRIOR * (1 - BASE_RATE))) - _BASE_LOG_ODDS

    def features(self, question: int, left_out: Iterable[int]) -> list[dict[str, float]]:
        """For each choice of the ``question``-th question: the sum of its words' scores, and how many of
        its words are typical of right and of wrong choices, learned without the questions in
        ``left_out`` (which must include ``question``)."""
        left_out = tuple(left_out)
        touched = set().union(
            *(
                self._per_question[n][0].keys() | self._per_question[n][1].keys()
                for n in left_out
                if n != question
            )
        )
        rows = []
        for own in self._own_scores[question]:
            scores = [self.score(word, left_out) if word in touched else own[word] for word in own]
            rows.append(
                {
                    "answer_words": sum(scores),
                    "right_words": float(sum(score > TELLING for score in scores)),
                    "wrong_words": float(sum(score < -TELLING for score in scores)),
                }
            )
        return rows


def _question_counts(question: Question) -> tuple[Counter[str], Counter[str]]:
    right: Counter[str] = Counter()
    wrong: Counter[str] = Counter()
    for choice in question.choices:
        (right if choice.letter == question.answer else wrong).update(stems(choice.text))
    return right, wrong
