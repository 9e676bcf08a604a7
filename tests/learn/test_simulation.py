"""The learning path simulated with the bot's own plan, FSRS reviews and learned rule (`bench.learn_path`):
learners who know nothing reach the path's milestones in time with the default settings, at today's bank
of topics and at a bank grown to 57. Seeded: every run gives the same figures."""

from __future__ import annotations

import pytest

from bench.learn_path import TARGETS, measure

LEARNERS = 60


@pytest.mark.parametrize("topics", [None, 57])
def test_the_median_learner_meets_the_milestones_in_about_three_minutes_a_day(topics: int | None) -> None:
    figures = measure(LEARNERS, topics=topics)
    for milestone, working_days in TARGETS.items():
        spread = figures[milestone]
        assert spread["p50"] is not None and spread["p50"] <= working_days, (milestone, figures)
        assert spread["p10"] is not None and spread["p90"] is not None, (milestone, figures)
        assert spread["p10"] <= spread["p50"] <= spread["p90"]
    assert figures["minutes_a_day"] <= 3.0
    if topics:
        assert figures["topics"] == topics


def test_the_same_seeds_give_the_same_figures() -> None:
    assert measure(5) == measure(5)
