"""Fixtures shared by the Slack tests: the fake Slack Web API, and the real WSGI app served over a real
socket, driven by the requests Slack would send."""

import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import timedelta
from typing import Any

import pytest
import uvicorn
from sqlalchemy.orm import Session, sessionmaker

from bot.asgi import BufferedRequests, serve_wsgi
from bot.server import create_server
from bot.slack.ports import Commands, default_commands
from bot.slack.runtime import Runtime
from bot.slack.settings import Settings
from store.outbox import Backoff
from tests import slack_requests as rq
from tests.fake_slack import FakeSlack
from tests.slack_requests import ADMIN, OWNER, USER, Slack

QUICK_TIMEOUT = 1.5
"""Seconds the app waits for a Slack call in tests that make Slack hang (it waits 5 in production). Not
less: on a loaded machine an answer Slack took can come back later than half a second, and the try is
then counted as failed and sent again (a duplicate, as with a real timeout)."""


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
    with served(serve_wsgi(server.wsgi, threads=16)) as url:
        try:
            yield Slack(url, fake, server, team)
        finally:
            server.bot.close()


@contextmanager
def served(app: BufferedRequests, **options: Any) -> Iterator[str]:
    """The app behind uvicorn on a free loopback port, as `crm serve` runs it; yields its base URL."""
    listening = socket.socket()
    listening.bind(("127.0.0.1", 0))
    config = uvicorn.Config(app, log_level="warning", lifespan="off", timeout_keep_alive=5, **options)
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [listening]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{listening.getsockname()[1]}"
    finally:
        server.should_exit = True
        thread.join(10)
        listening.close()


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
