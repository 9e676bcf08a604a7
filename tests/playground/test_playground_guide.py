"""The playground explains itself: a *Start here* checklist that ticks itself, dates in the acting person's
time zone, commands whose @person and #channel arrive as Slack sends them, confirm dialogs, only channels
offered as quiz channels, and a layout that works on a phone."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk.web import WebClient

from bot.compare import ids as compare_ids
from bot.playground import START_HERE
from bot.quiz import ids as quiz_ids
from slackfake.playground.browser import chrome
from tests.fixtures.harness import RunningBot
from tests.fixtures.playground import Page

GENERAL = "CGENERAL"


def web(page: Page) -> WebClient:
    return WebClient(token=page.pg.bot_token, base_url=page.pg.api_url)


def guide_steps(page: Page) -> list[tuple[str, bool]]:
    """Each step's title and whether it is ticked, read at once (the list redraws as news arrives)."""
    steps = page.driver.execute_script(
        "return [...document.querySelectorAll('#guide .guide-step')].map("
        "s => [s.querySelector('.guide-title').textContent, s.classList.contains('done')])"
    )
    return [(title, done) for title, done in steps]


def test_the_checklists_steps_match_what_the_bot_answers() -> None:
    (answer,) = [step for step in START_HERE if step.people == 2]
    assert answer.done_by == (f"action:{quiz_ids.QUIZ_ANSWER}",)
    assert compare_ids.EXPLAIN_MESSAGE  # the shortcut step counts any message shortcut: the bot has this one


def test_start_here_ticks_itself_as_people_try_things(page: Page, bot: RunningBot) -> None:
    page.wait_text("#guide-summary", "Start here · 0 of 6 done")
    assert [title for title, _ in guide_steps(page)] == [step.title for step in START_HERE]

    page.type("/compare monitoring")
    page.wait_text("#guide-summary", "1 of 6 done")
    assert guide_steps(page)[0] == ("Compare a topic", True)

    page.open("CNEWHIRES")
    page.wait_css("#quiz-now").click()
    answer = f'.msg:not(.msg-ephemeral) button[data-action-id^="{quiz_ids.QUIZ_ANSWER}:"]'
    page.click_fresh(answer)
    page.wait_css(".msg-ephemeral", "Ada's feedback")
    assert not guide_steps(page)[1][1]  # one person so far
    page.act_as("UMAYA")
    page.click_fresh(answer)
    page.wait_text("#guide-summary", "2 of 6 done")

    page.open("home")
    page.wait_text("#guide-summary", "3 of 6 done")
    assert [done for _, done in guide_steps(page)] == [True, True, False, True, False, False]


def test_dates_show_in_the_acting_persons_time_zone(page: Page) -> None:
    when = datetime(2026, 12, 7, 15, 45, tzinfo=ZoneInfo("UTC"))
    web(page).chat_postMessage(
        channel=GENERAL, text=f"Answer at <!date^{int(when.timestamp())}^{{time}}|15:45 UTC>"
    )
    for person, zone in (("UMAYA", "Asia/Kolkata"), ("UGRACE", "America/New_York")):
        page.act_as(person)
        local = when.astimezone(ZoneInfo(zone))
        page.wait_text(".msg", f"Answer at {local.hour % 12 or 12}:{local.minute:02d} {local:%p}")


def test_a_typed_person_and_channel_reach_the_bot_as_slack_sends_them(page: Page) -> None:
    page.type("/learn enroll @maya in #new-hires")
    sent = page.pg.fake.wait_for_delivery(
        lambda kind, p: kind == "slash_commands" and p["command"] == "/learn"
    )
    assert sent["text"] == "enroll <@UMAYA|maya> in <#CNEWHIRES|new-hires>"
    page.type("/compare @maya #nowhere")  # /compare does not ask Slack to escape: the text stays as typed
    sent = page.pg.fake.wait_for_delivery(
        lambda kind, p: kind == "slash_commands" and p["command"] == "/compare"
    )
    assert sent["text"] == "@maya #nowhere"


CONFIRM = {
    "title": {"type": "plain_text", "text": "Open the card?"},
    "text": {"type": "mrkdwn", "text": "It replaces *nothing*."},
    "confirm": {"type": "plain_text", "text": "Open it"},
    "deny": {"type": "plain_text", "text": "Not now"},
    "style": "danger",
}


def test_a_confirm_dialog_is_shown_and_honoured(page: Page, bot: RunningBot) -> None:
    button = {
        "type": "button",
        "action_id": compare_ids.open_topic("drift"),
        "value": "drift",
        "text": {"type": "plain_text", "text": "Drift"},
        "confirm": CONFIRM,
    }
    web(page).chat_postMessage(channel=GENERAL, text="x", blocks=[{"type": "actions", "elements": [button]}])
    selector = f'button[data-action-id="{compare_ids.open_topic("drift")}"]'

    page.click_fresh(selector)
    dialog = page.wait_css("#confirm-root .confirm", "the confirm dialog")
    assert "Open the card?" in dialog.text and "It replaces nothing." in dialog.text
    dialog.find_element(page.by.CSS_SELECTOR, ".confirm-no").click()
    page.until(lambda d: not page.css("#confirm-root .confirm"), "the dialog to close")
    assert not page.pg.fake.calls_to("chat.postEphemeral") and not page.css(".msg-ephemeral")

    page.click_fresh(selector)
    page.wait_css("#confirm-root .confirm-yes", "Open it").click()
    page.wait_text(".msg-ephemeral .b-header", "drift")


def test_only_channels_are_offered_as_quiz_channels(page: Page, bot: RunningBot) -> None:
    page.open("CNEWHIRES")
    page.type("/quiz schedule")
    menu = page.wait_css('.modal select[data-element-type="conversations_select"]', "the channel menu")
    offered = [o.text for o in menu.find_elements(page.by.CSS_SELECTOR, "option") if o.get_attribute("value")]
    assert offered == ["#general", "#new-hires"]  # not the DM with the app


def test_on_a_phone_the_checklist_waits_and_accessories_go_under_their_text(
    playground: Any, bot: RunningBot
) -> None:
    driver = chrome(400, 850)
    try:
        page = Page(driver, playground)
        guide = page.wait_css("#guide", "the checklist")
        assert guide.get_attribute("open") is None and "0 of 6" in guide.text  # one tap away
        page.driver.execute_script("document.body.classList.add('sidebar-open')")
        page.open("home")
        section = page.wait_css(".home-view .b-section:has(.b-accessory)", "a section with an accessory")
        text = section.find_element(page.by.CSS_SELECTOR, ".b-section-body")
        accessory = section.find_element(page.by.CSS_SELECTOR, ".b-accessory")
        assert accessory.rect["y"] >= text.rect["y"] + text.rect["height"] - 1
        assert text.rect["width"] > 300  # not squeezed into one-word lines
    finally:
        driver.quit()
