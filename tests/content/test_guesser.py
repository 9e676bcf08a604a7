"""A guesser who knows no MLOps can't pass the quiz: `python -m content check` scores every one-rule strategy
and a trained classifier on the choices' surface features and on the vocabulary a learner picks up from the
bank, and fails a bank where any beats 35% on all questions or on the medium and hard ones."""

from __future__ import annotations

import subprocess
import sys

import pytest

import content
from content import guesser
from content.model import Choice, Content, Question, Topic
from content.vocabulary import AnswerWords, CardVocabulary
from tests.fixtures.content import ROOT, run


def question(
    number: int, answer: str, *texts: str, prompt: str = "Which one fits?", difficulty: str = "easy"
) -> Question:
    choices = tuple(
        Choice(letter, text, None if letter == answer else "No.")
        for letter, text in zip("ABCD", texts, strict=False)
    )
    return Question(
        f"q{number}",
        prompt,
        choices,
        answer,
        "Because.",
        "Think.",
        (),
        difficulty,
        "drift",
        "original",  # type: ignore[arg-type]
    )


TOPIC = Topic("drift", "Drift", ("data drift",), "Inputs change.", "Traffic changes.", "Why.", None, ())
FILLERS = (
    "the parser",
    "a cache warms up",
    "our nightly report runs late",
    "a queue grows when traffic peaks at noon",
)


def second_longest(number: int, difficulty: str = "easy") -> Question:
    """A question whose correct choice is the second longest: the tell the audit found."""
    letter = "ABCD"[number % 4]
    texts = list(FILLERS[:1] + FILLERS[2:])  # shortest, third and longest stay wrong
    texts.insert("ABCD".index(letter), f"reading number {number} moves the inputs")  # 33-34 characters
    return question(number, letter, *texts, difficulty=difficulty)


def second_longest_bank(size: int = 24) -> Content:
    return Content((TOPIC,), tuple(second_longest(number) for number in range(size)))


def even(number: int, difficulty: str = "easy") -> Question:
    """A question with nothing to tell its choices apart but made-up words, each used once."""
    texts = [f"zq{number}x{n} wv{number}y{n}" for n in range(4)]
    return question(number, "ABCD"[number % 4], *texts, difficulty=difficulty)


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
    expected = "scores 100% on all questions by 'second longest' (24.0 of 24, at most 35% allowed)"
    assert f"a guesser who knows no MLOps {expected}" in messages


def test_a_tell_in_the_medium_and_hard_questions_fails_even_when_the_whole_bank_passes() -> None:
    """60 even easy questions, and 20 medium ones of which half have the tell: 34% overall, 62% harder."""
    easy = [even(number) for number in range(60)]
    harder = [second_longest(number, "medium") for number in range(60, 70)]
    harder += [even(number, "medium") for number in range(70, 80)]
    scores = {
        (s.name, s.group): s.share for s in guesser.strategy_scores(Content((TOPIC,), (*easy, *harder)))
    }
    assert scores["second longest", guesser.ALL] == pytest.approx(27.5 / 80)
    assert scores["second longest", guesser.HARDER] == pytest.approx(12.5 / 20)
    messages = [problem.message for problem in guesser.problems(Content((TOPIC,), (*easy, *harder)))]
    expected = "scores 62% on medium and hard questions by 'second longest' (12.5 of 20, at most 35% allowed)"
    assert f"a guesser who knows no MLOps {expected}" in messages
    assert not any("on all questions by 'second longest'" in message for message in messages)


def test_a_bank_whose_right_answers_share_words_fails() -> None:
    """Right choices keep saying "gate": the words learned from the other questions give each answer away,
    though lengths and everything else are even."""
    questions = []
    for number in range(24):
        texts = [f"zq{number:02d}x{n} wv{number:02d}y{n}" for n in range(4)]  # 13 characters each
        letter = "ABCD"[number % 4]
        texts["ABCD".index(letter)] = f"gate mark{number:02d}xy"
        questions.append(question(number, letter, *texts))
    bank = Content((TOPIC,), tuple(questions))
    scores = {score.name: score.share for score in guesser.scores(bank) if score.group == guesser.ALL}
    assert scores["most words typical of right answers elsewhere"] == 1.0
    assert scores[guesser.TRAINED] == 1.0
    assert scores["longest"] == 0.25


def test_answer_words_are_learned_without_the_question_itself() -> None:
    only_here = question(1, "A", "unique drift", "b", "c", "d")
    elsewhere = question(2, "B", "a", "drift again", "c", "d")
    words = AnswerWords([only_here, elsewhere])
    assert words.score("uniqu", (0,)) == 0.0  # seen only in the question left out: no evidence either way
    assert words.score("drift", (0,)) > 0  # right in the other question
    assert words.score("drift", (0, 1)) == 0.0
    assert words.features(0, (0, 1)) == [{"answer_words": 0.0, "right_words": 0.0, "wrong_words": 0.0}] * 4


def test_jargon_counts_words_other_cards_use() -> None:
    cards = [
        Topic(key, key, (), f"Model drift {key}.", "Traffic.", "Why.", None, ())
        for key in ("drift", "monitoring", "retraining", "testing")
    ]
    vocabulary = CardVocabulary(Content(tuple(cards), ()))
    assert vocabulary.jargon({"model", "drift", "pizza"}, "drift") == 2  # three other cards say both
    assert vocabulary.jargon({"testi"}, "drift") == 0  # one card only
    features = guesser.question_features(question(1, "A", "Model drift", "pizza", "c", "d"), "", vocabulary)
    assert (features[0]["jargon"], features[0]["jargon_share"]) == (2, 1.0)
    assert features[1]["jargon"] == 0


def test_the_trained_guesser_is_deterministic() -> None:
    bank = content.load()
    assert guesser.trained_score(bank) == guesser.trained_score(bank)
    assert [score.group for score in guesser.trained_score(bank)] == list(guesser.GROUPS)


def test_ties_are_split_evenly() -> None:
    same = question(1, "B", "same length", "same length", "same length", "same length")
    bank = Content((TOPIC,), tuple(same for _ in range(20)))
    scores = {score.name: score.share for score in guesser.strategy_scores(bank)}
    assert scores["longest"] == scores["shortest"] == 0.25
    assert {score.group for score in guesser.strategy_scores(bank)} == {guesser.ALL}  # no medium or hard


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
    assert lines[start].endswith("on all questions and on medium and hard questions:")
    rows = [line.split() for line in lines[start + 1 :]]
    assert all(row[0].endswith("%") and row[1].endswith("%") for row in rows)  # one column a group
    names = [" ".join(row[2:]) for row in rows]
    assert sorted(names) == sorted([*guesser.STRATEGIES, guesser.TRAINED])
