"""Quiz fairness: a bank in which test-taking tricks don't pay.

* The correct choice is the strictly longest one in at most 30% of the questions, so "pick the longest"
  scores little better than chance.
* Each answer letter is the correct one in 20-30% of the questions.
* No two prompts are near-duplicates (rapidfuzz, on the words that carry meaning), so a learner doesn't
  meet the same question twice.
* A hint must not point at the answer: it may not share a distinctive word with the correct choice
  alone (a word in no other choice and not in the prompt).

The two share rules need a bank big enough for shares to mean something (MIN_BANK questions); the
others apply to every question. These checks run in ``python -m content check``, not in ``load()``, so
starting the bot never imports rapidfuzz.
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from content.lookup import normalise
from content.model import DIFFICULTIES, Content, Question
from content.problems import BANK, Problem

LONGEST_LIMIT = 0.30
POSITION_RANGE = (0.20, 0.30)
LETTERS = ("A", "B", "C", "D")
MIN_BANK = 20
DUPLICATE_SCORE = 70  # prompts this alike (0-100, see prompt_likeness) are near-duplicates
PROMPT_LIMIT = 2000
STEM = 5  # words are compared by their first five letters: "trained" and "training" are one word

_COMMON_WORDS = """a about after all also an and any are as at be been before but by can could do does doesn
    each for from has have how if in into is it its just may more most no not of on one only or other so some
    than that the their them then there these they this those to too up use used was we were what when which
    while who why will with would you your"""
_COMMON = frozenset(_COMMON_WORDS.split())  # words that say nothing about a topic


@dataclass(frozen=True, slots=True)
class Figures:
    """The bank's figures, as ``python -m content stats`` prints them."""

    total: int
    longest: tuple[str, ...]  # ids of the questions whose correct choice is strictly the longest
    positions: dict[str, tuple[str, ...]]  # answer letter -> ids of the questions it answers
    difficulty: dict[str, int]
    per_topic: dict[str, int]  # topic key -> questions, in the order of the topics

    def share(self, count: int) -> float:
        return count / self.total if self.total else 0.0


def figures(content: Content) -> Figures:
    questions = content.questions
    positions: dict[str, list[str]] = {letter: [] for letter in LETTERS}
    for question in questions:
        positions.setdefault(question.answer, []).append(question.id)
    per_topic = Counter(question.topic for question in questions)
    return Figures(
        total=len(questions),
        longest=tuple(question.id for question in questions if answer_is_longest(question)),
        positions={letter: tuple(ids) for letter, ids in positions.items()},
        difficulty={level: sum(q.difficulty == level for q in questions) for level in DIFFICULTIES},
        per_topic={topic.key: per_topic[topic.key] for topic in content.topics},
    )


def problems(content: Content) -> list[Problem]:
    """Every fairness rule the bank breaks, each naming the questions to fix."""
    return [
        *_share_problems(figures(content)),
        *_near_duplicates(content.questions),
        *_hint_leaks(content.questions),
    ]


def answer_is_longest(question: Question) -> bool:
    correct = len(question.correct_choice.text)
    return all(len(choice.text) < correct for choice in question.choices if choice.letter != question.answer)


def hint_leak(question: Question) -> tuple[str, ...]:
    """Words the hint shares with the correct choice and with no other choice, when it shares none with
    any wrong choice: the hint then points at the answer. Empty when the hint is fair.
    """
    prompt = stems(question.prompt)
    hint = stems(question.hint) - prompt
    words = {choice.letter: stems(choice.text) - prompt for choice in question.choices}

    def distinctive(letter: str) -> set[str]:
        others = set().union(*(w for other, w in words.items() if other != letter))
        return words[letter] - others

    if any(
        hint & distinctive(choice.letter) for choice in question.choices if choice.letter != question.answer
    ):
        return ()
    return tuple(sorted(hint & distinctive(question.answer)))


def _share_problems(bank: Figures) -> Iterator[Problem]:
    if bank.total < MIN_BANK:
        return
    if bank.share(len(bank.longest)) > LONGEST_LIMIT:
        yield Problem(
            BANK,
            None,
            f"the correct choice is the strictly longest in {len(bank.longest)} of {bank.total} questions "
            f"({bank.share(len(bank.longest)):.0%}, at most {LONGEST_LIMIT:.0%} allowed): "
            + ", ".join(bank.longest),
        )
    low, high = POSITION_RANGE
    for letter, ids in bank.positions.items():
        if not low <= bank.share(len(ids)) <= high:
            yield Problem(
                BANK,
                None,
                f"answer {letter} is correct in {len(ids)} of {bank.total} questions "
                f"({bank.share(len(ids)):.0%}, needs {low:.0%}-{high:.0%})"
                + (": " + ", ".join(ids) if ids else ""),
            )


def prompt_likeness(first: str, second: str) -> float:
    """How alike two prompts are, 0-100: the mean of rapidfuzz's token sort and token set ratios over
    the words that carry meaning. The sort ratio catches reworded copies; the set ratio catches one
    prompt inside another. Common words are left out, or every short "What is ...?" would look alike.
    """
    from rapidfuzz import fuzz

    a, b = _meaningful(first), _meaningful(second)
    return (fuzz.token_sort_ratio(a, b) + fuzz.token_set_ratio(a, b)) / 2


def _near_duplicates(questions: Sequence[Question]) -> Iterator[Problem]:
    for first, second in itertools.combinations(questions, 2):
        score = prompt_likeness(first.prompt, second.prompt)
        if score >= DUPLICATE_SCORE:
            yield Problem(
                second.file,
                second.id,
                f"prompt nearly repeats the prompt of {first.id!r} ({score:.0f}% alike)",
            )


def _hint_leaks(questions: Sequence[Question]) -> Iterator[Problem]:
    for question in questions:
        if leaked := hint_leak(question):
            words = ", ".join(repr(word) for word in leaked)
            yield Problem(
                question.file,
                question.id,
                f"hint gives the answer away: it shares {words} with choice {question.answer} "
                "and no other choice",
            )


def _meaningful(text: str) -> str:
    return " ".join(
        word for word in normalise(text, PROMPT_LIMIT).split() if len(word) > 2 and word not in _COMMON
    )


def stems(text: str) -> set[str]:
    """The words of a text that carry meaning, each cut to its first STEM letters."""
    return {
        word[:STEM] for word in normalise(text, PROMPT_LIMIT).split() if len(word) > 2 and word not in _COMMON
    }
