"""*Reply in thread with this card*: the card modal posts a topic's card in the thread of the message it was
opened on, as the person who pressed it sharing it, then says in the modal how that went."""

from __future__ import annotations

import re

from slack_sdk.web.async_client import AsyncWebClient

import content
from bot.compare.modal import CardModal, card_modal
from bot.compare.replies import shared_comparison_message
from bot.core.slack.calls import SlackFailure, slack_call
from bot.core.text import escape, one_line
from bot.core.views import update_view

INVITE = "Add me to the channel first (type `/invite @mlops-vs-devops` there), then press the button again."
_CHANNEL_ID = re.compile(r"[CG][A-Z0-9]{1,31}")


async def reply_in_thread(
    client: AsyncWebClient, view_id: str, state: CardModal, key: str, user: str
) -> None:
    """Post *key*'s card in the modal's thread, credited to *user*, and update the modal *view_id*: the
    card marked as posted, or a note saying why it could not be."""
    topic = content.topic_or_none(key)
    if topic is None or not state.in_thread or not view_id:
        return  # a button from an older modal, or one opened from no message
    message = shared_comparison_message(key, user)
    try:
        await slack_call(
            client.chat_postMessage, channel=state.channel, thread_ts=state.thread_ts, **message.as_kwargs()
        )
    except SlackFailure as failure:
        view = card_modal(state, notice=not_posted(failure.reason, state.channel))
    else:
        posted = f"✅ *{escape(one_line(topic.name))}* is in the thread now."
        view = card_modal(state.posting(key), notice=posted)
    await update_view(client, view_id, view)


def not_posted(reason: str, channel: str) -> str:
    """Why the card is not in the thread, and what to do about it."""
    if reason in ("not_in_channel", "channel_not_found"):
        if _CHANNEL_ID.fullmatch(channel):
            return f":warning: I can't post in <#{channel}>: I'm not a member. {INVITE}"
        return ":warning: I can only post in channels I'm in, so not in this conversation."
    if reason == "is_archived":
        return ":warning: That channel is archived, so nothing can be posted there."
    return ":warning: Slack didn't take the card just now. Please press the button again in a moment."
