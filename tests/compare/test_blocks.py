from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.compare import ids
from bot.compare.blocks import (
    Found,
    render_all,
    render_comparison,
    render_help,
    render_not_found,
    render_shared,
    topic_menu,
)
from bot.core.message import GENERIC_ERROR, Message, render_error
from bot.core.text import ELLIPSIS, escape, shorten, user_mention
from content.model import Reference, Topic
from slackfake.limits import (
    assert_message_within_limits,
    find_unescaped_mentions,
    iter_texts,
    limit_problems,
)
from tests.fixtures.samples import (
    FAILURE_MODE,
    FEEDBACK_LOOP,
    HUGE,
    MONITORING,
    NASTY,
    NAUGHTY,
    RAW_AMPERSAND,
    assert_sound,
    blocks_of,
    buttons,
    make_topic,
    real_topics,
    synthetic,
    words,
)

# --- text helpers -------------------------------------------------------------------------------------


def test_escape_replaces_slack_control_characters() -> None:
    assert escape("<!channel> & <@U1>") == "&lt;!channel&gt; &amp; &lt;@U1&gt;"
    assert escape("&amp;") == "&amp;amp;"


SCOTLAND = "\U0001f3f4\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f"


@pytest.mark.parametrize(
    ("typed", "shown"),
    [
        ("invoice\u202egnp.exe", "invoicegnp.exe"),  # right-to-left override
        ("\u2067abc\u2069 \u202a\u202b\u202c\u202d", "abc "),  # isolates, embeddings
        ("zero\u200bwidth\u2060joined\ufeff\u00ad\u200e\u200f\u061c", "zerowidthjoined"),
        ("tab\tand\nlines\x00\x1b\x7f\x9b", "tab\tand\nlines"),
        ("hidden\U000e0041\U000e0042 tags", "hidden tags"),
        (
            "\U0001f469\u200d\U0001f4bb and \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645",
            None,
        ),  # ZWJ, ZWNJ stay
        (f"flag {SCOTLAND}", None),  # a subdivision flag's tags stay
        ("\u0600\u0661\u0662", None),  # a visible prepended number sign stays
    ],
)
def test_escape_drops_invisible_format_controls_where_safe(typed: str, shown: str | None) -> None:
    assert escape(typed) == (typed if shown is None else shown)


def test_shorten_keeps_text_that_fits() -> None:
    assert shorten("short", 5) == "short"


def test_shorten_cuts_on_a_word_boundary() -> None:
    assert shorten("model drift detection pipeline", 20) == "model drift…"


def test_shorten_keeps_a_whole_last_word() -> None:
    assert shorten("model drift detection", 12) == "model drift…"


def test_shorten_cuts_a_single_long_word_hard() -> None:
    assert shorten("x" * 50, 10) == "x" * 9 + ELLIPSIS


def test_shorten_never_splits_an_entity() -> None:
    text = escape("ab & cd")  # "ab &amp; cd"
    for limit in range(1, len(text)):
        result = shorten(text, limit)
        assert len(result) <= limit
        assert not RAW_AMPERSAND.search(result), result


@given(text=st.text(alphabet="ab &<>\n", max_size=80), limit=st.integers(1, 100))
def test_shorten_properties(text: str, limit: int) -> None:
    escaped = escape(text)
    result = shorten(escaped, limit)
    assert len(result) <= limit
    if len(escaped) <= limit:
        assert result == escaped
    else:
        assert result.endswith(ELLIPSIS)
        assert escaped.startswith(result.removesuffix(ELLIPSIS))
        assert not RAW_AMPERSAND.search(result)


def test_shorten_rejects_a_limit_below_one() -> None:
    with pytest.raises(ValueError):
        shorten("text", 0)


@pytest.mark.parametrize(
    ("user_id", "expected"),
    [
        ("U0123ABC", "<@U0123ABC>"),
        ("W0123ABC", "<@W0123ABC>"),
        ("<!channel>", "&lt;!channel&gt;"),
        ("u0123abc", "u0123abc"),
        ("U0123ABC\n", "U0123ABC"),
        ("U0123ABC> <!here", "U0123ABC&gt; &lt;!here"),
        ("", ""),
    ],
)
def test_user_mention_only_formats_valid_ids(user_id: str, expected: str) -> None:
    assert user_mention(user_id) == expected


# --- render_comparison --------------------------------------------------------------------------------


def test_comparison_structure() -> None:
    message = render_comparison(MONITORING, related=(FEEDBACK_LOOP, FAILURE_MODE))

    header, summary, columns, why, actions = message.blocks  # the example waits behind a button
    assert header == {"type": "header", "text": {"type": "plain_text", "text": "Monitoring", "emoji": True}}
    assert summary["text"]["text"] == "Up is not enough: a model can answer fast and still be wrong."
    assert [field["text"] for field in columns["fields"]] == [
        "*MLOps*\nModel performance and data drift monitoring",
        "*DevOps*\nApplication and infrastructure monitoring",
    ]
    assert why["text"]["text"] == "*Why they differ:* A model can fail silently while the service stays up."
    assert "Accuracy drops" not in str(message.blocks)
    share, example, *related = actions["elements"]
    assert (share["action_id"], share["value"]) == (ids.SHARE_COMPARISON, "monitoring")
    assert (share["text"]["text"], share["style"]) == ("Share in channel", "primary")
    assert share["accessibility_label"] == "Share the Monitoring card with everyone here"
    assert (example["action_id"], example["value"], example["text"]["text"]) == (
        ids.SHOW_EXAMPLE,
        "monitoring",
        "Example",
    )
    assert example["accessibility_label"] == "Show an example of Monitoring"
    assert [(b["action_id"], b["value"], b["text"]["text"]) for b in related] == [
        ("compare.open:feedback_loop", "feedback_loop", "Feedback loop"),
        ("compare.open:failure_mode", "failure_mode", "Failure mode"),
    ]
    assert all(ids.OPEN_TOPIC_PATTERN.match(b["action_id"]) for b in related)
    assert not ids.OPEN_TOPIC_PATTERN.match(ids.SHARE_COMPARISON)
    assert not ids.OPEN_TOPIC_PATTERN.match(ids.SHOW_EXAMPLE)
    assert message.text == "Monitoring — Up is not enough: a model can answer fast and still be wrong."
    assert message.as_kwargs() == {"text": message.text, "blocks": message.blocks}
    assert_sound(message)


def test_comparison_with_its_example_shows_it_and_drops_the_button() -> None:
    message = render_comparison(MONITORING, related=(FEEDBACK_LOOP,), example=True)

    assert [block["type"] for block in message.blocks] == [
        "header",
        "section",
        "section",
        "section",
        "section",
        "actions",
    ]
    assert message.blocks[4]["text"]["text"].startswith("*Example:* Accuracy drops")
    assert [b["action_id"] for b in buttons(message)] == [ids.SHARE_COMPARISON, "compare.open:feedback_loop"]
    assert_sound(message)


def test_comparison_without_example_related_or_buttons() -> None:
    message = render_comparison(replace(MONITORING, example=None), share_button=False)

    assert [block["type"] for block in message.blocks] == ["header", "section", "section", "section"]
    assert_sound(message)


def test_comparison_without_a_summary_leads_with_both_sides() -> None:
    message = render_comparison(replace(MONITORING, summary=""), share_button=False)

    assert [block["type"] for block in message.blocks] == ["header", "section", "section", "actions"]
    assert message.text.startswith("Monitoring — MLOps: Model performance")
    assert_sound(message)


def test_comparison_shared_in_channel_credits_the_user_and_offers_the_example_and_related_topics() -> None:
    message = render_comparison(MONITORING, related=(FEEDBACK_LOOP,), shared_by="U0123ABC")

    assert [b["action_id"] for b in buttons(message)] == [ids.SHOW_EXAMPLE, "compare.open:feedback_loop"]
    assert message.blocks[-1]["elements"][0]["text"] == "Shared by <@U0123ABC>"
    assert_sound(message, allowed_mentions=("<@U0123ABC>",))


@pytest.mark.parametrize("shared_by", ["<!channel>", "U123> <!here", "not a user", "U" + "1" * 40])
def test_comparison_shared_by_a_malformed_id_mentions_nobody(shared_by: str) -> None:
    message = render_comparison(MONITORING, shared_by=shared_by)

    assert message.blocks[-1]["elements"][0]["text"].startswith("Shared by ")
    assert_sound(message)


def test_comparison_related_buttons_are_unique_and_capped() -> None:
    related = [MONITORING, FEEDBACK_LOOP, FEEDBACK_LOOP, *synthetic(40)]
    message = render_comparison(MONITORING, related=related)

    elements = buttons(message)
    assert len(elements) == 25
    assert elements[2]["value"] == "feedback_loop"
    assert "monitoring" not in [b["value"] for b in elements[2:]]
    assert len({b["action_id"] for b in elements}) == 25
    assert_sound(message)


def test_comparison_escapes_content() -> None:
    message = render_comparison(NAUGHTY, related=(NAUGHTY, replace(FEEDBACK_LOOP, name="A & <!here>")))

    assert message.blocks[0]["text"]["text"] == "CI &amp; CD &lt;!channel&gt;"
    assert "&lt;!channel&gt; &lt;!here&gt;" in message.blocks[2]["fields"][0]["text"]
    assert buttons(message)[2]["text"]["text"] == "A &amp; &lt;!here&gt;"
    assert_sound(message)


def test_comparison_of_huge_topic_is_shortened() -> None:
    related = [replace(c, name=HUGE.name) for c in synthetic(30)]
    for shared_by in (None, "U0123ABC"):
        message = render_comparison(HUGE, related=related, shared_by=shared_by)

        header = message.blocks[0]["text"]["text"]
        assert len(header) <= 150 and header.endswith(ELLIPSIS)
        assert len(message.blocks[1]["text"]["text"]) <= 3000
        assert all(field["text"].endswith(ELLIPSIS) for field in message.blocks[2]["fields"])
        assert_sound(message, allowed_mentions=("<@U0123ABC>",) if shared_by else ())


def test_comparison_with_empty_texts_stays_valid() -> None:
    blank = make_topic("blank", name="  ", mlops="", devops=" ", why="", example="")
    message = render_comparison(blank)

    assert message.blocks[0]["text"]["text"] == "blank"
    assert [block["type"] for block in message.blocks] == ["header", "section", "actions"]
    assert_sound(message)


def test_a_card_found_by_a_term_says_what_it_covers() -> None:
    message = render_comparison(MONITORING, found=Found("<!here> obs", "observability & <b>", ranked=False))

    first, header = message.blocks[:2]
    assert first["elements"][0] == {
        "type": "mrkdwn",
        "text": "_observability &amp; &lt;b&gt;_ is covered under *Monitoring*.",
        "verbatim": True,
    }
    assert header["type"] == "header"
    assert_sound(message)


def test_a_card_ranked_closest_says_so_and_offers_the_runners_up() -> None:
    found = Found("our model & <!here>", "model monitoring", (FEEDBACK_LOOP, MONITORING), ranked=True)
    message = render_comparison(replace(MONITORING, name="Monitoring & alerts"), found=found)

    line = message.blocks[0]["elements"][0]["text"]
    assert line == (  # escaped once: Slack shows what was typed
        "Closest topic to _our model &amp; &lt;!here&gt;_: *Monitoring &amp; alerts*, which covers"
        " _model monitoring_"
    )
    assert [b["value"] for b in message.blocks[1]["elements"]] == ["feedback_loop"]
    assert message.text.startswith(
        "Closest topic to 'our model &amp; &lt;!here&gt;': Monitoring &amp; alerts"
    )
    assert_sound(message)


def test_a_card_found_by_its_own_name_has_no_line_about_it() -> None:
    message = render_comparison(MONITORING, found=Found("monitoring", "Monitoring", ranked=False))

    assert message.blocks[0]["type"] == "header"


# --- render_help --------------------------------------------------------------------------------------


def test_help_lists_usage_and_offers_every_topic_in_a_menu_beside_the_popular_ones() -> None:
    topics = [MONITORING, FEEDBACK_LOOP, FAILURE_MODE, FEEDBACK_LOOP]
    message = render_help(topics, popular=[FAILURE_MODE, NAUGHTY, MONITORING])

    usage = message.blocks[1]["text"]["text"]
    for example in ("`/compare monitoring`", "`/compare all`", "`/compare help`", "`compare drift`"):
        assert example in usage
    assert message.blocks[2]["text"]["text"].startswith("*3 topics* — pick one")
    menu, *popular = message.blocks[3]["elements"]
    assert (menu["type"], menu["action_id"]) == ("static_select", ids.PICK_TOPIC)
    assert [o["value"] for o in menu["options"]] == ["monitoring", "feedback_loop", "failure_mode"]
    assert [(b["action_id"], b["value"]) for b in popular] == [  # popular ones it doesn't have are left out
        ("compare.open:failure_mode", "failure_mode"),
        ("compare.open:monitoring", "monitoring"),
    ]
    assert_sound(message)


def picker(message: Message) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The menu of every topic and the popular topics' buttons beside it."""
    (row,) = [b for b in blocks_of(message, "actions") if b["elements"][0]["type"] == "static_select"]
    menu, *popular = row["elements"]
    return menu, popular


@pytest.mark.parametrize("render", [render_help, render_all])
def test_help_and_all_offer_topics_the_same_way(render: Any) -> None:
    topics = synthetic(60)
    message = render(topics, popular=topics[10:20])

    menu, popular = picker(message)
    assert picker(render_help(topics, popular=topics[10:20])) == (menu, popular)
    assert [b["value"] for b in popular] == [f"topic_{n}" for n in range(10, 16)]  # six at most
    assert len(menu["options"]) == 60
    assert_sound(message)


def test_help_without_topics_is_only_the_usage() -> None:
    message = render_help([])

    assert [b["type"] for b in message.blocks] == ["header", "section"]
    assert_sound(message)


# --- render_all ---------------------------------------------------------------------------------------


def context_texts(message: Message) -> str:
    return "\n".join(e["text"] for b in blocks_of(message, "context") for e in b["elements"])


@pytest.mark.parametrize("count", [1, 20, 25])
def test_all_is_a_menu_and_a_hint(count: int) -> None:
    topics = synthetic(count)
    message = render_all(topics)

    header, prompt, row, hint = message.blocks
    assert header["text"]["text"] == f"MLOps vs DevOps — all {count} topics"
    assert prompt["text"]["text"].startswith(f"*{count} topics*")
    (menu,) = row["elements"]
    assert (menu["type"], menu["action_id"]) == ("static_select", ids.PICK_TOPIC)
    assert menu["placeholder"]["text"] == "Open a topic…"
    assert [(o["value"], o["text"]["text"]) for o in menu["options"]] == [(c.key, c.name) for c in topics]
    assert "/compare" in hint["elements"][0]["text"]
    assert_sound(message)


def test_all_without_topics_says_what_to_do() -> None:
    message = render_all([])

    assert [b["type"] for b in message.blocks] == ["header", "context"]
    assert_sound(message)


def test_all_is_no_wall_on_the_real_content() -> None:
    topics = real_topics()
    message = render_all(topics, popular=topics[:8])

    assert len(message.blocks) == 4
    on_screen = [text for path, text in iter_texts(message) if ".options[" not in path]  # the menu is closed
    assert sum(len(text) for text in on_screen if not text.startswith("MLOps vs")) < 500
    assert {o["value"] for o in picker(message)[0]["options"]} == {c.key for c in topics}
    assert_sound(message)


def test_all_escapes_and_bounds_names() -> None:
    message = render_all([MONITORING, NAUGHTY, HUGE, *synthetic(22)], popular=[NAUGHTY, HUGE])

    menu, popular = picker(message)
    assert popular[0]["text"]["text"] == "CI &amp; CD &lt;!channel&gt;"
    assert all(len(o["text"]["text"]) <= 75 for o in menu["options"])
    assert_sound(message)


@pytest.mark.parametrize("overrides", [{}, {"name": HUGE.name, "mlops": HUGE.mlops, "devops": HUGE.devops}])
def test_all_with_200_topics_lists_100_in_the_menu_and_counts_the_rest(overrides: dict[str, Any]) -> None:
    message = render_all(synthetic(200, **overrides))

    assert len(picker(message)[0]["options"]) == 100
    assert "…and 100 more" in message.blocks[-1]["elements"][0]["text"]
    assert len(message.text) <= 3000
    assert_sound(message)


# --- render_not_found ---------------------------------------------------------------------------------


def test_not_found_offers_suggestions_and_a_next_step() -> None:
    message = render_not_found("monitorng", [MONITORING, FEEDBACK_LOOP], popular=[FAILURE_MODE])

    sorry, actions, hint = message.blocks
    assert sorry["text"] == {
        "type": "mrkdwn",
        "text": "I don't have a topic 'monitorng'. Did you mean one of these?",
        "verbatim": True,
    }
    assert [(b["action_id"], b["value"]) for b in actions["elements"]] == [
        ("compare.open:monitoring", "monitoring"),
        ("compare.open:feedback_loop", "feedback_loop"),
    ]
    assert hint["elements"][0]["text"].startswith("Pick one, see every topic with `/compare all`")
    assert message.text == "I don't have a topic 'monitorng'. See every topic with /compare all."
    assert_sound(message)


def test_not_found_without_suggestions_offers_popular_topics() -> None:
    message = render_not_found("banana", (), popular=[MONITORING, FEEDBACK_LOOP])

    assert message.blocks[0]["text"]["text"] == "I don't have a topic 'banana'. Popular topics:"
    assert [b["value"] for b in buttons(message)] == ["monitoring", "feedback_loop"]
    assert "/compare all" in message.blocks[-1]["elements"][0]["text"]
    assert_sound(message)


def test_not_found_with_nothing_to_offer_still_says_what_to_do() -> None:
    message = render_not_found("xyz")

    assert not blocks_of(message, "actions")
    assert message.blocks[0]["text"]["text"] == "I don't have a topic 'xyz'."
    assert message.blocks[-1]["elements"][0]["text"].startswith("See every topic with `/compare all`")
    assert_sound(message)


def test_not_found_shows_at_most_three_suggestions() -> None:
    message = render_not_found("topic", synthetic(10), popular=synthetic(5))

    assert [b["value"] for b in buttons(message)] == ["topic_0", "topic_1", "topic_2"]
    assert_sound(message)


def test_not_found_escapes_and_shortens_what_was_typed() -> None:
    message = render_not_found("<!channel> hi & <@U0123ABC>\n" + words(500))

    text = message.blocks[0]["text"]["text"]
    typed = text.removeprefix("I don't have a topic '").removesuffix("'.")
    assert typed.startswith("&lt;!channel&gt; hi &amp; &lt;@U0123ABC&gt; drift")
    assert len(typed) <= 60 and typed.endswith(ELLIPSIS)
    assert_sound(message)


def test_not_found_with_empty_text_does_not_crash() -> None:
    message = render_not_found("", ())

    assert message.blocks[0]["text"]["text"] == "I don't have a topic ''."
    assert_sound(message)


@given(
    typed=st.one_of(st.text(), st.text(alphabet="<>&!@#^|;:amplgtUW019 \n*_`~", max_size=300)),
    suggestions=st.lists(st.sampled_from([MONITORING, FEEDBACK_LOOP, NAUGHTY, HUGE]), max_size=6),
)
def test_not_found_is_always_valid_and_escaped(typed: str, suggestions: list[Topic]) -> None:
    message = render_not_found(typed, suggestions, popular=[FAILURE_MODE])

    assert_sound(message)
    assert len(buttons(message)) == (min(3, len({c.key for c in suggestions})) if suggestions else 1)


# --- render_shared ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("channel", "where"),
    [("C0123ABC", "<#C0123ABC>"), ("D0123ABC", "this conversation"), ("<!here>", "this conversation")],
)
def test_shared_note_says_where_the_card_went_and_has_no_button(channel: str, where: str) -> None:
    message = render_shared(NAUGHTY, channel)

    assert message.blocks[0]["text"]["text"] == f"*CI &amp; CD &lt;!channel&gt;* — shared in {where} ✓"
    assert not blocks_of(message, "actions")
    assert_sound(message, allowed_mentions=(where, where) if where.startswith("<#") else ())  # text and block


# --- card_blocks and topic_menu -------------------------------------------------------------------------


def test_card_in_a_dm_or_thread_offers_the_example_and_related_topics_but_no_share() -> None:
    message = render_comparison(MONITORING, related=(FEEDBACK_LOOP, FAILURE_MODE), share_button=False)

    assert [(b["action_id"], b["value"]) for b in buttons(message)] == [
        (ids.SHOW_EXAMPLE, "monitoring"),
        ("compare.open:feedback_loop", "feedback_loop"),
        ("compare.open:failure_mode", "failure_mode"),
    ]
    assert_sound(message)


def test_topic_menu_keeps_slacks_limits_and_preselects() -> None:
    menu = topic_menu([*synthetic(150), replace(MONITORING, key="k" * 151)], "x", selected="topic_3")

    assert menu is not None
    data = menu.to_dict()
    assert len(data["options"]) == 100 and data["initial_option"]["value"] == "topic_3"
    assert topic_menu([], "x") is None
    assert topic_menu(synthetic(3), "x", selected="nope").to_dict().get("initial_option") is None


# --- render_error -------------------------------------------------------------------------------------


def test_error_is_polite_by_default() -> None:
    message = render_error()

    assert message.text == escape(GENERIC_ERROR)
    assert GENERIC_ERROR in message.blocks[0]["text"]["text"]
    assert_sound(message)


@pytest.mark.parametrize("text", [NASTY, NASTY * 500, "", "   "])
def test_error_with_custom_text_is_escaped_and_bounded(text: str) -> None:
    assert_sound(render_error(text))


# --- the checker itself -------------------------------------------------------------------------------


def button(action_id: str = "a", label: str = "Go", value: str = "v") -> dict[str, Any]:
    return {"type": "button", "action_id": action_id, "value": value, "text": plain(label)}


def plain(text: str) -> dict[str, str]:
    return {"type": "plain_text", "text": text}


def mrkdwn(text: str) -> dict[str, str]:
    return {"type": "mrkdwn", "text": text}


def one(block: dict[str, Any]) -> dict[str, Any]:
    return {"blocks": [block]}


@pytest.mark.parametrize(
    ("message", "problem"),
    [
        ({"text": "x" * 40_001}, "text: 40001 characters"),
        ({"blocks": [{"type": "divider"}] * 51}, "blocks: 51 blocks"),
        (one({"type": "header", "text": plain("h" * 151)}), "151 characters"),
        (one({"type": "header", "text": mrkdwn("h")}), "type plain_text"),
        (one({"type": "section", "text": mrkdwn("s" * 3001)}), "3001 characters"),
        (one({"type": "section", "text": mrkdwn(" ")}), "empty"),
        (one({"type": "section", "fields": [mrkdwn("f")] * 11}), "11 items"),
        (one({"type": "section", "fields": [mrkdwn("f" * 2001)]}), "2001 characters"),
        (one({"type": "section"}), "needs text or fields"),
        (one({"type": "section", "text": mrkdwn("s"), "accessory": button(label="")}), "accessory.text.text"),
        (one({"type": "context", "elements": [mrkdwn("c")] * 11}), "11 items"),
        (one({"type": "actions", "elements": [button(str(i)) for i in range(26)]}), "26 items"),
        (one({"type": "actions", "elements": [button(), button()]}), "used twice in one block"),
        (one({"type": "actions", "elements": [button(label="b" * 76)]}), "76 characters"),
        (one({"type": "actions", "elements": [button(value="v" * 2001)]}), "2001 characters"),
        (one({"type": "actions", "elements": [button(action_id="a" * 256)]}), "256 characters"),
        (one({"type": "actions", "elements": []}), "non-empty list"),
        (one({"type": "seciton", "text": mrkdwn("s")}), "unknown block type"),
        ({"blocks": [{"type": "divider", "block_id": "b"}] * 2}, "used twice"),
        ({"blocks": json.dumps([{"type": "header", "text": plain("h" * 151)}])}, "151 characters"),
        ({}, "neither text nor blocks"),
    ],
)
def test_checker_catches_broken_limits(message: dict[str, Any], problem: str) -> None:
    problems = limit_problems(message)
    assert any(problem in p for p in problems), problems
    with pytest.raises(AssertionError):
        assert_message_within_limits(message)


def test_checker_accepts_raw_dicts_and_finds_mentions_anywhere() -> None:
    raw = {
        "text": "hi <!here>",
        "blocks": [
            {"type": "section", "fields": [{"type": "mrkdwn", "text": "<@U1>"}]},
            {"type": "actions", "elements": [button(label="<!channel>")]},
        ],
    }
    assert limit_problems(raw) == []
    assert find_unescaped_mentions(raw) == ["<!here>", "<@U1>", "<!channel>"]


# --- against the real content, once content/ can load it ----------------------------------------------


def test_every_builder_on_the_real_content() -> None:
    topics = real_topics()
    by_key = {c.key: c for c in topics}

    for topic in topics:
        related = [by_key[key] for key in topic.see_also if key in by_key]
        assert_sound(render_comparison(topic, related=related))
        assert_sound(render_comparison(topic, related=related, shared_by="U0123ABC"), ("<@U0123ABC>",))
    assert_sound(render_help(topics))
    assert_sound(render_all(topics))
    assert_sound(render_not_found("nothing like this", topics[:3]))
    assert_sound(render_not_found("nothing like this", (), popular=topics[:3]))


def test_card_links_its_references_with_escaped_titles() -> None:
    topic = make_topic(
        references=(
            Reference("Sculley et al. <2015> | Hidden debt", "https://example.org/debt"),
            Reference("Not a link", "javascript:alert(1)"),
        )
    )
    message = render_comparison(topic)
    assert_message_within_limits(message)
    text = str(message.blocks)
    assert "<https://example.org/debt|Sculley et al. &lt;2015&gt; / Hidden debt>" in text
    assert "javascript" not in text and "Learn more" in text
