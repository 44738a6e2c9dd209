"""Buttons. A button carries the /crm command it runs (its value); the click runs it again through the
router with the clicker's own context, so workspace, permissions and the current state are re-checked."""

import hashlib
import json
import logging
import re
from datetime import timedelta
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import deliver, render
from bot.slack.listeners.origins import of_interaction
from bot.slack.modals import FIELD_ACTION
from bot.slack.runtime import CLICK_SOURCE, Runtime
from commands.reply import Modal, Reply

log = logging.getLogger(__name__)

DOUBLE_CLICK = timedelta(seconds=3)


def register(app: App) -> None:
    app.action(re.compile(r"^crm:run:\d+$"))(run_command)
    app.action(render.SHARE_ACTION)(share)
    app.action(render.OPEN_FORM_ACTION)(open_form)
    app.action(re.compile("^" + re.escape(FIELD_ACTION)))(field_changed)


def run_command(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    ack()
    runtime = Runtime.of(context)
    origin = of_interaction(body, context, clicked=True)
    if not _first_click(runtime, body, action, origin):
        log.info("ignoring a repeated click on %s", action.get("action_id"))
        return
    ctx = runtime.context(client, origin)
    reply = runtime.run(ctx, action.get("value", ""))
    runtime.answer(client, origin, ctx, reply)
    if (body.get("view") or {}).get("type") == "home":
        # The Home tab shows what the click may have changed (a canceled entry, a resumed one).
        runtime.publish_home(client, ctx)


def _first_click(
    runtime: Runtime, body: dict[str, Any], action: dict[str, Any], origin: deliver.Origin
) -> bool:
    """A double click sends two requests; only the first runs (a second `log` would record twice)."""
    where = (body.get("container") or {}).get("message_ts") or (body.get("view") or {}).get("id", "")
    key = "|".join(
        (origin.team_id, origin.user_id, where, action.get("action_id", ""), action.get("value", ""))
    )
    digest = hashlib.sha256(key.encode()).hexdigest()
    return runtime.first_delivery(CLICK_SOURCE, digest, origin.team_id, within=DOUBLE_CLICK)


def share(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """Show a private answer to the whole channel: the (read-only) command runs again, as of now."""
    ack()
    runtime = Runtime.of(context)
    origin = of_interaction(body, context)
    ctx = runtime.context(client, origin)
    reply = runtime.run(ctx, action.get("value", ""))
    if reply.error or not origin.response_url:
        deliver.send(client, origin, render.message(reply))
        return
    deliver.share(origin, render.message(reply))


def open_form(
    ack: Ack, body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    """The button offered where a form was asked for without a way to open one (a DM, a mention)."""
    ack()
    runtime = Runtime.of(context)
    origin = of_interaction(body, context)
    ctx = runtime.context(client, origin)
    spec = json.loads(action.get("value") or "{}")
    modal = Modal(str(spec.get("kind", "")), {str(k): str(v) for k, v in (spec.get("values") or {}).items()})
    if not runtime.open_form(client, origin, ctx, modal):
        deliver.send(
            client,
            origin,
            render.message(Reply("The form could not be opened; please try again.", error=True)),
        )


def field_changed(ack: Ack, body: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    ack()
    runtime = Runtime.of(context)
    ctx = runtime.context(client, of_interaction(body, context))
    runtime.update_form(client, ctx, body["view"])
