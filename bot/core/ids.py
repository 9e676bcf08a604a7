"""Every action_id, block_id and callback_id the bot uses.

Builders put these on the blocks, listeners register for them and tests assert on them, so they are
defined once here.

Slack wants every action_id inside one actions block to be unique, so a block with one button per
topic cannot reuse a single action_id. Those buttons get ``"<constant>:<topic key>"`` and
listeners register with the matching ``*_PATTERN`` regex (``app.action(ids.OPEN_TOPIC_PATTERN)``).
The suffix only keeps action_ids apart: listeners read the topic key from the button's ``value``.
"""

from __future__ import annotations

import re

ACTION_ID_MAX = 255

# /compare
SHARE_COMPARISON = "compare.share"
"""The "Share in channel" button of a comparison; value = the topic key."""

OPEN_TOPIC = "compare.open"
"""Prefix of every "show this topic" button; value = the topic key."""

OPEN_TOPIC_PATTERN = re.compile(rf"^{re.escape(OPEN_TOPIC)}:.+$")


def open_topic(key: str) -> str:
    """The action_id of the button that opens topic *key* (unique per key within a block)."""
    return f"{OPEN_TOPIC}:{key}"[:ACTION_ID_MAX]


PICK_TOPIC = "compare.pick"
"""The "Open a topic…" menu under `/compare all`; the selected option's value = the topic key."""

# Topic cards in a modal: the message shortcut, and the topic menu of the App Home
EXPLAIN_MESSAGE = "compare.explain_message"
"""callback_id of the message shortcut "Explain MLOps vs DevOps" (manifest.yml names it too)."""

CARD_MODAL = "compare.card_modal"
"""callback_id of the modal that shows topic cards; its private_metadata says which topics its menu offers."""

MODAL_PICK_TOPIC = "compare.modal_pick"
"""The topic menu inside the card modal; picking one updates the modal (views.update)."""

MODAL_OPEN_TOPIC = "compare.modal_open"
"""Prefix of the related-topic buttons on a card inside the modal; value = the topic key."""

MODAL_OPEN_TOPIC_PATTERN = re.compile(rf"^{re.escape(MODAL_OPEN_TOPIC)}:.+$")


def modal_open_topic(key: str) -> str:
    """The action_id of the button in the card modal that shows topic *key* instead."""
    return f"{MODAL_OPEN_TOPIC}:{key}"[:ACTION_ID_MAX]


# App Home
HOME_PICK_TOPIC = "home.pick_topic"
"""The topic menu of the Home tab; opens that topic's card in a modal (views.open)."""

HOME_STOP_SCHEDULE = "home.stop_schedule"
"""*Stop* next to a channel's daily quiz on a manager's Home tab; value = the channel id."""

HOME_EDIT_HELP = "home.edit_help"
"""callback_id of the modal *Edit* opens while the quiz has no schedule form: how to use `/quiz schedule`."""

QUIZ_SCHEDULE_EDIT = "quiz_schedule_edit"
"""*Edit* next to a channel's daily quiz on a manager's Home tab; value = the channel id. The quiz answers
it with its schedule modal; until that listener is registered, the Home's fallback says how to use
`/quiz schedule`."""


# Daily quiz
QUIZ_ANSWER = "quiz_answer"
"""Prefix of the answer buttons on a channel quiz post (``quiz_answer:B``); value ``<post_id>:<letter>``."""

QUIZ_ANSWER_PATTERN = re.compile(rf"^{re.escape(QUIZ_ANSWER)}:[A-Z]$")

PRACTICE_ANSWER = "quiz_practice_answer"
"""Prefix of the answer buttons of a `/quiz` practice question; value ``<question_id>:<letter>:<score>``
(the session's score so far, ``right/answered``)."""

PRACTICE_ANSWER_PATTERN = re.compile(rf"^{re.escape(PRACTICE_ANSWER)}:[A-Z]$")

PRACTICE_NEXT = "quiz_practice_next"
"""The "Another question" button under practice feedback; value ``<question id just answered>:<score>``."""

PRACTICE_NEXT_TOPIC = "quiz_practice_next_topic"
"""The "Another on this topic" button under practice feedback; value as for PRACTICE_NEXT."""

QUIZ_HINT = "quiz_hint"
"""The Hint button on a channel quiz post; value = the post id. Answered privately and recorded."""

PRACTICE_TOPIC = "quiz_practice_topic"
"""*Practice this* next to a weak topic (stats, App Home); value = the topic key (any other value: a
question on any topic). On a message the quiz answers through its response_url; on the Home tab, which
has none, the Home sends the question to the person's DM."""

PRACTICE_HINT = "quiz_practice_hint"
"""The Hint button on a practice question; value = the question id."""

QUIZ_SCHEDULE_FORM = "quiz_schedule_form"
"""callback_id of the schedule form (modal)."""

QUIZ_SCHEDULE_EDIT = "quiz_schedule_edit"
"""*Edit* next to a channel's schedule (App Home); value = the channel id. Opens the schedule form."""

QUIZ_SCHEDULE_STOP = "quiz_schedule_stop"
"""*Stop* next to a channel's schedule (App Home); value = the channel id."""

QUIZ_ANSWERS_BLOCK = "quiz_answers"
"""The actions block of a quiz post: the letter buttons and the Hint button."""

QUIZ_POST_EVENT = "quiz_post"
QUIZ_REVEAL_EVENT = "quiz_reveal"
"""Slack message metadata event types of a quiz post and of its reveal reply (payload: ``post_id``)."""

QUIZ_COUNT_BLOCK = "quiz_count"
"""The context block of a quiz post that shows how many people answered."""

# Learning path
LEARN_ANSWER = "learn_answer"
"""Prefix of the answer buttons in a learning-path DM: ``learn_answer:<index>:<letter>`` (unique in the
message, which may hold several questions); value ``<delivery_id>:<index>:<letter>``."""

LEARN_ANSWER_PATTERN = re.compile(rf"^{re.escape(LEARN_ANSWER)}:\d+:[A-Z]$")

LEARN_HINT = "learn_hint"
"""Prefix of the Hint button of one question in a learning-path DM (``learn_hint:<index>``); value
``<delivery_id>:<index>``."""

LEARN_HINT_PATTERN = re.compile(rf"^{re.escape(LEARN_HINT)}:\d+$")

LEARN_OPT_OUT = "learn_opt_out"
"""The "Not for me" button of a welcome sent to someone enrolled by others (joined the channel, or a
manager's `/learn enroll`): stops their path."""

LEARN_FORGET = "learn_forget"
"""The "Stop and forget me" button offered by `/learn stop`: deletes the learner's path."""

LEARN_SHARE = "learn_share"
"""The "Share" button of the graduation DM: announces the graduation in LEARN_CHANNEL."""

LEARN_DAY_EVENT = "learn_day"
"""Slack message metadata event type of every learning-path DM (payload: ``delivery_id``)."""
