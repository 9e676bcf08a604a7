"""Pure builders of the App Home: its sections, Slack's limits and escaping."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.home import ids as home_ids
from bot.home.blocks import render_home, render_topic_lookup, render_unavailable
from bot.quiz import ids as quiz_ids
from bot.quiz.blocks.home import (
    LINKS_MAX,
    SCHEDULES_MAX,
    QuestionLink,
    practice_sent,
    render_progress,
    render_question_links,
    render_schedules,
)
from bot.quiz.blocks.personal import QuizTiming, TopicScore
from bot.quiz.records import UserStats
from bot.quiz.reveal_after import RevealAfter
from bot.quiz.schedules import ChannelQuiz, ChannelSchedule
from slackfake.limits import find_unescaped_mentions, iter_texts, view_problems
from tests.fixtures.samples import HUGE, MONITORING, NAUGHTY, RAW_AMPERSAND, synthetic

NOW = datetime(2026, 11, 23, 9, 30, tzinfo=UTC)
PERMALINK = "https://acme.slack.com/archives/C0QUIZ/p1700000000000100"


def home_of(*sections: list[dict[str, Any]], notice: str = "") -> dict[str, Any]:
    view = render_home(list(sections), notice=notice)
    assert view_problems(view, kind="home") == []
    return view


def modal_problems(view: dict[str, Any]) -> list[str]:
    return view_problems(view, kind="modal")


def assert_escaped(value: Any, allowed: tuple[str, ...] = ()) -> None:
    """No mention or special parsing Slack would act on but *allowed*, and every & starts an entity."""
    mentions = [m for m in find_unescaped_mentions({"blocks": value}) if not m.startswith(allowed or ("\0",))]
    assert mentions == []
    for path, text in iter_texts({"blocks": value}):
        assert not RAW_AMPERSAND.search(text), path


FOUR_HOURS = RevealAfter(timedelta(hours=4))


def channel_quiz(channel: str = "C0QUIZ", *, zone: str = "Europe/Berlin", latest: bool = True) -> ChannelQuiz:
    schedule = ChannelSchedule(
        channel, time(9, 30), ZoneInfo(zone), frozenset(range(5)), "schedule", "UADMIN", FOUR_HOURS
    )
    timing = QuizTiming(time="09:30", timezone=zone, days="on weekdays", reveal="4 hours later")
    return ChannelQuiz(
        schedule, timing, NOW, "1700000000.000100" if latest else None, NOW if latest else None
    )


# --- the Home view ------------------------------------------------------------------------------------


def test_home_puts_sections_after_a_title_with_dividers_and_skips_empty_ones() -> None:
    view = home_of(render_unavailable(), [], render_topic_lookup([MONITORING]), notice="Done ✓")

    kinds = [block["type"] for block in view["blocks"]]
    assert kinds == ["header", "context", "section", "divider", "context", "divider", "section"]
    assert view["type"] == "home" and view["blocks"][2]["text"]["text"] == "Done ✓"


def test_home_never_passes_100_blocks_and_says_what_was_left_out() -> None:
    section = [{"type": "divider"}] * 30
    view = home_of(section, section, section, section, [{"type": "divider"}])

    assert len(view["blocks"]) <= 100
    assert "didn't fit" in view["blocks"][-1]["elements"][0]["text"]


# --- progress -----------------------------------------------------------------------------------------


def test_progress_for_someone_new_offers_a_practice_question() -> None:
    blocks = render_progress(UserStats(0, 0, 0, 0, 0), None)

    (section,) = blocks
    assert "haven't answered" in section["text"]["text"]
    assert (section["accessory"]["action_id"], section["accessory"]["value"]) == (
        quiz_ids.HOME_PRACTICE_TOPIC,
        "any",
    )
    home_of(blocks)


def test_progress_with_only_bonus_answers_says_why_nothing_counts_yet() -> None:
    (section,) = render_progress(UserStats(0, 0, 0, 0, 0, bonus_answered=1), None)
    assert "Your answer so far went to bonus questions, which aren't counted" in section["text"]["text"]
    assert "haven't answered" not in section["text"]["text"]


def test_progress_shows_totals_streaks_and_the_weakest_topic_to_practise() -> None:
    blocks = render_progress(UserStats(9, 5, 56, 2, 3), TopicScore("drift", "Drift & <!here>", 1, 3))

    totals, weakest = blocks
    assert [f["text"] for f in totals["fields"]] == [
        "*Answered*\n9",
        "*Right*\n5 (56%)",
        "*Current streak*\n2 in a row",
        "*Best streak*\n3 in a row",
    ]
    assert (
        weakest["accessory"]["value"] == "drift" and weakest["accessory"]["text"]["text"] == "Practice this"
    )
    assert "Drift &amp; &lt;!here&gt; (1 of 3 right)" in weakest["text"]["text"]
    assert_escaped(blocks)
    home_of(blocks)


def test_progress_without_a_weak_topic_still_offers_practice() -> None:
    blocks = render_progress(UserStats(4, 4, 100, 4, 4), None)

    assert blocks[-1]["accessory"]["value"] == "any"
    assert "every answer was right" in blocks[-1]["text"]["text"]


# --- today's question ---------------------------------------------------------------------------------


def test_no_quiz_anywhere_says_how_one_starts() -> None:
    (section,) = render_question_links([])

    assert "No channel has a daily quiz yet" in section["text"]["text"]
    assert "`/quiz schedule 9:30am`" in section["text"]["text"]


def test_links_to_each_channels_latest_question_and_counts_the_rest() -> None:
    links = [QuestionLink(f"C{n:04d}", PERMALINK, NOW) for n in range(LINKS_MAX + 3)]
    links[1] = QuestionLink("C0001", None, NOW)  # Slack gave no permalink
    links[2] = QuestionLink("C0002", "javascript:alert(1)|x", NOW)
    links[3] = QuestionLink("C0003", None, None, NOW)  # nothing posted yet

    (section,) = render_question_links(links)
    text = section["text"]["text"]
    assert text.startswith("*Today's quiz*\n")
    assert f"• <#C0000>: <{PERMALINK}|the question that counts> (posted <!date^" in text
    assert "• <#C0001>: the question that counts was posted <!date^" in text
    assert "answer revealed in its thread" in text
    assert "javascript" not in text
    assert "• <#C0003>: the first question comes <!date^" in text
    assert text.endswith("…and 3 more channels.")
    assert_escaped([section], allowed=("<#C", "<!date^"))
    home_of([section])


def test_an_open_question_says_until_when_and_whether_the_person_answered() -> None:
    links = [
        QuestionLink("C0000", PERMALINK, NOW, NOW, open_until=NOW, answered=False),
        QuestionLink("C0001", PERMALINK, NOW, NOW, open_until=NOW, answered=True),
    ]

    section, actions = render_question_links(links)
    first, second = section["text"]["text"].splitlines()[1:]
    assert "open until <!date^" in first and "you haven't answered yet" in first
    assert "✓ you answered" in second and "revealed" not in second
    (answer,) = actions["elements"]  # the one waiting for an answer is the main step
    assert (answer["url"], answer["style"]) == (PERMALINK, "primary")
    home_of([section, actions])


def test_a_malformed_channel_id_is_shown_escaped() -> None:
    (section,) = render_question_links([QuestionLink("<!channel>", PERMALINK, NOW)])

    assert "&lt;!channel&gt;" in section["text"]["text"]
    assert_escaped([section], allowed=("<!date^",))


# --- the topic menu ------------------------------------------------------------------------------------


def test_topic_lookup_is_a_menu_of_every_topic() -> None:
    (section,) = render_topic_lookup([MONITORING, NAUGHTY, HUGE])

    menu = section["accessory"]
    assert menu["action_id"] == home_ids.HOME_PICK_TOPIC and [o["value"] for o in menu["options"]] == [
        "monitoring",
        "naughty",
        "huge",
    ]
    assert all(len(o["text"]["text"]) <= 75 for o in menu["options"])
    assert "any of 3 topics" in section["text"]["text"]
    assert_escaped([section])
    home_of([section])


def test_topic_lookup_with_many_or_no_topics_stays_valid() -> None:
    home_of(render_topic_lookup(synthetic(150)))
    (empty,) = render_topic_lookup([])
    assert "accessory" not in empty and "/compare all" in empty["text"]["text"]


# --- schedules -----------------------------------------------------------------------------------------


def test_no_managed_quiz_offers_to_start_one() -> None:
    [offer] = render_schedules([])
    assert offer["accessory"]["action_id"] == quiz_ids.QUIZ_SCHEDULE_START
    assert offer["accessory"]["text"]["text"] == "Start a daily quiz in a channel"
    home_of([offer])


def test_each_managed_quiz_has_edit_and_a_confirmed_stop() -> None:
    blocks = render_schedules([channel_quiz("C0QUIZ"), channel_quiz("C0OTHER", zone="Asia/Tokyo")])

    assert blocks[0]["text"]["text"] == "*Daily quizzes you manage*"
    epoch = int(NOW.timestamp())
    assert (
        f"<#C0QUIZ> — on weekdays at *<!date^{epoch}^{{time}}|09:30 Europe/Berlin>* your time"
        in (blocks[1]["text"]["text"])
    )
    assert blocks[-1]["elements"][0]["action_id"] == quiz_ids.QUIZ_SCHEDULE_START
    edit, stop = blocks[2]["elements"]
    assert (edit["action_id"], edit["value"]) == (quiz_ids.QUIZ_SCHEDULE_EDIT, "C0QUIZ")
    assert (stop["action_id"], stop["value"], stop["style"]) == (
        quiz_ids.QUIZ_SCHEDULE_STOP,
        "C0QUIZ",
        "danger",
    )
    assert stop["confirm"]["title"]["text"] == "Stop this daily quiz?"
    home_of(blocks)


def test_many_managed_quizzes_are_capped_and_counted() -> None:
    blocks = render_schedules([channel_quiz(f"C{n:04d}") for n in range(SCHEDULES_MAX + 7)])

    assert len(blocks) == 1 + 2 * SCHEDULES_MAX + 2
    assert blocks[-2]["elements"][0]["text"].startswith("…and 7 more.")
    home_of(blocks)


def test_a_hostile_channel_value_is_escaped_in_text_and_harmless_in_ids() -> None:
    blocks = render_schedules([channel_quiz("<!channel> & x" * 30)])

    assert blocks[1]["text"]["text"].startswith("&lt;!channel&gt; &amp;")
    assert_escaped(blocks, allowed=("<!date^",))
    home_of(blocks)


# --- notices and the Edit help -------------------------------------------------------------------------


def test_practice_notice_links_the_dm_message_only_when_safe() -> None:
    assert practice_sent("Drift & <!here>", PERMALINK) == (
        f"📬 Sent you a practice question on *Drift &amp; &lt;!here&gt;* — <{PERMALINK}|open it in Messages>."
    )
    assert practice_sent(None, "http://x|<!here>").endswith("— it's in the Messages tab.")
