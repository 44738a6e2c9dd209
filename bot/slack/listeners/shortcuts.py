"""Shortcuts (manifest.yml): "Log this message as an interaction" on a message, and "Log an interaction"
from anywhere in Slack. Both open the Create Interaction form; the message's is pre-filled from it.

Slack's trigger to open a form lasts about 3 seconds, so what the form is pre-filled with is asked for
in parallel and waited on for a bounded time: a slow Slack opens the form with less, never too late."""

import logging
import re
import time
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from typing import Any, TypeVar

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack import payload
from bot.slack.listeners.acknowledged import interaction
from bot.slack.listeners.origins import of_interaction
from bot.slack.render import readable
from bot.slack.runtime import Runtime
from commands.pages.interactions import CREATE_INTERACTION, ChatMessage
from commands.reply import error
from store.interactions import COMMENT_WIDTH

log = logging.getLogger(__name__)

LOG_MESSAGE = "log_message"
LOG_INTERACTION = "log_interaction"
LOOKUP_SECONDS = 1.2
"""How long the author's address and the message's link may take before the form opens without them."""
LINK_ROOM = COMMENT_WIDTH
"""A link is kept whole in the entry's comment only if it fits one comment line."""
DOMAIN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
CHANNEL = re.compile(r"^[CDG][A-Z0-9]{1,20}$")
T = TypeVar("T")


def register(app: App) -> None:
    app.message_shortcut(LOG_MESSAGE)(interaction(log_message))
    app.global_shortcut(LOG_INTERACTION)(interaction(log_interaction))


def log_interaction(
    body: dict[str, Any], _action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The empty form, as `/crm log` alone opens it."""
    runtime = Runtime.of(context)
    origin = of_interaction(body, context)
    ctx = runtime.context(client, origin)
    runtime.answer(client, origin, ctx, runtime.run(ctx, CREATE_INTERACTION.command_text()))


def log_message(
    body: dict[str, Any], _action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    runtime = Runtime.of(context)
    origin = of_interaction(body, context)
    message = payload.mapping(body, "message")
    ts = payload.message_ts(body, "message_ts") or payload.message_ts(message, "ts")
    if not CHANNEL.match(origin.channel_id) or not ts:
        log.info("a message shortcut without a channel or message to log")
        runtime.send(client, origin, error("That message cannot be logged from here."))
        return
    deadline = time.monotonic() + LOOKUP_SECONDS
    author = payload.text(message, "user")
    email = runtime.executor.submit(_email_of, runtime, client, origin.team_id, author)
    link = runtime.executor.submit(_permalink, client, origin.channel_id, ts)
    ctx = runtime.context(client, origin)
    built = _built_link(payload.text(body, "team", "domain"), origin.channel_id, ts)
    found = _within(link, deadline, "")
    chat = ChatMessage(
        text=readable(payload.text(message, "text")),
        channel_id=origin.channel_id,
        author_email=_within(email, deadline, ""),
        link=found if found and len(found) <= LINK_ROOM else built or found,
    )
    runtime.answer(client, origin, ctx, runtime.message_form(ctx, chat))


def _email_of(runtime: Runtime, client: WebClient, team_id: str, user_id: str) -> str:
    """The author's e-mail address in Slack; "" for a bot's message or an author Slack does not show."""
    if not user_id:
        return ""
    return runtime.people.profile(client, team_id, user_id).email


def _permalink(client: WebClient, channel_id: str, ts: str) -> str:
    try:
        found = client.chat_getPermalink(channel=channel_id, message_ts=ts).get("permalink")
    except Exception:  # a channel the bot cannot see, Slack away: the link is built instead
        log.info("chat.getPermalink failed for %s", channel_id, exc_info=True)
        return ""
    return found if isinstance(found, str) and payload.URL.match(found) else ""


def _built_link(domain: str, channel_id: str, ts: str) -> str:
    """The message's address as Slack writes it, from the workspace's domain in the payload."""
    if not DOMAIN.match(domain):
        return ""
    return f"https://{domain}.slack.com/archives/{channel_id}/p{ts.replace('.', '')}"


def _within(future: "Future[T]", deadline: float, default: T) -> T:
    try:
        return future.result(timeout=max(0.0, deadline - time.monotonic()))
    except FutureTimeout:
        log.info("a message shortcut's lookup took too long; the form opens without it")
        return default
    except Exception:
        log.exception("a message shortcut's lookup failed")
        return default
