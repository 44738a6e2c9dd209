"""Events: a DM to the bot or a mention of it is Tell Me, answered in that conversation's thread; opening
the App Home publishes the user's home tab."""

import re
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack.deliver import Origin
from bot.slack.listeners.origins import of_message
from bot.slack.runtime import Runtime


def register(app: App) -> None:
    app.event("app_mention")(mentioned)
    app.event("message")(message)
    app.event("app_home_opened")(home_opened)


def mentioned(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    text = event.get("text", "")
    if context.bot_user_id:
        text = re.sub(rf"<@{re.escape(context.bot_user_id)}(\|[^>]*)?>", " ", text)
    _converse(event, context, client, text)


def message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Only plain messages a person sends the bot directly; channel messages arrive for channel logging
    (later), and edits, joins and other bots' posts are not questions."""
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return
    _converse(event, context, client, event.get("text", ""))


def _converse(event: dict[str, Any], context: BoltContext, client: WebClient, text: str) -> None:
    runtime = Runtime.of(context)
    origin = of_message(event, context)
    ctx = runtime.context(client, origin)
    text = " ".join(text.split())
    runtime.answer(client, origin, ctx, runtime.run(ctx, f"tellme {text}" if text else "help"))


def home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if event.get("tab", "home") != "home":
        return
    runtime = Runtime.of(context)
    origin = Origin(
        team_id=context.team_id or "", user_id=event.get("user", ""), enterprise_id=context.enterprise_id
    )
    runtime.publish_home(client, runtime.context(client, origin))
