"""Buttons and overflow menus. A button carries the /crm command it runs (its value), as each option of a
menu does; the click runs it again through the router with the clicker's own context, so workspace,
permissions and the current state are re-checked."""

import hashlib
import json
import logging
import re
from datetime import timedelta
from typing import Any

from slack_bolt import App, BoltContext
from slack_sdk import WebClient

from bot.slack import notices, payload, render
from bot.slack.answers import FORM_NOT_OPENED
from bot.slack.deliver import Origin
from bot.slack.listeners.acknowledged import interaction
from bot.slack.listeners.origins import of_interaction
from bot.slack.modals import FIELD_ACTION
from bot.slack.runtime import CLICK_SOURCE, Runtime
from commands.context import Context
from commands.reply import Modal, Reply, error

log = logging.getLogger(__name__)

DOUBLE_CLICK = timedelta(seconds=3)


def register(app: App) -> None:
    app.action(re.compile(r"^crm:run:\d+$"))(interaction(run_command))
    app.action(re.compile("^" + re.escape(render.MENU_ACTION) + r"\d+$"))(interaction(run_command))
    app.action(render.SHARE_ACTION)(interaction(share))
    app.action(render.OPEN_FORM_ACTION)(interaction(open_form))
    app.action(re.compile("^" + re.escape(FIELD_ACTION)))(interaction(field_changed))
    app.action(re.compile("^" + re.escape(notices.DISMISS_ACTION) + r"\d+$"))(interaction(dismiss))


def _clicked(
    body: dict[str, Any], context: BoltContext, client: WebClient, *, runs: bool = False
) -> tuple[Runtime, Origin, Context]:
    """Who clicked where. `runs`: the click runs the button's command, which makes its destructive
    actions possible."""
    runtime = Runtime.of(context)
    origin = of_interaction(body, context, clicked=runs)
    return runtime, origin, runtime.context(client, origin)


def run_command(
    body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    runtime, origin, ctx = _clicked(body, context, client, runs=True)
    command = _command(action)
    # A second click on a page only shows it again; one on anything that changes data is dropped.
    if not runtime.shareable(command) and not _first_click(runtime, body, action, origin):
        log.info("ignoring a repeated click on %s", action.get("action_id"))
        return
    reply = runtime.run(ctx, command)
    runtime.answer(client, origin, ctx, reply)
    if payload.text(body, "view", "type") == "home":
        # The Home tab shows what the click may have changed (a canceled entry, a resumed one).
        runtime.publish_home(client, origin, ctx)


def _command(action: dict[str, Any]) -> str:
    """The command a button carries, or the one of the option picked in an overflow menu."""
    if payload.text(action, "type") == "overflow":
        return payload.text(action, "selected_option", "value")
    return payload.text(action, "value")


def _first_click(runtime: Runtime, body: dict[str, Any], action: dict[str, Any], origin: Origin) -> bool:
    """A double click sends two requests; only the first runs (a second `log` would record twice). The
    click is recorded in the database, so the second request may reach any process."""
    where = payload.text(body, "container", "message_ts") or payload.text(body, "view", "id")
    key = "|".join(
        (
            origin.team_id,
            origin.user_id,
            where,
            payload.text(action, "action_id"),
            _command(action),
        )
    )
    digest = hashlib.sha256(key.encode()).hexdigest()
    return runtime.first_delivery(CLICK_SOURCE, digest, origin.team_id, within=DOUBLE_CLICK)


def share(body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Show a private answer to the whole channel: the (read-only) command runs again, as of now."""
    runtime, origin, ctx = _clicked(body, context, client)
    command = payload.text(action, "value")
    if not runtime.shareable(command):  # only a forged click carries a command that changes something
        runtime.send(client, origin, error("Only answers that show data can be shared."))
        return
    reply = runtime.run(ctx, command)
    if reply.error or not origin.response_url:
        runtime.send(client, origin, reply)
        return
    runtime.outbox.share(client, origin, render.message(reply))


def open_form(body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """The button offered where a form was asked for without a way to open one (a DM, a mention)."""
    runtime, origin, ctx = _clicked(body, context, client)
    try:
        spec = json.loads(payload.text(action, "value") or "{}")
    except ValueError:
        spec = {}
    kind, values = payload.text(spec, "kind"), payload.mapping(spec, "values")
    modal = Modal(kind, {str(k): v for k, v in values.items() if isinstance(v, str)})
    if not runtime.open_form(client, origin, ctx, modal):
        runtime.send(client, origin, Reply(FORM_NOT_OPENED, error=True))


def field_changed(
    body: dict[str, Any], _action: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    runtime, _, ctx = _clicked(body, context, client)
    runtime.update_form(client, ctx, payload.mapping(body, "view"))


def dismiss(body: dict[str, Any], action: dict[str, Any], context: BoltContext, client: WebClient) -> None:
    """Dismiss a notice of an undelivered answer on the App Home; only the user's own can be."""
    runtime, origin, ctx = _clicked(body, context, client)
    value = payload.text(action, "value")
    if value.isdigit() and len(value) < 19:
        runtime.dismiss(client, origin, ctx, int(value))
