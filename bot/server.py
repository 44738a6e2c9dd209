"""The HTTP face of the bot, one WSGI application: Slack's requests at /slack/events (and the OAuth
install pages when OAuth is on), the document webhook at /hooks/documents, and /healthz for the load
balancer. Served by uvicorn through bot.asgi (`crm serve`, and the tests)."""

import importlib
import io
import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.signature import SignatureVerifier
from sqlalchemy.orm import Session, sessionmaker

from bot.health import Health
from bot.slack import shapes
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
    bot = build_bot(settings, sessions, client, commands=commands, signatures_checked=True)
    slack = signed_only(settings.signing_secret, SlackRequestHandler(bot.app, path=SLACK_PATH))
    hooks = documents_app(sessions, settings)
    checks = Health(sessions, bot.runtime.stopped_threads)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        path = environ.get("PATH_INFO", "")
        if path == HEALTH_PATH:
            return health(checks, start_response)
        if hooks is not None and (path == HOOKS_PATH or path.startswith(HOOKS_PATH + "/")):
            return hooks(environ, start_response)
        return slack(environ, start_response)

    return Server(bot, application)


SIGNATURE = re.compile(r"^v0=[0-9a-f]{64}$")
TIMESTAMP = re.compile(r"^[0-9]{1,12}$")
MAX_SLACK_BODY = 4 * 1024 * 1024


def signed_only(secret: str, slack: WsgiApp) -> WsgiApp:
    """A POST to /slack/events reaches Bolt only with a valid Slack signature over its raw bytes; anything
    else (garbage, odd headers, a stale timestamp) gets 401 and one short log line, before any parsing."""
    verifier = SignatureVerifier(secret)

    def application(environ: dict[str, Any], start_response: StartResponse) -> Iterable[bytes]:
        if environ.get("REQUEST_METHOD") != "POST" or environ.get("PATH_INFO") != SLACK_PATH:
            return slack(environ, start_response)
        body = _read_body(environ)
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP", "")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE", "")
        if body is None:
            reason = "no readable body"
        elif not TIMESTAMP.match(timestamp) or not SIGNATURE.match(signature):
            reason = "missing or malformed signature headers"
        elif not verifier.is_valid(body, timestamp, signature):
            reason = "bad or stale signature"
        elif malformed := shapes.problem(body, environ.get("CONTENT_TYPE", "")):
            log.warning("ignored a signed request to %s: %s", SLACK_PATH, malformed)
            return _plain(start_response, "200 OK", b"")
        else:
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            return slack(environ, start_response)
        log.warning(
            "refused a request to %s from %s: %s", SLACK_PATH, environ.get("REMOTE_ADDR", "?"), reason
        )
        return _plain(start_response, "401 Unauthorized", b"invalid request signature\n")

    return application


def _read_body(environ: dict[str, Any]) -> bytes | None:
    try:
        length = int(environ.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if not 0 <= length <= MAX_SLACK_BODY:
        return None
    body = environ["wsgi.input"].read(length) if length else b""
    return body if len(body) == length else None


def health(checks: Health, start_response: StartResponse) -> list[bytes]:
    problem = checks.problem()
    if problem is not None:
        return _plain(start_response, "503 Service Unavailable", problem.encode() + b"\n")
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
