"""Modals: submitting a form, and the choices of its external selects as the user types."""

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.slack import modals, payload
from bot.slack.listeners.origins import of_view
from bot.slack.payload import text
from bot.slack.runtime import SOMETHING_WRONG, Runtime
from commands.forms import FormErrors

log = logging.getLogger(__name__)


def register(app: App) -> None:
    app.view(re.compile(".+"))(submit)
    app.options(re.compile("^" + re.escape(modals.FIELD_ACTION)))(suggest)


def submit(
    ack: Ack, body: dict[str, Any], view: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    runtime = Runtime.of(context)
    state = modals.FormState.loads(payload.text(view, "private_metadata"))
    origin = of_view(body, context, state.channel)
    ctx = runtime.context(client, origin)
    try:
        reply = runtime.commands.submit(
            state.kind or payload.text(view, "callback_id"),
            ctx,
            modals.read_values(payload.mapping(view, "state", "values")),
        )
    except FormErrors as failure:
        ack(response_action="errors", errors=modals.block_errors(view, failure.errors))
        return
    except Exception:
        log.exception("submitting the %s form failed", state.kind)
        ack(response_action="errors", errors=modals.block_errors(view, {"": SOMETHING_WRONG}))
        return
    ack()
    runtime.after_ack(body, lambda: runtime.answer(client, origin, ctx, reply))


def suggest(
    ack: Ack, payload: dict[str, Any], body: dict[str, Any], context: BoltContext, client: WebClient
) -> None:
    runtime = Runtime.of(context)
    origin = of_view(body, context)
    field = text(payload, "action_id").removeprefix(modals.FIELD_ACTION)
    try:
        choices = runtime.commands.options(runtime.context(client, origin), field, text(payload, "value"))
    except Exception:
        log.exception("choices for %s failed", field)
        choices = []
    ack(options=[modals.option(value, label).to_dict() for value, label in choices[: modals.OPTIONS_LIMIT]])
