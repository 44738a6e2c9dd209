"""The WSGI server around the bot: health, the document webhook mount, `crm serve` under gunicorn, and
the app manifest Slack is configured from."""

import json
import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from wsgiref.util import setup_testing_defaults

import pytest
from slack_bolt.request import BoltRequest
from typer.testing import CliRunner

from bot import cli, hooks
from bot.server import create_server
from bot.slack.listeners.shortcuts import LOG_INTERACTION, LOG_MESSAGE
from bot.slack.settings import BOT_SCOPES, Settings
from commands.router import ROUTER
from store.db import make_engine, postgres_schema, session_factory
from store.migrate import upgrade
from tests import slack_requests as rq
from tests.fake_slack import FakeSlack
from tests.slack_requests import FORM, JSON, SECRET, Slack, get, post, slash_command

ROOT = Path(__file__).resolve().parents[3]
CRM = (sys.executable, "-c", "from bot.cli import main; main()")  # the `crm` script, wherever it is installed


def test_health_is_ok_while_the_database_answers(slack: Slack) -> None:
    response = get(slack.url + "/healthz")
    assert response.status == 200 and response.text == "ok\n"


def test_health_fails_when_the_database_is_unreachable(fake_slack: FakeSlack, tmp_path: Path) -> None:
    broken = session_factory(make_engine(f"sqlite:///{tmp_path}/missing/dir/crm.db"))
    settings = Settings(bot_token="xoxb-test", signing_secret=SECRET, api_url=fake_slack.base_url)
    server = create_server(settings, broken)
    environ: dict[str, Any] = {"PATH_INFO": "/healthz"}
    setup_testing_defaults(environ)
    statuses: list[str] = []
    body = b"".join(server.wsgi(environ, lambda status, headers: statuses.append(status)))
    assert statuses == ["503 Service Unavailable"] and b"unreachable" in body
    server.bot.close()


def test_unknown_paths_are_not_found(slack: Slack) -> None:
    assert get(slack.url + "/nothing-here").status == 404


def test_the_document_webhook_is_mounted_without_a_secret_of_the_environment(slack: Slack) -> None:
    response = post(slack.url + "/hooks/documents", "{}", JSON, signed=False)
    assert response.status == 401  # served by the webhook, which refuses an unsigned body
    assert post(slack.events_url, slash_command(slack.team, "U1", "help", "x"), FORM).status == 200


def _hook(slack: Slack, secret: str) -> int:
    body = json.dumps({"team_id": slack.team, "event_id": "e1", "document_type": "sales-invoice"})
    timestamp = str(int(time.time()))
    headers = {
        "X-CRM-Request-Timestamp": timestamp,
        "X-CRM-Signature": hooks.sign(secret, timestamp, body.encode()),
    }
    return post(slack.url + "/hooks/documents", body, JSON, signed=False, **headers).status


def test_the_environment_secret_signs_for_a_single_workspace_install(
    serve_slack: Callable[..., Slack],
) -> None:
    single = serve_slack(webhook_secret="hook-secret")
    assert _hook(single, "hook-secret") == 400  # signed: the body is read, and lacks document_no
    assert _hook(single, "another") == 401


def test_the_environment_secret_signs_for_no_workspace_under_oauth(serve_slack: Callable[..., Slack]) -> None:
    several = serve_slack(bot_token="", client_id="111.222", client_secret="s", webhook_secret="hook-secret")
    assert _hook(several, "hook-secret") == 401


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve_env(fake_slack: FakeSlack, database_url: str) -> dict[str, str]:
    return os.environ | {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": SECRET,
        "SLACK_API_URL": fake_slack.base_url.rstrip("/"),  # the trailing slash is added for WebClient
        "DATABASE_URL": database_url,
    }


@pytest.fixture
def hosting_url(tmp_path: Path) -> Iterator[str]:
    """A database of its own for `crm serve` (whose workers would otherwise deliver other tests' answers),
    named as hosting services give it: postgres://… (SQLAlchemy's own name is postgresql://) on the
    PostgreSQL run, in a schema of its own brought to the current revision; else a new SQLite file
    (brought to the schema at start)."""
    given = os.environ.get("TEST_DATABASE_URL")
    if not given:
        yield f"sqlite:///{tmp_path}/crm.db"
        return
    with postgres_schema(given, "crm_serve") as url:
        engine = make_engine(url)
        upgrade(engine)
        engine.dispose()
        yield "postgres://" + url.split("://", 1)[1]


def test_crm_serve_runs_the_app_in_worker_processes(fake_slack: FakeSlack, hosting_url: str) -> None:
    """On the PostgreSQL run, with DATABASE_URL=postgres://…, which every worker process opens."""
    port = _free_port()
    env = serve_env(fake_slack, hosting_url)
    command = [*CRM, "serve", "--port", str(port), "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--workers", "2", "--threads", "4"],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if get(f"http://127.0.0.1:{port}/healthz").status == 200:
                    break
            except OSError:
                time.sleep(0.1)
        body = slash_command("T0SERVE", "U1", "help", fake_slack.response_url())
        response = post(f"http://127.0.0.1:{port}/slack/events", body, FORM)
        assert response.status == 200 and "/crm entries" in response.json()["text"]
    finally:
        process.terminate()
        output = process.communicate(timeout=20)[0].decode()
    assert "Started parent process" in output and process.returncode == 0, output


def test_crm_serve_names_a_database_it_cannot_use_in_one_line(fake_slack: FakeSlack) -> None:
    """A postgres://… URL is taken (it used to end in "Can't load plugin: sqlalchemy.dialects:postgres");
    a server that is not there stops the start with the reason, not a traceback."""
    env = serve_env(fake_slack, "postgres://crm@127.0.0.1:1/crm")
    done = subprocess.run(
        [*CRM, "serve", "--port", str(_free_port())], env=env, cwd=ROOT, capture_output=True, timeout=60
    )
    said = done.stderr.decode()
    assert done.returncode == 1 and said.startswith("The database (DATABASE_URL) cannot be used:"), said
    assert "Traceback" not in said and "connection" in said.lower() and len(said.splitlines()) == 1


def test_crm_serve_says_what_is_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in [name for name in os.environ if name.startswith("SLACK_")]:
        monkeypatch.delenv(name)
    result = CliRunner().invoke(cli.app, ["serve", "--socket-mode"])
    assert result.exit_code == 2 and "SLACK_APP_TOKEN" in result.output
    result = CliRunner().invoke(cli.app, ["serve"], env={"SLACK_BOT_TOKEN": "xoxb-1"})
    assert result.exit_code == 2 and "SLACK_SIGNING_SECRET" in result.output


def _section(text: str, key: str) -> list[str]:
    """The `- item` lines under `key:` in the manifest (enough YAML for a list of strings)."""
    match = re.search(rf"^(\s*){re.escape(key)}:\n((?:\1\s+- .*\n)+)", text, re.MULTILINE)
    assert match, key
    return [line.strip()[2:] for line in match.group(2).splitlines()]


def test_the_manifest_matches_what_the_app_handles() -> None:
    manifest = (ROOT / "manifest.yml").read_text()
    assert sorted(_section(manifest, "bot")) == sorted(BOT_SCOPES)
    assert set(_section(manifest, "bot_events")) == {
        "app_home_opened",
        "app_mention",
        "message.im",
        "message.channels",
        "message.groups",
        "message.mpim",
    }
    assert "command: /crm" in manifest and f"usage_hint: {ROUTER.usage_hint()}\n" in manifest
    shortcuts = re.findall(r"- name: (.+)\n\s+type: (\w+)\n\s+callback_id: (\w+)", manifest)
    assert {(kind, callback) for _, kind, callback in shortcuts} == {
        ("message", LOG_MESSAGE),
        ("global", LOG_INTERACTION),
    }
    assert all(len(name) <= 24 for name, _, _ in shortcuts)  # Slack's limit for a shortcut's name
    urls = re.findall(r"(?:url|request_url|message_menu_options_url): (\S+)", manifest)
    assert len(urls) == 4 and set(urls) == {"https://YOUR-HOST/slack/events"}
    assert "home_tab_enabled: true" in manifest and "messages_tab_enabled: true" in manifest
    assert "is_enabled: true" in manifest


def test_socket_mode_requests_reach_the_same_listeners(slack: Slack) -> None:
    """What SocketModeHandler hands to the app: the payload as a dict, unsigned, retries as headers."""
    app = slack.server.bot.app
    command = {"command": "/crm", "text": "help", "team_id": slack.team, "user_id": "U1", "channel_id": "C1"}
    response = app.dispatch(
        BoltRequest(mode="socket_mode", body=command | {"response_url": "x", "trigger_id": "t"})
    )
    assert response.status == 200 and "/crm entries" in json.loads(response.body)["text"]
    event = json.loads(
        rq.event(
            slack.team,
            {
                "type": "message",
                "channel_type": "im",
                "channel": "D1",
                "user": "U1",
                "text": "help",
                "ts": "1.0",
            },
        )
    )
    for retry in ("", "1"):
        headers = {"x-slack-retry-num": retry} if retry else {}
        assert app.dispatch(BoltRequest(mode="socket_mode", body=event, headers=headers)).status == 200
    slack.fake.wait_for("/chat.postMessage")
    time.sleep(0.2)
    assert len(slack.fake.calls_to("/chat.postMessage")) == 1
