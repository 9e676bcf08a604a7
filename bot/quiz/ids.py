"""The action, block, callback and metadata ids of the quiz: its posts, practice, form and Home section."""

from __future__ import annotations

from bot.core.ids import keyed_pattern

# A channel's daily question
QUIZ_ANSWER = "quiz_answer"
"""Prefix of the answer buttons on a channel quiz post (``quiz_answer:B``); value ``<post_id>:<letter>``."""
QUIZ_ANSWER_PATTERN = keyed_pattern(QUIZ_ANSWER, "[A-Z]")

QUIZ_HINT = "quiz_hint"
"""The Hint button on a channel quiz post; value = the post id. Answered privately and recorded."""

QUIZ_ANSWERS_BLOCK = "quiz_answers"
"""The actions block of a quiz post: the letter buttons and the Hint button."""

QUIZ_COUNT_BLOCK = "quiz_count"
"""The context block of a quiz post that shows how many people answered."""

QUIZ_POST_EVENT = "quiz_post"
QUIZ_REVEAL_EVENT = "quiz_reveal"
"""Slack message metadata event types of a quiz post and of its reveal reply (payload: ``post_id``)."""
QUIZ_WEEKLY_BOARD_EVENT = "quiz_weekly_board"
"""Slack message metadata event type of a channel's weekly leaderboard post (payload: ``board_id``)."""

# Practice questions
PRACTICE_ANSWER = "quiz_practice_answer"
"""Prefix of the answer buttons of a `/quiz` practice question; value ``<question_id>:<letter>:<score>``
(the session's score so far, ``right/answered``)."""
PRACTICE_ANSWER_PATTERN = keyed_pattern(PRACTICE_ANSWER, "[A-Z]")

PRACTICE_NEXT = "quiz_practice_next"
"""The "Another question" button under practice feedback; value ``<question id just answered>:<score>``."""

PRACTICE_NEXT_TOPIC = "quiz_practice_next_topic"
"""The "Another on this topic" button under practice feedback; value as for PRACTICE_NEXT."""

PRACTICE_HINT = "quiz_practice_hint"
"""The Hint button on a practice question; value = the question id."""

PRACTICE_TOPIC = "quiz_practice_topic"
"""*Practice this* next to a weak topic on a message (`/quiz stats`); value = the topic key (any other
value: a question on any topic). Answered through the message's response_url."""

# The quiz's section of the Home tab
HOME_PRACTICE_TOPIC = "quiz_home_practice"
"""*Practice this* on the Home tab, which has no response_url: the question goes to the person's DM."""

HOME_OPEN_QUESTION = "quiz_home_open_question"
"""*Answer today's question* on the Home tab: a link to the open question the person hasn't answered."""

QUIZ_SCHEDULE_EDIT = "quiz_schedule_edit"
"""*Edit* next to a channel's daily quiz on a manager's Home tab; value = the channel id. Opens the form."""

QUIZ_SCHEDULE_STOP = "quiz_schedule_stop"
"""*Stop* next to a channel's daily quiz on a manager's Home tab; value = the channel id."""

QUIZ_SCHEDULE_RESUME = "quiz_schedule_resume"
"""*Undo* in the Home tab's notice after *Stop*: the quiz back on as it was; value = the channel id."""

QUIZ_SCHEDULE_START = "quiz_schedule_start"
"""*Start a daily quiz in a channel* on the Home tab: opens the schedule form with no channel picked."""

QUIZ_SCHEDULE_FORM = "quiz_schedule_form"
"""callback_id of the schedule form (modal)."""
