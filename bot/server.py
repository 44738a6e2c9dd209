"""The HTTP face of the bot, one WSGI application: Slack's requests at /slack/events (and the OAuth
install pages when OAuth is on), the document webhook at /hooks/documents, and /healthz for the load
balancer. Served by gunicorn (`crm serve`), or by wsgiref in the tests."""

import importlib
import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from sqlalchemy import text
from sqlalchemy.orm import Session, sessionmaker

from bot.slack.app import SlackBot, build_bot
from bot.slack.ports import Commands
from bot.slack.settings import Settings

log = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
HOOKS_PATH = "/hooks/documents"
HEALTH_PATH = "/healthz"

StartResponse = Callable[..., Any]
WsgiApp = Callable[[dict[str, Any], StartResponse], Iterable[bytes]]


@dataclass(frozen=True)
class Server:
    bot: SlackBot
    wsgi: WsgiApp


def create_server(
    settings: Settings,
    sessions: sessionmaker[Session],
    client: WebClient | None = None,
    *,
    commands: Commands | None = None,
) -> Server:
    bot = build_bot(settings, sessions, client, commands=commands)
    slack = SlackRequestHandler(bot.app, path=SLACK_PATH)
    hooks = documents_app(sessions, settings)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            return health(sessions, start_response)
        if hooks is not None and (path == HOOKS_PATH or path.startswith(HOOKS_PATH + "/")):
            return hooks(environ, start_response)
        return slack(environ, start_response)

    return Server(bot, application)


def health(sessions: sessionmaker[Session], start_response: StartResponse) -> list[bytes]:
    try:
        with sessions() as session:
            session.execute(text("SELECT 1"))
    except Exception:
        log.exception("health check: the database is unreachable")
        return _plain(start_response, "503 Service Unavailable", b"database unreachable\n")
    return _plain(start_response, "200 OK", b"ok\n")


def _plain(start_response: StartResponse, status: str, body: bytes) -> list[bytes]:
    start_response(
        status, [("Content-Type", "text/plain; charset=utf-8"), ("Content-Length", str(len(body)))]
    )
    return [body]


def documents_app(sessions: sessionmaker[Session], settings: Settings) -> WsgiApp | None:
    """The document webhook, when it is shipped (bot.hooks). Each workspace signs with its own secret;
    CRM_WEBHOOK_SECRET is the fallback of a single-workspace install and is not accepted under OAuth,
    where it would let its holder write into every workspace."""
    try:
        hooks = importlib.import_module("bot.hooks")
    except ModuleNotFoundError as missing:
        if missing.name != "bot.hooks":
            raise
        return None
    fallback = settings.webhook_secret
    if fallback and settings.oauth_enabled:
        log.warning(
            "CRM_WEBHOOK_SECRET is ignored with OAuth (several workspaces): each workspace's admin creates "
            "its own secret with /crm webhook secret"
        )
        fallback = ""
    return hooks.documents_app(sessions, fallback)
