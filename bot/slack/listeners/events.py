"""Events: a DM to the bot or a mention of it is Tell Me, answered in that conversation's thread; a file
shared in a DM with `attach <template>` becomes the template's document; a message in a channel linked to
a contact is logged; opening the App Home publishes the user's home tab."""

import re
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack import channel_log, payload, template_files
from bot.slack.listeners.acknowledged import event as acknowledged
from bot.slack.listeners.origins import of_home, of_message
from bot.slack.render import unescape
from bot.slack.runtime import Runtime


def register(app: App) -> None:
    app.event("app_mention")(acknowledged(mentioned))
    app.event("message")(acknowledged(message))
    app.event("app_home_opened")(acknowledged(home_opened))


def mentioned(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    text = unescape(payload.text(event, "text"))
    if context.bot_user_id:
        text = re.sub(rf"<@{re.escape(context.bot_user_id)}(\|[^>]*)?>", " ", text)
    _converse(event, context, client, text)


def message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Channel messages are logged (when the channel is linked); in a DM, plain messages are questions and
    shared files may be template documents. Edits, joins and bots' posts are neither."""
    if channel_log.is_channel_message(event):
        channel_log.log_message(Runtime.of(context), client, event, context.team_id or "")
        return
    if payload.text(event, "channel_type") == "im" and not event.get("bot_id"):
        _direct_message(event, context, client)


def _direct_message(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    subtype, text = event.get("subtype"), unescape(payload.text(event, "text"))
    if subtype not in (None, "file_share"):
        return
    words = template_files.attach_words(text)
    shared = subtype == "file_share"
    if shared and words is not None:
        _attach(event, context, client, words)
    elif words is not None or (shared and not text.strip()):
        # `attach X` without a file, or a file without words: say how attaching works.
        _converse(event, context, client, "", command=" ".join(["template", "attach", *(words or [])]))
    else:
        _converse(event, context, client, text)


def _attach(event: dict[str, Any], context: BoltContext, client: WebClient, words: list[str]) -> None:
    runtime = Runtime.of(context)
    origin = of_message(event, context)
    ctx = runtime.context(client, origin)
    describe = template_files.the_shared_file(client, payload.items(event, "files"))
    runtime.answer(client, origin, ctx, runtime.attach(ctx, words, describe))


def _converse(
    event: dict[str, Any], context: BoltContext, client: WebClient, text: str, *, command: str = ""
) -> None:
    """Answer in the conversation's thread: Tell Me for `text`, or run `command` as typed after /crm."""
    runtime = Runtime.of(context)
    origin = of_message(event, context)
    ctx = runtime.context(client, origin)
    text = " ".join(text.split())
    command = command or text or "help"  # a command runs as typed; other words go to Tell Me
    share = command if not origin.conversation and runtime.shareable(command) else None
    runtime.answer(client, origin, ctx, runtime.run(ctx, command), share=share)


def home_opened(event: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    if payload.text(event, "tab") not in ("", "home"):
        return
    runtime = Runtime.of(context)
    origin = of_home(event, context)
    runtime.publish_home(client, origin, runtime.context(client, origin))
