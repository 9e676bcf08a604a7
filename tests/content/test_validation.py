"""Every kind of data mistake is reported with its file, its entry and what is wrong.

Each case under fixtures/broken/ holds one small broken file that replaces its twin in fixtures/valid/.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import content
from content import ContentError, Problem

FIXTURES = Path(__file__).parent / "fixtures"

# case -> every line str(ContentError) must have, in order
CASES: dict[str, list[str]] = {
    # categories.toml
    "category_missing_field": ["categories.toml: [monitoring] why: missing"],
    "category_empty_field": ["categories.toml: [monitoring] name: empty"],
    "category_wrong_type": ["categories.toml: [monitoring] aliases: expected an array, got string"],
    "category_unknown_field": [
        "categories.toml: [monitoring] exmaple: unknown field "
        "(expected one of: key, name, aliases, mlops, devops, why, example, see_also, references)"
    ],
    "category_missing_key": [
        "categories.toml: [category #2] key: missing",
        "questions.toml: [main-difference] category: unknown category 'focus_area'",
    ],
    "category_bad_key": [
        "categories.toml: [Focus Area] key: 'Focus Area' is not lowercase letters, digits and underscores",
        "questions.toml: [main-difference] category: unknown category 'focus_area'",
    ],
    "duplicate_key": ["categories.toml: [monitoring] duplicate category key (category #1, #3)"],
    "duplicate_alias": ["categories.toml: [monitoring] duplicate alias 'Monitor'"],
    "alias_collides_with_key": [
        "categories.toml: [focus_area] alias 'MONITORING' collides with key 'monitoring' "
        "of category 'monitoring'"
    ],
    "alias_collides_with_alias": [
        "categories.toml: [focus_area] alias 'Observability' collides with alias 'observability' "
        "of category 'monitoring'"
    ],
    "unknown_see_also": ["categories.toml: [monitoring] see_also: unknown category 'monitorin'"],
    "see_also_itself": ["categories.toml: [monitoring] see_also: lists the category itself"],
    "long_side": ["categories.toml: [monitoring] mlops: longer than 2000 characters (2001)"],
    "why_too_long": ["categories.toml: [monitoring] why: 41 words, more than 40"],
    "why_three_sentences": ["categories.toml: [monitoring] why: 3 sentences, more than 2"],
    "long_name": ["categories.toml: [monitoring] name: longer than 150 characters (151)"],
    "category_syntax_error": [
        "categories.toml: TOML syntax error at line 5, column 19: Illegal character '\\n'"
    ],
    "wrong_table_name": [
        "categories.toml: category: missing",
        "categories.toml: categories: unknown field (expected one of: category)",
    ],
    "reference_missing": ["categories.toml: [monitoring] references: missing"],
    "reference_empty": ["categories.toml: [monitoring] references: empty"],
    "reference_not_https": [
        "categories.toml: [monitoring] reference 1 url: "
        "'http://prometheus.io/docs/introduction/overview/' is not an https:// web address"
    ],
    "reference_not_a_url": [
        "categories.toml: [monitoring] reference 1 url: 'prometheus docs' is not an https:// web address"
    ],
    "reference_empty_title": ["categories.toml: [monitoring] reference 1 title: empty"],
    "reference_missing_url": ["categories.toml: [monitoring] reference 1 url: missing"],
    "reference_unknown_field": [
        "categories.toml: [monitoring] reference 1 url: missing",
        "categories.toml: [monitoring] reference 1 link: unknown field (expected one of: title, url)",
    ],
    "reference_not_a_table": ["categories.toml: [monitoring] references: item 1 is string, expected a table"],
    "too_many_references": ["categories.toml: [monitoring] references: has 3 entries, needs 1 to 2"],
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
    "unknown_category": ["questions.toml: [broken] category: unknown category 'monitorin'"],
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
    "several_problems": [
        "questions.toml: [first] difficulty: 'tricky' is not one of easy, medium, hard",
        "questions.toml: [second] answer 'Z' is not one of the choices (A, B, C)",
        "questions.toml: [second] duplicate question id (question #2, #3)",
        "questions.toml: [first] category: unknown category 'nowhere'",
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
    assert [c.key for c in data.categories] == ["automation", "monitoring", "focus_area"]
    assert [q.id for q in data.questions] == ["main-difference", "drift"]


def test_every_broken_fixture_has_a_case() -> None:
    assert sorted(path.name for path in (FIXTURES / "broken").iterdir()) == sorted(CASES)


@pytest.mark.parametrize("case", sorted(CASES))
def test_each_problem_is_reported_with_file_and_entry(case: str, tmp_path: Path) -> None:
    assert problems_in(broken_dir(case, tmp_path)) == CASES[case]


@pytest.mark.parametrize("missing", ["categories.toml", "questions.toml"])
def test_a_missing_file_is_a_problem(missing: str, tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path, dirs_exist_ok=True)
    (tmp_path / missing).unlink()
    assert problems_in(tmp_path) == [f"{missing}: file not found in {tmp_path}"]


def test_problems_from_both_files_are_reported_together(tmp_path: Path) -> None:
    shutil.copy(FIXTURES / "broken" / "category_missing_field" / "categories.toml", tmp_path)
    shutil.copy(FIXTURES / "broken" / "answer_not_a_choice" / "questions.toml", tmp_path)
    assert problems_in(tmp_path) == CASES["category_missing_field"] + CASES["answer_not_a_choice"]


def test_problem_and_error_text() -> None:
    problems = [Problem("questions.toml", "q1", "hint: missing"), Problem("categories.toml", None, "bad")]
    error = ContentError(problems)
    assert error.problems == tuple(problems)
    assert str(error) == "questions.toml: [q1] hint: missing\ncategories.toml: bad"
