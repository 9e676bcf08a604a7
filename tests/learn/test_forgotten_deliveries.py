"""After "forget me", the buttons of the forgotten DMs point at nothing: delivery ids are never handed out
again (SQLite included), so an old button can never answer a new day's question, the learner's own or
anyone else's."""

from __future__ import annotations

from collections.abc import Callable

from slackfake import FakeSlack
from tests.fixtures.harness import RunningBot
from tests.fixtures.learn import answer_ids, ask, delivery_id, dm_of, path_dms, wait_until

ALICE = "U123"


def test_an_old_button_after_forget_and_a_new_start_is_answered_kindly_and_records_nothing(
    learn_bot: Callable[..., RunningBot], fake: FakeSlack
) -> None:
    learn_bot()
    ask(fake, ALICE, "")
    (forgotten,) = wait_until(lambda: path_dms(fake, ALICE))
    assert "deleted" in ask(fake, ALICE, "forget")
    ask(fake, ALICE, "")
    new = wait_until(lambda: path_dms(fake, ALICE)[1:])[0]
    assert delivery_id(new) != delivery_id(forgotten)

    before = len(fake.ephemerals(dm_of(ALICE), ALICE))
    button = sorted(answer_ids(forgotten))[0]
    fake.click(ALICE, dm_of(ALICE), forgotten["ts"], button)
    (reply,) = wait_until(lambda: fake.ephemerals(dm_of(ALICE), ALICE)[before:])
    assert "no longer on your path" in str(reply["blocks"])
    assert answer_ids(fake.message(dm_of(ALICE), new["ts"])) == answer_ids(new), "the new day was answered"
