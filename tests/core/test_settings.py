"""Settings: every value checked and ranged, and no error ever shows more than a short piece of one."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.core.settings import SchedulerSettings, SettingsError
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
        ("QUIZ_CLAIM_LEASE", "1s"),
        ("QUIZ_CLAIM_LEASE", "9s"),
        ("QUIZ_POLL_INTERVAL", "1ms"),
        ("QUIZ_POLL_INTERVAL", "10ms"),
        ("QUIZ_POLL_INTERVAL", "999ms"),
        ("QUIZ_POLL_INTERVAL", "2h"),
        ("SLACK_POST_RATE", "1"),
        ("SLACK_POST_RATE", "19"),
        ("SLACK_POST_RATE", "60001"),
        ("SLACK_UPDATE_RATE", "0"),
        ("PORT", "70000"),
        ("PORT", "9" * 5000),
    ],
)
def test_values_outside_their_range_are_refused_at_start(tmp_path: Path, variable: str, value: str) -> None:
    assert error_for(tmp_path, **{variable: value}).variable == variable


def test_values_at_the_edges_of_their_ranges(tmp_path: Path) -> None:
    low = {"QUIZ_REVEAL_AFTER": "1m", "QUIZ_CLAIM_LEASE": "10s", "QUIZ_POLL_INTERVAL": "1s"}
    rates = {"SLACK_POST_RATE": "20", "SLACK_UPDATE_RATE": "20"}
    settings = load_settings({**BASE, **low, **rates}, cwd=tmp_path)
    assert settings.quiz.reveal_after == timedelta(minutes=1)
    assert settings.core.scheduler.claim_lease == timedelta(seconds=10)
    assert settings.core.scheduler.poll_interval == timedelta(seconds=1)
    assert (settings.core.pacing.posts_per_minute, settings.core.pacing.updates_per_minute) == (20, 20)
    high = {"QUIZ_REVEAL_AFTER": "7d", "QUIZ_CLAIM_LEASE": "1h", "QUIZ_POLL_INTERVAL": "1h"}
    settings = load_settings({**BASE, **high, "SLACK_POST_RATE": "60000"}, cwd=tmp_path)
    assert settings.quiz.reveal_after == timedelta(days=7)
    assert settings.core.scheduler.claim_lease == settings.core.scheduler.poll_interval == timedelta(hours=1)
    assert settings.core.pacing.posts_per_minute == 60_000


@pytest.mark.parametrize(
    ("variable", "value"),
    [
        ("LEARN_MAX_PER_DAY", "\u0663"),  # Arabic-Indic three
        ("SLACK_POST_RATE", "\uff11\uff10\uff10"),  # full-width 100
        ("SLACK_POST_RATE", "1_000"),
        ("SLACK_POST_RATE", "+100"),
        ("PORT", "\u0968\u0966\u0966\u0966"),  # Devanagari 2000
        ("QUIZ_CLAIM_LEASE", "\u0666\u0660s"),
        ("QUIZ_TIME", "\u0669:30"),
        ("QUIZ_CHANNEL", "C\u0663\u0663"),
        ("QUIZ_MANAGERS", "U\u0661\u0662"),
        ("LEARN_TOPICS", "monit\u00f6ring"),
        ("LEARN_RETENTION", "0.\u0669"),  # Arabic-Indic nine
        ("LEARN_RETENTION", "1.5"),
        ("LEARN_RETENTION", "0.5"),
        ("LEARN_RETENTION", "90%"),
    ],
)
def test_only_ascii_digits_and_letters_are_read(tmp_path: Path, variable: str, value: str) -> None:
    assert error_for(tmp_path, **{variable: value}).variable == variable


def test_tests_may_tick_faster_than_a_user_may_set(tmp_path: Path) -> None:
    """Only code builds timings below the floors: the environment cannot."""
    fast = SchedulerSettings(claim_lease=timedelta(seconds=2), poll_interval=timedelta(milliseconds=50))
    settings = load_settings({**BASE, "QUIZ_CLAIM_LEASE": "5m"}, cwd=tmp_path, scheduler=fast)
    assert settings.core.scheduler == fast


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
