"""The bot's own messages as preview scenes: `python -m docs.scenes > scenes.json`.

Every message comes from the real builders and the real content, so the pictures in docs/ show exactly
what Slack receives. Render the JSON with a Block Kit preview renderer (900 px and 400 px wide).
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import content
from bot.app import create_app
from bot.compare.modal import explain_modal, topic_modal
from bot.compare.replies import all_message, compare_reply, comparison_message, shared_note
from bot.core.message import Message
from bot.home.blocks import render_home, render_topic_lookup
from bot.quiz.blocks.home import (
    QuestionLink,
    practice_sent,
    render_progress,
    render_question_links,
    render_schedules,
    undo_stop_button,
)
from bot.quiz.blocks.personal import (
    QuizTiming,
    TopicScore,
    render_leaderboard,
    render_not_allowed,
    render_schedule_intro,
    render_schedule_stopped,
    render_stats,
)
from bot.quiz.blocks.post import (
    Score,
    render_feedback,
    render_hint,
    render_practice,
    render_practice_feedback,
    render_quiz_post,
    render_revealed_post,
)
from bot.quiz.blocks.reveal import Winner, render_reveal
from bot.quiz.blocks.schedule_form import render_schedule_form
from bot.quiz.records import LeaderRow, Results, UserStats
from bot.quiz.reveal_after import RevealAfter
from bot.quiz.schedules import ChannelQuiz, ChannelSchedule
from bot.settings import load_settings
from bot.welcome.blocks import render_welcome

REVEAL_AT = datetime(2026, 11, 23, 13, 30, tzinfo=UTC)
NEXT_QUESTION = datetime(2026, 11, 24, 9, 30, tzinfo=UTC)
WINNERS = (Winner("Nina", 2), Winner("Priya", 5), Winner("Tom"))


PERMALINK = "https://acme.slack.com/archives/CQUIZ/p1795426200000100"


def bot(message: Message, **extra: Any) -> dict[str, Any]:
    return {"bot": True, "blocks": message.blocks, "text": message.text, **extra}


def view(shown: dict[str, Any], **extra: Any) -> dict[str, Any]:
    """A modal or the Home tab, drawn as a message of its blocks (with the modal's title as its text)."""
    title = (shown.get("title") or {}).get("text") or "Home"
    return {"bot": True, "blocks": shown["blocks"], "text": title, **extra}


def home_scene(*, manager: bool, notice: bool = False, stopped: bool = False) -> dict[str, Any]:
    """Priya's Home tab (and a manager's, with the quiz she runs); with *notice*, right after she pressed
    *Practice this*; with *stopped*, right after a manager pressed *Stop* (and can undo it)."""
    question = content.question("seed-challenge-3")
    weakest = TopicScore(question.topic, content.topic(question.topic).name, 1, 3)
    zone = ZoneInfo("Europe/Berlin")
    schedule = ChannelSchedule(
        "CQUIZ", time(9, 30), zone, frozenset(range(5)), "schedule", "U1", RevealAfter(timedelta(hours=4))
    )
    timing = QuizTiming(time="09:30", timezone="Europe/Berlin", days="on weekdays", reveal="4 hours later")
    posted = datetime(2026, 11, 23, 9, 30, tzinfo=zone)
    reveal = posted + timedelta(hours=4)
    next_due = posted + timedelta(days=1)
    quiz = ChannelQuiz(schedule, timing, next_due, "1.0", posted, reveal, answered=False, name="new-hires")
    link = QuestionLink("CQUIZ", PERMALINK, posted, quiz.next_due, reveal, answered=False)
    sections = [
        render_progress(UserStats(9, 5, 56, 2, 3), weakest),
        render_question_links([link]),
        render_topic_lookup(content.topics()),
        render_schedules([quiz] if manager and not stopped else []),
    ]
    if stopped:
        stop_notice = render_schedule_stopped("CQUIZ", undo=True).text
        return view(render_home(sections, notice=stop_notice, action=undo_stop_button("CQUIZ", "new-hires")))
    return view(render_home(sections, notice=practice_sent(weakest.name, PERMALINK) if notice else ""))


def starters() -> tuple[content.Topic, ...]:
    return content.featured_topics()


def commands() -> list[tuple[str, str]]:
    """Each slash command's example and description, from the tables the bot registers."""
    settings = load_settings({"SLACK_BOT_TOKEN": "xoxb-docs", "SLACK_SIGNING_SECRET": "docs"})
    return [(table.example, table.description) for table in create_app(settings).commands.values()]


def scenes() -> list[dict[str, Any]]:
    question = content.question("seed-challenge-3")
    wrong = next(c.letter for c in question.choices if c.letter != question.answer)
    results = Results(answered=9, correct=4, by_choice={question.answer: 4, wrong: 3, "A": 2})
    post = render_quiz_post(question, 17, 9, reveal_at=REVEAL_AT)
    board = [
        LeaderRow("UQ1", 12, 14),
        LeaderRow("UQ2", 12, 14),
        LeaderRow("UQ3", 9, 14),
        LeaderRow("U1", 5, 9),
    ]
    return [
        {
            "name": "compare",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya ran /compare monitoring"},
                bot(comparison_message("monitoring"), ephemeral=True),
            ],
        },
        {
            "name": "compare-example",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya pressed Example on the Monitoring card"},
                bot(comparison_message("monitoring", example=True), ephemeral=True),
            ],
        },
        {
            "name": "compare-phrase",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya ran /compare what's train serve skew"},
                bot(compare_reply("what's train serve skew"), ephemeral=True),
            ],
        },
        {
            "name": "compare-all",
            "channel": "platform-eng",
            "messages": [{"note": "priya ran /compare all"}, bot(all_message(), ephemeral=True)],
        },
        {
            "name": "compare-unknown",
            "channel": "platform-eng",
            "messages": [{"note": "priya ran /compare banana"}, bot(compare_reply("banana"), ephemeral=True)],
        },
        {
            "name": "compare-shared",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya pressed Share in channel"},
                bot(shared_note("monitoring", "CGEN"), ephemeral=True),
            ],
        },
        {
            "name": "compare-dm",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [
                {"user": "U1", "text": "monitoring"},
                bot(comparison_message("monitoring", in_channel=True)),
            ],
        },
        {
            "name": "welcome-dm",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [
                {"user": "U1", "text": "hi! what can you do?"},
                bot(render_welcome(commands(), starters())),
            ],
        },
        {
            "name": "welcome-first-dm",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [
                {"note": "nina opened the bot's Messages tab for the first time"},
                bot(render_welcome(commands(), starters(), first_time=True)),
            ],
        },
        {
            "name": "welcome-mention",
            "view": "thread",
            "channel": "platform-eng",
            "thread": {
                "parent": {"user": "U1", "text": "<@UBOT> hello"},
                "replies": [bot(render_welcome(commands(), starters(), in_dm=False))],
            },
        },
        {"name": "home", "view": "dm", "channel": "mlops-vs-devops", "messages": [home_scene(manager=False)]},
        {
            "name": "home-manager",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [home_scene(manager=True)],
        },
        {
            "name": "home-stopped",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [home_scene(manager=True, stopped=True)],
        },
        {
            "name": "home-practice-sent",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [home_scene(manager=False, notice=True)],
        },
        {
            "name": "modal-topic",
            "view": "dm",
            "channel": "mlops-vs-devops",
            "messages": [
                {"note": "priya picked Data drift in the Home tab's topic menu"},
                view(topic_modal("drift") or {}),
            ],
        },
        {
            "name": "modal-explain-two",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya ran Explain MLOps vs DevOps on: is this data drift, or should we retrain?"},
                view(
                    explain_modal(
                        {"text": "Is this data drift, or should we just retrain the model?", "ts": "1.0"},
                        "CPLAT",
                    )
                ),
            ],
        },
        {
            "name": "modal-explain-one",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya ran Explain MLOps vs DevOps on: our dashboards are all green, ship it?"},
                view(explain_modal({"text": "Our dashboards are all green, ship it?", "ts": "1.0"}, "CPLAT")),
            ],
        },
        {
            "name": "modal-explain-many",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya ran Explain MLOps vs DevOps on a message naming five topics"},
                view(
                    explain_modal(
                        {"text": "Monitoring, drift, retraining, the feature store and the model registry"}
                    )
                ),
            ],
        },
        {
            "name": "modal-explain-none",
            "channel": "platform-eng",
            "messages": [
                {"note": "priya ran Explain MLOps vs DevOps on: lunch at noon?"},
                view(explain_modal({"text": "Lunch at noon?"})),
            ],
        },
        {"name": "quiz-post", "channel": "new-hires", "messages": [bot(post)]},
        {
            "name": "quiz-post-bonus",
            "channel": "new-hires",
            "messages": [bot(render_quiz_post(question, 18, 2, reveal_at=REVEAL_AT, bonus=True))],
        },
        {
            "name": "quiz-hint",
            "channel": "new-hires",
            "messages": [bot(post), bot(render_hint(question), ephemeral=True)],
        },
        {
            "name": "quiz-feedback-wrong",
            "channel": "new-hires",
            "messages": [
                bot(post),
                bot(render_feedback(question, wrong, first=True, counted=True), ephemeral=True),
            ],
        },
        {
            "name": "quiz-feedback-right",
            "channel": "new-hires",
            "messages": [
                bot(post),
                bot(
                    render_feedback(question, question.answer, first=True, counted=True, hint_used=True),
                    ephemeral=True,
                ),
            ],
        },
        {
            "name": "quiz-reveal",
            "channel": "new-hires",
            "messages": [
                bot(render_revealed_post(question, results), replies=1),
            ],
        },
        {
            "name": "quiz-reveal-thread",
            "view": "thread",
            "channel": "new-hires",
            "thread": {
                "parent": bot(render_revealed_post(question, results)),
                "replies": [bot(render_reveal(question, results, WINNERS, NEXT_QUESTION))],
            },
        },
        {
            "name": "practice",
            "channel": "new-hires",
            "messages": [
                {"note": "nina ran /quiz"},
                bot(render_practice(question, Score(2, 3)), ephemeral=True),
            ],
        },
        {
            "name": "practice-feedback",
            "channel": "new-hires",
            "messages": [bot(render_practice_feedback(question, wrong, Score(2, 4)), ephemeral=True)],
        },
        {
            "name": "stats",
            "channel": "new-hires",
            "messages": [
                {"note": "nina ran /quiz stats"},
                bot(
                    render_stats(UserStats(9, 5, 56, 2, 3), TopicScore("monitoring", "Monitoring", 1, 3)),
                    ephemeral=True,
                ),
            ],
        },
        {
            "name": "stats-bonus-only",
            "channel": "new-hires",
            "messages": [
                {"note": "tom ran /quiz stats"},
                bot(render_stats(UserStats(0, 0, 0, 0, 0, bonus_answered=2)), ephemeral=True),
            ],
        },
        {
            "name": "leaderboard",
            "channel": "new-hires",
            "messages": [
                {"note": "priya ran /quiz leaderboard"},
                bot(render_leaderboard(board, "CQUIZ", me="U1"), ephemeral=True),
            ],
        },
        {
            "name": "schedule-form",
            "channel": "team",
            "messages": [
                {"note": "the schedule form (a modal)"},
                {
                    "bot": True,
                    "text": "Daily quiz",
                    "blocks": render_schedule_form(
                        "CGEN",
                        time(9, 30),
                        "Europe/Berlin",
                        frozenset(range(5)),
                        reveal=RevealAfter(timedelta(hours=4)),
                    )["blocks"],
                },
            ],
        },
        {
            "name": "schedule-intro",
            "channel": "team",
            "messages": [
                bot(
                    render_schedule_intro(
                        "U1",
                        QuizTiming("09:30", "Europe/Berlin", "on weekdays", "4 hours later"),
                        next_due=datetime(2026, 11, 24, 9, 30, tzinfo=ZoneInfo("Europe/Berlin")),
                    )
                )
            ],
        },
        {
            "name": "not-allowed",
            "channel": "team",
            "messages": [
                {"note": "nina ran /quiz schedule"},
                bot(render_not_allowed("CGEN", "change <#CGEN>'s quiz", "UQ1"), ephemeral=True),
            ],
        },
    ]


if __name__ == "__main__":
    chosen = set(sys.argv[1:])
    json.dump(
        {
            "scenes": [
                {"view": "channel", "mobile": True, **scene}
                for scene in scenes()
                if not chosen or scene["name"] in chosen
            ]
        },
        sys.stdout,
        indent=1,
    )
