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

FIXTURES = Path(__file__).parent / "fixtures"

FOCUS_AREA_QUESTIONS = ("no-code-change", "scope-life", "devops-scope", "adds-what")  # in questions_more.toml
FOCUS_AREA_UNKNOWN = [
    f"questions_more.toml: [{question}] topic: unknown topic 'focus_area'"
    for question in FOCUS_AREA_QUESTIONS
]

# case -> every line str(ContentError) must have, in order
CASES: dict[str, list[str]] = {
    # topics.toml
    "topic_missing_field": ["topics.toml: [monitoring] why: missing"],
    "topic_empty_field": ["topics.toml: [monitoring] name: empty"],
    "topic_wrong_type": ["topics.toml: [monitoring] aliases: expected an array, got string"],
    "topic_unknown_field": [
        "topics.toml: [monitoring] exmaple: unknown field "
        "(expected one of: key, name, aliases, mlops, devops, why, example, see_also, references)"
    ],
    "topic_missing_key": [
        "questions.toml: [main-difference] topic: unknown topic 'focus_area'",
        *FOCUS_AREA_UNKNOWN,
        "topics.toml: [topic #2] key: missing",
    ],
    "topic_bad_key": [
        "questions.toml: [main-difference] topic: unknown topic 'focus_area'",
        *FOCUS_AREA_UNKNOWN,
        "topics.toml: [Focus Area] key: 'Focus Area' is not lowercase letters, digits and underscores",
        "topics.toml: [Focus Area] has 0 questions, needs at least 4",
    ],
    "duplicate_key": ["topics.toml: [monitoring] duplicate topic key (topic #1, #3)"],
    "duplicate_alias": ["topics.toml: [monitoring] duplicate alias 'Monitor'"],
    "alias_collides_with_key": [
        "topics.toml: [focus_area] alias 'MONITORING' collides with key 'monitoring' of topic 'monitoring'"
    ],
    "alias_collides_with_alias": [
        "topics.toml: [focus_area] alias 'Observability' collides with alias 'observability' "
        "of topic 'monitoring'"
    ],
    "unknown_see_also": ["topics.toml: [monitoring] see_also: unknown topic 'monitorin'"],
    "see_also_itself": ["topics.toml: [monitoring] see_also: lists the topic itself"],
    "long_side": ["topics.toml: [monitoring] mlops: longer than 2000 characters (2001)"],
    "why_too_long": ["topics.toml: [monitoring] why: 41 words, more than 40"],
    "why_three_sentences": ["topics.toml: [monitoring] why: 3 sentences, more than 2"],
    "side_too_long": ["topics.toml: [monitoring] mlops: 31 words, more than 30"],
    "example_too_long": ["topics.toml: [monitoring] example: 61 words, more than 60"],
    "card_too_long": ["topics.toml: [monitoring] the card has 121 words, more than 120 (one phone screen)"],
    "long_name": ["topics.toml: [monitoring] name: longer than 150 characters (151)"],
    "topic_syntax_error": ["topics.toml: TOML syntax error at line 5, column 19: Illegal character '\\n'"],
    "wrong_table_name": ["topics.toml: topics: unknown field (expected one of: topic, question)"],
    "reference_missing": ["topics.toml: [monitoring] references: missing"],
    "reference_empty": ["topics.toml: [monitoring] references: empty"],
    "reference_not_https": [
        "topics.toml: [monitoring] reference 1 url: "
        "'http://prometheus.io/docs/introduction/overview/' is not an https:// web address"
    ],
    "reference_not_a_url": [
        "topics.toml: [monitoring] reference 1 url: 'prometheus docs' is not an https:// web address"
    ],
    "reference_empty_title": ["topics.toml: [monitoring] reference 1 title: empty"],
    "reference_missing_url": ["topics.toml: [monitoring] reference 1 url: missing"],
    "reference_unknown_field": [
        "topics.toml: [monitoring] reference 1 url: missing",
        "topics.toml: [monitoring] reference 1 link: unknown field (expected one of: title, url)",
    ],
    "reference_not_a_table": ["topics.toml: [monitoring] references: item 1 is string, expected a table"],
    "too_many_references": ["topics.toml: [monitoring] references: has 3 entries, needs 1 to 2"],
    # questions.toml
    "answer_not_a_choice": [
        "questions.toml: [seed-practice-2] answer 'E' is not one of the choices (A, B, C, D)"
    ],
    "too_few_choices": ["questions.toml: [broken] has 2 choices, needs 3 or 4"],
    "too_many_choices": ["questions.toml: [broken] has 5 choices, needs 3 or 4"],
    "letters_out_of_order": ["questions.toml: [broken] choice letters A, C, B are not A, B, C in order"],
    "duplicate_letter": ["questions.toml: [broken] choice letter 'B' is used more than once"],
    "missing_why_wrong": ["questions.toml: [broken] choice C is wrong but has no why_wrong"],
    "answer_has_why_wrong": ["questions.toml: [broken] choice B is the answer but has a why_wrong"],
    "same_choice_text": ["questions.toml: [broken] choice C has the same text as an earlier choice"],
    "choice_unknown_field": [
        "questions.toml: [broken] choice A why_wrng: unknown field (expected one of: letter, text, why_wrong)"
    ],
    "long_choice": ["questions.toml: [broken] choice B text: longer than 75 characters (76)"],
    "long_prompt": ["questions.toml: [broken] prompt: longer than 2000 characters (2001)"],
    "duplicate_id": ["questions.toml: [broken] duplicate question id (question #1, #2)"],
    "unknown_topic": ["questions.toml: [broken] topic: unknown topic 'monitorin'"],
    "bad_difficulty": ["questions.toml: [broken] difficulty: 'tricky' is not one of easy, medium, hard"],
    "question_wrong_type": ["questions.toml: [broken] answer: expected a string, got integer"],
    "question_missing_id": ["questions.toml: [question #1] id: missing"],
    "bad_id": ["questions.toml: [Main Difference] id: 'Main Difference' is not lowercase kebab-case"],
    "bad_source": [
        "questions.toml: [broken] source: 'the slides' is not 'original' "
        "or '<seed file> practice|challenge N'"
    ],
    "duplicate_source": [
        "questions.toml: [second] source: '000_seed.txt practice 1' is also used by 'first'"
    ],
    "question_syntax_error": [
        "questions.toml: TOML syntax error at line 5, column 8: Expected '=' after a key in a key/value pair"
    ],
    "answered_by_drifted": ["questions.toml: [drift] answered_by: not a sentence of the 'monitoring' card"],
    "answered_by_missing": ["questions.toml: [drift] answered_by: missing"],
    # questions_more.toml
    "topic_too_few_questions": ["topics.toml: [monitoring] has 3 questions, needs at least 4"],
    "several_problems": [
        "questions.toml: [first] difficulty: 'tricky' is not one of easy, medium, hard",
        "questions.toml: [second] answer 'Z' is not one of the choices (A, B, C)",
        "questions.toml: [second] duplicate question id (question #2, #3)",
        "questions.toml: [first] topic: unknown topic 'nowhere'",
    ],
}


def broken_dir(case: str, directory: Path) -> Path:
    """The valid fixture pair in ``directory``, with the case's broken file(s) in place of the originals."""
    for source in (FIXTURES / "valid", FIXTURES / "broken" / case):
        for file in source.glob("*.toml"):
            shutil.copy(file, directory)
    return directory


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
