"""content.find turns what a user typed into a topic, or into suggestions, and never crashes."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import content
from content import Match

FIXTURES = Path(__file__).parent / "fixtures"


def key_of(text: str) -> str | None:
    match = content.find(text)
    return match.topic.key if match.topic else None


@pytest.mark.parametrize("topic", content.topics(), ids=lambda topic: topic.key)
def test_every_key_name_and_alias_finds_its_topic(topic: content.Topic) -> None:
    for term in (topic.key, topic.name, *topic.aliases):
        assert content.find(term) == Match(topic), term


@pytest.mark.parametrize(
    "text",
    [
        "Monitoring?",
        "  MONITORING ",
        "`monitoring`",
        "*monitoring*",
        "monitoring!!!",
        "_monitoring_",
        "Monitoring\n",
    ],
)
def test_case_punctuation_and_whitespace_do_not_matter(text: str) -> None:
    assert key_of(text) == "monitoring"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("focus area", "focus_area"),
        ("focus_area", "focus_area"),
        ("Focus-Area", "focus_area"),
        ("key practices", "key_practices"),
        ("build artifact", "build_artifact"),
        ("update trigger", "update_trigger"),
        ("feedback loop", "feedback_loop"),
        ("performance metrics", "performance_metrics"),
        ("primary asset", "primary_asset"),
        ("failure mode", "failure_mode"),
        ("teams involved", "teams"),
        ("feedback   loop", "feedback_loop"),
    ],
)
def test_multi_word_names(text: str, key: str) -> None:
    assert key_of(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("pipelines", "pipeline"),
        ("tool", "tools"),
        ("versions", "versioning"),
        ("failure modes", "failure_mode"),
        ("build artifacts", "build_artifact"),
        ("update triggers", "update_trigger"),
        ("teams", "teams"),
    ],
)
def test_plural_and_singular(text: str, key: str) -> None:
    assert key_of(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("montoring", "monitoring"),
        ("colaboration", "collaboration"),
        ("versoning", "versioning"),
        ("automaton", "automation"),
        ("infrastucture", "infrastructure"),
        ("retrainig", "retraining"),
    ],
)
def test_small_typos(text: str, key: str) -> None:
    assert key_of(text) == key


@pytest.mark.parametrize("text", ["ci/cd", "CI/CD", "ci-cd", "CI / CD"])
def test_aliases_with_a_slash(text: str) -> None:
    fixture = content.load(FIXTURES / "valid")
    assert content.find(text, fixture) == Match(fixture.topic("automation"))


def test_a_near_miss_gets_suggestions_not_a_match() -> None:
    match = content.find("monitorng dashbord")
    assert match.topic is None
    assert match.suggestions[0] == content.topic("monitoring")


@pytest.mark.parametrize(
    ("text", "key"), [("model monitoring", "monitoring"), ("how do we do versioning", "versioning")]
)
def test_a_topic_named_inside_a_longer_phrase_is_found(text: str, key: str) -> None:
    assert content.find(text) == Match(content.topic(key))


def test_a_phrase_naming_two_topics_offers_both() -> None:
    match = content.find("monitoring and retraining")
    assert match.topic is None
    assert [topic.key for topic in match.suggestions[:2]] == ["monitoring", "retraining"]


@pytest.mark.parametrize("text", ["banana", "hello", "pizza", "asdfgh", "qwerty", "cat", "a", "lorem ipsum"])
def test_unrelated_words_match_nothing(text: str) -> None:
    match = content.find(text)
    assert match.topic is None
    assert len(match.suggestions) <= 3


@pytest.mark.parametrize("text", ["", "   ", "?!.", "```", "***", "\u200b\u200b"])
def test_empty_or_punctuation_only(text: str) -> None:
    assert content.find(text) == Match(None)


@pytest.mark.parametrize(
    "text",
    [
        "\uff4d\uff4f\uff4e\uff49\uff54\uff4f\uff52\uff49\uff4e\uff47",  # full-width
        "moni\u200btoring",  # zero-width space
        "\u200fmonitoring\u200e",  # direction marks
        "moni\u0301toring",  # combining accent
        "monitoring \U0001f4c8",  # emoji
        "\ufeffmonitoring",  # byte order mark
    ],
)
def test_unicode_forms_of_a_term(text: str) -> None:
    assert key_of(text) == "monitoring"


@pytest.mark.parametrize(
    "text", ["\U0001f355\U0001f355", "\u0645\u0631\u0627\u0642\u0628\u0629", "\u0301\u0301"]
)
def test_unicode_without_a_term(text: str) -> None:
    assert content.find(text).topic is None


@pytest.mark.parametrize(
    "text", ["x" * 10_000, "monitoring " * 1_000, "\U0001f600" * 10_000, "a\u0301" * 10_000]
)
def test_very_long_input_is_handled(text: str) -> None:
    """Long input is cut before fuzzy matching; the answer is a plain no-match or a match, never an error."""
    match = content.find(text)
    assert len(match.suggestions) <= 3


@given(st.text(max_size=300))
def test_any_text_gives_a_sane_match(text: str) -> None:
    match = content.find(text)
    assert len(match.suggestions) <= 3
    assert match.topic is None or match.suggestions == ()
