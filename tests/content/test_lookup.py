"""content.find turns what a user typed into a topic, or into suggestions, says how it found it, and never
crashes; without its embedding model it still answers."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import content
from content import embedding, lookup
from content.terms import MAX_INPUT

FIXTURES = Path(__file__).parent / "fixtures"
ROOT = Path(__file__).resolve().parents[2]


def key_of(text: str) -> str | None:
    match = content.find(text)
    return match.topic.key if match.topic else None


@pytest.mark.parametrize("topic", content.topics(), ids=lambda topic: topic.key)
def test_every_key_name_and_alias_finds_its_topic_as_a_term(topic: content.Topic) -> None:
    for term in (topic.key, topic.name, *topic.aliases):
        match = content.find(term)
        assert (match.topic, match.how) == (topic, "term"), term
        assert match.matched_on


@pytest.mark.parametrize(
    "text", ["Monitoring?", "  MONITORING ", "`monitoring`", "*monitoring*", "monitoring!!!", "_monitoring_"]
)
def test_case_punctuation_and_whitespace_do_not_matter(text: str) -> None:
    assert key_of(text) == "monitoring"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("focus area", "focus_area"),
        ("Focus-Area", "focus_area"),
        ("key practices", "key_practices"),
        ("feedback   loop", "feedback_loop"),
        ("teams involved", "teams"),
        ("pipelines", "pipeline"),
        ("failure modes", "failure_mode"),
        ("what is ct", "pipeline"),
    ],
)
def test_names_plurals_and_filler_words(text: str, key: str) -> None:
    assert content.find(text).how == "term"
    assert key_of(text) == key


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("montoring", "monitoring"),
        ("colaboration", "collaboration"),
        ("versoning", "versioning"),
        ("infrastucture", "infrastructure"),
        ("what is kubflow?", "orchestration"),
        ("model mon", "monitoring"),  # shorthand, word for word
        ("exp tracking", "experiment_tracking"),
    ],
)
def test_small_typos_and_shorthand_are_spellings(text: str, key: str) -> None:
    match = content.find(text)
    assert (match.topic and match.topic.key, match.how) == (key, "spelling")


@pytest.mark.parametrize("text", ["ci/cd", "CI/CD", "ci-cd", "CI / CD"])
def test_aliases_with_a_slash(text: str) -> None:
    fixture = content.load(FIXTURES / "valid")
    assert content.find(text, fixture).topic == fixture.topic("automation")


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        ("how do we roll back a bad model", {"model_registry", "incident_response", "deployment"}),
        pytest.param(
            "can we detect drift before labels come in",
            {"drift", "monitoring"},
            marks=pytest.mark.xfail(
                reason="ranked right, but below the threshold the dev decoys set: offered, not shown",
                strict=False,
            ),
        ),
        ("data drfit", {"drift"}),
        ("reproducable training", {"versioning"}),
    ],
)
def test_questions_and_typos_are_found_by_retrieval_with_what_they_matched(text: str, keys: set[str]) -> None:
    match = content.find(text)
    assert match.topic is not None and match.topic.key in keys
    assert match.how in ("retrieval", "spelling") and match.matched_on
    assert match.topic not in match.suggestions and len(match.suggestions) <= 2


def test_a_retrieved_card_says_which_words_of_its_topic_matched() -> None:
    """ "roll back" is joined into the "rollback" the model registry card uses."""
    match = content.find("how do we roll back a bad model")
    assert match.how == "retrieval" and match.topic is not None
    assert match.matched_on == "rollback"


def test_a_text_naming_two_topics_shows_one_and_offers_the_other() -> None:
    match = content.find("monitoring and retraining")
    shown = {match.topic.key if match.topic else None, *(topic.key for topic in match.suggestions)}
    assert {"monitoring", "retraining"} <= shown


@pytest.mark.parametrize(
    "text",
    [
        "monitor arm for my desk",
        "drift car racing",
        "wedding gift registry",
        "canary bird cage cleaning",
        "lunch",
    ],
)
def test_other_meanings_of_our_words_find_no_card(text: str) -> None:
    assert content.find(text).topic is None


@pytest.mark.parametrize("text", ["banana", "hello", "asdfgh", "qwerty", "cat", "a", "decision", "act"])
def test_one_word_that_is_no_term_gets_no_card(text: str) -> None:
    match = content.find(text)
    assert match.topic is None and len(match.suggestions) <= 3


@pytest.mark.parametrize(
    "text", ["", "   ", "?!.", "```", "***", "\u200b\u200b", "<@U0123ABCD>", "<#C0123|general>"]
)
def test_no_words_at_all_is_no_match(text: str) -> None:
    assert content.find(text) == content.Match(None)


@pytest.mark.parametrize(
    "text",
    [
        "\uff4d\uff4f\uff4e\uff49\uff54\uff4f\uff52\uff49\uff4e\uff47",  # full-width
        "moni\u200btoring",  # zero-width space
        "\u200fmonitoring\u200e",  # direction marks
        "\u202emonitoring\u202c",  # bidi override
        "moni\u0301toring",  # combining accent
        "monitoring \U0001f4c8",  # emoji
        "\ufeffmonitoring",  # byte order mark
        "<@U0123ABCD> monitoring",
        "<https://docs.evidentlyai.com|monitoring>",  # a link counts by its label
    ],
)
def test_unicode_and_slack_forms_of_a_term(text: str) -> None:
    assert key_of(text) == "monitoring"


@pytest.mark.parametrize(
    "text",
    [
        "\U0001f355\U0001f355",
        "\u0645\u0631\u0627\u0642\u0628\u0629",
        "\u0301\u0301",
        "\u30e2\u30c7\u30eb\u306e\u76e3\u8996",
        "\u00bfC\u00f3mo vigilamos el modelo en producci\u00f3n?",
        "<https://example.com/some/page>",
        'Traceback (most recent call last):\n  File "app.py", line 42, in <module>\n    main()\nKeyError: 1',
    ],
)
def test_other_scripts_languages_links_and_pastes_answer_without_a_card(text: str) -> None:
    match = content.find(text)
    assert match.topic is None and len(match.suggestions) <= 3


@pytest.mark.parametrize(
    "text", ["x" * 10_000, "monitoring " * 1_000, "\U0001f600" * 10_000, "a\u0301" * 10_000, "why " * 1_000]
)
def test_very_long_input_is_handled(text: str) -> None:
    match = content.find(text)
    assert len(match.suggestions) <= 3


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=300))
def test_any_text_gives_a_sane_match(text: str) -> None:
    match = content.find(text)
    assert len(match.suggestions) <= 3
    assert (match.topic is None) == (match.how == "none")
    assert match.topic not in match.suggestions


def test_find_reads_only_the_start_of_a_long_text() -> None:
    assert content.find("x " * MAX_INPUT + "monitoring").topic is None


# --- without the model ---------------------------------------------------------------------------------


def test_a_missing_model_is_one_warning_and_no_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="content.embedding"):
        assert embedding.load(tmp_path) is None
    assert [record.levelname for record in caplog.records] == ["WARNING"]


def test_an_unreadable_model_is_one_warning_and_no_model(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    folder = embedding.model_folder()
    assert folder is not None
    (tmp_path / embedding.TOKENIZER).parent.mkdir()
    (tmp_path / embedding.TOKENIZER).write_bytes((folder / embedding.TOKENIZER).read_bytes())
    (tmp_path / embedding.WEIGHTS).parent.mkdir()
    (tmp_path / embedding.WEIGHTS).write_bytes(b"\x10\x00\x00\x00\x00\x00\x00\x00{not json")
    with caplog.at_level(logging.WARNING, logger="content.embedding"):
        assert embedding.load(tmp_path) is None
    assert len(caplog.records) == 1


@pytest.mark.parametrize(
    ("text", "key"),
    [("model monitoring", "monitoring"), ("data drfit", "drift"), ("how do we roll back a bad model", None)],
)
def test_words_and_terms_alone_still_answer(text: str, key: str | None) -> None:
    data = content.load()
    index = lookup.build_index(data, None)
    match = lookup.find(text, data, index)
    if key is not None:
        assert match.topic is not None and match.topic.key == key
    assert len(match.suggestions) <= 3


def test_the_bot_process_starts_its_lookup_without_the_model_and_warns_once(tmp_path: Path) -> None:
    script = (
        "import content\n"
        "for text in ('monitoring', 'how do we roll back a bad model', 'data drfit', 'lunch'):\n"
        "    print(text, '->', getattr(content.find(text).topic, 'key', None))\n"
    )
    env = {**os.environ, embedding.MODEL_DIR_VARIABLE: str(tmp_path / "nowhere")}
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr.count("no embedding model") == 1
    assert "monitoring -> monitoring" in done.stdout
    assert "data drfit -> drift" in done.stdout


def test_the_index_leaves_scipy_unloaded_in_a_process_that_had_not_loaded_it() -> None:
    """bm25s would import scipy whenever it is installed (the tests install it): 27 MiB of a bot process."""
    script = (
        "import sys, content\n"
        "from content import lookup\n"
        "assert lookup.index_for(content.load()) is not None\n"
        "print('scipy' in sys.modules, content.find('how do we roll back a bad model').topic is not None)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["False", "True"]
