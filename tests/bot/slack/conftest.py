"""Fixtures shared by the Slack tests: the fake Slack Web API, and the real WSGI app served over a real
socket, driven by the requests Slack would send."""

import threading
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import pytest
from sqlalchemy.orm import Session, sessionmaker

from bot.server import create_server
from bot.slack.ports import Commands, default_commands
from bot.slack.runtime import Runtime
from bot.slack.settings import Settings
from store.outbox import Backoff
from tests import slack_requests as rq
from tests.fake_slack import FakeSlack
from tests.slack_requests import ADMIN, OWNER, USER, Slack

QUICK_TIMEOUT = 0.5
"""Seconds the app waits for a Slack call in tests that make Slack hang (it waits 5 in production)."""


class ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True


class QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def serve(
    fake: FakeSlack, sessions: sessionmaker[Session], team: str, commands: Commands | None, **settings: Any
) -> Iterator[Slack]:
    """Our server on a free loopback port; `settings` override the test defaults (OAuth, webhooks)."""
    defaults = {
        "bot_token": "xoxb-test",
        "signing_secret": rq.SECRET,
        "api_url": fake.base_url,
        "admins": frozenset({ADMIN}),
    }
    config = Settings(**(defaults | settings))
    server = create_server(config, sessions, commands=commands)
    server.bot.start_worker()
    httpd = make_server(
        "127.0.0.1", 0, server.wsgi, server_class=ThreadingWSGIServer, handler_class=QuietHandler
    )
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield Slack(f"http://127.0.0.1:{httpd.server_port}", fake, server, team)
    finally:
        httpd.shutdown()
        httpd.server_close()
        server.bot.close()


@pytest.fixture
def fake_slack() -> Iterator[FakeSlack]:
    fake = FakeSlack()
    fake.user(USER, tz="Europe/Madrid")
    fake.user(OWNER, is_owner=True)
    with fake.running():
        yield fake


@pytest.fixture
def commands() -> Commands:
    """The real command router; a test module may override this fixture with a stand-in."""
    return default_commands()


@pytest.fixture
def slack(
    fake_slack: FakeSlack, sessions: sessionmaker[Session], team: str, commands: Commands
) -> Iterator[Slack]:
    yield from serve(fake_slack, sessions, team, commands)


@pytest.fixture
def serve_slack(
    fake_slack: FakeSlack, sessions: sessionmaker[Session], team: str
) -> Iterator[Callable[..., Slack]]:
    """Start a server with other settings (OAuth, the document webhook): `serve_slack(client_id=...)`."""
    with ExitStack() as stack:

        def start(**settings: Any) -> Slack:
            return stack.enter_context(contextmanager(serve)(fake_slack, sessions, team, None, **settings))

        yield start


@pytest.fixture
def oauth_slack(serve_slack: Callable[..., Slack]) -> Slack:
    """Multi-workspace: tokens come from the installations saved in the database."""
    return serve_slack(bot_token="", client_id="111.222", client_secret="s")


def quick_retries(runtime: Runtime, *, give_up_after: timedelta = timedelta(seconds=20)) -> Runtime:
    """Retry in tens of milliseconds rather than seconds, give up after `give_up_after` rather than 30
    minutes, and poll the outbox often: an outage of a few seconds then plays out a real one's course."""
    box = runtime.outbox
    box.backoff = Backoff(first=timedelta(milliseconds=50), longest=timedelta(milliseconds=400))
    box.give_up_after = give_up_after
    box.timeout = QUICK_TIMEOUT
    runtime.sender.poll = 0.05
    return runtime
