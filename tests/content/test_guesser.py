"""A guesser who knows no MLOps can't pass the quiz: `python -m content check` scores every one-rule strategy
and a trained classifier on the choices' surface features, and fails a bank where any beats 35%."""

from __future__ import annotations

import subprocess
import sys

import pytest

import content
from content import guesser
from content.model import Choice, Content, Question, Topic
from tests.fixtures.content import run
from tests.fixtures.process import ROOT


def question(number: int, answer: str, *texts: str, prompt: str = "Which one fits?") -> Question:
    choices = tuple(
        Choice(letter, text, None if letter == answer else "No.")
        for letter, text in zip("ABCD", texts, strict=False)
    )
    return Question(
        f"q{number}", prompt, choices, answer, "Because.", "Think.", (), "easy", "drift", "original"
    )


TOPIC = Topic("drift", "Drift", ("data drift",), "Inputs change.", "Traffic changes.", "Why.", None, ())
FILLERS = (
    "the parser",
    "a cache warms up",
    "our nightly report runs late",
    "a queue grows when traffic peaks at noon",
)


def second_longest_bank(size: int = 24) -> Content:
    """Every correct choice is the second longest: the tell the audit found."""
    questions = []
    for number in range(size):
        letter = "ABCD"[number % 4]
        texts = list(FILLERS[:1] + FILLERS[2:])  # shortest, third and longest stay wrong
        texts.insert("ABCD".index(letter), f"reading number {number} moves the inputs")  # 33-34 characters
        questions.append(question(number, letter, *texts))
    return Content((TOPIC,), tuple(questions))


def test_the_real_bank_passes_every_guesser() -> None:
    scores = guesser.scores(content.load())
    assert {score.name for score in scores} == {*guesser.STRATEGIES, guesser.TRAINED}
    beaten = [score for score in scores if score.share > guesser.LIMIT]
    assert beaten == []
    assert guesser.problems(content.load(), scores) == []


def test_a_bank_with_one_tell_fails_by_name() -> None:
    bank = second_longest_bank()
    scores = {score.name: score for score in guesser.scores(bank)}
    assert scores["second longest"].share == 1.0
    assert scores[guesser.TRAINED].share == 1.0  # the classifier finds the tell too
    messages = [problem.message for problem in guesser.problems(bank)]
    expected = "scores 100% by 'second longest' (24.0 of 24 questions, at most 35% allowed)"
    assert f"a guesser who knows no MLOps {expected}" in messages


def test_the_trained_guesser_is_deterministic() -> None:
    bank = content.load()
    assert guesser.trained_score(bank) == guesser.trained_score(bank)


def test_ties_are_split_evenly() -> None:
    same = question(1, "B", "same length", "same length", "same length", "same length")
    bank = Content((TOPIC,), tuple(same for _ in range(20)))
    scores = {score.name: score.share for score in guesser.strategy_scores(bank)}
    assert scores["longest"] == scores["shortest"] == 0.25


def test_a_small_bank_is_not_scored() -> None:
    assert guesser.scores(second_longest_bank(size=10)) == []


@pytest.mark.parametrize(
    ("text", "feature", "value"),
    [
        ("Nothing: it is fine", "verdict_opener", 1.0),
        ("Nothing changes in the inputs", "verdict_opener", 0.0),
        ("It never, ever fails", "absolute", 1.0),
        ("It can often drift", "hedging", 2.0),
        ("Data, code and settings", "listed_items", 2.0),
        ("Drift: the inputs moved", "colon", 1.0),
        ("data drift in the inputs", "label_overlap", 2.0),
    ],
)
def test_surface_features(text: str, feature: str, value: float) -> None:
    features = guesser.question_features(question(1, "A", text, "b", "c", "d"), "Drift data drift")
    assert features[0][feature] == value


def test_length_ranks_share_ties() -> None:
    features = guesser.question_features(question(1, "A", "aaaa", "aaaa", "aa", "a"), "")
    assert [f["length_rank"] for f in features] == [1.5, 1.5, 3, 4]


def test_loading_the_content_never_imports_scikit_learn() -> None:
    code = "import sys, content; content.load(); content.questions(); assert 'sklearn' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], cwd=ROOT, check=True, timeout=60)


def test_stats_prints_every_guesser_score() -> None:
    result = run("stats")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    start = next(n for n, line in enumerate(lines) if line.startswith("Guessers who know no MLOps"))
    names = [line.split("%", 1)[1].strip() for line in lines[start + 1 :]]
    assert sorted(names) == sorted([*guesser.STRATEGIES, guesser.TRAINED])
