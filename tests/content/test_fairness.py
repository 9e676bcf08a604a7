"""The quiz can't be gamed: `python -m content check` enforces the fairness rules and names the questions
to fix; `python -m content stats` prints the figures.

Each case under fixtures/unfair/ is a questions.toml that loads fine but breaks one fairness rule; it is
checked against the topics of fixtures/valid/ and the four questions per topic of its questions_more.toml.
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

import content
from content import fairness
from content.model import Choice, Question
from tests.fixtures.content import run

FIXTURES = Path(__file__).parent / "fixtures"
TWENTY = ", ".join(f"q{n:02d}" for n in range(1, 21))

# case -> every line `python -m content check` must print for it, in order
CASES: dict[str, list[str]] = {
    "longest_answer": [
        "content: the correct choice is the strictly longest in 20 of 32 questions "
        f"(62%, at most 30% allowed): {TWENTY}"
    ],
    "answers_all_a": [
        f"content: answer A is correct in 23 of 32 questions (72%, needs 20%-30%): {TWENTY}, "
        "retrain-trigger, up-but-wrong, no-code-change",
        "content: answer B is correct in 3 of 32 questions (9%, needs 20%-30%): "
        "manual-copy, what-to-watch, scope-life",
        "content: answer C is correct in 3 of 32 questions (9%, needs 20%-30%): "
        "both-automated, uptime-proves, devops-scope",
        "content: answer D is correct in 3 of 32 questions (9%, needs 20%-30%): "
        "push-retrains, fast-and-wrong, adds-what",
    ],
    "near_duplicate_prompts": ["questions.toml: [q02] prompt nearly repeats the prompt of 'q01' (79% alike)"],
    "hint_gives_answer_away": [
        "questions.toml: [q01] hint gives the answer away: "
        "it shares 'drift' with choice D and no other choice"
    ],
}


def unfair_dir(case: str, directory: Path) -> Path:
    for name in ("topics.toml", "questions_more.toml"):
        shutil.copy(FIXTURES / "valid" / name, directory)
    shutil.copy(FIXTURES / "unfair" / case / "questions.toml", directory)
    return directory


def test_every_unfair_fixture_has_a_case() -> None:
    assert sorted(path.name for path in (FIXTURES / "unfair").iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_unfair_bank_loads_but_fails_the_check(case: str, tmp_path: Path) -> None:
    directory = unfair_dir(case, tmp_path)
    data = content.load(directory)  # fairness is not a loading error: the bot still starts
    assert [str(problem) for problem in fairness.problems(data)] == CASES[case]
    result = run("check", "--dir", str(directory))
    assert (result.returncode, result.stdout) == (1, "")
    lines = result.stderr.splitlines()
    assert lines[: len(CASES[case])] == CASES[case]
    assert all("a guesser who knows no MLOps" in line for line in lines[len(CASES[case]) :])


def test_the_valid_fixtures_are_fair() -> None:
    assert fairness.problems(content.load(FIXTURES / "valid")) == []


def test_the_real_bank_is_fair() -> None:
    assert [str(problem) for problem in fairness.problems(content.load())] == []


def test_the_real_bank_is_big_balanced_and_mixed() -> None:
    data = content.load()
    bank = fairness.figures(data)
    assert len(data.topics) >= 36
    assert bank.total >= 4 * len(data.topics)
    assert min(bank.per_topic.values()) >= 4
    assert bank.share(len(bank.longest)) <= fairness.LONGEST_LIMIT
    for letter in fairness.LETTERS:
        assert 0.20 <= bank.share(len(bank.positions[letter])) <= 0.30, letter
    mix = {level: bank.share(count) for level, count in bank.difficulty.items()}
    assert 0.32 <= mix["easy"] <= 0.48 and 0.32 <= mix["medium"] <= 0.48 and 0.15 <= mix["hard"] <= 0.25, mix


def test_the_correct_choice_is_not_the_shortest_either() -> None:
    """Shortening right answers too far would just move the tell: "pick the shortest"."""
    questions = content.questions()
    shortest = [
        q
        for q in questions
        if all(len(c.text) > len(q.correct_choice.text) for c in q.choices if c.letter != q.answer)
    ]
    assert len(shortest) / len(questions) <= fairness.LONGEST_LIMIT


def test_a_small_bank_is_not_held_to_shares(tmp_path: Path) -> None:
    """The share rules need fairness.MIN_BANK questions to mean anything."""
    directory = unfair_dir("longest_answer", tmp_path)
    path = directory / "questions.toml"
    entries = path.read_text().split("[[question]]")
    others = len(content.load(FIXTURES / "valid").questions) - 2  # those of questions_more.toml
    path.write_text("[[question]]".join(entries[: fairness.MIN_BANK - others]))  # the header, then 19 in all
    data = content.load(directory)
    assert len(data.questions) == fairness.MIN_BANK - 1
    assert fairness.problems(data) == []


def question(hint: str, answer: str, *texts: str, prompt: str = "Which one?") -> Question:
    choices = tuple(
        Choice(letter, text, None if letter == answer else "No.")
        for letter, text in zip("ABCD", texts, strict=False)
    )
    return Question("q", prompt, choices, answer, "Because.", hint, (), "easy", "monitoring", "original")


@pytest.mark.parametrize(
    ("hint", "prompt", "leaked"),
    [
        (
            "Think about drifting inputs.",
            "Which one?",
            ("drift", "input"),
        ),  # "drifting" and "Drift": one stem
        ("Think about drift and memory.", "Which one?", ()),  # also points at a wrong choice
        ("Think about drift.", "Which drift matters?", ()),  # the prompt already says it
        ("What changed in the world?", "Which one?", ()),
    ],
)
def test_a_hint_leaks_only_words_unique_to_the_right_choice(
    hint: str, prompt: str, leaked: tuple[str, ...]
) -> None:
    item = question(hint, "A", "Drift in the inputs", "A memory leak", "A merge conflict", prompt=prompt)
    assert fairness.hint_leak(item) == leaked


def test_answer_is_longest_means_strictly() -> None:
    assert fairness.answer_is_longest(question("", "A", "longer one", "short", "tiny"))
    assert not fairness.answer_is_longest(question("", "A", "same", "same", "tiny"))


@pytest.mark.parametrize(
    ("first", "second", "alike"),
    [
        (
            "What is the main difference between MLOps and DevOps?",
            "Which statement best captures a key difference between MLOps and DevOps?",
            True,
        ),
        (
            "Which step appears in an MLOps pipeline but not in a typical DevOps pipeline?",
            "Which check belongs in an ML pipeline but not in a typical app pipeline?",
            True,
        ),
        (
            "What is a model card?",
            "What is the ground truth for a prediction?",
            False,
        ),  # only common words shared
        ("What is a model card?", "What is a model registry?", False),
    ],
)
def test_prompt_likeness(first: str, second: str, alike: bool) -> None:
    assert (fairness.prompt_likeness(first, second) >= fairness.DUPLICATE_SCORE) is alike


def test_stats_prints_the_figures_the_rules_look_at() -> None:
    result = run("stats")
    assert result.returncode == 0, result.stderr
    bank = fairness.figures(content.load())
    lines = result.stdout.splitlines()
    assert lines[0] == f"{len(content.topics())} topics, {bank.total} questions"
    assert lines[1].startswith(f"Correct choice strictly the longest: {len(bank.longest)} (")
    assert lines[2].startswith("Answer positions: A ")
    assert all(f"{letter} {len(bank.positions[letter])} (" in lines[2] for letter in "ABCD")
    assert lines[3].startswith("Difficulty: easy ")
    assert lines[4].startswith("Questions per topic: ")
    per_topic = Counter(q.topic for q in content.questions())
    for topic in content.topics():
        assert any(line.split() == [topic.key, str(per_topic[topic.key])] for line in lines[5:])
