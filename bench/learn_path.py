"""The learning path, simulated: how many working days until a learner who knows nothing learns their first
topic, half the topics, and graduates. It runs the functions the daily sender and the answer buttons run:
the plan of each day (`plan_day`), each answer's card (`record`: FSRS and the learned stamp) and the
learned rule (`learned_topics`).

Each simulated learner gets every working day's DM at `LEARN_TIME` and answers each question a minute
apart: right with FSRS's recall probability for the card at that moment, or by a lucky guess among the
choices otherwise (a new question is a pure guess: 25 % with four choices). Seeds make every run the same.
`python -m bench.learn_path` prints the figures; `python -m bench` prints them with the others.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
import sys
from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Any

from bot.learn.curriculum import Curriculum, curriculum
from bot.learn.plan import Pace, first_due, plan_day
from bot.learn.progress import learned_topics
from bot.learn.records import Card, Learner, Status
from bot.learn.settings import LearnSettings
from bot.learn.srs import DEFAULT_RETENTION, Answer, recall_probability, record

START = dt.datetime(2027, 1, 4, 9, 0, tzinfo=dt.UTC)  # a Monday
LEARNERS = 200
MAX_WORKING_DAYS = 160
SECONDS_PER_QUESTION = 30
"""About what one question takes: read it, pick, read the feedback."""
TARGETS = {"first": 10, "half": 40, "graduated": 60}
"""Working days by which the median learner reaches each milestone."""


@dataclass(frozen=True, slots=True)
class Run:
    """One learner's working days to each milestone (None: not reached within `MAX_WORKING_DAYS`)."""

    first: int | None
    half: int | None
    graduated: int | None
    most_questions: int
    questions: int


def default_pace() -> Pace:
    settings = LearnSettings()
    return Pace(settings.time, settings.days, settings.max_per_day, settings.new_per_day)


def bank(topics: int | None = None) -> Curriculum:
    """Today's question bank; with `topics`, grown to that many topics by repeating topics under new keys
    (the bank may grow), or cut to its first ones."""
    import content

    questions = list(content.questions())
    keys = list(dict.fromkeys(q.topic for q in questions))
    wanted = topics or len(keys)
    extra = []
    for copy in range(wanted - len(keys)):
        source = keys[copy % len(keys)]
        extra += [
            replace(q, id=f"{q.id}-{copy}", topic=f"{source}_{copy}") for q in questions if q.topic == source
        ]
    ordered = curriculum(questions + extra)
    chosen = set(list(dict.fromkeys(q.topic for q in ordered))[:wanted])
    return Curriculum.of(q for q in ordered if q.topic in chosen)


def simulate(
    seed: int, path: Curriculum, pace: Pace, retention: float = DEFAULT_RETENTION, *, choices: int = 4
) -> Run:
    """One learner, from enrolment to graduation."""
    rng = random.Random(seed)
    per_topic = path.per_topic()
    learner = _learner(first_due(START, "UTC", pace))
    cards: dict[str, Card] = {}
    first = half = None
    most = total = working_day = 0
    now = learner.next_due_at
    assert now is not None
    while working_day < MAX_WORKING_DAYS:
        plan = plan_day(learner, cards, path, pace, now)
        if plan.kind is not None:
            working_day += 1
            most, total = max(most, len(plan.question_ids)), total + len(plan.question_ids)
            for index, question_id in enumerate(plan.question_ids):
                at = now + dt.timedelta(minutes=index + 1)
                card = cards.get(question_id)
                known = recall_probability(card, at, retention) if card is not None else 0.0
                correct = rng.random() < known + (1 - known) / choices
                topic = path.topic_of[question_id]
                topic_cards = [cards[qid] for qid in path.questions[topic] if qid in cards]
                answer = Answer(question_id, topic, correct, False, at)
                cards[question_id] = record(card, topic_cards, per_topic[topic], answer, retention).card
            learner = replace(learner, days=learner.days + 1, last_due_at=plan.due_at)
            learned = len(learned_topics(cards.values(), per_topic))
            first = first or (working_day if learned >= 1 else None)
            half = half or (working_day if 2 * learned >= len(per_topic) else None)
            if learned == len(per_topic):
                return Run(first, half, working_day, most, total)
        assert plan.next_due_at is not None
        learner = replace(learner, next_due_at=plan.next_due_at)
        now = plan.next_due_at
    return Run(first, half, None, most, total)


def _learner(due: dt.datetime) -> Learner:
    return Learner(
        user_id="USIM",
        status=Status.ACTIVE,
        reason=None,
        timezone="UTC",
        tz_checked_at=START,
        dm_channel=None,
        enrolled_by="USIM",
        enrolled_at=START,
        next_due_at=due,
        last_due_at=None,
        days=0,
        unanswered_days=0,
        opt_out_offered=False,
        graduated_at=None,
        updated_at=START,
    )


def percentiles(values: Sequence[int | None]) -> dict[str, float | None]:
    """10th, 50th and 90th percentiles (a learner who never got there counts as the slowest)."""
    ranked = sorted(value if value is not None else sys.maxsize for value in values)
    cuts = statistics.quantiles(ranked, n=10, method="inclusive")

    def shown(value: float) -> float | None:
        return None if value >= sys.maxsize else round(value, 1)

    return {"p10": shown(cuts[0]), "p50": shown(statistics.median(ranked)), "p90": shown(cuts[-1])}


def measure(learners: int = LEARNERS, topics: int | None = None, pace: Pace | None = None) -> dict[str, Any]:
    path = bank(topics)
    pace = pace or default_pace()
    runs = [simulate(seed, path, pace, LearnSettings().retention) for seed in range(learners)]
    return {
        "learners": learners,
        "topics": len(path.topics),
        "questions": sum(len(ids) for ids in path.questions.values()),
        "max_per_day": pace.max_per_day,
        "new_per_day": pace.new_per_day,
        "first": percentiles([run.first for run in runs]),
        "half": percentiles([run.half for run in runs]),
        "graduated": percentiles([run.graduated for run in runs]),
        "minutes_a_day": round(max(run.most_questions for run in runs) * SECONDS_PER_QUESTION / 60, 1),
        "questions_a_day": round(
            statistics.mean(run.questions / (run.graduated or MAX_WORKING_DAYS) for run in runs), 1
        ),
    }


GROWN_BANK = 57
"""Topics the bank may grow to: the milestones must hold there too."""


def measure_banks() -> dict[str, Any]:
    """`python -m bench`'s part: today's bank and the bank grown to `GROWN_BANK` topics."""
    return {"banks": [measure(), measure(topics=GROWN_BANK)], "targets": TARGETS}


def render(results: dict[str, Any]) -> str:
    """The figures for the table on stdout."""
    lines = ["Learning path, simulated (working days for the 10th / 50th / 90th percentile learner):"]
    for bank_figures in results["banks"]:
        lines.append(f"  {_describe(bank_figures)}")
        for milestone, target in results["targets"].items():
            spread = bank_figures[milestone]
            met = spread["p50"] is not None and spread["p50"] <= target
            lines.append(
                f"    {MILESTONES[milestone]:<22} {_days(spread)}  (median <= {target}: "
                f"{'met' if met else 'MISSED'})"
            )
    return "\n".join(lines)


def readme_rows(results: dict[str, Any]) -> list[str]:
    """One README table row per bank."""
    targets = results["targets"]
    rows = []
    for bank_figures in results["banks"]:
        figures = "; ".join(f"{MILESTONES[m]} {_days(bank_figures[m])}" for m in targets)
        wanted = ", ".join(f"{MILESTONES[m]} <= {day}" for m, day in targets.items())
        met = all((bank_figures[m]["p50"] or sys.maxsize) <= day for m, day in targets.items())
        rows.append(
            f"| Learning path simulated: {_describe(bank_figures)} | {figures} (working days, p10 / p50 / "
            f"p90) | median: {wanted} | {'met' if met else 'missed'} |"
        )
    return rows


MILESTONES = {"first": "first topic learned", "half": "half the topics", "graduated": "graduated"}


def _describe(figures: dict[str, Any]) -> str:
    return (
        f"{figures['learners']} learners who know nothing, {figures['topics']} topics "
        f"({figures['questions']} questions), {figures['max_per_day']} questions a day with "
        f"{figures['new_per_day']} new at most (about {figures['minutes_a_day']:g} min)"
    )


def _days(spread: dict[str, float | None]) -> str:
    return " / ".join("never" if spread[p] is None else f"{spread[p]:g}" for p in ("p10", "p50", "p90"))


if __name__ == "__main__":
    print(render(measure_banks()))
