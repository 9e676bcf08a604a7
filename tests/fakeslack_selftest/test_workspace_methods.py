"""conversations.*, users.*, usergroups.*, permalinks, ephemerals and DMs, as Slack answers them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web import WebClient

from slackfake import BOT_TOKEN, FakeSlack


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    with FakeSlack(now=lambda: 1_800_000_000.0, strict_channels=True) as running:
        running.add_channel("CGEN", name="general", creator="U456", is_general=True, members=["U123", "U456"])
        running.add_channel("CPRIV", name="secret", is_private=True)
        running.add_user("UBERLIN", name="clara", real_name="Clara Ops", tz="Europe/Berlin")
        running.add_user("UGONE", name="gone", deleted=True)
        running.add_user("UOTHERBOT", name="otherbot", is_bot=True)
        yield running


@pytest.fixture
def web(fake: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.api_url)


def error(call: Any, **kwargs: Any) -> str:
    with pytest.raises(SlackApiError) as raised:
        call(**kwargs)
    return str(raised.value.response["error"])


def test_conversations_info(fake: FakeSlack, web: WebClient) -> None:
    general = web.conversations_info(channel="CGEN", include_num_members=True)["channel"]
    assert general["name"] == "general" and general["creator"] == "U456"
    assert general["is_im"] is False and general["is_private"] is False and general["is_general"] is True
    assert general["num_members"] == 2
    private = web.conversations_info(channel="CPRIV")["channel"]
    assert private["is_private"] is True and private["is_group"] is True and private["is_channel"] is False
    assert error(web.conversations_info, channel="CNOPE") == "channel_not_found"
    assert web.conversations_members(channel="CGEN")["members"] == ["U123", "U456"]


def test_conversations_open_gives_one_dm_per_person(fake: FakeSlack, web: WebClient) -> None:
    first = web.conversations_open(users="UBERLIN")
    assert first["channel"]["id"] == "DBERLIN" and "already_open" not in first
    again = web.conversations_open(users="UBERLIN", return_im=True)
    assert again["already_open"] is True and again["channel"]["is_im"] is True
    assert again["channel"]["user"] == "UBERLIN"
    assert web.conversations_info(channel="DBERLIN")["channel"]["is_private"] is True
    assert error(web.conversations_open, users="UNOBODY") == "user_not_found"
    assert error(web.conversations_open, users="UGONE") == "user_disabled"
    assert error(web.conversations_open, users="UOTHERBOT") == "cannot_dm_bot"

    posted = web.chat_postMessage(channel="UBERLIN", text="hi")
    assert posted["channel"] == "DBERLIN"
    assert error(web.chat_postMessage, channel="UGONE", text="hi") == "user_disabled"
    assert error(web.chat_postMessage, channel="UOTHERBOT", text="hi") == "cannot_dm_bot"
    fake.add_user("UBERLIN", name="clara", deleted=True)  # deactivated after the DM was opened
    assert error(web.chat_postMessage, channel="DBERLIN", text="still there?") == "user_disabled"


def test_users_info_has_time_zones_and_flags(fake: FakeSlack, web: WebClient) -> None:
    clara = web.users_info(user="UBERLIN")["user"]
    assert clara["tz"] == "Europe/Berlin" and clara["tz_offset"] == 3600
    assert clara["tz_label"] == "Central European Time"
    assert clara["real_name"] == "Clara Ops" and clara["is_bot"] is False and clara["deleted"] is False
    assert web.users_info(user="UGONE")["user"]["deleted"] is True
    assert web.users_info(user="UOTHERBOT")["user"]["is_bot"] is True
    assert error(web.users_info, user="UNOBODY") == "user_not_found"
    assert {"U123", "UBERLIN", "UBOT"} <= {u["id"] for u in web.users_list()["members"]}


def test_usergroups(fake: FakeSlack, web: WebClient) -> None:
    fake.add_usergroup("SNEW", "new-hires", ["U123", "UBERLIN"])
    fake.add_usergroup("SOLD", "old", ["U456"], disabled=True)
    assert web.usergroups_users_list(usergroup="SNEW")["users"] == ["U123", "UBERLIN"]
    assert error(web.usergroups_users_list, usergroup="SNOPE") == "no_such_subteam"
    assert [g["handle"] for g in web.usergroups_list()["usergroups"]] == ["new-hires"]
    assert len(web.usergroups_list(include_disabled=True, include_users=True)["usergroups"][1]["users"]) == 1


def test_permalinks(fake: FakeSlack, web: WebClient) -> None:
    parent = web.chat_postMessage(channel="CGEN", text="question")["ts"]
    reply = web.chat_postMessage(channel="CGEN", text="answer", thread_ts=parent)["ts"]
    link = web.chat_getPermalink(channel="CGEN", message_ts=parent)["permalink"]
    assert link == f"https://test.slack.com/archives/CGEN/p{parent.replace('.', '')}"
    threaded = web.chat_getPermalink(channel="CGEN", message_ts=reply)["permalink"]
    assert threaded.endswith(f"?thread_ts={parent}&cid=CGEN")
    assert error(web.chat_getPermalink, channel="CGEN", message_ts="1.000001") == "message_not_found"


def test_reply_broadcast_is_in_the_thread_and_the_channel(fake: FakeSlack, web: WebClient) -> None:
    parent = web.chat_postMessage(channel="CGEN", text="question")["ts"]
    web.chat_postMessage(channel="CGEN", text="quiet", thread_ts=parent)
    web.chat_postMessage(channel="CGEN", text="loud", thread_ts=parent, reply_broadcast=True)
    history = [m["text"] for m in web.conversations_history(channel="CGEN")["messages"]]
    assert history == ["loud", "question"]
    thread = web.conversations_replies(channel="CGEN", ts=parent)["messages"]
    assert [m["text"] for m in thread] == ["question", "quiet", "loud"]
    assert thread[2]["subtype"] == "thread_broadcast" and thread[0]["reply_count"] == 2


def test_post_ephemeral_is_kept_for_that_person_only(fake: FakeSlack, web: WebClient) -> None:
    sent = web.chat_postEphemeral(channel="CGEN", user="U456", text="psst")
    (message,) = fake.ephemerals("CGEN", "U456")
    assert message["ts"] == sent["message_ts"] and message["text"] == "psst"
    assert fake.ephemerals("CGEN", "U123") == []
    assert fake.messages("CGEN") == []
    assert error(web.chat_postEphemeral, channel="CGEN", user="UBERLIN", text="x") == "user_not_in_channel"
    assert error(web.chat_postEphemeral, channel="CGEN", user="UGONE", text="x") == "user_not_found"
