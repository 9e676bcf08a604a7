"""The routing set (content/routing.toml): what people type mid-discussion, and the topic each must reach.

Its figures on the test split are the lookup's measure; `python -m content eval` prints them with every
miss. The weights and threshold were fitted on the dev split only.
"""

from __future__ import annotations

import functools
from collections import Counter
from dataclasses import replace

import pytest

import content
from content import evaluate, lookup
from content.model import Content
from content.routing_set import KINDS, counted, examples, load_routing_set, split_of

# Topics that came after the first bank; a bank without them skips their phrases until they are loaded.
COMING = {
    *("llm_evaluation", "prompt_versioning", "rag_operations", "llm_serving", "llm_guardrails"),
    *("data_contracts", "lineage", "ai_regulation", "model_supply_chain"),
}
# What the lookup reaches on the test split today (content/lookup_weights.json, fitted on dev). A change
# that lowers them is a regression; the issue's targets are in test_the_issue_targets below.
FLOORS = {"semantic": (0.70, 0.93, 0.03), "lexical": (0.60, 0.90, 0.03)}  # top-1, top-3, decoys found
TARGETS = (0.95, 0.99, 0.03)

ROUTING = load_routing_set()


@functools.cache
def figures(mode: str) -> evaluate.Figures:
    """The test split's figures: the lookup ranks with the dev phrases only, never these."""
    data = content.load()
    index = lookup.index_for(data) if mode == "semantic" else lookup.build_index(data, None)
    assert index is not None and (index.embedding is not None) == (mode == "semantic")
    return evaluate.test_figures(data, index)


def test_the_set_is_big_enough_and_written_as_asked() -> None:
    kinds = Counter(phrase.kind for phrase in ROUTING.phrases)
    assert len(ROUTING.phrases) >= 300
    assert kinds["questions"] >= 100 and kinds["tools"] >= 60 and kinds["typos"] >= 40
    assert len(ROUTING.decoys) >= 80
    assert set(kinds) <= set(KINDS)
    texts = [phrase.text for phrase in ROUTING.phrases] + [decoy.text for decoy in ROUTING.decoys]
    assert len(texts) == len(set(texts)), [text for text, n in Counter(texts).items() if n > 1]


def test_every_phrase_names_a_topic_of_the_bank_or_one_that_is_coming() -> None:
    known = {topic.key for topic in content.topics()} | COMING
    assert {key for phrase in ROUTING.phrases for key in phrase.topics} <= known


def test_both_splits_have_phrases_and_decoys_of_every_kind() -> None:
    for split in ("dev", "test"):
        chosen = ROUTING.in_split(split)
        assert {phrase.kind for phrase in chosen.phrases} == set(KINDS)
        assert len(chosen.phrases) >= 150 and len(chosen.decoys) >= 50
    assert split_of("how do we roll back a bad model") == split_of("how do we roll back a bad model")


@pytest.mark.parametrize("mode", ["semantic", "lexical"])
def test_the_test_split_figures_hold(mode: str) -> None:
    result = figures(mode)
    top1, top3, decoys = FLOORS[mode]
    summary = f"{mode}: top-1 {result.share('top1'):.1%}, top-3 {result.share('top3'):.1%}, " + (
        f"decoys found {result.share('decoys_found'):.1%}\n" + "\n".join(result.misses)
    )
    assert result.share("top1") >= top1, summary
    assert result.share("top3") >= top3, summary
    assert result.share("decoys_found") <= decoys, summary


@pytest.mark.xfail(
    reason="not reached yet: see `python -m content eval` for the figures and misses", strict=False
)
def test_the_issue_targets() -> None:
    result = figures("semantic")
    top1, top3, decoys = TARGETS
    assert result.share("top1") >= top1
    assert result.share("top3") >= top3
    assert result.share("decoys_found") <= decoys


def test_the_lookup_ranks_with_the_dev_phrases_and_never_the_test_ones() -> None:
    asked = examples(ROUTING.in_split("dev").phrases)
    texts = [text for phrases in asked.values() for text in phrases]
    assert len(texts) == len(ROUTING.in_split("dev").phrases)
    assert all(split_of(text) == "dev" for text in texts)
    data = content.load()
    told = lookup.build_index(data, None, {"cost": ("who pays for the zorblax cluster",)})
    untold = lookup.build_index(data, None, {})
    assert told.topics[told.rank("zorblax").order[0]].key == "cost"
    assert untold.rank("zorblax").features[0] == 0.0  # no topic scores a word none of them says


def without(data: Content, key: str) -> Content:
    """The bank as it was before ``key`` landed."""
    return Content(
        tuple(topic for topic in data.topics if topic.key != key),
        tuple(question for question in data.questions if question.topic != key),
    )


def test_phrases_for_a_coming_topic_start_counting_once_it_is_in_the_bank() -> None:
    data = content.load()
    before = without(data, "lineage")
    waiting = counted(ROUTING, before, lookup.build_index(before, None).uses_a_word_of)
    after = counted(ROUTING, data, lookup.build_index(data, None).uses_a_word_of)
    waiting_for_lineage = [p for p in waiting.new_topics if "lineage" in p.topics]
    assert waiting_for_lineage
    assert len(after.new_topics) == len(waiting.new_topics) - len(waiting_for_lineage)
    assert {p.text for p in waiting_for_lineage} <= {p.text for p in after.phrases}
    assert content.find("openlineage", before).topic is None
    assert content.find("openlineage", data).topic == data.topic("lineage")


def test_a_phrase_whose_topics_are_partly_coming_counts_with_the_others() -> None:
    phrase = next(p for p in ROUTING.phrases if p.text == "eu ai act")
    assert "ai_regulation" in phrase.topics and "governance" in phrase.topics
    before = without(content.load(), "ai_regulation")
    measured = counted(replace(ROUTING, phrases=(phrase,)), before, lambda _: True).phrases
    assert [p.topics for p in measured] == [("governance",)]


@pytest.mark.parametrize(
    ("typed", "not_key"),
    [
        ("inference", "focus_area"),  # not a typo of "difference"
        ("data scientists", "data"),
        ("feature flags", "input"),
        ("training serving skew", "deployment"),
        ("a/b testing", "testing"),
    ],
)
def test_a_longer_term_wins_over_a_word_inside_it(typed: str, not_key: str) -> None:
    match = content.find(typed)
    assert match.topic is not None and match.topic.key != not_key


@pytest.mark.parametrize(
    "typed", ["act", "fact", "scd", "acid", "ciphers", "frag", "drag", "magpie", "llama"]
)
def test_a_term_never_matches_inside_another_word(typed: str) -> None:
    """'ct', 'ci', 'cd', 'rag', 'psi', 'pii'... are whole words or nothing."""
    assert content.find(typed).how not in ("term", "spelling")
    assert content.find_all(f"we discussed {typed} today") == ()


@pytest.mark.parametrize(
    ("text", "keys"),
    [
        (
            "We shipped the fraud model behind a canary, then data drift from the feature store broke it.",
            {"deployment", "drift", "feature_store"},
        ),
        ("Airflow retried the task all night. Evidently flagged drift on the inputs.", {"orchestration"}),
        ("How is MLOps different from DevOps when it comes to monitoring?", {"monitoring", "focus_area"}),
    ],
)
def test_find_all_picks_up_to_three_topics_a_message_is_about(text: str, keys: set[str]) -> None:
    found = [topic.key for topic in content.find_all(text)]
    assert 1 <= len(found) <= 3
    assert set(found) & keys


@pytest.mark.parametrize(
    "text", ["Nothing here but lunch plans.", "", "Happy friday everyone! See you monday."]
)
def test_find_all_finds_nothing_in_small_talk(text: str) -> None:
    assert content.find_all(text) == ()


def test_find_all_reads_a_long_message() -> None:
    text = (
        "Quick update from the offsite. " * 60
        + "We moved the training pipelines to kubeflow. "
        + "Lunch was great. " * 40
        + "GDPR applies to our training data too."
    )
    assert len(text) < lookup.MAX_TEXT
    found = {topic.key for topic in content.find_all(text)}
    assert {"orchestration", "privacy"} <= found


def test_find_all_takes_a_given_content() -> None:
    fixture = content.load(content.DATA_DIR)
    found = content.find_all("We log every run in mlflow. The feast feature store serves them.", fixture)
    assert {topic.key for topic in found} >= {"experiment_tracking", "feature_store"}


def test_find_all_keeps_every_topic_a_message_names_when_asked_for_more() -> None:
    text = "Monitoring, drift, retraining, the feature store and the model registry all need attention."
    three = [topic.key for topic in content.find_all(text)]
    more = [topic.key for topic in content.find_all(text, limit=lookup.MESSAGE_TOPICS_MAX)]
    assert len(three) == 3 and more[:3] == three  # the surest first either way
    assert {"monitoring", "drift", "retraining", "feature_store", "model_registry"} <= set(more)
    assert len(more) <= lookup.MESSAGE_TOPICS_MAX
