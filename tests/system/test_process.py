"""`python -m bot` as an operator runs it: settings errors, both transports, a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from bot.compare import ids
from bot.core.replies import TRY_AGAIN
from slackfake import APP_TOKEN, BOT_TOKEN, SIGNING_SECRET, FakeSlack
from slackfake.requests import block_action, form_body, interactive_body, post_signed, slash_command
from tests.fixtures.process import Output, bot_env, bot_process, free_port, get_json, run_bot


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        ({"SLACK_BOT_TOKEN": None}, "SLACK_BOT_TOKEN"),
        ({"SLACK_BOT_TOKEN": "xoxp-a-user-token-secret"}, "SLACK_BOT_TOKEN"),
        ({"SLACK_SIGNING_SECRET": None}, "SLACK_SIGNING_SECRET"),
        ({"SLACK_APP_TOKEN": "xoxb-wrong-kind-secret"}, "SLACK_APP_TOKEN"),
        ({"PORT": "eighty"}, "PORT"),
        ({"SLACK_API_URL": "slack.com/api"}, "SLACK_API_URL"),
        ({"DATABASE_URL": "mysql://root@localhost/bot"}, "DATABASE_URL"),
        ({"LOG_LEVEL": "LOUD"}, "LOG_LEVEL"),
        ({"QUIZ_TIME": "25:00"}, "QUIZ_TIME"),
        ({"QUIZ_TIMEZONE": "Mars/Olympus"}, "QUIZ_TIMEZONE"),
        ({"QUIZ_DAYS": "someday"}, "QUIZ_DAYS"),
        ({"QUIZ_REVEAL_AFTER": "soon"}, "QUIZ_REVEAL_AFTER"),
        ({"QUIZ_CHANNEL": "#general"}, "QUIZ_CHANNEL"),
        ({"QUIZ_POLL_INTERVAL": "10ms"}, "QUIZ_POLL_INTERVAL"),
        ({"QUIZ_CLAIM_LEASE": "1s"}, "QUIZ_CLAIM_LEASE"),
        ({"SLACK_POST_RATE": "1"}, "SLACK_POST_RATE"),
        ({"SLACK_POST_RATE": "\uff11\uff10\uff10"}, "SLACK_POST_RATE"),  # full-width digits
        ({"LEARN_MAX_PER_DAY": "\u0663"}, "LEARN_MAX_PER_DAY"),  # an Arabic-Indic three
        ({"LEARN_RETENTION": "0.99"}, "LEARN_RETENTION"),
        ({"LEARN_TOPICS": "monitoring,nope"}, "LEARN_TOPICS"),  # known only once the content is loaded
    ],
)
def test_bad_setting_exits_2_with_one_line_naming_it(tmp_path: Path, overrides: dict, variable: str) -> None:
    result = run_bot(bot_env(None, tmp_path, **overrides), tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert variable in lines[0]
    assert "Traceback" not in result.stderr + result.stdout
    for secret in (SIGNING_SECRET, BOT_TOKEN, "secret"):
        assert secret not in result.stderr + result.stdout


def test_settings_come_from_dotenv_and_the_environment_wins(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("SLACK_BOT_TOKEN=xoxb-from-dotenv\nPORT=not-a-port\n")
    result = run_bot(bot_env(None, tmp_path, SLACK_BOT_TOKEN=None, PORT=None), tmp_path)
    assert result.returncode == 2 and "PORT" in result.stderr  # .env was read
    result = run_bot(bot_env(None, tmp_path, SLACK_BOT_TOKEN=None, PORT="bad-from-env"), tmp_path)
    assert "bad-from-env" in result.stderr  # the real environment wins


def test_migrate_with_an_unreachable_database_exits_2_with_one_line(tmp_path: Path) -> None:
    env = bot_env(None, tmp_path, DATABASE_URL=f"postgresql://nobody@127.0.0.1:{free_port()}/nothing")
    result = run_bot(env, tmp_path, "migrate")
    assert result.returncode == 2
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and errors[0].startswith("error: DATABASE_URL:"), result.stderr
    assert result.stderr.strip().endswith(errors[0])
    assert "Traceback" not in result.stderr + result.stdout


def test_unreachable_database_at_start_the_bot_serves_what_needs_none_and_keeps_trying(
    fake_slack: FakeSlack, tmp_path: Path
) -> None:
    env = bot_env(fake_slack, tmp_path, DATABASE_URL=f"postgresql://nobody@127.0.0.1:{free_port()}/nothing")
    port = int(env["PORT"])
    with bot_process(env, tmp_path) as process:
        output = Output(process)
        attempts = output.wait_for("cannot open the database", count=2)  # the first, and one retry
        assert get_json(port, "/healthz")[1]["database"] == "unavailable"
        assert get_json(port, "/readyz") == (503, {"ready": False, "database": "unavailable"})
        url = f"http://127.0.0.1:{port}/slack/events"
        status, reply = post_signed(
            url, form_body(slash_command(text="testing")), SIGNING_SECRET, timeout=2.5
        )
        assert status == 200 and reply["blocks"][0]["text"]["text"] == "Testing"
        status, reply = post_signed(
            url, form_body(slash_command("/quiz", "stats")), SIGNING_SECRET, timeout=2.5
        )
        assert status == 200 and TRY_AGAIN in str(reply)
        process.send_signal(signal.SIGTERM)
        text = output.until_exit()
    assert process.returncode == 0
    assert "Traceback" not in text
    assert "trying again in 1 s" in attempts[0] and "trying again in 2 s" in attempts[1]
    assert "nobody" not in text  # the reason is the driver's first line, never the URL


def test_http_mode_serves_and_stops_cleanly_on_sigterm(fake_slack: FakeSlack, tmp_path: Path) -> None:
    env = bot_env(fake_slack, tmp_path, LOG_LEVEL="DEBUG")
    with bot_process(env, tmp_path) as process:
        url = f"http://127.0.0.1:{env['PORT']}/slack/events"
        status, reply = post_signed(url, form_body(slash_command(text="testing")), SIGNING_SECRET)
        assert status == 200 and reply["blocks"][0]["text"]["text"] == "Testing"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "Traceback" not in output
    for secret in (SIGNING_SECRET, BOT_TOKEN):
        assert secret not in output


def test_socket_mode_connects_through_slack_api_url(fake_slack: FakeSlack, tmp_path: Path) -> None:
    env = bot_env(fake_slack, tmp_path, SLACK_APP_TOKEN=APP_TOKEN, SLACK_SIGNING_SECRET=None)
    with bot_process(env, tmp_path) as process:
        fake_slack.wait_for_socket(timeout=15)
        assert fake_slack.calls_to("apps.connections.open")
        ack = fake_slack.wait_ack(fake_slack.send_envelope("slash_commands", slash_command(text="versions")))
        assert ack["payload"]["blocks"][0]["text"]["text"] == "Versioning"
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
    assert process.returncode == 0
    assert APP_TOKEN not in output and "Traceback" not in output


def test_migrate_command(tmp_path: Path) -> None:
    result = run_bot(bot_env(None, tmp_path), tmp_path, "migrate")
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "bot.db").exists()


def test_with_nothing_configured_the_playground_serves_the_real_bot(tmp_path: Path) -> None:
    """`make run` on a fresh clone: no Slack settings anywhere, so the local playground starts."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if not key.startswith(("SLACK_", "QUIZ_"))}
    env.update(PORT=str(port), DATABASE_URL="")
    process = subprocess.Popen(
        [sys.executable, "-m", "bot"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert f"local playground: open http://127.0.0.1:{port}/" in banner
        page = urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read().decode()
        assert "<html" in page
        reply: dict[str, object] = {}
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not reply.get("ack"):  # until the bot has connected
            request = urllib.request.Request(
                f"http://127.0.0.1:{port}/playground/send",
                data=json.dumps(
                    {"user": "UADA", "channel": "CGENERAL", "text": "/compare monitoring"}
                ).encode(),
                headers={"Content-Type": "application/json"},
            )
            try:
                reply = json.loads(urllib.request.urlopen(request, timeout=5).read())
            except OSError:
                time.sleep(0.2)
        assert "Monitoring" in json.dumps(reply)
        database = tmp_path / "data" / "playground.db"  # its own database, under data/
        while time.monotonic() < deadline and not database.exists():
            time.sleep(0.05)
        assert database.exists()
        process.send_signal(signal.SIGTERM)
        output, _ = process.communicate(timeout=15)
        assert process.returncode == 0 and "Traceback" not in output
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_partly_configured_still_names_what_is_missing(tmp_path: Path) -> None:
    result = run_bot(bot_env(None, tmp_path, SLACK_BOT_TOKEN=None), tmp_path)
    assert result.returncode == 2 and "SLACK_BOT_TOKEN" in result.stderr


@pytest.mark.parametrize("transport", ["http", "socket"])
def test_debug_logs_never_show_a_response_url_or_a_token(
    fake_slack: FakeSlack, tmp_path: Path, transport: str
) -> None:
    """A response_url lets anyone post to its channel for 30 minutes: at DEBUG, where slack_sdk and Bolt
    log raw Socket Mode envelopes and every response_url post, the values are redacted."""
    socket_mode = transport == "socket"
    modes = {"SLACK_APP_TOKEN": APP_TOKEN, "SLACK_SIGNING_SECRET": None} if socket_mode else {}
    env = bot_env(fake_slack, tmp_path, LOG_LEVEL="DEBUG", **modes)
    command_url = fake_slack.response_url("command-url-secret")
    share_url = fake_slack.response_url("share-url-secret")
    command = slash_command(text="monitoring", response_url=command_url)
    share = block_action(ids.SHARE_COMPARISON, "monitoring", response_url=share_url)
    with bot_process(env, tmp_path) as process:
        output = Output(process)
        if socket_mode:
            fake_slack.wait_for_socket(timeout=15)
            fake_slack.wait_ack(fake_slack.send_envelope("slash_commands", command))
            fake_slack.wait_ack(fake_slack.send_envelope("interactive", share))
        else:
            url = f"http://127.0.0.1:{env['PORT']}/slack/events"
            assert post_signed(url, form_body(command), SIGNING_SECRET)[0] == 200
            assert post_signed(url, interactive_body(share), SIGNING_SECRET)[0] == 200
        fake_slack.wait_for("response_url")  # the bot did post to the share button's response_url
        assert output.wait_for("Sending a request - url:")  # and slack_sdk logged that it did
        process.send_signal(signal.SIGTERM)
        text = output.until_exit()
    assert process.returncode == 0
    for secret in (
        "command-url-secret",
        "share-url-secret",
        BOT_TOKEN,
        APP_TOKEN,
        SIGNING_SECRET,
        "ticket=fake",
    ):
        assert secret not in text
    if socket_mode:  # the raw envelopes were logged, without the values
        assert '"response_url": "[redacted]"' in text
