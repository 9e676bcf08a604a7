"""Settings: every value checked and ranged, and no error ever shows more than a short piece of one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.settings import SettingsError
from bot.settings import load_settings

TOKEN = "xoxb-4711-9966-AbCdEfGhIjKlMnOpQrStUvWx"
BASE = {"SLACK_BOT_TOKEN": "xoxb-test-token", "SLACK_SIGNING_SECRET": "not-really-a-secret-0123"}


def error_for(tmp_path: Path, **env: str) -> SettingsError:
    with pytest.raises(SettingsError) as raised:
        load_settings({**BASE, **env}, cwd=tmp_path)
    return raised.value


@pytest.mark.parametrize(
    "variable",
    ["QUIZ_TIME", "QUIZ_CHANNEL", "QUIZ_TIMEZONE", "QUIZ_DAYS", "QUIZ_REVEAL_AFTER", "PORT", "LOG_LEVEL"],
)
def test_a_token_pasted_into_the_wrong_variable_is_not_echoed(tmp_path: Path, variable: str) -> None:
    message = str(error_for(tmp_path, **{variable: TOKEN}))
    assert message.startswith(f"{variable}: ")
    assert "\n" not in message
    for start in range(len(TOKEN) - 4):
        assert TOKEN[start : start + 5] not in message, message  # no piece longer than four characters


def test_short_values_are_shown_to_help_fix_them(tmp_path: Path) -> None:
    assert "'25:00'" in str(error_for(tmp_path, QUIZ_TIME="25:00"))


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("QUIZ_REVEAL_AFTER", "99999999d"),
        ("QUIZ_REVEAL_AFTER", "30s"),
        ("QUIZ_REVEAL_AFTER", "8d"),
        ("QUIZ_CLAIM_LEASE", "2h"),
        ("QUIZ_POLL_INTERVAL", "1ms"),
        ("QUIZ_POLL_INTERVAL", "2h"),
        ("PORT", "70000"),
        ("PORT", "9" * 5000),
    ],
)
def test_values_outside_their_range_are_refused_at_start(tmp_path: Path, variable: str, value: str) -> None:
    assert error_for(tmp_path, **{variable: value}).variable == variable


def test_durations_at_the_edges_of_their_ranges(tmp_path: Path) -> None:
    settings = load_settings(
        {**BASE, "QUIZ_REVEAL_AFTER": "7d", "QUIZ_CLAIM_LEASE": "1s", "QUIZ_POLL_INTERVAL": "10ms"},
        cwd=tmp_path,
    )
    assert settings.quiz.reveal_after == timedelta(days=7)
    assert settings.core.scheduler.claim_lease == timedelta(seconds=1)
    assert settings.core.scheduler.poll_interval == timedelta(milliseconds=10)


@pytest.mark.parametrize(
    "url",
    [
        "postgresql://u:pw-secret@h:notaport/x",
        "postgresql://u:pw-secret@h:99999/x",
        "postgresql://u:pw-secret@:5432/x",
        "mysql://u:pw-secret@h/x",
    ],
)
def test_a_malformed_database_url_is_one_line_without_the_password(tmp_path: Path, url: str) -> None:
    error = error_for(tmp_path, DATABASE_URL=url)
    assert error.variable == "DATABASE_URL"
    assert "pw-secret" not in str(error) and "\n" not in str(error)
