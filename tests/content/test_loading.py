"""The real data files load into the immutable model, and keep the seed program's content."""

from __future__ import annotations

import dataclasses
import shutil
from pathlib import Path

import pytest

import content
from content import Choice, Question, Reference, Topic

FIXTURES = Path(__file__).parent / "fixtures"

SEED_KEYS = (
    "automation",
    "monitoring",
    "collaboration",
    "focus_area",
    "teams",
    "key_practices",
    "deployment",
    "feedback_loop",
    "tools",
    "performance_metrics",
    "infrastructure",
    "primary_asset",
    "failure_mode",
    "testing",
    "versioning",
    "pipeline",
    "retraining",
    "build_artifact",
    "input",
    "update_trigger",
)
SEED_MLOPS = {
    "Automation": "Model training and deployment automation",
    "Monitoring": "Model performance and data drift monitoring",
    "Collaboration": "Data scientists and engineers collaboration",
}
SEED_DEVOPS = {
    "Automation": "CI/CD pipelines for software delivery",
    "Monitoring": "Application and infrastructure monitoring",
    "Collaboration": "Developers and operations collaboration",
}
PRACTICE = "000_2ae58b8155bd36a3.txt practice"
CHALLENGE = "001_cdac1f8d367967d7.txt challenge"


def test_the_real_data_loads_with_enough_content() -> None:
    assert len(content.topics()) >= 18
    assert len(content.questions()) >= 40
    keys = {topic.key for topic in content.topics()}
    assert set(SEED_KEYS) <= keys


def test_the_seed_comparison_keeps_its_exact_wording() -> None:
    """The three rows of the seed exercise: its names, and both sides word for word."""
    for key, name in (
        ("automation", "Automation"),
        ("monitoring", "Monitoring"),
        ("collaboration", "Collaboration"),
    ):
        topic = content.topic(key)
        assert topic.name == name
        assert topic.mlops == SEED_MLOPS[name]
        assert topic.devops == SEED_DEVOPS[name]


@pytest.mark.parametrize(
    ("source", "answers"), [(PRACTICE, ["B", "A", "D", "C", "A"]), (CHALLENGE, ["C", "D", "A", "B", "A"])]
)
def test_the_seed_questions_keep_their_answer_keys(source: str, answers: list[str]) -> None:
    by_source = {question.source: question for question in content.questions()}
    assert [by_source[f"{source} {n}"].answer for n in range(1, 6)] == answers


def test_the_model_is_immutable_tuples() -> None:
    data = content.load()
    assert isinstance(data.topics, tuple)
    assert isinstance(data.questions, tuple)
    for topic in data.topics:
        assert isinstance(topic, Topic)
        assert isinstance(topic.aliases, tuple)
        assert isinstance(topic.see_also, tuple)
        assert isinstance(topic.references, tuple)
        assert 1 <= len(topic.references) <= 2, topic.key
        assert all(isinstance(reference, Reference) for reference in topic.references)
        assert all(reference.url.startswith("https://") for reference in topic.references)
    for question in data.questions:
        assert isinstance(question, Question)
        assert isinstance(question.choices, tuple)
        assert isinstance(question.mistakes, tuple)
        assert all(isinstance(choice, Choice) for choice in question.choices)
        assert question.correct_choice.letter == question.answer
        assert question.correct_choice.why_wrong is None
    with pytest.raises(dataclasses.FrozenInstanceError):
        data.topics[0].name = "changed"  # type: ignore[misc]


def test_the_default_data_is_read_once() -> None:
    assert content.load() is content.load()
    assert content.topics() is content.load().topics
    assert content.questions() is content.load().questions


def test_lookups_by_key_and_id() -> None:
    first = content.questions()[0]
    assert content.question(first.id) is first
    assert content.topic("monitoring").name == "Monitoring"
    with pytest.raises(KeyError):
        content.topic("nope")
    with pytest.raises(KeyError):
        content.question("nope")


def test_a_fixture_directory_loads_with_every_field() -> None:
    data = content.load(FIXTURES / "valid")
    automation, monitoring, focus = data.topics
    assert automation == Topic(
        key="automation",
        name="Automation",
        aliases=("automate", "ci/cd"),
        mlops="Model training and deployment automation",
        devops="CI/CD pipelines for software delivery",
        why="A model is built from code and data, so both must be automated.",
        example="A push retrains and redeploys the model.",
        see_also=("monitoring",),
        references=(
            Reference(
                title="MLOps: Continuous delivery and automation pipelines in machine learning",
                url="https://cloud.google.com/architecture/mlops-continuous-delivery-and-automation-pipelines-in-machine-learning",
            ),
        ),
        file="topics.toml",
    )
    assert monitoring.example is None
    assert focus.see_also == ()
    question = data.question("main-difference")
    assert question.choices[0] == Choice("A", "MLOps does not use CI/CD", "It does.")
    assert question.mistakes == ("Thinking MLOps replaces DevOps.",)
    assert question.difficulty == "easy"
    assert data.question("drift").mistakes == ()
    assert data.question("drift").choice("D") == data.question("drift").correct_choice
    assert data.question("drift").choice("E") is None


def test_a_given_directory_is_read_again_each_time(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "valid", tmp_path, dirs_exist_ok=True)
    assert content.load(tmp_path).topic("monitoring").name == "Monitoring"
    path = tmp_path / "topics.toml"
    path.write_text(path.read_text().replace('name = "Monitoring"', 'name = "Observing"'))
    assert content.load(tmp_path).topic("monitoring").name == "Observing"
