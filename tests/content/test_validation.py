"""Every kind of data mistake is reported with its file, its entry and what is wrong.

Each case under fixtures/broken/ holds one small broken file that replaces its twin in fixtures/valid/
(whose questions_more.toml gives every topic its four questions, whichever questions.toml is in place).
"""

from __future__ import annotations

import shutil
from collections import Counter
from pathlib import Path

import pytest

import content
from content import ContentError, Problem
from tests.fixtures.content import CASES, FIXTURES, broken_dir

# case -> every line str(ContentError) must have, in order


def problems_in(directory: Path) -> list[str]:
    with pytest.raises(ContentError) as caught:
        content.load(directory)
    assert len(caught.value.problems) == len(str(caught.value).splitlines())
    return str(caught.value).splitlines()


def test_the_valid_fixtures_load() -> None:
    data = content.load(FIXTURES / "valid")
    assert [c.key for c in data.topics] == ["automation", "monitoring", "focus_area"]
    assert [q.id for q in data.questions][:2] == ["main-difference", "drift"]  # questions.toml comes first
    assert {q.file for q in data.questions} == {"questions.toml", "questions_more.toml"}
    assert sorted(Counter(q.topic for q in data.questions).values()) == [4, 5, 5]


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(path.name for path in (FIXTURES / "broken").iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_is_reported_with_file_and_entry(case: str, tmp_path: Path) -> None:
    assert problems_in(broken_dir(case, tmp_path)) == CASES[case]


@pytest.mark.parametrize("table", ["topic", "question"])
def test_a_bank_without_topics_or_questions_is_a_problem(table: str, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path, dirs_exist_ok=True)
    for path in tmp_path.glob(f"{table}s*.toml"):
        path.unlink()
    expected = f"content: no [[{table}]] entries in any file of {tmp_path}"
    assert expected in problems_in(tmp_path)


def test_a_folder_without_content_files_is_a_problem(tmp_path: Path) -> None:
    assert problems_in(tmp_path) == [f"{tmp_path}: no .toml content files in this folder"]


def test_topics_and_questions_may_share_a_file_and_spread_over_several(tmp_path: Path) -> None:
    valid = FIXTURES / "valid"
    files = ("topics.toml", "questions.toml", "questions_more.toml")
    (tmp_path / "all.toml").write_text("".join((valid / name).read_text() for name in files))
    data = content.load(tmp_path)
    assert [t.key for t in data.topics] == ["automation", "monitoring", "focus_area"]
    assert {q.file for q in data.questions} == {"all.toml"}
    assert len(data.questions) == len(content.load(valid).questions)


def test_problems_from_both_files_are_reported_together(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "topic_missing_field" / "topics.toml", tmp_path)
    shutil.copy(FIXTURES / "broken" / "answer_not_a_choice" / "questions.toml", tmp_path)
    shutil.copy(FIXTURES / "valid" / "questions_more.toml", tmp_path)
    assert problems_in(tmp_path) == CASES["answer_not_a_choice"] + CASES["topic_missing_field"]


def test_problem_and_error_text() -> None:
    problems = [Problem("questions.toml", "q1", "hint: missing"), Problem("topics.toml", None, "bad")]
    error = ContentError(problems)
    assert error.problems == tuple(problems)
    assert str(error) == "questions.toml: [q1] hint: missing\ntopics.toml: bad"
