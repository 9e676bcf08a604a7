"""The playground page in a real (headless) browser, driving the real bot — and a small Bolt app for the
modal and shortcut flows the bot does not have yet."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.web import WebClient

from bot.compare import ids as compare_ids
from bot.core.commands import CommandTable
from bot.quiz import ids as quiz_ids
from slackfake.playground import Playground
from tests.fakeslack_selftest.modal_app import HOME, ModalApp
from tests.fixtures.harness import RunningBot
from tests.fixtures.playground import Page

GENERAL = "CGENERAL"


def test_slash_menu_lists_the_commands_the_bot_answers_with_usage(
    page: Page, command_tables: dict[str, CommandTable]
) -> None:
    page.type("/", enter=False)
    menu = page.wait_css("#slash-menu:not([hidden])", "the slash command menu")
    commands = [
        e.get_attribute("data-command") for e in menu.find_elements(page.by.CSS_SELECTOR, ".slash-item")
    ]
    assert commands == list(command_tables)
    for table in command_tables.values():
        assert table.usage_hint() in menu.text


def test_compare_card_then_share_in_channel(page: Page, bot: RunningBot) -> None:
    page.type("/compare monitoring")
    card = page.wait_text(".msg-ephemeral", "Monitoring")
    assert "Only visible to you" in card.text
    assert card.find_element(page.by.CSS_SELECTOR, ".b-header").text == "Monitoring"

    card.find_element(
        page.by.CSS_SELECTOR, f'button[data-action-id="{compare_ids.SHARE_COMPARISON}"]'
    ).click()
    shared = page.wait_text(".msg:not(.msg-ephemeral)", "Shared by")
    assert shared.find_element(page.by.CSS_SELECTOR, ".b-header").text == "Monitoring"
    assert "Ada Lovelace" in shared.text  # <@UADA> drawn as the person's name
    assert any(m.get("text", "").startswith("Monitoring") for m in page.pg.fake.messages(GENERAL))
    page.wait_text(
        ".msg-ephemeral", "shared in"
    )  # the private copy says where it went, and can't be shared again


def test_quiz_practice_answer_gets_feedback(page: Page, bot: RunningBot) -> None:
    page.act_as("ULINUS")
    page.type("/quiz")
    question = page.wait_css(
        f'.msg-ephemeral button[data-action-id^="{quiz_ids.PRACTICE_ANSWER}:"]', "a practice question"
    )
    question.click()
    page.wait_css(f'.msg-ephemeral button[data-action-id="{quiz_ids.PRACTICE_NEXT}"]', "practice feedback")
    assert not page.css(f'.msg-ephemeral button[data-action-id^="{quiz_ids.PRACTICE_ANSWER}:"]')  # replaced


def test_post_now_and_reveal_as_the_admin(page: Page, bot: RunningBot) -> None:
    page.open("CNEWHIRES")
    page.act_as("UMAYA")  # the buttons act as the workspace admin whoever is looking
    page.wait_css("#quiz-now").click()
    page.wait_text(".msg:not(.msg-ephemeral)", "Daily MLOps vs DevOps quiz")
    notices = len(page.css(".msg-ephemeral"))  # Maya sees no notice: it goes to the admin who ran /quiz
    page.click_fresh(f'.msg:not(.msg-ephemeral) button[data-action-id^="{quiz_ids.QUIZ_ANSWER}:"]')
    page.until(lambda d: len(page.css(".msg-ephemeral")) > notices, "feedback on the answer")
    page.wait_css("#quiz-reveal").click()
    page.wait_text(".msg:not(.msg-ephemeral)", "Answer:")
    page.wait_text(".replies", "1 reply")


def test_mention_is_answered_in_a_thread_and_dm_in_the_dm(page: Page, bot: RunningBot) -> None:
    page.type("@mlops-vs-devops compare testing")
    page.wait_text(".replies", "1 reply").click()
    page.wait_text("#thread-messages .msg", "Testing")
    page.open("DADA")
    page.type("versioning")
    page.wait_text(".msg .b-header", "")
    assert page.pg.fake.wait_for("chat.postMessage", count=2)[-1].body["channel"] == "DADA"


def test_opening_app_home_sends_app_home_opened_and_draws_what_is_published(page: Page) -> None:
    page.open("home")
    page.wait_text(".home-empty", "Home tab")
    event = page.pg.fake.wait_for_delivery(
        lambda kind, p: kind == "events_api" and p["event"]["type"] == "app_home_opened"
    )
    assert event["event"]["user"] == "UADA" and event["event"]["tab"] == "home"
    WebClient(token=page.pg.bot_token, base_url=page.pg.api_url).views_publish(user_id="UADA", view=HOME)
    page.wait_text(".home-view .b-header", "Welcome home")


def test_unknown_blocks_get_a_placeholder_and_nothing_is_parsed_as_html(page: Page) -> None:
    web = WebClient(token=page.pg.bot_token, base_url=page.pg.api_url)
    web.chat_postMessage(
        channel=GENERAL,
        text="x",
        blocks=[
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*bold* <img src=x onerror=boom()> &lt;b&gt;"},
            },
            {"type": "video", "title": {"type": "plain_text", "text": "v"}},
            {
                "type": "rich_text",
                "elements": [
                    {
                        "type": "rich_text_list",
                        "style": "bullet",
                        "elements": [
                            {
                                "type": "rich_text_section",
                                "elements": [{"type": "text", "text": "<script>x</script>"}],
                            }
                        ],
                    }
                ],
            },
        ],
    )
    message = page.wait_text(".msg", "unsupported: block video")
    # Slack reads <…> as a link, so the tag shows as (unlinked) text; &lt;b&gt; is shown as <b>.
    assert "img src=x onerror=boom()" in message.text and "<b>" in message.text
    assert "<script>x</script>" in message.text
    assert message.find_element(page.by.CSS_SELECTOR, ".b-section b").text == "bold"
    assert not message.find_elements(page.by.CSS_SELECTOR, "img, script")


MODAL_MANIFEST = {
    "display_information": {"name": "Notes"},
    "features": {
        "bot_user": {"display_name": "notes"},
        "slash_commands": [{"command": "/note", "description": "Write a note", "usage_hint": "[text]"}],
        "shortcuts": [
            {"name": "Explain this", "type": "message", "callback_id": "explain_message", "description": "x"}
        ],
    },
    "settings": {"event_subscriptions": {"bot_events": ["app_home_opened"]}},
}


@pytest.fixture
def notes() -> Iterator[tuple[Playground, ModalApp]]:
    with Playground(manifest=MODAL_MANIFEST) as pg, ModalApp(pg.fake) as app:
        yield pg, app


@pytest.fixture
def notes_page(browser: Any, notes: tuple[Playground, ModalApp]) -> Page:
    return Page(browser, notes[0])


def test_modal_from_a_button_shows_field_errors_then_closes(notes_page: Page) -> None:
    page = notes_page
    web = WebClient(token=page.pg.bot_token, base_url=page.pg.api_url)
    web.chat_postMessage(channel=GENERAL, text="Notes", blocks=HOME["blocks"])
    page.wait_css('button[data-action-id="open_note"]').click()
    modal = page.wait_css(".modal", "the modal")
    assert modal.find_element(page.by.CSS_SELECTOR, ".modal-title").text == "New note"
    field = modal.find_element(page.by.CSS_SELECTOR, 'input[data-action-id="text"]')
    field.send_keys("bad")
    modal.find_element(page.by.CSS_SELECTOR, ".modal-submit").click()
    error = page.wait_css('[data-block-id="note"] .field-error', "the field error under Note")
    assert error.text == "Say something useful"

    field = page.wait_css('.modal input[data-action-id="text"]')
    field.clear()
    field.send_keys("ship the model registry")
    page.wait_css(".modal-submit").click()
    page.until(lambda d: not page.css(".modal"), "the modal to close")
    assert page.pg.fake.view_outcomes[-1][1] == "closed"


def test_a_modal_left_open_is_gone_after_a_reload(notes_page: Page) -> None:
    page = notes_page
    web = WebClient(token=page.pg.bot_token, base_url=page.pg.api_url)
    web.chat_postMessage(channel=GENERAL, text="Notes", blocks=HOME["blocks"])
    page.wait_css('button[data-action-id="open_note"]').click()
    page.wait_css(".modal", "the modal")

    page.driver.refresh()
    page.wait_css('button[data-action-id="open_note"]', "the page again, drawn from the workspace")
    page.until(lambda d: not page.css(".modal"), "the modal to be gone")


def test_message_shortcut_from_the_menu_reaches_the_app(
    notes_page: Page, notes: tuple[Playground, ModalApp]
) -> None:
    page, (_, app) = notes_page, notes
    message = page.wait_text(".msg", "Welcome to the playground")
    page.hover(message)
    message.find_element(page.by.CSS_SELECTOR, ".more").click()
    message.find_element(page.by.CSS_SELECTOR, '.menu-item[data-callback-id="explain_message"]').click()
    page.wait_text(".msg-ephemeral", "You asked about: Welcome to the playground")
    (shortcut,) = app.shortcuts
    assert shortcut["type"] == "message_action" and shortcut["user"]["id"] == "UADA"
    assert shortcut["channel"]["id"] == GENERAL and shortcut["trigger_id"]


def test_reset_clears_the_workspace_and_calls_the_hook(browser: Any) -> None:
    calls: list[str] = []
    with Playground(manifest={}, on_reset=lambda: calls.append("reset")) as pg:
        page = Page(browser, pg)
        WebClient(token=pg.bot_token, base_url=pg.api_url).chat_postMessage(
            channel=GENERAL, text="to be wiped"
        )
        page.wait_text(".msg", "to be wiped")
        page.wait_css("#reset").click()
        browser.switch_to.alert.accept()
        page.until(lambda d: not [m for m in page.css(".msg") if "to be wiped" in m.text], "the reset")
        assert calls == ["reset"]


# --- the real bot's forms, Home tab and shortcut, as a person meets them in the page ---------------


def test_the_schedule_form_shows_a_field_error_then_saves(page: Page, bot: RunningBot) -> None:
    from selenium.webdriver.support.ui import Select

    page.open("CNEWHIRES")
    page.type("/quiz schedule")
    modal = page.wait_css(".modal", "the schedule form")
    assert modal.find_element(page.by.CSS_SELECTOR, ".modal-title").text == "Daily quiz"
    zone = Select(modal.find_element(page.by.CSS_SELECTOR, 'select[data-action-id="zone"]'))
    zone.select_by_value("")  # nothing picked
    modal.find_element(page.by.CSS_SELECTOR, ".modal-submit").click()
    error = page.wait_css('[data-block-id="zone"] .field-error', "the error under Time zone")
    assert "time zone" in error.text.lower()

    Select(page.wait_css('.modal select[data-action-id="zone"]')).select_by_value("Europe/Berlin")
    page.wait_css(".modal-submit").click()
    page.until(lambda d: not page.css(".modal"), "the form to close")
    page.wait_text(".msg-ephemeral", "Saved.")


def test_the_home_tab_shows_the_bots_own_sections(page: Page, bot: RunningBot) -> None:
    page.open("home")
    page.wait_text(".home-view", "Look up a topic")
    page.wait_text(".home-view", "Daily quizzes you manage")  # Ada is the workspace admin


def test_the_message_shortcut_opens_the_topics_a_message_names(page: Page, bot: RunningBot) -> None:
    page.open("CGENERAL")
    page.act_as("UGRACE")
    page.type("Should our drift monitoring page the on-call, or wait for the model registry?")
    message = page.wait_text(".msg", "drift monitoring page the on-call")
    page.hover(message)
    message.find_element(page.by.CSS_SELECTOR, ".more").click()
    message.find_element(
        page.by.CSS_SELECTOR, f'.menu-item[data-callback-id="{compare_ids.EXPLAIN_MESSAGE}"]'
    ).click()
    modal = page.wait_css(".modal", "the cards")
    page.until(lambda d: "Model registry" in modal.text, "the Model registry card in the modal")
